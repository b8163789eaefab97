"""Find gazetteer places in folded Arabic text: clitics, typos, generic names, regions.

The place inventory is closed (``sites.csv``: Syria's OCHA communities plus the
curated places, and a user's own places), so lookup beats a generic tagger: each
word is stripped of its clitics (و ف ب ل ك ال) and looked up by its core; the
other words of a multi-word name must match word for word, ال or not. Words of
six letters or more that match nothing may match a one-word name at edit
distance one (a letter dropped, added, changed or two swapped: البغبلية for
البغيلية, الرملية for الرميلة).

A name after "محافظة", "ريف" or "بادية" is a region ("بمحافظة حمص", "ريف حلب
الشمالي"), not the city: the mention is marked ``region`` and spans the direction
word after it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from engine.extract.normalise import fold_pattern, fold_text
from engine.reference.places import rows_for, rows_key

_WORD = re.compile(r"\w+")
#: Bump when the index layout changes: old cache files are then ignored.
_INDEX_VERSION = "9"
#: Index files kept in the cache folder.
_KEEP = 4

#: Names that stand for a kind of place, resolved by the article's context:
#: (kinds it may stand for, head nouns of names it may stand for).
GENERIC_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    fold_text(k): (kinds, tuple(fold_text(h) for h in heads)) for k, (kinds, heads) in {
        "المطار": (("airbase", "airport"), ("مطار",)),
        "المطار العسكري": (("airbase", "airport"), ("مطار",)),
        "القاعدة الجوية": (("airbase",), ("مطار", "قاعدة")),
        "القاعدة العسكرية": (("airbase", "military_base"), ("قاعدة", "مطار")),
        "المدينة": (("city", "town"), ()),
        "البلدة": (("town", "city", "village"), ()),
        "القرية": (("village", "town"), ()),
        "المشفى": ((), ("مشفى", "مستشفى")),
        "المستشفى": ((), ("مشفى", "مستشفى")),
        "الحي": (("neighbourhood",), ("حي",)),
        "السد": (("dam",), ("سد",)),
        "المحطة": (("power_station",), ("محطة",)),
        "الحقل": (("gas_field", "oil_field"), ("حقل",)),
        "التلة": (("hill",), ("تلة", "تل")),
        "الكلية": ((), ("كلية", "الكلية")),
        "اللواء": ((), ("اللواء", "لواء")),
        "الفرقة": ((), ("الفرقة", "فرقة")),
        "السجن": ((), ("سجن",)),
    }.items()
}

#: One-word names that are also common words: kept only in a list beside another place.
WEAK_NAMES = frozenset(fold_text(w) for w in (
    "الشاعر", "شاعر", "المهر", "المُهر", "الثورة", "حيان", "جهار", "العمال", "الصناعة", "القصور",
    "الرواد", "الطلائع", "الصوامع", "المثلث", "المقسم", "الدوة", "الدوه", "المالحة", "جبيلة",
    "القلمون", "محسة", "ثردة", "جزل", "اراك", "أراك", "الجورة", "الجوره", "الحميدية", "الجبيلة",
    "البيارات", "المقابر", "T4",
    # districts and villages named with ordinary words
    "البريد", "المرور", "الصالحية", "الزهراء", "الفردوس", "القادسية", "الخالدية", "الرملة",
    "السلطانية", "الجميلية", "الغسانية", "الناصرية", "الظاهرية", "الحسينية", "الإسكان",
    "الموظفين", "الجمعيات", "المنصورة", "الرشيد", "الأمين", "المنصور", "النهضة", "الأندلس",
    "الحمراء", "الكرامة", "الصالحين", "المشارقة", "الملاح", "الكاستيلو", "الجزرة",
    "المعادي", "الأشرفية", "الإذاعة", "المرجة", "المشهد", "الثكنة", "عكرمة", "الإنشاءات", "البياضة",
    "النزهة", "العرضي", "الرصافة", "الموظفين", "حطين",
    "الأصيلة", "السريان", "العزيزية", "السليمانية", "الشهباء", "الفرقان", "الأكرمية", "الأعظمية",
    "الإنذارات", "الهلك", "القاطرجي", "الفرافرة",
))

#: Community names that are ordinary words of war reporting: never a place alone.
#: (A village called "الجيش" or "النصر" is still found as "قرية النصر".)
COMMON_WORDS = frozenset(fold_text(w) for w in (
    "الدولة", "دولة", "الجيش", "جيش", "النصر", "نصر", "الحرية", "حرية", "السلام", "سلام", "الخير", "خير",
    "الوحدة", "وحدة", "العودة", "عودة", "الفتح", "فتح", "الأمل", "امل", "البعث", "بعث", "ثورة",
    "الجديدة", "جديدة", "الشرقية", "الغربية", "الشمالية", "الجنوبية", "القبلية", "الكبيرة", "الصغيرة",
    "كبير", "صغير", "الكبير", "الصغير", "الفوقاني", "التحتاني", "الغربي", "الشرقي", "الشمالي", "الجنوبي",
    "الوسطى", "المحطة", "المطار", "المدينة", "القرية", "البلدة", "الحي", "السد", "الجسر", "جسر",
    "المزرعة", "مزرعة", "المزارع", "العين", "عين", "تل", "التل", "الجبل", "جبل", "الحمام", "حمام",
    "الشيخ", "شيخ", "ابو", "أبو", "ام", "أم", "بيت", "دير", "كفر", "خربة", "الخربة", "تلة", "قرية",
    "منطقة", "المنطقة", "مدينة", "بلدة", "حي", "ريف", "الريف", "النهر", "نهر", "البحر", "الساحل",
    "الحدود", "المعبر", "معبر", "الطريق", "طريق", "القلعة", "قلعة", "المعمل", "معمل", "الشركة",
    "المعارضة", "النظام", "القوات", "قوات", "الفصائل", "الاسلام", "الإسلام", "الاسلامية", "الإسلامية",
    "الشام", "العرب", "عرب", "الكرد", "الأكراد", "التركمان", "الرحمن", "الله", "محمد", "أحمد", "احمد",
    "علي", "عمر", "حسن", "حسين", "خالد", "عثمان", "عيسى", "موسى", "يوسف", "ابراهيم", "إبراهيم",
    "اليوم", "امس", "أمس", "الغد", "الحرب", "المعركة", "معركة", "الهجوم", "هجوم", "القصف", "قصف",
    "النور", "نور", "الأمان", "الامان", "الأمن", "الامن", "الحق", "العدل", "الرحمة", "الهدى",
    "الفرات", "الجزيرة", "البادية", "الغوطة", "الشمال", "الجنوب", "الشرق", "الغرب",
    "السبت", "الأحد", "الاحد", "الاثنين", "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة", "جمعة",
    "المقاومة", "الشهداء", "شهداء", "الشهيد", "الانصار", "الأنصار", "المهاجرين", "الفاروق",
    "التقدم", "الوطن", "الوطنية",
    "الاتحاد", "اتحاد", "الجمهورية", "العربية", "السورية", "سوريا", "سورية", "الحكومة", "الرئيس",
    "الاحرار", "الأحرار", "احرار", "أحرار", "الفجر", "فجر", "العاصفة", "كرامة", "الصمود",
    "الغاب", "البر", "البيضاء", "السوداء", "الخضراء", "الزرقاء", "الحمر", "السود", "البيض",
    "الوادي", "وادي", "السهل", "الجبال", "الهضبة", "الدوار", "دوار", "المعامل", "الكتيبة", "كتيبة",
    "المخيم", "مخيم", "الحاجز", "حاجز", "المركز", "مركز", "الموقع", "موقع", "النقطة", "نقطة", "المقر",
    "المستودعات", "مستودعات", "الجامع", "جامع", "المسجد", "مسجد", "الكنيسة", "المدرسة", "مدرسة",
    "الجامعة", "جامعة", "الملعب", "ملعب", "السوق", "سوق", "الساحة", "ساحة", "المشفى", "مشفى",
    "الخان", "خان", "القصر", "قصر", "البرج", "برج", "الزور", "زور", "الحويجة", "حويجة",
    "المرج", "مرج", "البستان", "بستان", "الكروم", "الحقول", "الغابة", "غابة", "البئر", "بئر", "بير",
    "السبع", "الأربعين", "الاربعين", "الثلاثين", "العشرين", "مئة", "الف", "ألف",
    "المهندسين", "الضباط", "العسكريين",
    # seen matching ordinary words in news text
    "الأسد", "الاسد", "أسد", "العبد", "عبد", "رامي", "الرامي", "خلاله", "كردية", "الكردية", "بدا",
    "عليه", "الدور", "دور", "الحربية", "الوقف", "وقف", "الظهر", "ظهر", "بشرية", "الطوق", "طوق",
    "سلسلة", "الصورة", "صورة", "القطعة", "قطعة", "كيلو", "مقبلة", "المطلة", "الجبلي", "الشامية",
    "سلوك", "اصبح", "الاصبح", "حدث", "الحدث", "جروح", "طوال", "بهم", "عدنان", "مرتين", "خضر",
    "الكشف", "المنكوبة", "الشريعة", "الشيوخ", "العديدة", "الاهداف", "مشهد", "الميدان", "ميدان",
    "كانون", "شباط", "آذار", "اذار", "نيسان", "أيار", "ايار", "حزيران", "تموز", "آب", "أيلول", "ايلول",
    "تشرين", "يناير", "فبراير", "مارس", "أبريل", "ابريل", "مايو", "يونيو", "يوليو", "أغسطس", "اغسطس",
    "سبتمبر", "أكتوبر", "اكتوبر", "نوفمبر", "ديسمبر", "الساعة", "ساعة", "الأول", "الاول", "الثاني",
    "الثالث", "الرابع", "الخامس", "العاشر", "المقبل", "الماضي", "الجاري", "الحالي", "الرسمي",
    "المركزي", "العسكري", "العسكرية", "المدني", "المدنية", "الشعبي", "الشعبية", "الوطني",
    "المحلية", "الدولي", "الدولية", "الجوية", "الجوي", "البري", "البرية", "التركي", "التركية",
    "الروسي", "الروسية", "الأمريكي", "الامريكي", "الأمريكية", "الامريكية", "الإيراني", "الايراني",
    "السوري", "الكردي", "العراقي", "العراقية", "اللبناني", "لبنان", "تركيا", "روسيا", "ايران", "إيران",
    "العراق", "الأردن", "الاردن", "مصر", "مقاتل", "مقاتلين", "عنصر", "عناصر", "قتلى", "جرحى", "مدنيين",
    "أبرز", "ابرز", "الأبرز", "إلا", "الا", "دورة", "الدورة", "بنان", "أمين", "امين", "زارة", "بارزة",
    "ارزة", "ضمان", "مصاد", "كريم", "الكريم", "عاجلة", "إسقاط", "اسقاط", "ردة", "مقتلة", "صفا", "الصفا",
    "صور", "الصور",
    # participles of location: "جبل الثردة المطل على المطار" (a village is called المطل)
    "المطل", "مطل", "المطلة", "المشرف", "مشرف", "المشرفة", "المحاذي", "المتاخم", "المجاور",
    # numbers: "السيطرة على أربعة أحياء" (a village is called أربعة كبيرة)
    "واحد", "اثنين", "ثلاث", "ثلاثة", "اربع", "أربع", "اربعة", "أربعة", "خمس", "خمسة", "ست", "ستة",
    "سبع", "سبعة", "ثمان", "ثمانية", "تسع", "تسعة", "عشر", "عشرة", "عشرات", "مئات", "آلاف", "الاف",
))

#: Names whose core without the article is an ordinary noun: "باب" (a gate) is not الباب,
#: "طبقة" (a layer) not الطبقة.
ARTICLE_ONLY = frozenset(fold_text(w) for w in ("باب", "راعي", "طبقة", "ثورة", "سفيرة", "ميادين", "رقة"))

#: Prepositions and particles: a village whose name folds to one is never found bare.
FUNCTION_WORDS = frozenset(fold_text(w) for w in (
    "على", "في", "من", "إلى", "الى", "عن", "مع", "بعد", "قبل", "بين", "حتى", "منذ", "عند", "ضد",
    "حول", "خلال", "تحت", "فوق", "أمام", "امام", "وراء", "عبر", "نحو", "لدى", "كل", "بعض", "غير",
    "أن", "ان", "إن", "كان", "كانت", "قد", "لقد", "ما", "لا", "لم", "لن", "هو", "هي", "هم", "التي",
    "الذي", "الذين", "هذا", "هذه", "ذلك", "تلك", "أي", "اي", "أو", "او", "ثم", "كما", "أيضا", "ايضا",
    "شرق", "غرب", "شمال", "جنوب", "وسط", "قرب", "محيط", "أطراف", "اطراف", "داخل", "خارج",
))

_REGION_BEFORE = re.compile(fold_pattern(
    r"(?:^|(?<=\s))[وف]?[بل]?(?:ال)?(?:محافظة|ريف|ريفي|أرياف|بادية|ضواحي)\s+(?:[لب]?(?:مدينة|منطقة|بلدة)\s+)?$"))
_DIRECTION_AFTER = re.compile(
    r"\s+(?:ال)?(?:شرقي|غربي|شمالي|جنوبي|اوسط)(?:\s+(?:ال)?(?:شرقي|غربي))?(?!\w)")

#: Kinds that are populated places (towns, cities, villages).
POPULATED = ("city", "town", "village")


class Site(NamedTuple):
    """One row of ``sites.csv`` (the fields the extractor and the resolver need).

    A named tuple, not a dataclass: 5,473 of them unpickle from the index cache in a
    few milliseconds instead of a tenth of a second.
    """

    site_id: str
    name_en: str
    name_ar: str
    kind: str
    parent_id: str
    region_id: str
    lat: float | None = None
    lon: float | None = None
    pcode: str = ""
    admin1_pcode: str = ""
    admin1_en: str = ""
    admin2_pcode: str = ""
    admin2_en: str = ""
    origin: str = ""

    @property
    def populated(self) -> bool:
        return self.kind in POPULATED

    def label(self) -> str:
        """"palmyra (Palmyra (Tadmur) city, C2889)"."""
        extra = ", ".join(x for x in (self.name_en, self.pcode or self.admin2_en) if x)
        return f"{self.site_id} ({extra})"


@dataclass(frozen=True)
class PlaceMention:
    """A gazetteer name found in folded text.

    Attributes:
        start: folded offset of the first character (clitics included, as written).
        end: folded offset after the last character.
        site_ids: candidate sites (several for generic or shared names).
        generic_kinds: for generic names ("المطار"), the site kinds it may stand for.
        weak: the name is also a common word.
        fuzzy: matched at edit distance one.
        region: the name stands for a region ("ريف حمص", "بمحافظة حلب"), not the place.
        name: the folded gazetteer name that matched.
    """

    start: int
    end: int
    site_ids: tuple[str, ...]
    generic_kinds: tuple[str, ...] = ()
    weak: bool = False
    fuzzy: bool = False
    region: bool = False
    name: str = ""


def _core(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def _clitic_forms(word: str) -> list[tuple[int, str]]:
    """Ways to read ``word`` as clitics + name: (length of clitics, core key).

    The construct-state forms come last (see :meth:`Gazetteer._candidates`).
    """
    forms = [(0, word)]
    if len(word) > 2 and word[0] in "وف":
        forms.append((1, word[1:]))
    for skip, rest in list(forms):
        if len(rest) > 2 and rest[0] == "ب" or len(rest) > 4 and rest.startswith("كال"):
            forms.append((skip + 1, rest[1:]))  # "كالباب" in a list; "كبيرة" is not ك + بيرة
        if len(rest) > 3 and rest.startswith("لل"):
            forms.append((skip + 1, "ا" + rest[1:]))  # ل + ال → لل
        elif len(rest) > 2 and rest[0] == "ل":
            forms.append((skip + 1, rest[1:]))
    plain = len(forms)
    for skip, rest in list(forms):
        # construct-state duals: "مطاري التيفور", "تلتي المدفعية", "مدينتي تدمر"
        if len(rest) > 4 and rest.endswith("تي"):
            forms.append((skip, rest[:-2] + "ه"))
        elif len(rest) > 3 and rest.endswith("ي"):
            forms.append((skip, rest[:-1]))
    return [(skip if i < plain else -1 - skip, _core(rest)) for i, (skip, rest) in enumerate(forms)]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance at most one, or one swap of neighbouring letters."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _words_key(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_core(w) for w in words)


#: Letters reporters interchange between emphatic and plain sounds (folded text).
_SOUND_PAIRS = str.maketrans({"ص": "س", "ط": "ت", "ض": "د", "ظ": "ز", "ذ": "ز"})
_DOUBLED = re.compile(r"(\w)\1")


def sound_key(name: str) -> str:
    """A folded name's key for :meth:`Gazetteer.sound_alikes`: no ال on any word, the sound
    pairs merged, a word-initial ه as ا, a doubled letter once, a first word تلة as تل.

    >>> sound_key(fold_text("خربة الماسي")) == sound_key(fold_text("خربة ماصي"))
    True
    """
    words = [_core(w).translate(_SOUND_PAIRS) for w in _WORD.findall(name)]
    if len(words) > 1 and words[0] == "تله":
        words[0] = "تل"  # "تلة X" for the village "تل X" (the mound it is named after)
    # a word-initial ه is often not heard ("الهوشرية", "أوشرية")
    return " ".join(_DOUBLED.sub(r"\1", "ا" + w[1:] if w[:1] == "ه" and len(w) > 4 else w) for w in words)


class Gazetteer:
    """Places of ``sites.csv`` with a clitic-aware, typo-tolerant finder.

    Example:
        >>> g = load_gazetteer()
        >>> [m.site_ids for m in g.find(fold_text("وبمدينة تدمر والتيفور"))]
        [('palmyra',), ('t4_airbase',)]
        >>> [(m.site_ids, m.region) for m in g.find(fold_text("في ريف حمص الشرقي"))]
        [(('homs',), True)]
    """

    def __init__(self, sites: list[Site], names: list[tuple[str, str]]):
        self.sites = {s.site_id: s for s in sites}
        by_name: dict[str, list[str]] = {}
        common = {_core(w) for w in COMMON_WORDS} | FUNCTION_WORDS
        for site_id, name in names:
            if name in COMMON_WORDS or (" " not in name and (_core(name) in common or len(_core(name)) < 3)):
                continue
            ids = by_name.setdefault(name, [])
            if site_id not in ids:
                ids.append(site_id)
        heads_of = {s.site_id: _core(_WORD.findall(fold_text(s.name_ar))[0]) if s.name_ar else ""
                    for s in sites}
        #: generic name → the kinds of the sites it may stand for
        self.generic_kinds: dict[str, tuple[str, ...]] = {}
        for name, (kinds, heads) in GENERIC_NAMES.items():
            bare = {_core(h) for h in heads}
            ids = [s.site_id for s in sites if s.kind in kinds or heads_of[s.site_id] in bare]
            by_name[name] = ids
            self.generic_kinds[name] = kinds or tuple(sorted({self.sites[i].kind for i in ids})) or ("place",)
        # first-word core → (one-word names, second-word core → [(word cores, name)] longest first):
        # "تل" starts hundreds of names, so the second word picks the few worth comparing
        self._index: dict[str, tuple[list[str], dict[str, list[tuple[tuple[str, ...], str]]]]] = {}
        for name in by_name:
            words = _words_key(tuple(_WORD.findall(name)))
            if not words:
                continue
            singles, multi = self._index.setdefault(words[0], ([], {}))
            if len(words) == 1:
                singles.append(name)
            else:
                multi.setdefault(words[1], []).append((words, name))
        for _singles, multi in self._index.values():
            for entries in multi.values():
                entries.sort(key=lambda e: -len(e[0]))
        self._by_name = {k: tuple(v) for k, v in by_name.items()}
        self._fuzzy: dict[str, list[str]] = {}
        # Typos are forgiven for the curated and the user's places only: among 5,000 village
        # names, a word one letter away from some village is the rule ("السوري", "عمليات").
        careful = {sid for sid, s in self.sites.items() if s.origin != "ocha"}
        self._careful_names = frozenset(n for n, ids in by_name.items() if any(i in careful for i in ids))
        for name in by_name:
            core = _core(name)
            if " " not in name and len(core) >= 5 and name not in WEAK_NAMES \
                    and any(i in careful for i in by_name[name]) and name not in GENERIC_NAMES:
                for key in _deletions(core) | {core}:
                    self._fuzzy.setdefault(key, []).append(name)
        # other spellings of names (see sound_alikes, last_word_near), indexed once
        # (values are "|"-joined names: strings unpickle faster than lists)
        self._sound_index: dict[str, str] = {}
        self._last_word_index: dict[str, str] = {}  # all words but the last (cores) → names
        for name in by_name:
            if name in GENERIC_NAMES:
                continue
            key = sound_key(name)
            self._sound_index[key] = f"{self._sound_index[key]}|{name}" if key in self._sound_index else name
            words = _words_key(tuple(_WORD.findall(name)))
            if len(words) > 1:
                key = " ".join(words[:-1])
                self._last_word_index[key] = f"{self._last_word_index[key]}|{name}" if key in self._last_word_index else name
        self._fuzzy_all: dict[str, list[str]] = {}
        for name in by_name:
            core = _core(name)
            if " " not in name and len(core) >= 5 and name not in GENERIC_NAMES:
                for key in _deletions(core) | {core}:
                    self._fuzzy_all.setdefault(key, []).append(name)
        self._reset_caches()

    def near_spellings(self, word: str) -> list[str]:
        """Every one-word name one letter off ``word`` (a folded word), villages included.

        The finder forgives typos in curated names only; the resolver uses this when
        the places a text names confirm the reading.
        """
        core = _core(word)
        found = set(self._fuzzy_all.get(core, ()))
        for key in _deletions(core):
            found.update(self._fuzzy_all.get(key, ()))
        return sorted(n for n in found if _within_one_edit(_core(n), core))

    def sound_alikes(self, name: str) -> tuple[str, ...]:
        """Names written with the other letter of a sound pair (ص/س, ط/ت, ض/د, ظ/ذ/ز), with
        or without ال on any word and a doubled letter written once: "خربة الماسي" for the
        village the gazetteer writes "خربة ماصي" (``name`` folded; the name itself excluded).

        The index is built with the gazetteer and pickled with it.
        """
        found = self._sound_index.get(sound_key(name))
        return tuple(n for n in found.split("|") if n != name) if found else ()

    def last_word_near(self, name: str) -> tuple[str, ...]:
        """Multi-word names whose other words are those of ``name`` (ال aside) and whose last
        word is one letter off its last word (dropped, added or two swapped; five letters or
        more): "تل العمارنة" for "تل العمارة"."""
        words = _words_key(tuple(_WORD.findall(name)))
        if len(words) < 2 or len(words[-1]) < 4:
            return ()
        last = words[-1]
        found = []
        for known in self._last_word_index.get(" ".join(words[:-1]), "").split("|"):
            if not known:
                continue
            core = _core(_WORD.findall(known)[-1])
            if core != last and max(len(core), len(last)) >= 5 and _within_one_edit(core, last) \
                    and (len(core) != len(last) or sorted(core) == sorted(last)):
                found.append(known)
        return tuple(found)

    def _reset_caches(self) -> None:
        self._cache: dict[str, tuple] = {}
        self._fuzzy_cache: dict[str, str | None] = {}

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items()
                if k not in ("_cache", "_fuzzy_cache", "_qualified_bases", "_spelling_cache")}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._reset_caches()

    def names_of(self, name: str) -> tuple[str, ...]:
        """Site ids a folded gazetteer name stands for (empty when it is not one)."""
        return self._by_name.get(name, ())

    def find(self, text: str, words: list[tuple[int, int, str]] | None = None) -> list[PlaceMention]:
        """All non-overlapping place mentions in folded ``text``, left to right.

        Args:
            text: folded text.
            words: its (start, end, word) list, if already computed.
        """
        if words is None:
            words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        found: list[PlaceMention] = []
        candidates = {w: self._candidates(w) for w in {w for _, _, w in words}}
        live = {w for w, (entries, core) in candidates.items() if entries or len(core) >= 6}
        i = 0
        while i < len(words):
            if words[i][2] not in live:
                i += 1
                continue
            hit = self._match_at(text, words, i)
            if hit is None:
                i += 1
                continue
            mention, used = hit
            if mention.site_ids and not mention.generic_kinds:
                region = _REGION_BEFORE.search(text, max(0, mention.start - 24), mention.start)
                if region:
                    after = _DIRECTION_AFTER.match(text, mention.end)
                    end = after.end() if after else mention.end
                    mention = PlaceMention(mention.start, end, mention.site_ids, (), mention.weak,
                                           mention.fuzzy, True, mention.name)
                    while i + used < len(words) and words[i + used][0] < end:
                        used += 1
            found.append(mention)
            i += used
        return found

    def _candidates(self, word: str) -> tuple[tuple, str]:
        """Names whose first word ``word`` may be, and its bare core (cached: words repeat)."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()  # bounded memory on huge or random inputs
            forms = _clitic_forms(word)
            # a dual form ("مطاري" → مطار) only for multi-word or curated names: among village
            # names, "السوري" would be the village "السور"
            singles: list[str] = []
            multis: list[dict] = []
            for skip, key in forms:
                bucket = self._index.get(key)
                if bucket is None:
                    continue
                singles.extend(n for n in bucket[0] if skip >= 0 or n in self._careful_names)
                if bucket[1]:
                    multis.append(bucket[1])
            found = ((tuple(singles), tuple(multis)) if singles or multis else (), forms[-1][1])
            self._cache[word] = found
        return found

    def _match_at(self, text, words, i):
        start, end, word = words[i]
        best: tuple[int, str] | None = None
        entries, core = self._candidates(word)
        if entries:
            singles, multis = entries
            second = _core(words[i + 1][2]) if i + 1 < len(words) else None
            for multi in multis:
                for name_words, name in multi.get(second, ()):
                    n = len(name_words)
                    if best and n <= best[0] or i + n > len(words):
                        continue
                    if name in GENERIC_NAMES and not _definite(word):
                        continue  # "مطار" (an airport) is not "المطار" (the airport of this article)
                    if any(_core(words[i + k][2]) != name_words[k] for k in range(2, n)):
                        continue
                    if not _adjacent(text, words, i, n):
                        continue
                    best = (n, name)
            if best is None:
                for name in singles:
                    if (name in GENERIC_NAMES or _core(name) in ARTICLE_ONLY and name.startswith("ال")) \
                            and not _definite(word):
                        continue
                    best = (1, name)
                    break
        if best:
            n, name = best
            return self._mention(start, words[i + n - 1][1], name), n
        if len(core) >= 6:
            name = self._fuzzy_cache.get(core, "?")
            if name == "?":
                if len(self._fuzzy_cache) > 100_000:
                    self._fuzzy_cache.clear()
                name = self._fuzzy_cache[core] = self._fuzzy_name(core)
            if name:
                return self._mention(start, end, name, fuzzy=True), 1
        return None

    def _fuzzy_name(self, core: str) -> str | None:
        candidates = set(self._fuzzy.get(core, ()))
        for key in _deletions(core):
            candidates.update(self._fuzzy.get(key, ()))
        # a name whose core is the word's own was refused already ("وميادين": squares, not الميادين)
        good = sorted(n for n in candidates if _core(n) != core and _within_one_edit(_core(n), core))
        return good[0] if len(good) == 1 else None

    def _mention(self, start: int, end: int, name: str, fuzzy: bool = False) -> PlaceMention:
        return PlaceMention(
            start=start,
            end=end,
            site_ids=self._by_name[name],
            generic_kinds=self.generic_kinds.get(name, ()),
            weak=name in WEAK_NAMES or "ال" + name in WEAK_NAMES,  # "الإسكان" is also the village اسكان
            fuzzy=fuzzy,
            name=name,
        )


