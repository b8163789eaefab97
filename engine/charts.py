"""Tidy polars frames in, Altair charts out: site timelines, Palmyra's swings, the map.

Nothing here replays, filters by policy or reads the log: every function takes the
frames a replay produced (see ``engine/domain/schema.py``) plus a ``caption`` naming
them (``Replayed.caption()``: log seq, short hash, policy), and returns an
``alt.Chart``. The caption becomes the subtitle, so a published figure can be rebuilt.

Row limit: Altair refuses to inline more than 5,000 rows in one dataset. These charts
never meet it because they are drawn from frames aggregated in polars first: one row
per control interval, per swing or per site, and claim ticks grouped by site, date
window, claimant and claimed gainer. ``fit_rows`` checks the result and refuses,
with a hint, rather than letting Altair fail deep inside a notebook.

Determinism: every parameter and view is named, inline datasets are named by the hash
of their content, and dates enter as ``pl.Date``; the same frames and caption give a
byte-identical ``chart.to_json()``.

Example:
    >>> import datetime as dt
    >>> iv = pl.DataFrame({"site_id": ["palmyra"], "controller": ["isis"], "status": ["held"],
    ...     "start_earliest": [dt.date(2015, 5, 20)], "start_latest": [dt.date(2015, 5, 21)],
    ...     "end_earliest": [None], "end_latest": [None], "n_claims": [1], "n_claimants": [1],
    ...     "claim_ids": [["c1"]]}, schema_overrides={"end_earliest": pl.Date, "end_latest": pl.Date})
    >>> from engine.domain.schema import CLAIMS, polars_schema
    >>> no_claims = pl.DataFrame(schema=polars_schema(CLAIMS))
    >>> chart = timeline_chart(iv, no_claims, caption="log seq 1 · 0000abcd · all claimants")
    >>> chart.to_dict()["title"]["subtitle"][0]
    'log seq 1 · 0000abcd · all claimants'
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from pathlib import Path

import altair as alt
import polars as pl

from engine.domain.errors import TadmurError
from engine.reference import load_claimants, load_sites

#: Controllers (and the two non-controller states) in legend order.
CONTROLLERS = ("isis", "government", "opposition", "sdf", "contested", "unknown")

#: A fixed colour-blind-safe palette (Okabe & Ito, 2008), one colour per controller.
PALETTE = {
    "isis": "#000000",  # black
    "government": "#D55E00",  # vermillion
    "opposition": "#009E73",  # bluish green
    "sdf": "#E69F00",  # orange
    "contested": "#CC79A7",  # reddish purple
    "unknown": "#999999",  # grey
}

#: Arabic labels for tooltips.
CONTROLLER_AR = {
    "isis": "تنظيم الدولة",
    "government": "القوات الحكومية",
    "opposition": "المعارضة",
    "sdf": "قسد",
    "contested": "متنازع عليه",
    "unknown": "غير معروف",
}

#: Colour of the siege overlay (Okabe & Ito blue: not used by any controller).
SIEGE_COLOUR = "#0072B2"

#: One font that covers Latin and Arabic: vl-convert otherwise draws Arabic labels bold.
FONT = "DejaVu Sans"

#: Altair's own limit on rows inlined in one dataset.
MAX_ROWS = 5000

#: Most claim ticks drawn one per exact window; past it, ticks are grouped by month.
TICK_LIMIT = 2000

#: Longest evidence quote shown in a tooltip, in characters.
EVIDENCE_CHARS = 220

# isolate each quote in a tooltip cell and let its first strong letter set its direction,
# so an Arabic quote reads right to left and the (English) reference chronology left to right
_FSI, _PDI = "\u2068", "\u2069"
_BAR_HEIGHT = 14
_ROW_STEP = 40


# ---------------------------------------------------------------- frames (pure polars)


def sites_for(target: str, sites: pl.DataFrame | None = None) -> list[str]:
    """The site ids a SITE_OR_REGION argument names, in reference order.

    A region id (``palmyra_area``) names its sites; a site id names the site and the
    sites inside it (``deir_ez_zor`` includes its airbase); ``all`` names every site.

    >>> sites_for("deir_ez_zor_airbase")
    ['deir_ez_zor_airbase']
    >>> len(sites_for("qaryatayn_area")) > 3
    True
    """
    sites = load_sites() if sites is None else sites
    if target == "all":
        chosen = sites
    elif target in sites["region_id"].to_list():
        chosen = sites.filter(pl.col("region_id") == target)
    elif target in sites["site_id"].to_list():
        chosen = sites.filter((pl.col("site_id") == target) | (pl.col("parent_id") == target))
    else:
        regions = ", ".join(sorted(set(sites["region_id"].drop_nulls().to_list())))
        raise TadmurError(
            f"{target!r} is neither a site id nor a region id",
            where="SITE_OR_REGION",
            hint=f"use 'all', a region ({regions}) or a site id (`tadmur sites` lists them)",
        )
    return chosen["site_id"].to_list()


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


def _window_text(start: str, end: str) -> pl.Expr:
    """'2015-05-20 – 2015-05-21' (or one date when both ends agree); '…' for an open end."""
    start_text = pl.col(start).dt.to_string("%Y-%m-%d").fill_null("…")
    end_text = pl.col(end).dt.to_string("%Y-%m-%d").fill_null("…")
    return (
        pl.when(start_text == end_text)
        .then(start_text)
        .otherwise(pl.concat_str(start_text, end_text, separator=" – "))
    )


def interval_frame(
    intervals: pl.DataFrame,
    claims: pl.DataFrame,
    sites: pl.DataFrame | None = None,
    window: tuple[dt.date, dt.date] | None = None,
) -> pl.DataFrame:
    """One drawable row per control interval.

    ``band_from..band_to`` is the uncertain start window [start_earliest, start_latest];
    ``bar_from..bar_to`` the span the interval surely covers. Open ends run to the edge
    of ``window``. ``interval_id`` ("palmyra:2") names the bar for click selections.

    >>> iv = pl.DataFrame({"site_id": ["palmyra"], "controller": ["isis"], "status": ["held"],
    ...     "start_earliest": [dt.date(2015, 5, 20)], "start_latest": [dt.date(2015, 5, 21)],
    ...     "end_earliest": [None], "end_latest": [None], "n_claims": [1], "n_claimants": [1],
    ...     "claim_ids": [["c1"]]}, schema_overrides={"end_earliest": pl.Date, "end_latest": pl.Date})
    >>> interval_frame(iv, pl.DataFrame({"claim_id": ["c1"], "claimant": ["amaq"]}))["bar_to"].item()
    datetime.date(2015, 12, 31)
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
    return (
        intervals.with_row_index("_row")
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
            since=_window_text("start_earliest", "start_latest"),
            until=_window_text("end_earliest", "end_latest"),
        )
        .with_columns(
            bar_from=pl.col("band_to"),
            bar_to=pl.max_horizontal(
                pl.coalesce("end_earliest", "end_latest", pl.lit(end)), "band_to"
            ),
            controller_ar=pl.col("colour_key").replace_strict(
                CONTROLLER_AR, default=pl.col("colour_key")
            ),
        )
        .sort("site_rank", "bar_from", "band_from")
        .with_columns(
            interval_id=pl.concat_str(
                "site_id", pl.int_range(pl.len()).over("site_id").cast(pl.String), separator=":"
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
            "claim_ids",
        )
    )


