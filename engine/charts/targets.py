"""What ``tadmur chart SITE_OR_REGION`` names: the sites it covers and the chart it draws."""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from engine.charts.maps import map_chart
from engine.charts.swings import swings_chart
from engine.charts.timeline import timeline_chart
from engine.domain.errors import TadmurError
from engine.reference import load_sites


def sites_for(target: str, sites: pl.DataFrame | None = None) -> list[str]:
    """The site ids a SITE_OR_REGION argument names, in reference order.

    A region id (``palmyra_area``) names its sites; a site id names the site and the
    sites inside it (``deir_ez_zor`` includes its airbase); ``all`` names every site.

    >>> sites_for("deir_ez_zor_airbase")
    ['deir_ez_zor_airbase']
    >>> len(sites_for("qaryatayn_area")) > 3
    True
    """
    sites = load_sites() if sites is None else sites
    if target == "all":
        chosen = sites
    elif target in sites["region_id"].to_list():
        chosen = sites.filter(pl.col("region_id") == target)
    elif target in sites["site_id"].to_list():
        chosen = sites.filter((pl.col("site_id") == target) | (pl.col("parent_id") == target))
    else:
        regions = ", ".join(sorted(set(sites["region_id"].drop_nulls().to_list())))
        raise TadmurError(
            f"{target!r} is neither a site id nor a region id",
            where="SITE_OR_REGION",
            hint=f"use 'all', a region ({regions}) or a site id (`tadmur sites` lists them)",
        )
    return chosen["site_id"].to_list()


def chart_for(replayed, target: str = "palmyra", on: dt.date | None = None) -> alt.TopLevelMixin:
    """The chart ``tadmur chart`` draws for ``target`` from a replay (``Replayed``).

    ``on`` given: the map of ``target``'s sites on that day. Otherwise ``palmyra`` is the
    swings showcase and any other site or region a timeline of its sites.

    Example:
        >>> from engine.project import replay_log
        >>> chart_for(replay_log(), "palmyra").to_dict()["vconcat"][0]["name"]  # doctest: +SKIP
        'control'
    """
    chosen = sites_for(target)
    timelines = replayed.timelines
    caption = replayed.caption()
    if on is not None:
        snap = timelines.snapshot(on).filter(pl.col("site_id").is_in(chosen))
        # sites with claims only: a governorate holds hundreds of villages
        named = timelines.claims["site_id"].unique().implode()
        reference = load_sites().filter(pl.col("site_id").is_in(chosen) & pl.col("site_id").is_in(named))
        return map_chart(snap, on, caption, sites=reference)
    if target == "palmyra":
        return swings_chart(timelines.intervals, timelines.swings, timelines.claims, caption)
    intervals = timelines.intervals.filter(pl.col("site_id").is_in(chosen))
    title = "Who held each site" + (f" ({target})" if target != "all" else "")
    return timeline_chart(intervals, timelines.claims, caption, title=title)
