"""Date expressions in folded Arabic text, resolved to windows against the publication date.

Reports date events relative to the day they were published ("أمس", "الخميس الفائت",
"آذار الماضي"). Each expression becomes a window ``[date_from, date_to]``, never a
point pretending to be exact; a weekday that contradicts its day of month is
flagged, not guessed away.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

import pendulum

from engine.extract.normalise import fold_pattern
from engine.extract.scan import WordGate, Words

_MONTHS = {
    1: "كانون الثاني|يناير|جانفي", 2: "شباط|فبراير|فيفري", 3: "آذار|أذار|مارس",
    4: "نيسان|أبريل|ابريل|أفريل", 5: "أيار|مايو|ماي", 6: "حزيران|يونيو|يونيه|جوان",
    7: "تموز|يوليو|يوليه|جويلية", 8: "آب|أغسطس|اغسطس|أوت", 9: "أيلول|سبتمبر",
    10: "تشرين الأول|أكتوبر|اكتوبر", 11: "تشرين الثاني|نوفمبر", 12: "كانون الأول|ديسمبر",
}
#: folded month name → month number
MONTH_NUMBER = {
    fold_pattern(name): number for number, names in _MONTHS.items() for name in names.split("|")
}
#: folded weekday name → Python weekday (Monday = 0)
WEEKDAY_NUMBER = {
    fold_pattern(name): number for number, name in enumerate(
        ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"))
}
_NUMBER_WORDS = {"يومين": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6, "سبعه": 7, "عشره": 10}

_M = "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))
#: Units of a year spelled out in words, as read on air ("عام ألفين وثلاثة عشر" is 2013)
_YEAR_UNITS = {"احد": 1, "اثني": 2, "اثنا": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6, "سبعه": 7,
               "ثمانيه": 8, "تسعه": 9}
_YEAR = (r"(?:(?:19|20)\d\d|الفين\s+و(?:عشره|(?:" + "|".join(_YEAR_UNITS) + r")(?:\s+عشر)?))")
_WD = "|".join(WEEKDAY_NUMBER)
_PART = r"(?:صباح|مساء|ظهر|عصر|ليل|ليله|فجر|منتصف\s+ليل)"
_REL = r"(?:الماضي|الفائت|المنصرم|المنقضي|السابق)"
#: Ordinal day words ("السابع والعشرين من آذار"): unit → number
_ORDINAL = {"الحادي": 1, "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
            "السابع": 7, "الثامن": 8, "التاسع": 9}
_DAY_WORD = (rf"(?:(?:{'|'.join(_ORDINAL)})(?:\s+(?:عشر|والعشرين|والثلاثين))?|العاشر|العشرين|الثلاثين)")

_QUAL = r"(?:نهايه|اواخر|اخر|اوائل|بدايه|مطلع|منتصف|اواسط)"
_PATTERNS = [
    # "في شهري آب وأيلول", "بين آذار ونيسان 2016": one window over both months
    ("month_pair", fold_pattern(
        rf"(?:شهري|بين|ما\s+بين)\s+(?P<m1>{_M})\s*(?:و|الي|حتي|-)\s*(?:شهر\s+)?(?P<m2>{_M})"
        rf"(?:\s*[،,]?\s*(?:من\s+)?(?:(?:ال)?عام\s+|سنه\s+)?(?P<year>{_YEAR})(?!\d))?"
        rf"(?:\s+(?P<rel>{_REL}|الحالي|الجاري))?"
    )),
    # "ليل السبت الأحد", "ليلة السبت على الأحد": the night between two days
    ("night_pair", fold_pattern(rf"(?:ليل|ليله)\s+(?P<wd>{_WD})\s*(?:علي|-|و)?\s*(?P<wd2>{_WD})")),
    # "مطلع الشهر الجاري", "أواخر الشهر الماضي", "هذا الشهر"
    ("this_month", fold_pattern(
        rf"(?:(?P<qual>{_QUAL})\s+|(?:(?P<day>[0-3]?\d)|(?P<dayword>{_DAY_WORD}))\s+(?:من\s+)?)?"
        rf"(?:(?:ال)?شهر\s+(?P<rel>{_REL}|الجاري|الحالي)|هذا\s+الشهر)"
    )),
    ("absolute", fold_pattern(
        rf"(?:(?:يوم\s+)?(?P<wd>{_WD})\s*،?\s*)?(?:(?P<qual>نهايه|اواخر|اخر|اوائل|بدايه|مطلع|منتصف|اواسط)\s+)?"
        rf"(?:شهر\s+)?(?:(?:(?:ال)?(?P<day>[0-3]?\d)|(?P<dayword>{_DAY_WORD}))\s*(?:من\s+)?(?:شهر\s+)?)?"
        rf"(?P<months>(?:{_M})(?:\s*[/\-–(،,]?\s*(?:{_M})){{0,2}})(?:\s*\))?"
        rf"(?:\s*[،,]?\s*(?:من\s+)?(?:(?:ال)?عام\s+|سنه\s+)?(?P<year>{_YEAR})(?!\d))?"
        rf"(?:\s+(?:من\s+)?(?P<yrel>(?:ال)?عام\s+(?:الحالي|الجاري|الماضي|الفائت)|(?:ال)?سنه\s+(?:الحاليه|الماضيه)))?"
        rf"(?:\s+(?P<rel>{_REL}|الحالي|الجاري))?"
    )),
    ("yesterday", fold_pattern(
        rf"(?:(?P<part>{_PART})\s+)?(?:يوم\s+)?(?P<ago>اول\s+(?:من\s+)?امس|امس\s+الاول|امس|الامس|البارحه)"
        rf"(?:\s+(?P<wd>{_WD}))?"
    )),
    # "في اليوم الأول من المعركة", "اليوم التالي" count days of something else, not today
    ("today", fold_pattern(rf"(?:(?:{_PART})\s+)?(?:اليوم|الليله\s+الماضيه|هذا\s+اليوم)"
                           rf"(?!\s+(?:ال)?(?:اول|ثاني|ثالث|رابع|خامس|تالي|سابق|نفسه|ذاته|الذي|التي)(?!\w))"
                           rf"(?:\s+(?P<wd>{_WD}))?")),
    ("days_ago", fold_pattern(
        r"(?:قبل|منذ)\s+(?:نحو\s+|حوالي\s+)?(?P<n>يومين|\d{1,2}\s+(?:ايام|يوما)|(?:ثلاثه|اربعه|خمسه|سته|سبعه|عشره)\s+ايام|"
        r"ايام|اسبوع|اسبوعين|يوم|\d{1,2}\s+اسابيع|(?:ثلاثه|اربعه|خمسه|سته)\s+اسابيع)(?!\w)"
    )),
    ("long_ago", fold_pattern(
        r"(?P<since>قبل|منذ)\s+(?P<about>نحو\s+|حوالي\s+|قرابه\s+|اكثر\s+من\s+|ما\s+يزيد\s+عن\s+)?"
        r"(?P<n>عام|سنه|عامين|سنتين|شهر|شهرين|\d{1,2}\s+(?:اشهر|شهرا|شهور|اعوام|سنوات|عاما)|"
        r"(?:ثلاثه|اربعه|خمسه|سته|سبعه|ثمانيه|تسعه|عشره)\s+(?:اشهر|شهور)|"
        r"(?:ثلاث|اربع|خمس|ست|سبع)\s+(?:سنوات|اعوام))(?!\w)"
        rf"(?!\s+(?:{_M}|\d|الفين))"  # "منذ شهر أيار 2015" names the month, it is not "a month ago"
    )),
    ("this_week", fold_pattern(r"(?:الاسبوع\s+(?:الحالي|الجاري)|هذا\s+الاسبوع)(?!\w)")),
    ("last_week", fold_pattern(rf"الاسبوع\s+{_REL}")),
    ("part_of_year", fold_pattern(
        r"(?P<qual>مطلع|بدايه|اوائل|نهايه|اواخر|منتصف|اواسط)\s+(?:(?:ال)?عام|(?:ال)?سنه)\s+"
        rf"(?:(?P<year>{_YEAR})|(?P<rel>الحالي|الجاري|الماضي|الفائت|المنصرم|الحاليه|الماضيه))"
    )),
    ("last_year", fold_pattern(rf"(?:العام|السنه)\s+(?:{_REL}|الماضيه)")),
    ("weekday", fold_pattern(rf"(?:يوم\s+)?(?P<wd>{_WD})(?:\s+(?P<rel>{_REL}|المقبل|القادم))?(?!\s*\d)")),
    ("year", fold_pattern(rf"(?:في\s+)?(?:(?:ال)?عام|سنه)\s+(?P<year>{_YEAR})(?!\d)")),
    # "بعد يومين من دخولها البلدة": the event named next happened that long before the report
    ("since_event", fold_pattern(
        r"بعد\s+(?:نحو\s+|حوالي\s+|قرابه\s+|(?P<cmp>اقل|اكثر)\s+من\s+)?(?P<n>ايام|اسابيع|يومين|يوم(?:\s+واحد)?|اسبوع|اسبوعين|شهر|شهرين|عام|عامين|سنه|سنتين|"
        r"\d{1,2}\s+(?:ايام|يوما|اسابيع|اشهر|شهرا)|(?:ثلاثه|اربعه|خمسه|سته|سبعه|عشره)\s+(?:ايام|اسابيع|اشهر))"
        r"\s+(?:من|علي)(?!\w)"
    )),
]
# A date may follow a glued conjunction or preposition ("وأمس", "بتاريخ") but not a letter.
_FINDER = re.compile(
    r"(?:(?<!\w)|(?<=(?<!\w)[وفب]))(?:"
    + "|".join(f"(?P<{name}>{p.replace('(?P<', f'(?P<{name}_')})" for name, p in _PATTERNS)
    + r")(?!\w)"
)


# First words of every pattern above (the scan tries the patterns only after these).
_GATE = WordGate(
    "|".join(sorted({name.split()[0] for name in MONTH_NUMBER} | set(WEEKDAY_NUMBER), key=len, reverse=True))
    + "|" + fold_pattern(r"يوم|شهر|نهايه|اواخر|اخر|اوائل|بدايه|مطلع|منتصف|اواسط|صباح|مساء|ظهر|عصر|ليل|"
                         r"ليله|فجر|اول|امس|الامس|البارحه|اليوم|الليله|هذا|قبل|منذ|بعد|بين|ما|الاسبوع|الشهر|العام|"
                         r"السنه|في|عام|سنه|(?:ال)?[0-3]?\d(?!\d)|" + "|".join(_ORDINAL) + "|العاشر|العشرين|الثلاثين")
)


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression.

    Attributes:
        start: folded offset where the expression starts.
        end: folded offset after it.
        date_from: first day of the window.
        date_to: last day of the window.
        precision: ``day``, ``days``, ``week``, ``month`` or ``year``.
        warnings: problems found (a weekday that contradicts the date...).
    """

    start: int
    end: int
    date_from: dt.date
    date_to: dt.date
    precision: str
    warnings: tuple[str, ...] = field(default=())
    absolute: bool = False
    #: dates the event named after it ("بعد يومين من دخول البلدة"), never the one before
    forward: bool = False


