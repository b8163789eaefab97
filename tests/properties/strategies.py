"""Generated claim logs and policies, for the property tests of the replay."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from engine.domain import Policy
from engine.domain.schema import CLAIM_EVENTS

SITES = ["palmyra", "arak", "t4_airbase"]
ACTORS = ["isis", "government", "opposition", "unknown"]
KINDS = ["captured", "captured", "withdrew", "partial", "besieged", "siege_broken", "attacked"]
CLAIMANTS = ["amaq", "sana", "sohr", "outlet"]
DAY0 = dt.date(2016, 1, 1)


@st.composite
def claim_logs(draw) -> list[dict]:
    rows: list[dict] = []
    for seq in range(1, draw(st.integers(0, 40)) + 1):
        recorded = [r["claim_id"] for r in rows if r["event"] == "recorded"]
        action = draw(st.sampled_from(["recorded"] * 4 + ["corrected", "retracted", "reviewed"]))
        if action != "recorded" and not recorded:
            action = "recorded"
        row = dict.fromkeys(CLAIM_EVENTS)
        row.update(seq=seq, event=action)
        if action == "reviewed":
            row.update(
                claim_id=draw(st.sampled_from(recorded)),
                verdict=draw(st.sampled_from(["accepted", "rejected"])),
            )
        elif action == "retracted":
            row.update(claim_id=draw(st.sampled_from(recorded)))
        else:
            start = DAY0 + dt.timedelta(days=draw(st.integers(0, 60)))
            row.update(
                claim_id=f"c{seq}" if action == "recorded" else draw(st.sampled_from(recorded)),
                site_id=draw(st.sampled_from(SITES)),
                kind=draw(st.sampled_from(KINDS)),
                gainer=draw(st.sampled_from(ACTORS)),
                loser=draw(st.sampled_from([None, *ACTORS])),
                valid_from=start,
                valid_to=start + dt.timedelta(days=draw(st.sampled_from([0, 0, 1, 3, 10, 30]))),
                time_precision="day",
                claimant=draw(st.sampled_from(CLAIMANTS)),
                denied=draw(st.booleans()),
                confidence=draw(st.sampled_from([0.5, 1.0])),
            )
            if action == "recorded":
                row.update(
                    doc_id="d",
                    extractor=draw(st.sampled_from(["manual", "rules@1"])),
                    published_date=start + dt.timedelta(days=draw(st.integers(0, 5))),
                    evidence_text="…",
                    evidence_start=0,
                    evidence_end=1,
                )
        rows.append(row)
    return rows


policies = st.builds(
    Policy,
    as_of_seq=st.one_of(st.none(), st.integers(0, 40)),
    known_by=st.one_of(st.none(), st.dates(DAY0, DAY0 + dt.timedelta(days=70))),
    trust=st.one_of(st.none(), st.frozensets(st.sampled_from(CLAIMANTS), min_size=1)),
    distrust=st.frozensets(st.sampled_from(CLAIMANTS), max_size=2),
    include_denied=st.booleans(),
    min_confidence=st.sampled_from([0.0, 0.75]),
    include_candidates=st.booleans(),
    mode=st.just("strict"),
)
