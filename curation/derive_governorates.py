"""Derive the governorate outlines the project ships (engine/charts/data/governorates.json)
from OCHA's admin1 polygons: Douglas-Peucker simplification, coordinates rounded to
0.001 degree, rings wound clockwise (the convention of d3-geo, which Vega uses; the
other winding would outline the rest of the world), properties cut to p-code and names.

The source stays outside the repository (licence: CC BY-IGO, cite "OCHA Syria COD-AB").
Usage:

    python curation/derive_governorates.py [--source ../shared/reference/ocha_syria_admin1_governorates.geojson]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "engine" / "charts" / "data" / "governorates.json"
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "ocha_syria_admin1_governorates.geojson"


def _distance(point, start, end) -> float:
    """Distance from ``point`` to the segment start–end, in degrees (planar: the
    tolerance is small and Syria is far from the poles)."""
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > far:
                far, index = d, i
        if index is not None and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep) if kept]


def _signed_area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2


def _ring(ring: list, tolerance: float, exterior: bool) -> list | None:
    small = [[round(x, 3), round(y, 3)] for x, y in simplify(ring, tolerance)]
    if len(small) < 4:
        return None
    clockwise = _signed_area(small) < 0
    if clockwise != exterior:  # d3-geo: exteriors clockwise, holes counter-clockwise
        small.reverse()
    return small


def derive(source: Path, tolerance: float) -> dict:
    features = []
    for feature in json.loads(source.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        kept = []
        for polygon in polygons:
            rings = [_ring(r, tolerance, exterior=i == 0) for i, r in enumerate(polygon)]
            if rings[0] is not None:
                kept.append([r for r in rings if r is not None])
        props = feature["properties"]
        features.append({
            "type": "Feature",
            "properties": {"pcode": props["pcode"], "name_en": props["name_en"],
                           "name_ar": props["name_ar"], "role": "governorate"},
            "geometry": {"type": "MultiPolygon", "coordinates": kept},
        })
    features.sort(key=lambda f: f["properties"]["pcode"])
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--tolerance", type=float, default=0.02, help="degrees (~2 km)")
    args = parser.parse_args()
    outline = derive(args.source, args.tolerance)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(outline, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(r) for f in outline["features"] for p in f["geometry"]["coordinates"] for r in p)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(outline['features'])} governorates, {points} points, "
          f"{OUT.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