def find_dates(text: str, published: dt.date, words: Words | None = None) -> list[DateMention]:
    """All date expressions of folded ``text``, resolved against ``published``.

    >>> [(d.date_from.isoformat(), d.date_to.isoformat()) for d in
    ...  find_dates("سيطر امس علي المدينه في اذار مارس الماضي", dt.date(2016, 12, 12))]
    [('2016-12-11', '2016-12-11'), ('2016-03-01', '2016-03-31')]
    """
    found = []
    for match in _GATE.finditer(_FINDER, text, words):
        start, end = match.span()
        kind = match.lastgroup
        groups = {k[len(kind) + 1:]: v for k, v in match.groupdict().items()
                  if k.startswith(kind + "_") and v is not None}
        resolved = _resolve(kind, groups, published)
        if resolved:
            date_from, date_to, precision, warnings = resolved
            mention = DateMention(start, end, date_from, date_to, precision, warnings,
                                  absolute=bool(groups.get("year")), forward=kind == "since_event")
            found.append(_after(text, mention, published) or mention)
    # "بعد شهر من 27 آذار" is one date (the named one moved on), not also "a month before"
    moved = {m.start for m in found if not m.forward}
    return [m for m in found if not (m.forward and m.start in moved)]


_AFTER = re.compile(fold_pattern(
    r"(?<!\w)بعد\s+(?:نحو\s+|حوالي\s+|قرابه\s+)?(?P<n>يومين|اسبوع|اسبوعين|شهر|شهرين|عام|سنه|عامين|"
    r"\d{1,2}\s+(?:ايام|يوما|اسابيع|اشهر|شهرا)|(?:ثلاثه|اربعه|خمسه|سته|سبعه|عشره)\s+(?:ايام|اسابيع|اشهر))"
    r"\s+(?:من|علي)\s+(?:\w+\s+){0,2}$"
))
_AFTER_DAYS = {"يومين": 2, "اسبوع": 7, "اسبوعين": 14}


