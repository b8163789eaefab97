"""A site's place in the datasets' terms: admin names, coordinates, precision codes.

Admin names come from the gazetteer's OCHA COD-AB columns when it has them
(``admin1_name_en`` ... or ``admin1`` ...); otherwise they are read from the site's
``location_note`` ("Homs Governorate (Tadmur District)"), and left empty when it names
none. Reading back, an ACLED row is matched to the nearest site within a radius.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import polars as pl

from engine.reference import load_sites

#: column names the gazetteer may use for admin level N names, most specific first
_ADMIN_COLUMNS = ("admin{n}_name_en", "admin{n}_en", "adm{n}_en", "admin{n}_name", "admin{n}")
#: ACLED geo_precision by the gazetteer's coord_quality (3: only a region is known)
_ACLED_GEO = {"confirmed": 1, "approximate": 2}


@dataclass(frozen=True)
class Place:
    """Where a site is, in the columns both datasets share."""

    site_id: str
    location: str
    admin1: str
    admin2: str
    admin3: str
    latitude: float | None
    longitude: float | None
    #: ACLED geo_precision: 1 town with coordinates, 2 near a town / part of a region, 3 region
    geo_precision: int
    #: UCDP where_prec: 1 exact place, 2 within ~25 km of a known place, 5 vaguer
    where_prec: int
    #: the site's English names, normalised (see :func:`name_key`), for matching rows
    names: frozenset[str] = frozenset()


def admin_from_note(note: str | None) -> tuple[str, str]:
    """(admin1, admin2) named by a gazetteer note such as "Homs Governorate (Tadmur District)".

    >>> admin_from_note("Homs Governorate (Tadmur District)")
    ('Homs', 'Tadmur')
    >>> admin_from_note("Palmyra area (NW)")
    ('', '')
    """
    text = note or ""
    governorate = re.search(r"([A-Z][\w' -]*?) Governorate", text)
    district = re.search(r"([A-Z][\w' -]*?) District", text)
    return (governorate.group(1) if governorate else "", district.group(1) if district else "")


def _admin(row: dict, level: int) -> str:
    for pattern in _ADMIN_COLUMNS:
        value = row.get(pattern.format(n=level))
        if value:
            return str(value)
    return ""


def name_key(name: str) -> str:
    """A place name reduced for matching: lower case, letters and digits only, no "al".

    >>> name_key("Al-Qaryatayn"), name_key("al Qaryatayn")
    ('qaryatayn', 'qaryatayn')
    """
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "".join(w for w in words if w not in ("al", "el", "city"))


def _names(name_en: str, site_id: str) -> frozenset[str]:
    parts = [name_en, _location(name_en), site_id, *re.findall(r"\((.*?)\)", name_en)]
    return frozenset(k for k in map(name_key, parts) if k)


def _location(name_en: str) -> str:
    """The plain place name: 'Palmyra (Tadmur) city' -> 'Palmyra'."""
    return re.sub(r"\s*\(.*?\)", "", name_en).replace(" city", "").strip() or name_en


def site_places(sites: pl.DataFrame | None = None) -> dict[str, Place]:
    """Every site's :class:`Place`, keyed by site id.

    >>> site_places()["palmyra"].admin1, site_places()["palmyra"].geo_precision
    ('Homs', 1)
    """
    sites = load_sites() if sites is None else sites
    places = {}
    for row in sites.iter_rows(named=True):
        from_note = admin_from_note(row.get("location_note"))
        admin1 = _admin(row, 1) or from_note[0]
        admin2 = _admin(row, 2) or from_note[1]
        precise = row.get("coord_quality") in _ACLED_GEO and row.get("lat") is not None
        geo = _ACLED_GEO.get(row.get("coord_quality") or "", 3) if precise else 3
        places[row["site_id"]] = Place(
            site_id=row["site_id"],
            location=_location(row["name_en"]),
            admin1=admin1,
            admin2=admin2,
            admin3=_admin(row, 3),
            latitude=row.get("lat"),
            longitude=row.get("lon"),
            geo_precision=geo,
            where_prec={1: 1, 2: 2}.get(geo, 5),
            names=_names(row["name_en"], row["site_id"]),
        )
    return places


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine).

    >>> round(distance_km(34.56, 38.2672, 34.5575, 38.3169), 1)
    4.6
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def nearest_site(
    latitude: float,
    longitude: float,
    max_km: float,
    places: dict[str, Place] | None = None,
    location: str = "",
) -> str | None:
    """The site a point stands for: among the sites within ``max_km``, the one named
    ``location`` if any (several sites can share coordinates), else the nearest.

    >>> nearest_site(34.5604, 38.2700, 3.0), nearest_site(34.9, 35.3, 3.0) is None  # at sea
    ('palmyra', True)
    >>> nearest_site(34.56, 38.2672, 3.0, location="Palmyra Citadel")
    'palmyra_citadel'
    """
    near: list[tuple[float, str]] = []
    places = places or site_places()
    for place in places.values():
        if place.latitude is None or place.longitude is None:
            continue
        d = distance_km(latitude, longitude, place.latitude, place.longitude)
        if d <= max_km:
            near.append((d, place.site_id))
    key = name_key(location)
    named = [site for _, site in sorted(near) if key and key in places[site].names]
    if named:
        return named[0]
    return min(near)[1] if near else None
