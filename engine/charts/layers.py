"""The layers drawn on a site's row: the control bar, the uncertain start window below
it, the siege strip, dissenting claims and claim ticks, shared by the timeline and the
swings chart.

Each channel means one thing: colour is the controller (never faded), a dark line under
the bar is the window in which the change of hands happened, a blue strip under it a
siege, a dashed outline an interval some believed claims disagree with (their claims
are the crosses), and a thick black outline the clicked bar.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from engine.charts.encodings import claim_tooltip, controller_colour, date_x
from engine.charts.frames import fit_rows
from engine.charts.style import SIEGE_COLOUR, UNCERTAIN_COLOUR

_BAR_HEIGHT = 14

#: The tooltip of a control bar.
INTERVAL_TOOLTIP = [
    alt.Tooltip("site_ar:N", title="الموقع"),
    alt.Tooltip("controller_ar:N", title="الجهة المسيطرة"),
    alt.Tooltip("site_label:N", title="site"),
    alt.Tooltip("colour_key:N", title="controller"),
    alt.Tooltip("status:N", title="status"),
    alt.Tooltip("since:N", title="since"),
    alt.Tooltip("until:N", title="until"),
    alt.Tooltip("n_claims:Q", title="claims"),
    alt.Tooltip("claimants:N", title="claimants"),
    alt.Tooltip("support:Q", title="support", format=".0%"),
    alt.Tooltip("n_dissents:Q", title="dissenting claims"),
]


def source(rows: pl.DataFrame | str) -> alt.Data | pl.DataFrame:
    """A layer's data: inline rows, or (a name) the top-level dataset of that name, which
    the explorer replaces in the browser without rebuilding the chart."""
    if isinstance(rows, str):
        return alt.NamedData(name=rows)
    return rows.drop([c for c, t in rows.schema.items() if isinstance(t, pl.List)])


def interval_layers(
    bars: pl.DataFrame | str,
    y: alt.Y,
    window: tuple[dt.date, dt.date],
    pick: bool,
    zoom: str | None = None,
) -> list[alt.Chart]:
    """A site's control, named ``bands`` (the uncertain start window, a line under the
    bar), ``bars`` and ``siege``; with ``pick`` the bars carry the click selection.

    ``bars`` is an ``interval_frame`` or the name of the dataset holding one.
    """
    # clip only a zoomable view: clip paths get per-process ids, which would make the
    # static SVG differ from one export to the next
    clip = zoom is not None
    data = source(bars)
    base = alt.Chart(data).encode(y=y, tooltip=INTERVAL_TOOLTIP)
    below = _BAR_HEIGHT // 2 + 3
    band = (
        base.mark_rule(strokeWidth=3, yOffset=below, color=UNCERTAIN_COLOUR, clip=clip)
        .encode(x=date_x("band_from", window, zoom=zoom), x2="band_to:T")
        .transform_filter("datum.band_to > datum.band_from")
    )
    outline = alt.when("datum.support < 1").then(alt.value(1.2)).otherwise(alt.value(0))
    dashes = alt.when("datum.support < 1").then(alt.value([4, 2])).otherwise(alt.value([1, 0]))
    solid = base.mark_bar(height=_BAR_HEIGHT, clip=clip, stroke="#000000").encode(
        x=date_x("bar_from", window, zoom=zoom),
        x2="bar_to:T",
        color=controller_colour("colour_key"),
        strokeDash=dashes,
        strokeWidth=outline,
    )
    if pick:
        # bar_from too: the explorer's map moves to the clicked bar's first day
        choose = alt.selection_point(
            name="pick", fields=["interval_id", "bar_from"], on="click", clear="dblclick"
        )
        picked = (
            alt.when(choose, empty=False)
            .then(alt.value(3))
            # a site clicked on the explorer's map (selection `place`) outlines its row
            .when("place && place.site_id && indexof(place.site_id, datum.site_id) >= 0")
            .then(alt.value(2))
            .when("datum.support < 1")
            .then(alt.value(1.2))
            .otherwise(alt.value(0))
        )
        solid = solid.add_params(choose).encode(strokeWidth=picked)
    siege = (
        base.mark_bar(height=4, yOffset=below + 5, color=SIEGE_COLOUR, clip=clip)
        .encode(x=date_x("bar_from", window, zoom=zoom), x2="bar_to:T")
        .transform_filter("datum.siege")
    )
    return [
        band.properties(name="bands"),
        solid.properties(name="bars"),
        siege.properties(name="siege"),
    ]


def dissent_layer(
    dissents: pl.DataFrame | str, y: alt.Y, window: tuple[dt.date, dt.date], zoom: str | None = None
) -> alt.Chart:
    """A cross on the bar for each believed claim that disagrees with its interval,
    coloured by what that claim said (its claimed gainer)."""
    return (
        alt.Chart(source(dissents))
        .mark_point(shape="cross", filled=True, size=70, stroke="#FFFFFF", strokeWidth=0.6,
                    clip=zoom is not None)
        .encode(
            x=date_x("valid_mid", window, zoom=zoom),
            y=y,
            color=controller_colour("gainer_key"),
            tooltip=claim_tooltip(),
        )
        .properties(name="dissents")
    )


def tick_layer(
    ticks: pl.DataFrame | str, y: alt.Y, window: tuple[dt.date, dt.date], zoom: str | None = None
) -> alt.Chart:
    """One tick per claim group just above its site's bar, coloured by the claimed gainer."""
    rows = ticks if isinstance(ticks, str) else fit_rows(ticks, "claim ticks")
    return (
        alt.Chart(source(rows))
        .mark_tick(yOffset=-(_BAR_HEIGHT // 2 + 6), size=10, thickness=2, clip=zoom is not None)
        .encode(
            x=date_x("valid_mid", window, zoom=zoom),
            y=y,
            color=controller_colour("gainer_key"),
            tooltip=claim_tooltip(with_count=True),
        )
        .properties(name="claims")
    )
