"""ACLED's columns, out and in.

Out: believed claims (one row each) or the replay's swings (one row per change of
controller), in ACLED's columns. A capture is *Government regains territory* when the
government gains, else *Non-state actor overtakes territory*; a withdrawal is a
*Non-violent transfer of territory*; sieges, attacks and partial control are *Armed clash*
(ACLED has no siege type). ``notes`` quotes the evidence; ``source`` names the claimants
and outlets.

In: an ACLED file's territory-change rows become claims of claimant ``acled``. The file is
registered as a source document and each claim's evidence is its own CSV record, so the
log keeps exactly what ACLED coded. Rows of other types, or at places the gazetteer does
not know, are counted and reported, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import polars as pl

from engine.domain.errors import TadmurError
from engine.domain.events import ClaimRecorded
from engine.interop.actors import acled_actor, acled_inter, tadmur_actor
from engine.interop.dates import acled_date, window_from_acled
from engine.interop.places import Place, nearest_site, site_places
from engine.interop.table import typed_frame

#: The ACLED columns Tadmur writes, in the codebook's order.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: The type each column is read and written as (text unless named here).
ACLED_SCHEMA: dict[str, type[pl.DataType]] = dict.fromkeys(ACLED_COLUMNS, pl.String) | {
    "event_date": pl.Date,
    "year": pl.Int32,
    "time_precision": pl.Int8,
    "iso": pl.Int32,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "geo_precision": pl.Int8,
    "fatalities": pl.Int32,
    "timestamp": pl.Int64,
}
#: The columns an ACLED file must have for ``import``.
REQUIRED_FOR_IMPORT = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "sub_event_type",
    "actor1",
    "actor2",
    "latitude",
    "longitude",
)

GOVERNMENT_REGAINS = "Government regains territory"
NON_STATE_OVERTAKES = "Non-state actor overtakes territory"
NON_VIOLENT_TRANSFER = "Non-violent transfer of territory"
ARMED_CLASH = "Armed clash"
#: sub_event_type -> (event_type, disorder_type)
EVENT_TYPES = {
    GOVERNMENT_REGAINS: ("Battles", "Political violence"),
    NON_STATE_OVERTAKES: ("Battles", "Political violence"),
    ARMED_CLASH: ("Battles", "Political violence"),
    NON_VIOLENT_TRANSFER: ("Strategic developments", "Strategic developments"),
}
#: The territory-change sub-event types ``import`` reads, and the claim kind of each.
TERRITORY_KINDS = {
    GOVERNMENT_REGAINS: "captured",
    NON_STATE_OVERTAKES: "captured",
    NON_VIOLENT_TRANSFER: "withdrew",
}
CLAIMANT = "acled"


def sub_event_type(kind: str, gainer: str) -> str:
    """ACLED's sub-event type for a Tadmur claim kind.

    >>> sub_event_type("captured", "government"), sub_event_type("captured", "isis")
    ('Government regains territory', 'Non-state actor overtakes territory')
    >>> sub_event_type("withdrew", "isis"), sub_event_type("besieged", "isis")
    ('Non-violent transfer of territory', 'Armed clash')
    """
    if kind == "withdrew":
        return NON_VIOLENT_TRANSFER
    if kind == "captured":
        return GOVERNMENT_REGAINS if gainer == "government" else NON_STATE_OVERTAKES
    return ARMED_CLASH


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _row(
    *,
    event_id: str,
    start: dt.date,
    end: dt.date,
    sub_type: str,
    gainer: str,
    loser: str | None,
    place: Place,
    source: str,
    notes: str,
    tags: str,
) -> dict:
    day, precision = acled_date(start, end)
    event_type, disorder = EVENT_TYPES[sub_type]
    inter1, inter2 = acled_inter(gainer), acled_inter(loser)
    return {
        "event_id_cnty": event_id,
        "event_date": day,
        "year": day.year,
        "time_precision": precision,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_type,
        "actor1": acled_actor(gainer),
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": acled_actor(loser),
        "assoc_actor_2": "",
        "inter2": inter2,
        "interaction": "-".join(sorted(i for i in (inter1, inter2) if i)),
        "civilian_targeting": "",
        "iso": 760,
        "region": "Middle East",
        "country": "Syria",
        "admin1": place.admin1,
        "admin2": place.admin2,
        "admin3": place.admin3,
        "location": place.location,
        "latitude": None if place.latitude is None else round(place.latitude, 4),
        "longitude": None if place.longitude is None else round(place.longitude, 4),
        "geo_precision": place.geo_precision,
        "source": source,
        "source_scale": "",
        "notes": notes,
        "fatalities": None,
        "tags": tags,
        "timestamp": None,
    }


def _frame(rows: list[dict]) -> pl.DataFrame:
    return typed_frame(rows, ACLED_SCHEMA)


def claim_source(claimant_name: str, outlet: str) -> str:
    """ACLED ``source``: the claimant, and the outlet that carried it when another.

    >>> claim_source("Amaq News Agency", "alsouria.net")
    'Amaq News Agency; alsouria.net'
    """
    return "; ".join(dict.fromkeys(p for p in (claimant_name, outlet) if p))


def claims_to_acled(
    claims: pl.DataFrame, outlets: Mapping[str, str], claimant_names: Mapping[str, str]
) -> pl.DataFrame:
    """One ACLED row per believed claim (the ``claims`` table of a replay).

    Args:
        claims: believed claims (``Timelines.claims``).
        outlets: doc_id -> outlet name (from the log's DocumentRegistered events).
        claimant_names: claimant id -> display name (``engine/reference/claimants.csv``).
    """
    places = site_places()
    rows = []
    for c in claims.sort("site_id", "valid_from", "claim_id").iter_rows(named=True):
        evidence = _one_line(c["evidence_text"])
        notes = (
            f"{c['claimant']} says {c['gainer']} {c['kind']} {places[c['site_id']].location}"
            f"{' from ' + c['loser'] if c['loser'] else ''}, between {c['valid_from']} and "
            f"{c['valid_to']}. Evidence ({c['doc_id']} [{c['evidence_start']}:"
            f'{c["evidence_end"]}]): "{evidence}"'
        )
        rows.append(
            _row(
                event_id=f"SYR-TADMUR-{c['claim_id']}",
                start=c["valid_from"],
                end=c["valid_to"],
                sub_type=sub_event_type(c["kind"], c["gainer"]),
                gainer=c["gainer"],
                loser=c["loser"],
                place=places[c["site_id"]],
                source=claim_source(
                    claimant_names.get(c["claimant"], c["claimant"]), outlets.get(c["doc_id"], "")
                ),
                notes=notes,
                tags=f"tadmur claim {c['claim_id']}; site {c['site_id']}",
            )
        )
    return _frame(rows)


def swings_to_acled(
    swings: pl.DataFrame, claims: pl.DataFrame, claimant_names: Mapping[str, str]
) -> pl.DataFrame:
    """One ACLED row per swing (change of controller) of a replay.

    A swing all of whose claims are withdrawals is a non-violent transfer; the notes
    list the claims behind it with their evidence.
    """
    places = site_places()
    by_id = {c["claim_id"]: c for c in claims.iter_rows(named=True)}
    rows = []
    for s in swings.sort("site_id", "window_start").iter_rows(named=True):
        behind = [by_id[i] for i in s["claim_ids"] if i in by_id]
        kinds = {c["kind"] for c in behind}
        kind = "withdrew" if kinds == {"withdrew"} else "captured"
        quotes = "; ".join(
            f'{c["claimant"]}: "{_one_line(c["evidence_text"])}" ({c["claim_id"]})' for c in behind
        )
        place = places[s["site_id"]]
        notes = (
            f"Change of control at {place.location}: {s['from_controller'] or 'unknown holder'}"
            f" -> {s['to_controller']}, between {s['window_start']} and {s['window_end']}, "
            f"{s['n_claims']} claim(s). Evidence: {quotes}"
        )
        rows.append(
            _row(
                event_id=f"SYR-TADMUR-{s['site_id']}-{s['window_start']}",
                start=s["window_start"],
                end=s["window_end"],
                sub_type=sub_event_type(kind, s["to_controller"]),
                gainer=s["to_controller"],
                loser=s["from_controller"],
                place=place,
                source="; ".join(claimant_names.get(c, c) for c in s["claimants"]),
                notes=notes,
                tags=f"tadmur swing; site {s['site_id']}",
            )
        )
    return _frame(rows)


# -- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One CSV record of a file: its fields, line number and exact text span."""

    line_no: int
    start: int
    end: int
    text: str
    fields: dict[str, str]


def csv_records(text: str, where: str) -> Iterator[Record]:
    """The records of a CSV text with their character offsets (quoted newlines allowed).

    >>> [(r.line_no, r.fields["b"], r.text) for r in csv_records('a,b\\n1,"x\\ny"\\n2,z\\n', "f")]
    [(2, 'x\\ny', '1,"x\\ny"'), (4, 'z', '2,z')]
    """
    lines = text.splitlines(keepends=True)
    if not lines:
        raise TadmurError("the file is empty", where=where, hint="an ACLED export has a header row")
    header = next(csv.reader([lines[0].lstrip("\ufeff")]))  # a spreadsheet may add a BOM
    offset, number = len(lines[0]), 1
    buffer, first_line, start = "", 0, offset
    for line in lines[1:]:
        number += 1
        if not buffer:
            first_line, start = number, offset
        buffer += line
        offset += len(line)
        if buffer.count('"') % 2:  # a quoted field goes on over the next line
            continue
        record = buffer.rstrip("\r\n")
        buffer = ""
        if not record.strip():
            continue
        values = next(csv.reader(io.StringIO(record)))
        if len(values) != len(header):
            raise TadmurError(
                f"record has {len(values)} fields, the header {len(header)}",
                where=f"{where}, line {first_line}",
                hint="is this a comma-separated ACLED export?",
            )
        yield Record(first_line, start, start + len(record), record, dict(zip(header, values)))
    if buffer:
        raise TadmurError(
            "a quoted field is never closed",
            where=f"{where}, line {first_line}",
            hint="the file was cut short; export it again",
        )


@dataclass
class ImportPlan:
    """What an ACLED file brings: the claims, and the rows left out with the reason."""

    claims: list[ClaimRecorded] = field(default_factory=list)
    #: reason -> line numbers
    skipped: dict[str, list[int]] = field(default_factory=dict)

    def skip(self, reason: str, line_no: int) -> None:
        self.skipped.setdefault(reason, []).append(line_no)

    def describe(self) -> str:
        parts = [f"{len(self.claims)} territory-change claims"]
        for reason, lines in sorted(self.skipped.items()):
            shown = ", ".join(map(str, lines[:5])) + (" ..." if len(lines) > 5 else "")
            parts.append(f"{len(lines)} rows skipped ({reason}: lines {shown})")
        return "; ".join(parts)


def _date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise TadmurError(
            f"event_date {value!r} is not a date YYYY-MM-DD",
            where=where,
            hint="export ACLED data with ISO dates",
        ) from None


def _number(value: str, name: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise TadmurError(
            f"{name} {value!r} is not a number",
            where=where,
            hint="ACLED gives decimal degrees, e.g. 34.5604",
        ) from None


def _sides(sub_type: str, actor1: str | None, actor2: str | None) -> tuple[str, str | None] | None:
    """(gainer, loser) of a territory row; None when the row does not say who gained."""
    if sub_type == GOVERNMENT_REGAINS:
        other = next((a for a in (actor1, actor2) if a and a != "government"), None)
        return "government", other
    if sub_type == NON_STATE_OVERTAKES:
        # actor order carries no meaning in ACLED: the gainer is the non-state side; when
        # both are non-state, actor1 (ACLED lists the capturing side first in practice)
        gainer = next((a for a in (actor1, actor2) if a and a != "government"), None)
        if gainer is None:
            return None
        loser = actor2 if gainer == actor1 else actor1
        return gainer, loser if loser != gainer else None
    if actor1 is None:
        return None
    return actor1, actor2 if actor2 != actor1 else None


def plan_import(text: str, doc_id: str, *, where: str, max_km: float = 3.0) -> ImportPlan:
    """Read an ACLED CSV text into claims of claimant ``acled`` quoting ``doc_id``.

    Raises:
        TadmurError: a required column is missing, or a territory row has a bad date,
            precision or coordinates (the line is named).
    """
    plan = ImportPlan()
    header = next(csv.reader([line.lstrip("\ufeff") for line in text.splitlines()[:1]]), [])
    missing = [c for c in REQUIRED_FOR_IMPORT if c not in header]
    if missing:
        raise TadmurError(
            f"missing ACLED column(s) {', '.join(missing)}",
            where=f"{where}, line 1",
            hint="export with the codebook's column names (event_id_cnty, ...)",
        )
    places = site_places()
    for record in csv_records(text, where):
        f = record.fields
        here = f"{where}, line {record.line_no}"
        sub_type = f["sub_event_type"].strip()
        if sub_type not in TERRITORY_KINDS:
            plan.skip("not a territory change", record.line_no)
            continue
        precision = f["time_precision"].strip()
        if precision not in ("1", "2", "3"):
            raise TadmurError(
                f"time_precision {precision!r} is not 1, 2 or 3",
                where=here,
                hint="ACLED codes 1 day, 2 week, 3 month",
            )
        start, end, tadmur_precision = window_from_acled(
            _date(f["event_date"], here), int(precision)
        )
        site = nearest_site(
            _number(f["latitude"], "latitude", here),
            _number(f["longitude"], "longitude", here),
            max_km,
            places,
            location=f.get("location", ""),
        )
        if site is None:
            plan.skip(f"no gazetteer site within {max_km:g} km", record.line_no)
            continue
        sides = _sides(sub_type, tadmur_actor(f["actor1"]), tadmur_actor(f["actor2"]))
        if sides is None:
            plan.skip("actors do not say who gained", record.line_no)
            continue
        gainer, loser = sides
        plan.claims.append(
            ClaimRecorded.make(
                doc_id=doc_id,
                site_id=site,
                kind=TERRITORY_KINDS[sub_type],
                gainer=gainer,
                loser=loser,
                valid_from=start.isoformat(),
                valid_to=end.isoformat(),
                time_precision=tadmur_precision,
                claimant=CLAIMANT,
                denied=False,
                evidence={"start": record.start, "end": record.end, "text": record.text},
                # coded by ACLED's analysts: believed like hand-curated claims (distrust acled to drop)
                extractor="manual",
                confidence=1.0,
            )
        )
    return plan


def document_id(data: bytes) -> str:
    """A doc_id naming an ACLED file by its content: the same file imports once.

    >>> document_id(b"event_id_cnty\\n")
    'acled_6f0497cb66f5'
    """
    return "acled_" + hashlib.sha256(data).hexdigest()[:12]


def published_day(text: str, where: str) -> dt.date:
    """When an ACLED file was known: its newest ``timestamp`` (upload), else newest event_date."""
    stamps, days = [], []
    for record in csv_records(text, where):
        stamp = record.fields.get("timestamp", "").strip()
        if stamp.isdigit():
            stamps.append(int(stamp))
        value = record.fields.get("event_date", "").strip()
        if value:
            days.append(_date(value, f"{where}, line {record.line_no}"))
    if stamps:
        return dt.datetime.fromtimestamp(max(stamps), dt.UTC).date()
    if days:
        return max(days)
    raise TadmurError("no dated rows", where=where, hint="an ACLED export has event_date")
