"""Folding Arabic for matching keeps an exact map back to the raw text."""

from hypothesis import given
from hypothesis import strategies as st

from engine.extract.normalise import fold, fold_text


def test_folding_unifies_alef_hamza_ya_and_ta_marbuta():
    assert fold_text("أإآٱ ى ة") == "اااا ي ه"


def test_folding_keeps_ala_intact_unlike_pyarabic():
    assert fold_text("على") == "علي"


def test_folding_strips_diacritics_tatweel_and_quotes():
    assert fold_text('تَدْمُر ســيطر "سادكوب"') == "تدمر سيطر سادكوب"


def test_arabic_indic_digits_become_ascii():
    assert fold_text("اللواء ١٣٧ و۱۳۷") == "اللواء 137 و137"


def test_presentation_forms_are_folded_by_nfkc():
    assert fold_text("ﻻ") == "لا"


def test_runs_of_spaces_collapse_and_a_newline_wins():
    assert fold_text("تدمر   \n  حمص") == "تدمر\nحمص"


def test_a_folded_span_maps_back_to_the_raw_word_with_its_diacritics():
    raw = "سيطرَ التنظيمُ على مدينةِ تدمرَ"
    f = fold(raw)
    start = f.text.index("مدينه تدمر")
    a, b = f.raw_span(start, start + len("مدينه تدمر"))
    assert raw[a:b] == "مدينةِ تدمرَ"


@given(st.text())
def test_every_folded_character_points_into_the_raw_text(raw):
    f = fold(raw)
    assert len(f.origin) == len(f.text) + 1
    assert all(0 <= i < len(raw) for i in f.origin[:-1])
    assert list(f.origin[:-1]) == sorted(f.origin[:-1])


def test_a_page_without_punctuation_is_cut_into_bounded_sentences():
    from engine.extract.clean import MAX_SENTENCE, sentences

    text = "سيطر التنظيم على مدينة تدمر بعد معارك عنيفة " * 400
    spans = sentences(text, [(0, len(text))])
    assert len(spans) > 1 and all(b - a <= MAX_SENTENCE for a, b in spans)
    assert "".join(text[a:b] for a, b in spans).split() == text.split()  # nothing lost
