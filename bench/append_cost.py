"""The cost of one append (issue 15.11): `tadmur ingest` of one short article into logs of
10k, 100k and 1M events, whole process, and the append alone in process.

New path: the head (the last line) and the append index beside the log
(``engine.store.index``). Old path, in the same run: what every append used to do first,
a full checked read of the log (``EventLog.events()``), timed at the sizes where it takes
less than a few minutes.

Each size's log is written once by ``tadmur synth`` into ``--data-dir`` (default
``bench/data``, git-ignored; give a folder outside the repository for the 1M log, ~700 MB)
and grows by the articles ingested. The first append after ``synth`` builds the index
(timed apart: "index build"). Results: a Markdown table and
``bench/results/append_cost.json``.

    PYTHONPATH=. .venv/bin/python bench/append_cost.py --sizes 10000,100000,1000000 \\
        --data-dir /tmp/tadmur-bench
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--old-up-to", type=int, default=100_000,
                        help="time the old full read only up to this size")
    args = parser.parse_args()
    rows = []
    load = os.getloadavg()
    for size in (int(s) for s in args.sizes.split(",")):
        log = args.data_dir / f"append-{size}"
        if not (log / "log.jsonl").exists():
            _tadmur("synth", "--claims", str(size), "--log", str(log))
        index = log / ".cache" / "append-index.sqlite"
        built = None
        if not index.exists():
            built = _ingest(log, "build")  # the first append builds the index
        whole = [_ingest(log, f"w{i}") for i in range(args.repeats)]
        in_process = _in_process(log, args.repeats)
        old = _old_full_read(log) if size <= args.old_up_to else None
        rows.append({
            "events": _lines(log), "index_build_s": built,
            "ingest_whole_process_s": statistics.median(whole), "ingest_runs_s": whole,
            "append_in_process_s": statistics.median(in_process),
            "old_full_read_s": old,
        })
    print("| events in the log | `tadmur ingest` whole process (median) | append alone | "
          "first append (builds the index) | old path: full read before each append |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['events']:,} | {r['ingest_whole_process_s']:.2f} s | "
              f"{r['append_in_process_s'] * 1000:.0f} ms | "
              + (f"{r['index_build_s']:.1f} s" if r["index_build_s"] else "(index kept)")
              + " | " + (f"{r['old_full_read_s']:.1f} s" if r["old_full_read_s"] else "not run")
              + " |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "append_cost.json").write_text(json.dumps({
        # the data folder is machine-specific: recorded as a placeholder
        "command": " ".join(sys.argv).replace(str(args.data_dir), "DATA_DIR"), "machine": platform.platform(),
        "cpus": os.cpu_count(), "load_average_at_start": load, "rows": rows}, indent=1) + "\n")


def _tadmur(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "engine.cli", *args], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    return time.perf_counter() - started


def _article(tag: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="append-bench-"))
    path = folder / f"a-{tag}-{time.time_ns()}.txt"
    path.write_text(f"سيطر الجيش على تدمر صباح اليوم {time.time_ns()}\n", encoding="utf-8")
    return path


def _ingest(log: Path, tag: str) -> float:
    return _tadmur("ingest", str(_article(tag)), "--published", "2016-12-12", "--log", str(log))


def _in_process(log: Path, repeats: int) -> list[float]:
    sys.path.insert(0, str(ROOT))
    from engine.extract.review import claim_events
    from engine.store import open_log
    from engine.store.sources import stage_source

    times = []
    for i in range(repeats):
        text = f"سيطر الجيش على تدمر صباح اليوم {time.time_ns()}\n"
        started = time.perf_counter()
        el = open_log(log)
        staged = stage_source(el.root, text.encode(), doc_id=f"inproc{time.time_ns()}{i}",
                              published="2016-12-12", registered=None)
        import datetime as dt

        el.append([staged.event, *claim_events(staged.event.doc_id, text,
                                               dt.date(2016, 12, 12), False)])
        times.append(time.perf_counter() - started)
    return times


def _old_full_read(log: Path) -> float:
    from engine.store.log import EventLog

    started = time.perf_counter()
    EventLog(log).events()
    return time.perf_counter() - started


def _lines(log: Path) -> int:
    with open(log / "log.jsonl", "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))


if __name__ == "__main__":
    main()
