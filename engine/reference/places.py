"""The rows of the gazetteer: the shipped ``sites.csv`` plus a user's own places.

A user adds places without editing the package: a CSV with the shipped file's
columns (``site_id, name_en, names_ar, kind, lat, lon`` required, the others
optional) read from the log folder (``events/places.csv``) and from the file
``$TADMUR_PLACES`` names. A user row with a shipped ``site_id`` replaces that row
(its variants, coordinates...). Stdlib only: the extractor reads these rows
without importing polars.
"""

from __future__ import annotations

import csv
import os
import re
import time
from functools import cache
from importlib import resources
from pathlib import Path


#: Columns of ``sites.csv``, in order.
COLUMNS = (
    "site_id", "name_en", "names_ar", "kind", "parent_id", "region_id", "lat", "lon",
    "coord_quality", "location_note", "source_url", "pcode",
    "admin1_pcode", "admin1_en", "admin1_ar", "admin2_pcode", "admin2_en", "admin2_ar",
    "admin3_pcode", "admin3_en", "admin3_ar", "origin", "basis",
)
REQUIRED = ("site_id", "name_en", "names_ar", "kind", "lat", "lon")
FLOAT_COLUMNS = ("lat", "lon")
PLACES_FILE = "places.csv"
_SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


@cache
def _places_error() -> type:
    # engine.domain imports numba and polars (a second at start-up): `tadmur extract`
    # reads the places without it, and only an error pays for the import
    from engine.domain.errors import TadmurError

    class PlacesError(TadmurError):
        """A user's places file has a row the gazetteer cannot take."""

    return PlacesError


def __getattr__(name: str):
    if name == "PlacesError":
        return _places_error()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def user_place_files() -> tuple[Path, ...]:
    """The user's places files that exist: ``<log folder>/places.csv``, then ``$TADMUR_PLACES``.

    The log folder is ``$TADMUR_LOG``, else the project's ``events/``, else ``./events``
    (as the store finds it).
    """
    if os.environ.get("TADMUR_LOG"):
        folder = Path(os.environ["TADMUR_LOG"])
    else:
        beside = Path(__file__).resolve().parents[2] / "events"
        folder = beside if beside.is_dir() else Path.cwd() / "events"
    paths = [folder / PLACES_FILE]
    if os.environ.get("TADMUR_PLACES"):
        paths.append(Path(os.environ["TADMUR_PLACES"]))
    return tuple(p for p in paths if p.is_file())


def _signature(paths: tuple[Path, ...]) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


_KEY: list = [float("-inf"), ()]
#: Seconds a rows key is trusted: the store asks for site ids once per claim.
_RECHECK = 1.0


def rows_key() -> tuple:
    """What the current rows depend on: the user's places files (path, time, size).

    Looked up at most once a second, so a loop over a million claims costs no
    file-system calls.
    """
    now = time.monotonic()
    if now - _KEY[0] > _RECHECK:
        _KEY[:] = [now, _signature(user_place_files())]
    return _KEY[1]


def forget_places() -> None:
    """Look at the user's places files again on the next call (after writing one)."""
    _KEY[0] = float("-inf")


def site_rows() -> tuple[dict[str, str], ...]:
    """Every site row: shipped first (in file order), then the user's new places.

    Cached until a user's places file changes (its path, size or time).
    """
    return rows_for(rows_key())


@cache
def shipped_rows() -> tuple[dict[str, str], ...]:
    """The rows of the shipped ``sites.csv``."""
    with resources.files("engine.reference").joinpath("sites.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def rows_for(signature: tuple) -> tuple[dict[str, str], ...]:
    """The rows for a :func:`rows_key` (cached)."""
    rows = {r["site_id"]: r for r in shipped_rows()}
    for path_text, _mtime, _size in signature:
        for row in read_user_places(Path(path_text)):
            rows[row["site_id"]] = row
    return tuple(rows.values())


def read_user_places(path: Path) -> list[dict[str, str]]:
    """The rows of a user's places file, checked; a bad row raises :class:`PlacesError`.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "places.csv"
        >>> _ = p.write_text("site_id,name_en,names_ar,kind,lat,lon\\n"
        ...                  "my_hill,My hill,تلة الصنوبر|تل الصنوبر,hill,34.6,38.1\\n", encoding="utf-8")
        >>> [(r["site_id"], r["origin"], r["coord_quality"]) for r in read_user_places(p)]
        [('my_hill', 'user', 'approximate')]
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise _places_error()(
                    f"the places file lacks the column(s) {', '.join(missing)}", where=f"{path}, line 1",
                    hint=f"the header needs at least {','.join(REQUIRED)}; optional: "
                    + ",".join(c for c in COLUMNS if c not in REQUIRED),
                )
            unknown = [c for c in header if c not in COLUMNS]
            if unknown:
                raise _places_error()(f"unknown column(s) {', '.join(unknown)}", where=f"{path}, line 1",
                                  hint=f"the columns are those of sites.csv: {','.join(COLUMNS)}")
            rows = [_checked(row, path, line) for line, row in enumerate(reader, start=2)]
    except UnicodeDecodeError as err:
        raise _places_error()("the places file is not UTF-8 text", where=str(path),
                          hint="save it as UTF-8 (CSV UTF-8 in a spreadsheet)") from err
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        if row["site_id"] in seen:
            raise _places_error()(f"site_id {row['site_id']!r} is given twice", where=f"{path}, line {line}",
                              hint=f"it is already on line {seen[row['site_id']]}; keep one row per place")
        seen[row["site_id"]] = line
    return rows


def _checked(row: dict, path: Path, line: int) -> dict[str, str]:
    where = f"{path}, line {line}"
    if None in row or any(v is None for v in row.values()):
        raise _places_error()("the row has a different number of fields than the header", where=where,
                          hint="quote fields that hold a comma: \"Homs Governorate, east\"")
    out = {c: (row.get(c) or "").strip() for c in COLUMNS}
    for c in REQUIRED:
        if not out[c]:
            raise _places_error()(f"empty {c}", where=where, hint=f"every place needs {', '.join(REQUIRED)}")
    if not _SLUG.match(out["site_id"]):
        raise _places_error()(f"site_id {out['site_id']!r} is not a lowercase slug", where=where,
                          hint="use lowercase ASCII letters, digits and single underscores, e.g. tal_sanawbar")
    for c in FLOAT_COLUMNS:
        try:
            value = float(out[c])
        except ValueError:
            raise _places_error()(f"{c} {out[c]!r} is not a number", where=where,
                              hint="decimal degrees with a dot, e.g. 34.55 and 38.27") from None
        low, high = (32.0, 37.5) if c == "lat" else (35.5, 42.5)
        if not low <= value <= high:
            raise _places_error()(f"{c} {value} is outside Syria ({low}..{high})", where=where,
                              hint="check that lat and lon are not swapped")
    if not any(v.strip() for v in out["names_ar"].split("|")):
        raise _places_error()("names_ar holds no name", where=where, hint="Arabic variants separated by |")
    out["coord_quality"] = out["coord_quality"] or "approximate"
    if out["coord_quality"] not in ("confirmed", "approximate"):
        raise _places_error()(f"coord_quality {out['coord_quality']!r} is neither confirmed nor approximate",
                          where=where, hint="leave it empty for approximate")
    out["region_id"] = out["region_id"] or "user_places"
    out["origin"] = "user"
    out["basis"] = out["basis"] or f"user's places file {path.name}"
    return out
