"""The weighed replay: believed claims -> timelines, as an analyst reads noisy reporting.

This module is the specification of the default replay mode (``Policy(mode="weighed")``),
written to be read: one fold per site over plain records. ``docs/replay.md`` states the
same rules in words, with the worked example of Palmyra in December 2016.

Per site, in valid time:

1. **Weight.** A claim weighs its claimant's weight (``Policy.weights``, default 1) times
   its confidence. Copies are one **voice**: claims of one site, kind and gainer that
   quote the same words, or that a named source (anyone but the outlet itself) dates the
   same, share one weight (the largest), split between them.
2. **Dated or retrospective.** A claim is *dated* when its window is at most
   :data:`DATED_WIDTH_DAYS` wide, ends at most :data:`DATED_LAG_DAYS` before its
   document's publication and is not a ``fallback`` window (one guessed from the
   publication day). Only dated claims say *when*. A retrospective claim confirms who
   held the site; it creates a swing only where no dated transition speaks (its window
   overlaps none), and a fallback-dated claim never creates one.
3. **Runs.** The transitions (``captured``/``withdrew``) that may say when, ordered by
   the day by which they say the change had happened (``valid_to``), form runs of
   consecutive claims naming one gainer. A run weighs its voices, less the weight of
   denials of the same change that overlap it.
4. **Dissent.** A run weighing at most :data:`CONTEST_RATIO` times a near-simultaneous
   neighbour (windows within :data:`NEAR_DAYS`) is overruled, weakest first: its claims
   become **dissents**, listed on the interval they disagree with, never hidden.
5. **Contest.** Neighbouring near-simultaneous runs that survive (comparably strong) are a
   **contest**: the site is contested over their windows, and afterwards held by the
   last run's gainer; later evidence that agrees is a confirmation, not a swing.
6. **Swings.** A surviving run naming a new holder is a swing, dated by its strongest
   burst of near reports (on a tie, the later): the common days of the reports overlapping
   its most precise one, else their span. A weaker burst before it was premature (a
   dissent); later reports confirm, except after a **lapse**: a later burst whose first
   report is dated, names the side the site is taken from and begins more than
   :data:`LAPSE_DAYS` after every earlier report says that side had taken the site back,
   unreported: a swing to it over the days between, then this run's swing again.
7. **Partial advances** (dated ones) contest the site from their window until the next
   word on who holds it: a capture by either side, or a report confirming the holder.
8. **Sieges.** The besieged side (``loser``) holds a besieged site; the siege lasts from
   its window until ``siege_broken``, or a change of hands, and shows under any holder.
9. **Open start.** Before the first evidence, the side it shows losing (a swing's loser,
   a partial's, a siege's or a broken siege's besieged side) held the site: an interval
   with an open start.

Every claim gets a **role** (why it counts as it does), which :func:`explain_site`
and ``tadmur explain`` show; every interval a **support**: the weight that agrees with
it over the weight that agrees or dissents.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

#: a window at most this wide (days) says when a change happened
DATED_WIDTH_DAYS = 31
#: a window ending at most this long before publication is a report, not a back-reference
DATED_LAG_DAYS = 31
#: windows this close (days) are near-simultaneous
NEAR_DAYS = 3
#: a dated capture this long (days) after the last report of the same gainer taking the
#: site says its loser had taken the site back in between
LAPSE_DAYS = 31
#: a run weighing at most this share of a near neighbour is overruled (two voices
#: against one: a dissent); more, and the two contest the site
CONTEST_RATIO = 0.5
#: the time_precision of a window guessed from the publication day
FALLBACK = "fallback"

TRANSITIONS = ("captured", "withdrew")
UNKNOWN = "unknown"


@dataclass
class Claim:
    """One believed claim, as the fold reads it (dates as ``datetime.date``)."""

    claim_id: str
    seq: int
    site_id: str
    kind: str
    gainer: str | None
    loser: str | None
    valid_from: dt.date
    valid_to: dt.date
    time_precision: str | None
    published: dt.date | None
    claimant: str
    denied: bool
    weight: float
    evidence: str = ""
    role: str = ""
    share: float = 0.0  # its part of its voice's weight, set by :func:`split_voices`
    voice: str = ""  # the claim id of the first copy of its voice

    @property
    def dated(self) -> bool:
        width = (self.valid_to - self.valid_from).days + 1
        lag = (self.published - self.valid_to).days if self.published else 0
        return (
            self.time_precision != FALLBACK and width <= DATED_WIDTH_DAYS and lag <= DATED_LAG_DAYS
        )


@dataclass
class Run:
    """Consecutive transitions (by ``valid_to``) naming one gainer."""

    gainer: str
    claims: list[Claim] = field(default_factory=list)
    against: float = 0.0  # weight of denials of this change overlapping it
    #: a run that takes the site again after a lapse (rule 6): the side its first claim
    #: takes it from, and the days in which that side had taken it back
    lapse: tuple[str, dt.date, dt.date] | None = None

    def __post_init__(self) -> None:
        self.first = min(c.valid_from for c in self.claims)
        self.last = max(c.valid_to for c in self.claims)
        self.said = sum(c.share for c in self.claims)

    def add(self, claims: list[Claim], against: float = 0.0) -> None:
        self.claims += claims
        self.first = min([self.first] + [c.valid_from for c in claims])
        self.last = max([self.last] + [c.valid_to for c in claims])
        self.said += sum(c.share for c in claims)
        self.against += against

    @property
    def weight(self) -> float:
        return max(0.0, self.said - self.against)

    def near(self, other: Run) -> bool:
        gap = dt.timedelta(days=NEAR_DAYS)
        return self.first <= other.last + gap and other.first <= self.last + gap

    def claims_near(self, other: Run) -> list[Claim]:
        gap = dt.timedelta(days=NEAR_DAYS)
        return [
            c
            for c in self.claims
            if c.valid_from <= other.last + gap and other.first <= c.valid_to + gap
        ]

    def weight_near(self, other: Run) -> float:
        """The weight of this run's claims near ``other``'s days: a neighbour is weighed
        by what it says at the same time, not by its later confirmations."""
        return max(0.0, sum(c.share for c in self.claims_near(other)) - self.against)


@dataclass
class Interval:
    """A span of one (controller, status), as the fold builds it."""

    controller: str
    status: str
    start_earliest: dt.date | None
    start_latest: dt.date | None
    open_start: bool = False
    siege: bool = False  # under siege, whatever the status shows
    support: list[Claim] = field(default_factory=list)
    dissent: list[Claim] = field(default_factory=list)
    rule: str = ""


@dataclass
class Swing:
    from_controller: str | None
    to_controller: str
    window_start: dt.date
    window_end: dt.date
    claims: list[Claim]
    dissent: list[Claim]


@dataclass
class SiteTimeline:
    site_id: str
    intervals: list[Interval]
    swings: list[Swing]
    claims: list[Claim]


# ---------------------------------------------------------------- 1. voices


def split_voices(claims: list[Claim]) -> None:
    """Give each claim its ``share`` of its voice's weight (rule 1)."""
    voices: dict[tuple, list[Claim]] = defaultdict(list)
    for c in sorted(claims, key=lambda c: c.seq):
        voices[_voice_key(c)].append(c)
    for copies in voices.values():
        weight = max(c.weight for c in copies)
        for c in copies:
            c.share, c.voice = weight / len(copies), copies[0].claim_id
            if c is not copies[0]:
                c.role = f"a copy of {copies[0].claim_id} (one voice)"


