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
import re
from dataclasses import dataclass, field

from engine.extract.normalise import fold_pattern, fold_text
from engine.reference.gazetteer import WEAK_NAMES, Gazetteer, PlaceMention, Site, load_gazetteer

#: A candidate this much nearer than the next one, and within this distance, wins.
NEAR_KM = 60.0
_CLEARLY = 2.0
#: A village name one letter off is accepted this near a place the text names.
TYPO_KM = 25.0
#: Places sharing a name and lying this close are one place named twice (twin hills).
SAME_PLACE_KM = 8.0
#: A village the text names alone, this far from every other place it names, is another
#: place of that name (one the gazetteer lacks).
FAR_KM = 100.0


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
        site = sites[0]
        if site.parent_id and site.lat is not None and not confirmed(gaz, site, ev) \
                and (any(o != site.site_id for o in ev.sites) or ev.governorates):
            # "صوامع الحبوب", "شركة الكهرباء": every city has one; ours is in another city (or
            # another governorate: "معمل السكر في ريف إدلب" is not the sugar factory of Raqqa)
            return (), (f"{name!r} is the name of {site.label()} in {site.parent_id}, but the text names "
                        f"no place within {NEAR_KM:.0f} km of it nor its governorate")
        return candidates, f"{name!r} is the name of {site.label()}"
    placed = [s for s in sites if s.lat is not None]
    if placed and len(placed) == len(sites) and all(km(placed[0], s) <= SAME_PLACE_KM for s in placed):
        curated = [s for s in sites if s.origin != "ocha"]
        if len(curated) == 1:
            return (curated[0].site_id,), (f"{name!r}: {len(sites)} entries within {SAME_PLACE_KM:.0f} km; "
                                           f"took the curated one, {curated[0].label()}")
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


def evidence_of(context) -> Evidence:
    """The evidence a context (see :func:`resolve_site`) gives about where a text is."""
    return _evidence(load_gazetteer(), context)


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
        m = max(mentions, key=lambda m: (not m.weak, m.end - m.start, -m.start))
        named_after = _NAMED_AFTER.match(folded)
        if named_after and m.start >= named_after.end() and all(
                gaz.sites[s].populated for s in m.site_ids) and not m.generic_kinds:
            # "حي الأصيلة", "حاجز عين السبيل", "صوامع منبج": a place named after a town or
            # village, not the town itself
            return None, (f"{name_ar!r} is a place named after {folded[m.start:m.end]!r}, "
                          "not in the gazetteer; add it to events/places.csv")
        ev = _evidence(gaz, context)
        if m.generic_kinds:
            if isinstance(context, PlaceContext) and context.at is not None:
                ev = _evidence(gaz, PlaceContext(context.text[:context.at], context.site_ids, context.governorate))
            fitting = frozenset(m.site_ids) | _called_towns(gaz, context, m.generic_kinds)
            topic = main_place(ev.sites, fitting)
            if topic:
                return topic, (f"{name_ar!r} stands for the {'/'.join(m.generic_kinds)} the text names most "
                               f"before it: {gaz.sites[topic].label()}")
            return None, f"{name_ar!r} is a generic name ({'/'.join(m.generic_kinds)}) and the context names no such place"
        ids, why = choose(gaz, name_ar.strip() if len(mentions) == 1 else folded[m.start:m.end], m.site_ids, ev)
        if len(ids) != 1 and name_en:
            named = _by_qualifier(gaz, ids or m.site_ids, name_en)
            if named:
                ids, why = (named,), (f"{name_ar!r}: {len(m.site_ids)} places of that name; the English name "
                                      f"{name_en!r} says {gaz.sites[named].label()}")
        elif name_en and "(" in name_en and _by_qualifier(gaz, ids, name_en) is None:
            # "al-Rumaila district (Raqqa)": the village الرملية is elsewhere; the district is meant
            key = _en_key(re.sub(r"\b(?:district|neighbourhood|quarter|area)\b", "", name_en.split("(")[0]))
            same = tuple(sid for sid, site in gaz.sites.items() if _en_key(site.name_en) == key)
            named = _by_qualifier(gaz, same, name_en) if same else None
            if named:
                ids, why = (named,), (f"{name_ar!r} is also {gaz.sites[named].label()}, which the English name "
                                      f"{name_en!r} says")
        if m.weak and len(ids) == 1 and not confirmed(gaz, gaz.sites[ids[0]], ev, weak=True):
            return None, (f"{name_ar!r} is a common word as well as the name of {gaz.sites[ids[0]].label()}, "
                          "and no place near it is named in the text")
        far = far_village(gaz, gaz.sites[ids[0]], ev) if len(ids) == 1 and not m.fuzzy else None
        if far:
            respelt = near_spelling(gaz, m.name, ev) if " " not in m.name else None
            return (respelt[0], f"{far}; read as {respelt[1]}") if respelt else (None, far)
        if m.fuzzy:
            why += " (matched one letter off)"
        if len(ids) == 1:
            return ids[0], why
        if ids:
            return None, why + "; give one of them"
        return None, why
    words = folded.split()
    if _NAMED_AFTER.match(folded) is None:
        # "قرية تل العمارنة": the name after its place noun, one letter off or another spelling
        bare = " ".join(words[1:]) if len(words) > 1 and _PLACE_NOUN.match(folded) else folded
        typo = near_spelling(gaz, bare, _evidence(gaz, context))
        if typo:
            return typo
    if name_en:
        key = _en_key(name_en)
        hits = sorted(s.site_id for s in gaz.sites.values() if _en_key(s.name_en) == key)
        if len(hits) == 1:
            return hits[0], f"{name_ar!r} is not in the gazetteer; the English name {name_en!r} is {hits[0]}"
        if hits:
            return None, f"the English name {name_en!r} fits {len(hits)} places ({', '.join(hits[:6])})"
    return None, (f"{name_ar!r} is not in the gazetteer; add it to events/places.csv "
                  "(columns site_id,name_en,names_ar,kind,lat,lon)")


