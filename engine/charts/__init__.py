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

The modules, from the frames up:

- ``style``: controllers, palette, Arabic names, font.
- ``frames``: pure polars, the drawable rows (``interval_frame``, ``site_labels``, ...).
- ``ticks``: claim ticks, coarsened to fit.
- ``encodings``: the Altair channels and titles every chart shares.
- ``layers``: control bars and claim ticks on a site's row.
- ``timeline``, ``swings``, ``maps``: the charts.
- ``targets``: what ``tadmur chart SITE_OR_REGION`` names and draws.
- ``save``: writing HTML, SVG or PNG.

Example:
    >>> import datetime as dt
    >>> import polars as pl
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

from engine.charts.frames import MAX_ROWS, controller_key, fit_rows, interval_frame, site_labels
from engine.charts.maps import map_chart, map_series_chart, region_outline, spread_piles
from engine.charts.save import save_chart
from engine.charts.style import PALETTE, SIEGE_COLOUR
from engine.charts.swings import swings_chart
from engine.charts.targets import chart_for, sites_for
from engine.charts.ticks import TICK_LIMIT, claim_ticks
from engine.charts.timeline import timeline_chart

__all__ = [
    "MAX_ROWS",
    "PALETTE",
    "SIEGE_COLOUR",
    "TICK_LIMIT",
    "chart_for",
    "claim_ticks",
    "controller_key",
    "fit_rows",
    "interval_frame",
    "map_chart",
    "map_series_chart",
    "region_outline",
    "save_chart",
    "site_labels",
    "sites_for",
    "spread_piles",
    "swings_chart",
    "timeline_chart",
]
