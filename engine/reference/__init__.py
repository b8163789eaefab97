"""Reference data shipped with Tadmur: the sites (gazetteer) and the claimants.

The CSVs beside this module are the single source; ``load_sites`` and
``load_claimants`` return them as polars frames.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl

SITE_COLUMNS = {
    "site_id": pl.String,
    "name_en": pl.String,
    "names_ar": pl.String,
    "kind": pl.String,
    "parent_id": pl.String,
    "region_id": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "coord_quality": pl.String,
    "location_note": pl.String,
    "source_url": pl.String,
}


@cache
def load_sites() -> pl.DataFrame:
    """Every known site with Arabic names (``|``-separated), region and coordinates.

    >>> load_sites().filter(pl.col("site_id") == "palmyra")["region_id"].item()
    'palmyra_area'
    """
    with resources.files(__package__).joinpath("sites.csv").open("rb") as handle:
        return pl.read_csv(handle, schema=SITE_COLUMNS)


@cache
def site_ids() -> frozenset[str]:
    """The set of valid ``site_id`` values."""
    return frozenset(load_sites()["site_id"].to_list())


@cache
def load_claimants() -> pl.DataFrame:
    """Claimant ids with names and affiliation (isis, government, independent...).

    >>> "amaq" in load_claimants()["claimant_id"].to_list()
    True
    """
    with resources.files(__package__).joinpath("claimants.csv").open("rb") as handle:
        return pl.read_csv(handle, infer_schema=False)


@cache
def claimant_ids() -> frozenset[str]:
    """The set of known claimant ids."""
    return frozenset(load_claimants()["claimant_id"].to_list())
