"""The layers drawn on a site's row: control bars (uncertain band, bar, siege strip) and
claim ticks, shared by the timeline and the swings chart.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from engine.charts.encodings import claim_tooltip, controller_colour, date_x
from engine.charts.frames import fit_rows
from engine.charts.style import SIEGE_COLOUR

_BAR_HEIGHT = 14


def interval_layers(
    bars: pl.DataFrame,
    y: alt.Y,
    window: tuple[dt.date, dt.date],
    pick: bool,
    zoom: str | None = None,
) -> list[alt.Chart]:
    """A site's control: the pale uncertain-start band, the bar and the siege strip, named
    ``bands``, ``bars`` and ``siege``; with ``pick`` the bars carry the click selection."""
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
    base = alt.Chart(data).encode(y=y, color=controller_colour("colour_key"), tooltip=tooltip)
    band = (
        base.mark_bar(height=_BAR_HEIGHT, opacity=0.35, clip=clip)
        .encode(x=date_x("band_from", window, zoom=zoom), x2="band_to:T")
        .transform_filter("datum.band_to > datum.band_from")
    )
    solid = base.mark_bar(height=_BAR_HEIGHT, clip=clip).encode(
        x=date_x("bar_from", window, zoom=zoom), x2="bar_to:T"
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
        .encode(x=date_x("bar_from", window, zoom=zoom), x2="bar_to:T", y=y, tooltip=tooltip)
    )
    return [
        band.properties(name="bands"),
        solid.properties(name="bars"),
        siege.properties(name="siege"),
    ]


def tick_layer(
    ticks: pl.DataFrame, y: alt.Y, window: tuple[dt.date, dt.date], zoom: str | None = None
) -> alt.Chart:
    """One tick per claim group just above its site's bar, coloured by the claimed gainer."""
    return (
        alt.Chart(fit_rows(ticks.drop("claim_ids"), "claim ticks"))
        .mark_tick(yOffset=-(_BAR_HEIGHT // 2 + 6), size=10, thickness=2, clip=zoom is not None)
        .encode(
            x=date_x("valid_mid", window, zoom=zoom),
            y=y,
            color=controller_colour("gainer_key"),
            tooltip=claim_tooltip(with_count=True),
        )
        .properties(name="claims")
    )
