"""Clumsy input never silently changes an answer or leaves debris (issue 15.6, 15.7,
15.9, 15.10, 15.12, 15.13) and ``tadmur ingest --articles`` keeps its contract."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading

import pytest

import engine.store.sources as sources
from engine.cli import main
from engine.store.log import EventLog
from engine.store.verify import verify_log
from tests.fuzz.harness import COMMITTED_LOG, PROJECT

ARTICLE = COMMITTED_LOG / "sources" / "001_7330fd54346dc119.txt"


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", [["timeline"], ["log"], ["review"],
                                     ["chart", "palmyra", "--out", "x.html"], ["repair"]])
def test_readers_refuse_a_folder_without_a_log(tmp_path, capsys, command):
    """Bug pinned: a mistyped --log gave empty answers (captioned "log seq 0"), exit 0."""
    code, out, err = _run(capsys, *command, "--log", str(tmp_path / "typo"))
    assert code == 2 and "no log at" in err and "--log" in err and "$TADMUR_LOG" in err
    assert not (tmp_path / "typo").exists()


def test_ingest_never_starts_a_new_log_unasked(tmp_path, capsys):
    code, _, err = _run(capsys, "ingest", str(ARTICLE), "--published", "2016-12-12",
                        "--log", str(tmp_path / "typo"))
    assert code == 2 and "no log at" in err and "--new-log" in err
    assert not (tmp_path / "typo" / "log.jsonl").exists()
    code, out, _ = _run(capsys, "ingest", str(ARTICLE), "--published", "2016-12-12",
                        "--log", str(tmp_path / "new"), "--new-log", "--no-extract")
    assert code == 0 and "1 new events (log seq 1)" in out
    assert verify_log(tmp_path / "new").ok


def test_the_same_article_under_two_names_is_refused_naming_the_first(log_copy, tmp_path, capsys):
    twin = tmp_path / "copy-of-001.txt"
    shutil.copyfile(ARTICLE, twin)
    head = EventLog(log_copy).head()
    code, _, err = _run(capsys, "ingest", str(twin), "--published", "2016-12-12",
                        "--log", str(log_copy))
    assert code == 2 and "already registered as document 'seed001' (log seq 2)" in err
    assert EventLog(log_copy).head() == head
    assert not (log_copy / "sources" / "copy-of-001.txt").exists()  # no debris


def test_a_text_without_arabic_is_refused_before_anything_is_written(log_copy, tmp_path, capsys):
    """Bug pinned: `ingest good.txt bad.txt` appended one, exited 2, and an empty or
    non-Arabic file was registered forever."""
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    shutil.copyfile(COMMITTED_LOG / "sources" / "002_06caed34417dd74e.txt", good)
    bad.write_text("no Arabic here at all\n", encoding="utf-8")
    before = (log_copy / "log.jsonl").read_bytes()
    code, _, err = _run(capsys, "ingest", str(good), str(bad), "--published", "2016-12-12",
                        "--log", str(log_copy))
    assert code == 2 and "contains no Arabic" in err and "nothing was written" in err
    assert (log_copy / "log.jsonl").read_bytes() == before
    assert not (log_copy / "sources" / "good.txt").exists()


def test_a_failing_second_article_says_exactly_what_was_appended(log_copy, tmp_path, capsys,
                                                                 monkeypatch):
    texts = []
    for name in ("a.txt", "b.txt"):
        texts.append(tmp_path / name)
        texts[-1].write_text(f"سيطر الجيش على تدمر {name}\n", encoding="utf-8")
    real = EventLog.append
    calls = []

    def second_fails(self, events):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, events)

    monkeypatch.setattr(EventLog, "append", second_fails)
    head = EventLog(log_copy).head().seq
    code, out, err = _run(capsys, "ingest", str(texts[0]), str(texts[1]), "--published",
                          "2016-12-12", "--log", str(log_copy))
    monkeypatch.undo()
    assert code == 2 and "No space left on device while ingesting b" in err
    assert f"appended before the failure: a: 0 candidate claims; 1 new events (log seq {head + 1})" in err, err
    assert "free disk space" in err
    assert EventLog(log_copy).head().seq == head + 1
    assert not (log_copy / "sources" / "b.txt").exists()  # the failed one left no file


def test_a_partial_source_file_is_replaced_by_the_retry(log_copy, tmp_path, capsys, monkeypatch):
    """Bug pinned: a full disk mid-copy left half a text in sources/, and every retry was
    refused ("already holds another text... choose another --doc-id")."""
    article = tmp_path / "fresh.txt"
    article.write_text("سيطر الجيش على تدمر في الصباح\n", encoding="utf-8")
    (log_copy / "sources" / "fresh.txt").write_bytes(article.read_bytes()[:7])  # the debris
    real_replace = sources.os.replace

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sources.os, "replace", disk_full)
    code, _, err = _run(capsys, "ingest", str(article), "--published", "2016-12-12",
                        "--log", str(log_copy))
    assert code == 2 and "could not write the source text" in err
    assert str(log_copy / "sources" / "fresh.txt") in err and "free disk space" in err
    assert "()" not in err
    monkeypatch.setattr(sources.os, "replace", real_replace)
    assert not [p for p in (log_copy / "sources").iterdir() if p.name.startswith(".")]
    code, out, err = _run(capsys, "ingest", str(article), "--published", "2016-12-12",
                          "--log", str(log_copy))
    assert code == 0, err
    assert (log_copy / "sources" / "fresh.txt").read_bytes() == article.read_bytes()
    assert verify_log(log_copy).ok


def test_ingest_articles_registers_each_once_and_reports_bad_dates(log_copy, tmp_path, capsys):
    lines = [
        {"doc_id": "j1", "text": "سيطر الجيش السوري على مدينة تدمر بعد معارك عنيفة",
         "published": "2016-03-27", "outlet": "sana"},
        {"doc_id": "j2", "text": "انسحب تنظيم الدولة من تدمر", "published": "27/03/2016"},
        {"doc_id": "j3", "text": "انسحب تنظيم الدولة من تدمر صباح اليوم"},
        {"doc_id": "j4", "text": "خبر آخر عن تدمر", "published": "2016-03-28", "url": "u"},
    ]
    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines)
                        + "not json\n", encoding="utf-8")
    head = EventLog(log_copy).head().seq
    code, out, err = _run(capsys, "ingest", "--articles", str(articles), "--log",
                          str(log_copy), "--no-extract")
    assert code == 0, err
    assert "j2 (line 2): publication date must be a real date" in err
    assert "j3 (line 3): published is missing" in err and "line 5: not a JSON object" in err
    assert "j1: 0 candidate claims; 1 new events" in out and "j4:" in out
    assert EventLog(log_copy).head().seq == head + 2
    code, out, err = _run(capsys, "ingest", "--articles", str(articles), "--log", str(log_copy),
                          "--no-extract")
    assert code == 0 and "already in the log" in out and EventLog(log_copy).head().seq == head + 2
    assert "0 new event(s), 3 skipped" in err
    # with extraction, accepted: the claims go in with an accepting review each
    seed = (COMMITTED_LOG / "sources" / "003_4609ec8d4135fa32.txt").read_text(encoding="utf-8")
    articles.write_text(json.dumps({"doc_id": "j5", "text": seed + "\nنهاية", "published":
                                    "2016-12-12"}, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "ingest", "--articles", str(articles), "--log", str(log_copy),
                          "--accept-all")
    assert code == 0 and verify_log(log_copy).ok
    added = [e.event for e in EventLog(log_copy).events()[head + 2:]]
    recorded = [e for e in added if e.TYPE == "ClaimRecorded"]
    reviews = [e for e in added if e.TYPE == "ClaimReviewed"]
    assert recorded and len(reviews) == len(recorded)
    assert all(r.verdict == "accepted" for r in reviews)


def test_messages_name_the_place_and_never_crash(log_copy, tmp_path, capsys):
    head = EventLog(log_copy).head()
    assert _run(capsys, "verify", "--log", str(log_copy), "--expect-head", "0:abc")[0] == 2
    code, _, err = _run(capsys, "verify", "--log", str(log_copy), "--expect-head",
                        f"{head.seq}:{'z' * 64}")
    assert code == 2 and "64 hex digits" in err and "rewritten" not in err
    code, _, err = _run(capsys, "synth", "--claims", "10", "--sites", "-3", "--log",
                        str(tmp_path / "s"))
    assert code == 2 and "--sites" in err
    (tmp_path / "lockdir").mkdir()
    shutil.copyfile(log_copy / "log.jsonl", tmp_path / "lockdir" / "log.jsonl")
    (tmp_path / "lockdir" / "log.lock").mkdir()
    code, _, err = _run(capsys, "timeline", "--log", str(tmp_path / "lockdir"))
    assert code == 2 and "log.lock" in err and "is a folder" in err


def test_two_synth_runs_on_one_new_folder_leave_one_valid_log(tmp_path):
    """Bug pinned: the emptiness check ran before the lock; both runs wrote."""
    runs = []

    def synth():
        runs.append(subprocess.run([sys.executable, "-m", "engine.cli", "synth", "--claims",
                                    "3000", "--sites", "5", "--log", str(tmp_path / "s")],
                                   capture_output=True, text=True, cwd=PROJECT, timeout=300))

    threads = [threading.Thread(target=synth) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.returncode for r in runs) == [0, 2], [r.stderr for r in runs]
    assert "already holds events" in next(r.stderr for r in runs if r.returncode)
    assert verify_log(tmp_path / "s").ok
