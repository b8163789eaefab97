"""`tadmur timeline` on the embedded log: Palmyra's four swings, and what the articles alone say."""

from __future__ import annotations

import json

import polars as pl

from engine.cli.core import TIMELINE_COLUMNS
from tests.integration.conftest import tadmur

COLUMNS = ",".join(TIMELINE_COLUMNS)


def timeline(*args: str) -> list[list[str]]:
    done = tadmur("timeline", *args)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == COLUMNS
    return [line.split(",") for line in lines[1:]]


def test_palmyra_shows_who_held_it_first_then_the_four_swings_each_with_supporting_claims():
    rows = timeline("--site", "palmyra")
    assert [(r[1], r[3], r[4]) for r in rows] == [
        ("government", "", ""),  # before the first evidence: the side it shows losing
        ("isis", "2015-05-20", "2015-05-21"),
        ("government", "2016-03-27", "2016-03-27"),
        ("isis", "2016-12-08", "2016-12-11"),
        ("government", "2017-03-02", "2017-03-02"),
    ]
    assert rows[0][9] == "true" and all(r[9] == "false" for r in rows[1:])
    assert all(int(r[7]) >= 1 and r[8] for r in rows[1:])
    assert rows[-1][5:7] == ["", ""]  # still open


def test_without_the_reference_chronology_the_articles_alone_give_three_swings():
    rows = timeline("--site", "palmyra", "--distrust", "reference")
    assert [(r[1], r[3], r[4]) for r in rows] == [
        ("government", "", ""),
        ("isis", "2015-05-20", "2015-05-31"),
        ("government", "2016-03-27", "2016-03-27"),
        ("isis", "2016-12-08", "2016-12-11"),
    ]


def test_knowing_only_what_was_published_by_21_march_2016_palmyra_is_still_isis():
    rows = timeline("--site", "palmyra", "--known-by", "2016-03-21")
    assert [r[1] for r in rows] == ["government", "isis"]


def test_as_of_seq_zero_is_the_empty_log():
    assert timeline("--as-of-seq", "0") == []


def test_the_strict_mode_keeps_the_first_versions_rules():
    rows = timeline("--site", "palmyra", "--mode", "strict")
    assert [(r[1], r[3], r[4]) for r in rows][2] == ("isis", "2016-12-11", "2016-12-11")
    assert len(rows) == 4


def test_jsonl_and_parquet_carry_the_same_rows(tmp_path):
    done = tadmur("timeline", "--site", "palmyra", "--format", "jsonl")
    jsonl = [json.loads(line) for line in done.stdout.splitlines()]
    out = tmp_path / "palmyra.parquet"
    assert tadmur("timeline", "--site", "palmyra", "--format", "parquet", "--out", str(out)).returncode == 0
    parquet = pl.read_parquet(out)
    assert [r["controller"] for r in jsonl] == parquet["controller"].to_list()
    assert parquet.columns == COLUMNS.split(",")


def test_an_unknown_site_id_is_refused_with_a_hint():
    done = tadmur("timeline", "--site", "tadmor")
    assert done.returncode == 2
    assert "unknown site id 'tadmor'" in done.stderr and "Hint:" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_impossible_date_is_refused_by_the_argument_parser():
    done = tadmur("timeline", "--known-by", "2016-02-30")
    assert done.returncode == 2 and "expected a date YYYY-MM-DD, found '2016-02-30'" in done.stderr


def test_parquet_to_stdout_is_refused_with_a_hint():
    done = tadmur("timeline", "--format", "parquet")
    assert done.returncode == 2 and "add --out FILE.parquet" in done.stderr


def test_a_weight_for_an_unknown_claimant_or_out_of_range_is_refused_with_a_hint():
    typo = tadmur("timeline", "--site", "palmyra", "--weight", "amak=0.5")
    assert typo.returncode == 2 and "did you mean amaq" in typo.stderr
    not_a_number = tadmur("timeline", "--site", "palmyra", "--weight", "amaq=half")
    assert not_a_number.returncode == 2 and "expected CLAIMANT=WEIGHT" in not_a_number.stderr
    too_big = tadmur("timeline", "--site", "palmyra", "--weight", "amaq=500")
    assert too_big.returncode == 2 and "from 0 to 100" in too_big.stderr
