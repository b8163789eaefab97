"""Rules of the genre found on the development corpus (issue 14), each written as a sentence
composed for the test; none is copied from an article."""

import datetime as dt

from engine.extract.dates import find_dates
from engine.extract.normalise import fold_text
from engine.extract.pipeline import extract_claims

PUBLISHED = dt.date(2016, 12, 12)  # a Monday


def claims(text: str, published: dt.date = PUBLISHED) -> list[dict]:
    return extract_claims(text, published).claims


def by_site(text: str, published: dt.date = PUBLISHED) -> dict[str, dict]:
    return {c["site_id"]: c for c in claims(text, published)}


def window(phrase: str, published: dt.date = PUBLISHED) -> tuple[str, str]:
    found = find_dates(fold_text(phrase), published)
    assert found, phrase
    return found[0].date_from.isoformat(), found[0].date_to.isoformat()


# dates
def test_each_object_of_a_list_keeps_the_date_written_after_it() -> None:
    found = by_site(
        "وكانت فصائل المعارضة قد سيطرت على مدينة تدمر في 3 آذار، ومدينة القريتين في 5 نيسان."
    )
    assert (found["palmyra"]["date_from"], found["al_qaryatayn"]["date_from"]) == (
        "2016-03-03",
        "2016-04-05",
    )


def test_one_date_after_a_list_dates_every_object() -> None:
    found = by_site("سيطرت فصائل المعارضة على مدينتي تدمر والقريتين في 5 نيسان بعد معارك عنيفة.")
    assert {c["date_from"] for c in found.values()} == {"2016-04-05"}


def test_as_many_dates_as_objects_pair_in_order() -> None:
    found = by_site("وطردت الفصائل قوات النظام من مدينتي تدمر والقريتين، في 3 آذار و5 نيسان.")
    assert (found["palmyra"]["date_from"], found["al_qaryatayn"]["date_from"]) == (
        "2016-03-03",
        "2016-04-05",
    )


def test_days_after_an_event_date_the_event_named_next() -> None:
    assert window("بعد يومين من دخول القوات") == ("2016-12-09", "2016-12-11")
    assert window("بعد عشرة أيام على سيطرتها") == ("2016-11-29", "2016-12-05")
    found = claims("وجاء الهجوم بعد ثلاثة أيام من سيطرة قوات النظام على مدينة تدمر.")
    assert [(c["site_id"], c["date_from"], c["date_to"]) for c in found] == [
        ("palmyra", "2016-12-08", "2016-12-10")
    ]


def test_a_month_after_a_named_date_stays_one_date() -> None:
    found = find_dates(fold_text("بعد شهر من 27 آذار"), PUBLISHED)
    assert len(found) == 1 and found[0].date_from.isoformat() == "2016-04-20"


def test_the_first_day_of_a_battle_is_not_today() -> None:
    assert not [
        d
        for d in find_dates(fold_text("في اليوم الأول من المعركة"), PUBLISHED)
        if d.date_from == PUBLISHED
    ]
    assert window("اليوم الاثنين") == ("2016-12-12", "2016-12-12")


# kinds
def test_the_western_part_of_a_town_is_partial_control() -> None:
    found = claims("سيطرت قوات النظام أمس على الشطر الغربي من مدينة تدمر بعد معارك مع التنظيم.")
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("palmyra", "partial", "government")
    ]


def test_parts_after_a_first_object_make_only_the_second_partial() -> None:
    found = by_site(
        "وأعادت وحدات الجيش أمس الأمن والاستقرار إلى مدينة القريتين وأجزاء من مدينة تدمر."
    )
    assert (found["al_qaryatayn"]["kind"], found["palmyra"]["kind"]) == ("captured", "partial")


# agents
def test_the_fighters_right_after_a_siege_verb_are_the_besieged() -> None:
    found = claims(
        "أعلن الجيش السوري أن وحداته تقدمت من الجهة الغربية وطوقت مسلحي داعش في مدينة تدمر."
    )
    sieges = [(c["site_id"], c["gainer"], c["loser"]) for c in found if c["kind"] == "besieged"]
    assert sieges == [("palmyra", "government", "isis")]


def test_a_possessive_belongs_to_the_subject_that_agrees_with_it() -> None:
    found = claims(
        "وذكر القائد أن فصائل المعارضة حطمت تحصينات قوات النظام في الشرق، "
        "وأن سيطرتها على مدينة تدمر تعد إنجازا كبيرا."
    )
    assert [(c["site_id"], c["gainer"]) for c in found] == [("palmyra", "opposition")]


def test_sdf_spelled_with_waw() -> None:
    found = claims("واقتحمت قوات سوريا الديموقراطية مدينة تدمر في 24 نيسان.")
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("palmyra", "partial", "sdf")
    ]


