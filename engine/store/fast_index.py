"""Rebuilding the append index from the checked block read of the log.

A separate module so an append that finds its index up to date never imports polars.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from engine.domain.errors import TadmurError
from engine.store.codec import GENESIS_HASH
from engine.store.head import LogHead
from engine.store.index import Mark

_DOC_FIELDS = (
    "doc_id",
    "outlet",
    "url",
    "title",
    "language",
    "published",
    "published_precision",
    "sha256",
    "path",
)


def read_index_rows(path: Path, size: int, head: Mark):
    """(ids, docs, claims) tuples of the first ``size`` bytes of the log, or None if a
    line is not what the store writes (the caller then reads the log line by line, which
    names the damage): every line checked as :func:`engine.store.blocks.checked_blocks`
    does, chained from the genesis hash to ``head``."""
    from engine.store.blocks import FastCheckFailed, checked_blocks
    from engine.store.index import document_row

    ids: list[tuple[str, int]] = []
    docs = []
    claims: list[tuple[str, int]] = []
    last = LogHead(0, GENESIS_HASH)
    try:
        for block in checked_blocks(path, 0, size, last):
            seqs = range(block.first_seq, block.head_seq + 1)
            ids.extend(zip(block.event_ids.to_list(), seqs, strict=True))
            recorded = block.events.filter(pl.col("event") == "recorded")
            claims.extend(recorded.select("claim_id", "seq").rows())
            for row in block.documents.iter_rows(named=True):
                docs.append(document_row({name: row[name] for name in _DOC_FIELDS}, row["seq"]))
            last = LogHead(block.head_seq, block.head_hash)
    except (FastCheckFailed, TadmurError, OSError, pl.exceptions.PolarsError):
        return None
    if (last.seq, last.hash) != (head.seq, head.hash):
        return None
    return ids, docs, claims
