"""The gazetteer finds places through clitics, duals and typos; common words need a list."""

from engine.extract.normalise import fold_text
from engine.reference.gazetteer import load_gazetteer


def sites(text):
    return [m.site_ids for m in load_gazetteer().find(fold_text(text))]


def test_clitic_prefixes_wa_bi_li_fa_and_the_article():
    assert sites("وبمدينة تدمر") == [("palmyra",)]
    assert sites("للتيفور") == [("t4_airbase",)]
    assert sites("فالقريتين") == [("al_qaryatayn",)]


def test_the_article_glued_to_latin_letters():
    assert sites("مطار الT4") == [("t4_airbase",)]


def test_construct_state_duals_name_their_places():
    assert sites("مطاري التيفور") == [("t4_airbase",)]


def test_the_longest_name_wins():
    assert sites("مطار تدمر العسكري") == [("palmyra_airport",)]


def test_a_typo_at_edit_distance_one_still_matches():
    found = load_gazetteer().find(fold_text("قاعدة التيفوور"))
    assert found[0].site_ids == ("t4_airbase",) and found[0].fuzzy


def test_a_multi_word_name_does_not_span_a_comma():
    text = fold_text("مطار، التيفور")
    assert [text[m.start:m.end] for m in load_gazetteer().find(text)] == ["التيفور"]


def test_generic_names_carry_the_kinds_they_may_stand_for():
    found = load_gazetteer().find(fold_text("المطار"))
    assert set(found[0].generic_kinds) == {"airbase", "airport"}
    assert "deir_ez_zor_airbase" in found[0].site_ids


def test_common_word_names_are_marked_weak():
    found = load_gazetteer().find(fold_text("الصناعة"))
    assert found[0].weak


def test_every_site_id_is_a_slug_and_every_site_has_an_arabic_name():
    gaz = load_gazetteer()
    assert len(gaz.sites) >= 62
    assert all(s.name_ar for s in gaz.sites.values())


def test_a_gold_place_the_gazetteer_lacks_keeps_its_own_id():
    from engine.extract.evaluate import gold_site_id, site_id_of_gold

    # a shared generic word ("checkpoint", "factory", "Tal") does not make two places one
    ids = {gold_site_id(en, ar) for en, ar in [("al-Harsh checkpoint", "الحرش"), ("al-Saqiya checkpoint", "الساقية"),
                                               ("Pickle factory checkpoint", "معمل المخلل"),
                                               ("Tal al-Amarna", "تل العمارنة")]}
    assert len(ids) == 4 and not ids & {"panorama", "raqqa_sugar_factory", "tal_ada"}
    # every word of the gold name in the site's name, or its transliteration for a generic Arabic name
    assert gold_site_id("southern al-Mallah farms", "مزارع الملاح الجنوبية") == "al_mallah_farms"
    assert gold_site_id("Morek", "المدينة") == "murak"
    # a village far from the places of the gold sentence is not the listed one
    assert site_id_of_gold("Mustafa Jumadi", "مصطفى جمادي",
                           "سيطرت القوات على القرى التابعة لمنبج منها مصطفى جمادي والحالولة وجرابلس") != "mustafa"