def generic_heads(name: str) -> tuple[str, ...]:
    """Head nouns of the names a generic name may stand for ("المشفى" → مشفي, مستشفي)."""
    generic = GENERIC_NAMES.get(name)
    return generic[1] if generic else ()


def _definite(word: str) -> bool:
    """The word carries the article: "المطار", "والمطار", "بالمطار", "للمطار"."""
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
    if word[:1] in ("ب", "ك"):
        word = word[1:] if word[1:].startswith("ال") else word
    return word.startswith(("ال", "لل"))


def _adjacent(text: str, words, i: int, n: int) -> bool:
    """Multi-word names must not span a line, a comma or a full stop."""
    for k in range(i, i + n - 1):
        gap = text[words[k][1]:words[k + 1][0]]
        if len(gap) > 3 or any(c in gap for c in "\n،,.؛:()"):
            return False
    return True


def _float(value: str) -> float | None:
    return float(value) if value else None


def build_gazetteer(rows) -> Gazetteer:
    """A gazetteer of site rows (dicts with the ``sites.csv`` columns)."""
    sites: list[Site] = []
    names: list[tuple[str, str]] = []
    for row in rows:
        variants = [v.strip() for v in row["names_ar"].split("|") if v.strip()]
        sites.append(Site(
            row["site_id"], row["name_en"], variants[0] if variants else "", row["kind"],
            row.get("parent_id") or "", row.get("region_id") or "", _float(row.get("lat") or ""),
            _float(row.get("lon") or ""), row.get("pcode") or "", row.get("admin1_pcode") or "",
            row.get("admin1_en") or "", row.get("admin2_pcode") or "", row.get("admin2_en") or "",
            row.get("origin") or "",
        ))
        names.extend((row["site_id"], fold_text(v)) for v in variants)
    return Gazetteer(sites, names)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tadmur"


