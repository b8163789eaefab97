"""Evidence is data, never markup: HTML or script in a quote is shown as text.

The unit check here reads the exported HTML; whether the tooltip renders it as text
belongs with the headless-browser tests (tests/browser/).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pytest

from engine.domain.events import ClaimRecorded, DocumentRegistered
from engine.store.log import EventLog
from tests.fuzz.harness import PROJECT

HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>" onmouseover="alert(3)'
TEXT = f"قالت وكالة أعماق إن التنظيم سيطر على مدينة تدمر {HOSTILE} بعد معارك عنيفة."


@pytest.fixture(scope="module")
def hostile_log(tmp_path_factory):
    root = tmp_path_factory.mktemp("html") / "events"
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "evil.txt").write_text(TEXT, "utf-8")
    doc = DocumentRegistered("evil", "test", "", HOSTILE, "ar", "2016-12-12", "day",
                             hashlib.sha256(TEXT.encode()).hexdigest(), "sources/evil.txt")
    start = TEXT.index("سيطر")
    quote = TEXT[start: TEXT.index("بعد")]
    claim = ClaimRecorded.make(
        doc_id="evil", site_id="palmyra", kind="captured", gainer="isis", loser="government",
        valid_from="2016-12-11", valid_to="2016-12-11", time_precision="day", claimant="amaq",
        denied=False, evidence={"start": start, "end": start + len(quote), "text": quote})
    EventLog(root).append([doc, claim])
    return root


def _chart(root, out) -> str:
    run = subprocess.run([sys.executable, "-m", "engine.cli", "chart", "palmyra", "--out",
                          str(out), "--log", str(root)], check=False, capture_output=True,
                         text=True, cwd=PROJECT, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return out.read_text("utf-8")


def _script_blocks(html: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.DOTALL)


def test_evidence_with_script_tags_stays_inside_the_spec_as_text(hostile_log, tmp_path):
    html = _chart(hostile_log, tmp_path / "palmyra.html")
    assert HOSTILE not in html  # never verbatim: '<' inside the embedded JSON is escaped
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    for block in _script_blocks(html):
        assert "alert(1)" not in block or "\\u003c" in block


def test_evidence_is_in_the_exported_chart(hostile_log, tmp_path):
    """The quote is not dropped to dodge the problem: it is in the chart's data."""
    html = _chart(hostile_log, tmp_path / "palmyra.html")
    assert "alert(1)" in html and "onmouseover" in html
