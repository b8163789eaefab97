"""Rules of the genre beyond the seeds: partial control, sieges, non-events, agents, claimants,
dates. Every sentence here is composed for the test (none is copied from an article)."""

import datetime as dt

from engine.extract.dates import find_dates
from engine.extract.normalise import fold_text
from engine.extract.pipeline import extract_claims

PUBLISHED = dt.date(2016, 12, 12)  # a Monday


def claims(text, published=PUBLISHED):
    return extract_claims(text, published).claims


def facts(text, published=PUBLISHED):
    return [(c["site_id"], c["kind"], c["gainer"], c["loser"]) for c in claims(text, published)]


def window(phrase, published=PUBLISHED):
    found = find_dates(fold_text(phrase), published)
    assert found, phrase
    return found[0].date_from.isoformat(), found[0].date_to.isoformat()


# kinds
def test_parts_of_a_town_are_partial_control():
    assert facts("سيطرت قوات النظام أمس على أجزاء من مدينة تدمر بعد معارك عنيفة مع التنظيم.") == [
        ("palmyra", "partial", "government", "isis")]


def test_a_share_of_a_town_is_partial_control():
    assert facts("وقال ناشطون إن التنظيم سيطر على أكثر من نصف مدينة تدمر بعد هجوم واسع.")[0][:2] == (
        "palmyra", "partial")


def test_storming_a_town_is_partial_and_storming_it_wholly_is_a_capture():
    assert facts("اقتحمت قوات النظام مدينة تدمر فجر اليوم من الجهة الغربية.")[0][:2] == ("palmyra", "partial")
    assert facts("اقتحمت قوات النظام مدينة تدمر بالكامل فجر اليوم بعد فرار عناصر التنظيم.")[0][:2] == (
        "palmyra", "captured")


def test_places_before_besieged_adjective_are_the_besieged_side():
    found = facts("وتدور المعارك قرب مدينتي تدمر والقريتين المحاصرتين منذ أسابيع من قبل تنظيم داعش.")
    assert {(f[0], f[1], f[2]) for f in found} == {("palmyra", "besieged", "isis"),
                                                   ("al_qaryatayn", "besieged", "isis")}


def test_a_present_tense_siege_in_the_main_clause_is_a_claim():
    assert facts("وتحاصر قوات النظام مطار التيفور من ثلاث جهات منذ يومين وفق ناشطين محليين.")[0][:3] == (
        "t4_airbase", "besieged", "government")


def test_breaking_a_siege_is_not_a_siege():
    found = facts("وتمكنت قوات النظام أمس من فك الحصار عن مطار دير الزور العسكري بعد معارك مع التنظيم.")
    assert [f[1] for f in found] == ["siege_broken"] and found[0][2] == "government"


def test_fire_control_shells_and_prevention_are_not_events():
    assert facts("وأعلنت قوات النظام سيطرتها ناريا على طريق تدمر بعد قصف مكثف على مواقع التنظيم.") == []
    assert facts("وأفاد ناشطون بسقوط قذائف على مدينة تدمر مساء أمس دون وقوع إصابات بين المدنيين.") == []
    assert facts("وشنت قوات النظام هجوما واسعا لمنع التنظيم من دخول مدينة تدمر مرة أخرى هذا الشهر.") == []


def test_a_holding_statement_is_not_a_capture():
    assert facts("ويسيطر التنظيم على مدينة تدمر منذ أشهر عدة بحسب المرصد السوري لحقوق الإنسان.") == []


# agents
def test_the_regular_army_adjective_is_the_government():
    assert facts("سيطر الجيش النظامي على بلدة القريتين يوم الخميس الماضي بعد معارك مع التنظيم.")[0][2] == (
        "government")


def test_quoted_faction_names_are_actors():
    found = facts("ودخلت فصائل “الجيش الحر” إلى مدينة تدمر صباح اليوم وسط اشتباكات متقطعة.")
    assert found and found[0][2] == "opposition"


