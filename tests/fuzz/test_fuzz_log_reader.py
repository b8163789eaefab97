"""Fuzz the log reader: whatever bytes sit in log.jsonl, reading gives the valid prefix or
a TadmurError that names the line, never another exception, a hang or a partial write.

Hypothesis drives structured and raw cases in-process; atheris (if installed) runs a
short coverage-guided session in a subprocess (``TADMUR_ATHERIS_RUNS``, default 3000).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain.errors import TadmurError
from engine.domain.events import canonical_json
from engine.store.read import load_claim_events
from engine.store.codec import decode_line
from engine.store.frames import claim_events_frame
from engine.store.log import EventLog
from engine.store.verify import verify_log
from tests.fuzz.harness import PROJECT, committed_lines, copy_log, env_int, record_figures

LINES = committed_lines()
BASE = b"".join(LINES[:9])
EXAMPLES = env_int("TADMUR_FUZZ_EXAMPLES", 300)
COUNT = {"raw_tails": 0, "raw_lines": 0, "structured": 0, "middle": 0}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids,
                                                             max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module", autouse=True)
def _record_counts():
    """After the module (in each xdist worker): add the cases this worker ran to the
    figures. A case that crashes fails its test, so recorded cases ran without one."""
    yield
    ran = {key: n for key, n in COUNT.items() if n}
    if ran:
        record_figures("fuzz_hypothesis", {**ran, "command": "pytest tests/fuzz"}, merge=True)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return copy_log(tmp_path_factory.mktemp("fuzz") / "events")


def _read(root: Path, content: bytes) -> tuple[list, list, bytes]:
    """Write ``content`` as the log and read it; (events, repairs, bytes after)."""
    (root / "log.jsonl").write_bytes(content)
    (root / "log.lock").write_bytes(b"")
    log = EventLog(root)
    try:
        events = log.events()
    except TadmurError as exc:
        assert "line " in str(exc) and "Hint:" in str(exc), str(exc)
        events = None
    after = (root / "log.jsonl").read_bytes()
    for repair in log.repairs:
        repair.kept_at.unlink()
    return events, log.repairs, after


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(tail=st.binary(max_size=2000))
def test_random_bytes_after_the_last_line_are_refused_never_moved_aside(root, tail):
    """Bug pinned (issue 15.1): without a writer's note, 56% of damaged tails were moved
    aside by a mere read. Now only a note proves a torn write: junk is refused."""
    COUNT["raw_tails"] += 1
    events, repairs, after = _read(root, BASE + tail)
    assert after == BASE + tail and not repairs  # nothing removed, nothing added
    if events is not None:  # only a tail that is whole log lines can be read
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert len(events) >= 9


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(junk=st.binary(min_size=1, max_size=300), at=st.integers(0, 8))
def test_random_bytes_in_the_middle_are_fatal_naming_the_line(root, junk, at):
    COUNT["middle"] += 1
    lines = list(LINES[:9])
    lines.insert(at, junk + b"\n")
    content = b"".join(lines)
    events, repairs, after = _read(root, content)
    assert after == content and not repairs  # mid-file damage is never "repaired"
    assert events is None  # junk can never carry a valid hash chained into its place


@pytest.fixture(scope="module")
def twin(tmp_path_factory) -> Path:
    return copy_log(tmp_path_factory.mktemp("fuzz_twin") / "events")


def _damaged(lines: list[bytes], damage: str, junk: bytes, at: int) -> bytes:
    at %= len(lines)
    if damage == "torn":
        return b"".join(lines) + junk
    if damage == "junk":
        return b"".join([*lines[:at], junk + b"\n", *lines[at:]])
    if damage == "repeated":  # valid JSON of the right shape, in the wrong place
        return b"".join([*lines[:at], lines[at], *lines[at:]])
    if damage == "dropped":
        return b"".join([*lines[:at], *lines[at + 1:]])
    return b"".join([*lines[:at], *lines[at:at + 2][::-1], *lines[at + 2:]])  # swapped


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(junk=st.binary(min_size=1, max_size=300), at=st.integers(0, 9),
       damage=st.sampled_from(["torn", "junk", "repeated", "dropped", "swapped"]))
def test_the_fast_loader_gives_the_store_readers_answer_on_damaged_bytes(root, twin, junk,
                                                                         at, damage):
    """Junk in the middle, a torn tail, a line repeated, dropped or swapped: the fast
    load refuses it and falls back, so it ends as the store's own reader does (same
    events, or an error naming the line), never with other events."""
    COUNT["middle"] += 1
    content = _damaged(list(LINES[:9]), damage, junk, at)
    events, _, _ = _read(twin, content)
    (root / "log.jsonl").write_bytes(content)
    (root / "log.lock").write_bytes(b"")
    try:
        loaded = load_claim_events(root, cache=False)
    except TadmurError as exc:
        assert events is None, str(exc)
        assert "line " in str(exc) and "Hint:" in str(exc), str(exc)
    else:
        assert events is not None
        assert_frame_equal(loaded.claim_events, claim_events_frame(events))
    for kept in (root / "torn").glob("*"):
        kept.unlink()


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=st.text(max_size=500) | st.binary(max_size=500).map(
    lambda b: b.decode("utf-8", "surrogateescape")))
def test_decode_line_on_any_text_raises_only_tadmur_errors(text):
    COUNT["raw_lines"] += 1
    try:
        decode_line(text, 1)
    except TadmurError as exc:
        assert "line 1" in str(exc)


FIELDS = sorted({f"data.{k}" for line in LINES for k in json.loads(line)["data"]}
                | {k for k in json.loads(LINES[0]) if k not in ("data", "hash")}
                | {"data", "data.evidence.start", "data.evidence.text", "data.corrected.kind"})


@settings(max_examples=EXAMPLES, deadline=None)
@given(line=st.sampled_from(LINES), fields=st.lists(st.sampled_from(FIELDS), min_size=1,
                                                    max_size=3),
       value=json_values | st.sampled_from(["ClaimExploded", 2, 10**30, "\ud800", "", None]),
       rehash=st.booleans())
def test_a_mutated_record_with_a_recomputed_hash_is_read_or_refused_clearly(line, fields, value,
                                                                            rehash):
    """Wrong types, unknown types, future schemas, nested junk in real fields behind a hash
    that holds: a clear error naming the line, or an event that validates."""
    COUNT["structured"] += 1
    record = json.loads(line)
    del record["hash"]
    for name in fields:
        *parents, key = name.split(".")
        target = record
        for parent in parents:
            target = target.get(parent) if isinstance(target, dict) else None
        if isinstance(target, dict):
            target[key] = copy.deepcopy(value)
    if rehash:
        record["hash"] = hashlib.sha256(
            canonical_json(record).encode("utf-8", "surrogatepass")).hexdigest()
    else:
        record["hash"] = json.loads(line)["hash"]
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    try:
        logged = decode_line(text, 5)
    except TadmurError as exc:
        assert "line 5" in str(exc) and "Hint:" in str(exc)
    else:
        logged.event.validate()


@settings(max_examples=20, deadline=None)
@given(depth=st.integers(1000, 200_000), huge=st.integers(10_000, 3_000_000))
def test_deep_and_huge_lines_fail_fast_and_clearly(depth, huge):
    for text in ("[" * depth + "]" * depth, '{"seq":1,"x":"' + "ت" * huge + '"}',
                 '{"data":' * depth + "1" + "}" * depth):
        with pytest.raises(TadmurError, match="line 9"):
            decode_line(text, 9)


ATHERIS_TARGET = r"""
import sys
import atheris

