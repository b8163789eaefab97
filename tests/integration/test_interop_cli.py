"""`tadmur export acled|ucdp` and `tadmur import acled` on the embedded log, end to end."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from engine.domain import Policy
from engine.interop.acled import ACLED_COLUMNS
from engine.interop.dates import acled_date
from engine.interop.ucdp import UCDP_COLUMNS, read_ucdp
from engine.project import replay_log
from engine.store.verify import verify_log
from tests.integration.conftest import tadmur
from tests.unit.test_interop import ACLED_FILE


def ok(*args: str) -> str:
    done = tadmur(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_export_acled_swings_gives_palmyras_four_changes_in_acleds_terms(tmp_path: Path):
    out = tmp_path / "acled.csv"
    assert "swings as ACLED rows" in ok("export", "acled", "--out", str(out))
    table = pl.read_csv(out, infer_schema=False)
    assert tuple(table.columns) == ACLED_COLUMNS
    palmyra = table.filter(pl.col("location") == "Palmyra")
    assert palmyra["sub_event_type"].to_list() == [
        "Non-state actor overtakes territory",
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Government regains territory",
    ]
    # each row's day and precision is ACLED's reading of the replay's window for that change
    swings = replay_log().timelines.swings.filter(pl.col("site_id") == "palmyra")
    expected = [
        acled_date(s["window_start"], s["window_end"])
        for s in swings.sort("window_start").iter_rows(named=True)
    ]
    assert [(d.isoformat(), str(p)) for d, p in expected] == palmyra.select(
        "event_date", "time_precision"
    ).rows()
    assert palmyra["event_date"].to_list()[-1] == "2017-03-02"
    assert palmyra["admin1"].unique().to_list() == ["Homs"]
    assert all('"' in n and "Evidence" in n for n in palmyra["notes"].to_list())
    # the policy options apply: without the reference chronology, March 2017 is not there
    ok("export", "acled", "--distrust", "reference", "--out", str(out))
    articles = pl.read_csv(out, infer_schema=False).filter(pl.col("location") == "Palmyra")
    assert "2017-03-02" not in articles["event_date"].to_list()


def test_export_ucdp_claims_keeps_every_window_exactly(tmp_path: Path):
    out = tmp_path / "ged.csv"
    ok("export", "ucdp", "--rows", "claims", "--out", str(out))
    assert tuple(pl.read_csv(out, infer_schema=False).columns) == UCDP_COLUMNS
    back = read_ucdp(out)
    claims = replay_log().timelines.claims
    assert back.height == claims.height
    assert sorted(back.select("site_id", "date_start", "date_end").rows()) == sorted(
        claims.select("site_id", "valid_from", "valid_to").rows()
    )


def test_import_acled_adds_claims_once_and_shows_where_the_articles_disagree(
    log_copy: Path, tmp_path: Path
):
    source = tmp_path / "acled.csv"
    source.write_text(ACLED_FILE, encoding="utf-8")
    before = verify_log(log_copy).head
    out = ok("import", "acled", str(source), "--log", str(log_copy))
    assert "4 territory-change claims" in out and "1 rows skipped (not a territory change" in out
    found = re.search(r"compare  4 ACLED claims: (\d) agree with the articles, (\d) do not", out)
    assert found, out
    listed = [line for line in out.splitlines() if "ACLED: " in line]
    assert int(found[2]) == len(listed) and int(found[1]) + len(listed) == 4
    # December 2016 agrees; March 2016 is dated a few days apart; March 2017 is ACLED's alone
    assert not any("2016-12-11" in line for line in listed)
    assert "palmyra                2017-03-02  ACLED: government articles: isis" in out
    assert "articles date it 2016-03-27..2016-03-27" in out
    after = verify_log(log_copy)
    assert after.ok and after.head.seq == before.seq + 5  # the document and 4 claims
    again = ok("import", "acled", str(source), "--log", str(log_copy))
    assert "nothing added" in again and verify_log(log_copy).head == after.head
    acled_only = replay_log(Policy(trust=frozenset({"acled"})), log_copy).timelines.swings
    # ACLED's three Palmyra rows alone: March 2016, December 2016, March 2017
    assert acled_only.filter(pl.col("site_id") == "palmyra").sort("window_start")[
        "to_controller"
    ].to_list() == ["government", "isis", "government"]


def test_import_refuses_a_file_that_is_not_acled_and_leaves_the_log_as_it_was(
    log_copy: Path, tmp_path: Path
):
    source = tmp_path / "other.csv"
    source.write_text("date,place\n2016-01-01,Palmyra\n", encoding="utf-8")
    before = (log_copy / "log.jsonl").read_bytes()
    done = tadmur("import", "acled", str(source), "--log", str(log_copy))
    assert done.returncode == 2
    assert "missing ACLED column(s)" in done.stderr and "Hint:" in done.stderr
    assert (log_copy / "log.jsonl").read_bytes() == before


def test_acled_round_trip_through_a_new_log_rebuilds_the_same_changes(tmp_path: Path):
    """Every believed claim out as ACLED rows, into an empty log, replayed.

    ACLED keeps a date to the day, the week or the month, and has no siege type (sieges and
    attacks leave as Armed clash and do not come back). So: at every site whose claims span
    a week or less, the same changes of controller in the same order; and every change whose
    claims span a week or less comes back dated within its original window (each claim's
    window holds the original: tests/unit/test_interop.py). Wider windows become whole
    months, where two claims can tie: the notes keep the exact window.
    """
    exported = tmp_path / "claims.csv"
    ok("export", "acled", "--rows", "claims", "--out", str(exported))
    fresh = tmp_path / "fresh" / "events"
    ok("import", "acled", str(exported), "--log", str(fresh))
    assert verify_log(fresh).ok
    timelines = replay_log().timelines
    back = replay_log(log_dir=fresh).timelines.swings
    days = {
        c["claim_id"]: (c["valid_to"] - c["valid_from"]).days
        for c in timelines.claims.iter_rows(named=True)
    }
    wide_sites = {
        c["site_id"] for c in timelines.claims.iter_rows(named=True) if days[c["claim_id"]] > 6
    }

    def changes(swings: pl.DataFrame, site: str) -> list[tuple[str, str]]:
        rows = swings.filter(pl.col("site_id") == site).sort("window_start")
        return rows.select("from_controller", "to_controller").rows()

    narrow_sites = sorted(set(timelines.swings["site_id"]) - wide_sites)
    assert len(narrow_sites) >= 10
    for site in narrow_sites:
        assert changes(back, site) == changes(timelines.swings, site), site
    checked = 0
    for before in timelines.swings.iter_rows(named=True):
        if max(days[i] for i in before["claim_ids"]) > 6:
            continue
        checked += 1
        same = back.filter(
            (pl.col("site_id") == before["site_id"])
            & (pl.col("to_controller") == before["to_controller"])
            & (pl.col("window_start") <= before["window_end"])
            & (pl.col("window_end") >= before["window_start"])
        )
        assert same.height == 1, before
    assert checked >= 15
