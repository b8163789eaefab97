"""A JupyterChart whose data can be replaced in the browser without re-embedding it.

The chart spec is built and validated once; afterwards :func:`send` hands new rows for
its named datasets to the Vega view already on screen (JupyterChart's ``_py_to_js_updates``
channel: the view swaps the rows and re-runs its dataflow), and parameters move through
``chart.params``. The zoom, the clicked bar and the widget stay as they are.
"""

from __future__ import annotations

from functools import cache

import altair as alt


@cache
def enable_offline() -> None:
    """Make every JupyterChart load Vega from vl-convert's bundle, not from a CDN."""
    alt.JupyterChart.enable_offline()


def live_chart(chart: alt.TopLevelMixin) -> alt.JupyterChart:
    """An offline JupyterChart drawing SVG (so tests can read its marks)."""
    enable_offline()
    return alt.JupyterChart(chart, embed_options={"renderer": "svg", "actions": False})


def send(chart: alt.JupyterChart, values: dict[str, list[dict]]) -> None:
    """Replace the rows of the named datasets ``values`` in the chart on screen.

    The spec the model holds is updated in place too (without a sync, which would make
    the browser re-embed), so a view created later (a reload, a second display) starts
    from the current rows.
    """
    datasets = chart.spec.setdefault("datasets", {})
    changed = [
        {"namespace": "data", "name": name, "scope": [], "value": rows}
        for name, rows in values.items()
        if datasets.get(name) != rows
    ]
    if not changed:
        return
    for update in changed:
        datasets[update["name"]] = update["value"]
    chart._py_to_js_updates = changed


__all__ = ["enable_offline", "live_chart", "send"]