# claimants
def test_a_speaker_named_by_name_and_title_is_the_claimant() -> None:
    found = claims(
        'وأوضح "أبو محمد" المسؤول الإعلامي في حركة أحرار الشام، أن مقاتلي الحركة سيطروا '
        "على مدينة تدمر بعد ظهر اليوم."
    )
    assert [(c["site_id"], c["claimant"]) for c in found] == [("palmyra", "opposition_factions")]


def test_he_added_carries_the_speakers_side_into_our_fighters() -> None:
    found = claims(
        "وقال قائد ميداني من حركة أحرار الشام إن الهجوم انطلق مع ساعات الصباح الأولى. "
        'وأضاف: "سيطر مقاتلونا على مدينة تدمر بعد انهيار دفاعات النظام".'
    )
    assert [(c["site_id"], c["gainer"], c["claimant"]) for c in found] == [
        ("palmyra", "opposition", "opposition_factions")
    ]


def test_a_repeat_that_names_the_source_replaces_the_outlets_headline() -> None:
    found = claims(
        "التنظيم يسيطر على مدينة تدمر\nوقالت وكالة أعماق إن مقاتلي التنظيم سيطروا على مدينة تدمر أمس."
    )
    assert [(c["site_id"], c["claimant"]) for c in found] == [("palmyra", "amaq")]


def test_attribution_after_a_state_belongs_to_the_event_before_it() -> None:
    found = claims(
        "استعاد الجيش يوم الخميس مدينة تدمر بعد خضوعها لسيطرة التنظيم قرابة عشرة أشهر "
        "بحسب ما نقل المرصد."
    )
    assert [(c["site_id"], c["gainer"], c["claimant"]) for c in found] == [
        ("palmyra", "government", "sohr")
    ]


# page text
def test_a_hard_wrapped_sentence_is_read_as_one() -> None:
    text = (
        "معارك عنيفة في البادية\nسيطر الجيش السوري\nوحلفاؤه على مدينة تدمر بعد معارك عنيفة مع التنظيم\n"
        "الذي كان قد سيطر على المدينة في أيار من العام الماضي."
    )
    found = {(c["site_id"], c["gainer"], c["date_from"][:7]) for c in claims(text)}
    assert ("palmyra", "government", "2016-12") in found and ("palmyra", "isis", "2015-05") in found


def test_a_read_also_line_does_not_swallow_the_paragraph_after_it() -> None:
    text = (
        "اقرأ أيضا: التنظيم يهاجم مواقع النظام\nوتحاصر قوات النظام مدينة تدمر من ثلاث جهات "
        "منذ أسبوع بحسب ناشطين محليين في المنطقة."
    )
    assert [(c["site_id"], c["kind"]) for c in claims(text)] == [("palmyra", "besieged")]


def test_days_after_without_a_number() -> None:
    assert window("بعد أيام من سيطرتها") == ("2016-12-05", "2016-12-10")


def test_since_after_a_past_capture_dates_the_capture_and_not_a_state() -> None:
    found = claims(
        "سيطرت قوات النظام أمس على مطار التيفور بعد معارك مع مسلحي داعش الذين سيطروا "
        "على مدينة تدمر منذ شهر أيار عام 2015."
    )
    assert ("palmyra", "isis", "2015-05-01", "2015-05-31") in {
        (c["site_id"], c["gainer"], c["date_from"], c["date_to"]) for c in found
    }
    state = claims("ويسيطر التنظيم على مدينة تدمر منذ أيار 2015 وسط غارات متواصلة.")
    assert state == []


# sieges
def test_an_attempt_to_break_a_siege_says_the_siege_stands() -> None:
    found = claims(
        "وهاجم مسلحو التنظيم مواقع قوات النظام في محاولة منهم لكسر الحصار عن مدينة تدمر."
    )
    assert [(c["site_id"], c["kind"], c["gainer"], c["loser"]) for c in found] == [
        ("palmyra", "besieged", "government", "isis")
    ]


def test_since_the_siege_was_broken_is_some_time_before() -> None:
    found = claims("وقتل العشرات من عناصر التنظيم منذ فك الحصار عن مطار التيفور.")
    assert [(c["site_id"], c["kind"], c["date_from"]) for c in found] == [
        ("t4_airbase", "siege_broken", "2015-12-13")
    ]


def test_between_is_not_a_verb_of_saying() -> None:
    found = claims(
        "ودارت مواجهات ضارية بين مسلحي التنظيم وقوات سوريا الديمقراطية، تمكنت بعدها "
        "قوات سوريا الديمقراطية من السيطرة على مدينة تدمر."
    )
    assert [(c["site_id"], c["gainer"], c["claimant"]) for c in found] == [
        ("palmyra", "sdf", "outlet")
    ]


