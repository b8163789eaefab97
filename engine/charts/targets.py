"""What ``tadmur chart SITE_OR_REGION`` names: the sites it covers and the chart it draws."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import polars as pl

from engine.charts.frames import site_labels
from engine.charts.maps import map_chart, spread_piles
from engine.charts.swings import swings_chart
from engine.charts.timeline import timeline_chart, timeline_window
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


@dataclass(frozen=True, eq=False)
class SiteSet:
    """What a timeline of ``target`` fixes whatever the policy: its sites with claims,
    their rows (labels in reference order) and the time domain.

    Derived from every claim of the log (believed or not), so the explorer and
    ``tadmur chart --timeline`` draw the same rows on the same axis under any policy.
    """

    target: str
    site_ids: tuple[str, ...]
    rows: tuple[str, ...]
    window: tuple[dt.date, dt.date]
    places: pl.DataFrame  # site_id, lat, lon: where each is drawn, piles spread


def site_set(replayed, target: str) -> SiteSet:
    """The :class:`SiteSet` of ``target`` in a replayed log (``Replayed``)."""
    chosen = sites_for(target)
    events = replayed.claim_events.filter(pl.col("site_id").is_in(chosen))
    with_claims = set(events["site_id"].drop_nulls().to_list())
    labels = site_labels().filter(pl.col("site_id").is_in(list(with_claims))).sort("site_rank")
    reference = load_sites().filter(pl.col("site_id").is_in(list(with_claims)))
    places = spread_piles(
        reference.sort(pl.col("kind").is_in(["city", "town"]).not_(), "site_id").select("site_id", "lat", "lon")
    ).select("site_id", "lat", "lon")
    intervals = replayed.timelines.intervals.filter(pl.col("site_id").is_in(chosen))
    return SiteSet(
        target=target,
        site_ids=tuple(labels["site_id"].to_list()),
        rows=tuple(labels["site_label"].to_list()),
        window=timeline_window(intervals, events),
        places=places,
    )


def timeline_for(replayed, target: str, **options) -> alt.TopLevelMixin:
    """The timeline of ``target`` under ``replayed``'s policy, on its :class:`SiteSet`'s
    fixed rows and axis, open intervals drawn to the policy's "known by" day.

    ``options`` go to :func:`timeline_chart` (``interactive``, ``title``, ``width``).
    """
    fixed = site_set(replayed, target)
    timelines = replayed.timelines
    title = options.pop("title", "Who held each site" + (f" ({target})" if target != "all" else ""))
    return timeline_chart(
        timelines.intervals.filter(pl.col("site_id").is_in(list(fixed.site_ids))),
        timelines.claims,
        replayed.caption(),
        window=fixed.window,
        known_by=replayed.policy.known_by,
        rows_shown=list(fixed.rows),
        title=title,
        **options,
    )


def chart_for(
    replayed, target: str = "palmyra", on: dt.date | None = None, timeline: bool = False
) -> alt.TopLevelMixin:
    """The chart ``tadmur chart`` draws for ``target`` from a replay (``Replayed``).

    ``on`` given: the map of ``target``'s sites on that day. Otherwise ``palmyra`` is the
    swings showcase (unless ``timeline``) and any other site or region a timeline of its
    sites (:func:`timeline_for`, what the explorer shows).

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
        # only sites the log has claims about: the gazetteer holds thousands of places
        claimed = replayed.claim_events["site_id"].unique().implode()
        reference = load_sites().filter(
            pl.col("site_id").is_in(chosen) & pl.col("site_id").is_in(claimed)
        )
        return map_chart(snap, on, caption, sites=reference)
    if target == "palmyra" and not timeline:
        return swings_chart(timelines.intervals, timelines.swings, timelines.claims, caption)
    return timeline_for(replayed, target)
