"""`tadmur claims import` and `tadmur explain`, run as a user would on a copy of the log."""

from __future__ import annotations

import json
from pathlib import Path

from engine.store import open_log

from .conftest import tadmur

#: a teaching text we compose (not a scraped article): the Russian ministry's claim of
#: 11 December 2016 that the army pushed ISIS out of Palmyra
TEXT = (
    "مثال تعليمي: قالت وزارة الدفاع الروسية إن الجيش السوري طرد مسلحي تنظيم الدولة "
    "من مدينة تدمر ليلة العاشر من كانون الأول."
)
QUOTE = "الجيش السوري طرد مسلحي تنظيم الدولة من مدينة تدمر"


def register(log: Path, tmp_path: Path) -> None:
    article = tmp_path / "lesson.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tadmur(
        "ingest", str(article), "--published", "2016-12-11", "--doc-id", "lesson", "--log", str(log)
    )
    assert out.returncode == 0, out.stderr


def claim(**fields) -> dict:
    return {
        "doc_id": "lesson",
        "site_id": "palmyra",
        "kind": "captured",
        "gainer": "government",
        "loser": "isis",
        "date_from": "2016-12-10",
        "date_to": "2016-12-11",
        "claimant": "russian_mod",
        "denied": False,
        "evidence": QUOTE,
    } | fields


def write_lines(path: Path, rows: list) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows
        ),
        encoding="utf-8",
    )
    return path


def test_an_imported_claim_is_appended_accepted_and_a_rerun_adds_nothing(log_copy, tmp_path):
    register(log_copy, tmp_path)
    claims = write_lines(tmp_path / "claims.jsonl", [claim()])
    out = tadmur("claims", "import", str(claims), "--log", str(log_copy))
    assert out.returncode == 0, out.stderr
    assert "1 of 1 claims read; 2 new events appended" in out.stdout
    again = tadmur("claims", "import", str(claims), "--log", str(log_copy))
    assert "0 new events appended" in again.stdout
    recorded = [e.event for e in open_log(log_copy).events() if e.type == "ClaimRecorded"]
    assert recorded[-1].extractor == "import"
    assert recorded[-1].evidence["start"] == TEXT.index(QUOTE)


def test_a_bad_line_is_refused_with_where_and_why_and_the_good_lines_go_in(log_copy, tmp_path):
    register(log_copy, tmp_path)
    before = open_log(log_copy).head().seq
    claims = write_lines(
        tmp_path / "claims.jsonl",
        [
            claim(),
            claim(evidence="words that are not in the text"),
            claim(claimant="nobody_known"),
            claim(gainer="martians"),
            "not json",
            claim(doc_id="never_registered"),
        ],
    )
    out = tadmur("claims", "import", str(claims), "--log", str(log_copy))
    assert out.returncode == 2
    assert f"{claims}:2" in out.stderr and "not an exact substring" in out.stderr
    assert f"{claims}:3" in out.stderr and "unknown claimant 'nobody_known'" in out.stderr
    assert f"{claims}:4" in out.stderr and "martians" in out.stderr
    assert f"{claims}:5" in out.stderr and "not JSON" in out.stderr
    assert f"{claims}:6" in out.stderr and "not registered" in out.stderr
    assert "1 of 6 claims read; 2 new events appended" in out.stdout
    assert open_log(log_copy).head().seq == before + 2


def test_explain_weighs_the_december_2016_scramble(log_copy, tmp_path):
    register(log_copy, tmp_path)
    tadmur(
        "claims",
        "import",
        str(write_lines(tmp_path / "c.jsonl", [claim()])),
        "--log",
        str(log_copy),
    )
    out = tadmur("explain", "palmyra", "--on", "2016-12-20", "--log", str(log_copy))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("palmyra on 2016-12-20: isis (held)")
    against = out.stdout.split("against (1):")[1]
    assert "russian_mod" in against and "outweighed" in against
    strict = tadmur(
        "explain", "palmyra", "--on", "2016-12-20", "--mode", "strict", "--log", str(log_copy)
    )
    assert "government (contested)" in strict.stdout


def test_explain_refuses_a_site_nobody_speaks_of_and_a_day_before_any_evidence(log_copy):
    out = tadmur("explain", "no_such_place", "--on", "2016-01-01", "--log", str(log_copy))
    assert out.returncode == 2 and "no believed claim speaks of site 'no_such_place'" in out.stderr
    early = tadmur("explain", "palmyra", "--on", "1990-01-01", "--log", str(log_copy))
    assert early.returncode == 0 and "since before the first evidence" in early.stdout


def test_a_mention_is_resolved_by_the_gazetteer_and_an_unknown_one_is_refused(log_copy, tmp_path):
    register(log_copy, tmp_path)
    no_site = {k: v for k, v in claim().items() if k != "site_id"}
    claims = write_lines(
        tmp_path / "claims.jsonl",
        [
            no_site | {"mention": "مدينة تدمر"},
            no_site | {"mention": "قرية لا وجود لها"},
        ],
    )
    out = tadmur("claims", "import", str(claims), "--log", str(log_copy))
    assert f"{claims}:2" in out.stderr and "cannot resolve" in out.stderr
    assert "1 of 2 claims read" in out.stdout
    recorded = [e.event for e in open_log(log_copy).events() if e.type == "ClaimRecorded"]
    assert recorded[-1].site_id == "palmyra"