def test_hasbama_and_the_director_of_a_source_attribute() -> None:
    found = claims(
        "تمكنت قوات النظام الخميس من دخول مدينة تدمر، حسبما أفاد المرصد السوري لحقوق الإنسان."
    )
    assert [c["claimant"] for c in found] == ["sohr"]
    found = claims(
        'ونقلت وكالة رويترز مساء السبت عن مدير المرصد السوري قوله إن "التنظيم سيطر على مدينة تدمر".'
    )
    assert [c["claimant"] for c in found] == ["sohr"]


def test_a_quoted_repeat_names_the_claimant_and_the_first_line_keeps_its_date() -> None:
    found = claims(
        'سيطر الجيش السوري أمس على كامل مدينة تدمر. وقال مصدر عسكري "سيطر الجيش السوري على '
        'كامل مدينة تدمر".'
    )
    assert [(c["site_id"], c["date_from"], c["claimant"]) for c in found] == [
        ("palmyra", "2016-12-11", "syrian_military")
    ]


def test_storming_then_taking_the_town_is_one_capture() -> None:
    found = claims(
        "اقتحمت قوات النظام مدينة تدمر فجر اليوم وسيطرت عليها بعد ساعات من المعارك مع التنظيم."
    )
    assert [(c["site_id"], c["kind"]) for c in found] == [("palmyra", "captured")]
    found = claims("اقتحمت قوات النظام مدينة تدمر في 3 آذار، ثم سيطرت على مدينة تدمر في 27 آذار.")
    assert sorted(c["kind"] for c in found) == ["captured", "partial"]


def test_a_glued_lam_before_a_verb_is_purpose() -> None:
    assert claims("وبدأت قوات النظام حملة واسعة قبل شهرين لطرد التنظيم من مدينة تدمر.") == []


# not events
def test_continued_control_is_not_a_change() -> None:
    assert claims("وتواصل قوات النظام سيطرتها على مدينة تدمر منذ آذار الماضي.") == []
    assert claims("وأكد المرصد استمرار سيطرة التنظيم على مدينة تدمر رغم الغارات.") == []
    assert claims("وحافظت قوات النظام على سيطرتها على مدينة تدمر رغم الهجوم.") == []


def test_fire_control_after_a_possessive_is_not_a_capture() -> None:
    assert claims("وأحكمت قوات النظام سيطرتها النارية على مطار التيفور بعد معارك عنيفة.") == []


def test_the_breaker_may_stand_between_verb_and_siege() -> None:
    found = claims("وكسرت قوات النظام الحصار عن مطار التيفور بعد معارك مع التنظيم.")
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("t4_airbase", "siege_broken", "government")
    ]


def test_a_present_tense_headline_reports_the_news() -> None:
    found = claims(
        "قوات النظام تسيطر على مدينة تدمر وتطرد التنظيم منها بعد معارك عنيفة.\n"
        "وقالت مصادر ميدانية إن المعارك استمرت ثلاثة أيام."
    )
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("palmyra", "captured", "government")
    ]
    assert claims("التنظيم يسيطر على مدينة تدمر منذ أيار 2015 رغم الغارات الجوية المتواصلة.") == []


def test_an_attribution_after_the_last_event_covers_the_sentence() -> None:
    found = claims(
        "سيطرت قوات النظام على مدينة تدمر، واستعادت مطار التيفور من التنظيم، بحسب ما نقل المرصد."
    )
    assert {(c["site_id"], c["claimant"]) for c in found} == {
        ("palmyra", "sohr"),
        ("t4_airbase", "sohr"),
    }


def test_a_bearing_from_a_named_town_is_not_the_town() -> None:
    found = claims("سيطرت قوات النظام أمس على تلة استراتيجية شمال مدينة تدمر بعد معارك مع التنظيم.")
    assert [c["site_id"] for c in found if c["site_id"] == "palmyra"] == []


def test_leaders_and_families_leaving_is_no_withdrawal() -> None:
    assert (
        claims("وأفادت مصادر محلية عن انسحاب قادة التنظيم وعائلاتهم من مدينة تدمر باتجاه الرقة.")
        == []
    )


def test_a_side_that_acts_in_between_takes_the_event_from_the_speaker() -> None:
    found = claims(
        "وكان الجيش السوري أعلن استعادة مدينة تدمر بالكامل قبل أيام، إلا أن التنظيم المتشدد "
        "شن هجوما معاكسا واستعاد السيطرة عليها.",
        dt.date(2016, 12, 12),
    )
    assert {(c["site_id"], c["gainer"]) for c in found} == {
        ("palmyra", "government"),
        ("palmyra", "isis"),
    }


def test_a_lam_of_result_before_a_present_verb_reports_the_event() -> None:
    found = claims(
        "وتابعت قوات النظام تقدمها يوم الأمس لتبسط سيطرتها على مدينة تدمر بعد معارك عنيفة."
    )
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("palmyra", "captured", "government")
    ]


