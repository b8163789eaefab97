"""Many log lines at once, with every check :func:`engine.store.codec.decode_line` makes.

``decode_line`` builds Python dicts and event objects: ~260 µs a line. This module
decodes each line with msgspec into typed structs (one per event type, fields in the
order :meth:`Event.data` writes them) and vouches for a line only when all of this holds:

- the exact form: msgspec re-encodes the envelope and the payload to the very bytes of
  the line (compact JSON, envelope in its order, no field missing, extra or duplicated,
  no empty optional field, every value of its declared JSON type);
- the hash: sha256 of the canonical JSON of the line without ``hash`` (sorted keys,
  ``msgspec.json.encode(..., order="sorted")``: the bytes :func:`canonical_json` gives,
  see ``tests/unit/test_checked_lines.py``) equals ``hash``;
- the event id: sha256 of the canonical ``{"data", "type"}`` starts with ``event_id``;
- the envelope and payload rules of the event classes, checked column by column once the
  lines are decoded (slugs, vocabularies, ISO dates, windows, evidence offsets, ...).

msgspec and Python's ``json`` write every string alike, but not every float: msgspec
writes ``1e-05`` as ``0.00001`` and ``1e+16`` as ``1e16``; a confidence outside
``{0} ∪ [1e-4, 1e16)`` is not vouched for. A line not vouched for is decoded by
``decode_line`` itself, which either accepts it (its values are used) or raises with its
exact message (:class:`NotVouched` tells the caller to read the log with the store's
line-by-line reader, which names the line as it always has).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import msgspec
import polars as pl

from engine.domain.errors import TadmurError
from engine.domain.events import (
    CLAIM_ACTIONS,
    CORRECTABLE_FIELDS,
    SCHEMA_VERSION,
    ClaimCorrected,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
    DocumentRegistered,
    Event,
)
from engine.domain.schema import CLAIM_EVENTS, enforce_schema
from engine.domain.vocabulary import (
    ACTORS,
    CLAIM_KINDS,
    PUBLISHED_PRECISIONS,
    TIME_PRECISIONS,
    VERDICTS,
)
from engine.store.codec import decode_line


class NotVouched(Exception):
    """A line the fast path cannot vouch for and ``decode_line`` refuses: the caller
    reads the log with the store's reader, whose error names the line."""

    def __init__(self, line_no: int, error: Exception):
        super().__init__(f"line {line_no}: {error}")
        self.line_no = line_no
        self.error = error


# -- the payloads, as msgspec reads them: fields in the order Event.data() writes them --


class Evidence(msgspec.Struct, gc=False):
    start: int
    end: int
    text: str


class Assertion(msgspec.Struct, gc=False):
    site_id: str
    kind: str
    gainer: str
    loser: str | None
    valid_from: str
    valid_to: str
    time_precision: str
    claimant: str
    denied: bool
    confidence: float


class Document(msgspec.Struct, gc=False):
    doc_id: str
    outlet: str
    url: str
    title: str
    language: str
    published: str
    published_precision: str
    sha256: str
    path: str


class Recorded(msgspec.Struct, gc=False):
    claim_id: str
    doc_id: str
    site_id: str
    kind: str
    gainer: str
    loser: str | None
    valid_from: str
    valid_to: str
    time_precision: str
    claimant: str
    denied: bool
    evidence: Evidence
    extractor: str
    confidence: float


class Retracted(msgspec.Struct, gc=False, omit_defaults=True):
    claim_id: str
    reason: str
    supersedes: str = ""


class Corrected(msgspec.Struct, gc=False, omit_defaults=True):
    claim_id: str
    corrected: Assertion
    reason: str
    supersedes: str = ""


class Reviewed(msgspec.Struct, gc=False, omit_defaults=True):
    claim_id: str
    verdict: str
    reviewer: str
    note: str
    supersedes: str = ""


