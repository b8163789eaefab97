"""Arabic normalisation for matching, with a map back to the raw text.

Matching runs on a folded copy of the article; quoting must use the raw text.
Every character of the folded text remembers the index of the raw character it
came from, so a span found in the folded text maps to an exact raw span.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

# Harakat, Quranic marks, superscript alef and tatweel: noise for matching.
_DROP = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
    # quotes glue onto names ("سادكوب") and would break word matching
    + list("\"'“”«»‘’„‟`´")
    # zero-width and bidi controls are invisible in scraped pages
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u202a", "\u202b",
       "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)

# Not pyarabic.normalize_alef: it folds ى into ا and turns على into علا.
_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ة": "ه",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "،": "،", "؛": "؛",
    }
)

_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Folded:
    """A folded text and, per folded character, the raw index it came from.

    Attributes:
        text: the folded text used for matching.
        origin: ``origin[i]`` is the raw index of ``text[i]``; one extra entry at
            the end holds ``len(raw)`` so half-open spans map cleanly.
    """

    text: str
    origin: tuple[int, ...]
    raw: str = ""

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded half-open span ``[start, end)`` to the raw text.

        >>> f = fold("مدينةُ تدمرَ")
        >>> s = f.text.index("تدمر"); f.raw_span(s, s + 4)
        (7, 12)
        """
        if end <= start:
            return self.origin[start], self.origin[start]
        last = self.origin[end - 1] + 1
        # the vowel marks of the last letter belong to the word ("تدمرَ")
        while last < len(self.raw) and (self.raw[last] == "\u0640" or unicodedata.combining(self.raw[last])):
            last += 1
        return self.origin[start], last


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    if _SPACE.match(ch):
        return "\n" if ch in "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85" else " "
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(c for c in out if c not in _DROP)
    # Latin is lower-cased so "t4" and "T4" are one name
    return out.translate(_FOLD).lower()


_RECENT: dict[int, Folded] = {}


def recent_fold(text: str) -> Folded | None:
    """The :class:`Folded` whose ``.text`` is this very string object, if folded lately.

    Lets a reader given only the folded text quote the raw one (notes on unknown places).

    >>> f = fold("قريةُ الفلانية"); recent_fold(f.text).raw
    'قريةُ الفلانية'
    """
    found = _RECENT.get(id(text))
    return found if found is not None and found.text is text else None


def _remember(folded: Folded) -> Folded:
    if len(_RECENT) >= 8:
        _RECENT.pop(next(iter(_RECENT)))
    _RECENT[id(folded.text)] = folded
    return folded


def fold(raw: str) -> Folded:
    """Fold ``raw`` for matching: NFKC, no diacritics/tatweel/quotes, one alef, ASCII digits.

    Runs of spaces collapse to one (a newline wins), so multi-word names match
    whatever the spacing of the page.

    >>> fold("أعلنت إدارة آذار ١٣٧ على مستشفى ســـيطر").text
    'اعلنت اداره اذار 137 علي مستشفي سيطر'
    >>> fold("ﻻ").text
    'لا'
    """
    return _remember(_fold(raw))


def _fold(raw: str) -> Folded:
    mapping = {ch: _fold_char(ch) for ch in set(raw)}
    if any(len(out) > 1 for out in mapping.values()):
        return _fold_slow(raw, mapping)
    # Fast path (the usual case): every raw character folds to at most one character.
    table = {ord(ch): (out or None) for ch, out in mapping.items()}
    text = raw.translate(table)
    keep = raw.translate({ord(ch): ("\x01" if out else "\x00") for ch, out in mapping.items()})
    origin = list(compress(range(len(raw)), keep.encode("ascii")))
    return _collapse_spaces(text, origin, raw)


def _fold_slow(raw: str, mapping: dict[str, str]) -> Folded:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(raw):
        for c in mapping[ch]:
            chars.append(c)
            origin.append(i)
    return _collapse_spaces("".join(chars), origin, raw)


_RUN = re.compile(r"[ \n]{2,}")


def _collapse_spaces(text: str, origin: list[int], raw: str) -> Folded:
    pieces: list[str] = []
    kept: list[int] = []
    last = 0
    for run in _RUN.finditer(text):
        start, end = run.span()
        pieces.append(text[last:start])
        kept.extend(origin[last:start])
        pieces.append("\n" if "\n" in run.group() else " ")
        kept.append(origin[start])
        last = end
    pieces.append(text[last:])
    kept.extend(origin[last:])
    kept.append(len(raw))
    return Folded("".join(pieces), tuple(kept), raw)


def fold_text(text: str) -> str:
    """Just the folded string (for lexicon entries and queries).

    >>> fold_text("الـT4")
    'الt4'
    """
    return _fold(text).text


_PATTERN_DROP = {ord(c): None for c in _DROP if c not in "\"'`"}


def fold_pattern(pattern: str) -> str:
    """Fold the Arabic letters of a regex source, leaving regex syntax alone.

    Lexicon entries are written in ordinary spelling and folded once at import.

    >>> fold_pattern(r"(?:تقدّماً|سيطرة)\\s+على")
    '(?:تقدما|سيطره)\\\\s+علي'
    """
    return pattern.translate(_PATTERN_DROP).translate(_FOLD)
