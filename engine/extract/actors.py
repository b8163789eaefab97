"""Who did it: actor mentions and the agent of a trigger.

The agent is sought in this order: passive "من قبل X"; the genitive after a
masdar ("سيطرة التنظيم على"); the subject after the verb (VSO); the subject just
before it (SVO); the object's owner ("حواجز لقوات النظام" loses); and last the
agent of the previous event (Arabic drops pronoun subjects). Genitive and
prepositional mentions ("مناطق النظام", "لقوات النظام") are never subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.extract import lexicon as lx
from engine.extract.normalise import fold_pattern
from engine.extract.scan import WordGate, Words

_ACTOR = re.compile(
    r"(?<!\w)(?P<prefix>[وف]?(?:لل|[لبك])?)(?:"
    + "|".join(f"(?P<a{i}>{fold_pattern(rule.pattern)})" for i, rule in enumerate(lx.ACTORS))
    + r")(?!\w)"
)
_GATE = WordGate(lx.ACTOR_FIRST_WORDS)
_FEMININE_HEADS = frozenset(fold_pattern(w) for w in lx.FEMININE_HEADS.split("|"))
# "التنظيم المتطرف شن", "قوات النظام وحلفاؤها سيطرت": an epithet or "and its allies" may follow the name
_EPITHET = r"(?:(?:ال)?(?:متطرف|ارهابي|متشدد|تكفيري|جهادي|مسلحه|بري(?:ه)?)\s*|و(?:ال)?(?:حلفاؤه|حلفاؤها|حلفائه|حلفائها|حلفاء)\s*)"
_GAP_BEFORE_VERB = re.compile(r"[\s،,]*" + _EPITHET + r"?(?:(?:قد|كانت|كان|من)\s*)*")
# "قوات النظام تمكنت من السيطرة": one light verb may stand between a masdar and its subject
_GAP_BEFORE_NOUN = re.compile(r"\s*(?:(?:[^\s،,.]+\s+)?من\s*)?")
_GENITIVE_HEAD = re.compile(lx.GENITIVE_HEADS)
_PASSIVE = re.compile(lx.PASSIVE_AGENT)
_FELL_TO = re.compile(lx.FELL_TO)

#: The side that loses when only the gainer is known, and vice versa.
OPPOSITE = {"isis": "government", "government": "isis", "sdf": "isis"}


@dataclass(frozen=True)
class ActorMention:
    """An actor named in folded text.

    Attributes:
        start: folded offset (clitics included).
        end: folded offset after the name.
        actor: isis, government, opposition or sdf.
        subject: may be a grammatical subject (not genitive, not after a preposition).
        owner: written with ل ("لقوات النظام"): the owner of what comes before it.
        passive: follows "من قبل".
        prepositional: has a preposition clitic ("لقوات", "بالتنظيم").
        feminine: the name takes a feminine verb ("قوات النظام سيطرت", "التنظيم سيطر").
    """

    start: int
    end: int
    actor: str
    subject: bool
    owner: bool
    passive: bool
    prepositional: bool = False
    feminine: bool = False


def find_actors(text: str, blocked: list[tuple[int, int]], words: Words | None = None,
                ) -> list[ActorMention]:
    """Actor mentions of folded ``text`` outside the ``blocked`` spans (place names).

    >>> from engine.extract.normalise import fold_text
    >>> [(a.actor, a.subject) for a in find_actors(fold_text("سيطر تنظيم داعش على مناطق النظام"), [])]
    [('isis', True), ('government', False)]
    """
    out: list[ActorMention] = []
    mask = bytearray(len(text) + 1)
    for a, b in blocked:
        mask[a:b] = b"\x01" * (b - a)
    plain = unquote(text)
    for m in _GATE.finditer(_ACTOR, plain, words):
        if mask[m.start()] or mask[m.end() - 1]:
            continue  # "مشفى الأسد" is a place, not the regime
        index = next(int(k[1:]) for k, v in m.groupdict().items() if k.startswith("a") and v)
        prefix = m.group("prefix")
        before = plain[max(0, m.start() - 30):m.start()]
        passive = bool(_PASSIVE.search(before) or _FELL_TO.search(before))
        prepositional = any(c in prefix for c in "لبك")
        subject = passive or not (prepositional or _GENITIVE_HEAD.search(before))
        owner = "ل" in prefix
        if out and prefix.startswith("و") and not plain[out[-1].end:m.start()].strip():
            # "لقوات النظام والميليشيات": the preposition governs both names
            subject, owner = subject and out[-1].subject, owner or out[-1].owner
        head = m.group()[len(prefix):].split(maxsplit=1)[0]
        out.append(ActorMention(m.start(), m.end(), lx.ACTORS[index].actor, subject, owner, passive,
                                prepositional, head in _FEMININE_HEADS))
    return out


_ON_AFTER = re.compile(r"[\s\"“”«»()]+(?:\w+\s+){0,2}?علي(?!\w)")
_QUOTES = re.compile(r"[\"“”«»()'‘’\[\]]")


def unquote(text: str) -> str:
    """``text`` with quotes and brackets as spaces (same offsets): names are often quoted.

    >>> unquote('فصائل “الجيش الحر”')
    'فصائل  الجيش الحر '
    """
    return _QUOTES.sub(" ", text)  # re.sub is much faster than str.translate on long texts


def agent_after(actors: list[ActorMention], start: int, limit: int) -> ActorMention | None:
    """The first subject between ``start`` and ``limit`` (VSO, or a masdar's genitive)."""
    for a in actors:
        if start <= a.start < limit and a.subject:
            return a
        if a.start >= limit:
            break
    return None


def genitive_after(actors: list[ActorMention], start: int, text: str = "") -> ActorMention | None:
    """The actor right after a masdar is its agent ("سيطرة التنظيم على", "استعادة النظام لـ",
    "سيطرة لمسلحي التنظيم على")."""
    for a in actors:
        if start <= a.start <= start + 2:
            if a.owner and _ON_AFTER.match(text, a.end):
                return a  # "سيطرة لمسلحي التنظيم على البلدة": ل names the agent of the masdar
            return None if a.prepositional else a
        if a.start > start + 2:
            break
    return None


def passive_agent(actors: list[ActorMention], start: int, limit: int) -> ActorMention | None:
    """"من قبل X" after the trigger."""
    return next((a for a in actors if start <= a.start < limit and a.passive), None)


def subject_before(text: str, actors: list[ActorMention], trigger_start: int,
                   verb: bool = True) -> ActorMention | None:
    """A subject right before the verb, with at most "قد"/"كانت"/"من" between (SVO).

    "من" covers "تمكنت قوات النظام من السيطرة على".
    """
    for a in reversed(actors):
        if a.end > trigger_start:
            continue
        allowed = _GAP_BEFORE_VERB if verb else _GAP_BEFORE_NOUN
        if a.subject and allowed.fullmatch(text, a.end, trigger_start):
            return a
        return None
    return None


def owner_after(actors: list[ActorMention], start: int, limit: int) -> ActorMention | None:
    """The side that owned the object: "حواجز لقوات النظام", "على حساب قوات النظام"."""
    return next((a for a in actors if start <= a.start < limit and a.owner), None)


def verb_gender(text: str, trigger_start: int, trigger_text: str, verb: bool) -> str | None:
    """"f" or "m" from the verb ("سيطرت", "تمكنت من السيطرة"), or None when it does not say.

    >>> verb_gender("تمكنت من السيطره", 9, "السيطره", verb=False)
    'f'
    """
    word = trigger_text.split()[0] if verb else next(
        (w for w in reversed(text[max(0, trigger_start - 30):trigger_start].split()) if w != "من"), "")
    word = word.lstrip("وفل")
    if not word or word.endswith(("وا", "ون")):
        return None  # plural: "عناصر التنظيم تمكنوا"
    if word.endswith("ت") or (word.startswith("ت") and len(word) > 3 and verb):
        return "f"
    if word.startswith("ي") or len(word) >= 3:
        return "m"
    return None


def last_before(actors: list[ActorMention], position: int, lower: int) -> ActorMention | None:
    """The nearest actor of any role before ``position`` (for possessive pronouns)."""
    for a in reversed(actors):
        if lower <= a.start and a.end <= position:
            return a
    return None
