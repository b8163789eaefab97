"""The interactive explorer and the map player: the only package that imports ipywidgets.

- ``live``: a JupyterChart built once whose rows are replaced in the browser.
- ``tables``: the claims table and the highlighted article (HTML).
- ``explorer``: :class:`Explorer`, policies replayed live over a fixed timeline.
- ``map_player``: :class:`MapPlayer`, control on a map month by month.

Everything renders offline: charts are ``alt.JupyterChart`` widgets whose JavaScript
comes from vl-convert (``enable_offline``), never from a CDN.
"""

from engine.explore.explorer import CAMPS, Explorer, chart_command, explore
from engine.explore.live import enable_offline, live_chart, send
from engine.explore.map_player import MapPlayer, month_starts
from engine.explore.tables import TABLE_ROWS, claims_table_html, evidence_html

__all__ = [
    "CAMPS",
    "TABLE_ROWS",
    "Explorer",
    "MapPlayer",
    "chart_command",
    "claims_table_html",
    "enable_offline",
    "evidence_html",
    "explore",
    "live_chart",
    "month_starts",
    "send",
]