def _voice_key(c: Claim) -> tuple:
    said = (c.site_id, c.kind, c.gainer, c.denied)
    if c.claimant != "outlet":  # a named source dating the same change is one voice
        return (*said, "source", c.claimant, c.valid_from, c.valid_to)
    words = _words(c.evidence)
    return (*said, "words", words) if words else (*said, "claim", c.claim_id)


@lru_cache(maxsize=65536)
def _words(text: str) -> str:
    """A quote without punctuation and spacing: reprints differ in little else."""
    return " ".join(_WORDS.findall(text))


_WORDS = re.compile(r"\w+")
_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------- the fold


def fold_site(site_id: str, claims: list[Claim]) -> SiteTimeline:
    """The weighed timeline of one site from its believed claims (rules 1-9).

    >>> d = dt.date
    >>> def claim(i, gainer, day, claimant="outlet", loser="government"):
    ...     return Claim(f"c{i}", i, "x", "captured", gainer, loser, day, day, "day",
    ...                  day, claimant, False, 1.0, evidence=f"text {i}")
    >>> timeline = fold_site("x", [claim(1, "isis", d(2016, 12, 11)),
    ...     claim(2, "isis", d(2016, 12, 11), "amaq"),
    ...     claim(3, "government", d(2016, 12, 11), "russian_mod", loser="isis")])
    >>> [(i.controller, i.status, i.open_start) for i in timeline.intervals]
    [('government', 'held', True), ('isis', 'held', False)]
    >>> [c.claim_id for c in timeline.intervals[1].dissent]
    ['c3']
    """
    claims = sorted(claims, key=lambda c: c.seq)
    split_voices(claims)
    dated = [c for c in claims if c.kind in TRANSITIONS and c.dated and not c.denied]
    denials = [c for c in claims if c.kind in TRANSITIONS and c.denied]
    backward = [c for c in claims if c.kind in TRANSITIONS and not c.dated and not c.denied]
    # rule 2: a back-reference speaks of when only where nothing dated does
    overlaps_dated = _overlap_finder(dated)
    speaking = dated + [
        c for c in backward if c.time_precision != FALLBACK and not overlaps_dated(c)
    ]
    for c in speaking:
        if not c.dated:
            c.role = c.role or "back-reference where nothing dated speaks: dates the change"
    partials = [c for c in claims if c.kind == "partial" and c.dated and not c.denied]
    runs = _runs(speaking, denials, partials)
    dissent = _overrule(runs)
    runs = [piece for run in runs for piece in _split_lapses(run, denials)]
    groups = _contests(runs)
    markers = _transition_markers(groups, dissent)
    markers += _partial_markers(partials)
    markers += _siege_markers(claims)
    intervals, swings = _walk(markers)
    if not intervals:
        intervals = _held_by_undated(claims)
    _attach(intervals, swings, markers, claims, dissent, speaking)
    return SiteTimeline(site_id, intervals, swings, claims)