def test_a_quotation_still_open_keeps_its_speaker() -> None:
    found = claims(
        "وقال المتحدث باسم حركة أحرار الشام: «بدأت المعركة فجر اليوم بعد تمهيد مدفعي كثيف. "
        "وسيطر مقاتلو الحركة على مدينة تدمر بعد ساعات من المعارك». وسيطرت قوات النظام على مطار التيفور "
        "بعد معارك مع التنظيم."
    )
    assert {(c["site_id"], c["claimant"]) for c in found} == {
        ("palmyra", "opposition_factions"),
        ("t4_airbase", "outlet"),
    }


def test_a_share_of_the_place_named_before_is_partial() -> None:
    found = claims(
        "ومع تواصل المعارك في مدينة تدمر التي بات التنظيم يسيطر على ثلث مساحتها، قتل العشرات."
    )
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("palmyra", "partial", "isis")
    ]


def test_a_share_that_became_held_is_partial() -> None:
    found = claims(
        "وقال قائد ميداني إن أكثر من 50 بالمئة من مدينة تدمر أصبحت الآن تحت سيطرة قوات المعارضة."
    )
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("palmyra", "partial", "opposition")
    ]


def test_current_month_with_a_qualifier() -> None:
    assert window("مطلع الشهر الجاري") == ("2016-12-01", "2016-12-10")
    assert window("أواخر الشهر الماضي") == ("2016-11-20", "2016-11-30")
    assert window("هذا الشهر") == ("2016-12-01", "2016-12-12")
    assert not find_dates(fold_text("أواخر الشهر الجاري"), PUBLISHED)  # not yet


def test_month_pairs_and_night_pairs_are_one_window() -> None:
    assert window("في شهري آب وأيلول") == ("2016-08-01", "2016-09-30")
    assert window("بين تشرين الثاني وكانون الثاني") == ("2015-11-01", "2016-01-31")
    assert window("ليل السبت الأحد") == ("2016-12-10", "2016-12-11")


def test_weeks_ago() -> None:
    assert window("قبل ثلاثة أسابيع") == ("2016-11-18", "2016-11-24")


def test_bare_militants_are_the_organisation_when_it_is_the_only_foe_named() -> None:
    found = claims(
        "تمكن الجيش السوري من دخول مدينة تدمر بعد يومين من استعادة المسلحين السيطرة على مدينة "
        "القريتين، وفق المرصد الذي أكد أن تنظيم داعش فقد أغلب نقاطه."
    )
    assert ("al_qaryatayn", "isis") in {(c["site_id"], c["gainer"]) for c in found}
    found = claims("واستعاد المسلحون السيطرة على مدينة القريتين بعد معارك مع قوات النظام.")
    assert [(c["site_id"], c["gainer"]) for c in found] == [("al_qaryatayn", "opposition")]


# round 2: precision
def test_a_share_before_a_list_makes_every_item_partial() -> None:
    found = by_site(
        "سيطرت قوات سوريا الديمقراطية على أجزاء من أحياء أخرى في مدينة الرقة بينها حطين والقادسية والبريد."
    )
    assert {sid: c["kind"] for sid, c in found.items()} == {
        "hittin_raqqa": "partial",
        "al_qadisiya_raqqa": "partial",
        "al_barid_raqqa": "partial",
    }


def test_whole_districts_in_a_list_stay_captured() -> None:
    found = by_site(
        "سيطرت قوات سوريا الديمقراطية على عدة أحياء في مدينة الرقة بينها حطين والقادسية والبريد."
    )
    assert {c["kind"] for c in found.values()} == {"captured"}
    assert len(found) == 3


def test_a_condition_or_an_imminent_loss_is_no_event() -> None:
    assert (
        claims("وفي حال سيطرت قوات النظام على مدينة الباب فإنها ستنقل المعارك إلى ريف الرقة.") == []
    )
    assert claims("ويوشك التنظيم على خسارة مدينة الرقة بالكامل بعد أشهر من المعارك.") == []


def test_neither_confirmed_nor_denied_is_no_event() -> None:
    assert claims("ورفض المصدر العسكري تأكيد أو نفي سقوط مدينة إدلب بيد فصائل المعارضة.") == []


def test_the_side_named_in_the_sentence_gains_what_the_other_leaves() -> None:
    found = by_site(
        "قصفت قوات النظام مواقع في ريف حلب، وقالت قوات النظام إنها صدت هجوما. "
        "وتأتي سيطرة قوات سوريا الديمقراطية على القرى بالتزامن مع انسحاب التنظيم من مدينة منبج."
    )
    assert (found["manbij"]["kind"], found["manbij"]["gainer"], found["manbij"]["loser"]) == (
        "withdrew",
        "sdf",
        "isis",
    )


def test_a_control_noun_with_a_pronoun_object_takes_no_later_place() -> None:
    assert (
        claims(
            "وبسيطرة المعارضة عليها لم تعد للنظام في ريف إدلب إلا قاعدة وحيدة هي مطار أبو الضهور."
        )
        == []
    )


