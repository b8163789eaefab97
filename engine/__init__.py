"""Tadmur: Arabic war reporting -> an append-only claim log -> control timelines.

The front door: the names most work needs, imported on first use, so ``import engine``
(and ``tadmur --help``, which reads ``__version__``) loads nothing heavy.

>>> from engine import Policy, replay_log
>>> replayed = replay_log(Policy(distrust={"reference"}))
>>> replayed.timelines.intervals.filter(site_id="palmyra").height > 0
True

``__version__`` comes from :mod:`engine.version`, the one place it is written.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from engine.version import __version__

#: public name -> the module that defines it, imported the first time the name is used
_PUBLIC = {
    # the log as the project keeps it, replayed under a policy
    "replay_log": "engine.project",
    "Replayed": "engine.project",
    "Policy": "engine.domain.policy",
    # the pure core: claim events in, timelines out
    "replay": "engine.domain.replay",
    "Timelines": "engine.domain.timelines",
    "resolve_claims": "engine.domain.claims",
    "EncodedEvents": "engine.domain.encoding",
    "TadmurError": "engine.domain.errors",
    # the log itself
    "open_log": "engine.store.log",
    "EventLog": "engine.store.log",
    # charts and the explorer
    "timeline_chart": "engine.charts",
    "swings_chart": "engine.charts",
    "map_chart": "engine.charts",
    "save_chart": "engine.charts",
    "Explorer": "engine.explore",
    # synthetic logs, and the replay of a log partitioned by site (in one process or on Ray)
    "synth_claim_events": "engine.synth",
    "write_synth_log": "engine.synth",
    "replay_partitioned": "engine.partitioned",
    "replay_on_ray": "engine.partitioned",
}
#: the packages a newcomer reaches for by name (``engine.charts``, ``engine.synth``...)
_SUBMODULES = ("charts", "domain", "explore", "extract", "partitioned", "store", "synth")

#: every name of the front door (a test checks it against the two tables above)
__all__ = [
    "EncodedEvents",
    "EventLog",
    "Explorer",
    "Policy",
    "Replayed",
    "TadmurError",
    "Timelines",
    "__version__",
    "charts",
    "domain",
    "explore",
    "extract",
    "map_chart",
    "open_log",
    "partitioned",
    "replay",
    "replay_log",
    "replay_on_ray",
    "replay_partitioned",
    "resolve_claims",
    "save_chart",
    "store",
    "swings_chart",
    "synth",
    "synth_claim_events",
    "timeline_chart",
    "write_synth_log",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and editors see; at run time, __getattr__ above
    from engine import charts, domain, explore, extract, partitioned, store, synth
    from engine.charts import map_chart, save_chart, swings_chart, timeline_chart
    from engine.domain.claims import resolve_claims
    from engine.domain.encoding import EncodedEvents
    from engine.domain.errors import TadmurError
    from engine.domain.policy import Policy
    from engine.domain.replay import replay
    from engine.domain.timelines import Timelines
    from engine.explore import Explorer
    from engine.partitioned import replay_on_ray, replay_partitioned
    from engine.project import Replayed, replay_log
    from engine.store.log import EventLog, open_log
    from engine.synth import synth_claim_events, write_synth_log
