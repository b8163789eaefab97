"""The site timeline: a row per site, a bar per control interval, claim ticks, dissenting
claims and the "known by" rule, plus (for the explorer) a click selection and a zooming
overview.

The chart is split in two so the explorer can answer at once: :func:`timeline_rows`
computes the rows to draw (pure polars) and :func:`timeline_chart` lays them out over
named datasets (``DATASETS``). A policy change recomputes the rows and sends them to the
browser under the same names; the spec, its fixed time domain and its site rows stay.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import altair as alt
import polars as pl

from engine.charts.encodings import chart_title, controller_colour, date_x
from engine.charts.frames import fit_rows, interval_frame, view_window
from engine.charts.layers import INTERVAL_TOOLTIP, dissent_layer, interval_layers, tick_layer
from engine.charts.style import CREDIT, FONT
from engine.charts.ticks import claim_ticks

_ROW_STEP = 40

_KEY_NOTE = (
    "line under a bar: window in which it changed hands · dashed outline: some believed "
    "claims disagree (crosses) · tick: one claim (colour = claimed gainer) · blue strip: siege"
)

#: The named datasets of a timeline, in the order they are sent.
DATASETS = ("intervals", "ticks", "dissents", "known_by", "caption")


@dataclass(frozen=True)
class TimelineRows:
    """What a timeline draws under one policy, one frame per dataset of ``DATASETS``.

    ``intervals`` keeps ``claim_ids`` and ``dissent_ids`` (the explorer lists the claims
    behind a clicked bar); list columns never reach the chart.
    """

    intervals: pl.DataFrame
    ticks: pl.DataFrame
    dissents: pl.DataFrame
    known_by: pl.DataFrame
    caption: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"text": pl.String}))

    def values(self) -> dict[str, list[dict]]:
        """The rows as JSON-ready records per dataset name; days become
        ``YYYY-MM-DDT00:00:00`` (local midnight in the browser, no time zone)."""
        return {name: records(getattr(self, name)) for name in DATASETS}


def records(frame: pl.DataFrame) -> list[dict]:
    """JSON-ready rows: list columns dropped, days as ``YYYY-MM-DDT00:00:00``.

    >>> records(pl.DataFrame({"d": [dt.date(2015, 5, 21)], "ids": [["c1"]], "n": [1]}))
    [{'d': '2015-05-21T00:00:00', 'n': 1}]
    """
    kept = frame.select(
        pl.col(c).dt.to_string("%Y-%m-%dT00:00:00") if t == pl.Date else pl.col(c)
        for c, t in frame.schema.items()
        if not isinstance(t, pl.List)
    )
    return kept.rows(named=True)


def timeline_window(intervals: pl.DataFrame, claims: pl.DataFrame) -> tuple[dt.date, dt.date]:
    """The time domain of a set of sites: whole years around every interval and claim.

    Computed once per site set (the explorer passes every claim of the log, believed or
    not), so changing whom to believe or what was known never rescales the axis.
    """
    dated = [intervals[c] for c in ("start_earliest", "start_latest", "end_earliest", "end_latest")]
    return view_window(*dated, claims["valid_from"], claims["valid_to"])


def timeline_rows(
    intervals: pl.DataFrame,
    claims: pl.DataFrame,
    *,
    window: tuple[dt.date, dt.date],
    sites: pl.DataFrame | None = None,
    known_by: dt.date | None = None,
    places: pl.DataFrame | None = None,
    caption: str = "",
) -> TimelineRows:
    """The rows a timeline draws: bars, claim ticks (claims the intervals cite), dissenting
    claims and the "known by" day (none: every claim). With ``places`` (site_id, lat, lon:
    where each site is drawn on the map) the bars carry their site's ``lat``/``lon``, so
    the explorer's map draws the same rows."""
    cited = intervals.select(pl.col("claim_ids").explode().drop_nulls().unique())["claim_ids"]
    bars = fit_rows(interval_frame(intervals, claims, sites, window, known_by), "intervals")
    ticks = claim_ticks(claims.filter(pl.col("claim_id").is_in(cited.implode())), sites)
    dissenting = bars.select(pl.col("dissent_ids").explode().drop_nulls().unique())
    dissents = claim_ticks(
        claims.filter(pl.col("claim_id").is_in(dissenting["dissent_ids"].implode())), sites
    )
    known = pl.DataFrame(
        {"day": [known_by] if known_by else [], "label": [f"known by {known_by}"] if known_by else []},
        schema={"day": pl.Date, "label": pl.String},
    )
    if places is not None:
        bars = bars.join(places.select("site_id", "lat", "lon"), on="site_id", how="left")
    return TimelineRows(
        bars, fit_rows(ticks, "claim ticks"), fit_rows(dissents, "dissents"), known,
        pl.DataFrame({"text": [caption]}),
    )


def site_order(rows: TimelineRows) -> list[str]:
    """The site labels of ``rows`` in reference order (the chart's fixed rows)."""
    return rows.intervals.unique("site_id").sort("site_rank")["site_label"].to_list()


