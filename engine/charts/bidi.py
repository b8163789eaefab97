"""Bidirectional text for display: isolate runs so mixed Arabic and Latin read right.

In a right-to-left line, a date next to an Arabic word is reordered with its neighbours
(an ISO date after an Arabic word shows as ``20-05-2015``). Wrapping each date or time in
FIRST STRONG ISOLATE (U+2068) … POP DIRECTIONAL ISOLATE (U+2069) makes the browser lay
it out on its own, left to right. Only text *for display* is wrapped:
stored claims, evidence and their offsets are never touched.
"""

from __future__ import annotations

import re

import polars as pl

FSI, PDI = "\u2068", "\u2069"
LRI, RLI = "\u2066", "\u2067"

# a run of numbers joined by the punctuation of dates and times (2015-05-20, 27/03/2016,
# 10:30): the runs a right-to-left line reorders. Words are left alone, so the displayed
# text still contains every word of the stored one (a search for it finds it).
_RUN = r"[0-9]+(?:[.:/\-][0-9]+)+"


def isolate_runs(text: str) -> str:
    """Wrap every date- or time-like run of ``text`` in FSI … PDI.

    >>> isolate_runs("سيطر التنظيم في 2015-05-20") == "سيطر التنظيم في \\u20682015-05-20\\u2069"
    True
    >>> isolate_runs("")
    ''
    """
    return re.sub(_RUN, lambda m: FSI + m.group(0) + PDI, text)


def isolate_runs_expr(expr: pl.Expr) -> pl.Expr:
    """The polars version of :func:`isolate_runs`, for whole columns.

    >>> df = pl.DataFrame({"q": ["قال 2016-03-27 SANA", None]})
    >>> df.select(isolate_runs_expr(pl.col("q")))["q"].to_list() == [
    ...     "قال \\u20682016-03-27\\u2069 SANA", None]
    True
    """
    return expr.str.replace_all(f"({_RUN})", FSI + "${1}" + PDI)


def direction(text_expr: pl.Expr) -> pl.Expr:
    """"rtl" when the first letter of the text is Arabic, else "ltr" (taken on the raw
    text: a browser's own first-strong rule skips isolated runs, so it cannot be left to
    ``dir="auto"`` once the runs are isolated).

    >>> pl.DataFrame({"q": ["Palmyra (تدمر)", "قال SANA", "2015"]}).select(direction(pl.col("q"))).to_series().to_list()
    ['ltr', 'rtl', 'ltr']
    """
    first = text_expr.str.extract(r"([A-Za-z\u0600-\u06FF])", 1)
    return pl.when(first.str.contains(r"[\u0600-\u06FF]").fill_null(False)).then(
        pl.lit("rtl")
    ).otherwise(pl.lit("ltr"))


def isolate(text_expr: pl.Expr) -> pl.Expr:
    """The whole cell isolated in the direction of its first letter (RLI or LRI … PDI),
    with its dates and times isolated inside it.

    >>> df = pl.DataFrame({"q": ["في 2015-05-20", "Palmyra (تدمر), 2016"]})
    >>> [len(v) for v in df.select(isolate(pl.col("q"))).to_series()]  # marks added, text kept
    [17, 22]
    >>> df.select(isolate(pl.col("q"))).to_series().str.slice(0, 1).to_list() == [RLI, LRI]
    True
    """
    opener = pl.when(direction(text_expr) == "rtl").then(pl.lit(RLI)).otherwise(pl.lit(LRI))
    return opener + isolate_runs_expr(text_expr) + pl.lit(PDI)