def _bucketed(keys: list[str], every: str) -> list[pl.Expr]:
    period = pl.col("valid_from").dt.truncate(every).alias("_period")
    return [period if key == "valid_from" else pl.col(key) for key in keys if key != "valid_to"]


def _widen(frame: pl.DataFrame, keys: list[str], every: str) -> pl.DataFrame:
    """Stretch every window to the span of its group's claims within one ``every`` period."""
    groups = _bucketed(keys, every)
    return frame.with_columns(pl.col("valid_from").min().over(groups),
                              pl.col("valid_to").max().over(groups))


def claim_ticks(claims: pl.DataFrame, sites: pl.DataFrame | None = None) -> pl.DataFrame:
    """Claim ticks: claims grouped by site, date window, claimant, kind and gainer.

    Past ``TICK_LIMIT`` distinct groups, windows are widened to whole months, then
    quarters, then years; past that, one tick per site, year and gainer stands for all its
    claimants and kinds (named "several"). So even a huge log gives a chart Altair can
    inline, and the aggregation happens here, in polars.

    Each row keeps the number of claims, their ids and the first quote (by log order),
    with each quote isolated (its own text direction) and cut to ``EVIDENCE_CHARS``.

    >>> c = pl.DataFrame({"claim_id": ["c1", "c2"], "seq": [1, 2], "site_id": ["palmyra"] * 2,
    ...     "kind": ["captured"] * 2, "gainer": ["isis"] * 2, "claimant": ["amaq"] * 2,
    ...     "valid_from": [dt.date(2015, 5, 20)] * 2, "valid_to": [dt.date(2015, 5, 21)] * 2,
    ...     "published_date": [dt.date(2015, 5, 21)] * 2, "doc_id": ["d1", "d2"],
    ...     "evidence_text": ["سيطر التنظيم على تدمر", "x"]})
    >>> claim_ticks(c)["n_claims"].to_list()
    [2]
    """
    names = load_claimants().select(claimant="claimant_id", claimant_name="name_en")
    quote = pl.col("evidence_text").fill_null("")
    short = (
        pl.when(quote.str.len_chars() > EVIDENCE_CHARS)
        .then(quote.str.slice(0, EVIDENCE_CHARS) + "…")
        .otherwise(quote)
    )
    keys = ["site_id", "valid_from", "valid_to", "claimant", "kind", "gainer"]
    quoted = claims.sort("seq").with_columns(evidence=pl.lit(_FSI) + short + pl.lit(_PDI))
    def too_many(frame: pl.DataFrame) -> bool:
        return frame.select(pl.struct(keys).n_unique()).item() > TICK_LIMIT

    for every in ("1mo", "3mo", "1y"):  # too many ticks to draw one each: coarser windows
        if not too_many(quoted):
            break
        quoted = _widen(quoted, keys, every)
    if too_many(quoted):
        quoted = _widen(quoted.with_columns(claimant=pl.lit("several"), kind=pl.lit("several")),
                        keys, "1y")
    return (
        quoted.group_by(keys, maintain_order=True)
        .agg(
            n_claims=pl.len(),
            claim_ids=pl.col("claim_id"),
            evidence=pl.col("evidence").first(),
            doc_id=pl.col("doc_id").first(),
            published_date=pl.col("published_date").min(),
        )
        .join(names, on="claimant", how="left")
        .join(site_labels(sites), on="site_id", how="left")
        .with_columns(
            pl.col("kind").fill_null(""),
            gainer_key=pl.when(pl.col("gainer").is_in(list(CONTROLLERS)).fill_null(False))
            .then(pl.col("gainer"))
            .otherwise(pl.lit("unknown")),
            valid_mid=(
                (pl.col("valid_from").cast(pl.Int32) + pl.col("valid_to").cast(pl.Int32)) // 2
            ).cast(pl.Date),
            window=_window_text("valid_from", "valid_to"),
            claimant_name=pl.coalesce("claimant_name", "claimant"),
            site_label=pl.coalesce("site_label", "site_id"),
            site_rank=pl.coalesce("site_rank", pl.lit(10_000, dtype=pl.Int32)),
            published=pl.col("published_date").dt.to_string("%Y-%m-%d").fill_null("?"),
        )
        .sort("site_rank", "valid_from", "valid_to", "claimant", "kind", "gainer", nulls_last=True)
    )