def _after(text: str, mention: DateMention, published: dt.date) -> DateMention | None:
    """ "بعد شهر من 27 آذار": the window of the date named, moved on by the duration."""
    m = _AFTER.search(text, max(0, mention.start - 40), mention.start)
    if not m:
        return None
    n = m.group("n")
    start = pendulum.Date(mention.date_from.year, mention.date_from.month, mention.date_from.day)
    end = pendulum.Date(mention.date_to.year, mention.date_to.month, mention.date_to.day)
    head, unit = n.split()[0], n.split()[-1]
    if n in _AFTER_DAYS or unit in ("ايام", "يوما", "اسابيع"):
        days = _AFTER_DAYS.get(n) or (int(head) if head.isdigit() else _NUMBER_WORDS[head]) * (
            7 if unit == "اسابيع" else 1)
        start, end = start.add(days=days - 1), end.add(days=days + 1)
    else:
        months = _months_back(n) if n in _UNITS or unit not in ("اشهر", "شهرا") else (
            int(head) if head.isdigit() else _COUNT_WORDS[head])
        start, end = start.add(months=months, days=-7), end.add(months=months, days=7)
    return DateMention(m.start(), mention.end, _day(start), min(_day(end), published), "days",
                       mention.warnings, mention.absolute)


_MONTH_NAMED = re.compile("|".join(sorted(MONTH_NUMBER, key=len, reverse=True)))
_UNITS = {"عام": 12, "سنه": 12, "عامين": 24, "سنتين": 24, "شهر": 1, "شهرين": 2}
_COUNT_WORDS = {"ثلاث": 3, "اربع": 4, "خمس": 5, "ست": 6, "سبع": 7, "ثمانيه": 8, "تسعه": 9, **_NUMBER_WORDS}


