"""Which places a trigger is about: its objects, not its location anchors.

Objects come from the window after the trigger (lists "X وY وZ" give one object
each), from a resumptive pronoun ("التي انسحب منها" points back to the city named
before), or from "تلك المواقع" (the places of the previous event). Places after
a direction ("شمال شرق مطار التيفور") or "in" a city after the object ("مشفى الأسد في
دير الزور") only locate the event.

Each resolved place carries a ``why`` (the claim's ``site_why``). Names the finder missed
after a place noun or in a list may be another spelling of a place near the ones the text
names (one letter off, without a size word or "خربة"); every other unknown name after a
place noun, and every unknown item of a list of villages, is reported once per article
(``unresolved``), whether or not a trigger needs it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from engine.extract import lexicon as lx
from engine.extract.normalise import fold_pattern, fold_text, recent_fold
from engine.extract.triggers import Trigger
from engine.reference.gazetteer import (
    COMMON_WORDS,
    FUNCTION_WORDS,
    Gazetteer,
    PlaceMention,
    generic_heads,
)
from engine.reference.resolve import (
    FAR_KM,
    TYPO_KM,
    Evidence,
    choose,
    confirmed,
    far_village,
    km,
    main_place,
    near_spelling,
    nearest,
)

_TOWNS = ("city", "town")
_POPULATED = ("city", "town", "village")
_LIGHT = frozenset({"الي", "لي", "من", "في", "علي", "عن", "احياء", "اطراف", "قد", "بالكامل", "كامل"})
_WINDOW = 220
#: First words after a place noun that describe rather than name ("بلدة كبيرة").
_DESCRIPTORS = frozenset(fold_text(w) for w in (
    "كبيرة", "صغيرة", "استراتيجية", "هامة", "مهمة", "واسعة", "جديدة", "قديمة", "عسكرية", "أخرى",
    "ثانية", "مجاورة", "قريبة", "محاذية", "سورية", "عديدة", "كاملة", "بأكملها", "بالكامل", "واحدة",
    "تابعة", "التابعة", "المحيطة", "محيطة", "الحدودية", "حدودية", "مهمة", "رئيسية", "الرئيسية",
    "كان", "كانت", "يسيطر", "تسيطر", "سيطر", "سيطرت", "بعد", "التي", "الذي", "هذه", "هذا", "ذات",
    "عازلة", "آمنة", "سكنية", "صناعية", "زراعية", "تجارية", "سياحية", "بدعم", "بالقرب", "الواقعة", "الواقع", "ألغام", "الغام",
    "المحاصرة", "المحررة", "محاصرة", "محررة", "باتت", "تتواجد", "يتواجد", "مرة", "مجددا", "صباح",
    "مساء", "ليلا", "فجر", "ظهر", "عصر", "صباحا", "مساء", "بشكل", "بالكامل",
))
_NOT_A_NAME = _DESCRIPTORS | COMMON_WORDS | FUNCTION_WORDS
#: First words of compound names, common words alone: "قرية كفر نجد", "قرية أبو جب" name a place.
_NAME_PREFIXES = frozenset(fold_text(w) for w in (
    "كفر", "أبو", "أم", "تل", "عين", "دير", "بير", "جب", "خربة", "رأس", "بيت", "بني", "قصر", "حوش", "عرب"))
#: A two-letter second word of a compound name: "أبو جب" ("جب" is too short for the noun pattern).
_SHORT_SECOND_WORD = re.compile(r"\s+(\w{2})(?!\w)")
#: The closing mark of a bracketed or quoted name.
_CLOSING = {"(": ")", '"': '"', "“": "”", "«": "»"}
#: A generic facility ("المطار") with no antecedent is the one this near a place the text names.
_GENERIC_KM = 30.0
#: Words that continue a list of places beyond و: "بما في ذلك", "لا سيما", "إضافة لـ"...
LIST_CONNECTOR = (r"(?:بما\s+(?:في\s+ذلك|فيها|فيه|فيهم)|[وب]?لا\s+سيما|سيما|[وب]?(?:ال)?اضافه\s+(?:ل|الي)\s*|"
                  r"فضلا\s+عن|علاوه\s+علي|منها|من\s+بينها|بينها|مثل|ابرزها|اهمها|خاصه|وخاصه|تحديدا)")
#: A direction in brackets after a list item: "حطين (غرب) والبريد (شمال غرب)".
_BRACKETED_SIDE = r"(?:\(\s*(?:ال)?(?:شمال|جنوب|شرق|غرب|وسط)\w*(?:\s+(?:ال)?(?:شرق|غرب)\w*)?\s*\))?"
_LIST_GAP = re.compile(rf"^[\s،,()\-–/:]*{_BRACKETED_SIDE}[\s،,]*(?:و\s+)?(?:{LIST_CONNECTOR}[\s،,:]*)?$")
_PLAIN_GAP = re.compile(rf"[\s،,()\-–/:]*{_BRACKETED_SIDE}[\s،,]*(?:و\s*)?")
_CONNECTOR_AHEAD = re.compile(rf"[\s،,]*{LIST_CONNECTOR}")
#: More anchors than the lexicon's: the place only locates the event ("حول", "على مقربة من").
_MORE_ANCHORS = re.compile(
    r"(?:(?<!\w)(?:[وف]?(?:حول|محيط|بمحيط|مداخل|بمحاذاه|علي\s+مقربه\s+من|المتاخمه\s+ل|المجاوره\s+ل|"
    r"القريبه\s+من|القريب\s+من|الواقعه\s+(?:في|علي|قرب|شرق|غرب|شمال|جنوب)\w*|الواقع\s+(?:في|علي)))\s+|"
    r"(?<!\w)(?:ال)?(?:تابع|تابعه|مجاور|مجاوره|محاذي|محاذيه|متاخم|متاخمه)\s+)$")
#: A direction, "near", "facing" or a road, then a place noun: "شرق مدينة الباب", "قريبة من
#: مدينة الطبقة", "تقابل مطار حماة", "أوتوستراد حلب ـ دمشق". The place only locates the event.
_ANCHOR_NOUN = re.compile(
    r"(?<!\w)(?:[وف]?(?:ب|ل|من\s+)?(?:ال)?(?:شمال|جنوب|شرق|غرب)(?:ي|يه|يها|ا)?(?:\s+(?:ال)?(?:شرق|غرب)(?:ي|يه)?)?|"
    r"قرب|بالقرب\s+من|(?:ال)?قريب(?:ه|ا)?\s+من|تقابل|يقابل|مقابل|(?:ال)?مقابل(?:ه)?\s+ل|"
    r"[وفب]?(?:علي\s+)?(?:مشارف|اطراف|تخوم|محيط|مداخل|مدخل|ضواحي|حدود)|"
    r"(?:تطل|يطل|تشرف|يشرف)\s+علي|(?:ال)?(?:اوتوستراد|اتوستراد)(?:\s+[^\s،,]+){0,2}|"
    r"يربط(?:\s+[^\s،,]+){0,2}|(?:ال)?(?:واصل|رابط)(?:ه)?\s+بين(?:\s+[^\s،,]+){0,2})\s+"
    r"(?:(?:ال)?(?:مدينه|بلده|قريه|حي|منطقه|بلدتي|قريتي|مدينتي)\s+)?$")
#: A road or an unnamed object noun between the trigger and the first place: the object
#: is not in the gazetteer, and a town named after it only locates it.
_UNNAMED_OBJECT = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:طريق|اوتوستراد|اتوستراد|خط\s+(?:ال)?امداد|حواجز|حاجزي|معسكري|معسكرات|نقاط|"
    r"مداجن|مقالع|مستودعات|كتيبتي|سريتي)(?!\w)")
_FACILITY_OF = re.compile(lx.FACILITY_OF)
#: An adjective after a generic name: "المطار المهجور" is another airport than the one named.
_OTHER_PLACE_AFTER = re.compile(r"\s+(ال\w{2,}يه?|الم\w{3,})(?!\w)")
#: Adjectives that describe the same place ("البلدة الاستراتيجية", "المدينة المحاصرة").
_SAME_PLACE_WORDS = frozenset(fold_text(w) for w in (
    "الاستراتيجية", "المحاصرة", "المحاصر", "المحررة", "المحرر", "الحدودية", "الحدودي", "الكبيرة", "الكبير",
    "الصغيرة", "الصغير", "نفسها", "نفسه", "ذاتها", "ذاته", "المذكورة", "المذكور", "العسكري", "العسكرية",
    "الحربي", "الجوي", "الجوية", "الدولي", "المهمة", "الهامة", "الواقعة", "الواقع", "التي", "الذي",
    "المجاورة", "المجاور", "المنكوبة", "الشهيرة", "القريبة", "الأثرية", "الاثرية", "الرئيسي", "الرئيسية",
    "المواليتين", "الموالية", "المحاصرتين", "الخاضعة", "الخاضع", "السورية", "الاستراتيجي",
    "الشمالية", "الجنوبية", "الشرقية", "الغربية", "الشمالي", "الجنوبي", "الشرقي", "الغربي",
    "بالكامل", "الكاملة", "الوحيدة", "الوحيد", "الأخيرة", "الاخيرة", "الأخير", "الاخير", "الثانية", "الأولى",
))
#: Armed groups named after a place ("فصائل حوار كلس", "لواء صقور الرقة"): not the topic.
_GROUP_BEFORE = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:فصائل|فصيل|كتائب|كتيبه|لواء|الويه|تجمع|جبهه|غرفه\s+عمليات|جيش|صقور|"
    r"ثوار|احرار|مجلس)(?:\s+\w+)?\s+$")
_TOWN_NOUN_BEFORE = re.compile(r"(?<!\w)[وفبل]?(?:مدينه|بلده|قريه)\s+(?:$|(?=\w))")
#: An advance "towards the town of X" names the town the next "البلدة" means (a bare
#: "باتجاه السخنة" is only a direction, and stays an anchor).
_TOWARDS_TOWN = re.compile(r"(?<!\w)(?:نحو|باتجاه|اتجاه|صوب)\s+(?:مدينه|بلده|قريه)\s+$")
#: A relative pronoun right after a place (an adjective may come between).
_RELATIVE_AFTER = re.compile(r"(?:\s+(?:ال)?\w+)?[\s،,]*(?:التي|الذي|اللتين|اللذين)(?!\w)")
_DUAL = re.compile(r"هما(?!\w)")
#: Between the two places of a pair: و, perhaps after an adjective ("الطبقة الاستراتيجية وسد الفرات").
_PAIR_GAP = re.compile(r"(?:\s+ال\w+)?\s*(?:[،,]\s*)?(?:و\s*)?")
_JOINED = re.compile(r"\s*(?:[،,]\s*)?و(\w{4,})(?!\w)")
#: A list of checkpoints or posts: its names are not villages ("حواجز السمان، والإسكان، والخزان").
_CHECKPOINTS_BEFORE = re.compile(r"(?<!\w)[وفبل]?(?:ال)?(?:حواجز|حاجزي|حاجز|نقاط|نقطتي|معسكرات|معسكري|مواقع)(?!\w)")
#: The first word of a compound name right before a village's name: "عين السبيل", "تل X",
#: "جبل X" name another place (the finder found only the village).
_NAME_HEAD = re.compile(r"(?<!\w)[وفبل]?(?:عين|بئر|بير|تل|جبل|خربه|دير|كفر|راس|وادي|جسر)\s+$")
#: Place nouns that are also the first word of a name ("تل X", "خربة X", "جبل X").
_HEAD_IN_NAME = re.compile(r"[وفبل]?((?:تل|تله|خربه|جبل)\s)")
#: Dual and plural facility nouns ("حاجزي البركة", "معسكرات القرميد"): not the village.
_FACILITIES_OF = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:حاجزي|حواجز|معسكري|معسكرات|معسكر|مداجن|مقالع|صوامع|مزارع|مزرعه|مستودعات|"
    r"ثكنه|ثكنات|كتيبه|سريه|فوج|مبني|مدرسه|فندق|قصر)\s+$")
_LOCATIVE = re.compile(r"(?:(?<!\w)(?:في|داخل|وسط)\s+(?:(?:مدينه|بلده|قريه|حي|منطقه)\s+)?$|"
                       r"(?<!\w)ب(?:مدينه|بلده|قريه|حي|منطقه)\s+$)")
_STOP = lx.WINDOW_STOP
#: A capture right before a name: "السيطرة على X", "استعادت X", "تحرير X", "دخول X".
_CAPTURE_RIGHT_BEFORE = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:سيطر\w*(?:\s+\S+){0,3}?\s+علي|استعاد\w*|تحرير|حرر\w*|دخول|اقتحام|اقتحم\w*)\s+$")
#: A definite word between a preposition and an unresolved place: the first word of its name.
_NAME_HEAD_BEFORE = re.compile(r"(?<!\w)(?:علي|الي|من|في|عن)\s+(ال\w{2,})\s+$")
#: A time phrase between a verb and the preposition of its object: "سيطرت خلال الأسبوع الماضي
#: على X", "دخلت بعد ساعات من القتال إلى X" (short, no punctuation, a preposition after it).
_FRONTED_TIME = re.compile(r"(?:خلال|بعد|عقب|اثر|اثناء|قبل)\s+(?:[^\s.،؛:]+\s+){1,5}?(?=(?:علي|الي)\s)")
#: A part of the place and its noun between an entry and the place's name ("قلب مدينة",
#: "الشطر الشرقي من مدينة"): the entry still acts on the place.
_PART_OF_PLACE = re.compile(
    r"(?<!\w)(?:ال)?(?:قلب|داخل|وسط|(?:شطر|قسم|جزء|جانب|طرف)(?:\s+(?:ال)?(?:شمال|جنوب|شرق|غرب)\w*)?\s+من)"
    r"(?:\s+(?:مدينه|بلده|قريه|حي|منطقه))?(?!\w)")
#: Between a place and a phrase that describes it: "X آخر الكليات", "X أكبر حواجز المدينة".
_SUPERLATIVE_GAP = re.compile(r"\s*(?:[،,]\s*)?(?:اخر|اكبر|اهم|ابرز|اقدم|اول|ثاني|ثالث)\s+")
#: A second masdar joined by و between a trigger and "هذه القرى" ("تقدم الجيش وتأمين هذه
#: القرى"): the demonstrative is that masdar's object, not the trigger's.
_ANOTHER_MASDAR = re.compile(r"(?<!\w)و(?:ت\w{4,}|ا\w{4,})(?!\w)")
#: A relative clause after an object ("… التي تشرف على"): what follows describes the object.
_RELATIVE_CLAUSE = re.compile(r"(?<!\w)(?:التي|الذي|اللتين|اللذين)\s+(?:[يت]\w{2,}|كان\w*)(?!\w)")
#: The surroundings of a town: the fighting is about that town.
_AROUND_BEFORE = re.compile(r"(?<!\w)[وفب]?(?:في\s+)?(?:محيط|مشارف|اطراف)\s+(?:(?:مدينه|بلده)\s+)?$")
_AROUND_REACH = 300
_TOWN_WORD = re.compile(r"[وفبل]?(?:ال|لل)?(?:مدينه|بلده)$")
#: "The seat of the governorate of": the city, not the region its name is read as.
_SEAT_OF = re.compile(r"(?<!\w)مركز\s+(?:ال)?محافظه\s+(?:مدينه\s+)?$")
#: The lead of a town after an advance that places it: a part of the town, not a direction.
_INSIDE_TOWN = re.compile(r"(?<!\w)(?:ال)?(?:داخل|قلب|شطر|اجزاء|احياء)(?!\w)")
_RESUMPTIVE = re.compile(lx.RESUMPTIVE)
#: A comma then a word that is neither "و…" nor a preposition: the list has ended.
_CLAUSE_COMMA = re.compile(
    r"[،,]\s*(?=[^\sو(]\w*)(?!(?:علي|من|في|الي|عن|ب|منها|من\s+بينها|بينها|اهمها|ابرزها|اخرها|اخرها)(?!\w))"
    # "سيطرت الفصائل أمس، بالكامل على المدينة": an adverb, then the verb's preposition
    r"(?!(?:بالكامل|كليا|ايضا|مجددا|بشكل\s+كامل)[\s،,]*(?:علي|الي|من)(?!\w))"
)


@dataclass(frozen=True)
class Place:
    """One object of a trigger, resolved to one site."""

    start: int
    end: int
    site_id: str
    kind_override: str | None = None
    via_pronoun: bool = False
    fuzzy: bool = False
    generic: bool = False
    why: str = ""


#: An indefinite head noun right before a relative verb ("أول حي سيطرت عليه") names the kind of
#: place its pronoun stands for.
_KIND_HEAD = re.compile(r"(?<!\w)(حي|قريه|بلده|مدينه)\s+(?:[وف]?(?:قد|كانت|كان)\s+)?$")
_HEAD_KINDS = {"حي": ("neighbourhood",), "قريه": ("village",), "بلده": ("town", "village"),
               "مدينه": ("city", "town")}


class ObjectFinder:
    """Resolves the article's place mentions once, then finds each trigger's objects."""

    def __init__(self, text: str, gazetteer: Gazetteer, mentions: list[PlaceMention],
                 words: list[tuple[int, int, str]] | None = None):
        self.text, self.gaz = text, gazetteer
        self._spelt: dict[int, str] = {}
        # place nouns and plural place nouns of the whole text, found once
        self._noun_hits, self._plural_hits = _noun_hits(text, words)
        self._noun_starts = [h.start() for h in self._noun_hits]
        self._plural_starts = [h.start() for h in self._plural_hits]
        mentions = self._respelt(mentions)
        self.mentions = _keep_weak_in_lists(text, mentions)
        kept = {m.start for m in self.mentions}
        #: common-word names left out, reported when a capture's object ("السيطرة على الجبيلة")
        self._weak_dropped = [m for m in mentions if m.start not in kept and m.weak]
        self._starts = [m.start for m in self.mentions]
        self._anchor_memo: dict[tuple[int, int], bool] = {}
        self.resolved = self._resolve_all()
        self.last_list: list[Place] = []
        self.last_trigger: Trigger | None = None
        #: (trigger whose places "تلك المواقع" refers to, end of that phrase), for the last call
        self.last_reference: tuple[Trigger | None, int] | None = None
        self.unresolved: list[str] = []
        self._noted: set[str] = set()
        self._scanned: set[int] = set()
        self.actor_spans: list[tuple[int, int]] = []  # set by the reader once actors are found
        #: maps a folded span to the raw text, for notes that quote what the article wrote
        #: (the reader sets it; without it notes quote the folded text)
        folded = recent_fold(text)
        self.raw_of: Callable[[int, int], str] | None = (
            (lambda a, b: folded.raw.__getitem__(slice(*folded.raw_span(a, b)))) if folded else None)

    def _resolve_all(self) -> dict[int, tuple[str, ...]]:
        """Each mention's site(s): by name, by context for shared names, by recency for
        generic ones ("المدينة": the last town named that is not a mere anchor)."""
        gaz, sites = self.gaz, self.gaz.sites
        self.why: dict[int, str] = {}
        evidence = Evidence.of_mentions(gaz, self.mentions)
        out: dict[int, tuple[str, ...]] = {}
        recent: list[str] = []
        around: list[tuple[int, str]] = []  # towns named only as surroundings ("في محيط منبج"): a last resort
        qualifiers: set[int] = set()
        called_city: set[str] = set()  # villages of the gazetteer the text calls "مدينة X"
        for k, m in enumerate(self.mentions):
            surface = self.text[m.start:m.end]
            if m.start in qualifiers:
                out[m.start] = ()
                self.why[m.start] = f"{surface!r} names the district of the place before it, not a place of the text"
                continue
            if m.region:
                out[m.start] = ()
                self.why[m.start] = f"{surface!r} names a region, not the place"
                continue
            if m.generic_kinds:
                number = re.match(r"\s+\d+", self.text[m.end:m.end + 8])
                if number:
                    out[m.start] = ()
                    self.why[m.start] = f"{self.text[m.start:m.end + number.end()]!r}: a numbered unit not in the gazetteer"
                    continue
                other = _OTHER_PLACE_AFTER.match(self.text, m.end)
                if other and other.group(1) not in _SAME_PLACE_WORDS:
                    out[m.start] = ()
                    self.why[m.start] = (f"{self.text[m.start:other.end()]!r}: another "
                                         f"{'/'.join(m.generic_kinds)} than the one named before it")
                    continue  # "المطار المهجور", "المدينة الصناعية": not the airbase, not the city
                fitting = frozenset(m.site_ids)
                heads = generic_heads(m.name)
                fitting = fitting | {s for s in recent if heads and sites[s].kind in m.generic_kinds}
                if m.name == "المدينه":
                    fitting = fitting | called_city  # "مدينة X … المدينة": a village the text calls a city
                before = main_place(recent, fitting)
                why_around = ""
                if not before and _TOWN_WORD.match(m.name):
                    near = [s for at, s in around if m.start - at <= _AROUND_REACH]
                    before = main_place(near, fitting)  # "هاجمت القوات في محيط منبج … الحصار عن المدينة"
                    why_around = " (named as the surroundings of the fighting, no other town named)"
                if before:
                    out[m.start] = (before,)
                    self.why[m.start] = (f"{surface!r} stands for the {'/'.join(m.generic_kinds)} named "
                                         f"most before it: {sites[before].label()}{why_around}")
                    continue
                ids: tuple[str, ...] = ()
                why = ""
                if not any(k in _TOWNS or k == "village" for k in m.generic_kinds):
                    # "المطار" of an article on Deir ez-Zor: the only airbase near the places it names
                    ids, why = choose(gaz, surface, m.site_ids, evidence)
                if len(ids) == 1 and "km from" in why and float(why.split(" km from")[0].split()[-1]) <= _GENERIC_KM:
                    out[m.start] = ids
                    self.why[m.start] = f"generic name, none named before it; {why}"
                else:
                    out[m.start] = ()
                    self.why[m.start] = f"{surface!r}: no {'/'.join(m.generic_kinds)} named before it"
                continue
            ids, why = choose(gaz, surface, m.site_ids, evidence)
            if m.start in self._spelt:
                why = self._spelt[m.start]
            far = self._far_village(ids, evidence) if len(ids) == 1 and not m.fuzzy else None
            if far:
                respelt = near_spelling(gaz, m.name, evidence) if " " not in m.name else None
                ids, why = ((respelt[0],), f"{far}; read as {respelt[1]}") if respelt else ((), far)
            district = self._district_after(k)
            if district:
                ids, why = (district[0],), district[1]
                qualifiers.add(self.mentions[k + 1].start)
            if m.weak and len(ids) == 1 and not confirmed(gaz, sites[ids[0]], evidence, weak=True):
                label = sites[ids[0]].label()
                ids, why = (), f"{surface!r} is a common word as well as the name of {label}, and no place near it is named"
            out[m.start] = ids
            self.why[m.start] = why
            towards_town = _TOWARDS_TOWN.search(self.text, max(0, m.start - 20), m.start)
            if len(ids) == 1 and (towards_town or not self._anchored(m, max(0, m.start - 40))) \
                    and not _GROUP_BEFORE.search(self.text, max(0, m.start - 30), m.start):
                recent.append(ids[0])  # "باتجاه مدينة السخنة" is not what "المدينة" means
                noun = _TOWN_NOUN_BEFORE.search(self.text, max(0, m.start - 8), m.start) \
                    or _TOWN_NOUN_BEFORE.match(surface + " ")
                if noun:
                    recent.append(ids[0])  # "بلدة دابق" weighs more for "البلدة" than a bare name
                    if "مدينه" in noun.group(0) and sites[ids[0]].kind == "village":
                        called_city.add(ids[0])
            elif len(ids) == 1 and sites[ids[0]].kind in _TOWNS and _AROUND_BEFORE.search(
                    self.text, max(0, m.start - 20), m.start):
                around.append((m.start, ids[0]))
        return out

    def _far_village(self, ids: tuple[str, ...], evidence: Evidence) -> str | None:
        """Why a village the text names alone is not taken (:func:`far_village`)."""
        site = self.gaz.sites[ids[0]]
        why = far_village(self.gaz, site, evidence)
        if why or site.kind != "village" or site.origin != "ocha" or site.lat is None \
                or not evidence.governorates or site.admin1_pcode in evidence.governorates:
            return why
        # the text names a governorate, not the village's, and the one other place it names
        # is far: "قرية قباسين قرب الميادين في ريف دير الزور" is not the Qabasin of Aleppo
        others = [self.gaz.sites[o] for o in evidence.sites if o != site.site_id and self.gaz.sites[o].lat is not None]
        if others and min(km(site, o) for o in others) > FAR_KM:
            return (f"{site.name_ar!r} is the name of {site.label()}, but that village lies outside the "
                    f"governorate the text names and {min(km(site, o) for o in others):.0f} km from every "
                    "other place it names: another place of that name, not in the gazetteer")
        return None

    def _district_after(self, k: int) -> tuple[str, str] | None:
        """"صوران أعزاز", "تل شعير جرابلس": a shared name, then (nothing between) the district
        town of one of its places: that place, and the district is no place of the text."""
        m = self.mentions[k]
        if len(m.site_ids) < 2 or k + 1 >= len(self.mentions):
            return None
        n = self.mentions[k + 1]
        if self.text[m.end:n.start].strip() or len(n.site_ids) != 1 or n.generic_kinds \
                or self.text[n.start:n.end] != n.name:  # "بدير الزور" locates; "أعزاز" qualifies
            return None
        town = self.gaz.sites[n.site_ids[0]]
        if town.kind not in _TOWNS or not town.admin2_pcode:
            return None
        inside = [s for s in m.site_ids if self.gaz.sites[s].admin2_pcode == town.admin2_pcode]
        if len(inside) != 1:
            return None
        site = self.gaz.sites[inside[0]]
        return site.site_id, (f"{self.text[m.start:n.end]!r}: {len(m.site_ids)} places of that name; "
                              f"{site.label()} is in {town.admin2_en} district, which is written after it")

    def _respelt(self, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """Names the finder missed after a place noun or in a list of places ("منطقة غندور",
        "قرى … واحتميلات"), read as another spelling of a place near the ones the article
        names: a letter missing, added or two swapped (الغندورة, احتيملات), another spelling
        (خربة الماسي, تلة العمارة for تل العمارة), or without the "خربة" the gazetteer writes
        (سوبين → خربة سوبين). Each says why."""
        text, gaz = self.text, self.gaz
        starts = [m.start for m in mentions]

        def free(a: int, b: int) -> bool:  # no mention overlaps [a, b)
            i = bisect_left(starts, b)
            return not (i and mentions[i - 1].end > a) and not any(
                m.end > a for m in mentions[max(0, i - 3):i])
        spans: list[tuple[int, int]] = []
        hills: set[tuple[int, int]] = set()  # "تلة X" for the village "تل X": X alone may be a mention
        for hit in self._noun_hits:
            if hit.group("name"):
                first = hit.group("name").split()[0]
                spans.append((hit.start("name"), hit.start("name") + len(first)))
                spans.append((hit.start("name"), hit.end("name")))
                head = _HEAD_IN_NAME.match(hit.group(0))
                if head:  # "تل العمارنة": the noun is the name's first word
                    spans.append((hit.start() + head.start(1), hit.start("name") + len(first)))
                    if head.group(1).startswith("تله"):
                        hills.add(spans[-1])
        for hit in self._plural_hits:
            stop = text.find(".", hit.end())
            spans.extend(_list_items(text, hit.end(), stop if stop > 0 else len(text)))
        for m in mentions:  # "صوران واحتميلات": the word joined to a place by و
            joined = _JOINED.match(text, m.end)
            if joined and not _CHECKPOINTS_BEFORE.search(text, max(0, m.start - 50), m.start):
                spans.append((joined.start(1), joined.end(1)))
        spans = [(a, b) for a, b in dict.fromkeys(spans) if free(a, b) or (a, b) in hills]
        if not spans:
            return mentions
        evidence = Evidence.of_mentions(gaz, mentions)
        evidence.sites = list(dict.fromkeys(evidence.sites))
        found: list[PlaceMention] = []
        memo: dict[str, tuple[str, str] | None] = {}
        reading: tuple[str, str] | None
        for a, b in spans:
            word = text[a:b].strip("\"“”«»")
            a += text[a:b].index(word) if word else 0
            b = a + len(word)
            if len(word) < 4 or word in _NOT_A_NAME or word.startswith("ال") and word[2:] in _NOT_A_NAME \
                    or any(f.start < b and f.end > a for f in found):
                continue
            if word in memo:
                reading = memo[word]
                if reading:
                    self._spelt[a] = reading[1]
                    found.append(PlaceMention(a, b, (reading[0],), fuzzy=True, name=word))
                continue
            reading = near_spelling(gaz, word, evidence)
            if (a, b) in hills and not free(a, b) and (reading is None or "another spelling" not in reading[1]):
                continue  # over a place the finder read, only the village "تل X" itself
            if reading is None and " " not in word:
                ruin = [i for i in gaz.names_of("خربه " + word.removeprefix("ال"))
                        if confirmed(gaz, gaz.sites[i], evidence)]
                why = f"{word!r} is {gaz.sites[ruin[0]].label()} without its 'خربة', near the places the text names" \
                    if len(ruin) == 1 else ""
                reading = (ruin[0], why) if why else None
            if reading is None:
                reading = _with_qualifier(gaz, word, evidence)
            memo[word] = reading
            if reading:
                self._spelt[a] = reading[1]
                found.append(PlaceMention(a, b, (reading[0],), fuzzy=True, name=word))
        if not found:
            return mentions
        # a reading over the finder's ("تلة العمارة" over the village العمارة) replaces it
        kept = [m for m in mentions if not any(f.start < m.end and m.start < f.end for f in found)]
        return sorted(kept + found, key=lambda m: m.start)

    def objects_of(self, trig: Trigger, later: list[Trigger], s0: int, s1: int) -> list[Place]:
        """The places ``trig`` acts on, in text order (empty when it names none)."""
        text = self.text
        self.note_unknown_places(s0, s1)
        after = text[trig.end:min(s1, trig.end + 30)]
        if trig.kind == "withdrew":
            towards = lx.TOWARDS.search(after)
            source = re.search(r"(?<!\w)(?:من|منها|منه)(?!\w)", after)
            if towards and (not source or towards.start() < source.start()):
                return []
        demonstrative = lx.DEMONSTRATIVE_OBJECT.search(text, trig.end, min(s1, trig.end + 45))
        if demonstrative and not self._between(trig.end, demonstrative.start()) \
                and not _ANOTHER_MASDAR.search(self._without_actors(trig.end, demonstrative.start())):
            self.last_reference = (self.last_trigger, demonstrative.end())
            return [Place(p.start, p.end, p.site_id, p.kind_override, True) for p in self.last_list]
        self.last_reference = None
        resumptive = trig.object_pronoun or pronoun_is_object(text, trig, s0) or _RESUMPTIVE.match(text, trig.end)
        if resumptive:
            antecedent = self._antecedent(trig, s0)
            if antecedent:
                return antecedent
        places = self._window(trig, later, s1, locative_only=bool(resumptive))
        if places:
            self.last_list, self.last_trigger = places, trig
        return places

    def _antecedent(self, trig: Trigger, s0: int) -> list[Place]:
        located: list[Place] = []  # "الكلية الفنية الجوية … بالراموسة، وأعلن السيطرة على مساحات منها"
        # "أول حي سيطرت عليه الفصائل": the pronoun stands for a neighbourhood, not the city named last
        head = _KIND_HEAD.search(self.text, max(s0, trig.start - 12), trig.start)
        wanted = _HEAD_KINDS[head.group(1)] if head else None
        for m in reversed(self.mentions[:bisect_left(self._starts, trig.start)]):
            if m.end > trig.start:
                continue
            if m.start < max(s0, trig.start - 120):
                break
            if wanted and not any(self.gaz.sites[i].kind in wanted for i in self.resolved.get(m.start, ())):
                continue
            relative = _RELATIVE_AFTER.match(self.text, m.end)
            if self._anchored(m, s0) and not relative:
                continue  # "… قرب مدينة الباب، التي سيطر عليها": the relative clause says which
            if m.region:
                continue
            ids = self.resolved.get(m.start, ())
            why = f"pronoun after the trigger points back to it; {self.why.get(m.start, '')}"
            found = [Place(m.start, m.end, s, None, True, m.fuzzy, bool(m.generic_kinds), why) for s in ids]
            if not located and found and self._locates_the_one_before(m, s0):
                located = found
                continue  # a town "in" which the place named before it lies: the pronoun means that place
            if _DUAL.search(self.text, trig.start, min(len(self.text), trig.end + 8)):
                found[:0] = self._first_of_pair(m, s0)  # "الطبقة وسد الفرات …، وتستعيدهما"
            return found
        return located

    def _locates_the_one_before(self, m: PlaceMention, s0: int) -> bool:
        """``m`` is a town written "in" ("بالراموسة", "في مدينة X") right after a facility."""
        ids = self.resolved.get(m.start, ())
        if not ids or self.gaz.sites[ids[0]].kind not in _TOWNS + ("neighbourhood",):
            return False
        lead_from = max(s0, m.start - 60)
        before = [b for b in self._between(lead_from, m.start) if b.end <= m.start and self.resolved.get(b.start)]
        if not before or self.gaz.sites[self.resolved[before[-1].start][0]].kind in _POPULATED:
            return False
        gap = self.text[before[-1].end:m.start]
        bi = self.text[m.start] == "ب" and not m.name.startswith("ب")
        return bool(_LOCATIVE.search(gap) or bi) and not re.search(r"[.،,؛]", gap)

    def _first_of_pair(self, m: PlaceMention, s0: int) -> list[Place]:
        """The place joined to ``m`` by و just before it, for a dual pronoun (-هما)."""
        i = bisect_left(self._starts, m.start)
        if i == 0:
            return []
        first = self.mentions[i - 1]
        if first.start < s0 or not _PAIR_GAP.fullmatch(self.text[first.end:m.start]) or first.region:
            return []
        why = f"dual pronoun after the trigger points back to the pair; {self.why.get(first.start, '')}"
        return [Place(first.start, first.end, s, None, True, first.fuzzy, bool(first.generic_kinds), why)
                for s in self.resolved.get(first.start, ())]

    def _window(self, trig: Trigger, later: list[Trigger], s1: int, locative_only: bool) -> list[Place]:
        text = self.text
        end = min(s1, trig.end + _WINDOW)
        stop = _STOP.search(text, trig.end, end)
        while stop and _CONNECTOR_AHEAD.match(text, stop.start()):
            stop = _STOP.search(text, stop.end(), end)  # "إضافة لـ X" continues the list
        if stop and trig.rule.form == "verb" and not self._between(trig.end, stop.start()) \
                and stop.start() - trig.end <= 25:
            fronted = _FRONTED_TIME.match(text, stop.start(), end)
            if fronted:  # "سيطرت خلال الأسبوع الماضي على X": a time phrase before the object
                stop = _STOP.search(text, fronted.end(), end)
        if stop:
            end = stop.start()
        if trig.kind == "withdrew":
            towards = lx.TOWARDS.search(text, trig.end, end)
            if towards:
                end = towards.start()  # "انسحب من جزل إلى التيفور": T4 is where they went
        aside_until = -1
        for comma in _CLAUSE_COMMA.finditer(text, trig.end, end):
            if comma.start() < aside_until or self._between(comma.end(), comma.end() + 1) \
                    or _CONNECTOR_AHEAD.match(text, comma.end()):
                continue
            closing = re.search(r"[،,]", text[comma.end():comma.end() + 45])
            first_object = bool(self._between(trig.end, comma.start()))
            if closing and not first_object and comma.start() - trig.end < 40:
                aside_until = comma.end() + closing.end()  # "استعادت، مدعومة بالطيران الروسي، السيطرة"
                continue
            end = comma.start()  # "، تزامنت …": a new clause, not the next item of a list
            break
        for nxt in later:
            if nxt.start >= end:
                break
            if not (_RESUMPTIVE.match(text, nxt.end) or nxt.object_pronoun):
                end = nxt.start
                break
        places: list[Place] = []
        unplaced = False  # an object was named but could not be placed: "في مدينة X" after it locates it
        unplaced_at = -1  # where the last unplaced object starts
        first = self._between(trig.end, end)
        if first and (_UNNAMED_OBJECT.search(text, trig.end, first[0].start)
                      or _UNKNOWN_NOUN.search(text, trig.end, first[0].start)):
            unplaced = True  # "السيطرة على طريق رئيسي يربط…", "على حاجز X شمال مدينة Y"
        boundary = trig.end
        anchored_before: str | None = None
        for m in self._between(trig.end, end):
            if not places and m.start > trig.end + trig.rule.reach:
                break
            if not places and trig.rule.tight and not self._follows_at_once(trig.end, m.start):
                break
            # only a plain و or comma continues a list of anchors ("باتجاه الميادين والبوكمال");
            # "القرى التابعة لمنبج منها X" names the objects after the anchor
            in_list = _PLAIN_GAP.fullmatch(text[boundary:m.start]) is not None and boundary > trig.end
            kind = self._kind_class(m)
            if self._anchored(m, boundary) or (anchored_before == kind and in_list):
                boundary, anchored_before = m.end, kind
                continue  # an anchor, or a list of the same kind continuing it ("باتجاه الميادين والبوكمال")
            anchored_before = None
            if locative_only and not _LOCATIVE.search(text[boundary:m.start]):
                boundary = m.end
                continue
            seat = m.region and _SEAT_OF.search(text, max(boundary, m.start - 30), m.start)
            if places and _RELATIVE_CLAUSE.search(text, boundary, m.start):
                break  # "تلة المدفعية التي تشرف على أجزاء من المدينة": the clause describes the object
            if places and places[-1].end <= m.start and _SUPERLATIVE_GAP.fullmatch(text, places[-1].end, m.start):
                boundary = m.end
                continue  # "الكلية الفنية الجوية آخر الكليات العسكرية": it describes the place before
            if m.region and not seat:
                boundary = m.end
                continue  # "ريف حمص الشرقي" locates the event; it is not the city
            site_ids = self.resolved.get(m.start, ())
            if seat:  # "مركز محافظة الرقة" is the city, the seat of the governorate
                if places or unplaced:
                    boundary = m.end
                    continue  # "قرية X في مركز محافظة الرقة": it locates the object before it
                site_ids = tuple(s for s in m.site_ids if self.gaz.sites[s].kind == "city")
            if not site_ids:
                self._note(m, trig, self.why.get(m.start, "not resolved by the article's context"))
                boundary, unplaced, unplaced_at = m.end, True, m.start
                continue
            kind_override = None
            town = self.gaz.sites[site_ids[0]].kind in _TOWNS
            lead = text[boundary:m.start]
            facility = _FACILITY_OF.search(lead) or _FACILITIES_OF.search(lead) or _NAME_HEAD.search(lead)
            at = boundary + facility.start() if facility else -1
            if not facility and unplaced_at >= 0 and not lead.strip():
                # "صوامع منبج": the noun was read as a facility of another town and left unplaced
                noun = _FACILITY_OF.search(text, unplaced_at, m.start)
                at = noun.start() if noun and noun.start() == unplaced_at else -1
            if at >= 0 and self.gaz.sites[site_ids[0]].kind in _POPULATED:
                self._add_note(f"{self._surface(at, m.end)!r} at folded offset "
                               f"{at}: a place named after "
                               f"{self.gaz.sites[site_ids[0]].label()}, not in the gazetteer; "
                               "add it to events/places.csv", text[at:m.end])
                boundary = m.end
                continue  # "قلعة تدمر" is the citadel, not the city; "تلة الصنوبر" is not the village
            locator = town or self.gaz.sites[site_ids[0]].kind == "neighbourhood"
            bi = text[m.start] == "ب" and not m.name.startswith("ب")  # "بدير الزور": "in Deir ez-Zor"
            besieged_in = trig.kind in ("besieged", "siege_broken") and not places and not unplaced  # "تطويق مسلحي داعش في بلدة X"
            if locator and (_LOCATIVE.search(lead) or bi and not lead.strip(" و")) \
                    and (places or unplaced or len(lead.split()) > 4 and not besieged_in):
                boundary = m.end
                continue  # "… في مدينة دير الزور" locates the objects named before
            if town and lx.PARTS_OF.search(lead) and trig.kind in ("captured", "withdrew"):
                kind_override = "partial"  # a siege of "أحياء حلب" is a siege of Aleppo
            if trig.kind == "partial" and town and not _INSIDE_TOWN.search(lead):
                boundary = m.end
                continue  # an advance "in" a city is not a foothold we can place
            places.extend(Place(m.start, m.end, s, kind_override, False, m.fuzzy, bool(m.generic_kinds),
                                self.why.get(m.start, "")) for s in site_ids)
            boundary = m.end
        return places

    def _without_actors(self, start: int, end: int) -> str:
        gap = self.text[start:end]
        for a in self.actors_in(start, end):
            gap = gap.replace(self.text[a[0]:a[1]], " ")
        return gap

    def _follows_at_once(self, start: int, end: int) -> bool:
        """Only actors, prepositions and "the neighbourhoods of" between trigger and place."""
        gap = self.text[start:end]
        for a in self.actors_in(start, end):
            gap = gap.replace(self.text[a[0]:a[1]], " ")
        gap = _PART_OF_PLACE.sub(" ", gap)  # "إلى قلب مدينة X", "الشطر الشرقي من مدينة X"
        words = [w for w in re.findall(r"\w+", gap) if w not in _LIGHT]
        return len(words) <= 1

    def actors_in(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect_left(self.actor_spans, (start, -1))
        out = []
        while i < len(self.actor_spans) and self.actor_spans[i][0] < end:
            if self.actor_spans[i][1] <= end:
                out.append(self.actor_spans[i])
            i += 1
        return out

    def _between(self, start: int, end: int) -> list[PlaceMention]:
        """Mentions starting in ``[start, end)``."""
        return self.mentions[bisect_left(self._starts, start):bisect_left(self._starts, end)]

    def _kind_class(self, m: PlaceMention) -> str:
        ids = self.resolved.get(m.start) or m.site_ids
        return "town" if ids and self.gaz.sites[ids[0]].kind in _POPULATED else "site"

    def _anchored(self, m: PlaceMention, boundary: int) -> bool:
        if self.text[m.start] == "و" and not m.name.startswith("و"):
            return False  # "المشلب من الجهة الشرقية والرومانية": و joins it to the list, no word governs it
        lo = max(boundary, m.start - 40)
        found = self._anchor_memo.get((lo, m.start))
        if found is None:
            found = self._anchor_memo[(lo, m.start)] = bool(
                lx.ANCHOR_BEFORE.search(self.text, lo, m.start) or _MORE_ANCHORS.search(self.text, lo, m.start)
                or _ANCHOR_NOUN.search(self.text, lo, m.start))
        return found

    def _surface(self, start: int, end: int) -> str:
        return self.raw_of(start, end) if self.raw_of else self.text[start:end]

    def _note(self, m: PlaceMention, trig: Trigger, why: str) -> None:
        start = m.start
        head = _NAME_HEAD_BEFORE.search(self.text, max(trig.end, m.start - 25), m.start)
        if head and head.group(1)[2:] not in _NOT_A_NAME and not self._between(head.start(1), m.start) \
                and not _UNKNOWN_NOUN.match(self.text, head.start(1)):
            start = head.start(1)  # "على الضهرة العالية": the name is both words, not the village "العالية"
        self._add_note(f"{self._surface(start, m.end)!r} at folded offset {start}: {why}",
                       self.text[start:m.end])

    @staticmethod
    def _key(surface: str) -> str:
        key = " ".join(surface.split())
        return key[1:] if key[:1] in "وفبل" and key[1:3] in ("ال", "قر", "بل", "مد", "حي", "خر", "تل") else key

    def _add_note(self, note: str, surface: str) -> None:
        """One note per surface form (folded) and document: a name repeated ten times is
        reported once, at its first place."""
        key = self._key(surface)
        if key not in self._noted:
            self._noted.add(key)
            self.unresolved.append(note)

    def note_unknown_places(self, s0: int, s1: int) -> None:
        """Report every "بلدة/قرية/تلة/حاجز/فوج… NAME" of a sentence whose NAME the gazetteer
        lacks, and every unknown item of a list after a plural place noun ("قرى X وY وZ").

        The reader calls it for every sentence of the body, whether or not a trigger is in
        it: an unknown place is never dropped silently. Each surface form is reported
        once per document.
        """
        if s0 in self._scanned:
            return
        self._scanned.add(s0)
        for hit in self._noun_hits[bisect_left(self._noun_starts, s0):bisect_left(self._noun_starts, s1)]:
            if hit.end() > s1:
                continue
            if hit.group("number"):
                if not any(m.end >= hit.end() for m in self._between(hit.start() - 20, hit.end())):
                    self._unknown(hit.start(), hit.end())  # "اللواء 65": not the generic "اللواء"
                continue
            words = hit.group("name").split()
            first_end = hit.start("name") + len(words[0])
            if any(m.end > hit.start() for m in self._between(hit.start() - 60, first_end)):
                continue  # a place the gazetteer knows (a name after the noun may start a new item)
            noun = hit.group(0).split()[0]
            if re.match(r"[وفبل]?ال", noun) and not noun.startswith("لل") and not words[0].startswith("ال"):
                continue  # "المنطقة أسفرت": "the area", then the sentence goes on
            end = hit.end()
            if len(words) == 1 and words[0] in _NAME_PREFIXES:
                short_word = _SHORT_SECOND_WORD.match(self.text, end, s1)
                if short_word and short_word.group(1) not in _NOT_A_NAME:
                    words, end = [*words, short_word.group(1)], short_word.end()  # "قرية أبو جب"
            compound = words[0] in _NAME_PREFIXES and len(words) > 1 and words[1] not in _NOT_A_NAME
            # a name in brackets or quotes after the noun is a name even if it is also a word:
            # "مزرعة (زور …)", "تلة “الصوامع”"
            quoted = hit.start("name") > 0 and self.text[hit.start("name") - 1] in "(\"“«"
            if (words[0] in _NOT_A_NAME or words[0][2:] in _NOT_A_NAME) and not compound and not quoted:
                continue  # "مدينة كبيرة", "قرية أخرى": a description, not a name
            short = hit.start("name") + len(words[0])
            if len(words) > 1 and not compound and (words[1] in _NOT_A_NAME or words[1].startswith("و")
                                   or self._key(self.text[hit.start():short]) in self._noted):
                end = short  # "قرية زمزموطة أمس", "تلة X وقصف", a name already reported
            if quoted:
                closing = self.text.find(_CLOSING[self.text[hit.start("name") - 1]], hit.start("name"), s1)
                if 0 < closing - hit.start("name") <= 40:
                    end = closing + 1  # the whole bracketed name, "مزرعة (زور الناصرية)"
            self._unknown(hit.start(), end)
        for m in self._weak_dropped:
            if s0 <= m.start < s1 and _CAPTURE_RIGHT_BEFORE.search(self.text, max(s0, m.start - 50), m.start):
                label = self.gaz.sites[m.site_ids[0]].label() if len(m.site_ids) == 1 else "a place elsewhere"
                self._add_note(f"{self._surface(m.start, m.end)!r} at folded offset {m.start}: a common word as well "
                               f"as the name of {label}; not taken as the object of a capture (add the place to "
                               "events/places.csv if it is one)", self.text[m.start:m.end])
        for hit in self._plural_hits[bisect_left(self._plural_starts, s0):bisect_left(self._plural_starts, s1)]:
            if _THESE_BEFORE.search(self.text, max(s0, hit.start() - 8), hit.start()):
                continue  # "هذه القرى": the places named before
            for a, b in _list_items(self.text, hit.end(), s1):
                if not any(m.end > a for m in self._between(a - 8, b)):
                    self._unknown(a, b, in_list=True)

    def _unknown(self, start: int, end: int, in_list: bool = False) -> None:
        if in_list and any(m.weak and any(self.gaz.sites[s].origin != "ocha" for s in m.site_ids)
                           for m in self.gaz.find(self.text[start:end])):
            return  # a gazetteer name left out as a common word ("حطين" alone), not an unknown place
        # (a common word that is only the name of a village elsewhere, "حواجز السمان والإسكان", is one)
        self._add_note(f"{self._surface(start, end)!r} at folded offset {start}: "
                       "not in the gazetteer; add it to events/places.csv", self.text[start:end])


#: Place-type nouns: an unknown name after one is reported. The lexicon's, plus the
#: kinds of non-populated places the genre names (units' bases, farms, checkpoints...).
_UNKNOWN_NOUN = re.compile(fold_pattern(
    r"(?<!\w)[وفبل]?(?:ال)?(?:(?:مدينه|بلده|قريه|حي|منطقه|حقل|جبل|جبال|تله|تل|مطار|معمل|شركه|سد|"
    r"محطه|قاعده|كتيبه|مستشفي|مشفي|دوار|حاجز|بلدتي|قريتي|مدينتي|مزرعه|مزارع|مداجن|مقالع|صوامع|"
    r"سجن|معبر|فندق|قصر|مدرسه|كليه|مبني|خربه|رحبه|تلتي|حيي|معسكر)\s+[(\"“«]?"
    r"(?P<name>\w{3,}(?:\s+(?!(?:ال)?(?:شرق|غرب|شمال|جنوب|في|من|علي|بعد|قرب|بين)\w*)\w{3,})?)"
    # a unit's base or a numbered point only with its number: "اللواء 137", "النقطة 50"
    # ("لواء المعتصم", "فرقة السلطان مراد" are armed groups, not places)
    r"|(?:لواء|اللواء|فوج|الفوج|فرقه|الفرقه|نقطه|النقطه)\s+(?P<number>\d+))"
))
#: Plural place nouns opening a list of names: "قرى X وY وZ", "بلدتي X وY".
#: The opener may come a few words later ("القرى التابعة لمنبج منها X", "قرى أخرى مجاورة
#: لدابق هي X", "عشر قرى، منها قرية X"), and a checkpoint, a poultry farm or a hill has its
#: plural or dual too ("حواجز X وY", "مداجن X وY", "جبلي X وY").
_PLURAL_NOUN = re.compile(fold_pattern(
    r"(?<!\w)[وفبل]?(?:ال)?(?:قرى|بلدات|قريتي|بلدتي|أحياء|حيي|تلال|مزارع|حواجز|حاجزي|مداجن|جبلي|تلتي|معسكري)[،,]?\s+"
    r"(?:(?:[^\s.؛:]+\s+){0,4}?(?:منها|من\s+بينها|بينها|أبرزها|هي|مثل)[،,]?\s+(?:(?:قرية|بلدة)\s+)?"
    # "القرى التالية: X، Y"، "البلدات الآتية وهي X وY"
    r"|(?:ال)?(?:تالية|آتية)\s*(?:[:،,]\s*)?(?:(?:وهي|هي)\s+)?)?"
))
#: Words that end a list of names (prepositions, verbs of the next clause, directions).
_LIST_END = frozenset(fold_text(w) for w in (
    "على", "في", "من", "إلى", "الى", "عن", "بعد", "قبل", "قرب", "بين", "حتى", "منذ", "عند", "ضمن",
    "شرق", "غرب", "شمال", "جنوب", "شرقي", "غربي", "شمالي", "جنوبي", "وسط", "محيط", "أطراف", "بريف",
    "التي", "الذي", "اللتين", "كما", "حيث", "بينما", "وذلك", "إثر", "اثر", "خلال", "عقب", "مع", "أمس",
    "اليوم", "بالكامل", "كاملة", "بعد", "وقد", "فيما", "ما", "لا", "قد", "أن", "ان", "إن", "أنّ",
    "مشيرا", "مضيفا", "موضحا", "لافتا", "مؤكدا", "قال", "وقال", "أضاف", "وأضاف", "أكد", "وأكد",
    "كامل", "عدة", "المحاصرة", "المحاصرتين", "المحررة", "الموالية", "المواليتين", "الشرقية", "الغربية",
    "الشمالية", "الجنوبية", "المناطق", "النقاط", "نقاط", "مواقع", "المواقع", "الأخرى", "أخرى",
    "غيرها", "بالتزامن", "الريف", "تلال", "التلال", "القرى", "البلدات", "الخاضعة", "الخاضع", "الخاضعتين",
    "الواقعة", "الواقع", "التابعة", "التابع", "المتبقية", "المتبقي", "القريبة", "المجاورة", "المحيطة",
))
#: A closing quote then a comma: the quoted list is over ("…وكابر كبير"، مشيراً).
_QUOTE_END = re.compile(r"[\"”»]\s*[،,]")
_THESE_BEFORE = re.compile(r"(?<!\w)(?:هذه|تلك|هاتين|هذين)\s+$")


#: Size and position words the gazetteer writes after a village's name and news drops.
_QUALIFIERS = tuple(fold_text(w) for w in (
    "كبير", "صغير", "كبيرة", "صغيرة", "الكبير", "الصغير", "الكبيرة", "الصغيرة", "فوقاني", "تحتاني",
    "الفوقاني", "التحتاني", "شرقي", "غربي", "الشرقي", "الغربي", "شمالي", "جنوبي", "الشمالي", "الجنوبي",
))


#: "تمكنت (بعد ساعة) من …": the masdar after it has the verb's subject for its agent.
_ABLE_TO = re.compile(r"(?<!\w)[وف]?(?:تمكن|استطاع|نجح)\w*(?:\s+[^\s.،,]+){0,5}?\s+(?:من|في)\s+$")
#: Masdars of verbs that take a place for their object ("اقتحامها": storming it).
_TRANSITIVE_MASDARS = frozenset({"enter_noun", "liberate_noun", "recapture_noun", "siege_noun"})


def pronoun_is_object(text: str, trig: Trigger, s0: int) -> bool:
    """The pronoun of a masdar after "تمكنت من" is its object: "تمكنت من اقتحامها" (the town)."""
    return bool(trig.pronoun) and trig.rule.name in _TRANSITIVE_MASDARS and bool(
        _ABLE_TO.search(text, max(s0, trig.start - 60), trig.start))


def _qualified_bases(gaz: Gazetteer) -> frozenset[str]:
    """Names of the gazetteer without their last word when it is a size or position word
    (computed once per gazetteer and kept on it)."""
    found = getattr(gaz, "_qualified_bases", None)
    if found is None:
        qualifiers = set(_QUALIFIERS)
        found = frozenset(n.rsplit(" ", 1)[0] for n in gaz._by_name if " " in n and n.rsplit(" ", 1)[1] in qualifiers)
        gaz._qualified_bases = found  # type: ignore[attr-defined]
    return found


def _with_qualifier(gaz: Gazetteer, name: str, ev: Evidence) -> tuple[str, str] | None:
    """"جب الكلب" for the village the gazetteer writes "جب الكلب كبير": accepted when exactly
    one such village lies within :data:`TYPO_KM` of a place the text names."""
    if not ev.sites or name not in _qualified_bases(gaz):
        return None
    near: list[tuple[float, str, str]] = []
    for q in _QUALIFIERS:
        for site_id in gaz.names_of(f"{name} {q}"):
            others = [gaz.sites[o] for o in ev.sites if o != site_id and gaz.sites[o].lat is not None]
            found = nearest(gaz.sites[site_id], others, TYPO_KM)
            if found and site_id not in [n[2] for n in near]:
                near.append((found[0], found[1], site_id))
    if len(near) != 1:
        return None
    dist, by, site_id = near[0]
    return site_id, (f"{name!r} is {gaz.sites[site_id].name_ar!r} without its size or position word: "
                     f"{gaz.sites[site_id].label()} is {dist:.0f} km from {by}, named in the text")


#: Heads of the two patterns above (folded, without clitics): words worth matching at.
_HEADS = (
    "مدينه قريه بلده حي منطقه حقل جبل جبال تله تل مطار معمل شركه سد محطه قاعده كتيبه مستشفي مشفي "
    "دوار حاجز بلدتي قريتي مدينتي مزرعه مزارع مداجن مقالع صوامع سجن معبر فندق قصر مدرسه كليه مبني "
    "خربه رحبه تلتي حيي لواء اللواء فوج الفوج فرقه الفرقه نقطه النقطه قري بلدات احياء تلال "
    "حواجز حاجزي جبلي معسكر معسكري")
_NOUN_HEADS = frozenset(fold_text(w) for w in _HEADS.split())


_IS_NOUN: dict[str, bool] = {}


def _noun_hits(text: str, words: list[tuple[int, int, str]] | None = None) -> tuple[list[re.Match], list[re.Match]]:
    """Matches of :data:`_UNKNOWN_NOUN` and :data:`_PLURAL_NOUN` in ``text``, tried only at
    words whose core is a place noun (a regex scan of every position costs more)."""
    nouns: list[re.Match] = []
    plurals: list[re.Match] = []
    if words is None:
        words = [(w.start(), w.end(), w.group()) for w in re.finditer(r"\w+", text)]
    for start, _end, word in words:
        is_noun = _IS_NOUN.get(word)
        if is_noun is None:
            if len(_IS_NOUN) > 50_000:
                _IS_NOUN.clear()
            is_noun = _IS_NOUN[word] = any(word[k:] in _NOUN_HEADS for k in range(min(4, len(word) - 1)))
        if not is_noun:
            continue
        hit = _UNKNOWN_NOUN.match(text, start)
        if hit:
            nouns.append(hit)
        plural = _PLURAL_NOUN.match(text, start)
        if plural:
            plurals.append(plural)
    return nouns, plurals


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of a list "X، وY وZ" from ``start``: one to three words each, و dropped;
    the list ends at a preposition, a clause word or a longer phrase."""
    items: list[tuple[int, int]] = []
    cur: list[tuple[int, int]] = []
    quote = _QUOTE_END.search(text, start, end)
    end = quote.start() if quote else end
    for w in re.finditer(r"[^\s،,.:؛()\"“”«»]+|[،,.:؛()]", text[start:end]):
        a, b, word = start + w.start(), start + w.end(), w.group()
        if word in "،,":
            if cur:
                items.append((cur[0][0], cur[-1][1]))
            cur = []
            continue
        if word in ".:؛()":
            break
        bare = word[1:] if word.startswith("و") and len(word) > 2 else word
        if word in _LIST_END or bare in _LIST_END:
            break
        if bare in _DESCRIPTORS or bare.startswith("ال") and bare[2:] in _DESCRIPTORS:
            if not cur:
                break
            continue  # "تلة X الاستراتيجية": the adjective is not part of the name
        if word.startswith("و") and len(word) > 2 and cur:
            items.append((cur[0][0], cur[-1][1]))
            cur = []
        if not cur and word.startswith("و") and len(word) > 2:
            a += 1
        if len(cur) == 3:
            return items  # a phrase, not a name: the list has ended
        cur.append((a, b))
    if cur:
        items.append((cur[0][0], cur[-1][1]))
    return [(a, b) for a, b in items
            if not text[a].isdigit() and not (" " not in text[a:b] and text[a:b] in _NOT_A_NAME)]


def _keep_weak_in_lists(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Common-word names ("المهر", "العمال") count only in a list beside another place."""
    keep = [not m.weak for m in mentions]
    changed = True
    while changed:
        changed = False
        for i, m in enumerate(mentions):
            if keep[i]:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(mentions) and keep[j]:
                    a, b = (mentions[j], m) if j < i else (m, mentions[j])
                    if _LIST_GAP.match(text[a.end:b.start]):
                        keep[i] = changed = True
                        break
    return [m for m, k in zip(mentions, keep) if k]
