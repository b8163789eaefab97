"""Articles into the log, as registered documents and candidate claims (``tadmur ingest``,
in ``engine.cli.ingest``).

Two ways in: text files (``tadmur ingest FILE… --published D``), or one JSON lines file
of articles (``tadmur ingest --articles FILE.jsonl``), one article a line:
``{"doc_id", "text", "published": "YYYY-MM-DD", "outlet"?, "url"?}``. Each article is
one append (its registration and its claims, all or nothing); re-running adds nothing
(event ids are content hashes). Files are checked before anything is written; a bad line
of an articles file is reported (doc_id and why) and skipped, the rest go in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from engine.domain.errors import TadmurError
from engine.domain.events import ClaimRecorded
from engine.extract.articles import ArticleError, parse_published, why_empty
from engine.terminal import printable

if TYPE_CHECKING:
    from engine.store import EventLog


@dataclass(frozen=True)
class Article:
    """One article to ingest, checked."""

    doc_id: str
    text: str
    published: str
    outlet: str = ""
    url: str = ""
    origin: Path | None = None  # the text file it came from


def ingest_article(log: EventLog, article: Article, *, extract: bool = True,
                   accept_all: bool = False) -> tuple[str, int]:
    """Register ``article`` and append its candidate claims (``accept_all``: accepted too)
    in one append, all or nothing; return a line saying what was added, and how many
    events were new."""
    from engine.extract.review import claim_events
    from engine.store.sources import stage_source

    title = next((line.strip() for line in article.text.splitlines() if line.strip()), "")[:120]
    staged = stage_source(log.root, article.text.encode("utf-8"), doc_id=article.doc_id,
                          published=article.published, origin=article.origin,
                          registered=log.document(article.doc_id), outlet=article.outlet,
                          url=article.url, title=title)
    published = parse_published(article.published, article.doc_id)
    events = [staged.event]
    if extract:
        events += claim_events(article.doc_id, article.text, published, accept_all)
    try:
        log.append(events)
    except BaseException:
        staged.discard()  # not registered: leave no file behind
        raise
    written = log.appended
    claims = sum(1 for e in events if isinstance(e, ClaimRecorded))
    where = (f"log seq {written[0]}" + (f"..{written[-1]}" if len(written) > 1 else "")
             if written else "already in the log")
    return (f"{printable(article.doc_id)}: {claims} candidate claims; "
            f"{len(written)} new events ({where})"), len(written)


def read_articles(path: Path) -> tuple[list[Article], list[str]]:
    """The articles of a JSON lines file, and a line per skipped one (doc_id and why).

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = f.write_text('{"doc_id": "a1", "text": "سيطر التنظيم على تدمر", "published": "2016-12-11"}\\n'
    ...                  '{"doc_id": "a2", "text": "نص", "published": "11/12/2016"}\\n', encoding="utf-8")
    >>> articles, skipped = read_articles(f)
    >>> [a.doc_id for a in articles], skipped[0][:40]
    (['a1'], 'a2 (line 2): publication date must be a ')
    """
    if not path.is_file():
        raise ArticleError("articles file not found" if not path.exists()
                           else "the articles file is not a regular file", where=str(path),
                           hint="one JSON object per line: doc_id, text, published, outlet?, url?")
    articles: list[Article] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    with path.open("rb") as handle:
        for n, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                skipped.append(f"line {n}: not a JSON object in UTF-8 ({type(exc).__name__})")
                continue
            doc_id = row.get("doc_id") if isinstance(row, dict) else None
            name = printable(doc_id) if isinstance(doc_id, str) else f"line {n}"
            try:
                article = _article(row, f"{path}, line {n}")
            except TadmurError as exc:
                skipped.append(f"{name} (line {n}): {exc.what}")
                continue
            if article.doc_id in seen:
                skipped.append(f"{name} (line {n}): doc_id already given on line "
                               f"{seen[article.doc_id]}")
                continue
            seen[article.doc_id] = n
            articles.append(article)
    return articles, skipped


def _article(row: object, where: str) -> Article:
    from engine.domain.events import check_slug

    if not isinstance(row, dict):
        raise ArticleError("the line is not a JSON object", where=where, hint="{...} per line")
    for name in ("doc_id", "text", "published"):
        if not isinstance(row.get(name), str):
            raise ArticleError(f"{name} is missing or not a string", where=where,
                               hint='each line needs "doc_id", "text" and "published"')
    for name in ("outlet", "url"):
        if not isinstance(row.get(name, ""), str):
            raise ArticleError(f"{name} must be a string", where=where, hint="or leave it out")
    check_slug(row["doc_id"], "doc_id", where)
    published = parse_published(row["published"], where).isoformat()
    reason = why_empty(row["text"])
    if reason:
        raise ArticleError(reason, where=where, hint="the text must be the Arabic article")
    return Article(row["doc_id"], row["text"], published, row.get("outlet", ""),
                   row.get("url", ""))
