"""Find the words that carry events, and the cues that cancel them.

A trigger is kept for context even when it is not a claim (attacks, intents),
because it ends the object window of the trigger before it and feeds the
"last agent" used for pro-drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from engine.extract import lexicon as lx
from engine.extract.normalise import fold_pattern
from engine.extract.scan import Words, split_words


@dataclass(frozen=True)
class Trigger:
    """One trigger found in folded text.

    Attributes:
        start: folded offset of the trigger word (clitics included).
        end: folded offset after it.
        rule: the lexicon rule that matched.
        present: the verb is in the present tense.
        pronoun: an object or possessive pronoun glued to it ("ليدخلها").
        purpose: a masdar with ل before it ("لاستعادة"): intent, not an event.
        mid: for "forced X to withdraw", the span holding X.
    """

    start: int
    end: int
    rule: lx.TriggerRule
    present: bool = False
    pronoun: str = ""
    purpose: bool = False
    mid: tuple[int, int] | None = None

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def object_pronoun(self) -> bool:
        """A verb's object pronoun ("ليدخلها"): its object was named before."""
        return bool(self.pronoun) and self.rule.form == "verb" and not self.rule.possessive

    @property
    def possessive_pronoun(self) -> bool:
        """A noun's pronoun ("خسارته", "بسطت سيطرتها"): it names the agent, said before."""
        return bool(self.pronoun) and (self.rule.form == "noun" or self.rule.possessive)


def _compile(rule: lx.TriggerRule) -> re.Pattern[str]:
    prefix = lx.VERB_PREFIX if rule.form == "verb" else lx.NOUN_PREFIX
    return re.compile(
        rf"(?<!\w)(?P<prefix>{prefix})(?:{fold_pattern(rule.pattern)}){lx.PRONOUN}(?!\w)"
    )


_COMPILED = [(rule, _compile(rule)) for rule in lx.TRIGGERS]
# One pass finds where some trigger starts; the rules are then tried only there.
_LEAD = re.compile(rf"(?:{lx.MULTIWORD_LEADS})$")


@lru_cache(maxsize=65536)
def _may_start(word: str) -> bool:
    """Whether a trigger can start with ``word`` (a one-word trigger, or a multi-word lead)."""
    return bool(_ANY.fullmatch(word) or _LEAD.match(word))
_ANY = re.compile("|".join(re.sub(r"\(\?P<\w+>", "(?:", p.pattern) for _, p in _COMPILED))


def find_triggers(text: str, words: Words | None = None) -> list[Trigger]:
    """Non-overlapping triggers of folded ``text`` (the longest wins), left to right.

    >>> from engine.extract.normalise import fold_text
    >>> [t.rule.name for t in find_triggers(fold_text("ما أجبر قوات النظام على الانسحاب من تدمر"))]
    ['forced_withdrawal']
    >>> find_triggers(fold_text("ليدخلها"))[0].pronoun
    'ها'
    """
    kept: list[Trigger] = []
    pos = 0
    words = split_words(text) if words is None else words
    good = {w for w in {w for _, _, w in words} if _may_start(w)}
    for start, _end, word in words:
        if start < pos or word not in good or not _ANY.match(text, start):
            continue  # triggers start at a known word; trying only there is much faster than search()
        # every rule that matches here; the longest wins (same span: the masdar reading,
        # "سيطره" is far more often سيطرة than "he took it")
        options = [(m, rule) for rule, pattern in _COMPILED if (m := pattern.match(text, start))]
        m, rule = max(options, key=lambda o: (o[0].end(), o[1].form == "noun"))
        kept.append(_trigger(m, rule))
        pos = m.end()
    return kept


def _trigger(m: re.Match[str], rule: lx.TriggerRule) -> Trigger:
    groups = m.groupdict()
    present = bool(groups.get("pres") or groups.get("pres2") or groups.get("pres3"))
    prefix = groups.get("prefix") or ""
    # "لاستعادة", "لطرد التنظيم" (a masdar), "لتكسر الحصار": a ل glued before them is purpose;
    # before other present verbs it is often a result ("تابعت تقدمها لتبسط سيطرتها على"), an event
    lam = prefix.lstrip("وف").startswith("ل")
    core = m.group()[len(prefix):].split(maxsplit=1)[0] if m.group() else ""
    purpose = lam and (rule.form == "noun" or core in _MASDAR_IN_VERB_RULES
                       or (present and rule.kind == "siege_broken"))
    mid = m.span("mid") if groups.get("mid") is not None else None
    return Trigger(m.start(), m.end(), rule, present, groups.get("pron") or "", purpose, mid)


#: Masdars listed among a verb rule's forms ("طرد X من", "إخراج X من")
_MASDAR_IN_VERB_RULES = frozenset({"طرد", "اخراج", "دحر"})
_STATE_BEFORE = re.compile(lx.STATE_BEFORE)
_STATE_AFTER = re.compile(lx.STATE_AFTER)
_CONTINUED = re.compile(lx.CONTINUED)
#: Two sides sharing control ("يتقاسم الطرفان السيطرة على"), the verb and its subject before the noun.
_SHARED = re.compile(r"(?<!\w)[وف]?(?:[يت]تقاسم(?:ان|ون)?|تقاسم(?:ت|ا|وا)?|اقتسام|تقاسم)(?!\w)[^.،؟!:«»\"]*$")
_DURATION = re.compile(r"(?<!\w)(?:منذ|حتي\s+الان|لا\s+تزال|ما\s+زالت)(?!\w)")


