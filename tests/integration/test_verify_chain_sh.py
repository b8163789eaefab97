"""tools/verify_chain.sh: the hash chain checked with bash, jq and sha256sum, no Python."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.domain.events import ClaimRecorded
from engine.store import open_log
from engine.store.verify import verify_log

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "verify_chain.sh"

if shutil.which("jq") is None:
    if os.environ.get("CI") == "true":
        pytest.fail("jq is missing: `make tool-deps` installs it", pytrace=False)
    pytest.skip("jq is not installed (apt-get install jq)", allow_module_level=True)


def verify_sh(log: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT), str(log)], capture_output=True, text=True, timeout=300, check=False
    )


def test_the_embedded_log_verifies_and_the_head_is_the_one_python_computes():
    done = verify_sh(ROOT / "events" / "log.jsonl")
    assert done.returncode == 0, done.stderr
    head = verify_log(ROOT / "events").head
    assert done.stdout.strip() == (
        f"ok: {head.seq} lines, seq 1..{head.seq}, hash chain holds (head {head.hash})"
    )


def test_an_edited_byte_a_dropped_line_and_swapped_lines_each_fail_naming_the_line(tmp_path):
    lines = (ROOT / "events" / "log.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    edited = list(lines)
    edited[9] = edited[9].replace('"palmyra"', '"arak"', 1)
    assert edited[9] != lines[9]
    cases = {
        "edited": (edited, "line 10 (seq 10): content does not match its hash"),
        "dropped": (lines[:4] + lines[5:], "line 5: seq 6, expected 5"),
        "swapped": (lines[:2] + [lines[3], lines[2]] + lines[4:], "line 3: seq 4, expected 3"),
    }
    for name, (content, message) in cases.items():
        log = tmp_path / f"{name}.jsonl"
        log.write_text("".join(content), encoding="utf-8")
        done = verify_sh(log)
        assert done.returncode == 1, name
        assert message in done.stderr, (name, done.stderr)


def test_a_forged_hash_breaks_the_link_to_the_next_line(tmp_path):
    import json

    lines = (ROOT / "events" / "log.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[0])
    record["hash"] = "f" * 64
    lines[0] = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    log = tmp_path / "forged.jsonl"
    log.write_text("".join(lines), encoding="utf-8")
    done = verify_sh(log)
    assert done.returncode == 1 and "line 1 (seq 1): content does not match" in done.stderr


def test_a_fractional_confidence_hashes_as_python_writes_it(log_copy: Path):
    # the schema's one float, not integral this time (jq 1.6 would print 1.0 as 1)
    log = open_log(log_copy)
    first = next(e.event for e in log.events() if isinstance(e.event, ClaimRecorded))
    tricky = ClaimRecorded.make(**{**first.data(), "confidence": 0.85, "claimant": "sohr"})
    log.append([tricky])
    assert '"confidence":0.85' in (log_copy / "log.jsonl").read_text(encoding="utf-8")
    done = verify_sh(log_copy / "log.jsonl")
    assert done.returncode == 0, done.stderr
    assert verify_log(log_copy).head.hash in done.stdout
