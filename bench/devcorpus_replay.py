"""How well the replay recovers known-true timelines from the dev corpus's gold claims.

    python bench/devcorpus_replay.py [--corpus ../shared/devcorpus] [--mode weighed|strict]
        [--via-cli DIR] [--out bench/results/devcorpus_replay.json]

The dev corpus (real excerpts on other episodes than the project's own: Manbij, al-Bab,
Aleppo, Raqqa, Idlib, Abu Kamal, north Hama, 2014-2018) has 351 gold claims and, in
``known_timelines.csv``, 118 known-true control periods of 51 sites. The gold claims are
converted to the CLI contract's claim fields (``tadmur claims import``) and replayed; then:

- **periods**: each known period's holder on its middle day (an open start: the day before
  it ends; an open end: 15 days after it begins; an approximate period that the key starts
  on a month's 1st, as it writes "April 2015", from the end of that month: see
  :func:`probe_day`). A ``held``/``besieged`` period is right
  when the replay names its holder (a besieged one also needs the siege shown); a
  ``contested`` period when the replay says contested; a ``partial`` period (the holder had
  most of the site, another side part) when it names the holder or says contested.
- **swings**: each known change (a period with a dated start, not approximate, whose
  holder differs from the one before) is found when a replayed swing to that holder has a
  window containing the true day, ±1 (after a contest: when the holder's interval begins
  in such a window).
- **false swings**: replayed swings to a holder that no known period of that holder (or a
  contested/partial one) overlaps within 7 days.
A period the replay shows nothing for is counted as "nothing shown"; a wrong period that
``known_timelines.csv`` cites no document for (its ``basis`` is empty: before the excerpts,
after them, or from background knowledge) is counted apart from the other wrong ones.

With ``--via-cli DIR`` the claims go through the contract: the documents are registered
(``tadmur ingest --articles --no-extract``), the claims imported (``tadmur claims import``)
and the timeline read back (``tadmur timeline --format jsonl``), in a fresh log folder DIR.
Without it, the same claims are replayed in this process.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polars as pl

from engine.domain.policy import Policy
from engine.domain.replay import replay
from engine.domain.schema import CLAIM_EVENTS, enforce_schema, polars_schema

HERE = Path(__file__).resolve().parent
ACTORS = {
    "SAA": "government",
    "ISIS": "isis",
    "SDF": "sdf",
    "opposition": "opposition",
    "unknown": "unknown",
}
KINDS = {
    "captured": "captured",
    "recaptured": "captured",
    "withdrew": "withdrew",
    "entered_partial": "partial",
    "besieged": "besieged",
    "attacked_repelled": "attacked",
}
#: a siege line that says the siege ended: "broke the siege", or "re-linked the besieged
#: areas" (the gold dates such a line by its break day when the text gives no start)
BROKEN = re.compile(r"(فك|فكّ|كسر|كسّر)\S*\s+(ال)?حصار|(إعادة|اعادة)\s+(ال)?ربط")
#: gold claimant descriptions -> claimant ids, first match wins
CLAIMANTS = [
    ("amaq", "amaq"),
    ("sohr", "sohr"),
    ("russian", "russian_mod"),
    ("sana", "sana"),
    ("syrian tv", "syrian_tv"),
    ("state tv", "syrian_tv"),
    ("state media", "sana"),
    ("syrian army", "syrian_military"),
    ("military", "syrian_military"),
    ("pro-assad", "hezbollah_media"),
    ("hezbollah", "hezbollah_media"),
    ("sdf", "sdf"),
    ("turkish", "turkish_military"),
    ("kurdistan24", "kurdish_media"),
    ("outlet", "outlet"),
    ("activist", "activists"),
    ("field source", "local_sources"),
    ("local source", "local_sources"),
    ("jaish", "opposition_factions"),
    ("ahrar", "opposition_factions"),
    ("nusra", "opposition_factions"),
    ("fateh", "opposition_factions"),
    ("rebel", "opposition_factions"),
    ("opposition", "opposition_factions"),
    ("fsa", "opposition_factions"),
    ("brigade", "opposition_factions"),
    ("division", "opposition_factions"),
    ("islamic front", "opposition_factions"),
    ("zenki", "opposition_factions"),
]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def claimant_of(described: str) -> str:
    low = described.lower()
    return next((cid for key, cid in CLAIMANTS if key in low), "other_outlet")


def precision_of(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    return "day" if days == 1 else "days" if days <= 7 else "month" if days <= 31 else "year"


def contract_claims(corpus: Path) -> tuple[list[dict], dict[str, dict]]:
    """The gold claims in the fields of ``tadmur claims import`` (one gold line may give
    two: a broken siege is its siege and its break), and the articles by doc_id."""
    articles = {a["doc_id"]: a for a in _json_lines(corpus / "articles.jsonl")}
    claims = []
    for row in _json_lines(corpus / "gold.jsonl"):
        start, end = dt.date.fromisoformat(row["date_from"]), dt.date.fromisoformat(row["date_to"])
        base = {
            "doc_id": row["doc_id"],
            "site_id": slug(row["site"]),
            "mention": row["site_ar"],
            "gainer": ACTORS[row["actor"]],
            "loser": ACTORS[row["counter_actor"]],
            "claimant": claimant_of(row["claimed_by"]),
            "denied": row["negated_or_denied"],
            "evidence": row["evidence"],
        }
        kind = KINDS[row["kind"]]
        if kind == "besieged" and BROKEN.search(row["evidence"]):
            # the gold marks a broken siege as a siege line ending on the break day
            claims.append(
                base
                | {
                    "kind": "siege_broken",
                    "date_from": str(end),
                    "date_to": str(end),
                    "time_precision": "day",
                }
            )
            if start == end:
                # no start in the text: the gold dates the line by its break day alone
                continue
            end = start
        elif kind == "besieged":
            end = start  # our siege claim dates its beginning; the gold, its span
        claims.append(
            base
            | {
                "kind": kind,
                "date_from": str(start),
                "date_to": str(end),
                "time_precision": precision_of(start, end),
            }
        )
    return claims, articles


def _json_lines(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def claim_events(claims: list[dict], articles: dict[str, dict]) -> pl.DataFrame:
    rows = []
    for seq, c in enumerate(claims, start=1):
        published = articles[c["doc_id"]]["published"] or c["date_to"]
        rows.append(
            {
                "seq": seq,
                "event": "recorded",
                "claim_id": f"g{seq:04d}",
                "doc_id": c["doc_id"],
                "published_date": dt.date.fromisoformat(published),
                "site_id": c["site_id"],
                "kind": c["kind"],
                "gainer": c["gainer"],
                "loser": c["loser"],
                "valid_from": dt.date.fromisoformat(c["date_from"]),
                "valid_to": dt.date.fromisoformat(c["date_to"]),
                "time_precision": c["time_precision"],
                "claimant": c["claimant"],
                "denied": c["denied"],
                "confidence": 1.0,
                "extractor": "import",
                "evidence_text": c["evidence"],
                "evidence_start": 0,
                "evidence_end": 0,
                "verdict": None,
            }
        )
    frame = pl.DataFrame(rows, schema=polars_schema(CLAIM_EVENTS), orient="row")
    # imported claims count as accepted: here, as a review would make them
    reviews = frame.select(
        pl.col("seq") + len(rows),
        event=pl.lit("reviewed"),
        claim_id="claim_id",
        verdict=pl.lit("accepted"),
    )
    return enforce_schema(pl.concat([frame, reviews], how="diagonal"), CLAIM_EVENTS, "claim_events")


def known_periods(corpus: Path) -> list[dict]:
    with open(corpus / "known_timelines.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["site_id"] = slug(row["site"])
        for key in ("period_start", "period_end"):
            row[key] = dt.date.fromisoformat(row[key]) if row[key] else None
        row["holder"] = ACTORS.get(row["holder"], row["holder"])
        row["approx"] = row["approx"] == "true"
    return rows


def probe_day(period: dict) -> dt.date:
    """The day a period is checked on: its middle (an open start: the day before it ends;
    an open end: 15 days after it begins).

    The key writes a month alone as the month's 1st and marks the row approximate, so an
    approximate period that begins on a 1st ("April 2015") may begin as late as that
    month's last day: it is checked on the middle of the days it surely covers, from the
    end of that month (or its own end, if sooner). A period that is one whole month
    ("contested in November") and a period known to the day keep their middle."""
    start, end = period["period_start"], period["period_end"]
    if period["approx"] and start is not None and start.day == 1:
        month_end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        month_end -= dt.timedelta(days=1)
        if end is None or end != month_end:
            start = month_end if end is None else min(month_end, end)
    if start and end:
        return start + (end - start) // 2
    if end:
        return end - dt.timedelta(days=1)
    return start + dt.timedelta(days=15)


def state_on(intervals: pl.DataFrame, site: str, day: dt.date) -> dict | None:
    rows = intervals.filter(
        (pl.col("site_id") == site)
        & (pl.col("start_latest").is_null() | (pl.col("start_latest") <= day))
    )
    return rows.row(-1, named=True) if rows.height else None


def measure(intervals: pl.DataFrame, swings: pl.DataFrame, periods: list[dict]) -> dict:
    """The three checks of the module docstring, with every miss spelt out."""
    results: dict = {
        "periods": Counter(),
        "swings": Counter(),
        "wrong": [],
        "missed": [],
        "false": [],
    }
    for p in periods:
        state = state_on(intervals, p["site_id"], probe_day(p))
        day = probe_day(p)
        if state is None:
            results["periods"]["nothing shown"] += 1
            results["wrong"].append(
                f"{p['site']} {day}: no evidence (truth {p['holder']} {p['status']})"
            )
            continue
        holder, status = state["controller"], state["status"]
        truth = p["status"]
        right = {
            "held": holder == p["holder"],
            "besieged": holder == p["holder"] and status == "besieged",
            "contested": status == "contested",
            "partial": holder == p["holder"] or status == "contested",
        }[truth]
        # a period no claim of the corpus is cited for, the replay can only infer
        unsupported = not p["basis"].strip()
        results["periods"][
            "right" if right else "wrong, no claim cited for it" if unsupported else "wrong"
        ] += 1
        if not right:
            results["wrong"].append(
                f"{p['site']} {day}: {holder} {status} (truth {p['holder']} {truth})"
            )
    by_site: dict[str, list[dict]] = {}
    for p in periods:
        by_site.setdefault(p["site_id"], []).append(p)
    for site, rows in by_site.items():
        for before, p in itertools.pairwise(rows):
            if (
                p["approx"]
                or p["period_start"] is None
                or p["holder"] == before["holder"]
                or p["holder"] == "contested"
            ):
                continue
            day = p["period_start"]
            found = swings.filter(
                (pl.col("site_id") == site)
                & (pl.col("to_controller") == p["holder"])
                & (pl.col("window_start") <= day + dt.timedelta(days=1))
                & (pl.col("window_end") >= day - dt.timedelta(days=1))
            )
            if before["holder"] == "contested" or before["status"] == "partial":
                # a contest resolved: the holder's interval begins then (its swing may
                # have come earlier, when it first took part of the site)
                found = (
                    found.vstack(found.clear())
                    if found.height
                    else intervals.filter(
                        (pl.col("site_id") == site)
                        & (pl.col("controller") == p["holder"])
                        & (pl.col("status") == "held")
                        & (pl.col("start_earliest") <= day + dt.timedelta(days=1))
                        & (pl.col("start_latest") >= day - dt.timedelta(days=1))
                    )
                )
            results["swings"]["found" if found.height else "missed"] += 1
            if not found.height:
                results["missed"].append(f"{p['site']} -> {p['holder']} on {day}")
    known = set(by_site)
    for s in swings.filter(pl.col("site_id").is_in(known)).iter_rows(named=True):
        week = dt.timedelta(days=7)
        explained = any(
            (p["holder"] == s["to_controller"] or p["status"] in ("contested", "partial"))
            and (p["period_start"] is None or p["period_start"] <= s["window_end"] + week)
            and (p["period_end"] is None or p["period_end"] >= s["window_start"] - week)
            for p in by_site[s["site_id"]]
        )
        if not explained:
            results["false"].append(
                f"{s['site_id']} {s['from_controller']} -> "
                f"{s['to_controller']} {s['window_start']}..{s['window_end']}"
            )
    return results


def via_cli(
    claims: list[dict], articles: dict[str, dict], folder: Path
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str]]:
    """The claims through the contract, into a new log folder: the documents registered
    (``tadmur ingest --articles --no-extract --new-log``), the claims imported by their
    Arabic mention alone (``tadmur claims import``: the gazetteer resolves it in the
    article's context) and the timeline read back (``tadmur timeline --format jsonl``).
    Returns intervals, the swings between them, and the gold site name -> site id map
    (the same resolver, asked here, names the sites of the known timelines)."""
    from engine.reference import resolve_site

    folder.mkdir(parents=True, exist_ok=False)
    docs = sorted({c["doc_id"] for c in claims})
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as f:
        for doc in docs:
            a = articles[doc]
            published = a["published"] or max(c["date_to"] for c in claims if c["doc_id"] == doc)
            f.write(
                json.dumps(
                    {
                        "doc_id": doc,
                        "text": a["text"],
                        "published": published,
                        "outlet": a["outlet"],
                        "url": a["url"],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    names: dict[str, Counter] = {}
    with open(folder / "claims.jsonl", "w", encoding="utf-8") as f:
        for c in claims:
            site_id, _ = resolve_site(c["mention"], context=articles[c["doc_id"]]["text"])
            names.setdefault(c["site_id"], Counter())[site_id] += 1
            line = {k: v for k, v in c.items() if k != "site_id"}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    log = folder / "events"
    tadmur = [sys.executable, "-m", "engine.cli"]
    for command in (
        ["ingest", "--articles", str(folder / "articles.jsonl"), "--no-extract", "--new-log"],
        ["claims", "import", str(folder / "claims.jsonl")],
        ["timeline", "--format", "jsonl", "--out", str(folder / "timeline.jsonl")],
    ):
        done = subprocess.run(
            [*tadmur, *command, "--log", str(log)], capture_output=True, text=True, check=False
        )
        print(
            f"tadmur {command[0]}: exit {done.returncode}; {done.stdout.strip()[-200:]}",
            file=sys.stderr,
        )
    intervals = pl.read_ndjson(folder / "timeline.jsonl").with_columns(
        pl.col("start_earliest", "start_latest", "end_earliest", "end_latest").str.to_date()
    )
    following = pl.col("site_id") == pl.col("site_id").shift(-1)
    swings = intervals.with_columns(
        to_controller=pl.col("controller").shift(-1).over("site_id"),
        window_start=pl.col("end_earliest"),
        window_end=pl.col("end_latest"),
        from_controller=pl.col("controller"),
    ).filter(following & (pl.col("to_controller") != pl.col("from_controller")))
    mapping = {
        name: ids.most_common(1)[0][0] for name, ids in names.items() if ids.most_common(1)[0][0]
    }
    return intervals, swings, mapping


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "devcorpus")
    parser.add_argument("--mode", choices=["weighed", "strict"], default="weighed")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument(
        "--via-cli",
        type=Path,
        metavar="DIR",
        help="go through `tadmur ingest --articles`, `claims import` and "
        "`timeline` in a new log folder DIR (weighed mode)",
    )
    args = parser.parse_args()
    claims, articles = contract_claims(args.corpus)
    periods = known_periods(args.corpus)
    if args.via_cli:
        intervals, swings, mapping = via_cli(claims, articles, args.via_cli)
        unresolved = sorted({p["site"] for p in periods if p["site_id"] not in mapping})
        print(
            f"sites the gazetteer resolves: {len(mapping)}; known-timeline sites it does not: "
            f"{len(unresolved)} {unresolved}",
            file=sys.stderr,
        )
        periods = [
            p | {"site_id": mapping[p["site_id"]]} for p in periods if p["site_id"] in mapping
        ]
    else:
        timelines = replay(claim_events(claims, articles), Policy(mode=args.mode))
        intervals, swings = timelines.intervals, timelines.swings
    results = measure(intervals, swings, periods)
    summary = {
        "mode": args.mode,
        "via_cli": bool(args.via_cli),
        "gold_claims": len(claims),
        "periods": dict(results["periods"]),
        "swings": dict(results["swings"]),
        "false_swings": len(results["false"]),
        "wrong": results["wrong"],
        "missed": results["missed"],
        "false": results["false"],
    }
    print(
        f"mode {args.mode}: periods {dict(results['periods'])} · known swings "
        f"{dict(results['swings'])} · false swings {len(results['false'])}"
    )
    if args.verbose:
        for key in ("wrong", "missed", "false"):
            for line in results[key]:
                print(f"  {key}: {line}")
    if args.out:
        args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