with atheris.instrument_imports():
    from engine.domain.errors import TadmurError
    from engine.store.read import load_claim_events
from engine.store.codec import decode_line
from engine.store.frames import claim_events_frame

SEED = open(sys.argv[1], "rb").read()


def target(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    if mode == 0:  # raw bytes as a line
        raw = fdp.ConsumeBytes(fdp.remaining_bytes())
    else:  # a committed line with bytes overwritten or spliced in
        at = fdp.ConsumeIntInRange(0, len(SEED))
        raw = SEED[:at] + fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 64)) + \
            SEED[at + (fdp.ConsumeIntInRange(0, 64) if mode == 1 else 0):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # the reader refuses it before decode_line (tested elsewhere)
    try:
        decode_line(text, 1)
    except TadmurError:
        pass


atheris.Setup(sys.argv[:1] + sys.argv[2:], target)
atheris.Fuzz()
"""


def test_atheris_finds_no_crash_in_the_line_decoder(tmp_path):
    pytest.importorskip("atheris", reason="atheris is not installed (pip install atheris)")
    runs = env_int("TADMUR_ATHERIS_RUNS", 3000)
    seed = tmp_path / "seed.jsonl"
    seed.write_bytes(LINES[9].rstrip(b"\n"))
    script = tmp_path / "fuzz_decode.py"
    script.write_text(ATHERIS_TARGET, "utf-8")
    run = subprocess.run(
        [sys.executable, str(script), str(seed), f"-runs={runs}", "-max_len=4096",
         "-timeout=20", "-seed=2016", f"-artifact_prefix={tmp_path}/"],
        check=False, capture_output=True, text=True, cwd=PROJECT, timeout=600,
        env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"Done {runs} runs" in run.stderr
    record_figures("fuzz_atheris", {"runs": runs, "crashes": 0,
                                    "command": "pytest tests/fuzz/test_fuzz_log_reader.py "
                                               "-k atheris"})