#: event type -> (its payload struct, its event class)
PAYLOADS: dict[str, tuple[type[msgspec.Struct], type[Event]]] = {
    "DocumentRegistered": (Document, DocumentRegistered),
    "ClaimRecorded": (Recorded, ClaimRecorded),
    "ClaimRetracted": (Retracted, ClaimRetracted),
    "ClaimCorrected": (Corrected, ClaimCorrected),
    "ClaimReviewed": (Reviewed, ClaimReviewed),
}


def _line_struct(type_name: str, payload: type[msgspec.Struct]) -> type[msgspec.Struct]:
    """A log line of one event type, fields in the order the store writes them."""
    return msgspec.defstruct(
        f"{type_name}Line",
        [
            ("seq", int),
            ("event_id", str),
            ("type", str),
            ("recorded_at", str),
            ("schema", int),
            ("prev_hash", str),
            ("data", payload),
            ("hash", str),
        ],
        gc=False,
    )


_ENCODE = msgspec.json.Encoder().encode
_ENCODE_SORTED = msgspec.json.Encoder(order="sorted").encode
#: the first 9 bytes of the type's name (all differ) -> (name, decoder of its lines)
_DECODERS = {
    name[:9].encode(): (name, msgspec.json.Decoder(_line_struct(name, struct)).decode)
    for name, (struct, _) in PAYLOADS.items()
}
_TYPE_AT = b',"type":"'
_HASH_AT = b',"hash":"'
_EVENT_ID_AT = b',"event_id":"'
_ID_TAIL = {name: b',"type":"' + name.encode() + b'"}' for name in PAYLOADS}


class _Doubt(Exception):
    pass


@dataclass
class Decoded:
    """What :func:`decode_lines` read: the payloads by type with their seqs, and the
    envelope fields that are checked on columns."""

    seqs: dict[str, list[int]]
    payloads: dict[str, list[Any]]
    event_ids: list[str]
    recorded_at: list[str]
    #: the seq and prev_hash of the first line
    first_seq: int
    first_prev: str
    #: the head after the last line
    head_seq: int
    head_hash: str
    #: line numbers that ``decode_line`` vouched for (the fast checks could not)
    doubted: list[int]


def decode_lines(raw: bytes, seq: int | None = None, head_hash: str | None = None) -> Decoded:
    """Decode and check the whole lines of ``raw`` (ending with a newline), which follow
    the line ``seq`` whose hash is ``head_hash`` (None: whatever the first line says; the
    caller checks that it follows the block before).

    Each line is checked on its own (exact form, hash, event id, JSON types) and against
    the line before it (seq + 1, ``prev_hash``); the envelope and payload rules are
    checked on the columns (:func:`doubtful_seqs`). Raises :class:`NotVouched` at the
    first line that is wrong, for the store's reader to name.
    """
    seqs: dict[str, list[int]] = {name: [] for name in PAYLOADS}
    payloads: dict[str, list[Any]] = {name: [] for name in PAYLOADS}
    event_ids: list[str] = []
    recorded_at: list[str] = []
    doubted: list[int] = []
    decoders, id_tails = _DECODERS, _ID_TAIL
    encode, encode_sorted, sha256 = _ENCODE, _ENCODE_SORTED, hashlib.sha256
    add_id, add_time = event_ids.append, recorded_at.append
    split = raw.split(b"\n")
    split.pop()  # what follows the last newline: nothing
    if seq is None or head_hash is None:
        seq, head_hash = _follows(split[0])
    first_seq, first_prev = seq + 1, head_hash
    line: Any  # a line struct, or the LoggedEvent decode_line gave
    for line_bytes in split:
        seq += 1
        try:
            at = line_bytes.index(_TYPE_AT, 40) + 9
            name, decode = decoders[line_bytes[at : at + 9]]
            line = decode(line_bytes)
            if line.type != name or encode(line) != line_bytes:
                raise _Doubt
            # the canonical bytes are the sorted form without ``hash`` (never escaped: a
            # line whose hash is not 64 hex digits fails the comparison below)
            ordered = encode_sorted(line)
            cut = ordered.rfind(_HASH_AT)
            if sha256(ordered[:cut] + ordered[cut + 74 :]).hexdigest() != line.hash:
                raise _Doubt
            content = ordered[: ordered.rfind(_EVENT_ID_AT, 0, cut)] + id_tails[name]
            if (
                sha256(content).hexdigest()[:32] != line.event_id
                or line.seq != seq
                or line.prev_hash != head_hash
                or line.schema != SCHEMA_VERSION
            ):
                raise _Doubt
            payload = line.data
        except (_Doubt, ValueError, KeyError, msgspec.DecodeError, UnicodeEncodeError):
            line, payload = _decoded_by_store(line_bytes, seq, head_hash)
            name = line.type
            doubted.append(seq)
        seqs[name].append(seq)
        payloads[name].append(payload)
        add_id(line.event_id)
        add_time(line.recorded_at)
        head_hash = line.hash
    return Decoded(
        seqs, payloads, event_ids, recorded_at, first_seq, first_prev, seq, head_hash, doubted
    )


