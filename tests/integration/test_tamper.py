"""Tampering: any edit of the committed log or a source text makes ``tadmur verify`` fail
(exit 1) and name the first bad line and seq, or the file; a pinned head catches the
edits a self-consistent log cannot (a truncated tail, a rewritten chain)."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from engine.domain.errors import TadmurError
from engine.store.codec import LoggedEvent, decode_line
from engine.store.log import LogHead
from engine.store.verify import _verify_bytes, parse_head, verify_log
from tests.fuzz.harness import PROJECT, committed_lines, copy_log, forge_line, record_figures

LINES = committed_lines()
N = len(LINES)


@pytest.fixture
def root(tmp_path):
    return copy_log(tmp_path / "events")


def _write(root, lines) -> None:
    (root / "log.jsonl").write_bytes(b"".join(lines))


def _problem(root) -> str:
    result = verify_log(root)
    assert not result.ok, "verify passed a tampered log"
    return result.problem


def test_the_committed_log_verifies(root):
    assert verify_log(root).ok


def _caught_at(line: bytes, expected: LoggedEvent, previous: LoggedEvent | None) -> bool:
    """What verify checks for one line, given the (untouched) line before it."""
    try:
        got = decode_line(line.rstrip(b"\n").decode("utf-8"), expected.seq)
    except (TadmurError, UnicodeDecodeError):
        return True
    prev_seq, prev_hash = (previous.seq, previous.hash) if previous else (0, "0" * 64)
    return got.seq != prev_seq + 1 or got.prev_hash != prev_hash or got != expected


def test_flipping_any_bit_pattern_of_any_byte_of_any_line_is_caught_at_that_line():
    """Every byte of every committed line, XORed with a random mask, breaks that line."""
    rng = random.Random(2016)
    decoded = [decode_line(line.rstrip(b"\n").decode(), n) for n, line in
               enumerate(LINES, start=1)]
    cases = 0
    for i, line in enumerate(LINES):
        for pos in range(len(line) - 1):  # the newline is framing: the torn tests cover it
            flipped = line[:pos] + bytes([line[pos] ^ rng.randrange(1, 256)]) + line[pos + 1:]
            assert _caught_at(flipped, decoded[i], decoded[i - 1] if i else None), (i, pos)
            cases += 1
    assert cases == sum(len(line) - 1 for line in LINES)
    record_figures("tamper", {"byte_flips_tried": cases, "byte_flips_missed": 0,
                              "command": "pytest tests/integration/test_tamper.py"})


@pytest.mark.parametrize("seed", range(12))
def test_verify_names_the_line_and_seq_of_a_random_byte_flip(root, seed):
    rng = random.Random(seed)
    i = rng.randrange(N)
    pos = rng.randrange(len(LINES[i]) - 1)
    lines = list(LINES)
    lines[i] = LINES[i][:pos] + bytes([LINES[i][pos] ^ rng.randrange(1, 256)]) + LINES[i][pos + 1:]
    _write(root, lines)
    problem = _problem(root)
    assert f"line {i + 1}, " in problem and "seq" in problem and "Hint:" in problem, problem


def test_the_same_value_spelled_differently_is_caught():
    """Bug pinned: `1.0` -> `1e0` or an added space kept the parsed content (and the hash),
    so verify passed a log whose bytes had been edited."""
    line = LINES[9]
    for edited in (line.replace(b'"confidence":1.0', b'"confidence":1e0'),
                   line.replace(b'{"seq":10,', b'{"seq": 10,'),
                   line.replace(b'"kind":"captured"', b'"kind":"\\u0063aptured"'),
                   line.replace(b'\n', b' \n')):
        assert edited != line
        result = _verify_bytes(PROJECT / "events", b"".join([*LINES[:9], edited, *LINES[10:]]))
        assert not result.ok and "line 10, seq 10" in result.problem, edited


@pytest.mark.parametrize("i", [0, 1, 7, N // 2, N - 2])
def test_deleting_a_line_names_the_seq_that_follows_it(root, i):
    _write(root, LINES[:i] + LINES[i + 1:])
    problem = _problem(root)
    assert f"line {i + 1}, seq {i + 2}" in problem and f"follows seq {i}" in problem


@pytest.mark.parametrize("i", [0, 5, N // 2, N - 2])
def test_swapping_two_lines_names_the_first(root, i):
    lines = list(LINES)
    lines[i], lines[i + 1] = lines[i + 1], lines[i]
    _write(root, lines)
    assert f"line {i + 1}, seq {i + 2}" in _problem(root)


@pytest.mark.parametrize("i", [0, 3, N // 2, N - 1])
def test_duplicating_a_line_names_the_copy(root, i):
    _write(root, LINES[: i + 1] + [LINES[i]] + LINES[i + 1:])
    assert f"line {i + 2}, seq {i + 1}" in _problem(root)


def test_inserting_a_forged_line_with_a_valid_hash_names_it(root):
    forged = forge_line(b"".join(LINES[:10]), data={**json.loads(LINES[9])["data"],
                                                    "gainer": "opposition"})
    _write(root, LINES[:10] + [forged] + LINES[10:])
    problem = _problem(root)
    # the forged line is caught itself: its claim id is already recorded
    assert "line 11, seq 11" in problem and "already recorded" in problem


def test_editing_a_source_text_names_the_file(root):
    source = root / "sources" / "002_06caed34417dd74e.txt"
    source.chmod(0o644)
    source.write_bytes(source.read_bytes().replace("تدمر".encode(), "تدمُر".encode(), 1))
    problem = _problem(root)
    assert "002_06caed34417dd74e.txt" in problem and "sha256" in problem


def test_a_symlinked_source_leaving_events_is_refused(root, tmp_path):
    source = root / "sources" / "003_4609ec8d4135fa32.txt"
    outside = tmp_path / "outside.txt"
    outside.write_bytes(source.read_bytes())
    source.unlink()
    source.symlink_to(outside)
    problem = _problem(root)
    assert "points outside" in problem and "003_4609ec8d4135fa32" in problem


def _tadmur(*args):
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], check=False,
                          capture_output=True,
                          text=True, cwd=PROJECT, timeout=120)


def test_cli_verify_exits_1_and_names_the_bad_seq(root):
    lines = list(LINES)
    lines[20] = lines[20].replace(b'"denied":false', b'"denied":true ')
    _write(root, lines)
    run = _tadmur("verify", "--log", str(root))
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith("FAILED: ") and "line 21, seq 21" in run.stderr


def test_a_pinned_head_catches_a_truncated_log(root):
    run = _tadmur("verify", "--log", str(root), "--print-head")
    assert run.returncode == 0
    pinned = parse_head(run.stdout)
    assert pinned.seq == N
    _write(root, LINES[:-3])  # still a perfectly consistent log...
    assert verify_log(root).ok
    cut = _tadmur("verify", "--log", str(root), "--print-head")
    assert cut.returncode == 0 and cut.stdout != run.stdout  # ...whose head differs
    result = verify_log(root, expect_head=pinned)
    assert not result.ok
    assert f"the log ends at seq {N - 3} but the pinned head is seq {N}" in result.problem
    assert "3 line(s) were removed from the end" in result.problem


def test_a_pinned_head_catches_a_rewritten_chain_and_accepts_growth(root):
    pinned = verify_log(root).head
    # a forger rewrites the last line and recomputes its hash: consistent, but not ours
    forged = forge_line(b"".join(LINES), drop_last=True,
                        recorded_at="2030-01-01T00:00:00.000000Z")
    _write(root, LINES[:-1] + [forged])
    assert verify_log(root).ok
    result = verify_log(root, expect_head=pinned)
    assert not result.ok and f"seq {N} has hash" in result.problem
    claim_id = json.loads(LINES[-1])["data"]["claim_id"]
    review = {"claim_id": claim_id, "verdict": "accepted", "reviewer": "x", "note": "later"}
    _write(root, LINES + [forge_line(b"".join(LINES), type="ClaimReviewed", data=review,
                                     recorded_at="2030-01-01T00:00:00.000000Z")])
    assert verify_log(root, expect_head=pinned).ok  # the log grew: the pin still holds


def test_parse_head_reads_what_print_head_prints():
    assert parse_head(f"68 {'a' * 64}\n") == LogHead(68, "a" * 64)
    assert parse_head(f"68:{'A' * 64}") == LogHead(68, "a" * 64)
    with pytest.raises(Exception, match="expected a head SEQ:HASH"):
        parse_head("68")