def test_a_withdrawal_loses_the_place_and_the_other_side_named_gains_it():
    found = facts("وانسحب عناصر تنظيم داعش من بلدة القريتين أمس أمام تقدم قوات سوريا الديمقراطية.")
    assert found[0][:4] == ("al_qaryatayn", "withdrew", "sdf", "isis")


# claimants
def test_the_claimant_of_the_sentence_before_carries_over_a_continuation():
    said = "وقال المرصد السوري لحقوق الإنسان إن المعارك مستمرة منذ ثلاثة أيام في محيط المدينة. "
    text = said + "كما تمكنت قوات النظام من السيطرة على مدينة تدمر صباح اليوم بعد انسحاب عناصر التنظيم."
    assert claims(text)[0]["claimant"] == "sohr"
    text = said + "وأضاف أن قوات النظام سيطرت على مدينة تدمر صباح اليوم بعد انسحاب عناصر التنظيم."
    assert claims(text)[0]["claimant"] == "sohr"


def test_a_new_sentence_in_the_outlets_voice_is_the_outlets():
    text = ("وقال المرصد السوري لحقوق الإنسان إن المعارك مستمرة منذ ثلاثة أيام في محيط المدينة. "
            "وتمكنت قوات النظام من السيطرة على مدينة تدمر صباح اليوم بعد انسحاب عناصر التنظيم.")
    assert claims(text)[0]["claimant"] == "outlet"


def test_an_sdf_statement_names_the_sdf_as_claimant():
    text = "وأعلنت قوات سوريا الديمقراطية في بيان اليوم السيطرة على بلدة القريتين بعد معارك مع التنظيم."
    assert claims(text)[0]["claimant"] == "sdf"


def test_the_outlet_speaks_only_when_nobody_else_does():
    text = "سيطرت قوات النظام على مدينة تدمر صباح اليوم بعد معارك عنيفة مع تنظيم داعش استمرت أياما."
    assert claims(text)[0]["claimant"] == "outlet"


# dates
def test_the_current_month_is_the_month_of_publication():
    assert window("مطلع آذار الجاري", dt.date(2016, 3, 20)) == ("2016-03-01", "2016-03-10")


def test_last_december_is_the_december_before_publication():
    assert window("ديسمبر الماضي", dt.date(2017, 3, 2)) == ("2016-12-01", "2016-12-31")


def test_late_august_is_the_last_third_of_the_month():
    assert window("أواخر آب", dt.date(2016, 10, 1)) == ("2016-08-20", "2016-08-31")


def test_about_two_years_ago_is_a_window_of_six_months():
    assert window("منذ نحو عامين", dt.date(2016, 12, 12)) == ("2014-09-12", "2015-03-12")


def test_last_week_covers_any_week_start_convention():
    assert window("الأسبوع الماضي") == ("2016-11-29", "2016-12-11")


def test_the_same_weekday_without_past_is_the_publication_day():
    assert window("يوم الاثنين") == ("2016-12-12", "2016-12-12")
    assert window("الاثنين الماضي") == ("2016-12-05", "2016-12-05")


def test_a_claim_without_date_words_has_a_fallback_window():
    found = claims("سيطرت قوات النظام على مدينة تدمر بعد معارك عنيفة مع تنظيم داعش استمرت أياما.")
    assert found[0]["time_precision"] == "fallback"
    assert (found[0]["date_from"], found[0]["date_to"]) == ("2016-12-05", "2016-12-12")


def test_a_dated_claim_is_not_a_fallback():
    found = claims("سيطرت قوات النظام أمس على مدينة تدمر بعد معارك عنيفة مع تنظيم داعش استمرت أياما.")
    assert found[0]["time_precision"] == "day" and found[0]["date_from"] == "2016-12-11"


def test_a_month_after_a_named_date_moves_the_window_on():
    assert window("بعد شهر من 3 آذار", dt.date(2016, 12, 12)) == ("2016-03-27", "2016-04-10")
    assert window("بعد يومين من السابع من نيسان", dt.date(2016, 12, 12)) == ("2016-04-08", "2016-04-10")