def _follows(first: bytes) -> tuple[int, str]:
    """The seq and hash the line ``first`` says it follows (NotVouched if it cannot say)."""
    try:
        line = msgspec.json.decode(first, type=_Link)
    except msgspec.MsgspecError as exc:
        raise NotVouched(0, exc) from None
    return line.seq - 1, line.prev_hash


class _Link(msgspec.Struct):
    seq: int
    prev_hash: str


def _decoded_by_store(line_bytes: bytes, seq: int, prev_hash: str):
    """The line as ``decode_line`` reads it (upcast if old), or NotVouched; it must
    be ``seq`` (which is its line number) and follow ``prev_hash``."""
    line_no = seq
    try:
        logged = decode_line(line_bytes.decode("utf-8"), line_no)
    except (TadmurError, UnicodeDecodeError) as exc:
        raise NotVouched(line_no, exc) from None
    if logged.seq != seq or logged.prev_hash != prev_hash:
        raise NotVouched(line_no, ValueError("the chain breaks here"))
    struct = PAYLOADS[logged.type][0]
    try:
        return logged, msgspec.convert(logged.event.data(), struct)
    except msgspec.ValidationError as exc:  # e.g. an offset past 64 bits: the store decides
        raise NotVouched(line_no, exc) from None


# -- the rules across lines and of the payloads, on columns ---------------------------

_SLUG = r"^[a-z0-9][a-z0-9_\-]{0,79}$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_STAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$"
_HEX32 = r"^[0-9a-f]{32}$"
_HEX64 = r"^[0-9a-f]{64}$"


_DTYPES = {
    "str": pl.String,
    "str | None": pl.String,
    "bool": pl.Boolean,
    "float": pl.Float64,
    "int": pl.Int64,
}


def payload_frames(decoded: Decoded) -> dict[str, pl.DataFrame]:
    """One frame per event type: ``seq`` and the payload's fields (nested ones flattened:
    ``evidence_start``..., a correction's fields under their own names)."""
    return {
        name: _frame(PAYLOADS[name][0], decoded.seqs[name], decoded.payloads[name])
        for name in PAYLOADS
    }


def _frame(struct: type[msgspec.Struct], seqs: list[int], structs: list) -> pl.DataFrame:
    columns = [pl.Series("seq", seqs, pl.Int64)]
    for name in struct.__struct_fields__:
        nested = _NESTED.get((struct, name))
        values = list(map(attrgetter(name), structs))
        if nested is None:
            columns.append(pl.Series(name, values, _DTYPES[_annotation(struct, name)]))
            continue
        prefix, inner = nested
        for inner_name in inner.__struct_fields__:
            columns.append(
                pl.Series(
                    prefix + inner_name,
                    list(map(attrgetter(inner_name), values)),
                    _DTYPES[_annotation(inner, inner_name)],
                )
            )
    return pl.DataFrame(columns)


_NESTED: dict[tuple[type, str], tuple[str, type[msgspec.Struct]]] = {
    (Recorded, "evidence"): ("evidence_", Evidence),
    (Corrected, "corrected"): ("", Assertion),
}


