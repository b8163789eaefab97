"""The site timeline: a row per site, a bar per control interval, claim ticks, and (for
the explorer) a click selection and a zooming overview.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from engine.charts.encodings import chart_title, controller_colour, date_x
from engine.charts.frames import fit_rows, interval_frame, view_window
from engine.charts.layers import interval_layers, tick_layer
from engine.charts.style import FONT
from engine.charts.ticks import claim_ticks

_ROW_STEP = 40

_KEY_NOTE = "pale band: uncertain start window · tick: one claim (colour = claimed gainer) · blue strip: siege"


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
    layers = interval_layers(bars, y, window, pick=interactive, zoom=zoom)
    if supporting.height:
        layers.append(tick_layer(claim_ticks(supporting, sites), y, window, zoom=zoom))
    main = alt.layer(*layers).properties(width=width, height=alt.Step(_ROW_STEP), name="timeline")
    if not interactive:
        return main.properties(title=chart_title(title, caption, _KEY_NOTE)).configure(font=FONT)
    overview = (
        alt.Chart(bars.drop("claim_ids"))
        .mark_bar(height=4)
        .encode(
            x=date_x("bar_from", window, title="drag here to zoom to a valid-time window"),
            x2="bar_to:T",
            y=alt.Y("site_label:N", sort=order, axis=None),
            color=controller_colour("colour_key"),
        )
        .add_params(alt.selection_interval(name="brush", encodings=["x"]))
        .properties(width=width, height=alt.Step(6), name="overview")
    )
    chart = (
        alt.vconcat(main, overview, spacing=8)
        .properties(title=chart_title(title, caption, _KEY_NOTE))
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