#: Nouns of places named after a town ("حي", "حاجز", "صوامع"...): the town is not the object.
_NAMED_AFTER = re.compile(fold_pattern(
    r"(?:حي|أحياء|حاجز|صوامع|معمل|دوار|مفرق|جسر|كتيبة|سرية|مقر|مبنى|مشفى|مستشفى|مدرسة|جامع|مسجد|"
    r"سوق|ساحة|باب|منطقة|مزرعة|مزارع|مداجن|مقالع|قلعة|سجن|محطة|شركة|سد|مطار|فرع|رحبة|"
    r"مفرزة|نقطة|معسكر)\s+"))
_PLACE_NOUN = re.compile(fold_pattern(r"(?:قرية|بلدة|مدينة)\s+"))


def confirmed(gaz: Gazetteer, site: Site, ev: Evidence, weak: bool = False) -> bool:
    """The text names ``site``'s governorate or a place within :data:`NEAR_KM` of it.

    ``weak``: the name is also a common word ("الإسكان": housing). A village of such a name
    needs a place within :data:`TYPO_KM` (its governorate is not enough): "منطقة الإسكان" of an
    article on Aleppo is a part of the city, not the village اسكان 34 km away."""
    if weak and site.kind == "village" and site.origin == "ocha":
        return site.lat is not None and nearest(
            site, [gaz.sites[o] for o in ev.sites if o != site.site_id], TYPO_KM) is not None
    if site.admin1_pcode in ev.governorates:
        return True
    return site.lat is not None and any(
        o != site.site_id and gaz.sites[o].lat is not None and km(site, gaz.sites[o]) <= NEAR_KM for o in ev.sites)


