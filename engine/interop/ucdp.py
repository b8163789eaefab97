"""UCDP GED's columns, out and back.

GED events are intervals (``date_start``, ``date_end``, ``date_prec``), so a Tadmur
window is kept exactly. ``side_a`` is the government when it takes part (GED's
convention for state-based violence, ``type_of_violence`` 1), else the gaining side
(non-state, 2). Who gained is written in ``source_headline`` ("isis took Palmyra from
government") and the Tadmur id in ``relid``, so a file Tadmur wrote reads back whole.
Tadmur records no deaths: the death columns stay empty rather than claiming zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from engine.domain.errors import TadmurError
from engine.interop.actors import tadmur_actor, ucdp_side
from engine.interop.dates import ucdp_date_prec
from engine.interop.places import Place, nearest_site, site_places
from engine.interop.table import typed_frame

#: GED's 49 columns (the 23.1 header), in order, with the type each is read and written as.
UCDP_SCHEMA: dict[str, type[pl.DataType]] = {
    "id": pl.Int32,
    "relid": pl.String,
    "year": pl.Int32,
    "active_year": pl.Int32,
    "code_status": pl.String,
    "type_of_violence": pl.Int32,
    "conflict_new_id": pl.Int32,
    "conflict_name": pl.String,
    "dyad_new_id": pl.Int32,
    "dyad_name": pl.String,
    "side_a_new_id": pl.Int32,
    "gwnoa": pl.Int32,
    "side_a": pl.String,
    "side_b_new_id": pl.Int32,
    "gwnob": pl.Int32,
    "side_b": pl.String,
    "number_of_sources": pl.Int32,
    "source_article": pl.String,
    "source_office": pl.String,
    "source_date": pl.String,
    "source_headline": pl.String,
    "source_original": pl.String,
    "where_prec": pl.Int32,
    "where_coordinates": pl.String,
    "where_description": pl.String,
    "adm_1": pl.String,
    "adm_2": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "geom_wkt": pl.String,
    "priogrid_gid": pl.Int32,
    "country": pl.String,
    "country_id": pl.Int32,
    "region": pl.String,
    "event_clarity": pl.Int32,
    "date_prec": pl.Int32,
    "date_start": pl.Date,
    "date_end": pl.Date,
    "deaths_a": pl.Int32,
    "deaths_b": pl.Int32,
    "deaths_civilians": pl.Int32,
    "deaths_unknown": pl.Int32,
    "best": pl.Int32,
    "high": pl.Int32,
    "low": pl.Int32,
}
UCDP_COLUMNS = tuple(UCDP_SCHEMA)
#: Syria's Gleditsch-Ward number (GED's country_id and gwno of its government)
SYRIA_GWNO = 652
_HEADLINE = re.compile(r"^(?P<gainer>\w+) (?P<kind>\w+) .+? (?:from (?P<loser>\w+))?\s*\(")


def _row(
    *,
    relid: str,
    gainer: str,
    loser: str | None,
    kind: str,
    place: Place,
    start,
    end,
    sources: list[str],
    outlet: str,
    quote: str,
) -> dict:
    state = "government" in (gainer, loser)
    side_a, side_b = (
        (("government", loser if gainer == "government" else gainer)) if state else (gainer, loser)
    )
    has_point = place.latitude is not None and place.longitude is not None
    return {
        "id": None,
        "relid": relid,
        "year": start.year,
        "active_year": None,
        "code_status": "",
        "type_of_violence": 1 if state else 2,
        "conflict_new_id": None,
        "conflict_name": "Syria: Government" if state else "",
        "dyad_new_id": None,
        "dyad_name": f"{ucdp_side(side_a)} - {ucdp_side(side_b)}".strip(" -"),
        "side_a_new_id": None,
        "gwnoa": SYRIA_GWNO if side_a == "government" else None,
        "side_a": ucdp_side(side_a),
        "side_b_new_id": None,
        "gwnob": None,
        "side_b": ucdp_side(side_b),
        "number_of_sources": len(sources),
        "source_article": outlet,
        "source_office": "",
        "source_date": "",
        "source_headline": (
            f"{gainer} {kind} {place.location}{' from ' + loser if loser else ''} ({quote})"
        ),
        "source_original": "; ".join(sources),
        "where_prec": place.where_prec,
        "where_coordinates": place.location,
        "where_description": place.location,
        "adm_1": f"{place.admin1} governorate" if place.admin1 else "",
        "adm_2": f"{place.admin2} district" if place.admin2 else "",
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geom_wkt": f"POINT ({place.longitude} {place.latitude})" if has_point else "",
        "priogrid_gid": None,
        "country": "Syria",
        "country_id": SYRIA_GWNO,
        "region": "Middle East",
        "event_clarity": 1,
        "date_prec": ucdp_date_prec(start, end),
        "date_start": start,
        "date_end": end,
        "deaths_a": None,
        "deaths_b": None,
        "deaths_civilians": None,
        "deaths_unknown": None,
        "best": None,
        "high": None,
        "low": None,
    }


def _frame(rows: list[dict]) -> pl.DataFrame:
    return typed_frame(rows, UCDP_SCHEMA)


def claims_to_ucdp(
    claims: pl.DataFrame, outlets: Mapping[str, str], claimant_names: Mapping[str, str]
) -> pl.DataFrame:
    """One GED row per believed claim, its window as ``date_start``..``date_end``."""
    places = site_places()
    rows = [
        _row(
            relid=f"TADMUR-{c['claim_id']}",
            gainer=c["gainer"],
            loser=c["loser"],
            kind=c["kind"],
            place=places[c["site_id"]],
            start=c["valid_from"],
            end=c["valid_to"],
            sources=[claimant_names.get(c["claimant"], c["claimant"])],
            outlet=outlets.get(c["doc_id"], ""),
            quote=" ".join(c["evidence_text"].split()),
        )
        for c in claims.sort("site_id", "valid_from", "claim_id").iter_rows(named=True)
    ]
    return _frame(rows)


def swings_to_ucdp(swings: pl.DataFrame, claimant_names: Mapping[str, str]) -> pl.DataFrame:
    """One GED row per swing, its window as ``date_start``..``date_end``."""
    places = site_places()
    rows = [
        _row(
            relid=f"TADMUR-{s['site_id']}-{s['window_start']}",
            gainer=s["to_controller"],
            loser=s["from_controller"],
            kind="took",
            place=places[s["site_id"]],
            start=s["window_start"],
            end=s["window_end"],
            sources=[claimant_names.get(c, c) for c in s["claimants"]],
            outlet="",
            quote=f"{s['n_claims']} claims: {', '.join(s['claim_ids'])}",
        )
        for s in swings.sort("site_id", "window_start").iter_rows(named=True)
    ]
    return _frame(rows)


def read_ucdp(path: Path | str, *, max_km: float = 3.0) -> pl.DataFrame:
    """A GED CSV read back: site, sides as Tadmur actors, the window and its precision.

    Columns: ``relid, site_id, side_a, side_b, gainer, loser, date_start, date_end,
    date_prec, where_prec``. ``gainer``/``loser`` come from ``source_headline`` when a
    Tadmur export wrote it, else null (GED does not code who took a place).
    """
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise TadmurError(
            f"not a readable CSV: {exc}", where=str(path), hint="give a UCDP GED CSV export"
        ) from None
    missing = [
        c
        for c in ("relid", "side_a", "side_b", "date_start", "date_end", "latitude", "longitude")
        if c not in frame.columns
    ]
    if missing:
        raise TadmurError(
            f"missing GED column(s) {', '.join(missing)}",
            where=str(path),
            hint="GED exports have date_start, date_end, side_a, side_b, ...",
        )
    places = site_places()
    out = []
    for number, row in enumerate(frame.iter_rows(named=True), start=2):
        try:
            site = nearest_site(
                float(row["latitude"]),
                float(row["longitude"]),
                max_km,
                places,
                location=row.get("where_description") or "",
            )
        except (TypeError, ValueError):
            raise TadmurError(
                f"latitude/longitude {row['latitude']!r}, {row['longitude']!r} are not numbers",
                where=f"{path}, line {number}",
                hint="GED gives decimal degrees",
            ) from None
        said = _HEADLINE.match(row.get("source_headline") or "")
        out.append(
            {
                "relid": row["relid"],
                "site_id": site,
                "side_a": tadmur_actor(row["side_a"]),
                "side_b": tadmur_actor(row["side_b"]),
                "gainer": said["gainer"] if said else None,
                "loser": said["loser"] if said else None,
                "date_start": row["date_start"],
                "date_end": row["date_end"],
                "date_prec": row.get("date_prec"),
                "where_prec": row.get("where_prec"),
            }
        )
    schema = {
        "relid": pl.String,
        "site_id": pl.String,
        "side_a": pl.String,
        "side_b": pl.String,
        "gainer": pl.String,
        "loser": pl.String,
        "date_start": pl.String,
        "date_end": pl.String,
        "date_prec": pl.String,
        "where_prec": pl.String,
    }
    return pl.DataFrame(out, schema=schema, orient="row").with_columns(
        pl.col("date_start", "date_end").str.to_date(strict=False),
        pl.col("date_prec", "where_prec").cast(pl.Int32, strict=False),
    )
