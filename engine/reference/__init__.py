"""Reference data shipped with Tadmur: the sites (gazetteer) and the claimants.

``sites.csv`` is derived by ``curation/build_gazetteer.py`` from the OCHA Syria COD-AB
communities and the curated places; a user's own places (``events/places.csv``,
``$TADMUR_PLACES``) are merged over it. ``load_sites`` and ``load_claimants`` return
polars frames; ``site_ids``, ``claimant_ids`` and ``resolve_site`` answer without
polars (the extract path and ``tadmur --help`` never import it).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from engine.reference.places import COLUMNS, FLOAT_COLUMNS, rows_for, rows_key

if TYPE_CHECKING:
    import polars as pl


def site_columns() -> dict:
    """The polars schema of the sites table."""
    import polars as pl

    return {c: (pl.Float64 if c in FLOAT_COLUMNS else pl.String) for c in COLUMNS}


def load_sites() -> pl.DataFrame:
    """Every known site with Arabic names (``|``-separated), hierarchy and coordinates.

    Shipped sites first (the curated places, then the OCHA communities), then the
    user's own places.

    >>> import polars as pl
    >>> load_sites().filter(pl.col("site_id") == "palmyra")["pcode"].item()
    'C2889'
    """
    return _frame(rows_key())


@cache
def _frame(key: tuple) -> pl.DataFrame:
    import polars as pl

    SITE_COLUMNS = site_columns()  # noqa: N806 - the schema, as a constant would be
    with resources.files(__package__).joinpath("sites.csv").open("rb") as handle:
        shipped = pl.read_csv(handle, schema=SITE_COLUMNS)
    if not key:
        return shipped
    users = [r for r in rows_for(key) if r.get("origin") == "user"]
    columns = {c: [r.get(c) or None for r in users] for c in COLUMNS}
    for c in FLOAT_COLUMNS:
        columns[c] = [float(v) for v in columns[c]]
    user = pl.DataFrame(columns, schema=SITE_COLUMNS)
    kept = shipped.filter(~pl.col("site_id").is_in(user["site_id"].implode()))
    # a user row that replaces a shipped one keeps the shipped row's place in the order
    replaced = shipped.select("site_id").join(user, on="site_id", how="inner")
    order = shipped.select("site_id").with_row_index("_at")
    merged = pl.concat([kept, replaced]).join(order, on="site_id").sort("_at").drop("_at")
    return pl.concat([merged, user.filter(~pl.col("site_id").is_in(shipped["site_id"].implode()))])


def site_ids() -> frozenset[str]:
    """The set of valid ``site_id`` values (shipped and the user's own places)."""
    return _ids(rows_key())


@cache
def _ids(key: tuple) -> frozenset[str]:
    shipped = {row["site_id"] for row in _csv_rows("sites.csv")}
    return frozenset(shipped | {r["site_id"] for r in rows_for(key)} if key else shipped)


def _csv_rows(name: str) -> list[dict]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def resolve_site(name_ar: str, *, name_en: str | None = None, context=None) -> tuple[str | None, str]:
    """The site an Arabic place name stands for, and why (see ``engine.reference.resolve``).

    >>> resolve_site("مدينة تدمر")
    ('palmyra', "'مدينة تدمر' is the name of palmyra (Palmyra (Tadmur) city, C2889)")
    """
    from engine.reference.resolve import resolve_site as resolve

    return resolve(name_ar, name_en=name_en, context=context)


@cache
def load_claimants() -> pl.DataFrame:
    """Claimant ids with names and affiliation (isis, government, independent...).

    >>> "amaq" in load_claimants()["claimant_id"].to_list()
    True
    """
    import polars as pl

    with resources.files(__package__).joinpath("claimants.csv").open("rb") as handle:
        return pl.read_csv(handle, infer_schema=False)


@cache
def claimant_ids() -> frozenset[str]:
    """The set of known claimant ids."""
    return frozenset(row["claimant_id"] for row in _csv_rows("claimants.csv"))