def test_this_control_refers_back_unless_its_object_follows() -> None:
    assert claims("بهذه السيطرة تكون مدينة إدلب ثاني مركز محافظة يخرج عن سيطرة النظام.") == []
    assert [
        c["site_id"] for c in claims("وجاءت هذه السيطرة على مدينة منبج بعد معارك استمرت شهرين.")
    ] == ["manbij"]


def test_a_day_of_the_current_or_last_month_is_that_day() -> None:
    assert window("في التاسع من الشهر الجاري") == ("2016-12-09", "2016-12-09")
    assert window("في 3 من الشهر الماضي") == ("2016-11-03", "2016-11-03")
    assert window("في السابع والعشرين من الشهر الماضي") == ("2016-11-27", "2016-11-27")


def test_between_two_attributions_to_one_monitor_the_article_relays_it() -> None:
    found = claims(
        "قال المرصد السوري لحقوق الإنسان إن المعارك تتواصل في ريف حلب. "
        "وتمكنت قوات سوريا الديمقراطية من السيطرة على مدينة منبج بعد معارك عنيفة مع التنظيم. "
        "وتركزت الاشتباكات أمس، وفق المرصد، في الريف الشمالي للمدينة."
    )
    assert [(c["site_id"], c["claimant"]) for c in found] == [("manbij", "sohr")]


def test_field_sources_alone_do_not_speak_for_the_whole_article() -> None:
    found = claims(
        "وقالت مصادر ميدانية إن المعارك تتواصل في ريف حلب. "
        "وتمكنت قوات سوريا الديمقراطية من السيطرة على مدينة منبج بعد معارك عنيفة مع التنظيم. "
        "وتركزت الاشتباكات أمس، وفق المصادر، في الريف الشمالي للمدينة."
    )
    assert [(c["site_id"], c["claimant"]) for c in found] == [("manbij", "outlet")]


def test_a_side_that_had_announced_a_gain_is_its_claimant() -> None:
    found = claims("وكان الجيش السوري قد أعلن منذ أسبوع استعادة السيطرة على مدينة البوكمال.")
    assert [(c["site_id"], c["gainer"], c["claimant"]) for c in found] == [
        ("abu_kamal", "government", "syrian_military")
    ]


def test_became_besieged_is_a_siege() -> None:
    found = claims(
        "وقطعت قوات النظام آخر طريق إلى الأحياء الشرقية، وبذلك تحاصرت مدينة حلب بالكامل."
    )
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("aleppo", "besieged", "government")
    ]


def test_a_future_verb_before_a_masdar_is_no_event() -> None:
    assert claims("وستؤدي السيطرة على مدينة الباب إلى فصل ريفي حلب والرقة.") == []
    assert [c["site_id"] for c in claims("وسيطرت قوات النظام على مدينة الباب بعد معارك.")] == [
        "al_bab"
    ]


def test_control_still_to_come_is_no_event() -> None:
    assert (
        claims(
            "ودفعت القوات بتعزيزات جديدة ما سيساعدها في السيطرة على بلدة حلفايا خلال الأيام القليلة القادمة."
        )
        == []
    )


def test_a_year_spelled_out_in_words_is_that_year() -> None:
    assert window("نهاية عام ألفين وثلاثة عشر") == ("2013-11-01", "2013-12-31")
    assert window("منذ عام ألفين واثني عشر") == ("2012-01-01", "2012-12-31")
    assert window("في عام ألفين وعشرة") == ("2010-01-01", "2010-12-31")


def test_a_change_whose_gainer_is_named_elsewhere_is_not_repeated_as_unknown() -> None:
    found = claims(
        "وتدور معارك عنيفة في محاولة لفك الحصار عن مدينة حلب. "
        "وكانت قوات النظام قد أطبقت الحصار على مدينة حلب قبل أيام."
    )
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("aleppo", "besieged", "government")
    ]


def test_districts_are_a_share_of_a_city_not_of_a_factory_listed_after_them() -> None:
    assert [
        (c["site_id"], c["kind"])
        for c in claims(
            "وتمكنت قوات سوريا الديمقراطية يوم الاثنين من تحرير عدة أحياء، ومقرات عسكرية، "
            "إضافة لمعمل السكر في مدينة الرقة."
        )
    ] == [("raqqa_sugar_factory", "captured")]
    assert [
        (c["site_id"], c["kind"])
        for c in claims(
            "وتمكنت قوات سوريا الديمقراطية يوم الاثنين من تحرير عدة أحياء في مدينة الرقة."
        )
    ] == [("raqqa", "partial")]


def test_a_side_whose_announcement_is_reported_is_the_claimant() -> None:
    found = claims(
        "ودارت مواجهات شمال حماة، وبعد إعلان فصائل المعارضة السيطرة على بلدة حلفايا "
        "تقدمت نحو مدينة محردة."
    )
    assert [(c["site_id"], c["gainer"], c["claimant"]) for c in found] == [
        ("halfaya", "opposition", "opposition_factions")
    ]


