"""What a notebook's prose says against what its outputs show.

A "reading" cell (markdown in italics, right after a code cell) interprets the output
above it. Every count and every day it cites must be visible in that output, so the text
never drifts from the data (a notebook once said "the other 49" under a table of 64).
Years alone and month names alone ("March 2016") are context, not checked.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = ("January February March April May June July August September October November "
          "December").split()
_DAY = re.compile(r"\b(\d{1,2})(?:\s*[–-]\s*(\d{1,2}))?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b")
_MONTH_YEAR = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\s+\d{4}\b")
_NUMBER = re.compile(r"(?<![\w.-])\d+(?![\w.-]|\.\d)")


def shown_text(cell) -> str:
    """Everything a code cell's outputs show as text (plain, HTML, streams)."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        data = out.get("data", {})
        parts += [str(data.get("text/plain", "")), str(data.get("text/html", ""))]
    return "\n".join(parts)


def cited(text: str) -> list[str]:
    """The days (ISO) and counts a sentence cites.

    >>> cited("ISIS from 20–21 May 2015; 16 sites in March 2016, 4 under siege.")
    ['2015-05-20', '2015-05-21', '16', '4']
    """
    found = []
    for first, last, month, year in _DAY.findall(text):
        number = MONTHS.index(month) + 1
        for day in filter(None, (first, last)):
            found.append(dt.date(int(year), number, int(day)).isoformat())
    rest = _MONTH_YEAR.sub(" ", _DAY.sub(" ", text))
    rest = re.sub(r"`[^`]*`", " ", rest)  # code spans name things, they do not count
    found += [n for n in _NUMBER.findall(rest) if not (len(n) == 4 and n.startswith(("19", "20")))]
    return found


def unshown_claims(nb) -> list[str]:
    """'cell N: X' for each day or count a reading cell cites that its output does not show."""
    problems = []
    previous = None
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            previous = cell
            continue
        reading = cell.source.lstrip().startswith("*") and not cell.source.lstrip().startswith("**")
        if reading and previous is not None and previous.get("outputs"):
            shown = shown_text(previous)
            if "widget-view" in str(previous.outputs) and not shown.strip():
                continue
            first_paragraph = cell.source.split("\n\n")[0]
            problems += [f"cell {number}: {item}" for item in cited(first_paragraph)
                         if not re.search(rf"(?<![\d-]){re.escape(item)}(?![\d])", shown)]
        previous = None
    return problems
