"""The strict mode's rules, stated readably: a plain-Python fold over claim rows,
written for clarity, not speed. It is the specification of ``Policy(mode="strict")``:
the compiled replay (:mod:`engine.domain.passes` behind :mod:`engine.domain.replay`)
must agree with it on every log hypothesis generates
(tests/unit/test_replay_agrees_with_reference_fold.py). The weighed mode's rules are
:mod:`engine.domain.weighing`.

Rows are dicts with the ``claim_events`` columns (``event`` recorded, corrected,
retracted or reviewed), as ``claim_events(...).rows(named=True)`` gives them.
"""

from __future__ import annotations

import itertools

from engine.domain.events import CORRECTABLE_FIELDS
MARKER_RANK = {"swing": 0, "contest": 1, "siege_on": 2, "siege_off": 3}


def believed_claims(events: list[dict], policy) -> list[dict]:
    events = [e for e in events if policy.as_of_seq is None or e["seq"] <= policy.as_of_seq]
    claims, change, verdict = {}, {}, {}
    for e in sorted(events, key=lambda e: e["seq"]):
        if e["event"] == "recorded":
            claims[e["claim_id"]] = dict(e)
        elif e["event"] in ("corrected", "retracted"):
            change[e["claim_id"]] = e
        elif e["event"] == "reviewed":
            verdict[e["claim_id"]] = e["verdict"]
    out = []
    for cid, claim in claims.items():
        if cid in change and change[cid]["event"] == "retracted":
            continue
        if cid in change:
            claim.update({k: change[cid][k] for k in CORRECTABLE_FIELDS})
        v = verdict.get(cid)
        accepted = (claim["extractor"] == "manual" or v == "accepted"
                    or (policy.include_candidates and v is None)) and v != "rejected"
        believed = (
            accepted
            and (policy.known_by is None or claim["published_date"] <= policy.known_by)
            and (policy.trust is None or claim["claimant"] in policy.trust)
            and claim["claimant"] not in policy.distrust
            and (policy.include_denied or not claim["denied"])
            and claim["confidence"] >= policy.min_confidence
        )
        if believed:
            out.append(claim)
    return sorted(out, key=lambda c: c["seq"])


def fold(claims: list[dict]) -> tuple[list[tuple], list[tuple]]:
    """(intervals, swings) as tuples in the column order of the schemas."""
    intervals, swings = [], []
    seq_of = {c["claim_id"]: c["seq"] for c in claims}
    claimant_of = {c["claim_id"]: c["claimant"] for c in claims}
    for site, rows in itertools.groupby(sorted(claims, key=lambda c: c["site_id"]),
                                        key=lambda c: c["site_id"]):
        markers = _markers(list(rows))
        holder, contested, sieged, site_intervals = None, False, False, []
        for m in markers:
            before = holder
            if m["marker"] == "swing":
                holder, contested, sieged = m["controller"], False, False
                if before != holder:
                    swings.append((site, before or m["loser_hint"], holder, m["start_earliest"],
                                   m["start_latest"], m["claim_ids"]))
            contested |= m["marker"] == "contest"
            sieged = (sieged or m["marker"] == "siege_on") and m["marker"] != "siege_off"
            controller = holder or "unknown"
            status = ("contested" if contested else "besieged" if sieged
                      else "unknown" if controller == "unknown" else "held")
            if site_intervals and site_intervals[-1][:2] == [controller, status]:
                site_intervals[-1][4].extend(m["claim_ids"])
            else:
                site_intervals.append([controller, status, m["start_earliest"],
                                       m["start_latest"], list(m["claim_ids"])])
        for i, (controller, status, s_early, s_late, ids) in enumerate(site_intervals):
            nxt = site_intervals[i + 1] if i + 1 < len(site_intervals) else None
            ids = sorted(ids, key=seq_of.get)
            intervals.append((site, controller, status, s_early, s_late,
                              nxt[2] if nxt else None, nxt[3] if nxt else None,
                              len(ids), len({claimant_of[c] for c in ids}), ids,
                              False, status == "besieged", 1.0 if ids else None, 0, []))
            # (the strict rules weigh nothing: no open start, no dissent)
    swings = [(s, f, t, a, b, len(ids), sorted({claimant_of[c] for c in ids}), ids, 1.0, [])
              for s, f, t, a, b, ids in swings]
    return intervals, swings


def _markers(rows: list[dict]) -> list[dict]:
    markers = []
    transitions = sorted((r for r in rows if r["kind"] in ("captured", "withdrew")),
                         key=lambda r: (r["valid_from"], r["valid_to"], r["seq"]))
    clusters, reach = [], None
    for r in transitions:
        if reach is None or r["valid_from"] > reach:
            clusters.append([])
        clusters[-1].append(r)
        reach = r["valid_to"] if reach is None else max(reach, r["valid_to"])
    for cl in clusters:
        known = sorted({r["gainer"] for r in cl} - {"unknown"})
        losers = sorted(r["loser"] for r in cl if r["loser"] is not None and r["loser"] != r["gainer"])
        hi_from, lo_to = max(r["valid_from"] for r in cl), min(r["valid_to"] for r in cl)
        agree = hi_from <= lo_to
        markers.append({
            "marker": "contest" if len(known) > 1 else "swing",
            "controller": None if len(known) > 1 else (known[0] if known else "unknown"),
            "loser_hint": losers[0] if losers else None,
            "start_earliest": hi_from if agree else min(r["valid_from"] for r in cl),
            "start_latest": lo_to if agree else max(r["valid_to"] for r in cl),
            "order_seq": min(r["seq"] for r in cl),
            "claim_ids": [r["claim_id"] for r in sorted(cl, key=lambda r: r["seq"])],
        })
    kinds = {"partial": "contest", "besieged": "siege_on", "siege_broken": "siege_off"}
    for r in rows:
        if r["kind"] in kinds:
            markers.append({"marker": kinds[r["kind"]], "controller": None, "loser_hint": None,
                            "start_earliest": r["valid_from"], "start_latest": r["valid_to"],
                            "order_seq": r["seq"], "claim_ids": [r["claim_id"]]})
    return sorted(markers, key=lambda m: (m["start_earliest"], m["start_latest"], m["order_seq"],
                                          MARKER_RANK[m["marker"]]))