# objects of entries and advances (round 3)
def test_an_entry_into_the_heart_or_a_part_of_a_city_is_partial_control_of_it() -> None:
    found = by_site("ودخلت فصائل المعارضة إلى قلب مدينة جسر الشغور بعد معارك عنيفة.")
    assert found["jisr_ash_shugur"]["kind"] == "partial"
    found = by_site("وكانت قوات سوريا الديمقراطية قد دخلت الشطر الغربي من مدينة الرقة.")
    assert found["raqqa"]["kind"] == "partial"


def test_an_advance_inside_a_city_places_it_but_an_advance_in_it_does_not() -> None:
    assert by_site("وتقدمت قوات سوريا الديمقراطية داخل مدينة منبج.")["manbij"]["kind"] == "partial"
    assert claims("وتقدمت قوات سوريا الديمقراطية في مدينة منبج.") == []


def test_an_adverb_after_a_comma_does_not_end_the_window_before_its_object() -> None:
    found = by_site("وسيطرت فصائل المعارضة صباح الأحد، بالكامل على مدينة إدلب.")
    assert found["idlib"]["kind"] == "captured"


def test_the_seat_of_a_governorate_is_its_city_and_the_governorate_is_not() -> None:
    found = by_site("وسيطر تنظيم الدولة على مركز محافظة الرقة في 4 آذار 2013.")
    assert (found["raqqa"]["kind"], found["raqqa"]["date_from"]) == ("captured", "2013-03-04")
    assert claims("وسيطر تنظيم الدولة على محافظة الرقة في 4 آذار 2013.") == []
    located = by_site("وسيطر تنظيم الدولة على قرية الكرين في مركز محافظة الرقة في 4 آذار 2013.")
    assert list(located) == ["krein"]


def test_a_share_of_it_means_the_facility_not_the_district_it_lies_in() -> None:
    found = claims(
        "وهاجمت فصائل المعارضة الكلية الفنية الجوية آخر مواقع النظام بالراموسة، "
        "وأعلنت السيطرة على أجزاء منها."
    )
    assert [(c["site_id"], c["kind"]) for c in found if c["kind"] == "partial"] == [
        ("technical_air_college_aleppo", "partial")
    ]
    alone = claims("ووصلت فصائل المعارضة إلى حي الراموسة، وأعلنت السيطرة على أجزاء منه.")
    assert [(c["site_id"], c["kind"]) for c in alone] == [("al_ramouseh", "partial")]


def test_a_superlative_after_a_place_describes_it_and_is_no_second_object() -> None:
    found = claims("واقتحمت فصائل المعارضة الكلية الفنية الجوية آخر الكليات العسكرية بالراموسة.")
    assert [c["site_id"] for c in found] == ["technical_air_college_aleppo"]


def test_a_reporting_verb_ends_the_window_of_an_advance() -> None:
    text = "وجاء ذلك بعد التقدم الذي حققته فصائل المعارضة، وأوضح المصدر أن طريق الكاستيلو هو الطريق الوحيد للنظام."
    assert claims(text) == []


def test_the_pronoun_of_a_storming_after_managed_to_is_the_town() -> None:
    found = claims(
        "ووصلت قوات النظام إلى بلدة طيبة الإمام "
        "وتمكنت بعد نحو ساعتين من اقتحامها من الجهة الشمالية."
    )
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("tiba_elemam", "partial", "government")
    ]


def test_an_advance_inside_a_town_then_its_capture_is_one_capture() -> None:
    found = claims(
        "وقال المرصد إن فصائل المعارضة تقدمت داخل مدينة جسر الشغور. "
        "وسيطرت فصائل المعارضة على مدينة جسر الشغور يوم السبت."
    )
    assert [(c["site_id"], c["kind"]) for c in found] == [("jisr_ash_shugur", "captured")]


def test_these_villages_after_a_second_masdar_are_not_the_advance_object() -> None:
    found = claims(
        "وانسحب تنظيم الدولة من قرى كبارة وريان. وذكرت مصادر ميدانية أن تقدم الجيش "
        "وتأمين هذه القرى يفتح الطريق نحو الباب."
    )
    assert {c["kind"] for c in found} == {"withdrew"}
    again = claims(
        "وسيطرت قوات النظام على قرى كبارة وريان أمس. واستعاد تنظيم الدولة السيطرة على تلك القرى اليوم."
    )
    assert sorted(c["gainer"] for c in again) == ["government", "government", "isis", "isis"]


def test_a_date_before_a_verb_joined_by_wa_ends_the_clause_before_it() -> None:
    found = by_site(
        "واقتحمت قوات سوريا الديمقراطية مدينة الطبقة في 24 نيسان وطوقت مسلحي التنظيم في حيين قرب السد.",
        dt.date(2017, 5, 10),
    )
    assert (found["tabqa"]["kind"], found["tabqa"]["date_from"]) == ("partial", "2017-04-24")


