"""``tadmur verify``: re-derive everything the log promises, from the bytes up.

Framing, seq contiguity, the hash chain, unique event ids, references to earlier
events only, non-decreasing append times, and every source text against its sha256.
It reads and never repairs: a torn tail is reported (the next append or read moves
it aside).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.domain.errors import TadmurError
from engine.store.codec import GENESIS_HASH, decode_line
from engine.store.log import LOG_FILE, LogHead
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


def verify_log(root: Path) -> Verification:
    """Check the log under ``root`` line by line; stop at the first problem."""
    path = Path(root) / LOG_FILE
    refs = References()
    head = LogHead(0, GENESIS_HASH)
    last_time = ""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Verification(head, 0, 0, f"no log at {path} (hint: check --log or $TADMUR_LOG)")
    lines = raw.split(b"\n")
    torn = lines.pop()  # bytes after the last newline: empty unless the tail is torn
    for line_no, line in enumerate(lines, start=1):
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
            return Verification(head, head.seq, len(refs.documents), _first_line(exc, line_no))
        refs.add(logged.event, logged.seq)
        head, last_time = LogHead(logged.seq, logged.hash), logged.recorded_at
    if torn:
        return Verification(head, head.seq, len(refs.documents),
                            f"torn last line {len(lines) + 1} ({len(torn)} bytes without a "
                            "newline). Hint: `tadmur repair` moves it aside")
    for doc in refs.documents.values():
        try:
            read_source(Path(root), doc)
        except TadmurError as exc:
            return Verification(head, head.seq, len(refs.documents), str(exc))
    return Verification(head, head.seq, len(refs.documents), None)


def _first_line(exc: Exception, line_no: int) -> str:
    text = str(exc)
    return text if f"line {line_no}" in text else f"{text} (at line {line_no})"
