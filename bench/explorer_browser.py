"""Explorer benchmark in a real browser: milliseconds from a control change to the
redrawn chart, for one site and for all sites.

Starts a throwaway JupyterLab on 127.0.0.1, opens a notebook showing the explorer in
headless Debian Chromium (playwright-python, ``/usr/bin/chromium``: ``make browser-deps``),
then clicks the "reference" claimant toggle and moves the "known by" slider, each
``--repeats`` times both ways. Each time is taken inside the page, from the click (or key
press) to the moment the chart shows the new caption and bar count. Target (issue 17):
150 ms for one site, 300 ms for all sites. Usage:

    .venv/bin/python bench/explorer_browser.py --repeats 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from common import ROOT, write_results

from tests.browser.lab_harness import (
    ARGS,
    CHROMIUM,
    explorer_notebook,
    running_lab,
    show_explorer,
    time_controls,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--targets", nargs="+", default=["palmyra", "all"])
    parser.add_argument("--shots", type=Path, default=ROOT / "build" / "screenshots")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} not found: run `make browser-deps` (as root)")
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="tadmur-bench-"))
    root = home / "notebooks"
    root.mkdir()
    names = {target: explorer_notebook(root, target) for target in args.targets}
    args.shots.mkdir(parents=True, exist_ok=True)
    results = {}
    try:
        with running_lab(root, home, pythonpath=ROOT) as (base, token), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for target, name in names.items():
                page = browser.new_page(viewport={"width": 1500, "height": 1400})
                show_explorer(page, base, token, name)
                results[target] = time_controls(page, args.repeats)
                page.screenshot(path=str(args.shots / f"bench_explorer_{target}.png"))
                page.close()
            browser.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"{'sites':8} {'control':16} {'n':>3} {'median ms':>10} {'max ms':>8}  target")
    rows = []
    for target, times in results.items():
        limit = 150 if target != "all" else 300
        for control, values in times.items():
            median = statistics.median(values)
            rows.append({"sites": target, "control": control, "n": len(values),
                         "median_ms": round(median, 1), "max_ms": round(max(values), 1),
                         "all_ms": [round(v, 1) for v in values], "target_ms": limit})
            print(f"{target:8} {control:16} {len(values):3d} {median:10.1f} {max(values):8.1f}"
                  f"  ≤ {limit}")
    write_results("explorer_browser", [], {"rows": rows})


if __name__ == "__main__":
    main()
