"""A replay policy: which claims to believe, and what was known when.

Two time axes, never mixed: ``as_of_seq`` cuts the log (knowledge time of the record,
including retractions and corrections), ``known_by`` keeps only claims from documents
published by that day (what anyone could have known then). Valid time is what the
claims are about, and is only ever sorted on in the replay.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields

import polars as pl

from engine.domain.errors import PolicyError
from engine.domain.vocabulary import REPLAY_MODES


@dataclass(frozen=True)
class Policy:
    """Which claims a replay believes.

    Args:
        as_of_seq: replay only log events with ``seq <= as_of_seq``.
        known_by: keep claims from documents published on or before this day.
        trust: if given, only these claimants are believed.
        distrust: claimants never believed (applied after ``trust``).
        include_denied: also believe claims the text reports as denied.
        min_confidence: drop claims below this extractor confidence.
        include_candidates: also believe machine-extracted claims nobody reviewed yet
            (rejected ones are never believed).
        weights: how much each claimant's word weighs (default 1 each) in the weighed
            mode; 0 hears a claimant without believing it.
        mode: ``"weighed"`` (default: claims weighed as an analyst would, see
            :mod:`engine.domain.weighing`) or ``"strict"`` (the first version's rules:
            any disagreement is a contest until the next swing; for teaching).

    Example:
        >>> Policy(distrust=frozenset({"amaq"}), known_by=dt.date(2016, 12, 12)).describe()
        'known by 2016-12-12 · not amaq'
    """

    as_of_seq: int | None = None
    known_by: dt.date | None = None
    trust: frozenset[str] | None = None
    distrust: frozenset[str] = field(default_factory=frozenset)
    include_denied: bool = False
    min_confidence: float = 0.0
    include_candidates: bool = False
    weights: Mapping[str, float] = field(default_factory=dict)
    mode: str = "weighed"

    def __post_init__(self) -> None:
        if self.mode not in REPLAY_MODES:
            raise PolicyError(f"mode must be one of {', '.join(REPLAY_MODES)}, found {self.mode!r}",
                              hint="'strict' is the first version's rules, kept for teaching")
        bad = {name: w for name, w in dict(self.weights).items()
               if not isinstance(w, int | float) or not 0 <= w <= 100}
        if bad:
            raise PolicyError(f"claimant weights must be numbers from 0 to 100, found {bad}",
                              hint="1 is an ordinary voice, 0 hears a claimant without believing it")
        # frozen and hashable: the weights as a sorted tuple of pairs behind a mapping
        object.__setattr__(self, "weights", _Weights(dict(self.weights)))
        if self.as_of_seq is not None and self.as_of_seq < 0:
            raise PolicyError(f"as_of_seq must be >= 0, found {self.as_of_seq}",
                              hint="seq 0 is the empty log")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise PolicyError(f"min_confidence must be in [0, 1], found {self.min_confidence}",
                              hint="1.0 keeps only hand-checked claims")
        for name in ("trust", "distrust"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, frozenset):
                object.__setattr__(self, name, frozenset(value))

    def describe(self) -> str:
        """A short human label, used in chart subtitles."""
        parts = []
        if self.as_of_seq is not None:
            parts.append(f"as of seq {self.as_of_seq}")
        if self.known_by is not None:
            parts.append(f"known by {self.known_by.isoformat()}")
        parts.append("only " + ",".join(sorted(self.trust)) if self.trust is not None else "")
        if self.distrust:
            parts.append("not " + ",".join(sorted(self.distrust)))
        if self.include_denied:
            parts.append("with denied")
        if self.min_confidence > 0:
            parts.append(f"confidence ≥ {self.min_confidence:g}")
        if self.include_candidates:
            parts.append("with unreviewed candidates")
        if self.weights:
            parts.append("weights " + ",".join(f"{k}={v:g}" for k, v in self.weights.items()))
        if self.mode != "weighed":
            parts.append(self.mode)
        text = " · ".join(p for p in parts if p)
        return text or "all claimants"

    def claim_filter(self, claimant_values: Callable[[frozenset[str]], list] = sorted,
                     published: pl.Expr | None = None) -> pl.Expr:
        """The belief filter over effective claims (knowledge-time cut excluded).

        ``claimant_values`` maps claimant names to what the ``claimant`` column holds
        (the names themselves, or the replay's integer codes); ``published`` is the
        publication date (default: the ``published_date`` column).
        """
        published = pl.col("published_date") if published is None else published
        keep = pl.lit(True)
        if self.known_by is not None:
            keep &= published <= pl.lit(self.known_by)
        if self.trust is not None:
            keep &= pl.col("claimant").is_in(claimant_values(self.trust))
        if self.distrust:
            keep &= ~pl.col("claimant").is_in(claimant_values(self.distrust))
        if not self.include_denied:
            keep &= ~pl.col("denied")
        if self.min_confidence > 0:
            keep &= pl.col("confidence") >= self.min_confidence
        return keep


def build_policy(base: Policy | None = None, *, claimants: Collection[str] | None = None,
                 option_names: Mapping[str, str] | None = None, **changes) -> Policy:
    """A policy from a person's choices: the one builder of ``tadmur``'s options and the
    explorer's controls, so both refuse the same mistakes the same way.

    Args:
        base: the policy the choices modify (default: ``Policy()``).
        claimants: the known claimant ids; a name in ``trust``, ``distrust`` or
            ``weights`` outside them is refused, with the closest names as a hint.
        option_names: how the person wrote each field (``{"trust": "--trust"}``), named
            in the error.
        **changes: :class:`Policy` fields; ``trust`` and ``distrust`` take any iterable.

    Example:
        >>> build_policy(distrust=["amaq"], claimants={"amaq", "sana"}).describe()
        'not amaq'
        >>> build_policy(trust=["amak"], claimants={"amaq", "sana"}, option_names={"trust": "--trust"})
        Traceback (most recent call last):
        ...
        engine.domain.errors.PolicyError: unknown claimant 'amak' (at --trust). Hint: did you mean amaq? claimants are listed in engine/reference/claimants.csv
    """
    chosen = {f.name: getattr(base or Policy(), f.name) for f in fields(Policy)} | changes
    for name in ("trust", "distrust"):
        if chosen[name] is not None:
            chosen[name] = frozenset(chosen[name])
    if claimants is not None:
        known = sorted(claimants)
        for name in ("trust", "distrust", "weights"):
            for claimant in sorted(set(chosen[name] or ()) - set(known)):
                close = difflib.get_close_matches(claimant, known, n=3)
                raise PolicyError(f"unknown claimant {claimant!r}",
                                  where=(option_names or {}).get(name, name),
                                  hint=(f"did you mean {' or '.join(close)}? " if close else "")
                                  + "claimants are listed in engine/reference/claimants.csv")
    return Policy(**chosen)


class _Weights(dict):
    """Claimant weights, sorted by name; hashable and read-only (a policy is a value)."""

    def __init__(self, weights: dict[str, float]) -> None:
        super().__init__(sorted(weights.items()))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))

    def _refuse(self, *args, **kwargs):
        raise TypeError("a policy's weights are read-only: make a new Policy")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _refuse  # type: ignore[assignment]
