"""Issue 15, item 12 (the rest): wrongly typed eval input, a pipe or a folder given as an
article, and a missing log in `tadmur demo` each get one clear message, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .conftest import tadmur

GOLD = {"doc_id": "d1", "site": "Palmyra", "site_ar": "تدمر", "kind": "captured",
        "actor": "ISIS", "counter_actor": "SAA", "date_from": "2016-01-01",
        "date_to": "2016-01-01", "claimed_by": "outlet", "evidence": "تدمر",
        "negated_or_denied": False}


def lines(path: Path, *rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_eval_refuses_a_gold_line_that_is_not_an_object(tmp_path):
    articles = lines(tmp_path / "a.jsonl", {"doc_id": "d1", "text": "تدمر", "published": "2016-01-02"})
    out = tadmur("eval", str(lines(tmp_path / "g.jsonl", [1, 2])), "--articles", str(articles))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "a gold line is a JSON object, found list" in out.stderr and "line 1" in out.stderr


def test_eval_refuses_an_article_whose_fields_are_not_strings(tmp_path):
    gold = lines(tmp_path / "g.jsonl", GOLD)
    for bad in ({"doc_id": "d1", "text": 7, "published": "2016-01-02"},
                {"doc_id": "d1", "text": "تدمر", "published": 20160102}):
        out = tadmur("eval", str(gold), "--articles", str(lines(tmp_path / "a.jsonl", bad)))
        assert out.returncode == 2 and "Traceback" not in out.stderr
        assert "must be a string, found int" in out.stderr and "a.jsonl, line 1" in out.stderr


def test_extract_names_a_folder_and_a_pipe_for_what_they_are(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    out = tadmur("extract", str(folder), "--published", "2016-01-01")
    assert out.returncode == 2 and "is a folder, not an article file" in out.stderr
    out = tadmur("extract", str(pipe), "--published", "2016-01-01")
    assert out.returncode == 2 and "not a regular file" in out.stderr


def test_demo_on_a_missing_log_gives_one_hint(tmp_path):
    out = tadmur("demo", "--log", str(tmp_path / "nowhere"), "--skip-notebooks",
                 "--out", str(tmp_path / "build"))
    assert out.returncode == 2
    assert out.stderr.lower().count("hint") == 1 and "--log" in out.stderr