def timeline_chart(
    intervals: pl.DataFrame,
    claims: pl.DataFrame,
    caption: str,
    *,
    sites: pl.DataFrame | None = None,
    title: str = "Who held each site",
    width: int = 640,
    interactive: bool = False,
    window: tuple[dt.date, dt.date] | None = None,
    known_by: dt.date | None = None,
    rows_shown: list[str] | None = None,
) -> alt.TopLevelMixin:
    """Site timeline: a row per site, a bar per control interval coloured by controller,
    a line under it over the uncertain start window, a blue strip under sieges, a tick per
    supporting claim (tooltip: claimant, date window, Arabic evidence), a cross per
    dissenting claim and, with ``known_by``, a dashed rule on that day.

    Only claims cited by ``intervals`` become ticks. With ``interactive=True`` the bars
    carry a click selection ``pick`` (field ``interval_id``), an overview strip below
    carries an x brush ``brush`` that zooms the timeline, and the caption is drawn from
    the dataset ``caption`` (the explorer replaces its rows without a rebuild).

    Args:
        intervals: INTERVALS rows of the sites to draw (see engine/domain/schema.py).
        claims: CLAIMS rows (any superset of the claims the intervals cite).
        caption: what the chart was built from, e.g. ``Replayed.caption()``.
        sites: the site reference (defaults to ``load_sites()``), for labels and order.
        title: the chart title.
        width: plot width in pixels.
        interactive: add the ``pick`` selection, the ``brush`` overview and the caption row.
        window: the time domain (default: ``timeline_window`` of the inputs).
        known_by: the day the policy's knowledge stops, if any: open intervals end there.
        rows_shown: the site labels given a row (default: the sites in ``intervals``).

    Example:
        >>> iv = pl.DataFrame({"site_id": ["t4_airbase"], "controller": ["government"],
        ...     "status": ["held"], "start_earliest": [None], "start_latest": [None],
        ...     "end_earliest": [None], "end_latest": [None], "n_claims": [0], "n_claimants": [0],
        ...     "claim_ids": [[]]}, schema_overrides={c: pl.Date for c in
        ...     ("start_earliest", "start_latest", "end_earliest", "end_latest")} | {"claim_ids": pl.List(pl.String)})
        >>> from engine.domain.schema import CLAIMS, polars_schema
        >>> no_claims = pl.DataFrame(schema=polars_schema(CLAIMS))
        >>> spec = timeline_chart(iv, no_claims, "log seq 0 · 00000000 · all claimants").to_dict()
        >>> spec["config"]["font"], sorted(spec["datasets"])
        ('DejaVu Sans', ['caption', 'dissents', 'intervals', 'known_by', 'ticks'])
    """
    window = window or timeline_window(intervals, claims)
    rows = timeline_rows(
        intervals, claims, window=window, sites=sites, known_by=known_by, caption=caption
    )
    order = rows_shown if rows_shown is not None else site_order(rows)
    return timeline_layout(
        rows, order, window, caption, title=title, width=width, interactive=interactive
    )


def timeline_layout(
    rows: TimelineRows,
    order: list[str],
    window: tuple[dt.date, dt.date],
    caption: str,
    *,
    title: str = "Who held each site",
    width: int = 640,
    interactive: bool = False,
) -> alt.TopLevelMixin:
    """Lay ``rows`` out over named datasets (see :func:`timeline_chart`)."""
    y = alt.Y(
        "site_label:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order),
        # long Arabic names are never cut
        axis=alt.Axis(labelLimit=0, labelFontSize=12),
    )
    zoom = "brush" if interactive else None
    layers = interval_layers("intervals", y, window, pick=interactive, zoom=zoom)
    layers.append(tick_layer("ticks", y, window, zoom=zoom))
    layers.append(dissent_layer("dissents", y, window, zoom=zoom))
    known = alt.Chart(alt.NamedData(name="known_by")).encode(x=date_x("day", window, zoom=zoom))
    layers.append(
        known.mark_rule(strokeDash=[6, 3], color="#333333", strokeWidth=1.5, clip=zoom is not None)
        .properties(name="known_by_rule")
    )
    layers.append(
        known.mark_text(align="left", baseline="bottom", dx=3, y=0, dy=-2, fontSize=11, color="#333333")
        .encode(text="label:N")
        .properties(name="known_by_label")
    )
    height = alt.Step(_ROW_STEP) if order else 40
    main = alt.layer(*layers).properties(width=width, height=height, name="timeline")
    datasets = rows.values()
    if not interactive:
        heading = chart_title(title, caption, _KEY_NOTE, CREDIT)
        return main.properties(title=heading, datasets=datasets).configure(font=FONT)
    overview = (
        alt.Chart(alt.NamedData(name="intervals"))
        .mark_bar(height=4)
        .encode(
            x=date_x("bar_from", window, title="drag here to zoom to a valid-time window"),
            x2="bar_to:T",
            y=alt.Y("site_label:N", sort=order, scale=alt.Scale(domain=order), axis=None),
            color=controller_colour("colour_key"),
        )
        .add_params(alt.selection_interval(name="brush", encodings=["x"]))
        .properties(width=width, height=alt.Step(6), name="overview")
    )
    parts = [main, overview]
    if "lat" in rows.intervals.columns:
        parts.append(_linked_map(window, width))
    # the caption is a dataset, not a parameter: rows only travel from Python to the
    # browser, while a parameter's value is echoed back, and a late echo of the previous
    # caption could overwrite the newer one
    shown_caption = (
        alt.Chart(alt.NamedData(name="caption"))
        .mark_text(align="left", baseline="top", x=0, y=0, fontSize=12, fontWeight="bold")
        .encode(text="text:N")
        .properties(width=width, height=16, name="caption")
    )
    heading = alt.Title(text=title, subtitle=[_KEY_NOTE, CREDIT], anchor="start",
                        subtitleColor="#555555")
    chart = (
        # under the timeline: the views keep their names (bars_0, ...) whatever comes after
        alt.vconcat(parts[0], shown_caption, *parts[1:], spacing=8)
        .properties(title=heading, datasets=datasets)
        .configure(font=FONT)
        .configure_view(strokeWidth=0)
    )
    # from here on, every to_dict (JupyterChart, save, to_json) binds `pick` to the bars
    # (object.__setattr__: Altair's own __setattr__ would store it as a spec property)
    object.__setattr__(chart, "__class__", _PickOnBars)
    return chart


