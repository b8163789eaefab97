"""`tadmur extract / eval / ingest / review` run as a user would, on copies of the seeds."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli.extract import CLAIM_FIELDS

# the seeds with their gold claims live in the design folder beside the repository
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not available")


def tadmur(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", *map(str, args)],
                          check=False, capture_output=True, text=True, timeout=120)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def metadata(seeds: Path) -> list[dict]:
    with (seeds / "metadata.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_extract_prints_one_exact_claim_per_line_for_every_seed(seeds):
    total = 0
    for row in metadata(seeds):
        path = seeds / row["file"]
        out = tadmur("extract", path, "--published", row["published"], "--doc-id", row["doc_id"])
        assert out.returncode == 0, out.stderr
        text = path.read_text(encoding="utf-8")
        for line in out.stdout.splitlines():
            claim = json.loads(line)
            assert tuple(claim) == CLAIM_FIELDS
            assert claim["doc_id"] == row["doc_id"]
            assert text[claim["mention_start"]:claim["mention_end"]] == claim["mention"]
            assert text[claim["evidence_start"]:claim["evidence_end"]] == claim["evidence"]
            total += 1
    assert total >= 30


def test_a_contradicting_weekday_is_reported_on_stderr(seeds):
    out = tadmur("extract", seeds / "003_4609ec8d4135fa32.txt", "--published", "2017-05-04")
    assert "contradicts 2017-05-05" in out.stderr


def test_an_unknown_place_that_is_an_object_goes_to_stderr(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("وسيطرت فصائل المعارضة على قرية الفلانية بعد اشتباكات عنيفة مع قوات النظام في ريف حمص.\n",
                       encoding="utf-8")
    out = tadmur("extract", article, "--published", "2016-05-01")
    assert out.returncode == 0 and out.stdout == ""
    # the note quotes the article as written (الفلانية), not the folded matching form (الفلانيه)
    assert "unresolved place" in out.stderr and "قرية الفلانية" in out.stderr


def test_eval_reports_precision_and_recall_per_field(seeds):
    out = tadmur("eval", SEEDS / "gold.jsonl", "--articles", seeds, "--json")
    assert out.returncode == 0, out.stderr
    scores = json.loads(out.stdout)
    assert set(scores) >= {"overall", "site", "kind", "gainer", "window", "claimant"}
    assert scores["overall"]["precision"] >= 0.85 and scores["overall"]["recall"] >= 0.75


def test_eval_accepts_a_jsonl_of_articles(seeds, tmp_path):
    jsonl = tmp_path / "articles.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for row in metadata(seeds):
            text = (seeds / row["file"]).read_text(encoding="utf-8")
            fh.write(json.dumps({"doc_id": row["doc_id"], "published": row["published"], "text": text}) + "\n")
    out = tadmur("eval", SEEDS / "gold.jsonl", "--articles", jsonl)
    assert out.returncode == 0 and "overall" in out.stdout


@pytest.mark.parametrize("content, code, message", [
    (b"", 0, "empty"),
    (b"hello world, no arabic here", 0, "no Arabic"),
    (b"\x00\x01\x02binary\xff", 2, "binary"),
    (b"\xff\xfe\xfa not utf8", 2, "not UTF-8"),
    ("<html><head></head><body><div><p>سيطر التنظيم على تدمر</p></div></body></html>".encode(), 2, "HTML"),
])
def test_bad_articles_get_a_clear_message_not_a_traceback(tmp_path, content, code, message):
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    out = tadmur("extract", article, "--published", "2016-12-12")
    assert out.returncode == code
    assert message in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""


def test_a_ten_megabyte_article_is_refused_with_a_hint(tmp_path):
    article = tmp_path / "huge.txt"
    article.write_text("سيطر التنظيم على تدمر. " * 450_000, encoding="utf-8")
    out = tadmur("extract", article, "--published", "2016-12-12")
    assert out.returncode == 2 and "MB" in out.stderr and "Hint" in out.stderr


@pytest.mark.parametrize("date", ["2016-02-30", "12/12/2016", "2099-01-01"])
def test_an_impossible_publication_date_is_refused(seeds, date):
    out = tadmur("extract", seeds / "000_0960f390a84c1c5e.txt", "--published", date)
    assert out.returncode == 2 and "publication date" in out.stderr and "Traceback" not in out.stderr


def test_a_missing_publication_date_is_a_usage_error(seeds):
    out = tadmur("extract", seeds / "000_0960f390a84c1c5e.txt")
    assert out.returncode == 2 and "--published" in out.stderr


def test_ingest_is_idempotent_and_review_works_without_a_terminal(seeds, tmp_path):
    log = tmp_path / "events"
    article = seeds / "004_40f3d804fea89556.txt"
    first = tadmur("ingest", article, "--published", "2016-03-21", "--doc-id", "seed004", "--log", log,
                   "--new-log")
    assert first.returncode == 0, first.stderr
    lines_after_first = (log / "log.jsonl").read_text(encoding="utf-8").count("\n")
    again = tadmur("ingest", article, "--published", "2016-03-21", "--doc-id", "seed004", "--log", log)
    assert again.returncode == 0 and "0 new events" in again.stdout
    assert (log / "log.jsonl").read_text(encoding="utf-8").count("\n") == lines_after_first

    pending = tadmur("review", "--log", log).stdout.split("\n")
    ids = [line.split()[0] for line in pending if line.strip()]
    assert len(ids) >= 5
    verdicts = tadmur("review", "--log", log, "--accept", ids[0], "--reject", ids[1])
    assert verdicts.returncode == 0, verdicts.stderr
    fixed = tadmur("review", "--log", log, "--correct", ids[2], "--set", "gainer=unknown", "--note", "unclear")
    assert fixed.returncode == 0, fixed.stderr
    left = [line for line in tadmur("review", "--log", log).stdout.split("\n") if line.strip()]
    assert len(left) == len(ids) - 3
    assert tadmur("verify", "--log", log).returncode == 0


def test_review_refuses_an_unknown_claim_id(log_copy):
    out = tadmur("review", "--log", log_copy, "--accept", "c0000000000000000")
    assert out.returncode == 2 and "no claim" in out.stderr


def test_eval_reports_kinds_claimants_negatives_and_undated_documents(tmp_path):
    # composed sentences: one claim, one negative document, one document without a date
    articles = [
        {"doc_id": "a", "published": "2016-12-12", "outlet": "example.org",
         "text": "وقال المرصد السوري لحقوق الإنسان إن قوات النظام سيطرت أمس على مدينة تدمر بعد معارك عنيفة."},
        {"doc_id": "neg", "published": "2016-12-12", "outlet": "example.org",
         "text": "ويسيطر التنظيم على مدينة تدمر منذ أشهر عدة وسط قصف متواصل على أطرافها الشرقية والشمالية."},
        {"doc_id": "undated", "published": None, "outlet": "example.org",
         "text": "وتحاصر قوات النظام مطار التيفور في الثالث من آذار 2016 بحسب مصادر محلية في المنطقة."},
    ]
    gold = [{"doc_id": "a", "site": "Palmyra", "site_ar": "مدينة تدمر", "kind": "recaptured", "actor": "SAA",
             "counter_actor": "ISIS", "date_from": "2016-12-11", "date_to": "2016-12-11", "claimed_by": "SOHR",
             "evidence": "سيطرت أمس على مدينة تدمر", "negated_or_denied": False},
            {"doc_id": "undated", "site": "T4 airbase", "site_ar": "مطار التيفور", "kind": "besieged",
             "actor": "SAA", "counter_actor": "ISIS", "date_from": "2016-03-03", "date_to": "2016-03-03",
             "claimed_by": "local sources", "evidence": "وتحاصر قوات النظام مطار التيفور",
             "negated_or_denied": False}]
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in articles),
                                             encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold),
                                         encoding="utf-8")
    out = tadmur("eval", tmp_path / "gold.jsonl", "--articles", tmp_path / "articles.jsonl", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["overall"]["matched"] == 2 and report["overall"]["predicted"] == 2
    assert set(report["kinds"]) == {"control", "siege"}
    assert report["claimant_on_matched"] == {"right": 2, "matched": 2, "accuracy": 1.0}
    assert report["negative_claims"] == {} and report["undated"] == ["undated"]
    text = tadmur("eval", tmp_path / "gold.jsonl", "--articles", tmp_path / "articles.jsonl")
    assert "negatives" in text.stdout and "without a publication date" in text.stdout


def test_extract_marks_a_window_guessed_from_the_publication_date(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("سيطرت قوات النظام على مدينة تدمر بعد معارك عنيفة مع تنظيم داعش استمرت أياما.\n",
                       encoding="utf-8")
    out = tadmur("extract", article, "--published", "2016-12-12")
    claim = json.loads(out.stdout.splitlines()[0])
    assert claim["time_precision"] == "fallback" and (claim["date_from"], claim["date_to"]) == (
        "2016-12-05", "2016-12-12")