def _held_by_undated(claims: list[Claim]) -> list[Interval]:
    """A site that only fallback-dated claims speak of: held, by their publication, by
    the gainer they weigh most for; when it began is unknown."""
    weights: dict[str, float] = defaultdict(float)
    for c in claims:
        if c.kind in TRANSITIONS and not c.denied and c.gainer not in (None, UNKNOWN):
            weights[c.gainer] += c.share
    if not weights:
        partial = [c for c in claims if c.kind == "partial" and not c.denied]
        return (
            [
                Interval(
                    UNKNOWN,
                    "contested",
                    None,
                    min(c.valid_to for c in partial),
                    rule="undated reports of a partial advance; no holder named",
                )
            ]
            if partial
            else []
        )
    gainer = min(weights, key=lambda a: (-weights[a], a))
    by = min(c.valid_to for c in claims if c.gainer == gainer and c.kind in TRANSITIONS)
    return [
        Interval(
            gainer,
            "held",
            None,
            by,
            rule="held by then, as undated reports say; when it began is unknown",
        )
    ]


def _overlap_finder(windows: list[Claim]):
    """A test: does a claim's window overlap any of ``windows``? (sorted starts and the
    running latest end: a binary search, not a scan)"""
    ordered = sorted(windows, key=lambda c: c.valid_from)
    starts = [c.valid_from for c in ordered]
    reach, latest = [], None
    for c in ordered:
        latest = c.valid_to if latest is None else max(latest, c.valid_to)
        reach.append(latest)

    def overlaps(c: Claim) -> bool:
        k = bisect.bisect_right(starts, c.valid_to)  # windows starting by c's end
        return k > 0 and reach[k - 1] >= c.valid_from

    return overlaps


