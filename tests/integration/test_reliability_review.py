"""A review is an act (issue 15.3 and 15.4): each verdict, correction or retraction the
analyst gives is appended and counted, a retried command appends nothing and says so, and
a correction starts from the claim as it stands, every value checked."""

from __future__ import annotations

import json

import pytest

from engine.cli import main
from engine.domain.events import ClaimReviewed
from engine.extract.review import claim_states
from engine.store.log import EventLog
from engine.store.verify import verify_log


def _claim(root) -> str:
    return next(json.loads(line)["data"]["claim_id"]
                for line in (root / "log.jsonl").read_bytes().splitlines()
                if b'"ClaimRecorded"' in line)


def _review(root, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["review", "--log", str(root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _state(root, claim):
    return claim_states(EventLog(root).events())[claim]


def test_accept_reject_accept_appends_three_acts_and_the_claim_ends_accepted(log_copy, capsys):
    """Bug pinned: the third verdict printed "appended 1 verdicts", appended nothing (its
    event id was the first one's), and the claim stayed rejected."""
    claim = _claim(log_copy)
    seq = EventLog(log_copy).head().seq
    for n, flag in enumerate(["--accept", "--reject", "--accept"], start=1):
        code, out, _ = _review(log_copy, capsys, flag, claim)
        assert code == 0 and out.strip() == f"appended 1 event(s) (log seq {seq + n})"
    assert _state(log_copy, claim).review[0] == "accepted"
    acts = [e.event for e in EventLog(log_copy).events()[seq:]]
    assert [a.verdict for a in acts] == ["accepted", "rejected", "accepted"]
    assert acts[0].supersedes == "" and acts[2].supersedes == EventLog(log_copy).events()[seq + 1].event_id
    # a retry (the same command again) appends nothing, and says so
    code, out, err = _review(log_copy, capsys, "--accept", claim)
    assert code == 0 and out == "" and f"{claim} is already accepted (log seq {seq + 3})" in err
    assert EventLog(log_copy).head().seq == seq + 3 and verify_log(log_copy).ok


def test_a_retried_batch_of_acts_is_idempotent(log_copy):
    claim = _claim(log_copy)
    log = EventLog(log_copy)
    first = ClaimReviewed(claim, "accepted", "me", "")
    log.append([first])
    batch = [ClaimReviewed(claim, "rejected", "me", "", supersedes=first.event_id)]
    seqs = log.append(batch)
    assert EventLog(log_copy).append(batch) == seqs  # the retry
    retried = EventLog(log_copy)
    retried.append(batch)
    assert retried.appended == [] and retried.head().seq == seqs[0]


def test_a_second_correction_keeps_the_first_and_values_are_checked(log_copy, capsys):
    """Bug pinned: a correction started from the original claim (so correcting a second
    field undid the first), denied=maybe became false, claimant=nobody-known was kept."""
    claim = _claim(log_copy)
    original = _state(log_copy, claim).effective
    assert original["gainer"] != "sdf" and original["kind"] != "withdrew"
    assert _review(log_copy, capsys, "--correct", claim, "--set", "gainer=sdf")[0] == 0
    assert _review(log_copy, capsys, "--correct", claim, "--set", "kind=withdrew")[0] == 0
    state = _state(log_copy, claim)
    assert state.effective["gainer"] == "sdf" and state.effective["kind"] == "withdrew"
    assert state.review[0] == "accepted"
    head = EventLog(log_copy).head()
    for bad, message in (("denied=maybe", "denied must be one of true, false"),
                         ("claimant=nobody-known", "claimant must be one of"),
                         ("claimant=amak", "did you mean amaq"),
                         ("gainer=isil", "gainer must be one of"),
                         ("confidence=2", "confidence must be a number in [0, 1]"),
                         ("site_id=palmyr", "unknown site id")):
        code, _, err = _review(log_copy, capsys, "--correct", claim, "--set", bad)
        assert code == 2 and message in err, (bad, err)
    assert EventLog(log_copy).head() == head
    # correcting back to the original is a new act, and a retry of it adds nothing
    assert _review(log_copy, capsys, "--correct", claim, "--set", f"gainer={original['gainer']}",
                   "--set", f"kind={original['kind']}")[0] == 0
    assert _state(log_copy, claim).effective == original
    code, out, err = _review(log_copy, capsys, "--correct", claim, "--set",
                             f"gainer={original['gainer']}")
    assert code == 0 and out == "" and "already asserts these values" in err
    assert verify_log(log_copy).ok


def test_control_characters_in_a_note_never_reach_the_terminal(log_copy, capsys):
    claim = _claim(log_copy)
    note = "ok\x1b[2K\r     1 2026-01-01T00:00:00 ClaimReviewed fake\x1b[0m"
    assert _review(log_copy, capsys, "--accept", claim, "--note", note)[0] == 0
    assert main(["log", "--log", str(log_copy)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\\x1b[2K\\r" in out


@pytest.mark.parametrize("option", ["--trust", "--distrust"])
def test_an_unknown_claimant_in_a_policy_is_refused_with_a_suggestion(log_copy, capsys, option):
    """Bug pinned: --trust amak (a typo) emptied a timeline; --distrust amak was ignored."""
    assert main(["timeline", "--log", str(log_copy), option, "amak"]) == 2
    err = capsys.readouterr().err
    assert "unknown claimant 'amak'" in err and "did you mean amaq" in err
