"""The pure core: events, schemas, policy and replay (stdlib, polars, and numba for the
replay's sequential passes).

>>> from engine.domain import Policy, replay
>>> from engine.domain.testing import claim_events
>>> replay(claim_events([dict(claim_id="a", site_id="palmyra", gainer="isis")])).intervals.height
1
"""

from engine.domain.claims import resolve_claims
from engine.domain.encoding import EncodedEvents
from engine.domain.errors import TadmurError
from engine.domain.policy import Policy
from engine.domain.replay import Timelines, replay, snapshot

__all__ = ["EncodedEvents", "Policy", "TadmurError", "Timelines", "replay", "resolve_claims",
           "snapshot"]
