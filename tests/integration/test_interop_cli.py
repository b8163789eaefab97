"""`tadmur export acled|ucdp` and `tadmur import acled` on the embedded log, end to end."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from engine.interop.acled import ACLED_COLUMNS
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
    assert palmyra.select("event_date", "sub_event_type").rows() == [
        ("2015-05-20", "Non-state actor overtakes territory"),
        ("2016-03-27", "Government regains territory"),
        ("2016-12-11", "Non-state actor overtakes territory"),
        ("2017-03-02", "Government regains territory"),
    ]
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
    assert "compare  4 ACLED claims: 1 agree with the articles, 3 do not" in out
    assert "palmyra                2017-03-02  ACLED: government articles: isis" in out
    assert "articles date it 2016-03-27..2016-03-27" in out
    after = verify_log(log_copy)
    assert after.ok and after.head.seq == before.seq + 5  # the document and 4 claims
    again = ok("import", "acled", str(source), "--log", str(log_copy))
    assert "nothing added" in again and verify_log(log_copy).head == after.head
    acled_only = ok("timeline", "--site", "palmyra", "--trust", "acled", "--log", str(log_copy))
    # ACLED's three Palmyra rows alone: March 2016, December 2016, March 2017
    assert [r.split(",")[1] for r in acled_only.splitlines()[1:]] == [
        "government",
        "isis",
        "government",
    ]


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
    """Every believed claim out as ACLED rows, into an empty log, replayed: the same 28
    changes of controller at every site, in order. Sieges and attacks are not territory
    changes in ACLED (they leave as Armed clash and do not come back), and windows keep
    ACLED's precision: one that spans a week or less still holds the original."""
    exported = tmp_path / "claims.csv"
    ok("export", "acled", "--rows", "claims", "--out", str(exported))
    fresh = tmp_path / "fresh" / "events"
    ok("import", "acled", str(exported), "--log", str(fresh))
    assert verify_log(fresh).ok
    columns = ["site_id", "from_controller", "to_controller", "window_start", "window_end"]
    timelines = replay_log().timelines
    original = timelines.swings.sort("site_id", "window_start")
    back = replay_log(log_dir=fresh).timelines.swings.sort("site_id", "window_start")
    assert original.height == 28
    assert back.select(columns[:3]).rows() == original.select(columns[:3]).rows()
    # ACLED keeps a window to a week (or a month): where every claim behind a change had
    # a week or less, the change's window still holds the original one
    days = {
        c["claim_id"]: (c["valid_to"] - c["valid_from"]).days
        for c in timelines.claims.iter_rows(named=True)
    }
    checked = 0
    for before, after in zip(
        original.iter_rows(named=True), back.iter_rows(named=True), strict=True
    ):
        if max(days[i] for i in before["claim_ids"]) <= 6:
            checked += 1
            assert after["window_start"] <= before["window_start"], (before, after)
            assert after["window_end"] >= before["window_end"], (before, after)
    assert checked >= 20