def _year_number(year: str) -> int:
    """ "2013" → 2013, "الفين وثلاثه عشر" → 2013, "الفين وعشره" → 2010."""
    if year.isdigit():
        return int(year)
    words = year.split()[1:]
    unit = words[0].removeprefix("و")
    if unit == "عشره":
        return 2010
    return 2000 + _YEAR_UNITS[unit] + (10 if len(words) > 1 else 0)


def _day(date: pendulum.Date) -> dt.date:
    return dt.date(date.year, date.month, date.day)


def _months_back(n: str) -> int:
    """ "عامين" → 24, "3 اشهر" → 3, "ثلاث سنوات" → 36."""
    if n in _UNITS:
        return _UNITS[n]
    head, unit = n.split()[0], n.split()[-1]
    count = int(head) if head.isdigit() else _COUNT_WORDS[head]
    return count * (12 if unit in ("اعوام", "سنوات", "عاما") else 1)



def _since_event(g: dict[str, str], pub: pendulum.Date, published: dt.date):
    """"بعد يومين من دخول البلدة": the event named next was that long before the report."""
    n = g["n"]
    if n in ("ايام", "اسابيع"):  # "بعد أيام من": two days to a week; "بعد أسابيع": two to six weeks
        low, high = (2, 7) if n == "ايام" else (14, 42)
        return _day(pub.subtract(days=high)), _day(pub.subtract(days=low)), "days", ()
    head, unit = n.split()[0], n.split()[-1]
    if n in ("يوم", "يوم واحد", "يومين", "اسبوع", "اسبوعين") or unit in ("ايام", "يوما", "اسابيع"):
        days = {"يوم": 1, "يوم واحد": 1, "يومين": 2, "اسبوع": 7, "اسبوعين": 14}.get(n) or (
            int(head) if head.isdigit() else _NUMBER_WORDS[head]) * (7 if unit == "اسابيع" else 1)
        slack = 1 if days < 7 else 3
        centre = pub.subtract(days=days)
        return _day(centre.subtract(days=slack)), _day(centre.add(days=slack)), "days", ()
    months = _months_back(n) if n in _UNITS or unit not in ("اشهر", "شهرا") else (
        int(head) if head.isdigit() else _COUNT_WORDS[head])
    centre = pub.subtract(months=months)
    slack_days = 10 if months < 12 else 90
    return (_day(centre.subtract(days=slack_days)), min(published, _day(centre.add(days=slack_days))),
            "days" if months < 12 else "month", ())


