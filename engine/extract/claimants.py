"""Who asserts a claim: per sentence, including attribution after the clause.

A claimant named in a sentence is its source when it is introduced by an
attribution word ("بحسب", "وفق") or sits by a verb of saying ("قالت وكالة أعماق
إن…"). A trigger takes the nearest such claimant, looking forward only until the
next event word; otherwise the outlet speaks in its own voice.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from engine.extract import lexicon as lx
from engine.extract.normalise import fold_pattern
from engine.extract.scan import WordGate, Words

_CUE = re.compile(
    r"(?<!\w)[وف]?(?:لل|[لب])?(?:"
    + "|".join(f"(?P<c{i}>{fold_pattern(p)})" for i, (p, _) in enumerate(lx.CLAIMANT_CUES))
    + f"|(?P<ana>{lx.CLAIMANT_ANAPHORA})"
    + r")(?!\w)"
)
_SPEECH = re.compile(lx.SPEECH_VERB)
_GATE = WordGate(lx.CLAIMANT_FIRST_WORDS)
_ATTRIBUTION = re.compile(lx.ATTRIBUTION_BEFORE)
_SPOKE_TO = re.compile(lx.SPEECH_VERB)
# "وقال أبو اليزيد رئيس المكتب الإعلامي لـ…": a speech verb, a name and a title before the cue
_SPEAKER_NAMED = re.compile(lx.SPEECH_VERB + fold_pattern(
    r"[^.،؟!\n]{0,30}?(?<!\w)(?:ال)?(?:رئيس|مدير|قائد|متحدث|ناطق|عضو|مسؤول|قيادي|مراسل|"
    r"احد\s+(?:مقاتلي|عناصر|قاده|قياديي))(?:\s+(?:ال)?(?:اعلامي|عسكري|ميداني|رسمي))?"
    r"[\s،,]+(?:(?:في|ب|من|باسم|ل)\s*)?(?:\w+\s+){0,2}$"))
#: A complementizer right before a name: "قال المرصد إن <name>", "أعلن أن <name>".
_COMPLEMENT_BEFORE = re.compile(r"(?<!\w)[وف]?(?:ان|انه|بان|فان)\s*$")
#: Between a named voice and the unnamed sources it relays: "نقل المرصد عن مصادر".
_RELAYED = re.compile(r"\s*(?:لحقوق\s+الانسان\s*)?عن\s+")
_AGENCIES = ("amaq", "sana", "russian_mod", "syrian_tv", "other_outlet", "sohr")


@dataclass(frozen=True)
class ClaimantMarker:
    """A claimant named in folded text and whether it introduces a report."""

    start: int
    end: int
    claimant: str
    attributes: bool
    anaphoric: bool
    forward: bool = False


def find_claimants(text: str, words: Words | None = None) -> list[ClaimantMarker]:
    """Claimant markers of folded ``text``; "الوكالة"/"حسب قولها" point to the last named.

    >>> from engine.extract.normalise import fold_text
    >>> [(m.claimant, m.attributes) for m in find_claimants(fold_text("سيطر التنظيم بحسب وكالة أعماق"))]
    [('amaq', True)]
    """
    out: list[ClaimantMarker] = []
    last_named: list[str] = []
    for m in _GATE.finditer(_CUE, text, words):
        before = text[max(0, m.start() - 25):m.start()]
        after = text[m.end():m.end() + 25]
        if m.group("ana"):
            agency = "الوكاله" in m.group("ana")
            pool = [c for c in last_named if c in _AGENCIES] if agency else last_named
            if not pool:
                continue
            claimant, anaphoric = pool[-1], True
        else:
            index = next(int(k[1:]) for k, v in m.groupdict().items() if k.startswith("c") and v)
            claimant, anaphoric = lx.CLAIMANT_CUES[index][1], False
            last_named.append(claimant)
        attributes = bool(
            _ATTRIBUTION.search(before)
            or _SPEECH.search(before[-15:])
            or _SPEAKER_NAMED.search(text, max(0, m.start() - 70), m.start())
            or _SPEECH.match(after.lstrip(" ،,"))
            or "حسب" in m.group()
            or "بحسب" in m.group()
        )
        if attributes and _COMPLEMENT_BEFORE.search(before) and not _SPEECH.match(after.lstrip(" ،,")) \
                and not _ATTRIBUTION.search(before):
            # "وقال المرصد إن قوات سوريا الديمقراطية سيطرت": the name after "إن" is what was
            # said, not who said it (unless it speaks in turn: "أعلن أن قسد قالت")
            attributes = False
        if attributes and m.group().lstrip("وف").startswith("ل") and _SPOKE_TO.search(before) \
                and not _ATTRIBUTION.search(before):
            attributes = False  # "قال أحد المقاتلين لوكالة رويترز": the agency was told, it did not say
        if attributes and claimant == "local_sources" and out and out[-1].attributes \
                and out[-1].claimant != "local_sources" and _RELAYED.fullmatch(text, out[-1].end, m.start()):
            attributes = False  # "نقل المرصد عن مصادر موثوقة": the named voice answers for the claim
        ahead = re.split(r"[.!?؟\n]", text[m.end():m.end() + 40], maxsplit=1)[0]
        forward = bool(re.search(r"(?<!\w)[وف]?(?:ان|انه|انها|بان|بانه|فان|فانه|عن)(?!\w)|:", ahead))
        out.append(ClaimantMarker(m.start(), m.end(), claimant, attributes, anaphoric, forward))
    return out


def claimant_for(
    markers: list[ClaimantMarker],
    sentence: tuple[int, int],
    trigger: tuple[int, int],
    next_event: int,
) -> ClaimantMarker | None:
    """The marker that asserts an event at ``trigger`` in ``sentence``, if any.

    Args:
        markers: all markers of the article.
        sentence: the sentence span.
        trigger: the trigger span.
        next_event: start of the next event word in the sentence (attribution after
            a later event belongs to that event).
    """
    best: tuple[int, ClaimantMarker] | None = None
    for m in markers:
        if not (sentence[0] <= m.start < sentence[1]) or not m.attributes:
            continue
        if m.end <= trigger[0]:
            distance = trigger[0] - m.end
        elif m.start >= trigger[1] and m.start < next_event and not m.forward:
            distance = m.start - trigger[1]
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, m)
    return best[1] if best else None


_SIDES = frozenset({"isis", "government", "opposition", "sdf"})


@cache
def side_of(claimant: str | None) -> str | None:
    """The side a claimant speaks for (``claimants.csv``), or None for independent voices.

    "قواتنا" in a statement of the army is the government; "حرّرنا" in Amaq's is ISIS.

    >>> side_of("amaq"), side_of("sohr"), side_of(None)
    ('isis', None, None)
    """
    if not claimant:
        return None
    with resources.files("engine.reference").joinpath("claimants.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["claimant_id"] == claimant:
                return row["affiliation"] if row["affiliation"] in _SIDES else None
    return None


#: The voice of each side when a side itself speaks ("أعلنت كتائب الثوار سيطرتها على…").
SIDE_VOICE = {"government": "syrian_military", "opposition": "opposition_factions", "sdf": "sdf",
              "isis": "isis_media"}
# a verb of saying, then at most three words that are not a complementizer ("قال إن X": X is
# the subject of what was said, not who said it)
_SPEECH_BEFORE = re.compile(lx.SPEECH_VERB + r"\s*(?:(?![بلف]?ان(?:ه|ها)?\s)\w+\s+){0,3}?[\"“«(]?\s*$")

# the announcement as a noun: "بعد إعلان الفصائل السيطرة على البلدة"
_ANNOUNCEMENT = re.compile(r"(?<!\w)[وفبل]*(?:ال)?(?:اعلان|تاكيد|بيان)\s+$")
# the side named, then "قد" and a verb of saying: "وكان الجيش قد أعلن" (the name is at most 4 words)
_SPEECH_AFTER = re.compile(r"(?:\w+\s+){1,4}?قد\s+" + lx.SPEECH_VERB)


def speaking_side(text: str, actor_starts: list[tuple[int, str]], limit: int) -> str | None:
    """The claimant of a side named right after a verb of saying, before ``limit``.

    >>> speaking_side("اعلنت كتائب الثوار سيطرتها", [(6, "opposition")], 20)
    'opposition_factions'
    """
    for start, side in reversed(actor_starts):
        if start >= limit or side not in SIDE_VOICE:
            continue
        if _SPEECH_BEFORE.search(text, max(0, start - 30), start) or _ANNOUNCEMENT.search(
                text, max(0, start - 14), start):
            return SIDE_VOICE[side]  # "أعلنت كتائب الثوار…", "بعد إعلان الفصائل السيطرة على…"
        after = _SPEECH_AFTER.match(text, start)
        if after and after.end() <= limit:
            return SIDE_VOICE[side]  # "وكان الجيش السوري قد أعلن استعادة السيطرة على…"
    return None
