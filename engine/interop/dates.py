"""Date windows in the datasets' precision codes, and back.

ACLED gives one day per event plus ``time_precision`` (1 the day, 2 a week: the midpoint
is coded, 3 a month: its midpoint); UCDP GED gives an interval plus ``date_prec``
(1 a day, 2 two to six days, 3 a week, 4 a month, 5 a year). Tadmur's windows are
intervals, so UCDP keeps them exactly; ACLED keeps them at its precision.
"""

from __future__ import annotations

import calendar
import datetime as dt

#: the half-width ACLED's week precision stands for (the midpoint of a 7-day span)
WEEK_HALF = 3


def acled_date(start: dt.date, end: dt.date) -> tuple[dt.date, int]:
    """ACLED's ``(event_date, time_precision)`` for a window: its midpoint and precision.

    >>> acled_date(dt.date(2016, 12, 11), dt.date(2016, 12, 11))
    (datetime.date(2016, 12, 11), 1)
    >>> acled_date(dt.date(2016, 12, 8), dt.date(2016, 12, 11))
    (datetime.date(2016, 12, 9), 2)
    >>> acled_date(dt.date(2015, 5, 1), dt.date(2015, 5, 31))
    (datetime.date(2015, 5, 16), 3)
    """
    days = (end - start).days
    middle = start + dt.timedelta(days=days // 2)
    if days == 0:
        return start, 1
    if days <= 2 * WEEK_HALF:
        return middle, 2
    return middle, 3  # ACLED records nothing vaguer than a month: the notes keep the window


def window_from_acled(event_date: dt.date, time_precision: int) -> tuple[dt.date, dt.date, str]:
    """The window ``(valid_from, valid_to, tadmur time_precision)`` an ACLED date stands for.

    >>> window_from_acled(dt.date(2016, 12, 9), 2)
    (datetime.date(2016, 12, 6), datetime.date(2016, 12, 12), 'week')
    >>> window_from_acled(dt.date(2015, 5, 16), 3)
    (datetime.date(2015, 5, 1), datetime.date(2015, 5, 31), 'month')
    """
    if time_precision == 1:
        return event_date, event_date, "day"
    if time_precision == 2:
        half = dt.timedelta(days=WEEK_HALF)
        return event_date - half, event_date + half, "week"
    last = calendar.monthrange(event_date.year, event_date.month)[1]
    return event_date.replace(day=1), event_date.replace(day=last), "month"


def ucdp_date_prec(start: dt.date, end: dt.date) -> int:
    """UCDP GED's ``date_prec`` for a window.

    >>> [ucdp_date_prec(dt.date(2016, 1, 1), dt.date(2016, 1, d)) for d in (1, 3, 7, 31)]
    [1, 2, 3, 4]
    >>> ucdp_date_prec(dt.date(2016, 1, 1), dt.date(2016, 3, 1))
    5
    """
    days = (end - start).days + 1
    if days == 1:
        return 1
    if days <= 6:
        return 2
    if days == 7:
        return 3
    if days <= 31:
        return 4
    return 5
