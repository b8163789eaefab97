"""Read articles and publication dates from disk, refusing what is not an Arabic text.

Errors say what was expected, what was found, where, and how to fix it. An
empty or non-Arabic text is not an error: it simply has no claims, and the reason
is returned so the CLI can print it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from engine.domain.errors import TadmurError

#: Larger texts are refused: a news article is a few kilobytes.
MAX_BYTES = 2_000_000
_HTML = re.compile(r"<\s*(?:!doctype|html|head|body|div|p|span|script|style|article|meta|a\s)[^>]*>", re.IGNORECASE)
_ARABIC = re.compile(r"[\u0600-\u06ff]")


class ArticleError(TadmurError):
    """An article or its publication date cannot be read as the extractor needs."""


@dataclass(frozen=True)
class Article:
    """One article to extract from."""

    doc_id: str
    published: dt.date | None
    text: str
    path: str = ""
    outlet: str = ""


def parse_published(value: str | None, where: str) -> dt.date:
    """A publication date ``YYYY-MM-DD`` between 1990 and today.

    >>> parse_published("2016-12-12", "x")
    datetime.date(2016, 12, 12)
    >>> parse_published("2016-02-30", "--published")
    Traceback (most recent call last):
    ...
    engine.extract.articles.ArticleError: publication date must be a real date YYYY-MM-DD, found '2016-02-30' (at --published). Hint: e.g. --published 2016-12-12
    """
    if not value:
        raise ArticleError("a publication date is required", where=where,
                           hint="pass --published YYYY-MM-DD; relative dates are resolved from it")
    try:
        date = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ArticleError(f"publication date must be a real date YYYY-MM-DD, found {value!r}",
                           where=where, hint="e.g. --published 2016-12-12") from None
    if not dt.date(1990, 1, 1) <= date <= dt.date.today():
        raise ArticleError(f"publication date {date} is outside 1990-01-01..today", where=where,
                           hint="check the year; future dates are impossible")
    return date


def read_text(path: Path) -> str:
    """The UTF-8 text of an article file, or a clear ArticleError."""
    where = str(path)
    if path.is_dir():
        raise ArticleError("this is a folder, not an article file", where=where,
                           hint="pass one UTF-8 text file per article")
    if path.exists() and not path.is_file():
        raise ArticleError("this is not a regular file (a pipe, socket or device)", where=where,
                           hint="save the article to a file first, then pass its path")
    if not path.is_file():
        raise ArticleError("article file not found", where=where, hint="check the path")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ArticleError(f"article is {size / 1e6:.1f} MB, larger than the {MAX_BYTES / 1e6:.0f} MB limit",
                           where=where, hint="split the file into articles; one news article is a few KB")
    data = path.read_bytes()
    if b"\x00" in data:
        raise ArticleError("the file is binary (it contains NUL bytes), not a text article",
                           where=where, hint="save the article as UTF-8 plain text")
    try:
        # plain utf-8: a BOM stays in the text, so offsets match the file as others decode it
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"the file is not UTF-8 text (bad byte at offset {exc.start})", where=where,
                           hint="convert it, e.g. iconv -f windows-1256 -t utf-8") from None
    check_text(text, where)
    return text


def check_text(text: str, where: str) -> None:
    """Refuse HTML: offsets must point into the text a reader sees."""
    if len(_HTML.findall(text[:20000])) >= 3:
        raise ArticleError("the file looks like HTML, not the article's text", where=where,
                           hint="extract the visible text first (e.g. with a readability tool)")


def why_empty(text: str) -> str | None:
    """A reason why ``text`` cannot hold claims, or None.

    >>> why_empty("   "), why_empty("hello world")
    ('the article is empty', 'the article contains no Arabic text')
    """
    if not text.strip():
        return "the article is empty"
    if not _ARABIC.search(text):
        return "the article contains no Arabic text"
    return None


def _check_types(row, where: str) -> None:
    """A JSON article line is an object whose doc_id, text and published are strings."""
    if not isinstance(row, dict):
        raise ArticleError(f"an article line is a JSON object, found {type(row).__name__}",
                           where=where, hint='each line is {"doc_id", "published", "text"}')
    for key in ("doc_id", "text", "published", "outlet", "url"):
        if row.get(key) is not None and not isinstance(row[key], str):
            raise ArticleError(f"{key} must be a string, found {type(row[key]).__name__} "
                               f"{row[key]!r}", where=where,
                               hint='each line is {"doc_id": "...", "published": "YYYY-MM-DD", '
                                    '"text": "..."}, every value a string')


def load_articles(source: Path, allow_undated: bool = False) -> list[Article]:
    """Articles with dates from a directory (with ``metadata.csv``) or a JSONL file.

    With ``allow_undated`` an empty or null publication date gives ``published=None``
    (``tadmur eval`` reports such documents) instead of an error.
    """
    if source.is_dir():
        meta = source / "metadata.csv"
        if not meta.is_file():
            raise ArticleError("the articles directory has no metadata.csv", where=str(source),
                               hint="add metadata.csv with columns file,doc_id,published")
        with meta.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        out = []
        for n, row in enumerate(rows, start=2):
            where = f"{meta}, line {n}"
            missing = {"file", "doc_id", "published"} - set(row)
            if missing:
                raise ArticleError(f"metadata.csv lacks columns {sorted(missing)}", where=where,
                                   hint="columns: file,doc_id,published")
            published = None if allow_undated and not (row["published"] or "").strip() else \
                parse_published(row["published"], where)
            out.append(Article(row["doc_id"], published, read_text(source / row["file"]),
                               str(source / row["file"])))
        return out
    if source.is_file():
        out = []
        for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{source}, line {n}"
            try:
                row = json.loads(line)
                _check_types(row, where)
                published = None if allow_undated and not row.get("published") else \
                    parse_published(row["published"], where)
                out.append(Article(row["doc_id"], published, row["text"], outlet=row.get("outlet") or ""))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise ArticleError(f"bad article line ({exc.__class__.__name__}: {exc})", where=where,
                                   hint="each line is {\"doc_id\", \"published\", \"text\"}") from None
        return out
    raise ArticleError("articles not found", where=str(source),
                       hint="pass a directory with metadata.csv or a JSONL file")
