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
from dataclasses import dataclass

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
_CLAIMANT_WORDS = (
    ("amaq", "amaq"), ("isis", "isis_media"), ("sana", "sana"), ("syrian tv", "syrian_tv"),
    ("military", "syrian_military"), ("pro-government", "pro_government_media"),
    ("russia", "russian_mod"), ("hmeimim", "russian_mod"), ("sohr", "sohr"), ("observatory", "sohr"),
    ("activist", "activists"), ("outlet", "outlet"), ("sources", "local_sources"),
)

FIELDS = ("overall", "site", "kind", "gainer", "loser", "window", "claimant", "denied")


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
    return {
        "doc_id": row["doc_id"],
        "site_id": gold_site_id(row.get("site", ""), row.get("site_ar", "")),
        "kind": _KIND.get(row["kind"], row["kind"]),
        "gainer": _actor(row.get("actor")),
        "loser": _actor(row.get("counter_actor")) if row.get("counter_actor") else None,
        "date_from": row["date_from"], "date_to": row["date_to"],
        "claimant": _claimant(row.get("claimed_by", "")),
        "denied": bool(row.get("negated_or_denied", False)),
    }


def _actor(value) -> str:
    return _ACTOR.get(str(value or "").strip().lower(), "unknown")


def _claimant(value: str) -> str:
    low = value.lower()
    if "(" in low and "sources" not in low.split("(")[0]:
        return "other_outlet"
    return next((cid for word, cid in _CLAIMANT_WORDS if word in low), "other_outlet")


def gold_site_id(name_en: str, name_ar: str) -> str:
    """The gazetteer id of a gold site: by slug, by Arabic name, then by English words."""
    gaz = load_gazetteer()
    slug = re.sub(r"[^a-z0-9]+", "_", name_en.lower()).strip("_")
    if slug in gaz.sites:
        return slug
    found = [m for m in gaz.find(fold_text(name_ar)) if len(m.site_ids) == 1 and not m.generic_kinds]
    if found:
        return found[0].site_ids[0]
    words = set(re.findall(r"[a-z0-9]+", name_en.lower().split("(")[0])) - {"al", "the", "of"}
    best = max(gaz.sites.values(), key=lambda s: (
        len(words & set(re.findall(r"[a-z0-9]+", s.name_en.lower()))), -len(s.name_en)))
    overlap = words & set(re.findall(r"[a-z0-9]+", best.name_en.lower()))
    return best.site_id if overlap else slug or "unknown_site"


def _overlap(a: dict, b: dict) -> bool:
    return a["date_from"] <= b["date_to"] and b["date_from"] <= a["date_to"]


_AGREE: dict[str, Callable[[dict, dict], bool]] = {
    "overall": lambda p, g: KIND_CLASS.get(p["kind"]) == KIND_CLASS.get(g["kind"])
    and p["gainer"] == g["gainer"] and _overlap(p, g),
    "site": lambda p, g: True,
    "kind": lambda p, g: p["kind"] == g["kind"],
    "gainer": lambda p, g: p["gainer"] == g["gainer"],
    "loser": lambda p, g: p.get("loser") == g.get("loser"),
    "window": _overlap,
    "claimant": lambda p, g: p["claimant"] == g["claimant"],
    "denied": lambda p, g: bool(p["denied"]) == bool(g["denied"]),
}


def score(predicted: list[dict], gold: list[dict]) -> dict[str, Score]:
    """Precision/recall per field over all documents.

    >>> p = [{"doc_id": "d", "site_id": "palmyra", "kind": "captured", "gainer": "isis",
    ...       "loser": "government", "date_from": "2016-12-11", "date_to": "2016-12-11",
    ...       "claimant": "outlet", "denied": False}]
    >>> s = score(p, [dict(p[0], claimant="amaq")])
    >>> (s["overall"].f1, s["claimant"].f1)
    (1.0, 0.0)
    """
    out = {}
    for name, agree in _AGREE.items():
        matched = 0
        used: set[int] = set()
        for g in gold:
            for i, p in enumerate(predicted):
                if i in used or p["doc_id"] != g["doc_id"] or p["site_id"] != g["site_id"]:
                    continue
                if agree(p, g):
                    used.add(i)
                    matched += 1
                    break
        out[name] = Score(matched, len(predicted), len(gold))
    return out


def format_scores(scores: dict[str, Score]) -> str:
    """A small fixed-width table."""
    lines = [f"{'field':10} {'precision':>9} {'recall':>7} {'f1':>6} {'matched':>8} {'pred':>5} {'gold':>5}"]
    for name in FIELDS:
        s = scores[name]
        lines.append(f"{name:10} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} "
                     f"{s.matched:8d} {s.predicted:5d} {s.gold:5d}")
    return "\n".join(lines)
