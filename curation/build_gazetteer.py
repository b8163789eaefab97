"""Derive ``engine/reference/sites.csv``: Syria's communities plus the curated places.

Inputs (read-only, kept out of the repository):
  * the OCHA Syria COD-AB admin4 communities (5,251 towns and villages: p-code,
    Arabic and English name, admin1-3, coordinates), cited as "OCHA Syria COD-AB",
    licence CC BY-IGO;
  * ``gazetteer_facts.csv``: researched facts on the Palmyra desert and Deir ez-Zor
    (their Arabic variants are checked against the curated rows, never dropped).

And, in the repository, ``curation/gazetteer/curated_places.csv``: the places OCHA
does not list (airbases, fields, hills, dams, colleges, brigades' bases, city districts)
and the project's own ids and variants for well-known towns.

What the derivation does:
  * a curated row with a ``pcode`` absorbs that community (the curated id, kind and
    variants win; OCHA gives coordinates and hierarchy);
  * a curated town without a ``pcode`` is matched to the community of the same name
    within 25 km, so the desert towns (تدمر, القريتين, السخنة...) carry their p-codes;
  * every other community becomes a site with a slug of its English name; slugs
    that collide get the admin2 slug, then the p-code (deterministic);
  * a non-populated place takes the admin1-3 of its nearest community (for roll-ups).

Run from the repository root::

    python curation/build_gazetteer.py [--shared ../shared]

The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "curation" / "gazetteer" / "curated_places.csv"
OUT = ROOT / "engine" / "reference" / "sites.csv"

COLUMNS = [
    "site_id", "name_en", "names_ar", "kind", "parent_id", "region_id", "lat", "lon",
    "coord_quality", "location_note", "source_url", "pcode",
    "admin1_pcode", "admin1_en", "admin1_ar", "admin2_pcode", "admin2_en", "admin2_ar",
    "admin3_pcode", "admin3_en", "admin3_ar", "origin", "basis",
]
_POPULATED = ("city", "town", "village")
_MATCH_KM = 25.0
_OCHA_BASIS = "OCHA Syria COD-AB admin4 communities (CC BY-IGO)"


def slug(text: str) -> str:
    """A lowercase ASCII slug.

    >>> slug("Deir-ez-Zor (city)")
    'deir_ez_zor_city'
    """
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def fold(text: str) -> str:
    """Fold Arabic spelling for matching names across sources (hamza, ة, ى, ال)."""
    text = re.sub(r"[\u064b-\u0652\u0640]", "", text)
    text = text.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"}))
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in text.split())


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def community_names(row: dict) -> list[str]:
    """Arabic variants of one OCHA community.

    ``_`` joins two villages (both names stand); ``-`` joins a second name or the
    admin unit that tells same-named villages apart (the admin unit is dropped).

    >>> community_names({"name_ar": "الحجلية - جرابلس", "admin2_ar": "جرابلس", "admin3_ar": "مركز جرابلس"})
    ['الحجلية']
    >>> community_names({"name_ar": "الطيبة_كترين", "admin2_ar": "x", "admin3_ar": "y"})
    ['الطيبة', 'كترين']
    """
    admin = {fold(row["admin2_ar"]), fold(row["admin3_ar"]), fold(re.sub(r"^مركز\s+", "", row["admin3_ar"]))}
    loose = {_loose(a) for a in admin}
    parts = [p.strip() for p in re.split(r"[_\-]", row["name_ar"]) if p.strip()]
    # "أم عدسة قرب منبج": the village near a town, which news writes "أم عدسة" (a single word
    # left, like "مشرفة", is an ordinary word too)
    parts += [near.group(1) for p in parts if (near := re.match(r"^(\S+\s+\S.*?)\s+قرب\s+\S+$", p))]
    names = [p for i, p in enumerate(parts) if i == 0 or fold(p) not in admin]
    for name in list(names):
        # "كفريا معرتمصرين": the village, then its subdistrict written after it (spelt
        # "معرة تمصرين" in the subdistrict's own row: compared without spaces and ة/ت)
        words = name.split()
        for k in range(1, len(words)):
            if fold(" ".join(words[k:])) in admin or _loose(" ".join(words[k:])) in loose:
                names.append(" ".join(words[:k]))
                break
    return [n for n in dict.fromkeys(names) if len(n.replace(" ", "")) >= 2]


def _loose(text: str) -> str:
    """A spelling key for admin names: folded, without spaces, ة/ه/ت and ال.

    >>> _loose("معرة تمصرين") == _loose("معرتمصرين")
    True
    """
    return re.sub(r"[\sهت]|^ال", "", fold(text))


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def kind_of(community: dict) -> str:
    level = community["capital_level"]
    return "city" if level in ("0", "1", "2") else "town" if level == "3" else "village"


def admin_fields(community: dict) -> dict:
    return {k: community[k] for k in (
        "admin1_pcode", "admin1_en", "admin1_ar", "admin2_pcode", "admin2_en", "admin2_ar",
        "admin3_pcode", "admin3_en", "admin3_ar")}


def region_of(community: dict) -> str:
    return slug(community["admin1_en"]) + "_governorate"


def build(ocha_path: Path, facts_path: Path | None) -> tuple[list[dict], list[str]]:
    """All sites (curated first, in the curated file's order, then communities by p-code)."""
    report: list[str] = []
    ocha = {r["pcode"]: r for r in read_csv(ocha_path)}
    curated = read_csv(CURATED)
    by_name: dict[str, list[dict]] = {}
    for c in ocha.values():
        for name in community_names(c):
            by_name.setdefault(fold(name), []).append(c)

    if facts_path is not None:
        by_en = {r["name_en"]: r for r in curated}
        for fact in read_csv(facts_path):
            row = by_en.get(fact["site_en"])
            if row is None:
                report.append(f"fact {fact['site_en']!r} has no curated row")
                continue
            have = row["names_ar"].split("|")
            row["names_ar"] = "|".join(have + [v for v in fact["names_ar"].split("|") if v not in have])

    absorbed: dict[str, str] = {}
    sites: list[dict] = []
    for row in curated:
        site = {c: row.get(c, "") for c in COLUMNS}
        pcode = row["pcode"]
        if not pcode and row["kind"] in _POPULATED and row["lat"]:
            lat, lon = float(row["lat"]), float(row["lon"])
            near = sorted(
                (km(lat, lon, float(c["lat"]), float(c["lon"])), c["pcode"])
                for v in row["names_ar"].split("|") for c in by_name.get(fold(re.sub(r"^(?:مدينة|بلدة|قرية|منطقة)\s+", "", v)), ())
            )
            if near and near[0][0] <= _MATCH_KM:
                pcode = near[0][1]
                report.append(f"{row['site_id']}: matched {pcode} {ocha[pcode]['name_en']} at {near[0][0]:.1f} km")
        if pcode:
            community = ocha[pcode]
            if pcode in absorbed:
                raise SystemExit(f"{pcode} claimed by both {absorbed[pcode]} and {row['site_id']}")
            absorbed[pcode] = row["site_id"]
            have = row["names_ar"].split("|")
            site["names_ar"] = "|".join(have + [n for n in community_names(community) if n not in have])
            site["pcode"] = pcode
            if not row["lat"]:
                site["lat"], site["lon"] = community["lat"], community["lon"]
                site["coord_quality"] = "confirmed"
                site["location_note"] = f"{community['admin2_en']} district, {community['admin1_en']} governorate"
            site.update(admin_fields(community))
            site["region_id"] = row["region_id"] or region_of(community)
            site["basis"] = (row["basis"] + "; " if row["basis"] and "OCHA" not in row["basis"] else "") + _OCHA_BASIS
        sites.append(site)

    # hierarchy for places OCHA does not list: their nearest community
    points = [(float(c["lat"]), float(c["lon"]), c) for c in ocha.values()]
    for site in sites:
        if site["pcode"]:
            continue
        lat, lon = float(site["lat"]), float(site["lon"])
        _, nearest = min(((km(lat, lon, a, b), c["pcode"]) for a, b, c in points), key=lambda t: t)
        community = ocha[nearest]
        site.update(admin_fields(community))
        site["region_id"] = site["region_id"] or region_of(community)
        site["origin"] = "curated"
    for site in sites:
        site["origin"] = "curated"

    taken = {s["site_id"] for s in sites}
    rest = [c for p, c in sorted(ocha.items(), key=lambda kv: int(kv[0][1:])) if p not in absorbed]
    base = {c["pcode"]: slug(c["name_en"]) or slug(c["pcode"]) for c in rest}
    counts: dict[str, int] = {}
    for s in base.values():
        counts[s] = counts.get(s, 0) + 1
    with_admin = {p: f"{s}_{slug(ocha[p]['admin2_en'])}" if counts[s] > 1 or s in taken else s for p, s in base.items()}
    counts = {}
    for s in with_admin.values():
        counts[s] = counts.get(s, 0) + 1
    for c in rest:
        site_id = with_admin[c["pcode"]]
        if counts[site_id] > 1 or site_id in taken:
            site_id = f"{base[c['pcode']]}_{c['pcode'].lower()}"
        taken.add(site_id)
        sites.append({
            "site_id": site_id, "name_en": c["name_en"], "names_ar": "|".join(community_names(c)),
            "kind": kind_of(c), "parent_id": "", "region_id": region_of(c),
            "lat": c["lat"], "lon": c["lon"], "coord_quality": "confirmed",
            "location_note": f"{c['admin2_en']} district, {c['admin1_en']} governorate",
            "source_url": "", "pcode": c["pcode"], **admin_fields(c), "origin": "ocha", "basis": _OCHA_BASIS,
        })
    ids = [s["site_id"] for s in sites]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate site ids")
    return sites, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="folder holding reference/ocha_syria_admin4_communities.csv (default ../shared)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    ref = args.shared / "reference"
    facts = ref / "gazetteer_facts.csv"
    sites, report = build(ref / "ocha_syria_admin4_communities.csv", facts if facts.exists() else None)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sites)
    for line in report:
        print(line, file=sys.stderr)
    curated = sum(s["origin"] == "curated" for s in sites)
    print(f"wrote {len(sites)} sites ({curated} curated, {len(sites) - curated} OCHA communities) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
