"""Each rule of the strict mode (the first version's rules, kept for teaching) on a
two-to-four-claim log, named as the rule it pins. The weighed mode's rules:
tests/unit/test_weighing_rules.py."""

from __future__ import annotations

import datetime as dt

import pytest

import dataclasses

from engine.domain import Policy, TadmurError
from engine.domain import replay as replay_in_any_mode
from engine.domain.errors import PolicyError
from engine.domain.testing import claim_events

D = dt.date.fromisoformat


def replay(events, policy=None):
    return replay_in_any_mode(events, dataclasses.replace(policy or Policy(), mode="strict"))


def palmyra(**fields):
    return dict(site_id="palmyra", **fields)


def rows(timelines, *columns):
    return timelines.intervals.select(*columns).rows()


def test_a_capture_opens_an_interval_over_its_date_window():
    t = replay(claim_events([palmyra(claim_id="a", gainer="isis",
                                     valid_from="2015-05-20", valid_to="2015-05-21")]))
    assert rows(t, "controller", "status", "start_earliest", "start_latest", "end_latest") == [
        ("isis", "held", D("2015-05-20"), D("2015-05-21"), None)]


def test_agreeing_claims_merge_into_one_swing_with_all_supporting_claims():
    t = replay(claim_events([
        palmyra(claim_id="a", gainer="isis", valid_from="2016-12-08", valid_to="2016-12-12",
                claimant="amaq"),
        palmyra(claim_id="b", gainer="isis", valid_from="2016-12-11", claimant="sohr"),
    ]))
    assert t.swings.select("to_controller", "window_start", "window_end", "claim_ids",
                           "claimants").rows() == [
        ("isis", D("2016-12-11"), D("2016-12-11"), ["a", "b"], ["amaq", "sohr"])]


def test_a_merged_window_is_the_union_when_the_claims_share_no_day():
    t = replay(claim_events([
        palmyra(claim_id="a", gainer="isis", valid_from="2016-12-01", valid_to="2016-12-05"),
        palmyra(claim_id="b", gainer="isis", valid_from="2016-12-04", valid_to="2016-12-04"),
        palmyra(claim_id="c", gainer="isis", valid_from="2016-12-05", valid_to="2016-12-09"),
    ]))
    assert t.swings.select("window_start", "window_end").rows() == [(D("2016-12-01"), D("2016-12-09"))]


def test_a_withdrawal_without_a_named_gainer_agrees_with_a_named_capture():
    t = replay(claim_events([
        palmyra(claim_id="a", kind="withdrew", gainer="unknown", loser="isis",
                valid_from="2016-03-27"),
        palmyra(claim_id="b", gainer="government", valid_from="2016-03-27"),
    ]))
    assert t.swings.select("from_controller", "to_controller", "n_claims").rows() == [
        ("isis", "government", 2)]


def test_overlapping_claims_naming_different_controllers_make_the_span_contested():
    t = replay(claim_events([
        palmyra(claim_id="a", gainer="government", valid_from="2016-01-01"),
        palmyra(claim_id="b", gainer="isis", valid_from="2016-12-10", claimant="amaq"),
        palmyra(claim_id="c", gainer="government", valid_from="2016-12-10", claimant="sana"),
        palmyra(claim_id="d", gainer="isis", valid_from="2017-01-05"),
    ]))
    assert rows(t, "controller", "status", "claim_ids") == [
        ("government", "held", ["a"]),
        ("government", "contested", ["b", "c"]),
        ("isis", "held", ["d"]),
    ]


def test_a_partial_advance_marks_the_site_contested_until_the_next_swing():
    t = replay(claim_events([
        palmyra(claim_id="a", gainer="government", valid_from="2016-01-01"),
        palmyra(claim_id="b", kind="partial", gainer="isis", valid_from="2016-12-09"),
        palmyra(claim_id="c", gainer="isis", valid_from="2016-12-11"),
    ]))
    assert rows(t, "controller", "status") == [
        ("government", "held"), ("government", "contested"), ("isis", "held")]


def test_a_siege_overlays_the_holder_until_it_is_broken():
    t = replay(claim_events([
        {"claim_id": "a", "site_id": "deir_ez_zor_airbase", "gainer": "government",
         "valid_from": "2015-01-01"},
        {"claim_id": "b", "site_id": "deir_ez_zor_airbase", "kind": "besieged", "gainer": "isis",
         "valid_from": "2015-02-01"},
        {"claim_id": "c", "site_id": "deir_ez_zor_airbase", "kind": "siege_broken",
         "gainer": "government", "valid_from": "2017-09-05"},
    ]))
    assert rows(t, "controller", "status", "end_latest") == [
        ("government", "held", D("2015-02-01")),
        ("government", "besieged", D("2017-09-05")),
        ("government", "held", None),
    ]


def test_an_attack_without_an_outcome_changes_nothing():
    t = replay(claim_events([
        palmyra(claim_id="a", gainer="government", valid_from="2016-01-01"),
        palmyra(claim_id="b", kind="attacked", gainer="isis", valid_from="2016-06-01"),
    ]))
    assert rows(t, "controller", "claim_ids") == [("government", ["a"])]


