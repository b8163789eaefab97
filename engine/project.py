"""The project's log, replayed: the one call notebooks, charts and the CLI share.

>>> replayed = replay_log()
>>> replayed.head.seq > 0 and "seq" in replayed.caption()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from engine.domain import EncodedEvents, Policy, Timelines, replay
from engine.store import LogHead, TornTailRepair, default_log_dir, require_log
from engine.store.encoded_snapshot import load_encoded
from engine.store.read import load_claim_events


@dataclass(frozen=True)
class Replayed:
    """Timelines together with the log head and policy that produced them."""

    timelines: Timelines
    head: LogHead
    policy: Policy
    #: the events read, encoded once: every other policy replays them without re-encoding
    encoded: EncodedEvents
    #: torn tails this read moved aside (reported by the CLI)
    repairs: tuple[TornTailRepair, ...] = ()

    @property
    def claim_events(self) -> pl.DataFrame:
        """The ``claim_events`` frame that was read."""
        return self.encoded.source

    def caption(self) -> str:
        """What a figure needs to be rebuilt exactly: log seq, short hash, policy."""
        return f"log seq {self.head.seq} · {self.head.short} · {self.policy.describe()}"

    def with_policy(self, policy: Policy) -> Replayed:
        """Replay the same log under another policy (no disk access)."""
        return Replayed(replay(self.encoded, policy), self.head, policy, self.encoded)


def replay_log(policy: Policy | None = None, log_dir: Path | str | None = None) -> Replayed:
    """Read the log (default: the project's ``events/``) and replay it under ``policy``.

    The read checks every line as the store's reader does (form, hash, event id, types,
    rules, chain: :func:`engine.store.read.load_claim_events`, a block at a time, on every
    core for a big log; a torn tail is moved aside and reported in ``repairs``), or takes
    the Parquet snapshot such a read left under ``<log>/.cache/`` for these very bytes (a
    read-only folder just gets none). The events are encoded once per snapshot: a repeated
    call reads the encoding from it (:func:`engine.store.encoded_snapshot.load_encoded`).
    """
    policy = policy or Policy()
    root = log_dir if log_dir is not None else default_log_dir()
    require_log(root)  # a mistyped folder is an error, never an empty timeline
    loaded = load_claim_events(root, check="full")
    encoded = load_encoded(root, loaded)  # kept in the snapshot: an unchanged log is not re-encoded
    # the head comes from the same read, so the caption matches the events replayed
    return Replayed(replay(encoded, policy), loaded.head, policy, encoded, loaded.repairs)
