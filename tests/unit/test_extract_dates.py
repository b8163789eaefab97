"""Relative dates become windows against the publication date; bad weekdays are flagged."""

import datetime as dt

from engine.extract.dates import find_dates
from engine.extract.normalise import fold_text


def windows(phrase, published):
    return [(str(d.date_from), str(d.date_to)) for d in find_dates(fold_text(phrase), published)]


MON_12_DEC_2016 = dt.date(2016, 12, 12)


def test_yesterday_is_the_day_before_publication():
    assert windows("سيطر التنظيم أمس", MON_12_DEC_2016) == [("2016-12-11", "2016-12-11")]


def test_evening_of_yesterday_sunday_is_yesterday():
    assert windows("مساء أمس الأحد", MON_12_DEC_2016) == [("2016-12-11", "2016-12-11")]


def test_day_before_yesterday_in_both_spellings():
    assert windows("أول أمس", MON_12_DEC_2016) == [("2016-12-10", "2016-12-10")]
    assert windows("أول من أمس", MON_12_DEC_2016) == [("2016-12-10", "2016-12-10")]


def test_two_days_ago_is_a_small_window():
    assert windows("قبل يومين", MON_12_DEC_2016) == [("2016-12-09", "2016-12-11")]


def test_last_thursday_is_strictly_before_publication():
    assert windows("الخميس الفائت", MON_12_DEC_2016) == [("2016-12-08", "2016-12-08")]
    assert windows("الخميس الماضي", dt.date(2016, 12, 8)) == [("2016-12-01", "2016-12-01")]


def test_paired_levantine_and_egyptian_month_names_give_the_whole_month():
    assert windows("في اذار مارس الماضي", MON_12_DEC_2016) == [("2016-03-01", "2016-03-31")]
    assert windows("في مارس/آذار الماضي", MON_12_DEC_2016) == [("2016-03-01", "2016-03-31")]


def test_a_month_later_in_the_year_than_publication_is_last_year():
    assert windows("في تشرين الثاني", dt.date(2016, 3, 1)) == [("2015-11-01", "2015-11-30")]


def test_end_of_may_2015_is_the_last_third_of_the_month():
    assert windows("نهاية شهر مايو/أيار من عام 2015 الفائت", MON_12_DEC_2016) == [
        ("2015-05-20", "2015-05-31")]


def test_an_explicit_day_month_year():
    assert windows("بتاريخ 27 مارس 2016", MON_12_DEC_2016) == [("2016-03-27", "2016-03-27")]


def test_a_maghrebi_triple_with_the_year_after_a_comma():
    assert windows("4 أيار (مايو - ماي)، 2017", dt.date(2017, 5, 4)) == [("2017-05-04", "2017-05-04")]


def test_a_weekday_that_contradicts_the_date_is_flagged_not_guessed_away():
    found = find_dates(fold_text("يوم الخميس 5 ايار- مايو"), dt.date(2017, 5, 4))
    assert str(found[0].date_from) == "2017-05-05"
    assert "Friday" in found[0].warnings[0]


def test_a_quoted_day_before_yesterday_friday_keeps_both_readings():
    found = find_dates(fold_text("أول أمس الجمعة"), dt.date(2016, 3, 21))
    assert (str(found[0].date_from), str(found[0].date_to)) == ("2016-03-18", "2016-03-19")
    assert found[0].warnings


def test_ahad_meaning_one_is_not_sunday():
    assert windows("في أحد الأقبية", MON_12_DEC_2016) == []


def test_tank_models_are_not_years():
    assert windows('دبابتين من طراز "T62" و "T55"', MON_12_DEC_2016) == []


def test_two_months_named_together_are_not_one_date():
    assert windows("بين آذار نيسان", MON_12_DEC_2016) == []