def test_how_long_a_siege_has_lasted_in_a_relative_clause_describes_the_place():
    assert facts("وصلت التعزيزات إلى مطار التيفور الذي يحاصره التنظيم منذ نحو عام من ثلاث جهات.") == []
    assert facts("ويحاصر التنظيم مطار التيفور منذ نحو عام من ثلاث جهات بحسب ناشطين.")[0][:3] == (
        "t4_airbase", "besieged", "isis")


def test_encircling_fighters_inside_a_town_makes_them_the_besieged_side():
    found = facts("وأعلن الجيش أن قواته تمكنت من تطويق عناصر التنظيم في مدينة تدمر بعد معارك عنيفة.")
    assert found[0][:4] == ("palmyra", "besieged", "government", "isis")


def test_the_side_that_imposed_a_broken_siege_loses_it():
    found = facts("وتمكنت قوات النظام أمس من فك الحصار المفروض على مطار دير الزور العسكري من قبل تنظيم داعش.")
    assert found[0][1:4] == ("siege_broken", "government", "isis")


def test_control_with_la_before_the_actor_names_the_agent():
    found = facts("وأفادت مصادر محلية بسيطرة لمسلحي التنظيم على بلدة القريتين بعد معارك مع قوات النظام.")
    assert found[0][:3] == ("al_qaryatayn", "captured", "isis")


def test_we_liberated_is_the_side_of_the_statement():
    found = claims("وحررت وحداتنا الباسلة بلدة القريتين من رجس الإرهاب بحسب بيان القيادة العامة للجيش.")
    assert (found[0]["gainer"], found[0]["claimant"]) == ("government", "syrian_military")


def test_a_passive_agent_after_min_qibal_gains_the_place():
    assert facts("وتمت السيطرة على بلدة القريتين من قبل القوات التابعة للنظام بعد معارك عنيفة.")[0][2] == (
        "government")


def test_turkish_forces_fight_on_the_opposition_side():
    found = facts("وسيطرت القوات التركية وفصائل المعارضة اليوم على مدينة تدمر بعد انسحاب التنظيم منها.")
    assert found[0][:3] == ("palmyra", "captured", "opposition")


def test_we_entered_is_the_speakers_side():
    text = "وقال أحد مقاتلي حزب الله لوكالة رويترز إننا دخلنا بلدة القريتين فجر اليوم من ثلاثة محاور."
    found = claims(text)
    assert (found[0]["kind"], found[0]["gainer"], found[0]["claimant"]) == ("partial", "government",
                                                                            "hezbollah_media")


def test_they_withdrew_in_a_statement_of_the_fighters_is_their_loss():
    text = "وقال بيان لمقاتلي المعارضة يوم الأربعاء إنهم انسحبوا ليلا من بلدة القريتين بعد قصف عنيف."
    found = claims(text)
    assert (found[0]["kind"], found[0]["loser"], found[0]["claimant"]) == ("withdrew", "opposition",
                                                                           "opposition_factions")


def test_state_media_variants_are_named_claimants():
    assert claims("قال التلفزيون الحكومي السوري إن الجيش استعاد السيطرة على مدينة تدمر اليوم.")[0][
        "claimant"] == "syrian_tv"
    assert claims("وذكرت وكالة الأنباء السورية أن الجيش أعاد الأمن إلى مدينة تدمر بعد معارك.")[0][
        "claimant"] == "sana"


def test_the_side_allowed_to_take_a_place_takes_it():
    found = facts("وسمح تفكك خطوط النظام الدفاعية للمعارضة بالسيطرة على بلدة القريتين خلال ساعات.")
    assert found[0][:4] == ("al_qaryatayn", "captured", "opposition", "government")


def test_positions_inside_a_town_are_partial_control():
    assert facts("وقال ناشطون إن التنظيم سيطر على مواقع داخل مدينة تدمر بعد هجوم واسع.")[0][:3] == (
        "palmyra", "partial", "isis")


