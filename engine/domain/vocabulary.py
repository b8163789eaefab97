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

#: How precisely a claim's date window is known.
#: ``fallback``: no date words; the window was guessed from the publication day, so the
#: claim confirms a holder and never dates a change (engine.domain.weighing, rule 2).
TIME_PRECISIONS = ("day", "days", "week", "month", "season", "year", "fallback")

#: Replay modes: ``weighed`` reads noisy reporting as an analyst would
#: (engine.domain.weighing); ``strict`` is the first version's rules, kept for teaching.
REPLAY_MODES = ("weighed", "strict")

#: How precisely a document's publication date is known.
PUBLISHED_PRECISIONS = ("day", "week", "month", "inferred")

#: Analysts' verdicts on a candidate claim.
VERDICTS = ("accepted", "rejected")

#: Extractor tag of hand-curated claims: these count as accepted without review.
MANUAL_EXTRACTOR = "manual"

#: Interval statuses produced by the replay.
STATUSES = ("held", "contested", "besieged", "unknown")