def _overlap(a: Claim, b: Claim) -> bool:
    return a.valid_from <= b.valid_to and b.valid_from <= a.valid_to


def _runs(transitions: list[Claim], denials: list[Claim], partials: list[Claim]) -> list[Run]:
    """Rule 3: consecutive transitions naming one gainer, by the day they say the change
    had happened by. An unknown gainer ("X withdrew") joins a run of anyone but X. A
    partial advance ends a run: what is said after it answers the contest it opened."""
    runs: list[Run] = []
    separated = False
    said = sorted(transitions + partials, key=lambda c: (c.valid_to, c.valid_from, c.seq))
    for c in said:
        if c.kind == "partial":
            separated = True
            continue
        gainer = c.gainer if c.gainer not in (None, UNKNOWN) else None
        if (
            not separated
            and runs
            and (
                gainer == runs[-1].gainer
                or (gainer is None and runs[-1].gainer not in (c.loser, UNKNOWN))
            )
        ):
            runs[-1].add([c])
        else:
            runs.append(Run(gainer or UNKNOWN, [c]))
        separated = False
    by_gainer: dict[str, list[Claim]] = defaultdict(list)
    for d in denials:
        by_gainer[d.gainer or UNKNOWN].append(d)
    for gainer, denied in by_gainer.items():
        for run in runs:
            if run.gainer == gainer:
                overlapping = _overlap_finder(run.claims)
                run.against += sum(d.share for d in denied if overlapping(d))
    return runs


def _split_lapses(run: Run, denials: list[Claim]) -> list[Run]:
    """Rule 6, a lapse (after rule 4, on the runs that survive it): after the burst of
    reports that dates a run's change (rule 6), a burst whose first report is dated, names
    the side the site is taken from, and begins more than :data:`LAPSE_DAYS` after every
    earlier report of the run, says that side had taken the site back in between
    (unreported). The run is split there: each part a run of its own, weighed against
    the ``denials`` that overlap it; a later part's ``lapse`` is that side and those days.
    (A weaker burst *before* the dating one stays premature.)"""
    bursts = _bursts(run.claims)
    chosen = _strongest(bursts)
    pieces = [[c for burst in bursts[: chosen + 1] for c in burst]]
    lapses: list[tuple[str, dt.date, dt.date] | None] = [None]
    reach = max(c.valid_to for c in pieces[0])
    for burst in bursts[chosen + 1 :]:
        first = burst[0]
        if (
            first.dated
            and first.loser not in (None, UNKNOWN, run.gainer)
            and first.valid_from > reach + dt.timedelta(days=LAPSE_DAYS)
        ):
            pieces.append([])
            lapses.append((first.loser, reach + _DAY, first.valid_from - _DAY))
        pieces[-1] += burst
        reach = max([reach] + [c.valid_to for c in burst])
    if len(pieces) == 1:
        return [run]
    parts = [
        Run(run.gainer, claims, lapse=lapse) for claims, lapse in zip(pieces, lapses, strict=True)
    ]
    for part in parts:
        overlapping = _overlap_finder(part.claims)
        part.against = sum(
            d.share for d in denials if (d.gainer or UNKNOWN) == run.gainer and overlapping(d)
        )
    return parts


def _bursts(claims: list[Claim]) -> list[list[Claim]]:
    """A run's reports in bursts of near windows, by the day they say the change had
    happened by."""
    bursts: list[list[Claim]] = []
    near, reach = dt.timedelta(days=NEAR_DAYS), dt.date.min
    for c in sorted(claims, key=lambda c: (c.valid_to, c.valid_from, c.seq)):
        if bursts and c.valid_from <= reach + near:
            bursts[-1].append(c)
        else:
            bursts.append([c])
        reach = max(reach, c.valid_to) if len(bursts[-1]) > 1 else c.valid_to
    return bursts


