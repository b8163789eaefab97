"""JSON lines -> a polars frame of the values a schema names, on compiled loops.

:func:`read_json_lines` gives what ``pl.read_ndjson(source, schema=schema)`` gives for
a schema of strings, integers, floats, booleans, dates and structs of them, at several
times the speed on the log's lines (``bench/load.py``): the scanner
(:mod:`engine.scale.json_scan`) parses each line once and keeps only the schema's values,
on two threads, and the columns are handed to polars as Arrow buffers (through
``nanoarrow``, without a copy of each string into a Python object).

:func:`read_chained_lines` also checks that the lines form a chain (each line's link
field holds the previous line's key field, as a log's ``prev_hash`` holds the ``hash``
before it) and returns its two ends, without making columns of the links.

Two differences from polars' reader, both on the strict side: a struct that is absent or
null on a line comes back as a struct of nulls, and a value of another type than the
schema's (a number where it names a string) is an error rather than a null or a cast.

Example:
    >>> import polars as pl
    >>> lines = b'{"seq": 1, "data": {"day": "2016-03-27"}}\\n{"seq": 2, "data": null}\\n'
    >>> read_json_lines(lines, pl.Schema({"seq": pl.Int64, "data": pl.Struct({"day": pl.Date})}))
    shape: (2, 2)
    ┌─────┬──────────────┐
    │ seq ┆ data         │
    │ --- ┆ ---          │
    │ i64 ┆ struct[1]    │
    ╞═════╪══════════════╡
    │ 1   ┆ {2016-03-27} │
    │ 2   ┆ {null}       │
    └─────┴──────────────┘
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import nanoarrow as na
import numpy as np
import polars as pl
from numba.typed import List as TypedList

from engine.domain.errors import TadmurError
from engine.scale import json_scan as scan
from engine.scale.json_program import Program, program_of

_HINT = ("json.loads of the line shows what JSON makes of it; in a log, `tadmur verify` "
         "names what is wrong")
#: below this many bytes one thread scans alone (a thread costs more than it saves)
_SPLIT_FROM = 1 << 22


class JsonLinesError(TadmurError):
    """A line the scanner does not take: not JSON, not of the schema's types, or (in a
    chain) not linked to the line before."""


@dataclass(frozen=True)
class ChainEnds:
    """The two ends of a chain of lines."""

    #: the first line's link: what the chain hangs from
    first_link: str
    #: the last line's key: what the next line must link to
    last_key: str


def read_json_lines(source, schema: pl.Schema) -> pl.DataFrame:
    """The frame of ``schema``'s values on each line of ``source``.

    Args:
        source: the bytes of whole lines (``bytes``, ``mmap``, a uint8 array...), each a
            JSON object, the last one ending with a newline.
        schema: top-level names and their types: ``String``, ``Int64``, ``Float64``,
            ``Boolean``, ``Date`` (from ``YYYY-MM-DD``), or a ``Struct`` of them.

    Raises:
        JsonLinesError: a line is not one JSON object, holds a value of another type
            than the schema's, or the source does not end with a newline; it names the
            line and the byte.
    """
    return _read(source, program_of(schema))[0]


def read_chained_lines(source, schema: pl.Schema, link: str, key: str,
                       aliases: dict[tuple[str, ...], tuple[str, ...]] | None = None,
                       ) -> tuple[pl.DataFrame, ChainEnds | None]:
    """:func:`read_json_lines`, for lines that each hold in ``link`` the string the line
    before holds in ``key`` (top-level fields, not in ``schema``); also returns the
    chain's ends (None for no lines). ``aliases`` map other paths to the schema's leaves
    (``("data", "corrected", "kind"): ("data", "kind")``): a line may give a leaf at any
    one of its paths, not at two.

    Example:
        >>> lines = b'{"n": 1, "prev": "a", "id": "b"}\\n{"n": 2, "prev": "b", "id": "c"}\\n'
        >>> frame, ends = read_chained_lines(lines, pl.Schema({"n": pl.Int64}), "prev", "id")
        >>> frame["n"].to_list(), ends
        ([1, 2], ChainEnds(first_link='a', last_key='c'))

    Raises:
        JsonLinesError: as :func:`read_json_lines` does, and for a line whose link is
            missing, escaped, or not the key before it.
    """
    return _read(source, program_of(schema, (link, key), aliases))


def _read(source, program: Program) -> tuple[pl.DataFrame, ChainEnds | None]:
    buf = np.frombuffer(source, dtype=np.uint8)
    if buf.size and buf[-1] != 10:
        raise JsonLinesError("the last line has no newline", where=f"byte {buf.size}",
                             hint="a line half written: read it once it is complete")
    chunks = _chunks(buf)
    with ThreadPoolExecutor(len(chunks)) as pool:
        pieces = list(pool.map(lambda chunk: _read_chunk(buf, *chunk, program), chunks))
    lines_before = np.cumsum([0] + [p.rows for p in pieces])
    for k, piece in enumerate(pieces):
        if piece.error is not None:
            error, at = piece.error
            raise JsonLinesError(
                f"line {lines_before[k] + piece.rows + 1} is {scan.ERRORS[error]}",
                where=f"byte {at - _line_start(buf, at)} of the line" if at >= 0 else None,
                hint=_HINT)
    ends = None
    if program.chain[0] != scan.NO and lines_before[-1]:
        for k in range(1, len(pieces)):  # where the threads' pieces meet
            if _text(buf, pieces[k].ends[:2]) != _text(buf, pieces[k - 1].ends[2:]):
                raise JsonLinesError(
                    f"line {lines_before[k] + 1} is {scan.ERRORS[scan.BROKEN_LINK]}",
                    hint=_HINT)
        ends = ChainEnds(_text(buf, pieces[0].ends[:2]), _text(buf, pieces[-1].ends[2:]))
    shown = [leaf for leaf in range(len(program.paths)) if program.leaf_column[leaf] != scan.NO]
    leaves = [pl.concat([p.columns[i] for p in pieces], rechunk=False)
              for i in range(len(shown))]
    paths = tuple(program.paths[leaf] for leaf in shown)
    return _nest(paths, leaves, int(lines_before[-1])), ends


def _text(buf: np.ndarray, span) -> str:
    start, size = (int(x) for x in span)
    return bytes(buf[start : start + size]).decode("utf-8")


@dataclass(frozen=True)
class _Piece:
    """One chunk's lines as columns, or where the scan stopped on a line it refused."""

    rows: int
    columns: list[pl.Series]
    error: tuple[int, int] | None = None
    #: a chain's first link and last key: (offset, length) of each
    ends: tuple[int, int, int, int] = (-1, -1, -1, -1)


