"""Small logs never compile: a strict replay with its passes as plain Python against the
same replay compiled (numba, loaded from its cache), side by side in one process, and the
first `tadmur timeline --mode strict` of a fresh machine (numba's cache removed).

    .venv/bin/python bench/small_logs.py                      # 68 events (embedded) to 50k
    .venv/bin/python bench/small_logs.py --sizes 1000 20000 --repeats 7

``engine.domain.passes.COMPILE_FROM`` is where the plain passes stop: the printed gap is
what a replay of that size pays for not loading the compiled code (once per process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import RESULTS, ROOT, machine

from engine.domain import passes
from engine.domain.encoding import EncodedEvents
from engine.domain.policy import Policy
from engine.domain.replay import replay
from engine.synth import synth_claim_events

STRICT = Policy(mode="strict")
PLAIN, COMPILED = 1 << 62, 0
THRESHOLD = passes.COMPILE_FROM  # the product's


def median_replay(encoded: EncodedEvents, threshold: int, repeats: int) -> float:
    passes.COMPILE_FROM = threshold
    replay(encoded, STRICT)  # the compiled passes loaded, polars warmed
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        replay(encoded, STRICT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fresh_timeline(strict: bool) -> float:
    """Wall time of one `tadmur timeline --site palmyra` after numba's cache is removed."""
    for pattern in ("*.nbi", "*.nbc"):
        for path in (ROOT / "engine").rglob(pattern):
            path.unlink()
    command = [sys.executable, "-m", "engine.cli", "timeline", "--site", "palmyra"]
    started = time.perf_counter()
    subprocess.run(
        command + ["--mode", "strict"] * strict, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def compile_all() -> float:
    """Wall time of the process `make` runs to fill numba's cache."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from engine.domain.warm_up import compile_passes; compile_passes()",
        ],
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000, 50000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        encoded = EncodedEvents.of(synth_claim_events(n, seed=1))
        plain = median_replay(encoded, PLAIN, args.repeats)
        compiled = median_replay(encoded, COMPILED, args.repeats)
        rows.append({"claims": n, "plain_s": plain, "compiled_s": compiled})
        print(f"{n:>8} claims: plain {plain * 1e3:8.1f} ms   compiled {compiled * 1e3:7.1f} ms")
    fresh = {
        f"fresh_timeline_{mode}_s": fresh_timeline(mode == "strict")
        for mode in ("weighed", "strict")
    }
    print(
        "first `tadmur timeline --site palmyra` without numba's cache: "
        + ", ".join(f"{k.split('_')[2]} {v:.2f} s" for k, v in fresh.items())
    )
    warming = {"compile_all_cold_s": compile_all(), "compile_all_warm_s": compile_all()}
    print(
        "`make`'s warming step (a process running warm_up.compile_passes): "
        f"{warming['compile_all_cold_s']:.1f} s compiling, "
        f"{warming['compile_all_warm_s']:.1f} s loading from the cache it left"
    )
    fresh |= warming
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "small_logs.json"
    out.write_text(
        json.dumps(
            {
                "benchmark": "small_logs",
                "command": " ".join([Path(sys.executable).name, *sys.argv]),
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": machine(),
                "compile_from": THRESHOLD,
                "replays": rows,
                **fresh,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