def test_a_line_wrapped_before_bilqurb_is_one_sentence() -> None:
    from engine.extract.clean import body_lines

    text = (
        "وقالت مصادر محلية إن المعارك استمرت طوال الليل في محيط المدينة، وإن القصف لم يتوقف.\n"
        "واقتحمت\n"
        "قوات سوريا الديمقراطية مدينة الطبقة في 24 نيسان وحاصرت عناصر التنظيم في حي واحد\n"
        "بالقرب من السد، وتواصل تبادل إطلاق النار حتى المساء."
    )
    folded = fold_text(text)
    spans = body_lines(folded)
    assert any("اقتحمت" in folded[a:b] and "السد" in folded[a:b] for a, b in spans)


def test_almost_wholly_before_the_preposition_is_partial_control() -> None:
    found = by_site(
        "وتمكنت قوات سوريا الديمقراطية، السبت، من السيطرة بشكل شبه كامل على مدينة منبج."
    )
    assert found["manbij"]["kind"] == "partial"


def test_the_city_is_the_one_fought_around_when_no_other_is_named() -> None:
    found = claims(
        "وشن مسلحو التنظيم هجوما على مواقع قوات سوريا الديمقراطية في محيط منبج من جهات عدة، "
        "سعيا منهم لكسر الحصار عن المدينة."
    )
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in found] == [
        ("manbij", "besieged", "sdf")
    ]
    assert claims("وتقدمت قوات النظام باتجاه مدينة منبج، وفرضت الحصار على المدينة.") == []


def unresolved(text: str) -> str:
    return " | ".join(extract_claims(text, PUBLISHED).unresolved)


def test_a_compound_name_with_a_two_letter_second_word_is_reported_whole():
    # "جب" is too short for the noun pattern; "أبو" alone is a common word
    assert "'قرية أبو جب'" in unresolved("أعلنت الفصائل أنها استولت على قرية أبو جب ظهر اليوم.")
    assert "'قرية أم عن" not in unresolved("أعلنت الفصائل أنها استولت على قرية أم عن القرية.")


def test_a_bracketed_name_after_a_place_noun_is_reported_even_when_it_is_a_common_word():
    said = unresolved("وأعلن لواء محلي أنه دخل مزرعة (زور الصغيرة) قرب المدينة.")
    assert "'مزرعة (زور الصغيرة)'" in said
    # unbracketed, the common word is a description
    assert "زور" not in unresolved("وأعلن لواء محلي أنه دخل مزرعة زور قرب المدينة.")


def test_the_items_after_the_following_villages_colon_are_places():
    said = unresolved("أكدت الفصائل استعادة القرى التالية: برغلوطة، زمزموطة، كفرشلوم.")
    assert all(name in said for name in ("برغلوطة", "زمزموطة", "كفرشلوم")) and "التالية" not in said
    got = {
        c["site_id"] for c in claims("أكدت الفصائل استعادة القرى الآتية وهي جرابلس والراعي ودابق.")
    }
    assert got == {"jarablus", "ar_ra_ee", "dabeq"}


def test_the_city_stands_for_a_village_of_the_gazetteer_the_text_calls_a_city():
    said = "تقدمت قوات سوريا الديمقراطية في مدينة أم عظام شمال منبج. وسيطرت على المدينة بالكامل بعد معارك."
    assert [(c["site_id"], c["kind"]) for c in claims(said)] == [
        ("um_edam", "partial"),
        ("um_edam", "captured"),
    ]
    # called a village, it is not what "المدينة" means
    said = "تقدمت قوات سوريا الديمقراطية في قرية أم عظام شمال منبج. وسيطرت على المدينة بالكامل بعد معارك."
    assert [(c["site_id"], c["kind"]) for c in claims(said)] == [("um_edam", "partial")]


def test_since_after_a_sides_presence_dates_the_presence_not_the_event():
    said = (
        "أجبر القصف مقاتلي المعارضة المتمركزين في بلدة دابق منذ ثلاثة أشهر على الانسحاب من البلدة."
    )
    got = claims(said)
    assert [c["site_id"] for c in got] == ["dabeq"] and got[0]["date_from"] >= "2016-12-01"
    # after the event itself, "منذ" still dates it
    said = "وكانت الفصائل قد سيطرت على بلدة دابق منذ ثلاثة أشهر."
    assert [c["date_from"][:7] for c in claims(said)] == ["2016-08"]


def test_a_loss_to_the_benefit_of_a_side_names_that_side_the_gainer():
    got = claims("وخسرت قوات النظام بلدة دابق صباح اليوم لصالح فصائل المعارضة.")
    assert [(c["site_id"], c["gainer"], c["loser"]) for c in got] == [
        ("dabeq", "opposition", "government")
    ]
    got = claims("وجاءت خسارة التنظيم بلدة دابق لصالح قوات النظام بعد أيام من القتال.")
    assert [(c["gainer"], c["loser"]) for c in got] == [("government", "isis")]


