"""Altair building blocks every chart shares: the date axis, the controller colour scale,
the titled subtitle and the claim tooltip.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

from engine.charts.style import CONTROLLERS, PALETTE


def _day(value: dt.date) -> alt.DateTime:
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def date_x(
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


def controller_colour(field: str, title: str = "controller") -> alt.Color:
    """The controller colour scale (fixed palette, legend order) on ``field``."""
    return alt.Color(
        f"{field}:N",
        title=title,
        scale=alt.Scale(domain=list(CONTROLLERS), range=[PALETTE[c] for c in CONTROLLERS]),
        legend=alt.Legend(orient="right", symbolOpacity=1, symbolType="square"),
    )


def chart_title(text: str, caption: str, *notes: str) -> alt.Title:
    """A title whose subtitle names the chart's input (``caption``), then any notes."""
    return alt.Title(text=text, subtitle=[caption, *notes], anchor="start", subtitleColor="#555555")


def claim_tooltip(with_count: bool = False) -> list[alt.Tooltip]:
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
