"""The checked read path: log.jsonl -> the claim_events frame, every line checked, three ways,
then the commands users run, each in a fresh process.

In this process (median of repeats, peak RSS; the same log, the same run):

    checked            engine.store.read.load_claim_events(cache=False): every line's form,
                       hash, event id, types and rules, and the chain, with msgspec
                       (engine.store.checked_lines), on every core for a big log
    checked_one_core   the same in this process only (what one core does)
    compiled_hash      the compiled JSON lines scanner (engine.scale.json_lines) reading the
                       frame's columns and the chain, plus the hash of each line (msgspec
                       decode, canonical re-encode, sha256): a lower bound of that path
                       with full checks (no exact-form, event-id, type or rule checks);
                       measured only where the scanner is installed
    store_per_line     the store's reader (EventLog.events + claim_events_frame, json and
                       decode_line for each line) on the first --prefix lines
    snapshot           load_claim_events from the Parquet snapshot the checked read left

Fresh processes (wall time and peak RSS from /usr/bin/time -v, median of --cli-repeats):

    timeline_first     `tadmur timeline --log DIR --mode strict` with no snapshot
    timeline_warm      the same again (snapshot and encoding read back)
    verify             `tadmur verify --log DIR`

Usage:
    .venv/bin/python bench/read_path.py --claims 100000
    .venv/bin/python bench/read_path.py --claims 1000000 --repeats 3
"""

from __future__ import annotations

import argparse
import hashlib
import mmap
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

import polars as pl
from common import DATA, ROOT, Measure, measure, table, write_results
from polars.testing import assert_frame_equal

from engine.store import blocks as block_reader
from engine.store import open_log
from engine.store.frames import claim_events_frame
from engine.store.read import LoadedLog, cache_dir, load_claim_events
from engine.synth import write_synth_log


def one_core(root: Path):
    """The checked read, kept in this process whatever the size."""
    saved = block_reader.PARALLEL_FROM
    block_reader.PARALLEL_FROM = 1 << 62
    try:
        return load_claim_events(root, cache=False)
    finally:
        block_reader.PARALLEL_FROM = saved


def compiled_hash(path: Path) -> int:
    """The compiled scanner's columns and chain, and each line's hash recomputed."""
    import msgspec
    import polars as pl
    from engine.scale.json_lines import read_chained_lines

    schema = pl.Schema(
        {
            "seq": pl.Int64(),
            "type": pl.String(),
            "schema": pl.Int64(),
            "data": pl.Struct(
                {
                    name: pl.String()
                    for name in (
                        "doc_id",
                        "published",
                        "claim_id",
                        "site_id",
                        "kind",
                        "gainer",
                        "loser",
                        "valid_from",
                        "valid_to",
                        "time_precision",
                        "claimant",
                        "extractor",
                        "verdict",
                    )
                }
                | {
                    "denied": pl.Boolean(),
                    "confidence": pl.Float64(),
                    "evidence": pl.Struct(
                        {"start": pl.Int64(), "end": pl.Int64(), "text": pl.String()}
                    ),
                }
            ),
        }
    )
    encode_sorted = msgspec.json.Encoder(order="sorted").encode
    decode = msgspec.json.decode
    sha256 = hashlib.sha256
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as raw:
        lines, _ = read_chained_lines(raw, schema, "prev_hash", "hash")
        bad = 0
        for line in bytes(raw).split(b"\n")[:-1]:
            record = decode(line)
            stored = record.pop("hash")
            bad += sha256(encode_sorted(record)).hexdigest() != stored
    assert bad == 0
    return lines.height


def store_per_line(root: Path, prefix: int, scratch: Path):
    """The store's reader on a copy of the first ``prefix`` lines."""
    with open(root / "log.jsonl", "rb") as handle:
        head = b"".join(handle.readline() for _ in range(prefix))
    copy = scratch / "prefix"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    (copy / "log.jsonl").write_bytes(head)
    (copy / "sources").symlink_to(root / "sources")
    return copy, lambda: claim_events_frame(open_log(copy).events())


