"""``tadmur ingest``: articles into the log, as registered documents and candidate claims.

Two ways in: text files (``tadmur ingest FILE… --published D``), or one JSON lines file
of articles (``tadmur ingest --articles FILE.jsonl``); see :mod:`engine.extract.ingest`.
Each article is one append; a line per article says what it added, and a progress bar
on a terminal says how far the run is.
"""

from __future__ import annotations

import argparse
import errno
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from engine.cli.options import add_log_argument, default_doc_id, report_repairs
from engine.terminal import printable, progress

if TYPE_CHECKING:
    from engine.extract.ingest import Article


@dataclass
class Ingested:
    """What an ingest really appended, article by article."""

    lines: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    n_appended: int = 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ingest``."""
    p = sub.add_parser("ingest", help="register articles and append their candidate claims")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    p.add_argument(
        "--articles",
        type=Path,
        metavar="FILE.jsonl",
        help='one article a line: {"doc_id", "text", "published", "outlet"?, "url"?}',
    )
    p.add_argument("--published", help="publication date YYYY-MM-DD (with FILEs)")
    p.add_argument("--outlet", default="")
    p.add_argument("--url", default="")
    p.add_argument("--doc-id", default=None, help="only with a single FILE")
    add_log_argument(p)
    p.add_argument(
        "--new-log",
        action="store_true",
        help="start a new log if the folder holds none (never implicit)",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--accept-all", action="store_true", help="accept every candidate (bulk runs)"
    )
    mode.add_argument("--no-extract", action="store_true", help="register the documents only")
    p.set_defaults(func=run_ingest)


def run_ingest(args: argparse.Namespace) -> int:
    """Register each article and append its candidates; prints what was added."""
    from engine.domain.errors import TadmurError
    from engine.extract.articles import ArticleError
    from engine.extract.ingest import ingest_article, read_articles
    from engine.store import open_log

    if bool(args.files) == bool(args.articles):
        raise ArticleError(
            "give FILEs or --articles FILE.jsonl (one of them)",
            where="tadmur ingest",
            hint="e.g. tadmur ingest a.txt --published 2016-12-12",
        )
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
    bar = progress(articles, desc="ingest", unit="article", quiet=len(articles) < 2)
    try:
        for article in bar:
            bar.set_postfix_str(printable(article.doc_id)[:40], refresh=False)
            line, n_new = ingest_article(
                log, article, extract=not args.no_extract, accept_all=args.accept_all
            )
            done.lines.append(line)
            done.n_appended += n_new
            bar.write(line, file=sys.stdout)
    except TadmurError as exc:
        bar.close()
        raise TadmurError(f"{exc.what}; {_so_far(done)}", where=exc.where, hint=exc.hint) from None
    except OSError as exc:
        bar.close()
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        raise TadmurError(
            f"{exc.strerror or exc} while ingesting {printable(articles[len(done.lines)].doc_id)}; "
            f"{_so_far(done)}",
            where=str(exc.filename or log.root),
            hint="free disk space and retry (appends are idempotent)"
            if full
            else "check the path and permissions, then retry (appends are idempotent)",
        ) from None
    bar.close()
    report_repairs(log.repairs)
    print(
        f"{len(articles)} article(s) read, {done.n_appended} new event(s), "
        f"{len(skipped)} skipped (log seq {log.head().seq})",
        file=sys.stderr,
    )
    return 0


def _so_far(done: Ingested) -> str:
    if not done.lines:
        return "nothing was appended"
    return "appended before the failure: " + "; ".join(done.lines)


def _from_files(args: argparse.Namespace) -> list[Article]:
    """Every file read and checked before anything is written."""
    from engine.extract.articles import ArticleError, parse_published, read_text, why_empty
    from engine.extract.ingest import Article

    if args.doc_id and len(args.files) > 1:
        raise ArticleError(
            "--doc-id names one document but several files were given",
            where="tadmur ingest",
            hint="ingest the files one by one, or drop --doc-id",
        )
    published = parse_published(args.published, "--published").isoformat()
    articles = []
    for path in args.files:
        if path.exists() and not path.is_file():
            raise ArticleError(
                f"{path} is not a regular file (a folder, a pipe or a device); nothing was written",
                where=str(path),
                hint="give the article's .txt file",
            )
        text = read_text(path)
        reason = why_empty(text)
        if reason:
            raise ArticleError(
                f"{reason}; nothing was written",
                where=str(path),
                hint="ingest takes the Arabic text of a news article (UTF-8)",
            )
        articles.append(
            Article(
                args.doc_id or default_doc_id(path), text, published, args.outlet, args.url, path
            )
        )
    return articles
