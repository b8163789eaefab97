"""A polars schema as :func:`engine.scale.json_scan.scan_lines` reads it.

The schema's object nodes (the line, then each struct, depth first) and their keys,
hashed into buckets per node; each key leads to a child node or to a leaf (a value the
scan keeps), leaves numbered depth first so that a node's leaves are a range. A chain's
link and key are leaves that make no column; an alias is one more key leading to a leaf
of the schema (through objects of its own, whose leaf range is empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl

from engine.domain.errors import TadmurError
from engine.scale import json_scan as scan

_KINDS = {pl.String: scan.STRING, pl.Int64: scan.INT, pl.Float64: scan.FLOAT,
          pl.Boolean: scan.BOOL, pl.Date: scan.DATE}


@dataclass(frozen=True)
class Program:
    """A schema as the scanner reads it (see :func:`engine.scale.json_scan.scan_lines`)."""

    keys: np.ndarray
    key_start: np.ndarray
    key_len: np.ndarray
    entry_child: np.ndarray
    entry_leaf: np.ndarray
    entry_next: np.ndarray
    bucket: np.ndarray
    leaf_lo: np.ndarray
    leaf_hi: np.ndarray
    leaf_kind: np.ndarray
    leaf_span: np.ndarray
    leaf_real: np.ndarray
    #: per leaf: how many paths lead to it (more than one: aliases)
    leaf_paths: np.ndarray
    #: per leaf: its number among the columns of its kind (strings, or the others), NO
    #: for a hidden leaf
    leaf_column: np.ndarray
    #: the leaves of a chain (a line's link, the previous line's key), or NO, NO
    chain: np.ndarray
    #: each leaf's path of names, in leaf order
    paths: tuple[tuple[str, ...], ...]

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.keys, self.key_start, self.key_len, self.entry_child, self.entry_leaf,
                self.entry_next, self.bucket, self.leaf_lo, self.leaf_hi, self.leaf_kind,
                self.leaf_span, self.leaf_real, self.leaf_paths)



Path = tuple[str, ...]


def program_of(schema: pl.Schema, chain: tuple[str, str] | None = None,
               aliases: dict[Path, Path] | None = None) -> Program:
    """The program that reads ``schema``, and the top-level strings of ``chain`` (a
    line's link and the previous line's key), scanned but not made columns.

    ``aliases`` maps a path not in the schema to a leaf of it: the value found at
    either path is the leaf's (a line that gives both is refused)."""
    clash = [name for name in chain or () if name in schema]
    if clash:
        raise TadmurError(f"the chain's fields are not columns, but the schema names {clash}",
                          hint="leave the link and key out of the schema")
    return _program(tuple(schema.items()), tuple(chain or ()), tuple((aliases or {}).items()))


@lru_cache(maxsize=8)
def _program(schema: tuple[tuple[str, pl.DataType], ...], hidden: tuple[str, ...],
             aliases: tuple[tuple[Path, Path], ...]) -> Program:
    nodes: list[list[tuple[str, int, int]]] = []  # per node: (key, child node, leaf)
    paths: list[tuple[str, ...]] = []
    kinds: list[int] = []
    ranges: list[list[int]] = []

    def visit(fields, path: tuple[str, ...]) -> int:
        node = len(nodes)
        nodes.append([])
        ranges.append([len(paths), 0])
        for name, dtype in fields:
            if isinstance(dtype, pl.Struct):
                child = visit([(f.name, f.dtype) for f in dtype.fields], (*path, name))
                nodes[node].append((name, child, scan.NO))
                continue
            kind = _KINDS.get(dtype.base_type()) if not dtype.is_nested() else None
            if kind is None:
                raise TadmurError(f"the JSON lines scanner reads no {dtype} (at {name!r})",
                                  hint="use String, Int64, Float64, Boolean, Date or Struct")
            nodes[node].append((name, scan.NO, len(paths)))
            paths.append((*path, name))
            kinds.append(kind)
        ranges[node][1] = len(paths)
        return node

    visit([*schema, *((name, pl.String()) for name in hidden)], ())
    n_paths = [1] * len(paths)
    for alias, target in aliases:
        if target not in paths or alias in paths:
            raise TadmurError(f"an alias leads from a new path to a leaf, not {alias} -> {target}",
                              hint=f"the leaves are {paths}")
        node = 0
        for name in alias[:-1]:  # the alias's objects: the schema's, or new ones
            child = next((c for key, c, _ in nodes[node] if key == name), None)
            if child == scan.NO:
                raise TadmurError(f"an alias passes through {name!r}, a leaf of the schema",
                                  hint="an alias's path may pass through objects only")
            if child is None:
                child = len(nodes)
                nodes.append([])
                ranges.append([0, 0])  # no leaves of its own: nothing to clear
                nodes[node].append((name, child, scan.NO))
            node = child
        nodes[node].append((alias[-1], scan.NO, paths.index(target)))
        n_paths[paths.index(target)] += 1
    entries = [(node, key, child, leaf) for node, items in enumerate(nodes)
               for key, child, leaf in items]
    encoded = [key.encode() for _, key, _, _ in entries]
    key_len = np.array([len(k) for k in encoded], np.int32)
    key_start = np.concatenate([[0], np.cumsum(key_len)[:-1]]).astype(np.int32)
    keys = np.frombuffer(b"".join(encoded) + bytes(16), np.uint8)  # padded: read by words
    bucket = np.full((len(nodes), scan.BUCKETS), scan.NO, np.int32)
    entry_next = np.full(len(entries), scan.NO, np.int32)
    for e, (node, key, _, _) in enumerate(entries):
        if not encoded[e]:
            continue  # an empty key never matches (the scanner skips it)
        h = scan.key_bucket(keys, int(key_start[e]), int(key_len[e]))
        entry_next[e], bucket[node, h] = bucket[node, h], e
    kind = np.array(kinds, np.int8)
    spans = np.isin(kind, [scan.STRING, scan.FLOAT])
    strings = kind == scan.STRING
    shown = np.array([len(path) > 1 or path[0] not in hidden for path in paths], bool)
    return Program(
        keys=keys, key_start=key_start, key_len=key_len,
        entry_child=np.array([c for _, _, c, _ in entries], np.int32),
        entry_leaf=np.array([leaf for _, _, _, leaf in entries], np.int32),
        entry_next=entry_next, bucket=bucket,
        leaf_lo=np.array([lo for lo, _ in ranges], np.int32),
        leaf_hi=np.array([hi for _, hi in ranges], np.int32),
        leaf_kind=kind,
        leaf_span=_numbered(spans),
        leaf_real=_numbered(kind == scan.FLOAT),
        leaf_paths=np.array(n_paths, np.int32),
        leaf_column=np.where(~shown, scan.NO, np.where(
            strings, _numbered(strings & shown), _numbered(~strings & shown))).astype(np.int32),
        chain=np.array([paths.index((name,)) for name in hidden] or [scan.NO, scan.NO], np.int32),
        paths=tuple(paths),
    )


def _numbered(mask: np.ndarray) -> np.ndarray:
    """0, 1, 2... where ``mask`` holds, NO elsewhere."""
    return np.where(mask, np.cumsum(mask) - 1, scan.NO).astype(np.int32)
