"""Paths: doc ids or file names with ../, absolute paths, NUL bytes or symlinks that leave
events/ are refused, and nothing is written outside it."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from engine.domain.errors import TadmurError
from engine.domain.events import DocumentRegistered
from engine.store.log import EventLog
from engine.store.sources import register_document
from engine.store.verify import verify_log
from tests.fuzz.harness import PROJECT, copy_log

TEXT = "سيطر تنظيم الدولة على مدينة تدمر".encode()


@pytest.fixture
def root(tmp_path):
    return copy_log(tmp_path / "events")


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT)
    return path


@pytest.mark.parametrize("doc_id", ["../evil", "/etc/passwd", "a/b", "evil\x00", "..", "a.txt",
                                    "Evil", "", "seed\n"])
def test_a_doc_id_that_is_not_a_slug_is_refused(root, article, doc_id):
    with pytest.raises(TadmurError, match="doc_id must be a lowercase slug"):
        register_document(root, article, doc_id=doc_id, published="2016-12-12")
    assert sorted(p.name for p in (root / "sources").iterdir()) == sorted(
        p.name for p in (PROJECT / "events" / "sources").iterdir())


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/hostname", "sources/../../x.txt",
                                  "sources/a\x00.txt", "", "sources/.."])
def test_a_registered_path_that_leaves_events_is_refused(root, path):
    doc = DocumentRegistered("d1", "o", "", "t", "ar", "2016-12-12", "day",
                             hashlib.sha256(TEXT).hexdigest(), path)
    before = (root / "log.jsonl").read_bytes()
    with pytest.raises(TadmurError) as err:
        EventLog(root).append([doc])
    assert "path" in str(err.value) and "Hint:" in str(err.value)
    assert (root / "log.jsonl").read_bytes() == before


def test_a_source_symlinked_out_of_events_is_refused_on_append(root, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(TEXT)
    (root / "sources" / "link.txt").symlink_to(outside)
    doc = DocumentRegistered("d1", "o", "", "t", "ar", "2016-12-12", "day",
                             hashlib.sha256(TEXT).hexdigest(), "sources/link.txt")
    with pytest.raises(TadmurError, match="points outside"):
        EventLog(root).append([doc])
    assert verify_log(root).ok


def test_registering_never_writes_through_a_symlink_out_of_events(root, article, tmp_path):
    """Bug pinned: a (dangling) symlink at sources/<doc_id>.txt made register_document copy
    the article to wherever the link pointed, outside events/."""
    target = tmp_path / "elsewhere" / "planted.txt"
    target.parent.mkdir()
    (root / "sources" / "d1.txt").symlink_to(target)
    with pytest.raises(TadmurError, match="symlink"):
        register_document(root, article, doc_id="d1", published="2016-12-12")
    assert not target.exists()


def test_a_sources_folder_symlinked_out_of_events_is_refused(tmp_path, article):
    root = tmp_path / "events"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / "sources").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(TadmurError, match="outside"):
        register_document(root, article, doc_id="d1", published="2016-12-12")
    assert not any((tmp_path / "elsewhere").iterdir())


@pytest.mark.parametrize("doc_id", ["../evil", "/tmp/evil", "evil\x01"])
def test_cli_ingest_refuses_a_bad_doc_id_cleanly(root, article, doc_id):
    before = (root / "log.jsonl").read_bytes()
    run = subprocess.run([sys.executable, "-m", "engine.cli", "ingest", str(article),
                          "--published", "2016-12-12", "--doc-id", doc_id, "--log", str(root)],
                         check=False, capture_output=True, text=True, cwd=PROJECT, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "doc_id must be a lowercase slug" in run.stderr
    assert (root / "log.jsonl").read_bytes() == before