def _annotation(struct: type, name: str) -> str:
    annotation = struct.__annotations__[name]
    return annotation if isinstance(annotation, str) else annotation.__name__


def doubtful_seqs(
    first_seq: int, recorded_at: pl.Series, payloads: dict[str, pl.DataFrame]
) -> pl.Series:
    """The seqs of lines whose envelope or payload breaks a rule of the event classes
    (or that the columns cannot vouch for): ``decode_line`` decides for them.
    ``recorded_at`` holds the lines' times from seq ``first_seq`` on."""
    suspects = [
        pl.int_range(first_seq, first_seq + recorded_at.len(), eager=True).filter(
            ~recorded_at.str.contains(_STAMP)
        )
    ]
    for name, frame in payloads.items():
        rules = _RULES[name]()
        suspects.append(frame.filter(~pl.all_horizontal(rules).fill_null(False))["seq"])
    return pl.concat(suspects).unique().sort()


def _slug(name: str) -> pl.Expr:
    return pl.col(name).str.contains(_SLUG)


def _one_of(name: str, allowed: tuple[str, ...]) -> pl.Expr:
    return pl.col(name).is_in(list(allowed))


def _date(name: str) -> pl.Expr:
    return (
        pl.col(name).str.contains(_DATE)
        & pl.col(name).str.to_date("%Y-%m-%d", strict=False).is_not_null()
    )


def _assertion() -> list[pl.Expr]:
    confidence = pl.col("confidence")
    return [
        _slug("site_id"),
        _one_of("kind", CLAIM_KINDS),
        _one_of("gainer", ACTORS),
        pl.col("loser").is_null() | _one_of("loser", ACTORS),
        _one_of("time_precision", TIME_PRECISIONS),
        _date("valid_from"),
        _date("valid_to"),
        pl.col("valid_to").str.to_date("%Y-%m-%d", strict=False)
        >= pl.col("valid_from").str.to_date("%Y-%m-%d", strict=False),
        _slug("claimant"),
        # in [0, 1], and written alike by msgspec and json (not 1e-05)
        (confidence == 0.0) | ((confidence >= 1e-4) & (confidence <= 1.0)),
    ]


def _reason() -> pl.Expr:
    # Python's str.strip also strips \x1c-\x1f: such reasons go to decode_line
    return (pl.col("reason").str.strip_chars().str.len_chars() > 0) & ~pl.col(
        "reason"
    ).str.contains("[\x1c-\x1f]")


def _supersedes() -> pl.Expr:
    return (pl.col("supersedes") == "") | pl.col("supersedes").str.contains(_HEX32)


_RULES = {
    "DocumentRegistered": lambda: [
        _slug("doc_id"),
        _date("published"),
        _one_of("published_precision", PUBLISHED_PRECISIONS),
        pl.col("sha256").str.contains(_HEX64),
        ~pl.col("path").str.starts_with("/"),
        ~pl.col("path").str.contains("\x00", literal=True),
        ~pl.col("path").str.split("/").list.contains(".."),
    ],
    "ClaimRecorded": lambda: [
        _slug("claim_id"),
        _slug("doc_id"),
        *_assertion(),
        pl.col("evidence_start") >= 0,
        pl.col("evidence_start") < pl.col("evidence_end"),
        pl.col("evidence_end") - pl.col("evidence_start")
        == pl.col("evidence_text").str.len_chars(),
    ],
    "ClaimRetracted": lambda: [_slug("claim_id"), _reason(), _supersedes()],
    "ClaimCorrected": lambda: [_slug("claim_id"), *_assertion(), _reason(), _supersedes()],
    "ClaimReviewed": lambda: [_slug("claim_id"), _one_of("verdict", VERDICTS), _supersedes()],
}

assert set(Assertion.__struct_fields__) == set(CORRECTABLE_FIELDS)


@dataclass
class CheckedBlock:
    """A block of whole lines, checked: its claim events (:func:`claim_events_of`), its
    documents, the acts on claims (seq, claim_id, supersedes, and the site a correction
    names), and where its chain starts and ends (the caller links it to the block before)."""

    events: pl.DataFrame
    documents: pl.DataFrame
    acts: pl.DataFrame
    first_seq: int
    first_prev: str
    head_seq: int
    head_hash: str
    event_ids: pl.Series
    recorded_at: pl.Series