def _clause(text: str, start: int) -> str:
    """The text from ``start`` to the end of its clause (at most 80 characters)."""
    return re.split(r"[.،,؟!\n]", text[start:start + 80], maxsplit=1)[0]
_FOR_HEAD = re.compile(fold_pattern(
    r"(?<!\w)[وفبل]?(?:ال)?(?:معركه|معارك|عمليه|عمليات|حمله|خطه|محاوله|محاولات|سعي|طريق|"
    r"مساعي|جهود|هدف|بهدف|تمهيدا|استعدادات|تحضيرات)\s+(?:ل)?$"
))
# a future verb right before a masdar: "وستؤدي السيطرة على المجمع إلى…" (not "سيطرت", "سيارات")
_FUTURE_VERB = re.compile(r"(?<!\w)[وف]?س(?:[يت](?!طر)|ن)\w{2,}\s+(?:(?:في|علي|الي|ب)\s+)?(?:ال)?$")
# "… السيطرة على القرية خلال الأيام القليلة القادمة": a time still to come ends the clause
_TO_COME = re.compile(r"(?<!\w)(?:خلال|في)\s+(?:ال)?(?:ساعات|ايام|اسابيع|اشهر|اسبوع|شهر|فتره)\s+(?:(?:ال)?قليله\s+)?"
                      r"(?:ال)?(?:قادمه|مقبله|قادم|مقبل)(?!\w)")
#: What would help a capture: "عوامل مهمة في السيطرة عليها", "يسهل السيطرة على".
_HELPS = re.compile(fold_pattern(
    r"(?<!\w)[وف]?(?:ال)?(?:عوامل|عامل|دور|دورا|اهميه|[يت]سهل|تسهيل|[يت]ساعد|مساعده|[يت]سهم|اسهام)"
    r"\s+(?:\w+\s+)?(?:في\s+|علي\s+)?$"))
_PURPOSE_WORD = re.compile(r"(?<!\w)[وف]?ل(?![يتنل])\w+\s+(?:ال)?$")


def is_state(text: str, trig: Trigger, sentence_start: int, headline: bool = False) -> bool:
    """A state ("تحت سيطرة", "مناطق يسيطر عليها", "المحاصرة"), not an event.

    In a ``headline`` (the article's first sentence) a present tense reports the news
    ("قوات سوريا الديمقراطية تسيطر على مدينة الطبقة"), unless a duration says it is a state.
    """
    before = text[max(sentence_start, trig.start - 25):trig.start]
    if _STATE_BEFORE.search(before) or _STATE_AFTER.match(text, trig.end):
        return True
    if trig.kind == "captured" and trig.rule.name in ("control_noun", "control_verb") and \
            _CONTINUED.search(text, max(sentence_start, trig.start - 45), trig.start):
        return True  # "وتواصل قوات النظام سيطرتها على": control that goes on
    if trig.rule.form == "noun" and _SHARED.search(text, max(sentence_start, trig.start - 90), trig.start):
        return True  # "ويتقاسم الطرفان منذ سنوات السيطرة على المدينة": a divided place, no change
    if trig.present and re.match(lx.RESUMPTIVE, text[trig.end:trig.end + 12]):
        return True  # "التي يحاصرها التنظيم": a relative clause describing a state
    if trig.present and trig.rule.name in _STATE_WHEN_PRESENT and not _BECAME.search(before) and not (
            headline and not _DURATION.search(_clause(text, trig.end))):
        return True  # "ويسيطر التنظيم على معظم الأحياء", "تحاصر قواته": how things stand
    return bool(trig.present and re.search(r"(?:التي|الذي|مناطق|مواقع)\s*$", before))


_STATE_WHEN_PRESENT = frozenset({"control_verb"})  # "تحاصر قوات النظام المدينة" reports a siege
# "باتت تسيطر على": a new state, i.e. a change
_BECAME = re.compile(fold_pattern(r"(?<!\w)[وف]?(?:بات|باتت|اصبح|اصبحت|صار|صارت|باتوا|اصبحوا)\s+(?:\w+\s+){0,3}$"))


_CLAUSE_OPENER = re.compile(r"(?:(?<!\w)(?:التي|الذي|اللذين|اللتين|حيث|بعد\s+ان)(?!\w)|[،,])")


def is_modal(text: str, trig: Trigger, clause_start: int) -> bool:
    """Intent, attempt, purpose or future ("من أجل استعادة", "يسعى لإحكام السيطرة")."""
    if trig.purpose:
        return True
    before = text[max(clause_start, trig.start - 40):trig.start]
    openers = list(_CLAUSE_OPENER.finditer(before))
    if openers:
        before = before[openers[-1].end():]  # "من أجل استعادة تدمر التي سيطر عليها": the relative clause is an event
    if trig.rule.form == "noun" and (_PURPOSE_WORD.search(before) or _FOR_HEAD.search(before)
                                     or _FUTURE_VERB.search(before) or _HELPS.search(before)):
        return True  # "لإحكام السيطرة", "معركة استعادة تدمر" (the battle for it), "وستؤدي السيطرة"

    if trig.present and re.match(r"[وف]?ل?س[يت]", text[trig.start:trig.end]):
        return True  # "ستسيطر"
    return bool(lx.MODALITY.search(before) or _TO_COME.search(_clause(text, trig.end)))


def is_negated(text: str, trig: Trigger, clause_start: int) -> bool:
    """Plain negation just before the trigger ("لم يتمكنوا حتى الآن من دخول المطار")."""
    before = text[max(clause_start, trig.start - 35):trig.start]
    openers = list(_CLAUSE_OPENER.finditer(before))
    if openers:
        before = before[openers[-1].end():]
    return bool(lx.NEGATION.search(before))