def test_an_entry_told_days_before_the_capture_is_the_way_in_not_a_second_claim():
    # composed: stormed on Friday, taken as reported on Sunday (published Monday 12 Dec 2016)
    text = ("واقتحمت قوات النظام مدينة تدمر يوم الجمعة بعد قصف عنيف. "
            "وقال ناشطون يوم الأحد إن قوات النظام سيطرت على مدينة تدمر بالكامل.")
    assert [(c["kind"], c["date_from"]) for c in claims(text)] == [("captured", "2016-12-11")]
    # an entry weeks before a capture is a separate event
    text = ("واقتحمت قوات النظام مدينة تدمر في الأول من تشرين الثاني بعد قصف عنيف. "
            "وقال ناشطون يوم الأحد إن قوات النظام سيطرت على مدينة تدمر بالكامل.")
    assert [c["kind"] for c in claims(text)] == ["partial", "captured"]


def test_a_withdrawing_subject_keeps_its_role_despite_a_later_min_qibal():
    # composed: "من قبل الجيش" belongs to the later noun (the shelling), not to the withdrawal
    text = ("وقال المراسل إن عناصر تنظيم داعش انسحبوا من مدينة تدمر بعد اشتباكات عنيفة مع الجيش "
            "وتحت قصف مدفعي مركز على مواقعهم من قبل الجيش.")
    assert facts(text) == [("palmyra", "withdrew", "government", "isis")]


def test_a_loss_at_the_end_of_a_relative_clause_is_the_loss_of_its_head():
    # composed: "التي كانت تدافع … قبل أن تخسرها": the side defending it lost it
    text = ("وجاء دخول قوات النظام إلى مدينة تدمر بعد أسابيع من القتال مع عناصر داعش، التي كانت "
            "تتحصن في أحياء المدينة الشرقية، قبل أن تخسرها أخيرا.")
    assert ("palmyra", "captured", "isis", "government") not in facts(text)
    # without a relative clause the pro-drop loser is still the earlier gainer
    assert facts("سيطر التنظيم على مدينة تدمر في أيار 2015 قبل أن يخسرها في آذار 2016.") == [
        ("palmyra", "captured", "isis", "government"), ("palmyra", "captured", "government", "isis")]


def test_the_turkish_president_is_a_claimant_whose_side_gains_a_pro_drop_recapture():
    # composed: the last agent named before is ISIS; the speaker's side retook the town
    text = ("وكانت عناصر التنظيم قد انسحبت نحو الجنوب في الليل. "
            "وأكد الرئيس التركي مساء أمس استعادة مدينة الباب بعد معارك طويلة.")
    found = [(c["site_id"], c["gainer"], c["claimant"]) for c in claims(text, dt.date(2017, 2, 24))]
    assert found == [("al_bab", "opposition", "turkish_military")]


def test_beginning_to_storm_a_place_is_not_yet_an_entry():
    # composed: "بدأت … اقتحام" is under way; "اقتحمت" is done
    assert facts("بدأت قوات النظام صباح اليوم اقتحام مدينة تدمر وسط قصف عنيف.") == []
    assert facts("اقتحمت قوات النظام مدينة تدمر صباح اليوم وسط قصف عنيف.") == [
        ("palmyra", "partial", "government", "isis")]


def test_control_shared_by_two_sides_is_a_state():
    # composed
    assert facts("ويتقاسم الجيش ومقاتلو المعارضة منذ عام 2013 السيطرة على أحياء مدينة حلب.") == []
    assert facts("وأكمل الجيش أمس السيطرة على أحياء مدينة حلب الشرقية بعد انسحاب الفصائل منها.") != []


def test_widening_the_scope_of_control_over_a_place_is_no_capture_of_it():
    # composed: "نطاق سيطرتها" is the extent of control, like "مناطق سيطرتها"
    assert facts("ووسع الجيش أمس نطاق سيطرته على ما تبقى من أحياء مدينة تدمر بعد معارك.") == []