def far_village(gaz: Gazetteer, site: Site, ev: Evidence) -> str | None:
    """Why a village the text names alone is not taken: it lies more than :data:`FAR_KM`
    from every other place the text names (at least two) and the text names no place of its
    governorate, like the village "مصطفى" of Qamishli in an article on Manbij ("قرية مصطفى
    جمادي"): another place of that name. ``None`` when it may be the village."""
    if site.kind != "village" or site.origin != "ocha" or site.lat is None \
            or site.admin1_pcode in ev.governorates:
        return None  # "مورك" in an article naming "ريف حماة" and the Aleppo-Damascus road
    others = {o for o in ev.sites if o != site.site_id and gaz.sites[o].lat is not None}
    if len(others) < 2:
        return None
    nearest = min(km(site, gaz.sites[o]) for o in others)
    if nearest <= FAR_KM:
        return None
    return (f"{site.name_ar!r} is the name of {site.label()}, but that village is {nearest:.0f} km "
            "from every other place the text names: another place of that name, not in the gazetteer")


#: "مدينة مورك": the text itself calls the place a town or city, whatever its kind in the
#: gazetteer (OCHA lists many towns as villages)
_TOWN_NOUN_BEFORE = re.compile(fold_pattern(r"(?<!\w)[وفبل]?(?:مدينة|بلدة)\s+$"))


def _called_towns(gaz: Gazetteer, context, kinds: tuple[str, ...]) -> frozenset[str]:
    """The places a generic "المدينة"/"البلدة" may stand for because the text, before the
    mention, names them "مدينة X" or "بلدة X" (one reading only, never a region)."""
    if not isinstance(context, (str, PlaceContext)) or not {"city", "town"} & set(kinds):
        return frozenset()
    text = context if isinstance(context, str) else context.text[: context.at]
    folded = fold_text(text)
    return frozenset(
        m.site_ids[0] for m in gaz.find(folded)
        if len(m.site_ids) == 1 and not m.region and not m.generic_kinds
        and _TOWN_NOUN_BEFORE.search(folded, max(0, m.start - 8), m.start)
    )


def main_place(named: list[str], fitting: frozenset[str]) -> str | None:
    """The fitting place named most often in ``named`` (text order); a tie goes to the one
    named first (the lead names the article's topic).

    "المدينة" is the town the article is about, not the last one it happened to name
    ("... قرب مدينة دير الزور"): the most named is the better guess.

    >>> main_place(["a", "b", "a", "c"], frozenset({"a", "c"}))
    'a'
    >>> main_place(["b", "c"], frozenset({"b", "c"}))
    'b'
    """
    counts: dict[str, tuple[int, int]] = {}
    for i, site in enumerate(named):
        if site in fitting:
            n, first = counts.get(site, (0, -i))
            counts[site] = (n + 1, first)
    return max(counts, key=counts.__getitem__) if counts else None


def near_spelling(gaz: Gazetteer, word: str, ev: Evidence) -> tuple[str, str] | None:
    """A village spelt otherwise than ``word``, accepted only within :data:`TYPO_KM` of a
    place the text names (:data:`NEAR_KM` for a town or city, which are few): one letter off
    (missing, added or two swapped, not changed; a four-letter word only swapped: "الحمير",
    "حيمر"), the last word of a longer name one letter off ("تل العمارنة", "تل العمارة"), or
    a sound pair written the other way, ال on a word or a doubled letter aside ("خربة
    الماسي", "خربة ماصي"). When several readings lie near, the one clearly nearest (half the
    distance of the next, or less) is taken; otherwise none."""
    if not ev.sites:
        return None
    names, alike = _spellings(gaz, word)
    if not names:
        return None
    candidates = tuple(dict.fromkeys(i for n in names for i in gaz.names_of(n)))
    # a village named far from every other place is itself a misreading: no anchor
    others = [gaz.sites[o] for o in dict.fromkeys(ev.sites) if o not in candidates and gaz.sites[o].lat is not None
              and not far_village(gaz, gaz.sites[o], ev)]
    near = []
    for c in candidates:
        # a town (a sub-district seat, a few hundred in Syria) is known farther than a village
        found = nearest(gaz.sites[c], others, NEAR_KM if gaz.sites[c].kind in ("town", "city") else TYPO_KM)
        if found:
            near.append((found[0], found[1], c))
    near.sort()
    if not near or len(near) > 1 and near[1][0] < _CLEARLY * max(near[0][0], 1.0):
        return None  # none near, or several about as near: no guess
    dist, by, site_id = near[0]
    how = "another spelling of" if any(site_id in gaz.names_of(n) for n in alike) else "one letter off"
    return site_id, (f"{word!r} is {how} {gaz.sites[site_id].name_ar!r}: {gaz.sites[site_id].label()} "
                     f"is {dist:.0f} km from {by}, named in the text")


