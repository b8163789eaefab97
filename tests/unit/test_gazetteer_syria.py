"""The gazetteer of Syria: p-codes, shared names resolved by context, regions, user places."""

import datetime as dt

import pytest

from engine.extract.normalise import fold_text
from engine.extract.pipeline import extract_claims
from engine.reference import load_sites, resolve_site, site_ids
from engine.reference.gazetteer import load_gazetteer
from engine.reference.places import PlacesError, read_user_places
from engine.reference.resolve import PlaceContext


def claims(text):
    out = extract_claims(text, dt.date(2016, 6, 1))
    return [(c["site_id"], c["kind"], c["gainer"]) for c in out.claims], out.unresolved


def test_the_desert_towns_carry_their_ocha_pcodes_and_old_ids_stay():
    sites = {r["site_id"]: r["pcode"] for r in load_sites().select("site_id", "pcode").to_dicts()}
    assert sites["palmyra"] == "C2889"
    assert sites["al_qaryatayn"] == "C2663"
    assert sites["al_sukhnah"] == "C2893"
    for old in ("palmyra_airport", "t4_airbase", "shaer_gas_field", "deir_ez_zor_airbase"):
        assert old in site_ids()
    assert len(site_ids()) > 5300


def test_every_site_has_a_hierarchy_and_coordinates():
    frame = load_sites()
    assert frame["admin1_en"].null_count() == 0
    assert frame["lat"].null_count() == 0
    assert frame["site_id"].n_unique() == frame.height


def test_a_village_name_shared_by_three_places_is_resolved_by_the_governorate_named():
    site, why = resolve_site("صوران", context="تقدمت الفصائل في ريف حماة الشمالي")
    assert site == "suran_hama" and "Hama governorate" in why


def test_a_shared_name_is_resolved_by_the_nearest_place_the_text_names():
    site, why = resolve_site("صوران", context="سيطرت الفصائل على مارع ثم على صوران")
    assert site == "suran_a_zaz" and "km from" in why


def test_unresolvable_ambiguity_is_reported_not_guessed():
    site, why = resolve_site("الطيبة")
    assert site is None and "ambiguous" in why and "tiba_dar_a" in why


def test_a_generic_name_needs_a_place_of_its_kind_named_before_it():
    text = "وصلت القوات إلى مطار كويرس بعد حصار طويل، ثم دخلت المطار"
    site, why = resolve_site("المطار", context=PlaceContext(text=text, at=text.rindex("المطار")))
    assert site == "kuweires_airbase" and "before it" in why
    assert resolve_site("المطار")[0] is None


def test_spelling_variants_and_an_english_name():
    assert resolve_site("مطار ابو الظهور العسكري")[0] == "abu_al_duhur_airbase"
    assert resolve_site("مطار أبو ضهور")[0] == "abu_al_duhur_airbase"
    assert resolve_site("كوبانى")[0] == "kobani"
    assert resolve_site("مطار T4")[0] == "t4_airbase"
    assert resolve_site("غير موجود", name_en="Manbij")[0] == "manbij"


def test_a_region_phrase_is_not_the_city():
    found = load_gazetteer().find(fold_text("سيطر التنظيم على قرى في ريف حمص الشرقي"))
    assert [(m.site_ids, m.region) for m in found] == [(("homs",), True)]
    got, _ = claims("سيطر تنظيم داعش على قرية الفرقلس في ريف حمص الشرقي أمس.")
    assert [c[0] for c in got] == ["al_furqlus"]


def test_a_location_anchor_is_not_an_object():
    got, _ = claims("سيطرت قوات النظام على تلة المحروقات المطلة على مدينة منبج أمس.")
    assert "manbij" not in [c[0] for c in got]


def test_a_list_goes_on_after_la_siyama_and_bima_fi_dhalik():
    got, _ = claims("سيطرت قوات سوريا الديمقراطية على عدة قرى بما في ذلك قباسين، لا سيما تادف أمس.")
    assert {c[0] for c in got} == {"qabasin", "tadaf"}


def test_an_unknown_place_after_a_place_noun_is_reported():
    _, unresolved = claims("سيطرت الفصائل على قرية زمزموطة أمس بعد معارك.")
    assert any("قرية زمزموطة" in u and "not in the gazetteer" in u for u in unresolved)


