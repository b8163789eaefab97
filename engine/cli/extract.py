"""``tadmur extract`` (an Arabic article -> candidate claims) and ``tadmur eval``
(precision and recall against gold claims).

The light path: no store, no polars; the extraction rules come in with the first article.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.cli.options import add_log_argument, default_doc_id

#: The fields of one ``tadmur extract`` output line, in order (a stable contract).
CLAIM_FIELDS = (
    "doc_id",
    "site_id",
    "site_name",
    "mention",
    "mention_start",
    "mention_end",
    "kind",
    "gainer",
    "loser",
    "date_from",
    "date_to",
    "claimant",
    "denied",
    "evidence",
    "evidence_start",
    "evidence_end",
    "confidence",
    "time_precision",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``extract`` and ``eval``."""
    p = subparsers.add_parser("extract", help="Arabic article -> candidate claims (JSON lines)")
    p.add_argument("file", type=Path, help="UTF-8 text of one article")
    p.add_argument("--published", required=True, help="publication date YYYY-MM-DD")
    p.add_argument("--doc-id", default=None, help="document id (default: the file name)")
    p.add_argument("--attacks", action="store_true", help="also emit 'attacked' claims")
    add_log_argument(
        p,
        help_text="the log folder whose places.csv adds your own places "
        "(default: $TADMUR_LOG, else the project's events/)",
    )
    p.set_defaults(func=run_extract)

    p = subparsers.add_parser("eval", help="precision/recall of extraction against a gold JSONL")
    p.add_argument("gold", type=Path, help="gold claims, one JSON object per line")
    p.add_argument(
        "--articles",
        type=Path,
        required=True,
        help="directory with the .txt files and metadata.csv, or a JSONL of articles",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=run_eval)


def run_extract(args: argparse.Namespace) -> int:
    """``tadmur extract FILE --published D``: claims on stdout, unresolved places on stderr."""
    from engine.extract.articles import parse_published, read_text, why_empty

    published = parse_published(args.published, "--published")
    text = read_text(args.file)
    doc_id = args.doc_id or default_doc_id(args.file)
    reason = why_empty(text)
    if reason:
        print(f"no claims: {reason} ({args.file})", file=sys.stderr)
        return 0
    kinds = None
    if args.attacks:
        from engine.extract.pipeline import DEFAULT_KINDS

        kinds = DEFAULT_KINDS | {"attacked"}
    from engine.extract.pipeline import extract_claims  # (not needed by `tadmur --help`)

    result = extract_claims(text, published, doc_id, **({"kinds": kinds} if kinds else {}))
    out = sys.stdout
    for claim in result.claims:
        out.write(json.dumps({k: claim[k] for k in CLAIM_FIELDS}, ensure_ascii=False) + "\n")
    for note in result.unresolved:
        print(f"unresolved place: {note} ({args.file})", file=sys.stderr)
    for note in result.warnings:
        print(f"warning: {note} ({args.file})", file=sys.stderr)
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """``tadmur eval GOLD --articles DIR_OR_JSONL``: scores per field, per kind, claimants, negatives.

    Every article is extracted; one with no gold claim is a negative and must yield none.
    An article without a publication date is reported and extracted against a provisional
    date (the latest full date it writes, else the latest year it names), never a fatal
    error; one that names no year at all yields no claims and is reported as refused.
    """
    from engine.extract.articles import load_articles
    from engine.extract.evaluate import report

    gold_rows = read_gold(args.gold)
    articles = load_articles(args.articles, allow_undated=True)
    missing = {g["doc_id"] for g in gold_rows} - {a.doc_id for a in articles}
    if missing:
        print(f"warning: no article for gold documents {sorted(missing)}", file=sys.stderr)
    refused: list[str] = []
    predicted, undated = extract_all(articles, refused)
    with_gold = {g["doc_id"] for g in gold_rows}
    negatives = [a.doc_id for a in articles if a.doc_id not in with_gold]
    result = report(predicted, gold_rows, negatives, undated, refused)
    print(json.dumps(result.as_dict(), indent=2) if args.json else result.text())
    return 0


def extract_all(articles, refused: list[str] | None = None) -> tuple[list[dict], list[str]]:
    """Claims of every article, and the ids of those that had no publication date.

    An undated article that names no year is not extracted (its windows would be guessed
    from today); its id is appended to ``refused`` when that list is given.
    """
    from engine.extract.dates import provisional_published
    from engine.extract.evaluate import OUTLET_CLAIMANTS
    from engine.extract.normalise import fold_text

    predicted, undated = [], []
    for article in articles:
        published = article.published
        if published is None:
            undated.append(article.doc_id)
            published = provisional_published(fold_text(article.text))
            if published is None:
                if refused is not None:
                    refused.append(article.doc_id)
                continue
        own = OUTLET_CLAIMANTS.get(article.outlet)
        for claim in _extract(article.text, published, article.doc_id).claims:
            predicted.append({**claim, "outlet_claimant": own} if own else claim)
    return predicted, undated


def read_gold(path: Path) -> list[dict]:
    from engine.extract.articles import ArticleError
    from engine.extract.evaluate import normalise_gold

    if not path.is_file():
        raise ArticleError(
            "gold file not found", where=str(path), hint="pass a JSONL of gold claims"
        )
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise TypeError(f"a gold line is a JSON object, found {type(row).__name__}")
            rows.append(normalise_gold(row))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ArticleError(
                f"bad gold line ({exc.__class__.__name__}: {exc})",
                where=f"{path}, line {n}",
                hint="each line needs doc_id, site (or site_id), kind, actor (or gainer), "
                "date_from, date_to",
            ) from None
    return rows


def _extract(text: str, published, doc_id: str):
    from engine.extract.pipeline import extract_claims

    return extract_claims(text, published, doc_id)
