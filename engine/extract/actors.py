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
    """

    start: int
    end: int
    actor: str
    subject: bool
    owner: bool
    passive: bool
    prepositional: bool = False


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
    for m in _GATE.finditer(_ACTOR, text, words):
        if mask[m.start()] or mask[m.end() - 1]:
            continue  # "مشفى الأسد" is a place, not the regime
        index = next(int(k[1:]) for k, v in m.groupdict().items() if k.startswith("a") and v)
        prefix = m.group("prefix")
        before = text[max(0, m.start() - 30):m.start()]
        passive = bool(_PASSIVE.search(before) or _FELL_TO.search(before))
        prepositional = any(c in prefix for c in "لبك")
        subject = passive or not (prepositional or _GENITIVE_HEAD.search(before))
        owner = "ل" in prefix
        if out and prefix.startswith("و") and not text[out[-1].end:m.start()].strip():
            # "لقوات النظام والميليشيات": the preposition governs both names
            subject, owner = subject and out[-1].subject, owner or out[-1].owner
        out.append(ActorMention(m.start(), m.end(), lx.ACTORS[index].actor, subject, owner, passive,
                                prepositional))
    return out


def agent_after(actors: list[ActorMention], start: int, limit: int) -> ActorMention | None:
    """The first subject between ``start`` and ``limit`` (VSO, or a masdar's genitive)."""
    for a in actors:
        if start <= a.start < limit and a.subject:
            return a
        if a.start >= limit:
            break
    return None


def genitive_after(actors: list[ActorMention], start: int) -> ActorMention | None:
    """The actor right after a masdar is its agent ("سيطرة التنظيم على", "استعادة النظام لـ")."""
    for a in actors:
        if start <= a.start <= start + 2:
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
        gap = text[a.end:trigger_start]
        # "قوات النظام تمكنت من السيطرة": one light verb may stand between a masdar and its subject
        allowed = r"[\s،,]*(?:(?:قد|كانت|كان|من)\s*)*" if verb else r"\s*(?:(?:[^\s،,.]+\s+)?من\s*)?"
        if a.subject and re.fullmatch(allowed, gap):
            return a
        return None
    return None


def owner_after(actors: list[ActorMention], start: int, limit: int) -> ActorMention | None:
    """The side that owned the object: "حواجز لقوات النظام", "على حساب قوات النظام"."""
    return next((a for a in actors if start <= a.start < limit and a.owner), None)


def last_before(actors: list[ActorMention], position: int, lower: int) -> ActorMention | None:
    """The nearest actor of any role before ``position`` (for possessive pronouns)."""
    for a in reversed(actors):
        if lower <= a.start and a.end <= position:
            return a
    return None
