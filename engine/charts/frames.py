"""Pure polars: interval rows ready to draw, site labels, colour keys and the view window.

Nothing here knows Altair; every function takes replay frames and returns a frame or an
expression.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from engine.charts.style import CONTROLLER_AR, CONTROLLERS
from engine.domain.errors import TadmurError
from engine.reference import load_sites

#: Altair's own limit on rows inlined in one dataset.
MAX_ROWS = 5000


def fit_rows(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """Return ``frame`` if Altair can inline it, else refuse with a hint.

    >>> fit_rows(pl.DataFrame({"a": [1, 2]}), "demo").height
    2
    """
    if frame.height > MAX_ROWS:
        raise TadmurError(
            f"chart layer {name!r} would inline {frame.height} rows; Altair allows {MAX_ROWS}",
            where=f"engine.charts ({name})",
            hint="chart fewer sites at a time (a region or one site), or aggregate further",
        )
    return frame


def controller_key(controller: str = "controller", status: str = "status") -> pl.Expr:
    """Expression giving the colour key of a row: a controller, 'contested' or 'unknown'.

    >>> df = pl.DataFrame({"controller": ["isis", "isis", None], "status": ["held", "contested", "held"]})
    >>> df.select(controller_key())["colour_key"].to_list()
    ['isis', 'contested', 'unknown']
    """
    known = pl.col(controller).is_in(list(CONTROLLERS))
    return (
        pl.when(pl.col(status) == "contested")
        .then(pl.lit("contested"))
        .when(known.fill_null(False) & (pl.col(status) != "unknown"))
        .then(pl.col(controller))
        .otherwise(pl.lit("unknown"))
        .alias("colour_key")
    )


def site_labels(sites: pl.DataFrame | None = None) -> pl.DataFrame:
    """site_id, a bilingual label ("Palmyra (Tadmur) city · تدمر"), the first Arabic name
    and the reference order (``site_rank``), one row per site.

    >>> site_labels().filter(pl.col("site_id") == "palmyra")["site_ar"].item()
    'تدمر'
    """
    sites = load_sites() if sites is None else sites
    return sites.select(
        "site_id",
        site_ar=pl.col("names_ar").str.split("|").list.first(),
        site_label=pl.concat_str(
            pl.col("name_en"), pl.col("names_ar").str.split("|").list.first(), separator=" · "
        ),
        site_rank=pl.int_range(pl.len(), dtype=pl.Int32),
    )


def view_window(*dates: pl.Series) -> tuple[dt.date, dt.date]:
    """From 1 January of the first year to 31 December of the last year seen in ``dates``.

    Open-ended intervals are drawn to the end of this window, so the view depends only
    on the data, never on today's date.

    >>> view_window(pl.Series([dt.date(2015, 5, 21), None, dt.date(2017, 3, 2)]))
    (datetime.date(2015, 1, 1), datetime.date(2017, 12, 31))
    """
    every = pl.concat([s.cast(pl.Date) for s in dates]) if dates else pl.Series([], dtype=pl.Date)
    first, last = every.min(), every.max()
    if first is None or last is None:
        return dt.date(2015, 1, 1), dt.date(2017, 12, 31)
    return dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)


def window_text(start: str, end: str) -> pl.Expr:
    """'2015-05-20 – 2015-05-21' (or one date when both ends agree); '…' for an open end."""
    start_text = pl.col(start).dt.to_string("%Y-%m-%d").fill_null("…")
    end_text = pl.col(end).dt.to_string("%Y-%m-%d").fill_null("…")
    return (
        pl.when(start_text == end_text)
        .then(start_text)
        .otherwise(pl.concat_str(start_text, end_text, separator=" – "))
    )


def _replay_extras(intervals: pl.DataFrame) -> pl.DataFrame:
    """The replay's newer columns (``open_start``, ``siege``, ``support``, ``n_dissents``,
    ``dissent_ids``) with neutral values where an older replay did not give them."""
    defaults = {
        "siege": pl.col("status") == "besieged",
        "open_start": pl.lit(False),
        "support": pl.lit(1.0, dtype=pl.Float64),
        "n_dissents": pl.lit(0, dtype=pl.UInt32),
        "dissent_ids": pl.lit([], dtype=pl.List(pl.String)),
    }
    missing = {name: value for name, value in defaults.items() if name not in intervals.columns}
    return intervals.with_columns(**missing) if missing else intervals


def interval_frame(
    intervals: pl.DataFrame,
    claims: pl.DataFrame,
    sites: pl.DataFrame | None = None,
    window: tuple[dt.date, dt.date] | None = None,
    known_by: dt.date | None = None,
) -> pl.DataFrame:
    """One drawable row per control interval.

    ``band_from..band_to`` is the uncertain start window [start_earliest, start_latest];
    ``bar_from..bar_to`` the span the interval surely covers. Open ends run to the
    ``known_by`` day when one is given (nothing later was known), else to the edge of
    ``window``; an interval with ``open_start`` (held before the site's first evidence)
    starts at the window's start. ``interval_id`` ("palmyra:2015-05-21:isis") names the
    bar for click selections, and stays the same bar when the policy changes.

    >>> iv = pl.DataFrame({"site_id": ["palmyra"], "controller": ["isis"], "status": ["held"],
    ...     "start_earliest": [dt.date(2015, 5, 20)], "start_latest": [dt.date(2015, 5, 21)],
    ...     "end_earliest": [None], "end_latest": [None], "n_claims": [1], "n_claimants": [1],
    ...     "claim_ids": [["c1"]]}, schema_overrides={"end_earliest": pl.Date, "end_latest": pl.Date})
    >>> drawn = interval_frame(iv, pl.DataFrame({"claim_id": ["c1"], "claimant": ["amaq"]}))
    >>> drawn["bar_to"].item(), drawn["interval_id"].item()
    (datetime.date(2015, 12, 31), 'palmyra:2015-05-21:isis')
    """
    start, end = window or view_window(
        intervals["start_earliest"],
        intervals["start_latest"],
        intervals["end_earliest"],
        intervals["end_latest"],
    )
    claimants_of = (
        intervals.select("site_id", "start_latest", "start_earliest", "controller", "claim_ids")
        .with_row_index("_row")
        .explode("claim_ids")
        .join(
            claims.select("claim_id", "claimant"),
            left_on="claim_ids",
            right_on="claim_id",
            how="left",
        )
        .group_by("_row")
        .agg(claimants=pl.col("claimant").drop_nulls().unique().sort().str.join(", "))
    )
    labels = site_labels(sites)
    open_to = min(known_by, end) if known_by is not None else end
    return (
        _replay_extras(intervals)
        .with_row_index("_row")
        .join(claimants_of, on="_row", how="left")
        .join(labels, on="site_id", how="left")
        .with_columns(
            controller_key(),
            band_from=pl.coalesce("start_earliest", pl.lit(start)),
            band_to=pl.coalesce("start_latest", "start_earliest", pl.lit(start)),
            site_label=pl.coalesce("site_label", "site_id"),
            site_ar=pl.coalesce("site_ar", "site_id"),
            site_rank=pl.coalesce("site_rank", pl.lit(10_000, dtype=pl.Int32)),
            claimants=pl.col("claimants").fill_null(""),
            since=pl.when(pl.col("open_start").fill_null(False))
            .then(pl.lit("before the first evidence"))
            .otherwise(window_text("start_earliest", "start_latest")),
            until=window_text("end_earliest", "end_latest"),
            open_start=pl.col("open_start").fill_null(False),
            siege=pl.col("siege").fill_null(pl.col("status") == "besieged"),
            support=pl.col("support").fill_null(1.0).cast(pl.Float64),
            n_dissents=pl.col("n_dissents").fill_null(0).cast(pl.UInt32),
            dissent_ids=pl.col("dissent_ids").fill_null([]),
        )
        .with_columns(
            bar_from=pl.col("band_to"),
            bar_to=pl.max_horizontal(
                pl.coalesce("end_earliest", "end_latest", pl.lit(open_to)), "band_to"
            ),
            controller_ar=pl.col("colour_key").replace_strict(
                CONTROLLER_AR, default=pl.col("colour_key")
            ),
        )
        .sort("site_rank", "bar_from", "band_from")
        .with_columns(
            interval_id=pl.concat_str(
                "site_id",
                pl.coalesce("start_latest", "start_earliest").dt.to_string("%Y-%m-%d").fill_null("open"),
                "colour_key",
                separator=":",
            )
        )
        .select(
            "interval_id",
            "site_id",
            "site_label",
            "site_ar",
            "site_rank",
            "colour_key",
            "controller_ar",
            "status",
            "band_from",
            "band_to",
            "bar_from",
            "bar_to",
            "since",
            "until",
            "n_claims",
            "n_claimants",
            "claimants",
            "open_start",
            "siege",
            "support",
            "n_dissents",
            "claim_ids",
            "dissent_ids",
        )
    )
