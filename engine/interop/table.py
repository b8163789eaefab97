"""Rows of an exchange format -> a typed frame, shared by the ACLED and UCDP writers."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl


def typed_frame(rows: list[dict], schema: Mapping[str, type[pl.DataType]]) -> pl.DataFrame:
    """``rows`` in the format's column order and types.

    An empty field stays empty in the CSV: polars would write ``""`` for an empty
    string, so empty strings become nulls first.

    >>> typed_frame([{"year": 2016, "notes": ""}], {"year": pl.Int32, "notes": pl.String}).row(0)
    (2016, None)
    """
    blank = [{k: (None if v == "" else v) for k, v in row.items()} for row in rows]
    return pl.DataFrame(blank, schema=dict(schema), orient="row")
