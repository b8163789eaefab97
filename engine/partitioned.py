"""Past memory, past one machine: the log as Parquet segments partitioned by site, and the
same pure :func:`engine.domain.replay` run once per partition.

A partition is a bucket of whole sites (``crc32(site_id) % n_buckets``): a site's timeline
depends only on the claims standing at that site, so replaying each bucket alone and
keeping its own sites gives exactly the rows of a replay of everything. Every event of a
claim is filed under each site the claim ever names (its record and its corrections),
so a claim moved by a correction is seen by the bucket of its final site. Events that
only point at a claim (retractions, reviews) follow their claim.

Layout (``root``)::

    bucket=007/part-000000.parquet   claim events, any number of parts per bucket
    ...

One process replays the buckets one after another (peak memory: the largest bucket);
:func:`replay_on_ray` hands the buckets to a Ray cluster, one task each.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from engine.domain import Policy, Timelines, replay
from engine.domain.schema import CLAIM_EVENTS, CLAIMS, INTERVALS, SWINGS, enforce_schema

TABLES = ("claims", "intervals", "swings")


def bucket_of(site_ids: pl.Series, n_buckets: int) -> pl.Series:
    """The partition of each site: a stable hash (crc32), not polars' seeded one.

    >>> bucket_of(pl.Series(["palmyra", "arak", "palmyra"]), 8).to_list()
    [5, 2, 5]
    """
    distinct = site_ids.unique().drop_nulls()
    codes = [zlib.crc32(site.encode("utf-8")) % n_buckets for site in distinct.to_list()]
    return site_ids.replace_strict(distinct, pl.Series(codes, dtype=pl.Int64), default=None,
                                   return_dtype=pl.Int64)


def write_partitions(chunks: Iterable[pl.DataFrame], root: Path | str,
                     n_buckets: int = 64) -> int:
    """File claim-event chunks (log order, each holding whole claims) into buckets.

    Returns the number of events read. Each chunk adds one part file per bucket.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / _LAYOUT).write_text(json.dumps({"n_buckets": n_buckets}), encoding="utf-8")
    n_events = 0
    for number, chunk in enumerate(chunks):
        chunk = enforce_schema(chunk, CLAIM_EVENTS, "claim_events")
        n_events += chunk.height
        named = chunk.filter(pl.col("site_id").is_not_null()).select("claim_id", "site_id")
        filing = named.with_columns(bucket=bucket_of(named["site_id"], n_buckets)).select(
            "claim_id", "bucket").unique()
        filed = chunk.join(filing, on="claim_id", how="inner", maintain_order="left")
        for (bucket,), part in filed.group_by("bucket"):
            folder = root / f"bucket={bucket:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            part.drop("bucket").write_parquet(folder / f"part-{number:06d}.parquet",
                                              compression="zstd", compression_level=1)
    return n_events


def buckets(root: Path | str) -> list[Path]:
    """The bucket folders under ``root``, in order (a bucket no site hashed to has none)."""
    return sorted(p for p in Path(root).glob("bucket=*") if p.is_dir())


def n_buckets_of(root: Path | str) -> int:
    """How many buckets the sites of ``root`` were hashed into."""
    return int(json.loads((Path(root) / _LAYOUT).read_text(encoding="utf-8"))["n_buckets"])


_LAYOUT = "partitions.json"


def replay_bucket(folder: Path | str, policy: Policy | None = None,
                  n_buckets: int | None = None) -> Timelines:
    """Replay one bucket and keep the sites that belong to it (pure but for the read)."""
    folder = Path(folder)
    events = pl.read_parquet(folder / "*.parquet").sort("seq")
    timelines = replay(events, policy)
    bucket = int(folder.name.split("=")[1])
    n_buckets = n_buckets or n_buckets_of(folder.parent)

    def own(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(bucket_of(frame["site_id"], n_buckets) == bucket)

    return Timelines(own(timelines.claims), own(timelines.intervals), own(timelines.swings),
                     timelines.policy)


@dataclass(frozen=True)
class BucketResult:
    """What one bucket produced (its tables are written under the output folder)."""

    bucket: str
    n_events: int
    n_claims: int
    n_intervals: int
    n_swings: int
    #: the process that replayed it (tells the workers of a cluster apart)
    worker: str


def replay_bucket_to(folder: Path | str, out: Path | str, policy: Policy | None = None,
                     n_buckets: int | None = None) -> BucketResult:
    """Replay one bucket and write its three tables to ``out/<table>/<bucket>.parquet``."""
    folder, out = Path(folder), Path(out)
    timelines = replay_bucket(folder, policy, n_buckets)
    for table in TABLES:
        (out / table).mkdir(parents=True, exist_ok=True)
        getattr(timelines, table).write_parquet(out / table / f"{folder.name}.parquet")
    n_events = pl.scan_parquet(folder / "*.parquet").select(pl.len()).collect().item()
    return BucketResult(folder.name, n_events, timelines.claims.height,
                        timelines.intervals.height, timelines.swings.height,
                        f"{os.uname().nodename}:{os.getpid()}")


def replay_partitioned(root: Path | str, out: Path | str,
                       policy: Policy | None = None) -> list[BucketResult]:
    """Replay every bucket in this process, one at a time (bounded memory)."""
    n_buckets = n_buckets_of(root)
    return [replay_bucket_to(f, out, policy, n_buckets) for f in buckets(root)]


def replay_on_ray(root: Path | str, out: Path | str, policy: Policy | None = None,
                  address: str | None = None) -> list[BucketResult]:
    """Replay every bucket as a Ray task (one CPU each); same files as
    :func:`replay_partitioned`.

    ``address`` is passed to ``ray.init`` (``"auto"`` or ``"ray://head:10001"`` for a
    real cluster; ``None`` joins the cluster this process is already connected to, or
    starts a local one). ``root`` and ``out`` must be paths every node can read and
    write (a shared file system); ``ray`` is imported only here.
    """
    import ray

    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    task = ray.remote(num_cpus=1)(replay_bucket_to)
    n_buckets = n_buckets_of(root)
    futures = [task.remote(str(f), str(out), policy, n_buckets) for f in buckets(root)]
    return ray.get(futures)


def read_timelines(out: Path | str, policy: Policy | None = None) -> Timelines:
    """Gather the per-bucket tables into one ``Timelines`` (ordered as a single
    replay orders them: claims by seq, intervals and swings by site)."""
    out = Path(out)

    def table(name: str, columns) -> pl.DataFrame:
        frame = pl.read_parquet(out / name / "*.parquet")
        return enforce_schema(frame, columns, name)

    def by_site(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.sort("site_id", maintain_order=True)

    return Timelines(table("claims", CLAIMS).sort("seq"), by_site(table("intervals", INTERVALS)),
                     by_site(table("swings", SWINGS)), policy or Policy())
