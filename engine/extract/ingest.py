"""``tadmur ingest``: articles into the log, as registered documents and candidate claims.

Two ways in: text files (``tadmur ingest FILE… --published D``), or one JSON lines file
of articles (``tadmur ingest --articles FILE.jsonl``), one article a line:
``{"doc_id", "text", "published": "YYYY-MM-DD", "outlet"?, "url"?}``. Each article is
one append (its registration and its claims, all or nothing); re-running adds nothing
(event ids are content hashes). Files are checked before anything is written; a bad line
of an articles file is reported (doc_id and why) and skipped, the rest go in.
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from engine.domain.errors import TadmurError
from engine.domain.events import ClaimRecorded
from engine.extract.articles import ArticleError, parse_published, read_text, why_empty
from engine.terminal import printable


@dataclass(frozen=True)
class Article:
    """One article to ingest, checked."""

    doc_id: str
    text: str
    published: str
    outlet: str = ""
    url: str = ""
    origin: Path | None = None  # the text file it came from


@dataclass
class Ingested:
    """What an ingest really appended, article by article."""

    lines: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    n_appended: int = 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    p.add_argument("--articles", type=Path, metavar="FILE.jsonl",
                   help='one article a line: {"doc_id", "text", "published", "outlet"?, "url"?}')
    p.add_argument("--published", help="publication date YYYY-MM-DD (with FILEs)")
    p.add_argument("--outlet", default="")
    p.add_argument("--url", default="")
    p.add_argument("--doc-id", default=None, help="only with a single FILE")
    p.add_argument("--log", default=None, help="log directory (default: events/ or $TADMUR_LOG)")
    p.add_argument("--new-log", action="store_true",
                   help="start a new log if the folder holds none (never implicit)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--accept-all", action="store_true", help="accept every candidate (bulk runs)")
    mode.add_argument("--no-extract", action="store_true", help="register the documents only")


def run_ingest(args: argparse.Namespace) -> int:
    """Register each article and append its candidates; prints what was added."""
    from engine.commands import report_repairs
    from engine.store import open_log

    if bool(args.files) == bool(args.articles):
        raise ArticleError("give FILEs or --articles FILE.jsonl (one of them)",
                           where="tadmur ingest", hint="e.g. tadmur ingest a.txt --published 2016-12-12")
    log = open_log(args.log)
    if not args.new_log:
        from engine.store import require_log

        require_log(log.root)
    if args.articles:
        articles, skipped = read_articles(args.articles)
    else:
        articles, skipped = _from_files(args), []
    done = Ingested(skipped=skipped)
    for line in skipped:
        print(f"skipped: {line}", file=sys.stderr)
    try:
        for n, article in enumerate(articles, start=1):
            _progress(n, len(articles), article.doc_id)
            done.lines.append(_ingest_one(log, article, args, done))
            if not _interactive():
                print(done.lines[-1])
    except TadmurError as exc:
        _progress_done(len(articles))
        raise TadmurError(f"{exc.what}; {_so_far(done)}", where=exc.where, hint=exc.hint) from None
    except OSError as exc:
        _progress_done(len(articles))
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        raise TadmurError(
            f"{exc.strerror or exc} while ingesting {printable(articles[len(done.lines)].doc_id)}; "
            f"{_so_far(done)}", where=str(exc.filename or log.root),
            hint="free disk space and retry (appends are idempotent)" if full
            else "check the path and permissions, then retry (appends are idempotent)") from None
    _progress_done(len(articles))
    if _interactive():
        for line in done.lines:
            print(line)
    report_repairs(log.repairs)
    print(f"{len(articles)} article(s) read, {done.n_appended} new event(s), "
          f"{len(skipped)} skipped (log seq {log.head().seq})", file=sys.stderr)
    return 0


def _ingest_one(log, article: Article, args: argparse.Namespace, done: Ingested) -> str:
    from engine.extract.review import claim_events
    from engine.store.sources import stage_source

    title = next((line.strip() for line in article.text.splitlines() if line.strip()), "")[:120]
    staged = stage_source(log.root, article.text.encode("utf-8"), doc_id=article.doc_id,
                          published=article.published, origin=article.origin,
                          registered=log.document(article.doc_id), outlet=article.outlet,
                          url=article.url, title=title)
    published = parse_published(article.published, article.doc_id)
    events = [staged.event]
    if not args.no_extract:
        events += claim_events(article.doc_id, article.text, published, args.accept_all)
    try:
        log.append(events)
    except BaseException:
        staged.discard()  # not registered: leave no file behind
        raise
    written = log.appended
    done.n_appended += len(written)
    claims = sum(1 for e in events if isinstance(e, ClaimRecorded))
    where = (f"log seq {written[0]}" + (f"..{written[-1]}" if len(written) > 1 else "")
             if written else "already in the log")
    return (f"{printable(article.doc_id)}: {claims} candidate claims; "
            f"{len(written)} new events ({where})")


def _so_far(done: Ingested) -> str:
    if not done.lines:
        return "nothing was appended"
    return "appended before the failure: " + "; ".join(done.lines)


def _from_files(args: argparse.Namespace) -> list[Article]:
    """Every file read and checked before anything is written."""
    from engine.extract.commands import default_doc_id

    if args.doc_id and len(args.files) > 1:
        raise ArticleError("--doc-id names one document but several files were given",
                           where="tadmur ingest", hint="ingest the files one by one, or drop --doc-id")
    published = parse_published(args.published, "--published").isoformat()
    articles = []
    for path in args.files:
        if path.exists() and not path.is_file():
            raise ArticleError(f"{path} is not a regular file (a folder, a pipe or a device); "
                               "nothing was written", where=str(path),
                               hint="give the article's .txt file")
        text = read_text(path)
        reason = why_empty(text)
        if reason:
            raise ArticleError(f"{reason}; nothing was written", where=str(path),
                               hint="ingest takes the Arabic text of a news article (UTF-8)")
        articles.append(Article(args.doc_id or default_doc_id(path), text, published,
                                args.outlet, args.url, path))
    return articles


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


def _interactive() -> bool:
    return sys.stdout.isatty()


def _progress(n: int, total: int, doc_id: str) -> None:
    """One line on stderr, rewritten in place, when a person watches (stdout a terminal)."""
    if _interactive() and total > 1:
        print(f"\ringest {n}/{total} {printable(doc_id)[:40]:40}", end="", file=sys.stderr,
              flush=True)


def _progress_done(total: int) -> None:
    if _interactive() and total > 1:
        print(file=sys.stderr)