def _linked_map(window: tuple[dt.date, dt.date], width: int) -> alt.LayerChart:
    """The sites on a map on one day, drawn from the timeline's own rows.

    The day is the start of the bar clicked on the timeline (``pick``), else the end of
    the view; a click on a site (``place``) outlines its bars on the timeline.
    """
    from engine.charts.maps import BOUNDARIES_CREDIT, _outline_features

    last = f"datetime({window[1].year}, {window[1].month - 1}, {window[1].day})"
    day = alt.param(
        name="map_day",
        expr=f"pick && pick.bar_from ? toDate(pick.bar_from[0]) : {last}",
    )
    place = alt.selection_point(name="place", fields=["site_id"], on="click", clear="dblclick")
    outline = (
        alt.Chart(alt.Data(values=list(_outline_features())))
        .mark_geoshape(filled=False, strokeWidth=1, stroke="#BBBBBB")
        .project("mercator")
        .properties(name="outline")
    )
    on_day = "toDate(datum.bar_from) <= map_day && map_day < toDate(datum.bar_to)"
    sites = (
        alt.Chart(alt.NamedData(name="intervals"))
        .transform_filter(on_day)
        .mark_circle(size=90, stroke="#333333")
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=controller_colour("colour_key"),
            strokeWidth=alt.when(place, empty=False).then(alt.value(2.5)).otherwise(alt.value(0.5)),
            tooltip=INTERVAL_TOOLTIP,
        )
        .add_params(place)
        .project("mercator")
        .properties(name="places")
    )
    day_text = (
        alt.Chart(alt.Data(values=[{}]))
        .mark_text(align="left", baseline="top", x=4, y=4, fontSize=12, fontWeight="bold")
        .encode(text=alt.Text("day_text:N"))
        .transform_calculate(day_text="'Control on ' + timeFormat(map_day, '%Y-%m-%d')")
        .properties(name="map_day_text")
    )
    return (
        alt.layer(outline, sites, day_text)
        .add_params(day)
        .properties(
            width=width, height=360, name="map",
            title=alt.Title("click a bar: the map shows its first day; click a site: its row is outlined",
                            subtitle=BOUNDARIES_CREDIT, fontSize=11, anchor="start"),
        )
    )


class _PickOnBars(alt.VConcatChart):
    """A vconcat whose ``pick`` selection is bound to the layer named ``bars`` only (and
    ``place`` to the map's ``places``).

    Altair 6 lifts a selection declared on one layer of a layered chart that sits in a
    concat onto *every* layer ("views": all of them), which Vega rejects ("Duplicate
    signal name: pick_tuple"). The lifted spec is valid Vega-Lite, so we correct it after
    ``to_dict`` has validated it: no round trip through ``from_dict``, whose schema
    validation cost seconds per chart.
    """

    def to_dict(self, *args, **kwargs) -> dict:
        spec = super().to_dict(*args, **kwargs)
        if kwargs.get("format", "vega-lite") != "vega-lite":
            return spec
        for param, view in (("pick", "bars"), ("place", "places")):
            names = [
                layer["name"]
                for part in spec.get("vconcat", [])
                for layer in part.get("layer", [])
                if layer.get("name", "").rsplit("_", 1)[0] == view
            ]
            for declared in spec.get("params", []):
                if declared["name"] == param:
                    declared["views"] = names
        return spec
