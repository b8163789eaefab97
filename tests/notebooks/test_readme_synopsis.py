"""The README's synopsis is real code: run it as a new user would, from the project root."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def synopsis() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Synopsis**", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_the_synopsis_is_at_most_ten_lines_of_code():
    code = [line for line in synopsis().splitlines() if line.strip()]
    assert len(code) <= 10


def test_the_synopsis_runs_and_prints_palmyras_four_swings_and_who_held_it_before():
    done = subprocess.run([sys.executable, "-c", synopsis()], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("log seq ")
    # the government before May 2015 (an open start), then the four swings
    assert "shape: (5, 4)" in done.stdout and "2017-03-02" in done.stdout
    assert "2016-12-08" in done.stdout  # the articles-only window of the December swing
