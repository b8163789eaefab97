"""The project's log, replayed: the one call notebooks, charts and the CLI share.

>>> replayed = replay_log()
>>> replayed.head.seq > 0 and "seq" in replayed.caption()
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from engine.domain import Policy
from engine.store import LogHead, TornTailRepair, default_log_dir, require_log

if TYPE_CHECKING:
    import polars as pl

    from engine.domain import EncodedEvents, Timelines
    from engine.store.result_cache import KeptAnswer, ResultKey


class Replayed:
    """Timelines together with the log head and policy that produced them.

    Attributes:
        timelines: the replay's tables.
        head: the log head the events reach.
        policy: the policy replayed.
        repairs: torn tails this read moved aside (reported by the CLI).
        kept: the tables were read back from the result cache, not replayed now.
    """

    __slots__ = ("_encoded", "head", "kept", "policy", "repairs", "timelines")

    def __init__(
        self,
        timelines: Timelines,
        head: LogHead,
        policy: Policy,
        encoded: EncodedEvents | Callable[[], EncodedEvents],
        repairs: tuple[TornTailRepair, ...] = (),
        kept: bool = False,
    ) -> None:
        self.timelines = timelines
        self.head = head
        self.policy = policy
        self.repairs = repairs
        self.kept = kept
        # a kept answer reads the events only when something asks for them
        self._encoded = encoded

    @property
    def encoded(self) -> EncodedEvents:
        """The events read, encoded once: every other policy replays them without re-encoding."""
        if callable(self._encoded):
            self._encoded = self._encoded()
        return self._encoded

    @property
    def claim_events(self) -> pl.DataFrame:
        """The ``claim_events`` frame that was read."""
        return self.encoded.source

    def caption(self) -> str:
        """What a figure needs to be rebuilt exactly: log seq, short hash, policy."""
        return f"log seq {self.head.seq} · {self.head.short} · {self.policy.describe()}"

    def with_policy(self, policy: Policy) -> Replayed:
        """Replay the same log under another policy (no disk access)."""
        from engine.domain.replay import replay

        return Replayed(replay(self.encoded, policy), self.head, policy, self.encoded)


def replay_log(
    policy: Policy | None = None, log_dir: Path | str | None = None, *, cache: bool = True
) -> Replayed:
    """Read the log (default: the project's ``events/``) and replay it under ``policy``.

    The read checks every line as the store's reader does (form, hash, event id, types,
    rules, chain: :func:`engine.store.read.load_claim_events`, a block at a time, on every
    core for a big log; a torn tail is moved aside and reported in ``repairs``), or takes
    the Parquet snapshot such a read left under ``<log>/.cache/`` for these very bytes (a
    read-only folder just gets none). The events are encoded once per snapshot: a repeated
    call reads the encoding from it (:func:`engine.store.encoded_snapshot.load_encoded`).

    The answer itself is kept too (:mod:`engine.store.result_cache`), bound to the
    snapshot's digest of these bytes, every field of the policy and the replay's code:
    the same question on an unchanged log reads the ``intervals`` and ``swings`` tables
    back and reads the events (and replays, for ``claims`` or an explanation) only when
    something asks for them. ``cache=False`` neither reads nor keeps an answer.
    """
    policy = policy or Policy()
    root = Path(log_dir) if log_dir is not None else default_log_dir()
    require_log(root)  # a mistyped folder is an error, never an empty timeline
    if not cache:
        return _replay_now(root, policy)
    from engine.store.result_cache import read_result, result_key, write_result

    schemas = _table_schemas()
    before = result_key(root, policy, schemas)
    answer = read_result(root, before, schemas) if before is not None else None
    intervals = answer.table("intervals") if answer is not None else None
    if before is not None and answer is not None and intervals is not None:
        return _kept(root, policy, before, answer, intervals)
    replayed = _replay_now(root, policy)
    after = result_key(root, policy, schemas)
    # kept only for events that are the snapshot's: read from it, or written by this read
    # (a snapshot that moved on during the read is another key: nothing kept)
    if (
        after is not None
        and after.head == replayed.head
        and not replayed.repairs
        and (before is None or before == after)
    ):
        write_result(root, after, {name: getattr(replayed.timelines, name) for name in schemas})
    return replayed


def _replay_now(root: Path, policy: Policy) -> Replayed:
    from engine.domain.replay import replay
    from engine.store.encoded_snapshot import load_encoded
    from engine.store.read import load_claim_events

    loaded = load_claim_events(root, check="full")
    encoded = load_encoded(root, loaded)  # kept in the snapshot: an unchanged log is not re-encoded
    # the head comes from the same read, so the caption matches the events replayed
    return Replayed(replay(encoded, policy), loaded.head, policy, encoded, loaded.repairs)


def _table_schemas() -> dict[str, pl.Schema]:
    from engine.domain.schema import INTERVALS, SWINGS, polars_schema

    return {"intervals": polars_schema(INTERVALS), "swings": polars_schema(SWINGS)}


def _kept(
    root: Path, policy: Policy, key: ResultKey, answer: KeptAnswer, intervals: pl.DataFrame
) -> Replayed:
    """A replay answered from a kept entry: its intervals now, its swings when asked for;
    the claims, the explanations' folds and the encoded events come from a replay made
    on first use (same log, same policy), as do swings the entry cannot vouch for."""
    from engine.domain import Timelines
    from engine.store.result_cache import write_result

    @functools.cache
    def now() -> Replayed:
        replayed = _replay_now(root, policy)
        if replayed.head != key.head:
            from engine.domain.errors import TadmurError

            raise TadmurError(
                f"the log moved on from seq {key.head.seq} to {replayed.head.seq} "
                "since these timelines were read",
                where=str(root),
                hint="call replay_log again for the log as it is now",
            )
        return replayed

    def swings() -> pl.DataFrame:
        kept = answer.table("swings")
        if kept is not None:
            return kept
        replayed = now()  # damaged since the entry was read: replay, and keep it whole again
        write_result(
            root, key, {name: getattr(replayed.timelines, name) for name in answer.schemas}
        )
        return replayed.timelines.swings

    timelines = Timelines(
        claims=lambda: now().timelines.claims,
        intervals=intervals,
        swings=swings,
        policy=policy,
        folds=_OnFirstUse(lambda: now().timelines._folds),
    )
    return Replayed(timelines, key.head, policy, lambda: now().encoded, kept=True)


class _OnFirstUse(Mapping):
    """A mapping made by ``make`` when first read."""

    def __init__(self, make: Callable[[], Mapping]) -> None:
        self._make = make

    @functools.cached_property
    def _made(self) -> Mapping:
        return self._make()

    def __getitem__(self, key):
        return self._made[key]

    def __iter__(self) -> Iterator:
        return iter(self._made)

    def __len__(self) -> int:
        return len(self._made)