def _strongest(bursts: list[list[Claim]]) -> int:
    """The burst that dates a run's change: the strongest, on a tie the later."""
    weights = [sum(c.share for c in burst) for burst in bursts]
    return max(range(len(bursts)), key=lambda i: (weights[i], i))


def _overrule(runs: list[Run]) -> list[Claim]:
    """Rule 4: overrule the weakest run that a near neighbour outweighs, until none is;
    neighbours that then agree merge. Returns the claims overruled (``runs`` keeps the
    others, in order).

    Weakest first, ties by position (a heap of candidates; a candidate whose runs have
    changed since it was pushed is dropped when it comes up)."""
    n = len(runs)
    left, right = list(range(-1, n - 1)), list(range(1, n + 1))
    alive, version = [True] * n, [0] * n
    heap: list[tuple] = []

    def consider(k: int) -> None:
        for j in (left[k], right[k]):
            if (
                0 <= j < n
                and runs[j].gainer != runs[k].gainer
                and runs[k].near(runs[j])
                and runs[k].weight <= CONTEST_RATIO * runs[j].weight_near(runs[k])
            ):
                heapq.heappush(heap, (runs[k].weight, k, j, version[k], version[j]))

    for k in range(n):
        consider(k)
    dissent: list[Claim] = []
    while heap:
        _, k, j, vk, vj = heapq.heappop(heap)
        if not (
            alive[k]
            and alive[j]
            and version[k] == vk
            and version[j] == vj
            and j in (left[k], right[k])
        ):
            continue
        stronger = runs[j].weight_near(runs[k])
        for c in runs[k].claims:
            c.role = (
                f"dissent: {runs[k].gainer} is outweighed by a near-simultaneous "
                f"{runs[j].gainer} run ({runs[k].weight:g} <= {CONTEST_RATIO:g} x "
                f"{stronger:g})"
            )
            dissent.append(c)
        alive[k] = False
        a, b = left[k], right[k]
        if 0 <= a:
            right[a] = b
        if b < n:
            left[b] = a
        if 0 <= a and b < n and runs[a].gainer == runs[b].gainer:
            runs[a].add(runs[b].claims, runs[b].against)
            alive[b] = False
            right[a] = right[b]
            if right[b] < n:
                left[right[b]] = a
            b = right[b]
        for m in (a, b):
            if 0 <= m < n:
                version[m] += 1
        for m in (a, b, left[a] if 0 <= a else -1, right[b] if b < n else n):
            if 0 <= m < n and alive[m]:
                consider(m)
    runs[:] = [run for run, kept in zip(runs, alive, strict=True) if kept]
    return dissent


def _contests(runs: list[Run]) -> list[list[Run]]:
    """Rule 5: near-simultaneous neighbours that disagree form one group (a contest);
    every other run stands alone."""
    groups: list[list[Run]] = []
    for run in runs:
        if groups and groups[-1][-1].gainer != run.gainer and groups[-1][-1].near(run):
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


# ---------------------------------------------------------------- markers and the walk
# A marker changes the state at a window: (start_earliest, start_latest, order, action).
# On one day, actions apply in this order: a contest opens before the swing that ends it.
CONTEST_ON, SWING, PARTIAL_ON, SIEGE_OFF, SIEGE_ON = range(5)


@dataclass
class Marker:
    start_earliest: dt.date
    start_latest: dt.date
    action: int
    actor: str | None = None  # swing: the new holder; siege: the besieged side
    loser: str | None = None  # who the evidence shows losing (open start)
    claims: list[Claim] = field(default_factory=list)
    rule: str = ""
    at: int = -1  # the interval the walk was in after this marker

    @property
    def order(self) -> tuple:
        return (self.start_latest, self.start_earliest, self.action)


