"""``tadmur verify``: re-derive everything the log promises, from the bytes up.

Framing, seq contiguity, the hash chain, unique event ids, references to earlier
events only, non-decreasing append times, and every source text against its sha256.
It reads and never repairs: a torn tail, or the partial batch of an interrupted append,
is reported (the next append, read or ``tadmur repair`` moves it aside).

The chain only proves the log is consistent with itself: anyone who can rewrite the file
can recompute it, and dropping the last lines leaves a valid log. Pin the head
(``tadmur verify --print-head``) somewhere else and pass it back as ``expect_head`` to
detect both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from engine.domain.errors import TadmurError
from engine.domain.events import DocumentRegistered
from engine.reference import site_ids
from engine.store.codec import GENESIS_HASH, decode_line
from engine.store.log import LOG_FILE, LogHead, _partial_batch, locked, read_pending
from engine.store.references import References, read_source


@dataclass(frozen=True)
class Verification:
    """The outcome: the head reached and the first problem, if any."""

    head: LogHead
    n_events: int
    n_sources: int
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        if self.ok:
            return (f"ok: {self.n_events} events, seq 1..{self.head.seq} contiguous, hash chain "
                    f"holds (head {self.head.hash}), {self.n_sources} source texts match")
        return f"FAILED: {self.problem}"


def verify_log(root: Path, expect_head: LogHead | None = None,
               progress: bool | None = None) -> Verification:
    """Check the log under ``root`` line by line; stop at the first problem.

    With ``expect_head`` (a head pinned earlier), the log must still hold that seq with
    that hash: a truncated or rewritten log fails even if it is consistent with itself.

    The lines are checked a block at a time (:func:`engine.store.blocks.checked_blocks`)
    and the rules across them on columns; if anything fails, the log is checked again
    line by line, so the problem reported is the first one, in the words it always had.
    ``progress``: a progress bar on stderr (default: for a big log, on a terminal).
    """
    path = Path(root) / LOG_FILE
    head = LogHead(0, GENESIS_HASH)
    try:
        # under the shared lock: a live writer's half-written batch is never seen; the
        # lines up to there never change (the log only grows), so they are checked after
        # the lock is let go, and writers do not wait for the check
        with locked(Path(root), exclusive=False) as lock:
            note = read_pending(lock)
            size = path.stat().st_size
        partial = note is not None and _partial_batch(path, note) is not None
        checked = _verify_blocks(Path(root), note.offset if partial else size, progress)
        if checked is not None:
            if partial:
                return Verification(
                    checked.head, checked.n_events, checked.n_sources,
                    f"an interrupted append left {size - note.offset} bytes of a partial "
                    f"batch at offset {note.offset} (at {path}). Hint: `tadmur repair` "
                    "moves them aside; nothing acknowledged is lost")
            if expect_head is not None:
                problem = _check_pinned(Path(root), checked.head.seq,
                                        lambda seq: _line_in_file(path, seq), expect_head)
                if problem:
                    return Verification(checked.head, checked.n_events, checked.n_sources,
                                        problem)
            return checked
        with locked(Path(root), exclusive=False) as lock:  # line by line, as it always was
            note = read_pending(lock)
            raw = path.read_bytes()
    except FileNotFoundError:
        return Verification(head, 0, 0, f"no log at {path} (hint: check --log or $TADMUR_LOG)")
    # only a note that fits these bytes (same file, same line before, its own batch)
    partial = note is not None and _partial_batch(path, note) is not None
    result = _verify_bytes(Path(root), raw[: note.offset] if partial else raw)
    if result.ok and partial:
        return Verification(result.head, result.n_events, result.n_sources,
                            f"an interrupted append left {len(raw) - note.offset} bytes of a "
                            f"partial batch at offset {note.offset} (at {path}). Hint: "
                            "`tadmur repair` moves them aside; nothing acknowledged is lost")
    if result.ok and expect_head is not None:
        lines = raw.split(b"\n")[:-1]
        problem = _check_pinned(Path(root), len(lines), lambda seq: lines[seq - 1], expect_head)
        if problem:
            return Verification(result.head, result.n_events, result.n_sources, problem)
    return result


def parse_head(text: str) -> LogHead:
    """``SEQ:HASH`` or ``SEQ HASH`` (what ``--print-head`` prints) -> a LogHead.

    >>> parse_head("68:" + "ab" * 32).seq
    68
    """
    seq, _, digest = text.strip().replace(" ", ":").partition(":")
    digest = digest.lower()
    if not (seq.isascii() and seq.isdigit()) or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise TadmurError(f"expected a head SEQ:HASH (64 hex digits), found {text!r}",
                          where="--expect-head", hint="copy it from `tadmur verify --print-head`")
    if int(seq) == 0 and digest != GENESIS_HASH:
        raise TadmurError(f"the head of seq 0 is the genesis hash ({'0' * 8}…), found {digest[:12]}…",
                          where="--expect-head", hint="copy it from `tadmur verify --print-head`")
    return LogHead(int(seq), digest)


def _verify_blocks(root: Path, size: int, progress: bool | None) -> Verification | None:
    """Every check of :func:`_verify_bytes` on the first ``size`` bytes, a block of lines
    at a time and the rules across lines on columns; None if any fails (or the tail is
    torn): the caller then checks line by line, to report the first problem in its words."""
    from engine.store.blocks import FastCheckFailed, checked_blocks

    if size == 0:
        return None  # nothing to gain: the line-by-line check says what an empty log is
    parts: list[_BlockColumns] = []
    try:
        for block in checked_blocks(root / LOG_FILE, 0, size, LogHead(0, GENESIS_HASH),
                                    progress):
            parts.append(_BlockColumns.of(block))  # only what the checks need is kept
    except FastCheckFailed:
        return None
    head = parts[-1].head
    ids = pl.concat([p.ids for p in parts])
    times = pl.concat([p.times for p in parts])
    documents = pl.concat([p.documents for p in parts])
    claims = pl.concat([p.claims for p in parts])
    acts = pl.concat([p.acts for p in parts])
    if ids["event_id"].is_duplicated().any() or not (times.head(-1) <= times.tail(-1)).all():
        return None
    if documents["doc_id"].is_duplicated().any() or claims["claim_id"].is_duplicated().any():
        return None
    texts = _source_texts(root, documents)
    if texts is None or not _references_hold(ids, documents, claims, acts, texts):
        return None
    return Verification(head, head.seq, documents.height, None)


@dataclass(frozen=True)
class _BlockColumns:
    """What verify needs of a checked block: its head, event ids and times by seq, its
    documents, its claims (seq, ids, site, evidence) and the acts on claims (seq,
    claim_id, supersedes, and the site a correction names)."""

    head: LogHead
    ids: pl.DataFrame
    times: pl.Series
    documents: pl.DataFrame
    claims: pl.DataFrame
    acts: pl.DataFrame

    @staticmethod
    def of(block) -> _BlockColumns:
        seqs = pl.int_range(block.first_seq, block.head_seq + 1, eager=True).alias("seq")
        claims = block.events.filter(pl.col("event") == "recorded").select(
            "seq", "claim_id", "doc_id", "site_id", "evidence_start", "evidence_end",
            "evidence_text")
        return _BlockColumns(
            LogHead(block.head_seq, block.head_hash),
            pl.DataFrame({"seq": seqs, "event_id": block.event_ids}), block.recorded_at,
            block.documents, claims, block.acts)


def _source_texts(root: Path, documents: pl.DataFrame) -> pl.DataFrame | None:
    """doc_id -> the text of each document, checked against its sha256 (None: any fails)."""
    texts = []
    for row in documents.iter_rows(named=True):
        doc = DocumentRegistered(**{k: v for k, v in row.items() if k != "seq"})
        try:
            texts.append(read_source(root, doc))
        except TadmurError:
            return None
    return pl.DataFrame({"doc_id": documents["doc_id"], "source_text": texts},
                        schema={"doc_id": pl.String, "source_text": pl.String})


def _references_hold(ids: pl.DataFrame, documents: pl.DataFrame, claims: pl.DataFrame,
                     acts: pl.DataFrame, texts: pl.DataFrame) -> bool:
    """What :meth:`References.check` asks of each line, on columns: a claim quotes a
    document registered before it, at a known site, exactly as its source says; an act
    names a claim recorded before it, and the act it supersedes came before it too."""
    known_sites = sorted(site_ids())
    quoted = claims.select("seq", "doc_id", "site_id", "evidence_start", "evidence_end",
                           "evidence_text").join(
        documents.select("doc_id", doc_seq="seq"), on="doc_id", how="left").join(
        texts, on="doc_id", how="left")
    # a missing document or claim gives a null: never "holds"
    claims_ok = quoted.select(
        (pl.col("doc_seq") < pl.col("seq")).fill_null(False).all(),
        pl.col("site_id").is_in(known_sites).fill_null(False).all(),
        (pl.col("source_text").str.slice(pl.col("evidence_start"),
                                         pl.col("evidence_end") - pl.col("evidence_start"))
         == pl.col("evidence_text")).fill_null(False).all(),
    ).row(0)
    if not all(ok is True for ok in claims_ok):
        return False
    if acts.is_empty():
        return True
    named = acts.join(claims.select("claim_id", claim_seq="seq"), on="claim_id", how="left").join(
        ids.select(supersedes="event_id", superseded_seq="seq"), on="supersedes", how="left")
    acts_ok = named.select(
        (pl.col("claim_seq") < pl.col("seq")).fill_null(False).all(),
        ((pl.col("supersedes") == "") | (pl.col("superseded_seq") < pl.col("seq")))
        .fill_null(False).all(),
        (pl.col("site_id").is_null() | pl.col("site_id").is_in(known_sites))
        .fill_null(False).all(),
    ).row(0)
    return all(ok is True for ok in acts_ok)


def _check_pinned(root: Path, n_lines: int, line_of, pinned: LogHead) -> str | None:
    """The pinned head against a log of ``n_lines`` whole lines; ``line_of(seq)`` gives
    the bytes of line ``seq``."""
    if pinned.seq > n_lines:
        return (f"the log ends at seq {n_lines} but the pinned head is seq {pinned.seq}: "
                f"{pinned.seq - n_lines} line(s) were removed from the end (at {root / LOG_FILE})."
                " Hint: restore the log from git; the log only ever grows")
    if pinned.seq == 0:
        return None
    found = decode_line(line_of(pinned.seq).decode("utf-8"), pinned.seq).hash
    if found != pinned.hash:
        return (f"seq {pinned.seq} has hash {found[:12]}…, the pinned head says "
                f"{pinned.hash[:12]}…: the log was rewritten up to there (at line {pinned.seq}, "
                f"seq {pinned.seq}). Hint: restore the log from git")
    return None


def _line_in_file(path: Path, seq: int) -> bytes:
    """Line ``seq`` (1-based) of the file, without its newline: the newlines are counted
    a block at a time, the file never held whole."""
    with open(path, "rb") as handle:
        count, offset = 0, 0
        while block := handle.read(1 << 24):
            found = block.count(b"\n")
            if count + found >= seq:
                start = 0
                for _ in range(seq - count - 1):
                    start = block.index(b"\n", start) + 1
                handle.seek(offset + start)
                return handle.readline().rstrip(b"\n")
            count += found
            offset += len(block)
    return b""


def _verify_bytes(root: Path, raw: bytes) -> Verification:
    refs = References()
    head = LogHead(0, GENESIS_HASH)
    last_time = ""
    lines = raw.split(b"\n")
    torn = lines.pop()  # bytes after the last newline: empty unless the tail is torn
    for line_no, line in enumerate(lines, start=1):
        logged = None
        try:
            logged = decode_line(line.decode("utf-8"), line_no)
            where = f"line {line_no}, seq {logged.seq}"
            if logged.seq != head.seq + 1:
                raise TadmurError(f"seq {logged.seq} follows seq {head.seq}", where=where,
                                  hint="lines were removed, reordered or inserted")
            if logged.prev_hash != head.hash:
                raise TadmurError("prev_hash does not match the previous line", where=where,
                                  hint="an earlier line was edited, removed or inserted")
            if refs.seq_of(logged.event_id) is not None:
                raise TadmurError(f"event {logged.event_id} appears twice", where=where,
                                  hint="a line was duplicated")
            if logged.recorded_at < last_time:
                raise TadmurError("recorded_at goes back in time", where=where,
                                  hint="lines were reordered")
            refs.check(logged.event, Path(root))
        except (TadmurError, UnicodeDecodeError) as exc:
            return Verification(head, head.seq, len(refs.documents),
                                _first_line(exc, line_no, logged.seq if logged else head.seq + 1))
        refs.add(logged.event, logged.seq)
        head, last_time = LogHead(logged.seq, logged.hash), logged.recorded_at
    if torn:
        return Verification(head, head.seq, len(refs.documents), _torn_problem(torn, head,
                                                                                len(lines) + 1))
    for doc in refs.documents.values():
        try:
            read_source(Path(root), doc)
        except TadmurError as exc:
            return Verification(head, head.seq, len(refs.documents), str(exc))
    return Verification(head, head.seq, len(refs.documents), None)


def _torn_problem(torn: bytes, head: LogHead, line_no: int) -> str:
    try:
        logged = decode_line(torn.decode("utf-8"), line_no)
    except (TadmurError, UnicodeDecodeError):
        return (f"torn last line {line_no} ({len(torn)} bytes without a newline), and no note "
                "of an interrupted append explains it: damage. Hint: restore the log from git; "
                "if the line was never acknowledged, `tadmur repair` moves it aside")
    if (logged.seq, logged.prev_hash) == (head.seq + 1, head.hash):
        return (f"last line {line_no} is whole and chained but lacks its newline. Hint: the "
                "next read, append or `tadmur repair` completes it")
    return (f"last line {line_no} lacks its newline and does not link to line {line_no - 1}. "
            "Hint: restore the log from git")


def _first_line(exc: Exception, line_no: int, seq: int) -> str:
    """The error, always naming the line and its seq (the one expected there if unreadable)."""
    here = f"line {line_no}, seq {seq}"
    if not isinstance(exc, TadmurError):
        return (f"line is not valid UTF-8 ({exc}) (at {here}). Hint: restore the log from git")
    where = exc.where or ""
    if f"line {line_no}" not in where:
        where = here + (f"; {where}" if where else "")
    elif "seq" not in where:
        where = where.replace(f"line {line_no}", here, 1)
    return str(TadmurError(exc.what, where=where, hint=exc.hint))