def _chunks(buf: np.ndarray) -> list[tuple[int, int]]:
    """Whole lines, in two pieces for two threads when there is enough to share."""
    if buf.size < _SPLIT_FROM:
        return [(0, buf.size)]
    middle = scan.next_line(buf, buf.size // 2)
    return [(0, middle), (middle, buf.size)] if middle < buf.size else [(0, buf.size)]


def _read_chunk(buf: np.ndarray, lo: int, hi: int, program: Program) -> _Piece:
    """The lines of ``buf[lo:hi]`` as columns, in arrays sized from the first lines and
    grown when they fall short."""
    n_leaves, kinds, shown = len(program.paths), program.leaf_kind, program.leaf_column >= 0
    n_strings = int(((kinds == scan.STRING) & shown).sum())
    n_reals = int((kinds == scan.FLOAT).sum())
    scratch = (np.empty((scan.BLOCK, n_leaves), np.int8),
               np.empty((scan.BLOCK, n_leaves), np.int64),
               np.empty((scan.BLOCK, max(1, int((program.leaf_span >= 0).sum()))), np.int32),
               np.empty((scan.BLOCK, max(1, n_reals)), np.float64))
    sample = min(hi, lo + (1 << 20))
    per_line = max(1, sample - lo) / max(1, scan.count_lines(buf, lo, sample))
    capacity = int((hi - lo) / per_line * 1.05) + scan.BLOCK
    present = np.empty((n_leaves, capacity), np.int8)
    numbers = np.empty((int(shown.sum()) - n_strings, capacity), np.int64)
    reals = np.empty((n_reals, capacity), np.float64)
    offsets = np.zeros((n_strings, capacity + 1), np.int64)
    # strings: a line's share of each, guessed from the line's bytes, grown when short
    # a typed list, not a tuple: the compiled code is then the same for any number of
    # string leaves (a tuple's length is part of its type: a new compile per schema)
    datas = TypedList([np.empty(int((hi - lo) * 0.2) + 64, np.uint8)
                       for _ in range(max(1, n_strings))])
    used = np.zeros(n_strings, np.int64)
    ends = np.full(4, -1, np.int64)
    rows = 0
    while True:
        status, rows, lo, detail = scan.read_chunk(
            buf, lo, hi, rows, *program.arrays(), program.leaf_column, program.chain, *scratch,
            present, numbers, reals, offsets, datas, used, ends)
        if status == scan.DONE:
            break
        if status == scan.FAILED:
            return _Piece(rows, [], detail)
        if status == scan.MORE_ROWS:
            more = capacity + capacity // 2 + scan.BLOCK
            present, numbers, reals = (_grown(a, more) for a in (present, numbers, reals))
            offsets, capacity = _grown(offsets, more + 1), more
        else:
            k, need = detail
            datas[k] = _grown(datas[k], max(need, datas[k].size + datas[k].size // 2))
    return _Piece(rows, _columns(buf, program, rows, present, numbers, reals, offsets,
                                 datas, used), ends=tuple(int(x) for x in ends))


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    """``array`` with its last axis grown to ``size`` (the first values kept)."""
    out = np.empty((*array.shape[:-1], size), array.dtype)
    out[..., : array.shape[-1]] = array
    return out


def _line_start(buf: np.ndarray, at: int) -> int:
    newlines = np.flatnonzero(buf[max(0, at - (1 << 24)) : at] == 10)
    return max(0, at - (1 << 24)) + (int(newlines[-1]) + 1 if newlines.size else 0)


def _columns(buf, program: Program, rows: int, present, numbers, reals, offsets, datas,
             used) -> list[pl.Series]:
    out = []
    for leaf, path in enumerate(program.paths):
        if program.leaf_column[leaf] == scan.NO:
            continue  # a chain's link or key
        kind, k, states = program.leaf_kind[leaf], program.leaf_column[leaf], present[leaf, :rows]
        valid = states != scan.NULL
        validity = None if valid.all() else np.packbits(valid, bitorder="little")
        if kind == scan.STRING:
            # the scanner validated the UTF-8: polars takes the strings unchecked
            array = na.c_array_from_buffers(na.large_string(), rows, [
                validity, offsets[k, : rows + 1], datas[k][: used[k]]])
        elif kind == scan.FLOAT:
            values = reals[program.leaf_real[leaf], :rows]
            for r in np.flatnonzero(states == scan.SPECIAL):  # Python rounds them exactly
                values[r] = float(_number_at(buf, int(numbers[k, r])))
            array = na.c_array_from_buffers(na.float64(), rows, [validity, values])
        elif kind == scan.BOOL:
            bits = np.packbits(numbers[k, :rows] == 1, bitorder="little")
            array = na.c_array_from_buffers(na.bool_(), rows, [validity, bits])
        elif kind == scan.DATE:
            days = numbers[k, :rows].astype(np.int32)
            array = na.c_array_from_buffers(na.date32(), rows, [validity, days])
        else:
            array = na.c_array_from_buffers(na.int64(), rows, [validity, numbers[k, :rows]])
        out.append(pl.Series(array).alias(path[-1]))
    return out


def _number_at(buf: np.ndarray, start: int) -> bytes:
    end = start
    while end < buf.size and buf[end] in b"+-.0123456789eE":
        end += 1
    return bytes(buf[start:end])


def _nest(paths: tuple[tuple[str, ...], ...], columns: list[pl.Series], n: int) -> pl.DataFrame:
    """Leaf columns -> the schema's frame, structs rebuilt from their fields."""
    def build(prefix: tuple[str, ...], members: list[tuple[tuple[str, ...], pl.Series]]):
        out, depth = [], len(prefix)
        names = list(dict.fromkeys(path[depth] for path, _ in members))
        for name in names:
            inner = [(p, c) for p, c in members if p[depth] == name]
            if len(inner) == 1 and len(inner[0][0]) == depth + 1:
                out.append(inner[0][1])
            else:
                out.append(pl.DataFrame(build((*prefix, name), inner), height=n).to_struct(name))
        return out

    return pl.DataFrame(build((), list(zip(paths, columns))), height=n)