def _transition_markers(groups: list[list[Run]], dissent: list[Claim]) -> list[Marker]:
    """Swings and contests from the runs (rules 5 and 6); a run's premature reports
    (see :func:`_swing_window`) join the ``dissent``."""
    markers = []
    for group in groups:
        last = group[-1]
        claims = [c for run in group for c in run.claims]
        loser = _loser(group[0].claims, group[0].gainer)
        if group[0].lapse is not None:
            taker, since, by = group[0].lapse
            markers.append(
                Marker(
                    since,
                    by,
                    SWING,
                    taker,
                    group[0].gainer,
                    [],
                    f"lapse: {taker} had taken the site back, unreported — "
                    f"{group[0].claims[0].claim_id} has {group[0].gainer} take it from "
                    f"{taker} from {by + _DAY}, more than {LAPSE_DAYS} days after "
                    f"{group[0].gainer} last took it",
                )
            )
        if len(group) == 1:
            start, end, first_reports, premature = _swing_window(last)
            for c in premature:
                c.role = (
                    f"dissent: premature — a weaker report of {last.gainer} taking the site "
                    f"before the reports that date the change"
                )
                dissent.append(c)
            if premature:
                early = {id(c) for c in premature}
                last.claims = [c for c in last.claims if id(c) not in early]
                last.said -= sum(c.share for c in premature)
            dating = {id(c) for c in first_reports}
            for c in last.claims:
                if id(c) not in dating and not c.role:
                    c.role = "confirms the change (a later report of the same gainer)"
            for c in first_reports:
                c.role = c.role or "dates the change"
            markers.append(
                Marker(
                    start,
                    end,
                    SWING,
                    last.gainer,
                    loser,
                    last.claims,
                    f"swing: {len(last.claims)} claim(s) weighing "
                    f"{last.weight:g} name {last.gainer}",
                )
            )
            continue
        # the contest lasts over what the sides say at the same time
        said = [
            c for a, b in itertools.pairwise(group) for c in a.claims_near(b) + b.claims_near(a)
        ]
        start, end = min(c.valid_from for c in said), max(c.valid_to for c in said)
        sides = ", ".join(f"{r.gainer} {r.weight:g}" for r in group)
        for c in claims:
            c.role = c.role or f"contest: comparably strong, near-simultaneous claims ({sides})"
        markers.append(
            Marker(
                start,
                start,
                CONTEST_ON,
                None,
                loser,
                claims,
                f"contest between comparably strong claims ({sides})",
            )
        )
        # contested on the days they speak of; held by the last word from the day after
        after = end + dt.timedelta(days=1)
        markers.append(
            Marker(
                after,
                after,
                SWING,
                last.gainer,
                None,
                last.claims,
                f"after the contest, the last word: {last.gainer}",
            )
        )
    return markers


def _swing_window(run: Run) -> tuple[dt.date, dt.date, list[Claim], list[Claim]]:
    """Rule 6: the window of the reports that date a run's change, those reports, and
    the premature ones.

    A run's reports fall into bursts of near windows. The strongest burst (on a tie, the
    later) dates the change: a weaker burst before it claimed the change too early (a
    minister's premature announcement); bursts after it confirm. Its window is the
    common days of the burst's reports that overlap its most precise report (the
    earliest-ending dated one, else the narrowest), else their span."""
    bursts = _bursts(run.claims)
    chosen = _strongest(bursts)
    premature = [c for burst in bursts[:chosen] for c in burst if c.dated]
    burst = bursts[chosen]
    dated = [c for c in burst if c.dated]
    anchor = (
        min(dated, key=lambda c: (c.valid_to, c.valid_from, c.seq))
        if dated
        else min(burst, key=lambda c: ((c.valid_to - c.valid_from).days, c.valid_to, c.seq))
    )
    reports = [c for c in burst if _overlap(c, anchor) and (c.dated or not dated)]
    latest_start = max(c.valid_from for c in reports)
    earliest_end = min(c.valid_to for c in reports)
    if latest_start > earliest_end:
        latest_start, earliest_end = (
            min(c.valid_from for c in reports),
            max(c.valid_to for c in reports),
        )
    return latest_start, earliest_end, reports, premature


def _loser(claims: list[Claim], gainer: str) -> str | None:
    weights: dict[str, float] = defaultdict(float)
    for c in claims:
        if c.loser not in (None, UNKNOWN, gainer):
            weights[c.loser] += c.share
    return min(weights, key=lambda a: (-weights[a], a)) if weights else None


