"""Each rule of the weighed replay (engine.domain.weighing) on a small log, named as the
rule it pins. The strict mode's rules: tests/unit/test_replay_rules.py."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.domain import Policy, replay
from engine.domain.testing import claim_events

D = dt.date.fromisoformat


def site(claim_id, gainer, day, *, until=None, published=None, **fields):
    """A claim about site ``x``, published on its last day unless said otherwise."""
    until = until or day
    fields.setdefault("evidence_text", f"words of {claim_id}")
    return dict(
        claim_id=claim_id,
        site_id="x",
        gainer=gainer,
        valid_from=day,
        valid_to=until,
        published_date=published or until,
        **fields,
    )


def timeline(*rows, policy=None):
    return replay(claim_events(list(rows)), policy)


def states(t):
    return t.intervals.select("controller", "status").rows()


def test_one_dissenting_claim_becomes_a_dissent_not_a_contest():
    t = timeline(
        site("a", "isis", "2016-12-11", loser="government"),
        site("b", "isis", "2016-12-11", claimant="amaq"),
        site("c", "isis", "2016-12-12", claimant="sohr"),
        site("d", "government", "2016-12-10", until="2016-12-11", claimant="russian_mod"),
    )
    assert states(t) == [("government", "held"), ("isis", "held")]
    after = t.intervals.row(1, named=True)
    assert after["dissent_ids"] == ["d"] and after["support"] == 0.75


def test_comparably_strong_simultaneous_claims_contest_only_their_own_days():
    t = timeline(
        site("a", "government", "2016-01-01", published="2016-01-02"),
        site("b", "isis", "2016-12-10", claimant="amaq"),
        site("c", "government", "2016-12-11", claimant="sana"),
        site("d", "government", "2017-01-05"),
    )
    rows = t.intervals.select("controller", "status", "start_latest").rows()
    # contested on the days the two speak of (10-11 December), held from the day after
    assert rows == [
        ("government", "held", D("2016-01-01")),
        ("government", "contested", D("2016-12-10")),
        ("government", "held", D("2016-12-12")),
    ]


def test_a_back_reference_confirms_and_never_makes_a_swing_against_dated_evidence():
    t = timeline(
        site("a", "isis", "2015-05-20", until="2015-05-21", loser="government"),
        site("b", "government", "2016-03-27"),
        # "the army, which took the city in 2015" in an article of 2017: wrong and late
        site("c", "government", "2015-01-01", until="2015-12-31", published="2017-02-01"),
    )
    assert t.swings.select("to_controller", "window_end").rows() == [
        ("isis", D("2015-05-21")),
        ("government", D("2016-03-27")),
    ]
    isis = t.intervals.filter(controller="isis").row(0, named=True)
    assert isis["dissent_ids"] == ["c"]


def test_a_fallback_window_never_dates_a_change():
    t = timeline(
        site("a", "isis", "2015-05-21", loser="government"),
        site("b", "government", "2016-06-01", until="2016-06-08", time_precision="fallback"),
    )
    assert t.swings["to_controller"].to_list() == ["isis"]
    assert t.intervals.filter(controller="isis")["dissent_ids"].item().to_list() == ["b"]


def test_a_back_reference_dates_a_change_where_nothing_dated_speaks():
    t = timeline(
        site(
            "a",
            "isis",
            "2014-08-01",
            until="2014-08-31",
            published="2017-01-01",
            loser="government",
        )
    )
    assert t.swings.select("from_controller", "to_controller", "window_start").rows() == [
        ("government", "isis", D("2014-08-01"))
    ]


def test_a_partial_advance_contests_the_site_until_the_capture():
    t = timeline(
        site("a", "government", "2015-01-01"),
        site("b", "isis", "2015-05-16", kind="partial"),
        site("c", "isis", "2015-05-20", until="2015-05-21"),
    )
    assert t.intervals.select("controller", "status", "start_latest").rows() == [
        ("government", "held", D("2015-01-01")),
        ("government", "contested", D("2015-05-16")),
        ("isis", "held", D("2015-05-21")),
    ]


def test_a_partial_advance_ends_when_a_later_report_confirms_the_holder():
    t = timeline(
        site("a", "government", "2015-01-01"),
        site("b", "isis", "2015-05-16", kind="partial"),
        site("c", "government", "2015-05-25"),
    )
    assert states(t) == [
        ("government", "held"),
        ("government", "contested"),
        ("government", "held"),
    ]


def test_a_besieged_site_is_held_by_the_besieged_side_until_the_siege_is_broken():
    t = timeline(
        site("a", "isis", "2013-11-10", kind="besieged", loser="government"),
        site("b", "government", "2015-11-10", kind="siege_broken"),
    )
    assert t.intervals.select("controller", "status", "open_start").rows() == [
        ("government", "held", True),
        ("government", "besieged", False),
        ("government", "held", False),
    ]


def test_before_the_first_swing_its_loser_held_the_site():
    t = timeline(site("a", "isis", "2015-05-21", loser="government"))
    first = t.intervals.row(0, named=True)
    assert (first["controller"], first["open_start"], first["start_latest"]) == (
        "government",
        True,
        None,
    )
    assert t.snapshot(D("2014-01-01"))["controller"].to_list() == ["government"]


def test_a_denial_weighs_against_the_claim_it_denies():
    t = timeline(
        site("a", "isis", "2017-01-01", published="2017-01-02"),
        site("b", "government", "2017-11-08", claimant="syrian_tv"),
        site("c", "government", "2017-11-08", claimant="sohr", denied=True),
        site("d", "isis", "2017-11-09", claimant="amaq"),
    )
    assert states(t)[-1] == ("isis", "held")
    assert "b" in t.intervals.row(-1, named=True)["dissent_ids"]


def test_copies_of_one_wire_story_are_one_voice():
    wire = "the army took the town"
    t = timeline(
        site("a", "isis", "2016-12-11", loser="government", claimant="amaq"),
        site("b", "isis", "2016-12-11", claimant="sohr"),
        *[
            site(f"w{i}", "government", "2016-12-11", evidence_text=wire, doc_id=f"d{i}")
            for i in range(5)
        ],
    )
    # five outlets reprinting one sentence weigh as one voice: two against one
    assert states(t)[-1] == ("isis", "held")
    assert sorted(t.intervals.row(-1, named=True)["dissent_ids"]) == [f"w{i}" for i in range(5)]


def test_a_claimant_weight_of_zero_hears_without_believing():
    rows = [
        site("a", "isis", "2016-12-11", loser="government", claimant="amaq"),
        site("b", "government", "2016-12-11", claimant="sana"),
    ]
    # one voice against one: a contest on that day, then the last word
    assert states(timeline(*rows)) == [
        ("government", "held"),
        ("government", "contested"),
        ("government", "held"),
    ]
    t = timeline(*rows, policy=Policy(weights={"amaq": 0.0}))
    assert states(t) == [("government", "held")]
    assert t.intervals.row(0, named=True)["dissent_ids"] == ["a"]


def test_a_premature_report_is_a_dissent_and_the_later_reports_date_the_change():
    t = timeline(
        site(
            "a",
            "government",
            "2017-02-11",
            until="2017-02-12",
            claimant="russian_mod",
            loser="isis",
        ),
        site("b", "government", "2017-02-26", claimant="syrian_military"),
        site("c", "government", "2017-02-26", claimant="sana"),
    )
    assert t.swings.select("window_start", "window_end").rows() == [
        (D("2017-02-26"), D("2017-02-26"))
    ]


def test_explain_names_the_rule_and_the_claims_for_and_against():
    t = timeline(
        site("a", "isis", "2016-12-11", loser="government"),
        site("b", "isis", "2016-12-11", claimant="amaq"),
        site("c", "government", "2016-12-11", claimant="russian_mod"),
    )
    why = t.explain("x", D("2016-12-20"))
    assert why.controller == "isis" and why.rule.startswith("swing")
    assert why.claims.filter(stance="against")["claim_id"].to_list() == ["c"]
    assert "outweighed" in why.claims.filter(stance="against")["role"].item()


GAINERS = st.sampled_from(["isis", "government", "opposition"])


@st.composite
def small_logs(draw):
    rows = []
    for i in range(draw(st.integers(1, 12))):
        start = D("2016-01-01") + dt.timedelta(days=draw(st.integers(0, 90)))
        width = draw(st.sampled_from([0, 0, 2, 40]))
        lag = draw(st.sampled_from([0, 1, 60]))
        rows.append(
            site(
                f"c{i}",
                draw(GAINERS),
                start.isoformat(),
                until=(start + dt.timedelta(days=width)).isoformat(),
                published=start + dt.timedelta(days=width + lag),
                kind=draw(
                    st.sampled_from(
                        ["captured", "captured", "withdrew", "partial", "besieged", "siege_broken"]
                    )
                ),
                loser=draw(st.one_of(st.none(), GAINERS)),
                claimant=draw(st.sampled_from(["amaq", "sana", "sohr", "outlet"])),
                denied=draw(st.booleans()) and draw(st.booleans()),
                time_precision=draw(st.sampled_from(["day", "fallback"])),
            )
        )
    return rows


@settings(max_examples=150, deadline=None)
@given(rows=small_logs())
def test_every_believed_claim_is_listed_once_and_intervals_follow_one_another(rows):
    t = timeline(*rows)
    listed = [
        c
        for ids in t.intervals["claim_ids"].to_list() + t.intervals["dissent_ids"].to_list()
        for c in ids
    ]
    attacked_or_none = {r["claim_id"] for r in rows if r["kind"] == "attacked"}
    assert len(listed) == len(set(listed))
    assert set(listed) | attacked_or_none >= {r["claim_id"] for r in rows if not r["denied"]}
    starts = t.intervals["start_latest"].drop_nulls().to_list()
    assert starts == sorted(starts)
    assert t.intervals["open_start"].to_list().count(True) <= 1
    supports = t.intervals["support"].drop_nulls().to_list()
    assert all(0.0 <= s <= 1.0 for s in supports)
    # same log, same policy: the same tables
    again = timeline(*rows)
    assert again.intervals.equals(t.intervals) and again.swings.equals(t.swings)


@settings(max_examples=60, deadline=None)
@given(rows=small_logs(), cut=st.integers(0, 12))
def test_as_of_seq_replays_the_log_as_it_stood(rows, cut):
    """Knowledge time: a replay as of seq N is the replay of the first N events."""
    events = claim_events(rows)
    assert timeline(*rows, policy=Policy(as_of_seq=cut)).intervals.equals(
        replay(events.filter(events["seq"] <= cut)).intervals
    )


def test_known_by_leaves_out_what_was_published_later():
    rows = [
        site("a", "isis", "2015-05-21", loser="government"),
        site("b", "government", "2016-03-27", published="2016-03-28"),
    ]
    early = timeline(*rows, policy=Policy(known_by=D("2016-01-01")))
    assert states(early) == [("government", "held"), ("isis", "held")]


def test_a_capture_long_after_the_gainer_took_the_site_says_its_loser_had_it_back():
    t = timeline(
        site("a", "opposition", "2016-11-20", loser="isis"),
        site("b", "opposition", "2016-11-22", loser="isis", claimant="sohr"),
        # three months on, a fresh report of the opposition taking it from ISIS
        site("c", "opposition", "2017-02-23", loser="isis"),
    )
    assert t.swings.select(
        "from_controller", "to_controller", "window_start", "window_end"
    ).rows() == [
        ("isis", "opposition", D("2016-11-20"), D("2016-11-20")),
        ("opposition", "isis", D("2016-11-23"), D("2017-02-22")),
        ("isis", "opposition", D("2017-02-23"), D("2017-02-23")),
    ]
    assert states(t) == [
        ("isis", "held"),
        ("opposition", "held"),
        ("isis", "held"),
        ("opposition", "held"),
    ]
    lapse = t.swings.row(1, named=True)
    assert lapse["claim_ids"] == [] and lapse["n_claims"] == 0  # no claim says it; "c" implies it
    why = t.explain("x", D("2017-02-22"))
    assert why.controller == "isis" and why.rule.startswith("lapse:") and " c has " in why.rule


def test_the_compiled_fold_reads_a_lapse_as_the_specification_does():
    from polars.testing import assert_frame_equal

    from engine.domain import EncodedEvents
    from engine.domain.replay_weighed import weighed_timelines

    rows = [
        site("a", "opposition", "2016-11-20", loser="isis"),
        # a dissent between the reports that date the capture: the run merges around it
        site("b", "isis", "2016-11-21", loser="opposition", claimant="amaq"),
        site("c", "opposition", "2016-11-22", loser="isis", claimant="sohr"),
        site("c2", "opposition", "2016-11-22", loser="isis", claimant="sana"),
        site("d", "opposition", "2017-02-23", loser="isis"),
        site("d2", "opposition", "2017-02-22", until="2017-02-23", loser="isis", denied=True),
        site("e", "isis", "2017-06-01", loser="opposition"),
        site("e2", "isis", "2017-06-02", loser="opposition", claimant="sohr"),
        site("f", "isis", "2017-09-01", loser="opposition", claimant="amaq"),
    ]
    encoded = EncodedEvents.of(claim_events(rows))
    _, spec_intervals, spec_swings, _ = weighed_timelines(encoded, Policy(), compiled=False)
    _, intervals, swings, _ = weighed_timelines(encoded, Policy(), compiled=True)
    assert_frame_equal(intervals, spec_intervals)
    assert_frame_equal(swings, spec_swings)
    assert spec_swings.height == 6  # two lapses: February and September


def test_a_later_report_of_the_same_gainer_confirms_when_it_is_near_or_names_no_loser():
    t = timeline(
        site("a", "opposition", "2016-11-20", loser="isis"),
        site("b", "opposition", "2016-12-15", loser="isis"),  # 25 days on: near enough
        site("c", "opposition", "2017-02-23"),  # no side named: nothing says who had it
        # a back-reference months later ("which it took in November") never lapses
        site(
            "d",
            "opposition",
            "2016-11-01",
            until="2016-11-30",
            loser="isis",
            published="2017-04-01",
        ),
    )
    assert t.swings.select("to_controller").to_series().to_list() == ["opposition"]


def test_a_weaker_earlier_claim_of_the_same_capture_stays_premature_not_a_lapse():
    t = timeline(
        # a minister's claim two months early, then the capture, reported three times
        site("a", "sdf", "2017-03-25", loser="isis", claimant="sdf"),
        site("b", "sdf", "2017-05-10", loser="isis"),
        site("c", "sdf", "2017-05-10", loser="isis", claimant="sohr"),
        site("d", "sdf", "2017-05-11", loser="isis", claimant="amaq"),
    )
    assert t.swings.select("to_controller", "window_start").rows() == [
        ("sdf", D("2017-05-10")),
    ]
    # a dissent where its window ends: on the days ISIS still held the site
    assert t.intervals.select("controller", "dissent_ids").rows() == [
        ("isis", ["a"]),
        ("sdf", []),
    ]


def test_a_broken_siege_says_its_besieged_side_held_the_site_before():
    # "the opposition broke the siege of the eastern districts": the side inside held them
    t = timeline(
        site("a", "government", "2016-08-06", loser="opposition", kind="siege_broken"),
    )
    assert t.intervals.select("controller", "status", "open_start", "siege").rows() == [
        ("opposition", "held", True, False)
    ]
