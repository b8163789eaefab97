"""Fuzz the extractor: any text gives claims whose quotes are exact substrings, or a clear
TadmurError; the CLI never prints a traceback on bad files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.domain.errors import TadmurError
from engine.extract.pipeline import extract_claims
from engine.reference import site_ids
from tests.fuzz.harness import COMMITTED_LOG, PROJECT, env_int, record_figures

EXAMPLES = env_int("TADMUR_FUZZ_EXAMPLES", 300)
COUNT = {"texts": 0, "claims_checked": 0}
SEED_TEXT = (COMMITTED_LOG / "sources" / "001_7330fd54346dc119.txt").read_text("utf-8")

FRAGMENTS = [
    "سيطر", "تنظيم الدولة", "داعش", "قوات النظام", "الجيش السوري", "على", "مدينة", "تدمر",
    "مطار تدمر", "القريتين", "استعاد", "انسحب", "من", "أمس", "الخميس الماضي", "أواخر أيار",
    "بحسب", "وكالة أعماق", "نفت", "لم", "من أجل", "شمال شرق", "مطار التيفور", "حصار",
    "فك الحصار", "11 كانون الأول 2016", "2015/5/20", ".", "،", "\n", " ", "\u200f", "\u0640",
    "وب", "ال", "<b>", "</script>", "\x00", "\ud800", "🙂", "ـــ",
]

@pytest.fixture(scope="module", autouse=True)
def _record_counts():
    """After the module: add what ran to the figures (a crash fails the test instead)."""
    yield
    if COUNT["texts"]:
        record_figures("fuzz_extractor", {**COUNT, "command": "pytest tests/fuzz"}, merge=True)


texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=80).map(" ".join),
    st.text(max_size=400),
    st.integers(0, len(SEED_TEXT)).flatmap(
        lambda i: st.text(max_size=40).map(lambda junk: SEED_TEXT[:i] + junk + SEED_TEXT[i:])),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, published=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
def test_extract_gives_exact_quotes_or_a_clear_error(text, published):
    COUNT["texts"] += 1
    try:
        result = extract_claims(text, published, "fuzz")
    except TadmurError as exc:
        assert "Hint:" in str(exc)
        return
    for claim in result.claims:
        COUNT["claims_checked"] += 1
        assert text[claim["evidence_start"]:claim["evidence_end"]] == claim["evidence"]
        assert text[claim["mention_start"]:claim["mention_end"]] == claim["mention"]
        assert claim["site_id"] in site_ids()
        assert claim["date_from"] <= claim["date_to"]


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe\xfa not utf-8", "not UTF-8"),
    (b"text\x00with a NUL", "binary"),
    (b"", None),
    (("سيطر التنظيم على تدمر " * 4_000).encode(), None),  # one unpunctuated 170 KB line
    (("سيطر التنظيم على تدمر. " * 40_000).encode(), None),  # 1.7 MB, just under the limit
    (b"x" * 2_000_001, "larger than"),
    (("{" * 50_000).encode(), None),
])
def test_cli_extract_on_bad_files_exits_cleanly(tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    run = subprocess.run([sys.executable, "-m", "engine.cli", "extract", str(path),
                          "--published", "2016-12-12"], check=False, capture_output=True, text=True,
                         cwd=PROJECT, timeout=600)
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    if message:
        assert run.returncode == 2 and message in run.stderr
    else:
        assert run.returncode == 0
