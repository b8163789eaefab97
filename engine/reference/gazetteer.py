"""Find gazetteer places in folded Arabic text: clitics, typos, generic names.

The place inventory is closed (``sites.csv``), so lookup beats a generic tagger:
each word is stripped of its clitics (و ف ب ل ك ال) and looked up by its core;
multi-word names then must match word for word. Words of six letters or more
that match nothing may match a one-word name at edit distance one (typos such as
البغبلية for البغيلية).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from engine.extract.normalise import fold_text

_WORD = re.compile(r"\w+")

#: Names that stand for a kind of place, resolved by the article's context.
GENERIC_NAMES: dict[str, tuple[str, ...]] = {
    fold_text("المطار"): ("airbase", "airport"),
    fold_text("المطار العسكري"): ("airbase", "airport"),
    fold_text("المدينة"): ("city", "town"),
    fold_text("البلدة"): ("town", "city"),
}

#: One-word names that are also common words: kept only in a list beside another place.
WEAK_NAMES = frozenset(fold_text(w) for w in (
    "الشاعر", "شاعر", "المهر", "المُهر", "الثورة", "حيان", "جهار", "العمال", "الصناعة", "القصور",
    "الرواد", "الطلائع", "الصوامع", "المثلث", "المقسم", "الدوة", "الدوه", "المالحة", "جبيلة",
    "القلمون", "محسة", "ثردة", "جزل", "اراك", "أراك", "الجورة", "الجوره", "الحميدية", "الجبيلة",
    "البيارات", "المقابر", "T4",
))


@dataclass(frozen=True)
class Site:
    """One row of ``sites.csv`` (the fields the extractor needs)."""

    site_id: str
    name_en: str
    name_ar: str
    kind: str
    parent_id: str
    region_id: str


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
    """

    start: int
    end: int
    site_ids: tuple[str, ...]
    generic_kinds: tuple[str, ...] = ()
    weak: bool = False
    fuzzy: bool = False


def _core(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def _clitic_forms(word: str) -> list[tuple[int, str]]:
    """Ways to read ``word`` as clitics + name: (length of clitics, core key)."""
    forms = [(0, word)]
    if len(word) > 2 and word[0] in "وف":
        forms.append((1, word[1:]))
    for skip, rest in list(forms):
        if len(rest) > 2 and rest[0] in "بك":
            forms.append((skip + 1, rest[1:]))
        if len(rest) > 3 and rest.startswith("لل"):
            forms.append((skip + 1, "ا" + rest[1:]))  # ل + ال → لل
        elif len(rest) > 2 and rest[0] == "ل":
            forms.append((skip + 1, rest[1:]))
    for skip, rest in list(forms):
        # construct-state duals: "مطاري التيفور", "تلتي المدفعية", "مدينتي تدمر"
        if len(rest) > 4 and rest.endswith("تي"):
            forms.append((skip, rest[:-2] + "ه"))
        elif len(rest) > 3 and rest.endswith("ي"):
            forms.append((skip, rest[:-1]))
    return [(skip, _core(rest)) for skip, rest in forms]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class Gazetteer:
    """Places of ``sites.csv`` with a clitic-aware, typo-tolerant finder.

    Example:
        >>> g = load_gazetteer()
        >>> [m.site_ids for m in g.find(fold_text("وبمدينة تدمر والتيفور"))]
        [('palmyra',), ('t4_airbase',)]
    """

    def __init__(self, sites: list[Site], names: list[tuple[str, str]]):
        self.sites = {s.site_id: s for s in sites}
        by_name: dict[str, list[str]] = {}
        for site_id, name in names:
            ids = by_name.setdefault(name, [])
            if site_id not in ids:
                ids.append(site_id)
        for name, kinds in GENERIC_NAMES.items():
            by_name[name] = [s.site_id for s in sites if s.kind in kinds]
        # first-word core → [(words of the name, name)], longest first
        self._index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name in by_name:
            words = tuple(_WORD.findall(name))
            if words:
                self._index.setdefault(_core(words[0]), []).append((words, name))
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._by_name = {k: tuple(v) for k, v in by_name.items()}
        self._cache: dict[str, tuple] = {}
        self._fuzzy_cache: dict[str, str | None] = {}
        self._fuzzy: dict[str, list[str]] = {}
        for name in by_name:
            core = _core(name)
            if " " not in name and len(core) >= 5 and name not in WEAK_NAMES:
                for key in _deletions(core) | {core}:
                    self._fuzzy.setdefault(key, []).append(name)

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
            found = (tuple(e for _skip, key in forms for e in self._index.get(key, ())), forms[-1][1])
            self._cache[word] = found
        return found

    def _match_at(self, text, words, i):
        start, end, word = words[i]
        best: tuple[int, str] | None = None
        entries, core = self._candidates(word)
        for name_words, name in entries:
            n = len(name_words)
            if best and n <= best[0] or i + n > len(words):
                continue
            if name in GENERIC_NAMES and not _definite(word):
                continue  # "مطار" (an airport) is not "المطار" (the airport of this article)
            if any(words[i + k][2] != name_words[k] for k in range(1, n)):
                continue
            if n > 1 and not _adjacent(text, words, i, n):
                continue
            best = (n, name)
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
        good = sorted(n for n in candidates if _within_one_edit(_core(n), core))
        return good[0] if len(good) == 1 else None

    def _mention(self, start: int, end: int, name: str, fuzzy: bool = False) -> PlaceMention:
        return PlaceMention(
            start=start,
            end=end,
            site_ids=self._by_name[name],
            generic_kinds=GENERIC_NAMES.get(name, ()),
            weak=name in WEAK_NAMES,
            fuzzy=fuzzy,
        )


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


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer of ``engine/reference/sites.csv`` (cached).

    >>> load_gazetteer().sites["palmyra"].region_id
    'palmyra_area'
    """
    sites: list[Site] = []
    names: list[tuple[str, str]] = []
    with resources.files("engine.reference").joinpath("sites.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            variants = [v.strip() for v in row["names_ar"].split("|") if v.strip()]
            sites.append(Site(row["site_id"], row["name_en"], variants[0] if variants else "",
                              row["kind"], row["parent_id"] or "", row["region_id"] or ""))
            names.extend((row["site_id"], fold_text(v)) for v in variants)
    return Gazetteer(sites, names)