def _cache_path(key: tuple) -> Path:
    digest = hashlib.sha256()
    digest.update(_INDEX_VERSION.encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(resources.files("engine.reference").joinpath("sites.csv").read_bytes())
    for path_text, _mtime, _size in key:
        digest.update(Path(path_text).read_bytes())
    return _cache_dir() / f"gazetteer-{digest.hexdigest()[:24]}.pickle"


@cache
def _load(key: tuple) -> Gazetteer:
    try:
        path = _cache_path(key)
        with path.open("rb") as fh:
            found = pickle.load(fh)
        if isinstance(found, Gazetteer):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        pass  # no cache yet, or one from another version: build it
    gazetteer = build_gazetteer(rows_for(key))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
        # keep a few recent indexes (several checkouts may share the folder), drop the rest
        old = sorted(path.parent.glob("gazetteer-*.pickle"), key=lambda p: p.stat().st_mtime)[:-_KEEP]
        for stale in old:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: build every time, still correct
    return gazetteer


def load_gazetteer() -> Gazetteer:
    """The gazetteer of ``sites.csv`` and the user's places (cached in memory and on disk).

    The compiled index is pickled under ``$XDG_CACHE_HOME/tadmur`` (default
    ``~/.cache/tadmur``), keyed by the hash of the data and of this module.

    >>> load_gazetteer().sites["palmyra"].region_id
    'palmyra_area'
    """
    return _load(rows_key())
