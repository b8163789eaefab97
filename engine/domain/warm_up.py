"""Fill numba's cache before anyone waits for it: ``make`` runs :func:`compile_passes`.

Kept apart from :mod:`engine.domain.passes` because it drives a whole replay, which
itself uses the passes.
"""

from __future__ import annotations

from engine.domain import passes
from engine.domain.encoding import EncodedEvents
from engine.domain.policy import Policy
from engine.domain.replay import replay
from engine.domain.replay_weighed import weighed_timelines
from engine.domain.testing import claim_events


def compile_passes() -> None:
    """Compile every pass (or load it from numba's cache) by replaying a small log with
    the compiled passes, so the first large replay does not compile.

    The arrays a replay hands the passes have the same types whatever the log's size,
    so a small replay compiles what every later one loads."""
    events = claim_events([
        {"claim_id": "c1", "site_id": "palmyra", "gainer": "isis", "loser": "government",
         "valid_from": "2015-05-20", "valid_to": "2015-05-21"},
        {"claim_id": "c2", "site_id": "palmyra", "kind": "besieged", "gainer": "government"},
        {"claim_id": "c3", "site_id": "arak", "kind": "partial", "gainer": "isis"},
        {"event": "corrected", "claim_id": "c3", "site_id": "arak", "gainer": "government",
         "valid_from": "2016-01-02", "valid_to": "2016-01-03"},
    ])  # fmt: skip
    saved, passes.COMPILE_FROM = passes.COMPILE_FROM, 0
    try:
        replay(events, Policy(mode="strict"))
    finally:
        passes.COMPILE_FROM = saved
    # the weighed mode's compiled fold (engine.domain.weighing_passes), forced on
    weighed_timelines(EncodedEvents.of(events), Policy(), compiled=True)
