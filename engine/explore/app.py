"""The explorer as a web page, served by Solara (``tadmur explore``).

Solara imports this module and renders :func:`Page` once per browser session. The log
folder and the first sites come from the environment, set by ``engine.explore.serve``:
``TADMUR_EXPLORE_LOG`` (empty: the embedded log) and ``TADMUR_EXPLORE_TARGET``.
"""

from __future__ import annotations

import os

import solara

from engine.explore.explorer import Explorer
from engine.project import replay_log


def _explorer() -> Explorer:
    log_dir = os.environ.get("TADMUR_EXPLORE_LOG") or None
    target = os.environ.get("TADMUR_EXPLORE_TARGET") or "palmyra"
    return Explorer(replay_log(log_dir=log_dir), target=target)


@solara.component
def Page():
    """One explorer per session (built once, kept across re-renders)."""
    explorer = solara.use_memo(_explorer, dependencies=[])
    solara.Title("Tadmur explorer")
    solara.display(explorer.widget)