# ---------------------------------------------------------------- Altair building blocks


def _day(value: dt.date) -> alt.DateTime:
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def _x(
    field: str, window: tuple[dt.date, dt.date], title: str | None = "date", zoom: str | None = None
) -> alt.X:
    """A date x channel over ``window``, or over the span brushed in the ``zoom`` selection.

    With ``zoom``, ``domainRaw`` takes over only while something is brushed (the brush is
    on the overview's ``bar_from``), so an empty brush shows the whole ``window``.
    """
    domain = [_day(window[0]), _day(window[1])]
    if not zoom:
        # one label per year: Vega's default ticks hide the years on multi-year spans
        return alt.X(
            f"{field}:T",
            title=title,
            scale=alt.Scale(domain=domain),
            axis=alt.Axis(format="%Y", tickCount="year", grid=True),
        )
    raw = alt.ExprRef(expr=f"{zoom} && {zoom}.bar_from ? {zoom}.bar_from : null")
    return alt.X(
        f"{field}:T",
        title=title,
        scale=alt.Scale(domain=domain, domainRaw=raw),
        axis=alt.Axis(format="%b %Y", tickCount=6, grid=True),
    )


def _colour(field: str, title: str = "controller") -> alt.Color:
    return alt.Color(
        f"{field}:N",
        title=title,
        scale=alt.Scale(domain=list(CONTROLLERS), range=[PALETTE[c] for c in CONTROLLERS]),
        legend=alt.Legend(orient="right", symbolOpacity=1, symbolType="square"),
    )


def _title(text: str, caption: str, *notes: str) -> alt.Title:
    return alt.Title(text=text, subtitle=[caption, *notes], anchor="start", subtitleColor="#555555")


def _claim_tooltip(with_count: bool = False) -> list[alt.Tooltip]:
    """What a claim mark shows on hover: the Arabic quote first, then who, when and where."""
    fields = [
        alt.Tooltip("evidence:N", title="الدليل"),
        alt.Tooltip("claimant_name:N", title="claimant"),
        alt.Tooltip("window:N", title="date window"),
        alt.Tooltip("kind:N", title="kind"),
        alt.Tooltip("gainer_key:N", title="gainer"),
        alt.Tooltip("doc_id:N", title="source"),
        alt.Tooltip("published:N", title="published"),
    ]
    return fields + [alt.Tooltip("n_claims:Q", title="claims")] * with_count


