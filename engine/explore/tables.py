"""HTML for the explorer: the claims table (one page at a time) and an article with its
evidence highlighted. Pure functions of polars frames and strings, escaped.

Text is isolated *for display* (``engine.charts.bidi``): an ISO date after an Arabic
word keeps its order. The stored claims and their evidence offsets are never changed.
"""

from __future__ import annotations

import html

import polars as pl

from engine.charts.bidi import FSI, PDI, direction, isolate_runs, isolate_runs_expr

#: The most claims one page of the table lists.
TABLE_ROWS = 60


def _escape(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).fill_null("")
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.str.replace_all(raw, safe, literal=True)
    return text


def table_order(claims: pl.DataFrame) -> pl.DataFrame:
    """The order the table lists claims in (valid time, site, claimant, id)."""
    return claims.sort("valid_from", "site_id", "claimant", "claim_id")


def claims_table_html(claims: pl.DataFrame, limit: int = TABLE_ROWS, page: int = 0) -> str:
    """An HTML table of claims, page ``page`` (from 0) of ``limit`` rows: window, site,
    claimant, what it says, the quote and its source. Quotes take their direction from
    their first letter (``dir="rtl"`` or ``"ltr"``), so Arabic reads right to left, and their Latin
    and numeric runs are isolated so a date keeps its order. Built column-wise in polars.

    >>> import datetime as dt
    >>> c = pl.DataFrame({"claim_id": ["c1"], "site_id": ["palmyra"], "kind": ["captured"],
    ...     "gainer": ["isis"], "claimant": ["amaq"], "doc_id": ["d1"],
    ...     "valid_from": [dt.date(2015, 5, 20)], "valid_to": [dt.date(2015, 5, 21)],
    ...     "published_date": [dt.date(2015, 5, 21)], "evidence_text": ["سيطر <التنظيم> في 2015-05-20"]})
    >>> page = claims_table_html(c)
    >>> 'dir="rtl"' in page and "&lt;التنظيم&gt;" in page and "\\u20682015-05-20\\u2069" in page
    True
    """
    if claims.height == 0:
        return "<p class='tadmur-claims'><i>No claim behind this selection.</i></p>"
    first = page * limit
    shown = table_order(claims).slice(first, limit)
    window = pl.concat_str(
        pl.col("valid_from").dt.to_string("%Y-%m-%d"),
        pl.lit(" – "),
        pl.col("valid_to").dt.to_string("%Y-%m-%d"),
    )
    rows = shown.select(
        pl.concat_str(
            pl.lit("<tr><td>"),
            window,
            pl.lit("</td><td>"),
            _escape(pl.col("site_id")),
            pl.lit("</td><td>"),
            _escape(pl.col("claimant")),
            pl.lit("</td><td>"),
            _escape(pl.col("kind")),
            pl.lit(" → "),
            _escape(pl.col("gainer")),
            # the direction of the quote's first letter, taken before its runs are isolated
            pl.lit('</td><td dir="'),
            direction(pl.col("evidence_text").fill_null("")),
            pl.lit('" style="text-align:start">'),
            _escape(isolate_runs_expr(pl.col("evidence_text").fill_null(""))),  # then escape
            pl.lit("</td><td>"),
            _escape(pl.col("doc_id")),
            pl.lit(" · "),
            pl.col("published_date").dt.to_string("%Y-%m-%d").fill_null("?"),
            pl.lit(" · "),
            _escape(pl.col("claim_id")),
            pl.lit("</td></tr>"),
        ).alias("row")
    )["row"]
    last = first + shown.height
    footer = (
        f"<p class='tadmur-page'><i>claims {first + 1}–{last} of {claims.height}</i></p>"
        if claims.height > limit
        else ""
    )
    head = (
        "<tr><th>valid window</th><th>site</th><th>claimant</th><th>claim</th>"
        "<th>evidence (الدليل)</th><th>source</th></tr>"
    )
    return (
        "<style>.tadmur-claims td, .tadmur-claims th {padding: 2px 8px; vertical-align: top;"
        " border-bottom: 1px solid #ddd}</style>"
        "<table class='tadmur-claims' style='border-collapse:collapse'>"
        + head
        + "".join(rows.to_list())
        + "</table>"
        + footer
    )


def evidence_html(
    text: str, claims: list[dict], *, start: str = "evidence_start", end: str = "evidence_end"
) -> str:
    """The article as right-to-left HTML with every claim's evidence span highlighted.

    Spans come from extraction output (``evidence_start``/``evidence_end``, offsets into
    ``text``, which is sliced as stored: isolation marks are added to the pieces after
    slicing); overlapping spans merge into one highlight, and each highlight's tooltip
    lists the claims it supports.

    >>> evidence_html("سيطر التنظيم على تدمر.", [{"evidence_start": 0, "evidence_end": 21,
    ...     "site_id": "palmyra", "kind": "captured", "gainer": "isis"}])[:60]
    '<div dir="rtl" lang="ar" style="line-height:1.9;text-align:r'
    """
    spans = sorted(
        (c[start], c[end], f"{c.get('site_id')}: {c.get('kind')} → {c.get('gainer')}")
        for c in claims
    )
    merged: list[list] = []
    for begin, finish, label in spans:
        if merged and begin < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], finish)
            merged[-1][2].append(label)
        else:
            merged.append([begin, finish, [label]])

    def shown(piece: str) -> str:
        return html.escape(isolate_runs(piece))

    parts, cursor = [], 0
    for begin, finish, labels in merged:
        parts.append(shown(text[cursor:begin]))
        title = html.escape("; ".join(labels), quote=True)
        parts.append(
            f'<mark title="{title}" style="background:#F0E442">{shown(text[begin:finish])}</mark>'
        )
        cursor = finish
    parts.append(shown(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>")
    return f'<div dir="rtl" lang="ar" style="line-height:1.9;text-align:right">{body}</div>'


__all__ = ["FSI", "PDI", "TABLE_ROWS", "claims_table_html", "evidence_html", "table_order"]
