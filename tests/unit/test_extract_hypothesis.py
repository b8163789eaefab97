"""The extractor never crashes on random text, and every span it returns is exact."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.domain.vocabulary import ACTORS, CLAIM_KINDS
from engine.extract.pipeline import extract_claims

# Words that make the rules fire, mixed with noise, so the property reaches deep code.
VOCAB = [
    "سيطر", "سيطرة", "تنظيم", "داعش", "قوات", "النظام", "على", "من", "مدينة", "تدمر", "التي", "انسحب",
    "منها", "إلى", "مطار", "التيفور", "والمهر", "حقل", "بحسب", "وكالة", "أعماق", "أمس", "الخميس",
    "الفائت", "آذار", "مارس", "2016", "أجبر", "الانسحاب", "حصار", "المطار", "لم", "نفى", "من قبل",
    "شمال", "شرق", "تلك", "المواقع", "ليدخلها", "استعادة", "للمدينة", "،", ".", "\n", "ـ", "َ", "«",
    "ﻻ", "١٣٧", "اللواء", "دير الزور", "وأفاد", "ناشطون", "أن", "مساء", "الأحد", "5", "ايار- مايو",
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(VOCAB), st.text(max_size=3)), max_size=120).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(texts, st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2025, 12, 31)))
def test_random_text_never_crashes_and_spans_are_exact(text, published):
    result = extract_claims(text, published, "doc")
    for c in result.claims:
        assert text[c["mention_start"]:c["mention_end"]] == c["mention"]
        assert text[c["evidence_start"]:c["evidence_end"]] == c["evidence"]
        assert c["evidence_start"] < c["evidence_end"]
        assert c["kind"] in CLAIM_KINDS and c["gainer"] in ACTORS
        assert c["loser"] is None or c["loser"] in ACTORS
        assert c["date_from"] <= c["date_to"] <= published.isoformat()
        assert 0.0 <= c["confidence"] <= 1.0