def _spellings(gaz: Gazetteer, word: str) -> tuple[list[str], frozenset[str]]:
    """The names :func:`near_spelling` weighs for ``word`` and those of them read as another
    spelling (not a letter off); they depend on the word alone, so they are kept per gazetteer."""
    cache = gaz.__dict__.setdefault("_spelling_cache", {})
    found = cache.get(word)
    if found is None:
        core = _bare(word)
        names = [n for n in gaz.near_spellings(word) if len(_bare(n)) != len(core) or sorted(_bare(n)) == sorted(core)] \
            if " " not in word else []
        if " " not in word and len(core) == 4:
            swapped = {core[:i] + core[i + 1] + core[i] + core[i + 2:] for i in range(3)} - {core}
            names += [n for s in sorted(swapped) for n in (s, "ال" + s) if gaz.names_of(n)]
        alike = frozenset(gaz.sound_alikes(word)) | frozenset(gaz.last_word_near(word))
        names += sorted(alike - set(names))
        names = [n for n in names if n not in WEAK_NAMES]  # "السريان" is a word before it is a district
        if len(cache) > 50_000:
            cache.clear()
        found = cache[word] = (names, alike)
    return found


def nearest(site: Site, others: list[Site], within: float) -> tuple[float, str] | None:
    """(distance, site id) of the place of ``others`` nearest to ``site`` if within ``within``
    km (a box test first: most candidates are far from every place named)."""
    if site.lat is None:
        return None
    box_lat, box_lon = within / 100.0, within / 80.0  # degrees: generous at Syria's latitudes
    lat, lon = site.lat, site.lon or 0.0
    close = [o for o in others if o.lat is not None and o.lon is not None
             and abs(o.lat - lat) <= box_lat and abs(o.lon - lon) <= box_lon]
    if not close:
        return None
    dist, by = min((km(site, o), o.site_id) for o in close)
    return (dist, by) if dist <= within else None


def _bare(name: str) -> str:
    return name[2:] if name.startswith("ال") and len(name) > 4 else name


def _by_qualifier(gaz: Gazetteer, candidates: tuple[str, ...], name_en: str) -> str | None:
    """The one candidate the qualifier of an English name points to: "Suran (Azaz)" is the
    Suran of A'zaz district; "al-Sinaa district (Raqqa)" the district of Raqqa city."""
    qualifier = re.search(r"\(([^)]+)\)", name_en)
    if not qualifier:
        return None
    want = _loose_en(qualifier.group(1))
    if len(want) < 3:
        return None
    fits = [s for s in candidates if any(
        want and want in _loose_en(text) or _loose_en(text) and _loose_en(text) in want
        for text in (gaz.sites[s].admin2_en, gaz.sites[s].admin1_en, gaz.sites[s].parent_id,
                     (gaz.sites[s].name_en.split("(") + [""])[1]))]
    if len(fits) > 1:
        kinds = [s for s in fits if "district" in name_en.lower() and gaz.sites[s].kind == "neighbourhood"]
        fits = kinds if len(kinds) == 1 else fits
    return fits[0] if len(fits) == 1 else None


def _loose_en(text: str) -> str:
    """Letters only, without "al-"/"ar-" and "'": "A'zaz" and "Azaz" agree."""
    words = re.sub(r"[^a-z ]", "", text.lower().replace("-", " ")).split()
    return "".join(w for w in words if w not in ("al", "el", "ar", "as", "ad", "ash", "at", "the", "city"))


def _en_key(name: str) -> str:
    words = [w for w in "".join(c if c.isalnum() else " " for c in name.lower().split("(")[0]).split()
             if w not in ("al", "el", "ar", "as", "ad", "ash", "at", "the")]
    return " ".join(words)