def _interval_layers(
    bars: pl.DataFrame,
    y: alt.Y,
    window: tuple[dt.date, dt.date],
    pick: bool,
    zoom: str | None = None,
) -> list[alt.Chart]:
    tooltip = [
        alt.Tooltip("site_ar:N", title="الموقع"),
        alt.Tooltip("controller_ar:N", title="الجهة المسيطرة"),
        alt.Tooltip("site_label:N", title="site"),
        alt.Tooltip("colour_key:N", title="controller"),
        alt.Tooltip("status:N", title="status"),
        alt.Tooltip("since:N", title="since"),
        alt.Tooltip("until:N", title="until"),
        alt.Tooltip("n_claims:Q", title="claims"),
        alt.Tooltip("claimants:N", title="claimants"),
    ]
    # clip only a zoomable view: clip paths get per-process ids, which would make the
    # static SVG differ from one export to the next
    clip = zoom is not None
    data = bars.drop("claim_ids")
    base = alt.Chart(data).encode(y=y, color=_colour("colour_key"), tooltip=tooltip)
    band = (
        base.mark_bar(height=_BAR_HEIGHT, opacity=0.35, clip=clip)
        .encode(x=_x("band_from", window, zoom=zoom), x2="band_to:T")
        .transform_filter("datum.band_to > datum.band_from")
    )
    solid = base.mark_bar(height=_BAR_HEIGHT, clip=clip).encode(
        x=_x("bar_from", window, zoom=zoom), x2="bar_to:T"
    )
    if pick:
        choose = alt.selection_point(
            name="pick", fields=["interval_id"], on="click", clear="dblclick"
        )
        solid = solid.add_params(choose).encode(
            opacity=alt.condition(choose, alt.value(1.0), alt.value(0.45))
        )
    siege = (
        alt.Chart(data.filter(pl.col("status") == "besieged"))
        .mark_bar(height=4, yOffset=_BAR_HEIGHT // 2 + 4, color=SIEGE_COLOUR, clip=clip)
        .encode(x=_x("bar_from", window, zoom=zoom), x2="bar_to:T", y=y, tooltip=tooltip)
    )
    return [
        band.properties(name="bands"),
        solid.properties(name="bars"),
        siege.properties(name="siege"),
    ]


def _tick_layer(
    ticks: pl.DataFrame, y: alt.Y, window: tuple[dt.date, dt.date], zoom: str | None = None
) -> alt.Chart:
    return (
        alt.Chart(fit_rows(ticks.drop("claim_ids"), "claim ticks"))
        .mark_tick(yOffset=-(_BAR_HEIGHT // 2 + 6), size=10, thickness=2, clip=zoom is not None)
        .encode(
            x=_x("valid_mid", window, zoom=zoom),
            y=y,
            color=_colour("gainer_key"),
            tooltip=_claim_tooltip(with_count=True),
        )
        .properties(name="claims")
    )


_KEY_NOTE = "pale band: uncertain start window · tick: one claim (colour = claimed gainer) · blue strip: siege"


# ---------------------------------------------------------------- charts


def timeline_chart(
    intervals: pl.DataFrame,
    claims: pl.DataFrame,
    caption: str,
    *,
    sites: pl.DataFrame | None = None,
    title: str = "Who held each site",
    width: int = 640,
    interactive: bool = False,
) -> alt.TopLevelMixin:
    """Site timeline: a row per site, a bar per control interval coloured by controller,
    pale bands over uncertain start windows, a blue strip under sieges, and a tick per
    supporting claim (tooltip: claimant, date window, Arabic evidence).

    Only claims cited by ``intervals`` become ticks. With ``interactive=True`` the bars
    carry a click selection ``pick`` (field ``interval_id``) and an overview strip below
    carries an x brush ``brush`` that zooms the timeline (used by the explorer).

    Args:
        intervals: INTERVALS rows of the sites to draw (see engine/domain/schema.py).
        claims: CLAIMS rows (any superset of the claims the intervals cite).
        caption: what the chart was built from, e.g. ``Replayed.caption()``.
        sites: the site reference (defaults to ``load_sites()``), for labels and order.
        title: the chart title.
        width: plot width in pixels.
        interactive: add the ``pick`` selection and the ``brush`` overview.

    Example:
        >>> iv = pl.DataFrame({"site_id": ["t4_airbase"], "controller": ["government"],
        ...     "status": ["held"], "start_earliest": [None], "start_latest": [None],
        ...     "end_earliest": [None], "end_latest": [None], "n_claims": [0], "n_claimants": [0],
        ...     "claim_ids": [[]]}, schema_overrides={c: pl.Date for c in
        ...     ("start_earliest", "start_latest", "end_earliest", "end_latest")} | {"claim_ids": pl.List(pl.String)})
        >>> from engine.domain.schema import CLAIMS, polars_schema
        >>> no_claims = pl.DataFrame(schema=polars_schema(CLAIMS))
        >>> spec = timeline_chart(iv, no_claims, "log seq 0 · 00000000 · all claimants").to_dict()
        >>> spec["config"]["font"]
        'DejaVu Sans'
    """
    cited = intervals.select(pl.col("claim_ids").explode().drop_nulls().unique())["claim_ids"]
    supporting = claims.filter(pl.col("claim_id").is_in(cited.implode()))
    dated = [intervals[c] for c in ("start_earliest", "start_latest", "end_earliest", "end_latest")]
    window = view_window(*dated, supporting["valid_from"], supporting["valid_to"])
    bars = fit_rows(interval_frame(intervals, claims, sites, window), "intervals")
    order = bars.unique("site_id").sort("site_rank")["site_label"].to_list()
    y = alt.Y(
        "site_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320, labelFontSize=12)
    )
    zoom = "brush" if interactive else None
    layers = _interval_layers(bars, y, window, pick=interactive, zoom=zoom)
    if supporting.height:
        layers.append(_tick_layer(claim_ticks(supporting, sites), y, window, zoom=zoom))
    main = alt.layer(*layers).properties(width=width, height=alt.Step(_ROW_STEP), name="timeline")
    if not interactive:
        return main.properties(title=_title(title, caption, _KEY_NOTE)).configure(font=FONT)
    overview = (
        alt.Chart(bars.drop("claim_ids"))
        .mark_bar(height=4)
        .encode(
            x=_x("bar_from", window, title="drag here to zoom to a valid-time window"),
            x2="bar_to:T",
            y=alt.Y("site_label:N", sort=order, axis=None),
            color=_colour("colour_key"),
        )
        .add_params(alt.selection_interval(name="brush", encodings=["x"]))
        .properties(width=width, height=alt.Step(6), name="overview")
    )
    chart = (
        alt.vconcat(main, overview, spacing=8)
        .properties(title=_title(title, caption, _KEY_NOTE))
        .configure(font=FONT)
    )
    return _attach_only_to(chart, "pick", "bars")


def _attach_only_to(chart: alt.VConcatChart, param: str, view: str) -> alt.VConcatChart:
    """Bind ``param`` to the layer named ``view`` only.

    Altair 6 lifts a selection declared on one layer of a layered chart that sits in a
    concat onto *every* layer ("views": all of them), which Vega rejects ("Duplicate
    signal name: pick_tuple"). We fix the lifted spec and rebuild the chart from it.
    """
    spec = chart.to_dict()
    names = [
        layer["name"]
        for part in spec["vconcat"]
        for layer in part.get("layer", [])
        if layer.get("name", "").rsplit("_", 1)[0] == view
    ]
    for declared in spec.get("params", []):
        if declared["name"] == param:
            declared["views"] = names
    return alt.VConcatChart.from_dict(spec)


def swings_chart(
    intervals: pl.DataFrame,
    swings: pl.DataFrame,
    claims: pl.DataFrame,
    caption: str,
    *,
    site_id: str = "palmyra",
    sites: pl.DataFrame | None = None,
    width: int = 680,
) -> alt.TopLevelMixin:
    """The showcase: one site's control bar with its swings labelled, above one row per
    claimant showing what each source claimed (dot at the claimed window, coloured by
    the claimed gainer) and when it was known (grey line to the publication day).

    Args:
        intervals, swings, claims: replay output (all sites; only ``site_id`` is drawn).
        caption: what the chart was built from, e.g. ``Replayed.caption()``.
        site_id: the site to show (Palmyra by default).
        sites: the site reference (defaults to ``load_sites()``).
        width: plot width in pixels.

    Example:
        >>> from engine.domain.schema import SWINGS, polars_schema
        >>> empty = pl.DataFrame(schema=polars_schema(SWINGS))
        >>> iv = pl.DataFrame({"site_id": ["palmyra"], "controller": ["isis"], "status": ["held"],
        ...     "start_earliest": [dt.date(2015, 5, 20)], "start_latest": [dt.date(2015, 5, 21)],
        ...     "end_earliest": [None], "end_latest": [None], "n_claims": [0], "n_claimants": [0],
        ...     "claim_ids": [[]]}, schema_overrides={"end_earliest": pl.Date, "end_latest": pl.Date,
        ...     "claim_ids": pl.List(pl.String)})
        >>> from engine.domain.schema import CLAIMS
        >>> spec = swings_chart(iv, empty, pl.DataFrame(schema=polars_schema(CLAIMS)), "log seq 0").to_dict()
        >>> print(spec["title"]["text"])
        Palmyra (Tadmur) city · تدمر: who held it, who said so, and when
    """
    labels = site_labels(sites).filter(pl.col("site_id") == site_id)
    label = labels["site_label"].item() if labels.height else site_id
    iv = intervals.filter(pl.col("site_id") == site_id)
    sw = swings.filter(pl.col("site_id") == site_id).sort("window_start", "window_end")
    cl = claims.filter(pl.col("site_id") == site_id)
    # valid time sets the view; publication days only draw the lag lines below
    window = view_window(
        iv["start_earliest"],
        iv["start_latest"],
        iv["end_earliest"],
        iv["end_latest"],
        sw["window_start"],
        sw["window_end"],
        cl["valid_from"],
        cl["valid_to"],
    )
    bars = fit_rows(interval_frame(iv, claims, sites, window), "intervals")
    y = alt.Y("site_label:N", title=None, axis=None, scale=alt.Scale(range=[0, 30]))
    marks = sw.with_columns(
        to_key=pl.when(pl.col("to_controller").is_in(list(CONTROLLERS)).fill_null(False))
        .then(pl.col("to_controller"))
        .otherwise(pl.lit("unknown")),
        label=pl.concat_str(
            pl.lit("→ "),
            pl.col("to_controller").fill_null("?"),
            pl.lit(" "),
            pl.col("window_end").dt.to_string("%-d %b %Y"),
        ),
        support=pl.concat_str(
            pl.col("n_claims").cast(pl.String),
            pl.lit(" claims: "),
            pl.col("claimants").list.join(", "),
        ),
        window=_window_text("window_start", "window_end"),
        row=pl.int_range(pl.len()) % 2,
    ).drop("claim_ids", "claimants")
    swing_rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[3, 3], color="#444444")
        .encode(x=_x("window_end", window), tooltip=["label:N", "window:N", "support:N"])
    )
    swing_text = (
        alt.Chart(marks)
        .mark_text(align="left", dx=3, baseline="bottom", fontSize=11, fontWeight="bold")
        .encode(
            x=_x("window_end", window),
            y=alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[0, 1], range=[50, 68])),
            text="label:N",
            color=_colour("to_key"),
        )
    )
    control = (
        alt.layer(
            *_interval_layers(bars.with_columns(site_label=pl.lit(label)), y, window, pick=False),
            swing_rules,
            swing_text,
        )
        .resolve_scale(y="independent")
        .properties(
            width=width, height=76, name="control", title="control (bars) and swings (dashed)"
        )
    )
    ticks = claim_ticks(cl, sites)
    known = alt.Chart(fit_rows(ticks.drop("claim_ids"), "claims")).encode(
        y=alt.Y("claimant_name:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=260))
    )
    # a publication after the view (a chronology compiled years later) gets no lag line
    reported = alt.Chart(
        ticks.drop("claim_ids").filter(pl.col("published_date") <= window[1])
    ).encode(y=alt.Y("claimant_name:N", title=None, sort="ascending"))
    lag = reported.mark_rule(color="#BBBBBB", strokeWidth=1.5).encode(
        x=_x("valid_to", window), x2="published_date:T"
    )
    published = reported.mark_tick(color="#777777", size=10, thickness=1).encode(
        x=_x("published_date", window)
    )
    said = known.mark_circle(size=70, opacity=1).encode(
        x=_x("valid_mid", window),
        color=_colour("gainer_key", title="controller"),
        tooltip=_claim_tooltip(),
    )
    sources = alt.layer(lag, published, said).properties(
        width=width,
        height=alt.Step(26),
        name="claims",
        title="what each source claimed (dot) and when it was published (grey tick)",
    )
    return (
        alt.vconcat(control, sources, spacing=18)
        .properties(title=_title(f"{label}: who held it, who said so, and when", caption))
        .configure(font=FONT)
        .configure_title(subtitleFontSize=11)
    )


@cache
def _outline_features() -> tuple[dict, ...]:
    path = resources.files("engine.reference").joinpath("region_outline.json")
    return tuple(json.loads(path.read_text(encoding="utf-8"))["features"])


def region_outline() -> dict:
    """The shipped outline (Syria's border and the Euphrates, hand-drawn, approximate)
    as a GeoJSON FeatureCollection.

    >>> [f["properties"]["feature_id"] for f in region_outline()["features"]]
    ['syria_border', 'euphrates']
    """
    return {"type": "FeatureCollection", "features": list(_outline_features())}


def _coordinate_quality_channels() -> dict:
    """Approximate coordinates are drawn as larger, paler discs: an area, not a point."""
    return {
        "size": alt.Size(
            "coord_quality:N",
            title="coordinates",
            scale=alt.Scale(domain=["confirmed", "approximate"], range=[70, 260]),
        ),
        "opacity": alt.Opacity(
            "coord_quality:N",
            title="coordinates",
            scale=alt.Scale(domain=["confirmed", "approximate"], range=[1.0, 0.4]),
        ),
    }


def map_chart(
    snapshot: pl.DataFrame,
    on: dt.date,
    caption: str,
    *,
    sites: pl.DataFrame | None = None,
    width: int = 560,
    height: int = 460,
) -> alt.TopLevelMixin:
    """Sites on their coordinates, coloured by controller on ``on``, over the shipped
    outline of Syria and the Euphrates (no tiles, no network).

    Approximate coordinates are drawn as large pale discs ("somewhere around here"),
    confirmed ones as small solid dots; sites the replay says nothing about are hollow.

    Args:
        snapshot: SNAPSHOT rows for ``on`` (``Timelines.snapshot(on)``).
        on: the day shown.
        caption: what the chart was built from, e.g. ``Replayed.caption()``.
        sites: the site reference (defaults to ``load_sites()``).

    Example:
        >>> snap = pl.DataFrame({"site_id": ["palmyra"], "controller": ["isis"], "status": ["held"],
        ...     "in_transition": [False], "since_earliest": [dt.date(2015, 5, 20)],
        ...     "since_latest": [dt.date(2015, 5, 21)]})
        >>> spec = map_chart(snap, dt.date(2016, 1, 1), "log seq 1").to_dict()
        >>> spec["title"]["text"]
        'Control on 2016-01-01'
    """
    reference = load_sites() if sites is None else sites
    points = (
        reference.select("site_id", "name_en", "kind", "lat", "lon", "coord_quality")
        .join(site_labels(reference).select("site_id", "site_ar"), on="site_id", how="left")
        .join(snapshot, on="site_id", how="left")
        .with_columns(
            controller_key(),
            replayed=pl.col("status").is_not_null(),
            since=_window_text("since_earliest", "since_latest"),
            in_transition=pl.col("in_transition").fill_null(False),
        )
        .with_columns(
            controller_ar=pl.col("colour_key").replace_strict(
                CONTROLLER_AR, default=pl.col("colour_key")
            ),
        )
        .drop("since_earliest", "since_latest")
        .sort("site_id")
    )
    points = fit_rows(points, "sites")
    outline = alt.Data(values=list(_outline_features()))
    projection = {"type": "mercator"}
    border = (
        alt.Chart(outline)
        .mark_geoshape(filled=False, strokeWidth=1)
        .encode(
            stroke=alt.Stroke(
                "properties.role:N",
                legend=None,
                scale=alt.Scale(domain=["border", "river"], range=["#AAAAAA", "#9CC7E4"]),
            )
        )
        .project(**projection)
    )
    tooltip = [
        alt.Tooltip("site_ar:N", title="الموقع"),
        alt.Tooltip("controller_ar:N", title="الجهة المسيطرة"),
        alt.Tooltip("name_en:N", title="site"),
        alt.Tooltip("colour_key:N", title="controller"),
        alt.Tooltip("status:N", title="status"),
        alt.Tooltip("since:N", title="since"),
        alt.Tooltip("in_transition:N", title="changing hands"),
        alt.Tooltip("coord_quality:N", title="coordinates"),
    ]
    geo = {"longitude": "lon:Q", "latitude": "lat:Q"}
    unknown = (
        alt.Chart(points.filter(~pl.col("replayed")))
        .mark_point(size=30, color="#BBBBBB", filled=False)
        .encode(**geo, tooltip=tooltip)
        .project(**projection)
    )
    known = (
        alt.Chart(points.filter(pl.col("replayed")))
        .mark_circle(stroke="#333333", strokeWidth=0.5)
        .encode(
            **geo,
            color=_colour("colour_key"),
            **_coordinate_quality_channels(),
            tooltip=tooltip,
        )
        .project(**projection)
    )
    names = (
        alt.Chart(
            points.filter(
                (pl.col("coord_quality") == "confirmed") & pl.col("kind").is_in(["city", "town"])
            )
        )
        .mark_text(align="left", dx=6, dy=-6, fontSize=10, color="#333333")
        .encode(**geo, text="name_en:N")
        .project(**projection)
    )
    return (
        alt.layer(border, unknown, known, names)
        .properties(
            width=width,
            height=height,
            name="map",
            title=_title(
                f"Control on {on.isoformat()}",
                caption,
                "large pale disc: approximate coordinates · hollow: no replayed claim · outline hand-drawn, approximate",
            ),
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
    )


def map_series_chart(
    snapshots: pl.DataFrame,
    caption: str,
    *,
    sites: pl.DataFrame | None = None,
    days: list[dt.date] | None = None,
    shown: int | None = None,
    width: int = 560,
    height: int = 460,
) -> alt.TopLevelMixin:
    """Maps of control on several days in one spec, for animation.

    ``snapshots`` holds SNAPSHOT rows plus a ``day`` column (pl.Date), one block per day;
    ``days`` lists every day of the series (default: those in ``snapshots``), so a day
    with no replayed site still gets its (empty) map and the indices match the caller's.
    The parameter ``day`` (an index into the sorted days; its initial value is ``shown``,
    default the last) picks the map shown, so a slider or a Play widget only sends a
    number: nothing is re-rendered.
    Rows: one per (site, day) with a replayed controller, checked by ``fit_rows``.

    Example:
        >>> snap = pl.DataFrame({"site_id": ["palmyra"] * 2, "controller": ["isis", "government"],
        ...     "status": ["held"] * 2, "in_transition": [False] * 2,
        ...     "since_earliest": [dt.date(2015, 5, 20), dt.date(2016, 3, 27)],
        ...     "since_latest": [dt.date(2015, 5, 21), dt.date(2016, 3, 27)],
        ...     "day": [dt.date(2016, 1, 1), dt.date(2016, 6, 1)]})
        >>> spec = map_series_chart(snap, "log seq 1").to_dict()
        >>> [p["value"] for p in spec["params"] if p["name"] == "day"]
        [1]
    """
    reference = load_sites() if sites is None else sites
    every_day = pl.Series("day", days, dtype=pl.Date) if days is not None else snapshots["day"]
    days = pl.DataFrame(every_day).unique().sort("day").with_row_index("day_index")
    points = (
        snapshots.join(days, on="day")
        .join(reference.select("site_id", "name_en", "lat", "lon", "coord_quality"), on="site_id")
        .join(site_labels(reference).select("site_id", "site_ar"), on="site_id", how="left")
        .with_columns(
            controller_key(),
            since=_window_text("since_earliest", "since_latest"),
            day_index=pl.col("day_index").cast(pl.Int32),
        )
        .with_columns(
            controller_ar=pl.col("colour_key").replace_strict(
                CONTROLLER_AR, default=pl.col("colour_key")
            ),
        )
        .select(
            "day_index",
            "site_id",
            "name_en",
            "site_ar",
            "lat",
            "lon",
            "coord_quality",
            "colour_key",
            "controller_ar",
            "status",
            "since",
            "in_transition",
        )
        .sort("day_index", "site_id")
    )
    fit_rows(points, "sites by day")
    day = alt.param(name="day", value=max(days.height - 1, 0) if shown is None else shown)
    projection = {"type": "mercator"}
    geo = {"longitude": "lon:Q", "latitude": "lat:Q"}
    border = (
        alt.Chart(alt.Data(values=list(_outline_features())))
        .mark_geoshape(filled=False, strokeWidth=1, stroke="#AAAAAA")
        .project(**projection)
    )
    every_site = (
        alt.Chart(reference.select("site_id", "name_en", "lat", "lon").sort("site_id"))
        .mark_point(size=30, color="#BBBBBB", filled=False)
        .encode(**geo, tooltip=[alt.Tooltip("name_en:N", title="site")])
        .project(**projection)
    )
    held = (
        alt.Chart(points)
        .transform_filter("datum.day_index == day")
        .mark_circle(stroke="#333333", strokeWidth=0.5)
        .encode(
            **geo,
            color=_colour("colour_key"),
            **_coordinate_quality_channels(),
            tooltip=[
                alt.Tooltip("site_ar:N", title="الموقع"),
                alt.Tooltip("controller_ar:N", title="الجهة المسيطرة"),
                alt.Tooltip("name_en:N", title="site"),
                alt.Tooltip("status:N", title="status"),
                alt.Tooltip("since:N", title="since"),
                alt.Tooltip("coord_quality:N", title="coordinates"),
            ],
        )
        .project(**projection)
    )
    label = (
        alt.Chart(
            days.with_columns(
                pl.col("day_index").cast(pl.Int32), label=pl.col("day").dt.to_string("%Y-%m-%d")
            ).drop("day")
        )
        .transform_filter("datum.day_index == day")
        .mark_text(align="left", baseline="top", fontSize=18, fontWeight="bold", x=8, y=8)
        .encode(text="label:N")
    )
    return (
        alt.layer(border, every_site, held, label)
        .add_params(day)
        .properties(
            width=width,
            height=height,
            name="map_series",
            title=_title(
                "Control over time",
                caption,
                "large pale disc: approximate coordinates · hollow: no replayed claim",
            ),
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
    )


def chart_for(replayed, target: str = "palmyra", on: dt.date | None = None) -> alt.TopLevelMixin:
    """The chart ``tadmur chart`` draws for ``target`` from a replay (``Replayed``).

    ``on`` given: the map of ``target``'s sites on that day. Otherwise ``palmyra`` is the
    swings showcase and any other site or region a timeline of its sites.

    Example:
        >>> from engine.project import replay_log
        >>> chart_for(replay_log(), "palmyra").to_dict()["vconcat"][0]["name"]  # doctest: +SKIP
        'control'
    """
    chosen = sites_for(target)
    timelines = replayed.timelines
    caption = replayed.caption()
    if on is not None:
        snap = timelines.snapshot(on).filter(pl.col("site_id").is_in(chosen))
        reference = load_sites().filter(pl.col("site_id").is_in(chosen))
        return map_chart(snap, on, caption, sites=reference)
    if target == "palmyra":
        return swings_chart(timelines.intervals, timelines.swings, timelines.claims, caption)
    intervals = timelines.intervals.filter(pl.col("site_id").is_in(chosen))
    title = "Who held each site" + (f" ({target})" if target != "all" else "")
    return timeline_chart(intervals, timelines.claims, caption, title=title)


# ---------------------------------------------------------------- saving


class HtmlSafeJSONEncoder(json.JSONEncoder):
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>`` and ``&`` become
    ``\\u003c``-style escapes, so evidence quoting ``</script>`` stays a string.

    >>> json.dumps({"q": "</script>"}, cls=HtmlSafeJSONEncoder)
    '{"q": "\\\\u003c/script\\\\u003e"}'
    """

    _ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}

    def iterencode(self, o, _one_shot=False):  # noqa: ANN001 - the json module's signature
        for chunk in super().iterencode(o, _one_shot):
            for char, escaped in self._ESCAPES.items():
                chunk = chunk.replace(char, escaped)
            yield chunk


def save_chart(chart: alt.TopLevelMixin, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write ``chart`` to ``path``: self-contained offline HTML (Vega inlined, no CDN),
    SVG or PNG (rendered by vl-convert, no browser). The format follows the suffix.

    >>> save_chart(alt.Chart(pl.DataFrame({"a": [1]})).mark_point(), "x.pdf")
    Traceback (most recent call last):
    ...
    engine.domain.errors.TadmurError: cannot write a chart as '.pdf' (at x.pdf). Hint: use a file name ending in .html, .svg or .png
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".svg", ".png"):
        raise TadmurError(
            f"cannot write a chart as {suffix!r}",
            where=str(path),
            hint="use a file name ending in .html, .svg or .png",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        chart.save(path, format="html", inline=True, embed_options={"actions": False},
                   json_kwds={"cls": HtmlSafeJSONEncoder})
    elif suffix == ".svg":
        chart.save(path, format="svg")
    else:
        chart.save(path, format="png", scale_factor=scale)
    return path
