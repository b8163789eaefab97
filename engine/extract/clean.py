"""Cut page furniture and split the body into sentences (spans of the folded text).

Scraped pages carry menus, related-article lists, share buttons and comment
widgets around the article. Only lines that read like prose are kept, and the
page is cut at markers that start the footer ("مقالات ذات صلة", "التعليقات").
"""

from __future__ import annotations

import re

from engine.extract.normalise import fold_pattern

#: Lines that start the page footer: nothing after them is the article.
FOOTER = re.compile(fold_pattern(
    r"^\s*(?:اظهر\s+المزيد|مقالات\s+ذات\s+صله|مواضيع\s+ذات\s+صله|اخبار\s+ذات\s+صله|اترك\s+تعليقا|"
    r"التعليقات|تعليقات|الاكثر\s+قراءه|الاكثر\s+مشاهده|شارك\s+هذا|لن\s+يتم\s+نشر|جميع\s+الحقوق|"
    r"زر\s+الذهاب|اضف\s+تعليق|اقرا\s+المزيد|الوسوم|كلمات\s+مفتاحيه)"
))
#: Single lines of furniture inside the body ("اقرأ أيضاً: …").
INLINE_FURNITURE = re.compile(fold_pattern(
    r"^\s*(?:اقرا\s+ايضا|شاهد\s+ايضا|طالع\s+ايضا|موضوع\s+ذا\s+صله|مواضيع\s+متعلقه|اقرا\s+المزيد|"
    r"تابعونا|للمزيد|منذ\s+\d+\s+(?:سنوات|سنه|اشهر|شهر|ايام|يوم|ساعات|ساعه|دقائق|دقيقه))"
))
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}")
_SENTENCE_END = re.compile(r"[.!?؟\n]+|\.\.+")
_ATTRIBUTION_TAIL = re.compile(fold_pattern(r"[(\s]*[وف]?(?:حسب|بحسب|وفق|وفقا|نقلا|كما\s+قال)"))
_ENDS_LIKE_PROSE = re.compile(r"[.!?؟:»)\]]\s*$")
#: A "sentence" longer than this (a page without punctuation) is cut at the last comma or
#: space before it: the rules pair triggers with places within a sentence, so an unbounded
#: sentence makes extraction quadratic in its length.
MAX_SENTENCE = 1500


#: A hard-wrapped line goes on in the next one: it ends on a preposition or connector, or the
#: next one starts with و, a relative pronoun or a preposition ("سيطر الجيش\nوحلفاؤه على …").
_OPEN_END = re.compile(fold_pattern(r"(?<!\w)(?:مع|من|في|على|عن|الى|إلى|بين|و|أن|ان|إن|التي|الذي|بعد|قبل)\s*$"))
_GOES_ON = re.compile(fold_pattern(
    r"\s*(?:و[\u0621-\u064a]{2,}|(?:التي|الذي|الذين|اللذين|اللتين|على|في|من|الى|إلى|مع|عن|بعد|منذ|بالقرب|قرب|حيث|عند|"
    r"باتجاه|نحو|ضد)(?!\w))"))
_WRAP_WIDTH = 100
_PUNCTUATED = re.compile(r"[.!?؟:،,»)\]\-–]\s*$")


def _wrapped(text: str, newline: int) -> bool:
    """Whether the line break at ``newline`` only wraps a sentence (both sides are prose)."""
    line_start = text.rfind("\n", 0, newline) + 1
    if not text[:line_start].strip():
        return False  # the first line is the headline, not the start of a wrapped sentence
    line = text[line_start:newline]
    if not line.strip() or _PUNCTUATED.search(line) or not _ARABIC_WORD.search(line) \
            or INLINE_FURNITURE.match(line):
        return False
    nxt = text[newline + 1:text.find("\n", newline + 1) % (len(text) + 1)]
    if not nxt.strip():
        return False
    # a paragraph may open with و after an unpunctuated one: only short lines are wrapped
    # "واقتحمت\nقوات …": a few words opening with و cannot be a menu item or a headline
    stub = line.strip().startswith("و") and len(_ARABIC_WORD.findall(line)) <= 3
    return bool(_OPEN_END.search(line) or stub or (len(line) <= _WRAP_WIDTH and _GOES_ON.match(nxt)))


def body_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines of folded ``text`` that belong to the article body.

    A line is prose when it has 14 Arabic words, or 6 with a comma or a final
    full stop; menus and headline lists have neither.

    >>> text = "الرئيسية\\nسيطر التنظيم على المدينة بعد معارك عنيفة استمرت أياما مع قوات النظام.\\nالتعليقات\\nتعليق طويل جدا"
    >>> [text[a:b][:9] for a, b in body_lines(text)]
    ['سيطر التن']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    lines: list[tuple[int, int]] = []  # hard-wrapped lines joined into one
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if lines and _wrapped(text, lines[-1][1]):
            lines[-1] = (lines[-1][0], end)
        else:
            lines.append((start, end))
    for start, end in lines:
        line = text[start:end]
        if spans and FOOTER.match(line):
            break
        if INLINE_FURNITURE.match(line):
            continue
        words = len(_ARABIC_WORD.findall(line))
        if words >= 14 or (words >= 6 and ("،" in line or _ENDS_LIKE_PROSE.search(line))):
            spans.append((start, end))
    return spans


def sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split each body span into sentences; a lone "حسب قولها" joins the sentence before it.

    >>> t = "سيطر التنظيم على تدمر. حسب قولها. ثم انسحب"
    >>> [t[a:b] for a, b in sentences(t, [(0, len(t))])]
    ['سيطر التنظيم على تدمر. حسب قولها.', 'ثم انسحب']
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cursor = start
        for stop in _SENTENCE_END.finditer(text, start, end):
            if stop.group() == "\n" and _wrapped(text, stop.start()):
                continue
            _add_bounded(out, text, cursor, stop.end())
            cursor = stop.end()
        _add_bounded(out, text, cursor, end)
    return out


def _add_bounded(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max(text.rfind("،", start, limit), text.rfind(" ", start, limit))
        cut = cut + 1 if cut > start else limit
        _add(out, text, start, cut)
        start = cut
    _add(out, text, start, end)


def _add(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    if end <= start:
        return
    words = len(_ARABIC_WORD.findall(text, start, end))
    if words == 0:
        return
    if out and words <= 4 and _ATTRIBUTION_TAIL.match(text, start):
        # an attribution cut off by a full stop ("… . حسب قولها.") belongs to the sentence before
        out[-1] = (out[-1][0], end)
        return
    out.append((start, end))