def test_a_users_places_file_is_checked_row_by_row(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("site_id,name_en,names_ar,kind,lat,lon\nMy Hill,x,تلة,hill,34.5,38.2\n", encoding="utf-8")
    with pytest.raises(PlacesError, match=r"not a lowercase slug.*line 2"):
        read_user_places(path)
    path.write_text("site_id,name_en,names_ar,kind,lat,lon\nmy_hill,x,تلة,hill,38.2,34.5\n", encoding="utf-8")
    with pytest.raises(PlacesError, match="outside Syria"):
        read_user_places(path)


def test_a_users_place_is_found_and_accepted_as_a_site_id(tmp_path, monkeypatch):
    from engine.reference.places import forget_places

    path = tmp_path / "mine.csv"
    path.write_text("site_id,name_en,names_ar,kind,lat,lon\n"
                    "tal_zamzamuta,Tal Zamzamuta,تلة زمزموطة|زمزموطة,hill,35.9,38.9\n", encoding="utf-8")
    monkeypatch.setenv("TADMUR_PLACES", str(path))
    forget_places()
    try:
        assert "tal_zamzamuta" in site_ids()
        got, _ = claims("سيطرت الفصائل على تلة زمزموطة أمس بعد معارك.")
        assert ("tal_zamzamuta", "captured", "opposition") in got
    finally:
        monkeypatch.delenv("TADMUR_PLACES")
        forget_places()
    assert "tal_zamzamuta" not in site_ids()


def test_villages_belonging_to_a_town_do_not_make_the_town_an_object():
    got, _ = claims("سيطرت قوات سوريا الديمقراطية على القرى التابعة لمنبج منها الحالولة أمس.")
    assert [c[0] for c in got] == ["halula"]


def test_a_list_goes_on_after_idafatan_li():
    got, _ = claims("سيطرت الفصائل على قرية قباسين إضافة لـ تادف أمس.")
    assert {c[0] for c in got} == {"qabasin", "tadaf"}


def test_a_city_facility_named_far_from_its_city_is_reported_not_taken():
    got, unresolved = claims("استعادت قوات النظام صوامع الحبوب في مدينة حلب أمس.")
    assert got == []  # Deir ez-Zor's silos are not Aleppo's, and Aleppo itself only locates them
    assert any("صوامع الحبوب" in u and "60 km" in u for u in unresolved)
    got, _ = claims("استعادت قوات النظام صوامع الحبوب في دير الزور أمس.")
    assert [c[0] for c in got] == ["grain_silos"]


def test_a_generic_city_is_the_city_the_article_is_about():
    text = ("دخلت قوات النظام مدينة الميادين من جهة مدينة دير الزور. وتقدمت القوات في الميادين "
            "قرب البوكمال، ثم سيطرت على المدينة بالكامل أمس.")
    site, why = resolve_site("المدينة", context=PlaceContext(text=text, at=text.rindex("المدينة")))
    assert site == "al_mayadin" and "most" in why


def full(text):
    return extract_claims(text, dt.date(2016, 6, 1))


def test_every_claim_says_why_its_site_was_chosen():
    out = full("سيطرت الفصائل أمس على بلدة صوران الواقعة في ريف حماة الشمالي.")
    assert [c["site_id"] for c in out.claims] == ["suran_hama"]
    assert all(c["site_why"] for c in out.claims)
    assert "Hama" in out.claims[0]["site_why"]


def test_an_unknown_place_is_reported_in_a_sentence_without_a_trigger_once_per_form():
    out = full("قصف الطيران قرية برغلوطة أمس. ثم عاد الطيران وقصف قرية برغلوطة مرة أخرى.")
    assert out.claims == []
    assert [u for u in out.unresolved if "برغلوطة" in u] == [out.unresolved[0]]
    assert len(out.unresolved) == 1


def test_the_unknown_items_of_a_list_of_villages_are_reported():
    out = full("سيطرت قوات سوريا الديمقراطية على قرى أم عظام، وبرغلوطة وكفرزيتونة الكبيرة شمال منبج.")
    assert [c["site_id"] for c in out.claims] == ["um_edam"]
    reported = " ".join(out.unresolved)
    assert "برغلوطة" in reported and "كفرزيتونة" in reported and "منبج" not in reported


def test_a_numbered_unit_is_a_place_an_armed_group_is_not():
    out = full("وقصفت الفصائل مقر اللواء 65 أمس، فيما أعلن لواء المعتصم النفير.")
    assert any("اللواء 65" in u for u in out.unresolved)
    assert not any("المعتصم" in u for u in out.unresolved)


def test_a_town_in_the_countryside_of_a_city_is_a_region_phrase():
    got, _ = claims("انسحب التنظيم من قرية كبارة بريف مدينة السفيرة أمس.")
    assert [c[0] for c in got] == ["kabara"]


def test_a_place_after_a_direction_and_a_place_noun_only_locates_the_event():
    got, _ = claims("سيطرت الفصائل على بلدة قباسين شرق مدينة الباب أمس.")
    assert [c[0] for c in got] == ["qabasin"]
    got, _ = claims("سيطرت الفصائل على بلدة خطاب التي تقابل مطار حماة العسكري أمس.")
    assert [c[0] for c in got] == ["khattab"]


def test_a_shared_name_followed_by_its_district_town_is_that_districts_place():
    got, _ = claims("سيطرت الفصائل على بلدتي صوران أعزاز واحتيملات أمس.")
    assert {c[0] for c in got} == {"suran_a_zaz", "ehteimlat"}


def test_a_generic_name_with_another_adjective_is_another_place():
    got, _ = claims("سيطرت قوات النظام على مدينة الميادين ثم سيطرت على المطار المهجور أمس.")
    assert [c[0] for c in got] == ["al_mayadin"]


def test_a_spelling_one_letter_off_is_read_near_the_places_named():
    out = full("سيطرت الفصائل على قرى دابق وتلالين واحتميلات أمس.")
    sites = {c["site_id"]: c["site_why"] for c in out.claims}
    assert set(sites) == {"dabeq", "tlaline", "ehteimlat"}
    assert "one letter off" in sites["ehteimlat"]
    # far from any place the text names, the same spelling is reported, not guessed
    out = full("سيطرت الفصائل على قرى تدمر واحتميلات أمس.")
    assert "ehteimlat" not in {c["site_id"] for c in out.claims}


def test_a_village_without_its_size_word_only_near_the_places_named():
    out = full("سيطرت قوات سوريا الديمقراطية على قريتي جب الكلب وكابر كبير قرب منبج أمس.")
    sites = {c["site_id"]: c["site_why"] for c in out.claims}
    assert "big_jeb_elkalb" in sites and "size or position word" in sites["big_jeb_elkalb"]
    out = full("سيطرت قوات النظام على قريتي جب الكلب وتل مكسور قرب المحطة الحرارية أمس.")
    assert "big_jeb_elkalb" not in {c["site_id"] for c in out.claims}  # that one is 50 km away
    assert any("جب الكلب" in u for u in out.unresolved)


def test_a_faction_named_after_a_town_is_not_the_town_the_article_is_about():
    got, _ = claims("قالت مصادر إن فصائل حوار كلس تقدمت نحو بلدة دابق. وتمكنت الفصائل من السيطرة على البلدة أمس.")
    assert "dabeq" in {c[0] for c in got} and "hiwar_kalas" not in {c[0] for c in got}


def test_numbers_are_not_village_names():
    got, _ = claims("سيطرت قوات سوريا الديمقراطية على أربعة أحياء في مدينة الرقة أمس.")
    assert "big_arbaa" not in {c[0] for c in got}


def test_a_village_whose_ocha_name_carries_its_subdistrict():
    assert resolve_site("كفريا", context="بلدتي الفوعة وكفريا المحاصرتين")[0] == "kafraya_maar_tamsarin"


def test_the_english_qualifier_of_a_gold_name_picks_the_place():
    site, why = resolve_site("صوران", name_en="Suran (Azaz)")
    assert site == "suran_a_zaz" and "English" in why
    assert resolve_site("صوران", name_en="Suran")[0] is None


def test_a_village_far_from_every_other_place_named_is_another_place_of_that_name():
    out = full("سيطرت قوات سوريا الديمقراطية على قرية مصطفى جمادي وقرية الحالولة قرب منبج وجرابلس أمس.")
    sites = {c["site_id"] for c in out.claims}
    assert "mustafa" not in sites and "halula" in sites  # the Mustafa of Qamishli is 260 km away
    # a governorate the text names keeps a village however far the other places are
    got, _ = claims("سيطرت الفصائل على مورك في ريف حماة الشمالي على طريق حلب دمشق أمس.")
    assert "murak" in {c[0] for c in got}


def test_a_compound_name_starting_before_a_village_is_another_place():
    out = full("سيطر جيش الفتح أمس على حواجز الساقية وزليطو وعين السبيل قرب مدينة جسر الشغور.")
    assert {c["site_id"] for c in out.claims} == set()
    assert any("عين السبيل" in u for u in out.unresolved)


def test_a_list_after_a_town_that_only_locates_it_names_the_objects():
    got, _ = claims("سيطرت قوات سوريا الديمقراطية على القرى التابعة لمنبج منها الحالولة وتل عدس أمس.")
    assert "manbij" not in {c[0] for c in got} and "halula" in {c[0] for c in got}


def test_a_dual_pronoun_points_back_to_both_places_of_a_pair():
    got, _ = claims("بلغت قوات سوريا الديمقراطية مدينة الطبقة المهمة وسد الفرات القريب منها، "
                    "وسيطرت عليهما بعد قتال مع تنظيم داعش أمس.")
    assert {c[0] for c in got} == {"tabqa", "euphrates_dam"}
    got, _ = claims("بلغت قوات سوريا الديمقراطية مدينة الطبقة المهمة وسد الفرات القريب منها، "
                    "وسيطرت عليه بعد قتال مع تنظيم داعش أمس.")
    assert {c[0] for c in got} == {"euphrates_dam"}  # a singular pronoun: the last place only


def test_a_list_goes_on_past_a_direction_and_a_bracketed_side():
    got, _ = claims("سيطرت قوات سوريا الديمقراطية على حيي المشلب من الجهة الشرقية والرومانية من الجهة الغربية "
                    "في مدينة الرقة أمس.")
    assert {c[0] for c in got} == {"al_mishlab", "al_romaniya"}
    got, _ = claims("سيطرت قوات سوريا الديمقراطية على أحياء بينها بتاني (شرق) وحطين (غرب) والبريد (شمال غرب) "
                    "في مدينة الرقة أمس.")
    assert {c[0] for c in got} == {"hittin_raqqa", "al_barid_raqqa", "al_battani"}


def test_a_siege_of_a_citys_neighbourhoods_is_a_siege_of_the_city():
    got, _ = claims("تمكنت فصائل المعارضة من فك الحصار عن أحياء حلب الشرقية أمس.")
    assert [(c[0], c[1]) for c in got] == [("aleppo", "siege_broken")]
    got, _ = claims("سيطرت فصائل المعارضة على أحياء حلب الشرقية أمس.")
    assert [(c[0], c[1]) for c in got] == [("aleppo", "partial")]


def test_an_unknown_hill_between_two_known_places_is_reported():
    out = full("سيطر الجيش على القلعة الأثرية وتلة السيرياتيل وجبل الهيال المطل على مدينة تدمر أمس.")
    assert {c["site_id"] for c in out.claims} == {"palmyra_citadel", "jabal_al_hayyal"}
    assert any("تلة السيرياتيل" in u for u in out.unresolved)


def test_a_village_named_far_from_every_other_place_is_another_of_that_name():
    # مصطفى is a village of Qamishli; an article on Manbij and Jarablus means another one
    text = "تقدمت القوات من منبج وجرابلس وسيطرت على قرية مصطفى"
    site, why = resolve_site("قرية مصطفى", context=text)
    assert site is None and "another place of that name" in why
    assert resolve_site("قرية مصطفى")[0] == "mustafa"  # without context: the only one listed
    assert resolve_site("قرية مصطفى", context="سيطرت القوات على قرية مصطفى في ريف الحسكة")[0] == "mustafa"


def test_a_depot_named_after_its_village_is_not_the_village():
    site, why = resolve_site("رحبة خطاب", context="سيطرت الفصائل على بلدة خطاب في ريف حماة")
    assert site is None and "named after" in why


def test_unknown_items_of_a_list_of_checkpoints_go_to_stderr():
    _, unresolved = claims("سيطر مقاتلو المعارضة على حواجز الكمكوم والشربوك قرب مدينة حلفايا.")
    assert any("الكمكوم" in u for u in unresolved) and any("الشربوك" in u for u in unresolved)


def test_a_list_whose_opener_comes_after_the_plural_noun_goes_to_stderr():
    _, unresolved = claims("سيطرت القوات على العديد من القرى التابعة لمنبج منها الدردوك والفلفول.")
    assert any("الدردوك" in u for u in unresolved) and any("الفلفول" in u for u in unresolved)


def test_a_name_in_brackets_after_its_place_noun_goes_to_stderr():
    _, unresolved = claims("سيطر الفصيل على حاجز (البرغوك) شمال مدينة حلفايا.")
    assert any("البرغوك" in u for u in unresolved)


def test_the_silos_of_a_town_are_not_the_town():
    got, unresolved = claims("سيطرت القوات على صوامع جرابلس بعد معارك مع التنظيم.")
    assert got == [] and any("صوامع جرابلس" in u and "named after" in u for u in unresolved)


def test_the_curated_silos_of_manbij_are_a_place_of_their_own():
    got, _ = claims("سيطرت القوات على صوامع منبج بعد معارك مع التنظيم.")
    assert [c[0] for c in got] == ["manbij_grain_silos"]
    rows = {r["site_id"]: r for r in load_sites().to_dicts()}
    for site_id in ("manbij_grain_silos", "mills_roundabout_manbij", "al_sarb_manbij"):
        row = rows[site_id]
        # inside the city by its source: the city's point, marked approximate, with the source
        assert row["source_url"].startswith("http") and row["coord_quality"] == "approximate"
        assert (row["lat"], row["lon"]) == (rows["manbij"]["lat"], rows["manbij"]["lon"])
        assert row["parent_id"] == "manbij" and "not known offline" in row["location_note"]


def test_a_sound_pair_written_the_other_way_is_read_near_the_places_named():
    # the gazetteer writes خربة ماصي (ص); reporters also write it with س and the article
    out = full("تقدمت القوات أمس وسيطرت على خربة الماسي وقرية فرس كبير قرب منبج.")
    sites = {c["site_id"]: c["site_why"] for c in out.claims}
    assert "kherbet_massi" in sites and "another spelling" in sites["kherbet_massi"]
    out = full("تقدمت القوات أمس وسيطرت على خربة الماسي قرب مدينة تدمر.")
    assert "kherbet_massi" not in {c["site_id"] for c in out.claims}  # 300 km away: no guess


def test_the_last_word_of_a_longer_name_one_letter_off():
    out = full("سيطرت فصائل المعارضة على قرية تل العمارنة جنوب مدينة جرابلس مساء أمس.")
    sites = {c["site_id"]: c["site_why"] for c in out.claims}
    assert "tal_elamara" in sites and "another spelling" in sites["tal_elamara"]
    out = full("سيطرت فصائل المعارضة على قرية تل العمارنة قرب مدينة درعا مساء أمس.")
    assert "tal_elamara" not in {c["site_id"] for c in out.claims}


def test_a_word_initial_h_not_written():
    out = full("سيطرت قوات سوريا الديمقراطية على قرية الهوشرية شمال مدينة منبج أمس.")
    assert [c["site_id"] for c in out.claims] == ["oshrieh"]


def test_a_town_one_letter_off_is_read_farther_than_a_village():
    # الغندورة is a sub-district seat 28 km from Jarablus: beyond a village's 25 km
    out = full("سيطرت الفصائل على منطقة غندور غرب مدينة جرابلس أمس.")
    assert [c["site_id"] for c in out.claims] == ["ghandorah"]


def test_the_clearly_nearest_of_several_readings():
    # الحمير: حيمر (two letters swapped, 3 km from بير تحتاني) or الحميرة (a letter added, 20 km)
    out = full("سيطرت الفصائل على قرى بير تحتاني والحلوانية والحمير أمس.")
    got = {c["site_id"] for c in out.claims}
    assert "himar" in got and "hmeireh_ashkaji" not in got


def test_a_common_word_is_never_the_reading_of_another_spelling():
    from engine.reference.resolve import Evidence, near_spelling

    gaz = load_gazetteer()
    # "الريان" is one letter from "السريان", a district of Aleppo and an ordinary word
    reading = near_spelling(gaz, fold_text("الريان"), Evidence(sites=["aleppo"]))
    assert reading is None or reading[0] != "al_suryan"


def test_a_village_named_near_a_town_is_also_found_without_near():
    site, _ = resolve_site("أم عدسة", context="قرب مدينة منبج")
    assert site == "um_adase_near_manbaj"


def test_a_facility_of_one_city_is_not_taken_in_another_governorate():
    got, unresolved = claims("سيطرت الفصائل على حاجز معمل السكر في ريف إدلب.")
    assert got == [] and any("معمل السكر" in u for u in unresolved)
    assert claims("سيطرت قوات سوريا الديمقراطية على معمل السكر غرب مدينة الرقة.")[0][0][0] == "raqqa_sugar_factory"


def test_a_compound_name_and_a_camp_the_gazetteer_lacks_go_to_stderr():
    _, unresolved = claims("سيطرت الفصائل على قرية كفر زنبق غرب مدينة أريحا.")
    assert any("قرية كفر زنبق" in u and "not in the gazetteer" in u for u in unresolved)
    _, unresolved = claims("سيطرت الفصائل على معسكر البرغوك قرب أريحا.")
    assert any("معسكر البرغوك" in u for u in unresolved)
    _, unresolved = claims("سيطرت الفصائل على قرية كفر كبيرة.")
    assert unresolved == []  # "كفر" then a description: no name


def test_a_municipal_stadium_is_the_one_of_the_city_the_text_names():
    assert resolve_site("الملعب البلدي", context="تقدمت القوات في مدينة الرقة نحو الملعب البلدي")[0] == \
        "raqqa_municipal_stadium"
    assert resolve_site("الملعب البلدي", context="تقدمت القوات في مدينة حمص نحو الملعب البلدي")[0] is None


def test_the_town_a_text_calls_a_town_is_what_a_later_bare_town_means():
    # the gazetteer lists مورك as a town-sized community, not a city; the text calls it one
    text = ("دخلت قوات النظام مدينة مورك الواقعة على طريق حلب دمشق. "
            "وانسحبت الفصائل من المدينة مساء أمس.")
    at = text.index("المدينة")
    site, why = resolve_site("المدينة", context=PlaceContext(text=text, at=at))
    assert site == "murak", why


def test_a_word_refused_as_a_name_does_not_come_back_as_a_typo():
    # "ميادين" (squares) is not الميادين; nor is it "one letter off" it
    found = load_gazetteer().find(fold_text("تجول المقاتلون في شوارع وميادين المدينة بعد سقوطها"))
    assert all("al_mayadin" not in m.site_ids for m in found if not m.generic_kinds)


def test_a_village_named_with_a_common_word_needs_a_place_close_by():
    # "الإسكان" (housing) is also the village اسكان, 34 km from Aleppo: an area of the city here
    got, _ = claims("سيطرت قوات النظام على منطقة الإسكان وحي الشيخ سعيد جنوبي مدينة حلب.")
    assert {c[0] for c in got} == {"al_sheikh_saeed"}
    # beside a town 9 km away it is the village
    got, _ = claims("سيطرت الفصائل على الإسكان ودارة عزة أمس.")
    assert "eskan" in {c[0] for c in got}


def test_a_hill_written_for_the_village_named_after_its_mound():
    # the gazetteer has the village "تل العمارة"; "تلة العمارة" near Jarablus is that village,
    # not the village "العمارة" of Qamishli the finder reads in it
    out = full("سيطرت الفصائل على تلة العمارة جنوب مدينة جرابلس أمس.")
    assert [c["site_id"] for c in out.claims] == ["tal_elamara"]
    out = full("سيطرت الفصائل على تلة العمارة قرب مدينة درعا أمس.")
    assert out.claims == [] and any("تلة العمارة" in u for u in out.unresolved)


def test_a_common_word_in_a_list_of_checkpoints_goes_to_stderr():
    # "الإسكان" is a common word and a village 120 km away: here a checkpoint the gazetteer lacks
    _, unresolved = claims("سيطرت الفصائل على حواجز السمان، والإسكان، والخزان شمال مدينة حماة.")
    assert any("الإسكان" in u for u in unresolved)