def _partial_markers(partials: list[Claim]) -> list[Marker]:
    """Rule 7: a dated partial advance contests the site from the first day of its window
    until what is said next about who holds it (a capture by either side, or a later
    report confirming the holder: each is a swing marker, see :func:`_runs`)."""
    markers = []
    for c in partials:
        c.role = c.role or "partial advance: contests the site until a capture or confirmation"
        markers.append(
            Marker(
                c.valid_from,
                c.valid_from,
                PARTIAL_ON,
                c.gainer,
                _loser([c], c.gainer or UNKNOWN),
                [c],
                f"partial advance by {c.gainer}",
            )
        )
    return markers


def _siege_markers(claims: list[Claim]) -> list[Marker]:
    """Rule 8: a siege from its window; broken by ``siege_broken`` (a change of hands
    ends it in the walk). Both name the besieged side as the one that held the site
    before them (rule 9): a siege broken is a siege its side survived."""
    markers = []
    for c in claims:
        if c.denied or c.kind not in ("besieged", "siege_broken"):
            continue
        on = c.kind == "besieged"
        c.role = c.role or (
            "siege: the besieged side holds the site" if on else "the siege is broken"
        )
        markers.append(
            Marker(
                c.valid_from,
                c.valid_to,
                SIEGE_ON if on else SIEGE_OFF,
                c.loser if on else None,
                c.loser,  # the besieged side: it held the site before (rule 9)
                [c],
                "siege" if on else "siege broken",
            )
        )
    return markers


def _walk(markers: list[Marker]) -> tuple[list[Interval], list[Swing]]:
    """The state after each marker; runs of equal (controller, status) are intervals."""
    markers = sorted(markers, key=lambda m: m.order)
    first = next((m for m in markers if m.loser or m.action == SIEGE_ON), None)
    holder = None
    intervals: list[Interval] = []
    if markers and first is not None and markers[0] is first and first.loser:
        holder = first.loser  # rule 9: the side the first evidence shows losing held it
        intervals.append(
            Interval(
                holder,
                "held",
                None,
                None,
                open_start=True,
                rule="open start: the first evidence shows this side losing",
            )
        )
    swings: list[Swing] = []
    walked: list[Marker] = []
    contest = partial = False
    siege: str | None = None
    for m in markers:
        if m.action == SWING:
            if m.actor != holder:
                swings.append(
                    Swing(
                        holder or m.loser,
                        m.actor or UNKNOWN,
                        m.start_earliest,
                        m.start_latest,
                        m.claims,
                        [],
                    )
                )
                siege = None  # a change of hands ends a siege
            holder, contest, partial = m.actor, False, False
        elif m.action == CONTEST_ON:
            contest = True
        elif m.action == PARTIAL_ON:
            if m.actor == holder:
                m.at = len(intervals) - 1
                continue  # the holder advancing in its own site confirms it
            partial, holder = True, holder or m.loser
        elif m.action == SIEGE_ON:
            if holder not in (None, m.actor) and m.actor is not None:
                m.at = len(intervals) - 1
                continue  # a siege of a side the evidence says does not hold it: a dissent
            siege, holder = m.actor or holder, holder or m.actor
        elif m.action == SIEGE_OFF:
            siege = None
        controller = holder or UNKNOWN
        status = (
            "contested"
            if contest or partial
            else "besieged"
            if siege
            else UNKNOWN
            if controller == UNKNOWN
            else "held"
        )
        rule = m.rule
        last = intervals[-1] if intervals else None
        moved = [m]
        if (
            last
            and not last.open_start
            and (last.start_earliest, last.start_latest) == (m.start_earliest, m.start_latest)
        ):
            # two changes on the same days make one interval, not one of no length
            moved += [earlier for earlier in walked if earlier.at == len(intervals) - 1]
            intervals.pop()
            rule = "; ".join(r for r in (last.rule, rule) if r)
            last = intervals[-1] if intervals else None
        walked.append(m)
        if not (
            last
            and (last.controller, last.status, last.siege)
            == (controller, status, siege is not None)
        ):
            intervals.append(
                Interval(
                    controller,
                    status,
                    m.start_earliest,
                    m.start_latest,
                    rule=rule,
                    siege=siege is not None,
                )
            )
        for each in moved:
            each.at = len(intervals) - 1
    return intervals, swings