def test_a_head_noun_before_a_relative_verb_picks_a_place_of_its_kind():
    # composed: "أول حي سيطرت عليه" points at the neighbourhood, not at the city named after it
    text = ("ولحي مساكن هنانو، وهو من أوسع أحياء مدينة حلب، مكانة خاصة لكونه أول حي سيطرت عليه "
            "الفصائل في صيف 2012.")
    assert [f[0] for f in facts(text)] == ["masaken_hanano"]


def test_less_or_more_than_a_span_after_an_event_bounds_it_on_one_side():
    # composed phrases; published Monday 12 Dec 2016
    assert window("بعد أقل من شهر على انسحاب الفصائل") == ("2016-11-02", "2016-12-12")
    assert window("بعد أكثر من شهر على انسحاب الفصائل") == ("2016-09-23", "2016-11-22")
    assert window("بعد شهر على انسحاب الفصائل") == ("2016-11-02", "2016-11-22")


def test_a_name_inside_an_adverbial_phrase_is_not_the_subject_of_a_withdrawal():
    # composed: the factions withdrew "before the strikes of ISIS": ISIS gains, it did not withdraw
    text = ("ودخلت الفصائل مدينة تدمر مرتين خلال الشهر الماضي، لكنها انسحبت منها أمام ضربات التنظيم.")
    assert ("palmyra", "withdrew", "isis", "opposition") in facts(text)


def test_an_undated_withdrawal_beside_the_dated_capture_it_made_possible_is_one_claim():
    # composed: the capture is dated, the withdrawal of the other side restates it
    text = ("سيطرت قوات النظام صباح أمس على مدينة تدمر بالكامل. "
            "وانسحب معظم عناصر التنظيم من المدينة بعد أن اقتحمتها القوات.")
    assert facts(text) == [("palmyra", "captured", "government", "isis")]
    # a withdrawal with a date of its own stays
    text = ("سيطرت قوات النظام صباح أمس على مدينة تدمر بالكامل. "
            "وكان عناصر التنظيم قد انسحبوا من المدينة قبل ثلاثة أيام.")
    assert ("palmyra", "withdrew", "government", "isis") in facts(text)


def test_a_side_named_after_inna_is_what_the_observatory_said_not_who_said_it():
    # composed: SOHR speaks; the SDF are the subject of its report
    text = "وأعلن المرصد أن قوات سوريا الديمقراطية استطاعت أمس السيطرة على مدينة منبج."
    assert [(c["gainer"], c["claimant"]) for c in claims(text)] == [("sdf", "sohr")]
    # a side that speaks in turn is still a claimant
    text = "وقالت قوات سوريا الديمقراطية في بيان إن مقاتليها سيطروا أمس على مدينة منبج."
    assert [(c["gainer"], c["claimant"]) for c in claims(text)] == [("sdf", "sdf")]


def test_unnamed_sources_relayed_by_a_named_voice_are_claimed_by_that_voice():
    # composed
    text = "ونقل المرصد السوري عن مصادر وصفها بالموثوقة أن قوات النظام سيطرت أمس على مدينة تدمر."
    assert [c["claimant"] for c in claims(text)] == ["sohr"]
    assert [c["claimant"] for c in claims("وقالت مصادر محلية إن قوات النظام سيطرت أمس على مدينة تدمر.")] == [
        "local_sources"]


def test_a_pronoun_with_no_antecedent_in_its_sentence_takes_the_place_the_sentence_before_is_about():
    # composed: the previous sentence opens on the town (and names another place after it)
    text = ("وتدمر هي بوابة البادية نحو مدينة حمص. "
            "وكان الجيش استعادها في آذار 2016 بعد معارك طويلة مع التنظيم.")
    assert facts(text) == [("palmyra", "captured", "government", "isis")]
    # a sentence that names two places without opening on either gives no antecedent
    text = ("وتقع البلدة بين مدينة تدمر ومدينة حمص. "
            "وكان الجيش استعادها في آذار 2016 بعد معارك طويلة مع التنظيم.")
    assert facts(text) == []


def test_what_remains_to_be_taken_is_not_the_object_of_the_capture_before_it():
    # composed: the captured camp is unknown; the airport after "يبقى أمام" is still to be taken
    text = "وبتحرير معسكر الصقور يبقى أمام الفصائل مطار تدمر العسكري بعد معارك عنيفة."
    assert facts(text) == []


