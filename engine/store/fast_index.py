"""Rebuilding the append index with the compiled JSON lines reader.

A separate module so an append that finds its index up to date never imports polars.
"""

from __future__ import annotations

import mmap
from pathlib import Path

import polars as pl

from engine.domain.errors import TadmurError
from engine.store.codec import GENESIS_HASH
from engine.store.index import Mark

_S = pl.String()
_DOC_FIELDS = ("doc_id", "outlet", "url", "title", "language", "published",
               "published_precision", "sha256", "path")
_SCHEMA = pl.Schema({
    "seq": pl.Int64(),
    "event_id": _S,
    "type": _S,
    "data": pl.Struct({name: _S for name in ("claim_id", *_DOC_FIELDS)}),
})


def read_index_rows(path: Path, size: int, head: Mark):
    """(ids, docs, claims) tuples of the first ``size`` bytes of the log, or None if the
    fast checks fail: lines chained from the genesis hash to ``head`` (whose line the
    caller decoded in full), seqs 1..n."""
    from engine.scale.json_lines import JsonLinesError, read_chained_lines
    from engine.store.index import document_row

    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), size,
                                                   access=mmap.ACCESS_READ) as raw:
            lines, ends = read_chained_lines(raw, _SCHEMA, "prev_hash", "hash")
    except (JsonLinesError, TadmurError, OSError, ValueError, pl.exceptions.PolarsError):
        return None
    n = lines.height
    if (ends is None or ends.first_link != GENESIS_HASH or ends.last_key != head.hash
            or n != head.seq
            or not (lines["seq"] == pl.int_range(1, n + 1, eager=True)).all()):
        return None
    ids = list(zip(lines["event_id"].to_list(), lines["seq"].to_list(), strict=True))
    data = lines.select("seq", "type", pl.col("data").struct.unnest())
    claims = data.filter(pl.col("type") == "ClaimRecorded").select("claim_id", "seq").rows()
    docs = [document_row({name: row[name] for name in _DOC_FIELDS}, row["seq"])
            for row in data.filter(pl.col("type") == "DocumentRegistered").iter_rows(named=True)]
    return ids, docs, claims
