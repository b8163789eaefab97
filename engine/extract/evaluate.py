"""Score extracted claims against a gold annotation: precision, recall, F1.

A predicted claim matches a gold claim (one to one, greedily, within a document)
when it names the same site and agrees on the field being scored. ``overall`` is
the target of the project: same site, same kind class, same gainer and
overlapping date windows. Gold may use the seeds' annotation vocabulary
(``site``/``actor``/``claimed_by``, SAA, recaptured…) or the extractor's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.extract.normalise import fold_text
from engine.reference.gazetteer import load_gazetteer

#: Kinds that say the same thing about control, for the ``overall`` match.
KIND_CLASS = {
    "captured": "control", "recaptured": "control", "withdrew": "control",
    "partial": "partial", "entered_partial": "partial", "besieged": "siege",
    "siege_broken": "siege_broken", "attacked": "attacked",
}
_KIND = {"recaptured": "captured", "entered_partial": "partial"}
_ACTOR = {"saa": "government", "regime": "government", "government": "government", "russia": "government",
          "isis": "isis", "is": "isis", "daesh": "isis", "opposition": "opposition", "fsa": "opposition",
          "rebels": "opposition", "sdf": "sdf", "unknown": "unknown", "": "unknown"}
# English words of a gold ``claimed_by`` -> claimant id. Gold names its claimant in free text
# ("Syrian army (SANA)", "SOHR; Thuwar Halab fighter"): every id it names is accepted.
_CLAIMANT_WORDS = (
    ("amaq", "amaq"), ("isis", "isis_media"), ("sdf", "sdf"), ("sana", "sana"), ("syrian tv", "syrian_tv"),
    ("state tv", "syrian_tv"), ("state media", "sana"), ("syrian army", "syrian_military"),
    ("general command", "syrian_military"), ("military source", "syrian_military"),
    ("military media", "hezbollah_media"), ("hezbollah", "hezbollah_media"),
    ("pro-assad", "pro_government_media"), ("pro-government", "pro_government_media"),
    ("pro-regime", "pro_government_media"), ("syrian government", "syrian_military"),
    ("turkish", "turkish_military"), ("russia", "russian_mod"), ("hmeimim", "russian_mod"),
    ("kurdistan24", "kurdish_media"), ("hawar news", "kurdish_media"), ("hawar", "kurdish_media"),
    ("sohr", "sohr"), ("observatory", "sohr"), ("activist", "activists"),
    ("jaish", "opposition_factions"), ("ahrar", "opposition_factions"), ("nusra", "opposition_factions"),
    ("fateh al-sham", "opposition_factions"), ("zenki", "opposition_factions"),
    ("islamic front", "opposition_factions"), ("jund al-aqsa", "opposition_factions"),
    ("brigade", "opposition_factions"), ("division", "opposition_factions"),
    ("suqur", "opposition_factions"), ("fsa", "opposition_factions"), ("rebel", "opposition_factions"),
    ("opposition", "opposition_factions"), ("opponents", "opposition_factions"),
    ("thuwar", "opposition_factions"), ("euphrates shield", "opposition_factions"),
    ("sources close to", "local_sources"), ("field source", "local_sources"),
    ("local source", "local_sources"), ("sources", "local_sources"),
    ("military sources", "syrian_military"), ("outlet", "outlet"), ("correspondent", "outlet"),
)

FIELDS = ("overall", "lenient", "site", "kind", "gainer", "loser", "window", "claimant", "denied")


@dataclass(frozen=True)
class Score:
    """Counts and rates of one field."""

    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def normalise_gold(row: dict) -> dict:
    """One gold row in the extractor's vocabulary (site_id, kind, gainer, loser, claimant…).

    >>> g = normalise_gold({"doc_id": "d", "site": "T4 airbase", "site_ar": "مطار الT4",
    ...     "kind": "recaptured", "actor": "SAA", "counter_actor": "ISIS",
    ...     "date_from": "2016-03-01", "date_to": "2016-03-31", "claimed_by": "Amaq"})
    >>> (g["site_id"], g["kind"], g["gainer"], g["loser"], g["claimant"])
    ('t4_airbase', 'captured', 'government', 'isis', 'amaq')
    """
    if "site_id" in row and "gainer" in row:
        return {**row, "kind": _KIND.get(row["kind"], row["kind"])}
    gainer = _actor(row.get("actor"))
    loser = _actor(row.get("counter_actor")) if row.get("counter_actor") else None
    kind = _KIND.get(row["kind"], row["kind"])
    broken = _BROKEN.search(fold_text(row.get("evidence", "")))
    # "لكسر طوق الحصار" (in order to break it) is an attempt: the siege the gold says it is
    if kind == "besieged" and broken and not broken.group().lstrip("وف").startswith("ل"):
        # the dev corpus writes a broken siege as the siege, ending on the break; ours is the
        # break itself, gained by the side that broke it, lost by the besieger
        kind, gainer, loser = "siege_broken", loser or "unknown", gainer
    return {
        "doc_id": row["doc_id"],
        "site_id": site_id_of_gold(row.get("site", ""), row.get("site_ar", ""), row.get("evidence", "")),
        "kind": kind,
        "gainer": gainer,
        "loser": loser,
        "date_from": row["date_from"], "date_to": row["date_to"],
        "claimant": _claimant(row.get("claimed_by", ""))[0],
        "claimants": _claimant(row.get("claimed_by", "")),
        "denied": bool(row.get("negated_or_denied", False)),
    }


def _actor(value) -> str:
    return _ACTOR.get(str(value or "").strip().lower(), "unknown")


def _claimant(value: str) -> tuple[str, ...]:
    """Every claimant id a gold ``claimed_by`` names, the main one first.

    >>> _claimant("Syrian army (SANA)")
    ('syrian_military', 'sana', 'other_outlet')
    >>> _claimant("outlet (Baladi correspondent)")
    ('outlet',)
    """
    low = value.lower()
    if low.startswith(("outlet", "various media")):
        low = low.split("(")[0] if low.startswith("outlet (") else low
    found: list[str] = []
    for part in re.split(r"[;/]| and ", low):
        head = part.split("(")[0]
        ids = [cid for word, cid in _CLAIMANT_WORDS if word in head]
        ids += [cid for word, cid in _CLAIMANT_WORDS if "(" in part and word in part.split("(", 1)[1]]
        for cid in ids or ["other_outlet", "outlet"]:  # a named outlet may be the publisher
            if cid not in found:
                found.append(cid)
    if "correspondent" in low or "(" in low:
        found.append("other_outlet")  # a named outlet's reporter, quoted by a reprint
    return tuple(dict.fromkeys(found)) or ("outlet",)


_BROKEN = re.compile(r"(?<!\w)[وفل]?[يت]?(?:فك|كسر)(?:ت|وا|ون)?\s+(?:طوق\s+)?(?:ال)?حصار")


def site_id_of_gold(name_en: str, name_ar: str, evidence: str = "") -> str:
    """The one place where a gold site name becomes a site id: the gazetteer's resolver
    (``engine.reference.resolve_site``) when the package has it, else ``gold_site_id``.
    A name several places share is resolved by the gold sentence (``evidence``: the places
    and governorate it names) and the qualifier of the English name ("Suran (Azaz)")."""
    try:
        from engine.reference import resolve_site
        from engine.reference.resolve import confirmed, evidence_of, far_village
    except ImportError:
        return gold_site_id(name_en, name_ar)
    site_id, _why = resolve_site(name_ar, name_en=name_en)
    if site_id is not None and evidence:
        gaz = load_gazetteer()
        ev = evidence_of(evidence)
        site = gaz.sites[site_id]
        if far_village(gaz, site, ev) or site.parent_id and ev.governorates and not confirmed(gaz, site, ev):
            # "مصطفى جمادي" of a sentence on Manbij is not the "مصطفى" of Qamishli; "حاجز معمل
            # السكر" of a sentence on Idlib is not Raqqa's sugar factory
            site_id = None
    if site_id is None and evidence:
        in_context, why = resolve_site(name_ar, name_en=name_en, context=evidence)
        # a generic "المدينة" keeps its English name; a spelling one letter off is the
        # resolver's guess, taken only when the annotator's English name agrees with the site's
        guessed = any(w in why for w in ("letter off", "without its"))
        if in_context and "stands for" not in why and (
                not guessed or _same_english(name_en, load_gazetteer().sites[in_context].name_en, loose=False)):
            site_id = in_context
    # the resolver has judged the Arabic name: the fallback reads only the English one
    return site_id or gold_site_id(name_en, name_ar, by_arabic=False)


def _same_english(a: str, b: str, loose: bool = True, same_arabic: bool = False) -> bool:
    """Two transliterations of one name: the same consonants, give or take one (``loose``:
    or one name's consonants inside the other's). ``same_arabic``: the caller has seen the
    two Arabic names agree, so a final -a/-ah/-eh (the ة spelt or not) is one ending.

    >>> _same_english("Ihtaimlat", "Ehteimlat"), _same_english("al-Hamir", "Hmeireh - Ashkaji")
    (True, False)
    >>> _same_english("Ghandoura", "Ghandorah", loose=False, same_arabic=True)
    True
    """
    def skeleton(name: str) -> str:
        words = re.sub(r"[^a-z ]", " ", name.lower().split("(")[0].split(" - ")[0]).split()
        words = [w for w in words if w not in ("al", "el", "ar", "as", "ash", "ad", "kherbet", "khirbet")]
        if same_arabic:
            words = [re.sub(r"(?<=\w)[aei]h$", "a", w) for w in words]
        return re.sub(r"[aeiouy]|(?<=[kgsdt])h", "", "".join(words))
    x, y = skeleton(a), skeleton(b)
    if not x or not y:
        return False
    if x == y or (loose and len(x) > 3 and (x in y or y in x)):
        return True
    return len(x) == len(y) > 3 and sum(c1 != c2 for c1, c2 in zip(x, y)) <= 1


def gold_site_id(name_en: str, name_ar: str, by_arabic: bool = True) -> str:
    """The gazetteer id of a gold site: by slug, by Arabic name, then by English name.

    The English name must be the site's (its consonants, give or take one) or every word of
    it must be in the site's name: a generic word shared ("checkpoint", "farms", "Tal") does
    not make two places one. A gold place the gazetteer lacks keeps its own slug.

    >>> gold_site_id("Zalitu checkpoint", "زليطو"), gold_site_id("Morek", "المدينة")
    ('zalitu_checkpoint', 'murak')
    """
    gaz = load_gazetteer()
    slug = re.sub(r"[^a-z0-9]+", "_", name_en.lower()).strip("_")
    if slug in gaz.sites:
        return slug
    found = [m for m in gaz.find(fold_text(name_ar)) if len(m.site_ids) == 1 and not m.generic_kinds]
    if found and by_arabic:
        return found[0].site_ids[0]
    words = _name_words(name_en)
    if not words:
        return slug or "unknown_site"
    # a transliteration is compared only where the Arabic says nothing ("البلدة") or names
    # several places ("صوران"): the consonants of "al-Hushariya" and "Hasur" agree
    mentions = gaz.find(fold_text(name_ar))
    shared = {i for m in mentions if not m.generic_kinds for i in m.site_ids}
    fits = [s for s in gaz.sites.values() if words <= _name_words(s.name_en)]
    if not fits and mentions and (shared or all(m.generic_kinds for m in mentions)):
        fits = [s for s in gaz.sites.values() if (not shared or s.site_id in shared)
                and _same_english(name_en, s.name_en, loose=False)]
    if not fits and not mentions:
        # a spelling the gazetteer lacks ("غندور" for "الغندورة"): the site whose Arabic name
        # is this one give or take ال and a final ة, and whose English name is its transliteration
        fits = [s for s in gaz.sites.values() if _same_arabic(name_ar, s.name_ar)
                and _same_english(name_en, s.name_en, loose=False, same_arabic=True)]
    if len(fits) > 1:  # "Souran": the one town among the villages of that name
        exact = [s for s in fits if s.kind in ("city", "town")]
        fits = exact if len(exact) == 1 else fits
    return fits[0].site_id if len(fits) == 1 else slug or "unknown_site"


def _same_arabic(a: str, b: str) -> bool:
    """One Arabic name give or take its article and a final ة/ه (never another letter).

    >>> _same_arabic("غندور", "الغندورة"), _same_arabic("غندور", "الغندوري")
    (True, False)
    """
    def bare(name: str) -> str:
        folded = fold_text(name).strip()
        folded = re.sub(r"^ال", "", folded)
        return re.sub(r"ه$", "", folded)
    x, y = bare(a), bare(b)
    return len(x) > 2 and x == y


def _name_words(name: str) -> frozenset[str]:
    """The words of an English place name before its qualifier, without articles and
    compass words ("eastern Aleppo neighbourhoods" -> {"aleppo"})."""
    words = re.findall(r"[a-z0-9]+", name.lower().split("(")[0].split(" - ")[0])
    return frozenset(w for w in words if w not in _NOT_NAME_WORDS)


_NOT_NAME_WORDS = frozenset(("al", "el", "ar", "as", "ash", "ad", "at", "the", "of", "eastern", "western",
                             "northern", "southern", "neighbourhoods", "neighborhoods", "city"))


def _overlap(a: dict, b: dict) -> bool:
    return a["date_from"] <= b["date_to"] and b["date_from"] <= a["date_to"]


def _claimant_agrees(p: dict, g: dict) -> bool:
    said = p["claimant"]
    if said == "outlet" and p.get("outlet_claimant"):
        said = p["outlet_claimant"]  # SOHR's own site speaking in its own voice is SOHR
    return said in g.get("claimants", (g["claimant"],)) or p["claimant"] in g.get("claimants", ())


#: Outlets that are claimants themselves (gold names them, the extractor says "outlet").
OUTLET_CLAIMANTS = {"syriahr.com": "sohr", "sanasyria.org": "sana", "syrianembassy.ro": "sana",
                    "kurdistan24.net": "kurdish_media", "manartv.com.lb": "hezbollah_media"}


_AGREE: dict[str, Callable[[dict, dict], bool]] = {
    "overall": lambda p, g: KIND_CLASS.get(p["kind"]) == KIND_CLASS.get(g["kind"])
    and p["gainer"] == g["gainer"] and _overlap(p, g),
    "lenient": lambda p, g: KIND_CLASS.get(p["kind"]) == KIND_CLASS.get(g["kind"]),
    "site": lambda p, g: True,
    "kind": lambda p, g: p["kind"] == g["kind"],
    "gainer": lambda p, g: p["gainer"] == g["gainer"],
    "loser": lambda p, g: p.get("loser") == g.get("loser"),
    "window": _overlap,
    "claimant": _claimant_agrees,
    "denied": lambda p, g: bool(p["denied"]) == bool(g["denied"]),
}


def match(predicted: list[dict], gold: list[dict], agree: Callable[[dict, dict], bool]) -> list[tuple[int, int]]:
    """(predicted index, gold index) pairs: same document and site, ``agree``-ing, one to one.

    Gold is taken in order and each takes the first free prediction that agrees.
    """
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    by_doc_site: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(predicted):
        by_doc_site.setdefault((p["doc_id"], p["site_id"]), []).append(i)
    for j, g in enumerate(gold):
        for i in by_doc_site.get((g["doc_id"], g["site_id"]), ()):
            if i not in used and agree(predicted[i], g):
                used.add(i)
                pairs.append((i, j))
                break
    return pairs


def score(predicted: list[dict], gold: list[dict]) -> dict[str, Score]:
    """Precision/recall per field over all documents.

    ``overall`` (strict) wants the same site, kind class, gainer and overlapping
    windows; ``lenient`` the same site and kind class; the other fields the same site
    and that field.

    >>> p = [{"doc_id": "d", "site_id": "palmyra", "kind": "captured", "gainer": "isis",
    ...       "loser": "government", "date_from": "2016-12-11", "date_to": "2016-12-11",
    ...       "claimant": "outlet", "denied": False}]
    >>> s = score(p, [dict(p[0], claimant="amaq")])
    >>> (s["overall"].f1, s["claimant"].f1)
    (1.0, 0.0)
    """
    return {name: Score(len(match(predicted, gold, agree)), len(predicted), len(gold))
            for name, agree in _AGREE.items()}


def kind_scores(predicted: list[dict], gold: list[dict]) -> dict[str, Score]:
    """Strict precision and recall per kind class (control, partial, siege...).

    >>> p = {"doc_id": "d", "site_id": "x", "kind": "partial", "gainer": "isis",
    ...      "date_from": "2016-01-01", "date_to": "2016-01-02", "claimant": "outlet", "denied": False}
    >>> s = kind_scores([p], [dict(p, kind="entered_partial"), dict(p, site_id="y", kind="besieged")])
    >>> (s["partial"].recall, s["siege"].recall)
    (1.0, 0.0)
    """
    pairs = match(predicted, gold, _AGREE["overall"])
    out = {}
    for cls in dict.fromkeys(KIND_CLASS.values()):
        n_pred = sum(KIND_CLASS.get(p["kind"]) == cls for p in predicted)
        n_gold = sum(KIND_CLASS.get(g["kind"]) == cls for g in gold)
        if n_pred or n_gold:
            hits = sum(KIND_CLASS.get(gold[j]["kind"]) == cls for _, j in pairs)
            out[cls] = Score(hits, n_pred, n_gold)
    return out


def claimant_accuracy(predicted: list[dict], gold: list[dict]) -> tuple[int, int]:
    """(right, matched): the claimant among the strictly matched claims.

    >>> p = {"doc_id": "d", "site_id": "x", "kind": "captured", "gainer": "isis",
    ...      "date_from": "2016-01-01", "date_to": "2016-01-02", "claimant": "sohr", "denied": False}
    >>> claimant_accuracy([p], [dict(p, claimant="sana", claimants=("sana", "sohr"))])
    (1, 1)
    """
    pairs = match(predicted, gold, _AGREE["overall"])
    return sum(_claimant_agrees(predicted[i], gold[j]) for i, j in pairs), len(pairs)


@dataclass
class Report:
    """Everything ``tadmur eval`` prints: fields, kinds, claimants, negatives, undated documents."""

    fields: dict[str, Score]
    kinds: dict[str, Score]
    claimant_right: int
    claimant_matched: int
    negative_claims: dict[str, int]
    undated: list[str]
    refused: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        def rates(s: Score) -> dict:
            return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                    "matched": s.matched, "predicted": s.predicted, "gold": s.gold}

        return {**{name: rates(s) for name, s in self.fields.items()},
                "kinds": {name: rates(s) for name, s in self.kinds.items()},
                "claimant_on_matched": {"right": self.claimant_right, "matched": self.claimant_matched,
                                        "accuracy": round(self.claimant_right / self.claimant_matched, 4)
                                        if self.claimant_matched else 0.0},
                "negative_claims": self.negative_claims, "undated": self.undated,
                "refused": self.refused}

    def text(self) -> str:
        lines = [format_scores(self.fields), "", f"{'kind':10} {'precision':>9} {'recall':>7} "
                 f"{'f1':>6} {'matched':>8} {'pred':>5} {'gold':>5}   (strict match)"]
        for name, s in self.kinds.items():
            lines.append(f"{name:12} {s.precision:7.3f} {s.recall:7.3f} {s.f1:6.3f} "
                         f"{s.matched:8d} {s.predicted:5d} {s.gold:5d}")
        acc = self.claimant_right / self.claimant_matched if self.claimant_matched else 0.0
        lines += ["", f"claimant right on {self.claimant_right}/{self.claimant_matched} strictly matched "
                      f"claims ({acc:.3f})"]
        total = sum(self.negative_claims.values())
        lines.append(f"claims from documents without gold claims (negatives): {total}"
                     + (f" {self.negative_claims}" if total else ""))
        dated = [d for d in self.undated if d not in self.refused]
        if dated:
            lines.append(f"documents without a publication date ({len(dated)}), extracted against a "
                         f"provisional date (the latest full date they write, else the latest year they "
                         f"name): {', '.join(dated)}")
        if self.refused:
            lines.append(f"documents without a publication date that name no year ({len(self.refused)}), "
                         f"not extracted (pass their date): {', '.join(self.refused)}")
        return "\n".join(lines)


def report(predicted: list[dict], gold: list[dict], negatives: list[str] = (),
           undated: list[str] = (), refused: list[str] = ()) -> Report:
    """Score ``predicted`` against ``gold``; ``negatives`` are documents that must yield nothing,
    ``refused`` undated documents that were not extracted (their gold still counts as missed)."""
    right, matched = claimant_accuracy(predicted, gold)
    counts = {doc: sum(p["doc_id"] == doc for p in predicted) for doc in negatives}
    return Report(score(predicted, gold), kind_scores(predicted, gold), right, matched,
                  {d: n for d, n in counts.items() if n}, list(undated), list(refused))


def format_scores(scores: dict[str, Score]) -> str:
    """A small fixed-width table."""
    lines = [f"{'field':10} {'precision':>9} {'recall':>7} {'f1':>6} {'matched':>8} {'pred':>5} {'gold':>5}"]
    for name in FIELDS:
        s = scores[name]
        lines.append(f"{name:10} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} "
                     f"{s.matched:8d} {s.predicted:5d} {s.gold:5d}")
    return "\n".join(lines)