def test_entering_a_base_whose_siege_was_just_broken_is_the_break_not_a_partial_capture():
    # composed
    text = ("وتمكنت قوات النظام أمس من فك الحصار عن مطار دير الزور العسكري، "
            "ما سمح بدخول قوات النظام إلى داخل المطار بعد ساعات.")
    assert [c["kind"] for c in claims(text)] == ["siege_broken"]


def test_a_fronted_masdar_takes_the_subject_of_the_main_clause_after_it():
    # composed: "وبعد سيطرتها على …، عمدت قوات النظام": the pronoun looks forward
    text = ("وانسحب عناصر التنظيم من مدينة القريتين أمس. "
            "وبعد سيطرتها على مطار التيفور العسكري، عمدت قوات النظام إلى التوسع شرقا.")
    assert ("t4_airbase", "captured", "government", "isis") in facts(text)


def test_a_possessive_capture_with_no_side_in_its_sentence_goes_on_with_the_last_gainer():
    # composed: the last agent named is ISIS (it withdrew); the side that gained goes on gaining,
    # and "من قبل التنظيم" belongs to the later siege, not to "سيطرتها"
    text = ("سيطرت قوات النظام أمس على مدينة تدمر بعد انسحاب التنظيم منها. "
            "ويجيء هذا الهجوم عقب سيطرتها على مطار التيفور العسكري منذ شهرين حيث نجحت في فك "
            "الحصار المفروض على مطار التيفور من قبل التنظيم.")
    found = claims(text)
    assert ("t4_airbase", "captured", "government") in [(c["site_id"], c["kind"], c["gainer"]) for c in found]
    # "حيث" says how the event before it happened: the break has the capture's time
    broken = [c for c in found if c["kind"] == "siege_broken"]
    taken = [c for c in found if c["site_id"] == "t4_airbase" and c["kind"] == "captured"]
    assert broken and (broken[0]["date_from"], broken[0]["date_to"]) == (taken[0]["date_from"], taken[0]["date_to"])


def test_a_clause_opening_on_wa_kanat_tells_an_earlier_event_without_qad():
    # composed: no "قد", no date of its own: some time before the report
    found = claims("وكانت قوات النظام نجحت خلال الأسابيع الأولى من هجومها في استعادة مدينة تدمر.")
    assert [(c["site_id"], c["date_from"], c["date_to"]) for c in found] == [
        ("palmyra", "2015-12-13", "2016-12-12")]
    # a date of its own still dates it
    found = claims("وكانت قوات النظام استعادت مدينة تدمر يوم السبت بعد معارك عنيفة.")
    assert [(c["date_from"], c["date_to"]) for c in found] == [("2016-12-10", "2016-12-10")]


def test_a_date_right_after_a_lam_verb_of_result_is_not_the_earlier_capture_s():
    # composed: "لتنضم اليوم إليها": today is when the second town joined, not when the first fell
    found = claims("وكانت قوات النظام نجحت في استعادة مدينة تدمر لتنضم اليوم إليها مناطق أخرى في البادية.")
    assert [(c["site_id"], c["date_from"]) for c in found] == [("palmyra", "2015-12-13")]


def test_what_would_help_a_capture_is_no_capture():
    # composed
    assert facts("ويعد موقع التلة المطلة على المدينة من العوامل المهمة في السيطرة على مدينة تدمر.") == []
    assert facts("وقال المصدر إن قصف المطار يسهل السيطرة على مدينة تدمر في الأيام المقبلة.") == []


def test_a_side_besieged_in_a_place_names_the_place_and_the_side_inside():
    # composed: "باتت عناصر التنظيم محاصرة تماما في المدينة": besieged by the side that advanced
    text = "وباتت عناصر التنظيم محاصرة تماما في مدينة تدمر بعد تقدم قوات النظام شرق المدينة."
    assert facts(text) == [("palmyra", "besieged", "government", "isis")]
