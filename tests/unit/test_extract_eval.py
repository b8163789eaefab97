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
