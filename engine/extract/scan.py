"""Run a regex only where a word could start a match: much faster than ``finditer``.

Python's ``re`` tries every alternative at every character; the extractor's
patterns all start at a word (possibly after a glued و ف ب ل), so a cheap,
cached test on the word decides whether the full pattern is worth trying.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_WORD = re.compile(r"\w+")


Words = list[tuple[int, int, str]]


def split_words(text: str) -> Words:
    """(start, end, word) of every word, computed once per article and shared.

    >>> split_words("سيطر على تدمر")
    [(0, 4, 'سيطر'), (5, 8, 'على'), (9, 13, 'تدمر')]
    """
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


class WordGate:
    """Words that may start a match: ``first_words`` is a folded regex of bare first words.

    Example:
        >>> gate = WordGate(r"امس|اليوم")
        >>> [m.group() for m in gate.finditer(re.compile(r"امس|اليوم"), "سيطر وامس اليوم")]
        ['امس', 'اليوم']
    """

    def __init__(self, first_words: str):
        self._first = re.compile(rf"(?:{first_words})")
        self._cache: dict[str, tuple[int, ...]] = {}
        self._good: set[str] = set()

    def _check(self, word: str) -> tuple[int, ...]:
        """Offsets inside ``word`` where a match may start (0, or 1 after a clitic)."""
        out = []
        for skip in (0, 1, 2):
            if skip and (len(word) <= skip or word[skip - 1] not in "وفبلك"):
                break
            if self._first.match(word, skip):
                out.append(skip)
        # patterns that take their own clitics must still be tried at the word start
        return (0, *[s for s in out if s]) if out else ()

    def offsets(self, word: str) -> tuple[int, ...]:
        """Cached ``_check``."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()  # bounded memory on huge or random inputs
                self._good.clear()
            found = self._cache[word] = self._check(word)
            if found:
                self._good.add(word)
        return found

    def finditer(self, pattern: re.Pattern[str], text: str, words: Words | None = None,
                 ) -> Iterator[re.Match[str]]:
        """Non-overlapping matches of ``pattern`` starting at gated word positions."""
        words = split_words(text) if words is None else words
        unique = {w for _, _, w in words}
        fresh = {w: self.offsets(w) for w in unique.difference(self._cache)}
        good = {**{w: self._cache[w] for w in unique & self._good}, **{w: o for w, o in fresh.items() if o}}
        pos = 0
        for start, _end, word in words:
            if start < pos or word not in good:
                continue
            for skip in good[word]:
                m = pattern.match(text, start + skip)
                if m and m.end() > m.start():
                    yield m
                    pos = m.end()
                    break
