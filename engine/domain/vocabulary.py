"""The closed vocabularies of the log: claim kinds, actors, event types.

Kept as plain tuples so the store, the replay, the extractor and the charts all
validate against the same lists.
"""

from __future__ import annotations

#: What a claim says happened at a site.
CLAIM_KINDS = ("captured", "withdrew", "partial", "besieged", "siege_broken", "attacked")

#: Kinds that hand a site to a new controller.
TRANSITION_KINDS = ("captured", "withdrew")

#: Who can hold a site.
ACTORS = ("isis", "government", "opposition", "sdf", "unknown")

#: How precisely a claim's date window is known; ``fallback`` is a window guessed from the
#: publication date (no date words in the text): it confirms a holder, never dates a change.
TIME_PRECISIONS = ("day", "days", "week", "month", "season", "year", "fallback")

#: How precisely a document's publication date is known.
PUBLISHED_PRECISIONS = ("day", "week", "month", "inferred")

#: Analysts' verdicts on a candidate claim.
VERDICTS = ("accepted", "rejected")

#: Extractor tag of hand-curated claims: these count as accepted without review.
MANUAL_EXTRACTOR = "manual"

#: Interval statuses produced by the replay.
STATUSES = ("held", "contested", "besieged", "unknown")
