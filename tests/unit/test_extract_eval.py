"""Scoring against gold: the seeds' annotation vocabulary maps onto ours."""

from engine.extract.evaluate import gold_site_id, normalise_gold, score


def claim(**kw):
    base = {"doc_id": "d", "site_id": "palmyra", "kind": "captured", "gainer": "isis",
            "loser": "government", "date_from": "2016-12-08", "date_to": "2016-12-11",
            "claimant": "outlet", "denied": False}
    return {**base, **kw}


def test_gold_recaptured_by_saa_is_a_capture_by_the_government():
    g = normalise_gold({"doc_id": "d", "site": "Palmyra", "site_ar": "مدينة تدمر", "kind": "recaptured",
                        "actor": "SAA", "counter_actor": "ISIS", "date_from": "2016-03-27",
                        "date_to": "2016-03-27", "claimed_by": "outlet"})
    assert (g["site_id"], g["kind"], g["gainer"], g["loser"], g["claimant"]) == (
        "palmyra", "captured", "government", "isis", "outlet")


def test_gold_sites_resolve_by_slug_arabic_name_or_english_words():
    assert gold_site_id("Deir ez-Zor airbase", "المطار") == "deir_ez_zor_airbase"
    assert gold_site_id("Thaniyat Hayt", "وثنية حيط") == "thaniyat_hit"
    assert gold_site_id("al-Mahr oil field", "حقل المهر النفطي") == "al_mahr_field"


def test_a_final_ta_marbuta_transliterated_or_not_is_one_name_only_when_the_arabic_agrees():
    from engine.extract.evaluate import _same_arabic, _same_english

    # "-a" / "-ah" and "ou" / "o" spell one Arabic ending and vowel
    assert _same_english("Ghandoura", "Ghandorah", loose=False, same_arabic=True)
    assert _same_english("Qabasin", "Qabaseen", loose=False)
    # without the Arabic agreeing, the scorer stays strict
    assert not _same_english("Ghandoura", "Ghandorah", loose=False)
    assert not _same_english("Ghandoura", "Ghandorin", loose=False, same_arabic=True)
    assert _same_arabic("غندور", "الغندورة") and _same_arabic("الغندوره", "غندورة")
    assert not _same_arabic("غندور", "غندورين") and not _same_arabic("غند", "الغندورة")
    # the gold spelling without its ة finds the site only through both names
    assert gold_site_id("Ghandoura", "غندور") == "ghandorah"
    assert gold_site_id("Ghandoura", "غندوري") == "ghandoura"


def test_overall_needs_the_same_gainer_and_overlapping_windows():
    s = score([claim(gainer="government")], [claim()])
    assert s["overall"].matched == 0 and s["site"].matched == 1
    s = score([claim(date_from="2016-03-01", date_to="2016-03-31")], [claim()])
    assert s["overall"].matched == 0 and s["window"].matched == 0


def test_withdrew_and_captured_are_one_kind_class_overall():
    s = score([claim(kind="withdrew")], [claim()])
    assert s["overall"].matched == 1 and s["kind"].matched == 0


def test_matching_is_one_to_one():
    s = score([claim()], [claim(), claim()])
    assert (s["overall"].precision, s["overall"].recall) == (1.0, 0.5)


def test_lenient_ignores_the_gainer_and_the_window_but_not_the_kind_class():
    s = score([claim(gainer="government", date_from="2016-03-01", date_to="2016-03-31")], [claim()])
    assert s["overall"].matched == 0 and s["lenient"].matched == 1
    assert score([claim(kind="besieged")], [claim()])["lenient"].matched == 0


def test_kind_scores_give_recall_per_kind_class():
    from engine.extract.evaluate import kind_scores

    gold = [claim(), claim(site_id="t4_airbase", kind="entered_partial"), claim(site_id="x", kind="besieged")]
    s = kind_scores([claim(), claim(site_id="t4_airbase", kind="partial")], gold)
    assert (s["control"].recall, s["partial"].recall, s["siege"].recall) == (1.0, 1.0, 0.0)


def test_a_gold_claimant_in_free_text_accepts_every_voice_it_names():
    g = normalise_gold({"doc_id": "d", "site": "Palmyra", "site_ar": "تدمر", "kind": "captured",
                        "actor": "SAA", "counter_actor": "ISIS", "date_from": "2016-12-08",
                        "date_to": "2016-12-11", "claimed_by": "Syrian army (SANA)"})
    from engine.extract.evaluate import claimant_accuracy

    assert claimant_accuracy([claim(gainer="government", loser="isis", claimant="sana")], [g]) == (1, 1)
    assert claimant_accuracy([claim(gainer="government", loser="isis", claimant="sohr")], [g]) == (0, 1)


def test_a_gold_siege_that_was_broken_is_read_as_the_break():
    g = normalise_gold({"doc_id": "d", "site": "T4 airbase", "site_ar": "مطار التيفور", "kind": "besieged",
                        "actor": "ISIS", "counter_actor": "SAA", "date_from": "2015-01-01",
                        "date_to": "2016-03-01", "claimed_by": "outlet",
                        "evidence": "تمكنت قوات النظام من فك الحصار عن مطار التيفور"})
    assert (g["kind"], g["gainer"], g["loser"]) == ("siege_broken", "government", "isis")


def test_the_report_counts_claims_from_negative_documents():
    from engine.extract.evaluate import report

    r = report([claim(doc_id="neg")], [claim()], negatives=["neg"], undated=["u"])
    assert r.negative_claims == {"neg": 1} and r.undated == ["u"]
    assert "negatives" in r.text() and r.as_dict()["negative_claims"] == {"neg": 1}


def test_a_gold_siege_with_an_attempt_to_break_it_stays_a_siege():
    from engine.extract.evaluate import normalise_gold

    row = {"doc_id": "d", "site": "Palmyra", "site_ar": "تدمر", "actor": "SAA", "counter_actor": "ISIS",
           "date_from": "2016-01-01", "date_to": "2016-01-01", "claimed_by": "outlet", "kind": "besieged"}
    assert normalise_gold({**row, "evidence": "في محاولة منه لكسر الحصار عن المدينة"})["kind"] == "besieged"
    assert normalise_gold({**row, "evidence": "فكت الحصار عن المدينة"})["kind"] == "siege_broken"


def test_an_undated_article_that_names_no_year_is_refused_not_dated_today():
    from engine.cli.extract import extract_all
    from engine.extract.articles import Article
    from engine.extract.evaluate import report

    # composed: the same event once with a year in the text, once with none
    with_year = Article("y", None, "وفي عام 2016 سيطرت قوات النظام يوم الأحد على مدينة تدمر بعد معارك عنيفة.")
    no_year = Article("n", None, "سيطرت قوات النظام يوم الأحد على مدينة تدمر بعد معارك عنيفة مع التنظيم.")
    refused: list[str] = []
    predicted, undated = extract_all([with_year, no_year], refused)
    assert undated == ["y", "n"] and refused == ["n"]
    assert {p["doc_id"] for p in predicted} == {"y"}
    assert all(p["date_to"] <= "2016-12-31" for p in predicted)
    r = report(predicted, [], undated=undated, refused=refused)
    assert r.as_dict()["refused"] == ["n"] and "name no year" in r.text()
