"""Claims typed or extracted elsewhere, into the log (``tadmur claims import FILE.jsonl``,
in ``engine.cli.claims``).

One claim per line, in the fields ``tadmur extract`` prints: ``doc_id``, ``site_id`` (or a
``mention`` the gazetteer resolves), ``kind``, ``gainer``, ``loser``, ``date_from``,
``date_to``, ``claimant``, ``denied``, ``evidence`` (an exact substring of the registered
document's text; ``evidence_start``/``evidence_end`` optional), and optionally
``time_precision`` (else read from the window's width) and ``confidence`` (default 1).

Each claim is appended as recorded by extractor ``import`` and accepted (a
``ClaimReviewed``), so a replay believes it. A bad line is refused with what, where and
a hint, and nothing of it is appended; the good lines go in; re-running adds nothing
(event ids are content hashes).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from engine.domain.errors import InvalidEvent, TadmurError
from engine.domain.events import ClaimRecorded, parse_date

EXTRACTOR = "import"
REQUIRED = ("doc_id", "kind", "gainer", "date_from", "date_to", "claimant", "evidence")


class ImportError_(TadmurError):  # ("ImportError" is a builtin)
    """A claim line that cannot be imported."""


#: The extractor of imported claims, and the reviewer who accepts them.
REVIEWER = "import"


def claim_of(row: dict, where: str, text_of) -> ClaimRecorded:
    """The ``ClaimRecorded`` of one line, or an :class:`ImportError_` saying what is wrong."""
    missing = [k for k in REQUIRED if row.get(k) in (None, "")]
    if missing or not (row.get("site_id") or row.get("mention")):
        missing += [] if row.get("site_id") or row.get("mention") else ["site_id or mention"]
        raise ImportError_(
            f"missing {', '.join(missing)}",
            where=where,
            hint="each line needs " + ", ".join(REQUIRED) + " and a site",
        )
    text = text_of(row["doc_id"])
    if text is None:
        raise ImportError_(
            f"document {row['doc_id']!r} is not registered in this log",
            where=where,
            hint="register it first: tadmur ingest --articles "
            "FILE --no-extract (or tadmur ingest FILE)",
        )
    start, end = _evidence_span(row, text, where)
    at = row["mention_start"] if isinstance(row.get("mention_start"), int) else start
    site_id = row.get("site_id") or _resolve(row["mention"], text, at, where)
    start_day = parse_date(row["date_from"], "date_from", where)
    end_day = parse_date(row["date_to"], "date_to", where)
    claim = ClaimRecorded.make(
        doc_id=row["doc_id"],
        site_id=site_id,
        kind=row["kind"],
        gainer=row["gainer"],
        loser=row.get("loser"),
        valid_from=row["date_from"],
        valid_to=row["date_to"],
        time_precision=row.get("time_precision") or _precision(start_day, end_day),
        claimant=row["claimant"],
        denied=_boolean(row.get("denied", False), where),
        evidence={"start": start, "end": end, "text": row["evidence"]},
        extractor=EXTRACTOR,
        confidence=float(row.get("confidence", 1.0)),
    )
    try:
        claim.validate()
    except InvalidEvent as exc:
        raise ImportError_(
            exc.args[0] if exc.args else str(exc),
            where=where,
            hint="see `tadmur extract --help` for the fields and their values",
        ) from None
    _check_claimant(row["claimant"], where)
    return claim


def _evidence_span(row: dict, text: str, where: str) -> tuple[int, int]:
    evidence = row["evidence"]
    start = row.get("evidence_start")
    if start is not None:
        if not isinstance(start, int) or text[start : start + len(evidence)] != evidence:
            raise ImportError_(
                f"evidence is not the text at offset {start}",
                where=where,
                hint="give the exact quote, or leave the offsets out",
            )
        return start, start + len(evidence)
    found = text.find(evidence)
    if found < 0:
        raise ImportError_(
            "evidence is not an exact substring of the document's text",
            where=where,
            hint="quote the text exactly (same letters, diacritics and spaces)",
        )
    return found, found + len(evidence)


def _resolve(mention: str, text: str, at: int, where: str) -> str:
    """The site a mention names, by the gazetteer, in the document's context (a generic
    name such as "المدينة" stands for a fitting place named before ``at``)."""
    from engine.reference import resolve_site
    from engine.reference.resolve import PlaceContext

    site_id, why = resolve_site(mention, context=PlaceContext(text=text, at=at))
    if site_id:
        return site_id
    raise ImportError_(
        f"the gazetteer cannot resolve {mention!r}: {why}",
        where=where,
        hint="give site_id (`tadmur sites` lists them), or add the place to "
        "your places file (events/places.csv)",
    )


def _check_claimant(claimant: str, where: str) -> None:
    from engine.reference import claimant_ids

    if claimant not in claimant_ids():
        raise ImportError_(
            f"unknown claimant {claimant!r}",
            where=where,
            hint="the claimant ids are in engine/reference/claimants.csv",
        )


def _precision(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    return (
        "day"
        if days == 1
        else "days"
        if days <= 6
        else "week"
        if days <= 14
        else "month"
        if days <= 31
        else "season"
        if days <= 92
        else "year"
    )


def _boolean(value, where: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ImportError_(
        f"denied must be true or false, found {value!r}",
        where=where,
        hint="JSON booleans: true / false",
    )


def parse_line(raw: str, where: str) -> dict:
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportError_(
            f"not JSON: {exc.msg} at column {exc.colno}",
            where=where,
            hint="one JSON object per line",
        ) from None
    if not isinstance(row, dict):
        raise ImportError_(
            f"expected a JSON object, found {type(row).__name__}",
            where=where,
            hint="one JSON object per line",
        )
    return row


def claim_lines(path: Path) -> Iterator[str]:
    """The lines of a claims file, refused unless it is UTF-8."""
    try:
        with open(path, encoding="utf-8") as handle:
            yield from handle
    except UnicodeDecodeError as exc:
        raise ImportError_(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            where=str(path),
            hint="save the file as UTF-8",
        ) from None


def document_text(log, doc_id: str, cache: dict[str, str | None]) -> str | None:
    if doc_id not in cache:
        try:
            cache[doc_id] = log.source_text(doc_id)
        except TadmurError:
            cache[doc_id] = None
    return cache[doc_id]
