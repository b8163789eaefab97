"""Shared by the benchmarks: timing (median of repeats), peak RSS, tables, JSON.

Benchmarks are not tests: they measure, print a table and write JSON under
bench/results/. Every ratio is taken between runs in the same process and the same
invocation, so a noisy machine moves both sides.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `engine`, `engine.domain.strict_rules`, `bench.baselines`

RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"


def rss_mb() -> float:
    """Resident set size of this process now, in MB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class PeakRss:
    """Peak RSS while the block runs; ``peak`` and ``before`` in MB.

    The kernel keeps the peak itself (``VmHWM``), and writing 5 to
    ``/proc/self/clear_refs`` resets it to the current RSS, so nothing runs beside the
    code measured. Where that is refused, a thread samples RSS every 5 ms instead (it
    takes the GIL to do so, which slows threaded code a little)."""

    def __enter__(self) -> Self:
        self.before = self.peak = rss_mb()
        self._kernel = _reset_peak()
        if not self._kernel:
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc) -> None:
        if self._kernel:
            self.peak = max(self.peak, _kernel_peak_mb())
            return
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return _kernel_peak_mb() > 0
    except OSError:
        return False


def _kernel_peak_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return 0.0


@dataclass
class Measure:
    """One approach at one size."""

    name: str
    n: int
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    rss_before_mb: float = 0.0
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rate(self) -> float:
        return self.n / self.median


def measure(
    name: str, n: int, fn: Callable[[], object], repeats: int = 3, note: str = ""
) -> tuple[Measure, object]:
    """Run ``fn`` ``repeats`` times (GC collected before each); median time, peak RSS."""
    result = None
    m = Measure(name, n, note=note)
    with PeakRss() as rss:
        for _ in range(repeats):
            result = None
            gc.collect()
            started = time.perf_counter()
            result = fn()
            m.seconds.append(time.perf_counter() - started)
    m.peak_rss_mb, m.rss_before_mb = rss.peak, rss.before
    print(
        f"  {name:<28} n={n:>11,}  median {m.median:8.3f} s  {fmt_rate(m.rate):>9}/s  "
        f"peak RSS {m.peak_rss_mb:8.0f} MB",
        file=sys.stderr,
        flush=True,
    )
    return m, result


def synthetic_log(root: Path, claims: int, seed: int) -> tuple[Path, int]:
    """The synthetic log in ``root`` (written if missing), its snapshot removed so the next
    read is a first read: the log file and its number of lines."""
    import shutil

    from engine.store.read import cache_dir
    from engine.synth import write_synth_log

    if not (root / "log.jsonl").exists():
        print(f"writing {root} ...", file=sys.stderr)
        write_synth_log(root, claims, seed=seed)
    path = root / "log.jsonl"
    with open(path, "rb") as handle:
        n_lines = sum(1 for _ in handle)
    shutil.rmtree(cache_dir(root), ignore_errors=True)
    return path, n_lines


def fmt_rate(x: float) -> str:
    return f"{x / 1e6:.2f} M" if x >= 1e6 else f"{x / 1e3:.0f} k"


def table(
    measures: list[Measure],
    baseline_names: list[str],
    subject: str,
    cross_size: tuple[str, ...] = (),
) -> str:
    """Markdown: claims, median s, claims/s, peak RSS, and the subject's speed-up (ratio
    of rates) over each baseline measured at the same size (or, for the baselines in
    ``cross_size``, run on a smaller prefix, at whatever size it ran)."""
    head = ["approach", "claims", "median s", "claims/s", "peak RSS MB"]
    head += [f"{subject} vs {b}" for b in baseline_names]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in measures:
        row = [
            m.name + (f" ({m.note})" if m.note else ""),
            f"{m.n:,}",
            f"{m.median:.3f}",
            fmt_rate(m.rate),
            f"{m.peak_rss_mb:.0f}",
        ]
        for b in baseline_names:
            same = [x for x in measures if x.name == b and x.n == m.n]
            other = [x for x in measures if x.name == b]
            base = same[0] if same else (other[-1] if other and b in cross_size else None)
            row.append(f"{m.rate / base.rate:.1f}x" if m.name == subject and base else "")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def machine() -> dict:
    import polars as pl

    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 1e9, 1),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "polars_threads": pl.thread_pool_size(),
        "load_average_at_start": os.getloadavg(),
    }


def write_results(name: str, measures: list[Measure], extra: dict | None = None) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "measures": [asdict(m) | {"median_s": m.median, "per_s": m.rate} for m in measures],
        **(extra or {}),
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path
