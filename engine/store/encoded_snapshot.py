"""The encoded events, kept beside the Parquet snapshot of the log.

Encoding 1M events costs about five times reading them back (~350 ms against ~70 ms), so
without this a repeated :func:`engine.project.replay_log` would spend most of its time
encoding the very events it encoded last time. The encoding (codes, by-site index,
dictionaries) is named by the snapshot's head and belongs to the snapshot beside it: it
is written only while the manifest names that snapshot, a rewrite of the snapshot (even
for the same head) drops it (:func:`engine.store.read._write_cache`), and it is checked
before it is used: ``encoding.<stem>.json`` holds the sha256 of each of its files and of
the snapshot's events file it was made from (a swapped name or a cut file is never
served), then its shape is checked against the events.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from engine.domain.encoding import CODES, RECORDED, EncodedEvents, records_by_site
from engine.store import LogHead
from engine.store.read import (
    SNAPSHOT_FORMAT,
    LoadedLog,
    cache_dir,
    file_digest,
    read_checked_parquet,
    read_manifest,
    snapshot_stem,
    write_atomically,
)

#: the dictionaries of an :class:`EncodedEvents`, kept in one file (``names``)
_DICTIONARIES = ("sites", "actors", "claimants")
_NAMES = pl.Schema({"dictionary": pl.String(), "name": pl.String()})


def load_encoded(root: Path | str, loaded: LoadedLog) -> EncodedEvents:
    """``EncodedEvents.of(loaded.claim_events)``, read from the snapshot when it keeps it.

    The encoding is read only for a load the snapshot holds (``loaded.snapshot``: read
    from it, or written by it), from ``codes.<stem>``, ``by_site.<stem>`` and
    ``names.<stem>.parquet`` named by ``loaded.head``, and only if it fits the events (see
    :func:`_kept_encoding`). Otherwise the events are encoded now and, if the manifest
    still names their head, the encoding is left beside the snapshot for the next read;
    a folder that cannot be written just keeps none.

    Args:
        root: the log folder ``loaded`` was read from.
        loaded: what :func:`engine.store.read.load_claim_events` gave.
    """
    if not loaded.snapshot:
        return EncodedEvents.of(loaded.claim_events)  # any files there are of other events
    folder = cache_dir(root)
    files = _encoded_files(loaded.head)
    snapshot = _snapshot_digest(folder, loaded.head)
    kept = _kept_encoding(folder, files, loaded.claim_events, snapshot)
    if kept is not None:
        return kept
    encoded = EncodedEvents.of(loaded.claim_events)
    if snapshot is not None:  # else another read has moved the snapshot on
        _write_encoding(folder, files, encoded, snapshot)
    return encoded


def _snapshot_digest(folder: Path, head: LogHead) -> str | None:
    """The digest of the events file of the snapshot the manifest names, if it names
    ``head`` (None: no readable manifest, or another head)."""
    manifest = read_manifest(folder)
    if manifest is None or (manifest["seq"], manifest["hash"]) != (head.seq, head.hash):
        return None
    return manifest["files"].get(f"claim_events.{snapshot_stem(head)}.parquet")


def _encoded_files(head: LogHead) -> dict[str, str]:
    stem = snapshot_stem(head)
    files = {part: f"{part}.{stem}.parquet" for part in ("codes", "by_site", "names")}
    files["digests"] = f"encoding.{stem}.json"
    return files


def _kept_encoding(folder: Path, files: dict[str, str], claim_events: pl.DataFrame,
                   snapshot: str | None) -> EncodedEvents | None:
    """The encoding kept in ``files``, if all of it is there and it fits ``claim_events``:
    the codes have the :data:`CODES` schema, one row per event and the events' ``seq``
    (the rows correspond); the index has the schema :func:`records_by_site` gives and
    one row per record; every code has a name in its dictionary. None otherwise: the
    caller encodes afresh (a few ms of checks against ~350 ms of encoding at 1M)."""
    try:
        kept = json.loads((folder / files["digests"]).read_text(encoding="utf-8"))
        digests = kept["files"]
        if (snapshot is None or kept["format"] != SNAPSHOT_FORMAT or kept["snapshot"] != snapshot
                or not isinstance(digests, dict)):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    codes, by_site, names = (read_checked_parquet(folder, files[part], digests)
                             for part in ("codes", "by_site", "names"))
    if codes is None or by_site is None or names is None:
        return None  # missing, cut, swapped or foreign: encode afresh
    if (codes.schema != CODES or codes.height != claim_events.height
            or not codes["seq"].equals(claim_events["seq"])):
        return None
    if (by_site.schema != records_by_site(codes.clear()).schema
            or by_site.height != (codes["event"] == RECORDED).sum()):
        return None
    if names.schema != _NAMES:
        return None
    sites, actors, claimants = (
        names.filter(pl.col("dictionary") == part)["name"].alias(part) for part in _DICTIONARIES)
    highest = codes.select(pl.max("site"), pl.max_horizontal(pl.max("gainer", "loser")),
                           pl.max("claimant")).row(0)
    sizes = (sites.len(), actors.len(), claimants.len())
    if any(code is not None and code >= size for code, size in zip(highest, sizes, strict=True)):
        return None
    return EncodedEvents(codes, sites, actors, claimants, claim_events, by_site)


def _write_encoding(folder: Path, files: dict[str, str], encoded: EncodedEvents,
                    snapshot: str) -> None:
    """Keep ``encoded`` in ``files`` (each atomically; a reader wants all three, so a
    crash between them costs one more encoding, never a wrong one)."""
    names = pl.concat([
        getattr(encoded, part).to_frame("name").select(dictionary=pl.lit(part), name="name")
        for part in _DICTIONARIES
    ])
    try:
        write_atomically(folder / files["names"], lambda p: names.write_parquet(p))
        # uncompressed, as the snapshot: read far more often than written
        for part, frame in (("by_site", encoded.by_site), ("codes", encoded.codes)):
            write_atomically(folder / files[part], lambda p, frame=frame: frame.write_parquet(
                p, compression="uncompressed", statistics=False))
        digests = {"format": SNAPSHOT_FORMAT, "snapshot": snapshot,
                   "files": {files[part]: file_digest(folder / files[part])
                             for part in ("codes", "by_site", "names")}}
        write_atomically(folder / files["digests"], lambda p: Path(p).write_text(
            json.dumps(digests), encoding="utf-8"))
    except (OSError, pl.exceptions.PolarsError):
        pass  # a read-only folder or a full disk: the next read encodes again, same answer
