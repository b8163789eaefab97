"""Bad input never crashes a command: hostile lines (with valid hashes) anywhere in the
log make verify exit 1 and log/timeline/repair exit 2, each naming the line, with no
traceback, and the log file is left as it was."""

from __future__ import annotations

import json

import pytest

from engine.cli import main
from tests.fuzz.harness import committed_lines, copy_log, forge_line

LINES = committed_lines()
BASE = b"".join(LINES[:20])
LAST = json.loads(LINES[19])

HOSTILE = {
    "recorded_at is a number": {"recorded_at": 5},
    "type is a list": {"type": ["ClaimRecorded"]},
    "unknown type": {"type": "ClaimExploded"},
    "future schema": {"schema": 2},
    "evidence is a string": {"data": {**LAST["data"], "evidence": "تدمر"}},
    "extractor is an object": {"data": {**LAST["data"], "extractor": {"x": 1}}},
    "a lone surrogate": {"data": {**LAST["data"], "claimant": "\ud800"}},
    "seq is a string": {"seq": "21"},
    "nested junk": {"data": json.loads("[" * 500 + "]" * 500)},
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("position", ["middle", "end"])
def test_commands_on_a_hostile_line_exit_cleanly_and_name_it(tmp_path, capsys, name, position):
    root = copy_log(tmp_path / "events")
    bad = forge_line(BASE, **HOSTILE[name])
    content = BASE + bad + (b"".join(LINES[20:]) if position == "middle" else b"")
    (root / "log.jsonl").write_bytes(content)
    codes = {}
    for command in ("verify", "log", "timeline", "repair"):
        codes[command] = main([command, "--log", str(root)])
        err = capsys.readouterr().err
        assert "line 21" in err, (command, err)
        assert "Hint:" in err and "Traceback" not in err
    assert codes == {"verify": 1, "log": 2, "timeline": 2, "repair": 2}
    assert (root / "log.jsonl").read_bytes() == content
    assert not (root / "torn").exists()