# ---------------------------------------------------------------- support and dissent


def _attach(
    intervals: list[Interval],
    swings: list[Swing],
    markers: list[Marker],
    claims: list[Claim],
    dissent: list[Claim],
    speaking: list[Claim],
) -> None:
    """Each believed claim supports or dissents from an interval: the one its marker
    opened (a swing's, a contest's, a partial advance's, a siege's claims), else the one
    its window ends in."""
    if not intervals:
        return
    overruled = {id(c) for c in dissent}
    spoke = {id(c) for c in speaking}
    begun = [dt.date.min if i.start_latest is None else i.start_latest for i in intervals]
    opened: dict[int, int] = {}
    # a contest's claims first: its last run's claims are also its closing swing's
    for m in sorted(markers, key=lambda m: m.action != CONTEST_ON):
        if m.at >= 0:
            for c in m.claims:
                opened[id(c)] = m.at
    for c in claims:
        at = opened.get(id(c))
        if at is None:
            at = _interval_at(begun, c.valid_to)
        interval = intervals[at]
        if id(c) in overruled:
            interval.dissent.append(c)
            continue
        if c.kind == "attacked":
            c.role = c.role or "an attack changes nothing"
            continue
        agrees = _agrees(c, interval)
        if not agrees and not c.role.startswith("dissent"):
            c.role = (
                "dissent: a back-reference that disagrees with dated evidence"
                if c.kind in TRANSITIONS and not c.dated and id(c) not in spoke
                else f"dissent: says {c.gainer if c.kind != 'besieged' else c.loser}"
                f", the evidence says {interval.controller}"
            )
        elif agrees and not c.role:
            c.role = "confirms the holder (retrospective)" if not c.dated else "confirms the holder"
        (interval.support if agrees else interval.dissent).append(c)
    by_claims = {id(m.claims): m.at for m in markers if m.action == SWING}
    for s in swings:
        at = by_claims.get(id(s.claims), _interval_at(begun, s.window_end))
        s.dissent = list(intervals[at].dissent)


def _agrees(c: Claim, interval: Interval) -> bool:
    if interval.status == "contested" and c.kind in ("partial", *TRANSITIONS):
        return True  # the contest is what they say
    if c.kind in TRANSITIONS:
        if c.denied:
            return c.gainer != interval.controller
        if c.gainer in (None, UNKNOWN):
            return c.loser != interval.controller
        return c.gainer == interval.controller
    if c.kind == "besieged":
        return c.loser in (None, interval.controller)
    if c.kind == "partial":
        return c.gainer == interval.controller or interval.status == "contested"
    return True  # siege broken: no holder named


def _interval_at(begun: list[dt.date], day: dt.date) -> int:
    """The last interval begun (at the latest) by ``day``; the first if none
    (``begun``: the intervals' ``start_latest``, an open start as the earliest day)."""
    return max(0, bisect.bisect_right(begun, day) - 1)


def support_of(interval: Interval) -> float | None:
    """Agreeing weight over agreeing and dissenting weight (None: no evidence)."""
    agree = sum(c.share for c in interval.support)
    total = agree + sum(c.share for c in interval.dissent)
    return round(agree / total, 6) if total > 0 else None


def fold(claims: Iterable[Claim]) -> list[SiteTimeline]:
    """:func:`fold_site` for every site, sites in order."""
    by_site: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_site[c.site_id].append(c)
    return [fold_site(site, by_site[site]) for site in sorted(by_site)]


def weight_of(claimant: str, confidence: float, weights: Mapping[str, float]) -> float:
    """A claim's weight: its claimant's (default 1) times its confidence."""
    return float(weights.get(claimant, 1.0)) * float(confidence)