def _resolve(kind: str, g: dict[str, str], published: dt.date):
    """(date_from, date_to, precision, warnings) of one expression, or None.

    The arithmetic is pendulum's: ``previous(weekday)`` is strictly before the day,
    ``subtract(months=...)`` keeps the end of month right.
    """
    pub = pendulum.Date(published.year, published.month, published.day)
    if kind == "absolute":
        return _absolute(g, published)
    if kind == "yesterday":
        date = pub.subtract(days=2 if "اول" in g["ago"] else 1)
        warnings = _check_weekday(g.get("wd"), date)
        if warnings:
            # A quoted source counts days from its own statement: keep both readings.
            named = pub.previous(_PENDULUM_DAY[WEEKDAY_NUMBER[g["wd"]]])
            return _day(min(named, date)), _day(max(named, date)), "days", warnings
        return _day(date), _day(date), "day", warnings
    if kind == "today":
        return published, published, "day", _check_weekday(g.get("wd"), published)
    if kind == "days_ago":
        n = g["n"]
        if n.endswith("اسابيع"):  # "قبل ثلاثة أسابيع": that week, give or take three days
            weeks = int(n.split()[0]) if n.split()[0].isdigit() else _NUMBER_WORDS[n.split()[0]]
            centre = pub.subtract(days=7 * weeks)
            return _day(centre.subtract(days=3)), _day(centre.add(days=3)), "days", ()
        if n.startswith("اسبوعين"):
            return _day(pub.subtract(days=16)), _day(pub.subtract(days=12)), "days", ()
        if n.startswith("اسبوع"):
            return _day(pub.subtract(days=9)), _day(pub.subtract(days=5)), "days", ()
        if n == "ايام":
            return _day(pub.subtract(days=7)), _day(pub.subtract(days=2)), "days", ()
        if n == "يوم":
            return _day(pub.subtract(days=1)), _day(pub.subtract(days=1)), "day", ()
        count = _NUMBER_WORDS.get(n.split()[0]) or int(re.match(r"\d+", n).group())
        return _day(pub.subtract(days=count + 1)), _day(pub.subtract(days=max(count - 1, 0))), "days", ()
    if kind == "long_ago":
        months = _months_back(g["n"])
        centre = pub.subtract(months=months)
        if "اكثر" in (g.get("about") or "") or "يزيد" in (g.get("about") or ""):
            # "منذ أكثر من عامين": it began two years ago at the latest
            return _day(centre.subtract(months=max(3, months // 4))), _day(centre), "month", ()
        slack = 3 if months >= 12 else 1 if months >= 3 else 0
        days = 10 if months < 3 else 0
        return (_day(centre.subtract(months=slack, days=days)),
                min(published, _day(centre.add(months=slack, days=days))), "month", ())
    if kind == "since_event":
        found = _since_event(g, pub, published)
        if g.get("cmp") and found:
            low, high = found[0], found[1]
            if g["cmp"] == "اقل":  # "بعد أقل من شهر على": at most that long before, up to the report
                return low, published, found[2], ()
            # "بعد أكثر من شهر على": at least that long before, up to twice as long
            return max(dt.date(1990, 1, 1), low - (published - low)), high, found[2], ()
        return found
    if kind == "this_week":
        # "خلال الأسبوع الحالي": the seven days up to the report, under any week-start convention
        return _day(pub.subtract(days=6)), _day(pub), "week", ()
    if kind == "last_week":
        # "الأسبوع الماضي": the previous calendar week under any week-start convention
        return _day(pub.subtract(days=13)), _day(pub.subtract(days=1)), "week", ()
    if kind == "this_month":
        month = pub.start_of("month")
        if g.get("rel") and g["rel"] not in ("الجاري", "الحالي"):
            month = month.subtract(days=1).start_of("month")  # "الشهر الماضي"
        last = month.end_of("month").day
        day = int(g["day"]) if g.get("day") else _day_number(g["dayword"]) if g.get("dayword") else 0
        if day:  # "في التاسع من الشهر الجاري", "في 9 من الشهر الماضي"
            if not 1 <= day <= last or month.add(days=day - 1) > pub:
                return None
            return _day(month.add(days=day - 1)), _day(month.add(days=day - 1)), "day", ()
        first_day, last_day = {"نهايه": (20, last), "اواخر": (20, last), "اخر": (20, last), "اوائل": (1, 10),
                               "بدايه": (1, 10), "مطلع": (1, 10), "منتصف": (10, 20), "اواسط": (10, 20),
                               }.get(g.get("qual", ""), (1, last))
        date_from = month.add(days=first_day - 1)
        if date_from > pub:
            return None
        return _day(date_from), min(published, _day(month.add(days=last_day - 1))), "month", ()
    if kind == "month_pair":
        m1, m2 = MONTH_NUMBER[g["m1"]], MONTH_NUMBER[g["m2"]]
        year2 = _year({k: v for k, v in g.items() if k in ("year", "rel")}, published, m2)
        year1 = year2 - 1 if m1 > m2 else year2
        return (dt.date(year1, m1, 1), dt.date(year2, m2, calendar.monthrange(year2, m2)[1]), "month", ())
    if kind == "night_pair":
        second = WEEKDAY_NUMBER[g["wd2"]]
        end = published if second == pub.weekday() else _day(pub.previous(_PENDULUM_DAY[second]))
        return end - dt.timedelta(days=1), end, "days", ()
    if kind == "last_year":
        return dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31), "year", ()
    if kind == "weekday":
        if g.get("rel") in ("المقبل", "القادم"):
            return None
        weekday = WEEKDAY_NUMBER[g["wd"]]
        if weekday == pub.weekday() and not g.get("rel"):
            return published, published, "day", ()  # "يوم الخميس" written on a Thursday: that day
        date = pub.previous(_PENDULUM_DAY[weekday])  # "الخميس الماضي" on a Thursday: a week ago
        return _day(date), _day(date), "day", ()
    if kind == "part_of_year":
        rel = g.get("rel", "")
        year = _year_number(g["year"]) if g.get("year") else pub.year - (
            1 if any(w in rel for w in ("ماضي", "فائت", "منصرم")) else 0)
        months = {"مطلع": (1, 2), "بدايه": (1, 2), "اوائل": (1, 2), "منتصف": (5, 8), "اواسط": (5, 8),
                  "نهايه": (11, 12), "اواخر": (11, 12)}[g["qual"]]
        return (dt.date(year, months[0], 1), dt.date(year, months[1], calendar.monthrange(year, months[1])[1]),
                "month", ())
    if kind == "year":
        year = _year_number(g["year"])
        return dt.date(year, 1, 1), min(dt.date(year, 12, 31), max(published, dt.date(year, 1, 1))), "year", ()
    return None


#: Python weekday (Monday = 0) → pendulum's weekday constant
_PENDULUM_DAY = {0: pendulum.MONDAY, 1: pendulum.TUESDAY, 2: pendulum.WEDNESDAY, 3: pendulum.THURSDAY,
                 4: pendulum.FRIDAY, 5: pendulum.SATURDAY, 6: pendulum.SUNDAY}


def provisional_published(text: str) -> dt.date | None:
    """For an undated article: the latest full date it writes, else the latest day and month
    it names in the latest year it names, else the end of that year, else None.

    A text that names no year gives no date: today would be a guess (a report of 2015 read in
    2026 would date its "yesterday" to 2026), and every window is built on this date, so such
    a document yields no claims until its publication date is given.

    >>> provisional_published("سيطر التنظيم على المدينه في 3 اذار 2016 ثم في 5 نيسان 2016")
    datetime.date(2016, 4, 5)
    >>> provisional_published("بعد معارك عام 2015 سيطر الجيش يوم الثلاثاء 10 نوفمبر علي البلده")
    datetime.date(2015, 11, 10)
    >>> provisional_published("سيطر الجيش يوم الثلاثاء 10 نوفمبر علي البلده") is None
    True
    """
    today = dt.date.today()
    written = [m.date_to for m in find_dates(text, today) if m.precision == "day" and m.absolute]
    if written:
        return max(written)
    years = [int(y) for y in re.findall(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)", text) if int(y) <= today.year]
    if not years:
        return None
    end_of_year = dt.date(max(years), 12, 31)
    days = [m.date_to for m in find_dates(text, end_of_year) if m.precision == "day"
            and m.date_to.year == end_of_year.year and _MONTH_NAMED.search(text, m.start, m.end)]
    return max(days, default=end_of_year)


def _absolute(g: dict[str, str], pub: dt.date):
    names = _MONTH_NAMED.findall(g["months"])
    numbers = {MONTH_NUMBER[n] for n in names}
    if len(numbers) != 1:
        return None  # "آذار نيسان" names two months: not one date
    month = numbers.pop()
    if len(names) == 1 and names[0] in ("ماي", "اب", "اوت") and not (
            g.get("day") or g.get("year") or g.get("qual") or g.get("rel")):
        return None  # "ماي", "آب" alone are also ordinary words ("أواخر آب" is not)
    if g.get("dayword"):
        g = {**g, "day": str(_day_number(g["dayword"]))}
    year = _year(g, pub, month)
    warnings: tuple[str, ...] = ()
    if g.get("day"):
        day_number = int(g["day"])
        if not 1 <= day_number <= calendar.monthrange(year, month)[1]:
            return None
        date = dt.date(year, month, day_number)
        warnings = _check_weekday(g.get("wd"), date)
        return date, date, "day", warnings
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = {
        "نهايه": (20, last), "اواخر": (20, last), "اخر": (20, last), "اوائل": (1, 10),
        "بدايه": (1, 10), "مطلع": (1, 10), "منتصف": (10, 20), "اواسط": (10, 20),
    }.get(g.get("qual", ""), (1, last))
    return dt.date(year, month, first_day), dt.date(year, month, last_day), "month", warnings


def _day_number(words: str) -> int:
    """ "السابع والعشرين" → 27, "الحادي عشر" → 11, "العاشر" → 10."""
    parts = words.split()
    if parts[0] in ("العاشر", "العشرين", "الثلاثين"):
        return {"العاشر": 10, "العشرين": 20, "الثلاثين": 30}[parts[0]]
    unit = _ORDINAL[parts[0]]
    tens = {"عشر": 10, "والعشرين": 20, "والثلاثين": 30}.get(parts[1], 0) if len(parts) > 1 else 0
    return tens + unit


def _year(g: dict[str, str], pub: dt.date, month: int) -> int:
    if g.get("year"):
        return _year_number(g["year"])
    yrel = g.get("yrel") or ""
    if "ماضي" in yrel or "فائت" in yrel:
        return pub.year - 1
    if yrel or g.get("rel") in ("الجاري", "الحالي"):
        return pub.year  # "مطلع آذار الجاري": the month of publication
    # no year: the latest such month that is not after publication
    if month > pub.month or (month == pub.month and g.get("rel") and not g.get("day")):
        return pub.year - 1
    return pub.year


def _check_weekday(name: str | None, date) -> tuple[str, ...]:
    if not name:
        return ()
    weekday = WEEKDAY_NUMBER[name]
    if weekday == date.weekday():
        return ()
    return (f"weekday {name} contradicts {date.isoformat()}, which was a {date.strftime('%A')}",)