def test_a_time_phrase_between_the_verb_and_its_object_does_not_end_the_object_window():
    said = "وكانت فصائل المعارضة قد سيطرت خلال الأيام الماضية على بلدة قباسين."
    assert [c["site_id"] for c in claims(said)] == ["qabasin"]
    # a later event in the phrase still ends it: the place is the withdrawal's
    said = "سيطرت الفصائل بعد انسحاب التنظيم من بلدة قباسين."
    assert [(c["site_id"], c["kind"]) for c in claims(said)] == [("qabasin", "withdrew")]


def test_the_current_week_is_the_seven_days_up_to_the_report():
    assert window("خلال الأسبوع الحالي") == ("2016-12-06", "2016-12-12")
    assert window("هذا الأسبوع") == ("2016-12-06", "2016-12-12")


def test_a_capture_today_and_captures_earlier_this_week_are_two_claims():
    said = (
        "سيطرت فصائل المعارضة على بلدة قباسين اليوم بعد معارك مع التنظيم. "
        "وكانت فصائل المعارضة قد سيطرت خلال الأسبوع الحالي على قباسين قبل أن تنسحب منها."
    )
    got = [
        (c["site_id"], c["kind"], c["date_from"]) for c in claims(said) if c["kind"] == "captured"
    ]
    assert got == [("qabasin", "captured", "2016-12-12"), ("qabasin", "captured", "2016-12-06")]
    # a repeat of the same day stays one claim
    said = "سيطرت فصائل المعارضة على بلدة قباسين اليوم. وأكدت مصادر محلية سيطرة الفصائل على قباسين اليوم."
    assert len([c for c in claims(said) if c["kind"] == "captured"]) == 1


def test_a_place_that_fell_or_was_freed_is_the_subject_before_the_verb():
    got = claims("وذكر المراسل أن بلدة دابق سقطت صباح اليوم بيد التنظيم.")
    assert [(c["site_id"], c["gainer"], c["loser"]) for c in got] == [
        ("dabeq", "isis", "government")
    ]
    got = claims("وذكر المراسل أن بلدة دابق تحررت من التنظيم صباح اليوم.")
    assert [(c["site_id"], c["loser"]) for c in got] == [("dabeq", "isis")]
    # "سقط خلالها قتلى": casualties fell, no place did
    assert claims("وهاجمت القوات محيط بلدة دابق، سقط خلالها قتلى من الطرفين.") == []


def test_verb_subject_object_expelled_the_first_side_gains():
    got = claims("وطردت فصائل المعارضة عناصر التنظيم من بلدة دابق بعد اشتباكات.")
    assert [(c["site_id"], c["gainer"], c["loser"]) for c in got] == [
        ("dabeq", "opposition", "isis")
    ]
    # the side expelled alone after the verb stays the loser
    got = claims("وطردت فصائل المعارضة من بلدة دابق بعد اشتباكات مع التنظيم.")
    assert [c["loser"] for c in got] == ["opposition"]


def test_the_masdar_of_besieging_names_a_siege_the_adjective_a_besieged_place():
    got = claims("وتمكنت قوات النظام من محاصرة مدينة الباب بعد معارك مع التنظيم.")
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in got] == [
        ("al_bab", "besieged", "government")
    ]
    got = claims("وقصفت الطائرات مدينة الباب المحاصرة من قبل قوات النظام.")
    assert [(c["site_id"], c["kind"], c["gainer"]) for c in got] == [
        ("al_bab", "besieged", "government")
    ]


def test_a_village_outside_the_governorate_the_text_names_and_far_from_its_places_is_another():
    said = "استعادت قوات النظام قرية قباسين قرب مدينة الميادين في ريف دير الزور الشرقي."
    out = extract_claims(said, PUBLISHED)
    assert out.claims == [] and any("قباسين" in u and "governorate" in u for u in out.unresolved)
    said = "استعادت الفصائل قرية قباسين القريبة من الباب شرقي حلب."
    assert [c["site_id"] for c in claims(said)] == ["qabasin"]


def test_the_word_before_an_unresolved_place_after_a_preposition_is_part_of_its_name():
    said = "زعمت وسائل إعلام النظام السيطرة على الضهرة العالية ونقاط أخرى بريف حماة."
    assert "'الضهرة العالية'" in unresolved(said)


def test_a_common_word_name_left_out_as_the_object_of_a_capture_is_reported():
    said = "سيطرت قوات النظام على الجبيلة قرب مدينة الميادين في ريف دير الزور الشرقي."
    assert "'الجبيلة'" in unresolved(said) and "common word" in unresolved(said)
