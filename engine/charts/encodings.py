"""Altair building blocks every chart shares: the date axis, the controller colour scale,
the titled subtitle and the claim tooltip.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

from engine.charts.style import CONTROLLERS, PALETTE


def _day(value: dt.date) -> alt.DateTime:
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def month_ticks(window: tuple[dt.date, dt.date], most: int = 10) -> tuple[dict, str]:
    """Ticks on month starts, every 1, 2, 3, 6 or 12 months so at most ``most`` are
    labelled, and the label format ("%b %Y", or "%Y" for yearly ticks).

    >>> month_ticks((dt.date(2015, 1, 1), dt.date(2017, 12, 31)))
    ({'interval': 'month', 'step': 6}, '%b %Y')
    >>> month_ticks((dt.date(2015, 5, 1), dt.date(2015, 8, 1)))
    ({'interval': 'month', 'step': 1}, '%b %Y')
    """
    months = (window[1].year - window[0].year) * 12 + window[1].month - window[0].month + 1
    step = next((s for s in (1, 2, 3, 6) if months / s <= most), 12)
    return {"interval": "month", "step": step}, "%Y" if step == 12 else "%b %Y"


def date_x(
    field: str, window: tuple[dt.date, dt.date], title: str | None = "date", zoom: str | None = None
) -> alt.X:
    """A date x channel over ``window``, or over the span brushed in the ``zoom`` selection.

    With ``zoom``, ``domainRaw`` takes over only while something is brushed (the brush is
    on the overview's ``bar_from``), so an empty brush shows the whole ``window``.
    """
    domain = [_day(window[0]), _day(window[1])]
    # ticks on month starts: Vega's default ticks hide the years on multi-year spans
    every, label = month_ticks(window)
    axis = alt.Axis(format=label, tickCount=every, grid=True, labelOverlap="greedy")
    if not zoom:
        return alt.X(f"{field}:T", title=title, scale=alt.Scale(domain=domain), axis=axis)
    raw = alt.ExprRef(expr=f"{zoom} && {zoom}.bar_from ? {zoom}.bar_from : null")
    return alt.X(
        f"{field}:T",
        title=title,
        scale=alt.Scale(domain=domain, domainRaw=raw),
        # zoomable: Vega's own multi-scale labels (years, months, days as the zoom needs)
        axis=alt.Axis(tickCount=8, grid=True, labelOverlap="greedy"),
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