def check_block(raw: bytes, seq: int | None = None, head_hash: str | None = None) -> CheckedBlock:
    """:func:`decode_lines`, then the rules on the columns; lines the rules doubt are
    decoded by ``decode_line``. Raises NotVouched at a line that is wrong."""
    decoded = decode_lines(raw, seq, head_hash)
    try:
        frames = payload_frames(decoded)
    except (TypeError, OverflowError, pl.exceptions.PolarsError) as exc:
        # a value decode_line accepts that a column cannot hold (an offset past 64 bits)
        raise NotVouched(decoded.first_seq, exc) from None
    recorded_at = pl.Series("recorded_at", decoded.recorded_at, pl.String)
    doubtful = doubtful_seqs(decoded.first_seq, recorded_at, frames)
    if doubtful.len():
        lines = raw.split(b"\n")
        for line_seq in doubtful.to_list():
            try:
                decode_line(lines[line_seq - decoded.first_seq].decode("utf-8"), line_seq)
            except (TadmurError, UnicodeDecodeError) as exc:
                raise NotVouched(line_seq, exc) from None
    acts = [
        frames[name].select(
            "seq",
            "claim_id",
            "supersedes",
            site_id=pl.col("site_id") if name == "ClaimCorrected" else pl.lit(None, pl.String),
        )
        for name in ("ClaimRetracted", "ClaimCorrected", "ClaimReviewed")
    ]
    return CheckedBlock(
        claim_events_of(frames),
        frames["DocumentRegistered"],
        pl.concat(acts),
        decoded.first_seq,
        decoded.first_prev,
        decoded.head_seq,
        decoded.head_hash,
        pl.Series("event_id", decoded.event_ids, pl.String),
        recorded_at,
    )


def claim_events_of(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The claim events of a block, in log order, from its payload frames, with a null
    ``published_date`` (the reader fills it in once every document is known)."""
    columns = {
        "ClaimRecorded": ("claim_id", "doc_id", *CORRECTABLE_FIELDS, "extractor",
                          "evidence_text", "evidence_start", "evidence_end"),
        "ClaimCorrected": ("claim_id", *CORRECTABLE_FIELDS),
        "ClaimRetracted": ("claim_id",),
        "ClaimReviewed": ("claim_id", "verdict"),
    }  # fmt: skip
    parts = [
        frames[name].select("seq", *names).with_columns(event=pl.lit(CLAIM_ACTIONS[name]))
        for name, names in columns.items()
    ]
    frame = (
        pl.concat(parts, how="diagonal_relaxed")
        .sort("seq")
        .with_columns(
            pl.col("valid_from", "valid_to").str.to_date("%Y-%m-%d"),
            published_date=pl.lit(None, pl.Date),
        )
    )
    return enforce_schema(frame, CLAIM_EVENTS, "claim_events")


def check_file_block(path: str, offset: int, length: int) -> CheckedBlock | str:
    """:func:`check_block` of ``length`` bytes of ``path`` from ``offset`` (run in a worker
    process); a block that is wrong gives the reason as a string."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        raw = handle.read(length)
    if len(raw) != length or not raw.endswith(b"\n"):
        return "torn or short block"
    try:
        return check_block(raw)
    except NotVouched as exc:
        return str(exc)


def serve_blocks() -> None:
    """A worker process of :func:`engine.store.read.load_claim_events`: reads
    ``{"path", "blocks": [[offset, length], ...]}`` as JSON on stdin and writes, for each
    block in order, the pickle of :func:`check_file_block`'s answer on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    for offset, length in request["blocks"]:
        try:
            answer: CheckedBlock | str = check_file_block(request["path"], offset, length)
        except Exception as exc:  # noqa: BLE001 - any failure: the reader falls back
            answer = f"{type(exc).__name__}: {exc}"
        pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