def fresh_process(name: str, args: list[str], n: int, repeats: int, before=None) -> Measure:
    """Wall time and peak RSS of ``tadmur ARGS`` in a fresh process (median of repeats)."""
    m = Measure(name, n)
    peaks: list[float] = []
    cpu: list[float] = []
    for _ in range(repeats):
        if before is not None:
            before()
        command = ["/usr/bin/time", "-v", sys.executable, "-m", "engine.cli", *args]
        started = time.perf_counter()
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        m.seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{name} failed: {done.stderr[-2000:]}")
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peaks.append(int(found.group(1)) / 1024 if found else 0.0)
        times = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
        cpu.append(sum(float(x) for x in times))
    m.peak_rss_mb = statistics.median(peaks)
    # CPU seconds of the process and its workers: less moved by other jobs than wall time
    m.note = f"CPU {statistics.median(cpu):.1f} s"
    print(
        f"  {name:<28} n={n:>11,}  median {m.median:8.3f} s  peak RSS {m.peak_rss_mb:8.0f} MB"
        f"  {m.note}",
        file=sys.stderr,
        flush=True,
    )
    return m


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cli-repeats", type=int, default=3)
    parser.add_argument(
        "--prefix", type=int, default=100_000, help="lines read by the store's per-line reader"
    )
    parser.add_argument("--log", type=Path, help="an existing synthetic log folder to use")
    parser.add_argument("--no-cli", action="store_true", help="skip the fresh-process commands")
    args = parser.parse_args()
    root = args.log or DATA / f"log_{args.claims}_s{args.seed}"
    if not (root / "log.jsonl").exists():
        print(f"writing {root} ...", file=sys.stderr)
        write_synth_log(root, args.claims, seed=args.seed)
    path = root / "log.jsonl"
    with open(path, "rb") as handle:
        n_lines = sum(1 for _ in handle)
    shutil.rmtree(cache_dir(root), ignore_errors=True)
    measures = []
    m, result = measure(
        "checked", n_lines, lambda: load_claim_events(root, cache=False), args.repeats
    )
    checked = cast(LoadedLog, result)
    assert checked.source == "jsonl"
    measures.append(m)
    m, result = measure("checked_one_core", n_lines, lambda: one_core(root), args.repeats)
    single = cast(LoadedLog, result)
    assert_frame_equal(single.claim_events, checked.claim_events)
    measures.append(m)
    try:
        import engine.scale.json_lines  # noqa: F401
    except ImportError:
        print("  compiled_hash: the compiled scanner is not installed (removed)", file=sys.stderr)
    else:
        m, height = measure("compiled_hash", n_lines, lambda: compiled_hash(path), args.repeats)
        assert height == n_lines
        measures.append(m)
    with tempfile.TemporaryDirectory() as scratch:
        prefix = min(args.prefix, n_lines)
        copy, read_prefix = store_per_line(root, prefix, Path(scratch))
        m, result = measure(
            "store_per_line", prefix, read_prefix, 1, note=f"first {prefix:,} lines"
        )
        measures.append(m)
        slow = cast(pl.DataFrame, result)
        assert_frame_equal(slow, load_claim_events(copy, cache=False).claim_events)
    load_claim_events(root)  # leaves the snapshot
    m, result = measure("snapshot", n_lines, lambda: load_claim_events(root), args.repeats)
    cached = cast(LoadedLog, result)
    assert cached.source == "cache"
    assert_frame_equal(cached.claim_events, checked.claim_events)
    measures.append(m)
    kept_mb = checked.claim_events.estimated_size() / 1e6

    def no_snapshot() -> None:
        shutil.rmtree(cache_dir(root), ignore_errors=True)

    if args.no_cli:
        return _report(measures, path, n_lines, kept_mb, args.claims)
    timeline = ["timeline", "--log", str(root), "--mode", "strict", "--out", "/dev/null"]
    measures.append(
        fresh_process("timeline_first", timeline, n_lines, args.cli_repeats, no_snapshot)
    )
    measures.append(fresh_process("timeline_warm", timeline, n_lines, args.cli_repeats))
    measures.append(
        fresh_process("verify", ["verify", "--log", str(root)], n_lines, args.cli_repeats)
    )
    return _report(measures, path, n_lines, kept_mb, args.claims)


def _report(measures: list[Measure], path: Path, n_lines: int, kept_mb: float, claims: int) -> int:
    baselines = [
        name
        for name in ("compiled_hash", "store_per_line")
        if any(x.name == name for x in measures)
    ]
    text = table(measures, baselines, "checked", cross_size=("store_per_line",))
    print(text)
    print(f"\nclaim_events kept: {kept_mb:.0f} MB (Arrow, estimated_size)")
    extra = {
        "table": text,
        "log_bytes": path.stat().st_size,
        "lines": n_lines,
        "claim_events_arrow_mb": kept_mb,
        "checks": ["checked == checked_one_core == snapshot", "store_per_line == checked (prefix)"],
    }
    print(f"\nwrote {write_results(f'read_path_{claims}', measures, extra)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