def test_a_retracted_claim_is_gone_and_the_latest_of_retraction_and_correction_wins():
    log = [
        palmyra(claim_id="a", gainer="isis", valid_from="2016-01-01"),
        {"event": "retracted", "claim_id": "a"},
        {"event": "corrected", "claim_id": "a", "site_id": "palmyra", "gainer": "government",
         "valid_from": "2016-02-01", "valid_to": "2016-02-01"},
    ]
    assert replay(claim_events(log[:2])).intervals.height == 0
    assert rows(replay(claim_events(log)), "controller", "start_latest") == [
        ("government", D("2016-02-01"))]


def test_as_of_seq_replays_the_record_as_it_stood_then_including_corrections():
    log = claim_events([
        palmyra(claim_id="a", gainer="isis", valid_from="2016-01-01"),
        {"event": "corrected", "claim_id": "a", "site_id": "palmyra", "gainer": "government",
         "valid_from": "2016-01-01", "valid_to": "2016-01-01"},
    ])
    assert rows(replay(log, Policy(as_of_seq=1)), "controller") == [("isis",)]
    assert rows(replay(log, Policy(as_of_seq=2)), "controller") == [("government",)]
    assert replay(log, Policy(as_of_seq=0)).intervals.height == 0


def test_known_by_keeps_only_claims_from_documents_published_by_that_day():
    log = claim_events([
        palmyra(claim_id="a", gainer="isis", valid_from="2016-12-11", published_date="2016-12-12"),
        palmyra(claim_id="b", gainer="government", valid_from="2017-03-02",
                published_date="2017-03-03"),
    ])
    assert rows(replay(log, Policy(known_by=D("2016-12-12"))), "controller") == [("isis",)]
    assert rows(replay(log, Policy(known_by=D("2016-12-11"))), "controller") == []


def test_trust_and_distrust_choose_whom_to_believe():
    log = claim_events([
        {"claim_id": "a", "site_id": "t4_airbase", "gainer": "isis", "claimant": "amaq",
         "valid_from": "2016-12-11"},
        {"claim_id": "b", "site_id": "t4_airbase", "gainer": "government", "claimant": "sana",
         "valid_from": "2016-01-01"},
    ])
    assert rows(replay(log, Policy(distrust=frozenset({"amaq"}))), "controller") == [("government",)]
    assert rows(replay(log, Policy(trust=frozenset({"amaq"}))), "controller") == [("isis",)]


def test_denied_claims_count_only_when_the_policy_includes_them():
    log = claim_events([palmyra(claim_id="a", gainer="isis", denied=True)])
    assert replay(log).intervals.height == 0
    assert replay(log, Policy(include_denied=True)).intervals.height == 1


def test_extracted_candidates_count_once_accepted_and_never_when_rejected():
    log = claim_events([
        palmyra(claim_id="a", gainer="isis", extractor="rules@1"),
        {"claim_id": "b", "site_id": "arak", "gainer": "isis", "extractor": "rules@1"},
        {"event": "reviewed", "claim_id": "a", "verdict": "accepted"},
        {"claim_id": "c", "site_id": "t4_airbase", "gainer": "isis"},
        {"event": "reviewed", "claim_id": "c", "verdict": "rejected"},
    ])
    assert replay(log).claims["claim_id"].to_list() == ["a"]
    assert replay(log, Policy(include_candidates=True)).claims["claim_id"].to_list() == ["a", "b"]


def test_snapshot_reports_the_holder_and_whether_a_change_may_be_under_way():
    t = replay(claim_events([
        palmyra(claim_id="a", gainer="isis", valid_from="2015-05-20", valid_to="2015-05-21"),
        palmyra(claim_id="b", gainer="government", valid_from="2016-03-20", valid_to="2016-03-27"),
    ]))
    assert t.snapshot(D("2016-01-01")).select("controller", "in_transition").rows() == [("isis", False)]
    assert t.snapshot(D("2016-03-22")).select("controller", "in_transition").rows() == [("isis", True)]
    assert t.snapshot(D("2016-03-27")).select("controller").rows() == [("government",)]


def test_the_same_log_and_policy_give_identical_tables():
    log = claim_events([palmyra(claim_id=c, gainer=g, valid_from=d) for c, g, d in
                        [("a", "isis", "2015-05-20"), ("b", "government", "2016-03-27")]])
    first, second = replay(log), replay(log)
    assert first.intervals.equals(second.intervals) and first.swings.equals(second.swings)


def test_an_impossible_policy_is_refused_with_a_hint():
    with pytest.raises(PolicyError, match=r"as_of_seq must be >= 0, found -1.*Hint"):
        Policy(as_of_seq=-1)


def test_a_frame_missing_columns_is_refused_naming_them():
    import polars as pl

    with pytest.raises(TadmurError, match="missing .*claim_id"):
        replay(pl.DataFrame({"seq": [1]}))


def test_the_tables_of_a_replay_cannot_be_replaced():
    t = replay(claim_events([{"claim_id": "a", "site_id": "palmyra", "gainer": "isis"}]))
    for table in ("claims", "intervals", "swings", "policy"):
        with pytest.raises(AttributeError):
            setattr(t, table, None)
    assert t.intervals.height == 1
