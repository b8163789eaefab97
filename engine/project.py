"""The project's log, replayed: the one call notebooks, charts and the CLI share.

>>> replayed = replay_log()
>>> replayed.head.seq > 0 and "seq" in replayed.caption()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from engine.domain import Policy, Timelines, replay
from engine.store import LogHead, TornTailRepair, open_log
from engine.store.frames import claim_events_frame


@dataclass(frozen=True)
class Replayed:
    """Timelines together with the log head and policy that produced them."""

    timelines: Timelines
    head: LogHead
    policy: Policy
    claim_events: pl.DataFrame
    #: torn tails this read moved aside (reported by the CLI)
    repairs: tuple[TornTailRepair, ...] = ()

    def caption(self) -> str:
        """What a figure needs to be rebuilt exactly: log seq, short hash, policy."""
        return f"log seq {self.head.seq} · {self.head.short} · {self.policy.describe()}"

    def with_policy(self, policy: Policy) -> Replayed:
        """Replay the same log under another policy (no disk access)."""
        return Replayed(replay(self.claim_events, policy), self.head, policy, self.claim_events)


def replay_log(policy: Policy | None = None, log_dir: Path | str | None = None) -> Replayed:
    """Read the log (default: the project's ``events/``) and replay it under ``policy``."""
    policy = policy or Policy()
    log = open_log(log_dir)
    logged = log.events()
    # the head of the same read, so the caption matches the events replayed
    head = LogHead(logged[-1].seq, logged[-1].hash) if logged else LogHead(0, "0" * 64)
    events = claim_events_frame(logged)
    return Replayed(replay(events, policy), head, policy, events, tuple(log.repairs))
