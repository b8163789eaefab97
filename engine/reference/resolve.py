"""Which of several same-named places an article means, and why.

Ten places are called الطيبة. The article decides: a governorate it names ("ريف
حلب", "بمحافظة حمص"), the places it names unambiguously (the nearest candidate
wins when it is clearly nearer), the region of its other claims. Without such
evidence, the one district or governorate capital among the candidates is taken
and the reason says so; otherwise the name stays unresolved and the reason lists
the candidates. Nothing is guessed silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from engine.extract.normalise import fold_text
from engine.reference.gazetteer import Gazetteer, PlaceMention, Site, load_gazetteer

#: A candidate this much nearer than the next one, and within this distance, wins.
NEAR_KM = 60.0
_CLEARLY = 2.0
#: Places sharing a name and lying this close are one place named twice (twin hills).
SAME_PLACE_KM = 8.0


def km(a: Site, b: Site) -> float:
    """Great-circle distance between two sites in kilometres.

    >>> g = load_gazetteer()
    >>> round(km(g.sites["palmyra"], g.sites["palmyra_airport"]))
    5
    """
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


@dataclass
class Evidence:
    """What an article says about where it is.

    Attributes:
        sites: places it names unambiguously (site ids), in text order.
        governorates: admin1 p-codes it names as regions ("ريف حلب").
    """

    sites: list[str] = field(default_factory=list)
    governorates: set[str] = field(default_factory=set)

    @classmethod
    def of_mentions(cls, gaz: Gazetteer, mentions: list[PlaceMention]) -> Evidence:
        """Evidence from the mentions of one article."""
        ev = cls()
        for m in mentions:
            if m.generic_kinds or m.weak or len(m.site_ids) != 1:
                continue
            site = gaz.sites[m.site_ids[0]]
            if m.region:
                if site.admin1_pcode:
                    ev.governorates.add(site.admin1_pcode)
            elif site.lat is not None:
                ev.sites.append(site.site_id)
        return ev


def choose(gaz: Gazetteer, name: str, candidates: tuple[str, ...], ev: Evidence) -> tuple[tuple[str, ...], str]:
    """The candidates ``ev`` points to (one, or several that are one place), and why.

    Returns ``((), why)`` when nothing decides.

    Example:
        >>> g = load_gazetteer()
        >>> ids = g.names_of(fold_text("صوران"))
        >>> choose(g, "صوران", ids, Evidence(governorates={"SY05"}))[0]
        ('suran_hama',)
    """
    sites = [gaz.sites[s] for s in candidates]
    if len(sites) == 1:
        return candidates, f"{name!r} is the name of {sites[0].label()}"
    placed = [s for s in sites if s.lat is not None]
    if placed and len(placed) == len(sites) and all(km(placed[0], s) <= SAME_PLACE_KM for s in placed):
        return candidates, f"{name!r} names {len(sites)} neighbouring places: {', '.join(s.site_id for s in sites)}"
    if ev.governorates:
        inside = [s for s in sites if s.admin1_pcode in ev.governorates]
        if len(inside) == 1:
            return (inside[0].site_id,), (f"{name!r}: {len(sites)} places of that name; {inside[0].label()} "
                                          f"is in {inside[0].admin1_en} governorate, which the text names")
        if inside:
            sites = inside
    others = [gaz.sites[s] for s in dict.fromkeys(ev.sites) if s not in candidates and gaz.sites[s].lat is not None]
    if others and all(s.lat is not None for s in sites):
        ranked = sorted((min((km(s, o), o.site_id) for o in others), s.site_id) for s in sites)
        (best_km, near), best = ranked[0]
        second = ranked[1][0][0] if len(ranked) > 1 else math.inf
        if best_km <= NEAR_KM and second >= _CLEARLY * max(best_km, 1.0):
            return (best,), (f"{name!r}: {len(candidates)} places of that name; {gaz.sites[best].label()} is "
                             f"{best_km:.0f} km from {near}, named in the text (next candidate {second:.0f} km)")
    capitals = [s for s in sites if s.kind == "city"]
    if len(capitals) == 1:
        return (capitals[0].site_id,), (f"{name!r}: {len(candidates)} places of that name and nothing in the text "
                                        f"decides; took {capitals[0].label()}, the only city among them")
    listed = ", ".join(f"{s.site_id} ({s.admin2_en or s.region_id})" for s in sites[:8])
    more = f" and {len(sites) - 8} more" if len(sites) > 8 else ""
    return (), f"{name!r} is ambiguous: {len(sites)} places ({listed}{more}); nothing in the text decides"


@dataclass
class PlaceContext:
    """Context for :func:`resolve_site`.

    Attributes:
        text: the article (raw or folded); its unambiguous places and named
            governorates are the evidence.
        site_ids: the sites of the article's other claims.
        governorate: an admin1 name or p-code ("Aleppo", "حلب", "SY02").
        at: offset of the mention in ``text`` (raw): a generic name ("المدينة")
            stands for the last fitting place named before it.
    """

    text: str = ""
    site_ids: tuple[str, ...] = ()
    governorate: str | None = None
    at: int | None = None


def _evidence(gaz: Gazetteer, context) -> Evidence:
    if context is None:
        return Evidence()
    if isinstance(context, str):
        context = PlaceContext(text=context)
    elif isinstance(context, (list, tuple, set, frozenset)):
        context = PlaceContext(site_ids=tuple(context))
    ev = Evidence.of_mentions(gaz, gaz.find(fold_text(context.text))) if context.text else Evidence()
    ev.sites.extend(s for s in context.site_ids if s in gaz.sites)
    if context.governorate:
        wanted = fold_text(context.governorate).lower()
        for site in gaz.sites.values():
            if site.admin1_pcode and wanted in (site.admin1_pcode.lower(), site.admin1_en.lower()):
                ev.governorates.add(site.admin1_pcode)
                break
        else:
            ev.governorates.update(gaz.sites[i].admin1_pcode for i in gaz.names_of(wanted)
                                   if gaz.sites[i].kind == "city" and gaz.sites[i].admin1_pcode)
    return ev


def resolve_site(name_ar: str, *, name_en: str | None = None, context=None) -> tuple[str | None, str]:
    """The site id an Arabic place name stands for, and a sentence saying why.

    Args:
        name_ar: the name as written ("مدينة الباب", "بلدة صوران", "حي الشيخ سعيد");
            clitics, a leading place noun, hamza/ة/ى spellings and a typo in a curated
            name are forgiven.
        name_en: an English name, used when the Arabic one finds nothing (matched
            against the gazetteer's English names, ignoring case, "al-" and punctuation).
        context: ``None``; the article's text (``str``); the site ids of the article's
            other claims (a tuple/list/set); or a :class:`PlaceContext`.

    Returns:
        ``(site_id, why)``; ``(None, why)`` when the name is unknown, generic
        without context, or ambiguous and nothing decides.

    Example:
        >>> resolve_site("بلدة صوران", context="في ريف حماة الشمالي")[0]
        'suran_hama'
        >>> resolve_site("الطيبة")[0] is None
        True
    """
    gaz = load_gazetteer()
    folded = fold_text(name_ar).strip()
    mentions = [m for m in gaz.find(folded) if not m.region]
    if mentions:
        m = max(mentions, key=lambda m: (m.end - m.start, -m.start))
        ev = _evidence(gaz, context)
        if m.generic_kinds:
            if isinstance(context, PlaceContext) and context.at is not None:
                ev = _evidence(gaz, PlaceContext(context.text[:context.at], context.site_ids, context.governorate))
            last = [s for s in reversed(ev.sites) if s in frozenset(m.site_ids)]
            if last:
                return last[0], f"{name_ar!r} stands for the last {'/'.join(m.generic_kinds)} named: {gaz.sites[last[0]].label()}"
            return None, f"{name_ar!r} is a generic name ({'/'.join(m.generic_kinds)}) and the context names no such place"
        ids, why = choose(gaz, name_ar.strip() if len(mentions) == 1 else folded[m.start:m.end], m.site_ids, ev)
        if m.fuzzy:
            why += " (matched one letter off)"
        if len(ids) == 1:
            return ids[0], why
        if ids:
            return None, why + "; give one of them"
        return None, why
    if name_en:
        key = _en_key(name_en)
        hits = sorted(s.site_id for s in gaz.sites.values() if _en_key(s.name_en) == key)
        if len(hits) == 1:
            return hits[0], f"{name_ar!r} is not in the gazetteer; the English name {name_en!r} is {hits[0]}"
        if hits:
            return None, f"the English name {name_en!r} fits {len(hits)} places ({', '.join(hits[:6])})"
    return None, (f"{name_ar!r} is not in the gazetteer; add it to events/places.csv "
                  "(columns site_id,name_en,names_ar,kind,lat,lon)")


def _en_key(name: str) -> str:
    words = [w for w in "".join(c if c.isalnum() else " " for c in name.lower().split("(")[0]).split()
             if w not in ("al", "el", "ar", "as", "ad", "ash", "at", "the")]
    return " ".join(words)
