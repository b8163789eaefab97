"""Maps of control: sites on their coordinates over Syria's governorates (OCHA Syria
COD-AB, CC BY-IGO, simplified: ``engine/charts/data/``) and the Euphrates (no tiles, no
network), for one day or a series of days.

Sites that share a spot (hills around a town, an airbase beside its city) are spread on
a small circle around it, so none hides another; only the first site of a pile is
labelled, beside the pile.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from functools import cache
from importlib import resources

import altair as alt
import polars as pl

from engine.charts.encodings import chart_title, controller_colour
from engine.charts.frames import controller_key, fit_rows, site_labels, window_text
from engine.charts.style import CONTROLLER_AR, FONT
from engine.reference import load_sites


#: The attribution every map carries.
BOUNDARIES_CREDIT = "boundaries: OCHA Syria COD-AB, CC BY-IGO (simplified)"

#: Sites closer than this (degrees) share a spot and are spread around it.
PILE_DEGREES = 0.06


@cache
def _outline_features() -> tuple[dict, ...]:
    """The governorates (shipped, from OCHA) and the hand-drawn Euphrates."""
    path = resources.files("engine.reference").joinpath("region_outline.json")
    rivers = [f for f in json.loads(path.read_text(encoding="utf-8"))["features"]
              if f["properties"]["role"] == "river"]
    shipped = resources.files("engine.charts").joinpath("data", "governorates.json")
    governorates = json.loads(shipped.read_text(encoding="utf-8"))["features"]
    return tuple(governorates + rivers)


def spread_piles(points: pl.DataFrame, radius: float = 0.14) -> pl.DataFrame:
    """Move sites that share a spot onto a small circle around it (``lat``/``lon`` are
    replaced; the true ones are kept as ``lat_true``/``lon_true``), add ``pile_size`` and
    ``pile_rank`` (0: the site drawn at the centre and labelled). A lone site stays put.

    >>> pts = pl.DataFrame({"site_id": ["town", "hill_a", "hill_b", "far"],
    ...     "lat": [34.2, 34.2, 34.21, 35.0], "lon": [37.2, 37.2, 37.2, 40.0]})
    >>> out = spread_piles(pts)
    >>> out["pile_size"].to_list(), out.filter(pl.col("site_id") == "far")["lat"].item()
    ([3, 3, 3, 1], 35.0)
    >>> out.select(pl.struct("lat", "lon").n_unique()).item()  # no two drawn on one spot
    4
    """
    cell = [(pl.col(c) / PILE_DEGREES).round(0).alias(f"_{c}") for c in ("lat", "lon")]
    ordered = points.with_row_index("_order").with_columns(cell)
    piles = ordered.with_columns(
        pile_size=pl.len().over("_lat", "_lon").cast(pl.UInt32),
        pile_rank=pl.int_range(pl.len()).over("_lat", "_lon", order_by="_order").cast(pl.UInt32),
        _lat0=pl.col("lat").first().over("_lat", "_lon", order_by="_order"),
        _lon0=pl.col("lon").first().over("_lat", "_lon", order_by="_order"),
    )
    # the first site stays at the centre; the others go round it
    angle = 2 * math.pi * (pl.col("pile_rank") - 1) / (pl.col("pile_size") - 1).clip(1)
    moved = pl.col("pile_rank") > 0
    return piles.with_columns(
        lat_true=pl.col("lat"),
        lon_true=pl.col("lon"),
        lat=pl.when(moved).then(pl.col("_lat0") + radius * angle.sin()).otherwise(pl.col("lat")),
        lon=pl.when(moved)
        .then(pl.col("_lon0") + radius * angle.cos() / math.cos(math.radians(35)))
        .otherwise(pl.col("lon")),
    ).sort("_order").drop("_order", "_lat", "_lon", "_lat0", "_lon0")


def region_outline() -> dict:
    """The shipped outline (the 14 governorates from OCHA, simplified, and the Euphrates,
    hand-drawn) as a GeoJSON FeatureCollection.

    >>> [f["properties"]["role"] for f in region_outline()["features"]].count("governorate")
    14
    """
    return {"type": "FeatureCollection", "features": list(_outline_features())}


def _coordinate_quality_channels() -> dict:
    """Approximate coordinates are drawn as larger, paler discs: an area, not a point."""
    return {
        "size": alt.Size(
            "coord_quality:N",
            title="coordinates",
            scale=alt.Scale(domain=["confirmed", "approximate"], range=[70, 260]),
        ),
        "opacity": alt.Opacity(
            "coord_quality:N",
            title="coordinates",
            scale=alt.Scale(domain=["confirmed", "approximate"], range=[1.0, 0.4]),
        ),
    }


def map_chart(
    snapshot: pl.DataFrame,
    on: dt.date,
    caption: str,
    *,
    sites: pl.DataFrame | None = None,
    width: int = 560,
    height: int = 460,
) -> alt.TopLevelMixin:
    """Sites on their coordinates, coloured by controller on ``on``, over the shipped
    outline of Syria and the Euphrates (no tiles, no network).

    Approximate coordinates are drawn as large pale discs ("somewhere around here"),
    confirmed ones as small solid dots; sites of ``sites`` the replay says nothing about
    are hollow. By default only the sites in ``snapshot`` are drawn (not every village).

    Args:
        snapshot: SNAPSHOT rows for ``on`` (``Timelines.snapshot(on)``).
        on: the day shown.
        caption: what the chart was built from, e.g. ``Replayed.caption()``.
        sites: the site reference (defaults to ``load_sites()``).

    Example:
        >>> snap = pl.DataFrame({"site_id": ["palmyra"], "controller": ["isis"], "status": ["held"],
        ...     "in_transition": [False], "since_earliest": [dt.date(2015, 5, 20)],
        ...     "since_latest": [dt.date(2015, 5, 21)]})
        >>> spec = map_chart(snap, dt.date(2016, 1, 1), "log seq 1").to_dict()
        >>> spec["title"]["text"]
        'Control on 2016-01-01'
    """
    if sites is None:
        # the gazetteer holds every community of Syria: draw the sites the replay names
        reference = load_sites().filter(pl.col("site_id").is_in(snapshot["site_id"].implode()))
    else:
        reference = sites
    points = (
        reference.select("site_id", "name_en", "kind", "lat", "lon", "coord_quality")
        .join(site_labels(reference).select("site_id", "site_ar"), on="site_id", how="left")
        .join(snapshot, on="site_id", how="left")
        .with_columns(
            controller_key(),
            replayed=pl.col("status").is_not_null(),
            since=window_text("since_earliest", "since_latest"),
            in_transition=pl.col("in_transition").fill_null(False),
        )
        .with_columns(
            controller_ar=pl.col("colour_key").replace_strict(
                CONTROLLER_AR, default=pl.col("colour_key")
            ),
        )
        .drop("since_earliest", "since_latest")
        # the town first in its pile: it stays at the centre and carries the label
        .sort(pl.col("kind").is_in(["city", "town"]).not_(), "site_id")
    )
    points = fit_rows(spread_piles(points).sort("site_id"), "sites")
    outline = alt.Data(values=list(_outline_features()))
    projection = {"type": "mercator"}
    border = (
        alt.Chart(outline)
        .mark_geoshape(filled=False, strokeWidth=1)
        .encode(
            stroke=alt.Stroke(
                "properties.role:N",
                legend=None,
                scale=alt.Scale(domain=["governorate", "river"], range=["#BBBBBB", "#9CC7E4"]),
            )
        )
        .project(**projection)
    )
    tooltip = [
        alt.Tooltip("site_ar:N", title="الموقع"),
        alt.Tooltip("controller_ar:N", title="الجهة المسيطرة"),
        alt.Tooltip("name_en:N", title="site"),
        alt.Tooltip("colour_key:N", title="controller"),
        alt.Tooltip("status:N", title="status"),
        alt.Tooltip("since:N", title="since"),
        alt.Tooltip("in_transition:N", title="changing hands"),
        alt.Tooltip("coord_quality:N", title="coordinates"),
    ]
    geo = {"longitude": "lon:Q", "latitude": "lat:Q"}
    unknown = (
        alt.Chart(points.filter(~pl.col("replayed")))
        .mark_point(size=30, color="#BBBBBB", filled=False)
        .encode(**geo, tooltip=tooltip)
        .project(**projection)
    )
    known = (
        alt.Chart(points.filter(pl.col("replayed")))
        .mark_circle(stroke="#333333", strokeWidth=0.5)
        .encode(
            **geo,
            color=controller_colour("colour_key"),
            **_coordinate_quality_channels(),
            tooltip=tooltip,
        )
        .project(**projection)
    )
    names = (
        alt.Chart(
            points.filter(
                (pl.col("coord_quality") == "confirmed")
                & pl.col("kind").is_in(["city", "town"])
                & (pl.col("pile_rank") == 0)
            )
        )
        # beside the pile, not on it: past the circle the other sites are spread on
        .mark_text(align="left", dx=16, dy=-10, fontSize=10, color="#333333")
        .encode(**geo, text="name_en:N")
        .project(**projection)
    )
    return (
        alt.layer(border, unknown, known, names)
        .properties(
            width=width,
            height=height,
            name="map",
            title=chart_title(
                f"Control on {on.isoformat()}",
                caption,
                "large pale disc: approximate coordinates · hollow: no replayed claim · sites sharing a spot are spread around it",
                BOUNDARIES_CREDIT,
            ),
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
    )


def map_series_chart(
    snapshots: pl.DataFrame,
    caption: str,
    *,
    sites: pl.DataFrame | None = None,
    days: list[dt.date] | None = None,
    shown: int | None = None,
    width: int = 560,
    height: int = 460,
) -> alt.TopLevelMixin:
    """Maps of control on several days in one spec, for animation.

    ``snapshots`` holds SNAPSHOT rows plus a ``day`` column (pl.Date), one block per day;
    ``days`` lists every day of the series (default: those in ``snapshots``), so a day
    with no replayed site still gets its (empty) map and the indices match the caller's.
    The parameter ``day`` (an index into the sorted days; its initial value is ``shown``,
    default the last) picks the map shown, so a slider or a Play widget only sends a
    number: nothing is re-rendered.
    Rows: one per (site, day) with a replayed controller, checked by ``fit_rows``.

    Example:
        >>> snap = pl.DataFrame({"site_id": ["palmyra"] * 2, "controller": ["isis", "government"],
        ...     "status": ["held"] * 2, "in_transition": [False] * 2,
        ...     "since_earliest": [dt.date(2015, 5, 20), dt.date(2016, 3, 27)],
        ...     "since_latest": [dt.date(2015, 5, 21), dt.date(2016, 3, 27)],
        ...     "day": [dt.date(2016, 1, 1), dt.date(2016, 6, 1)]})
        >>> spec = map_series_chart(snap, "log seq 1").to_dict()
        >>> [p["value"] for p in spec["params"] if p["name"] == "day"]
        [1]
    """
    if sites is None:
        # the gazetteer holds every community of Syria: draw the sites the replay names
        reference = load_sites().filter(pl.col("site_id").is_in(snapshots["site_id"].implode()))
    else:
        reference = sites
    every_day = pl.Series("day", days, dtype=pl.Date) if days is not None else snapshots["day"]
    days = pl.DataFrame(every_day).unique().sort("day").with_row_index("day_index")
    placed = spread_piles(
        reference.sort(pl.col("kind").is_in(["city", "town"]).not_(), "site_id").select(
            "site_id", "name_en", "lat", "lon", "coord_quality"
        )
    ).sort("site_id")
    points = (
        snapshots.join(days, on="day")
        .join(placed.select("site_id", "name_en", "lat", "lon", "coord_quality"), on="site_id")
        .join(site_labels(reference).select("site_id", "site_ar"), on="site_id", how="left")
        .with_columns(
            controller_key(),
            since=window_text("since_earliest", "since_latest"),
            day_index=pl.col("day_index").cast(pl.Int32),
        )
        .with_columns(
            controller_ar=pl.col("colour_key").replace_strict(
                CONTROLLER_AR, default=pl.col("colour_key")
            ),
        )
        .select(
            "day_index",
            "site_id",
            "name_en",
            "site_ar",
            "lat",
            "lon",
            "coord_quality",
            "colour_key",
            "controller_ar",
            "status",
            "since",
            "in_transition",
        )
        .sort("day_index", "site_id")
    )
    fit_rows(points, "sites by day")
    day = alt.param(name="day", value=max(days.height - 1, 0) if shown is None else shown)
    projection = {"type": "mercator"}
    geo = {"longitude": "lon:Q", "latitude": "lat:Q"}
    border = (
        alt.Chart(alt.Data(values=list(_outline_features())))
        .mark_geoshape(filled=False, strokeWidth=1, stroke="#AAAAAA")
        .project(**projection)
    )
    every_site = (
        alt.Chart(fit_rows(placed.select("site_id", "name_en", "lat", "lon"), "sites"))
        .mark_point(size=30, color="#BBBBBB", filled=False)
        .encode(**geo, tooltip=[alt.Tooltip("name_en:N", title="site")])
        .project(**projection)
    )
    held = (
        alt.Chart(points)
        .transform_filter("datum.day_index == day")
        .mark_circle(stroke="#333333", strokeWidth=0.5)
        .encode(
            **geo,
            color=controller_colour("colour_key"),
            **_coordinate_quality_channels(),
            tooltip=[
                alt.Tooltip("site_ar:N", title="الموقع"),
                alt.Tooltip("controller_ar:N", title="الجهة المسيطرة"),
                alt.Tooltip("name_en:N", title="site"),
                alt.Tooltip("status:N", title="status"),
                alt.Tooltip("since:N", title="since"),
                alt.Tooltip("coord_quality:N", title="coordinates"),
            ],
        )
        .project(**projection)
    )
    label = (
        alt.Chart(
            days.with_columns(
                pl.col("day_index").cast(pl.Int32), label=pl.col("day").dt.to_string("%Y-%m-%d")
            ).drop("day")
        )
        .transform_filter("datum.day_index == day")
        .mark_text(align="left", baseline="top", fontSize=18, fontWeight="bold", x=8, y=8)
        .encode(text="label:N")
    )
    return (
        alt.layer(border, every_site, held, label)
        .add_params(day)
        .properties(
            width=width,
            height=height,
            name="map_series",
            title=chart_title(
                "Control over time",
                caption,
                "large pale disc: approximate coordinates · hollow: no replayed claim",
                BOUNDARIES_CREDIT,
            ),
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
    )
