"""Tadmur's actors in ACLED's and UCDP's words, and ACLED actor names read back.

Names follow the datasets' naming patterns (country in brackets, ``SDF: ...``); reading
goes by keywords, not exact names, because both datasets rename actors between releases.

>>> acled_actor("isis")
'Islamic State (Syria)'
>>> tadmur_actor("Military Forces of Syria (2000-2024)"), tadmur_actor("Islamic State (Syria)")
('government', 'isis')
>>> tadmur_actor("Hayat Tahrir al-Sham"), tadmur_actor("Civilians (Syria)") is None
('opposition', True)
"""

from __future__ import annotations

import re

#: Tadmur actor -> (ACLED actor name, ACLED inter code as text)
ACLED_ACTORS: dict[str, tuple[str, str]] = {
    "government": ("Military Forces of Syria (2000-2024)", "State forces"),
    "isis": ("Islamic State (Syria)", "Rebel group"),
    "opposition": ("Opposition Rebels (Syria)", "Rebel group"),
    "sdf": ("SDF: Syrian Democratic Forces", "Rebel group"),
    "unknown": ("Unidentified Armed Group (Syria)", "Political militia"),
}

#: Tadmur actor -> UCDP GED side name (government sides are "Government of <country>")
UCDP_SIDES: dict[str, str] = {
    "government": "Government of Syria",
    "isis": "IS",
    "opposition": "Syrian insurgents",
    "sdf": "SDF",
    "unknown": "Unknown armed group",
}

#: (Tadmur actor, keyword patterns), tried in order on the lower-cased name
_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "government",
        (
            r"military forces of syria",
            r"police forces of syria",
            r"government of syria",
            r"syrian arab army",
            r"national defen[cs]e forces",
            r"\bnds\b",
        ),
    ),
    ("isis", (r"islamic state", r"\bisis\b", r"\bisil\b", r"\bdaesh\b", r"^is$")),
    ("sdf", (r"syrian democratic forces", r"\bsdf\b", r"\bypg\b")),
    (
        "opposition",
        (
            r"opposition",
            r"free syrian army",
            r"\bfsa\b",
            r"hayat tahrir",
            r"\bhts\b",
            r"jabhat",
            r"ahrar al.?sham",
            r"jaish al.?islam",
            r"syrian national army",
            r"insurgents",
            r"\brebels?\b",
        ),
    ),
    ("unknown", (r"unidentified", r"unknown armed")),
)


def acled_actor(actor: str | None) -> str:
    """ACLED's name for a Tadmur actor ('' for none)."""
    return ACLED_ACTORS[actor][0] if actor else ""


def acled_inter(actor: str | None) -> str:
    """ACLED's inter code (text form of the current codebook) for a Tadmur actor."""
    return ACLED_ACTORS[actor][1] if actor else ""


def ucdp_side(actor: str | None) -> str:
    """UCDP GED's side name for a Tadmur actor ('' for none)."""
    return UCDP_SIDES[actor] if actor else ""


def tadmur_actor(name: str | None) -> str | None:
    """The Tadmur actor an ACLED or UCDP actor name stands for, or None if none fits."""
    text = (name or "").strip().lower()
    if not text:
        return None
    for actor, patterns in _PATTERNS:
        if any(re.search(p, text) for p in patterns):
            return actor
    return None
