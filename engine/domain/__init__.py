"""The pure core: events, schemas, policy and replay (stdlib, polars, and numba for the
replay's sequential passes).

>>> from engine.domain import Policy, replay
>>> from engine.domain.testing import claim_events
>>> replay(claim_events([dict(claim_id="a", site_id="palmyra", gainer="isis")])).intervals.height
1
"""

from __future__ import annotations

import sys
import types
from importlib import import_module

__all__ = ["EncodedEvents", "Policy", "TadmurError", "Timelines", "replay", "resolve_claims",
           "snapshot"]

# Lazy (PEP 562): ``engine.domain.errors`` is imported by light commands such as
# ``tadmur extract``, which must not pay for polars and numba just to reach the package.
_HOME = {"resolve_claims": "claims", "EncodedEvents": "encoding", "TadmurError": "errors",
         "Policy": "policy", "Timelines": "replay", "replay": "replay", "snapshot": "replay"}


def __getattr__(name: str):
    if name in _HOME:
        value = getattr(import_module(f"engine.domain.{_HOME[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'engine.domain' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)


class _Package(types.ModuleType):
    """Keeps ``engine.domain.replay`` the function, as the eager package had it: importing the
    submodule of the same name sets the package attribute to the module otherwise."""

    def __setattr__(self, name: str, value) -> None:
        if name == "replay" and isinstance(value, types.ModuleType) and hasattr(value, "replay"):
            value = value.replay
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
