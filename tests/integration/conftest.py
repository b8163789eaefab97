"""Fixtures for tests that touch files: a private copy of the committed log."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_copy(tmp_path: Path) -> Path:
    """A copy of events/ (log + sources) that a test may append to or damage."""
    target = tmp_path / "events"
    shutil.copytree(ROOT / "events", target, ignore=shutil.ignore_patterns("log.lock", "torn", ".cache"))
    return target


def tadmur(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the CLI as a user would, capturing text output."""
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], check=False,
                          capture_output=True,
                          text=True, cwd=cwd, timeout=300)
