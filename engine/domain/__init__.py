"""The pure core: events, schemas, policy and replay (stdlib, polars, and numba for the
replay's sequential passes).

>>> from engine.domain import Policy, replay
>>> from engine.domain.testing import claim_events
>>> replay(claim_events([dict(claim_id="a", site_id="palmyra", gainer="isis")])).intervals.height
1
"""

import sys
import types

from engine.domain.errors import TadmurError

#: name -> module, imported on first use: the store and the CLI import
#: ``engine.domain.errors`` and ``engine.domain.events`` without paying for polars and
#: numba (an append to the log needs neither)
_LAZY = {
    "resolve_claims": "engine.domain.claims",
    "EncodedEvents": "engine.domain.encoding",
    "Policy": "engine.domain.policy",
    "Timelines": "engine.domain.timelines",
    "replay": "engine.domain.replay",
    "snapshot": "engine.domain.timelines",
}


class _Package(types.ModuleType):
    """Keeps ``engine.domain.replay`` the function, as the eager imports did: importing
    the submodule ``engine.domain.replay`` would otherwise set the package's attribute of
    that name to the module."""

    def __setattr__(self, name: str, value) -> None:
        if name == "replay" and isinstance(value, types.ModuleType):
            value = value.replay
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["EncodedEvents", "Policy", "TadmurError", "Timelines", "replay", "resolve_claims",
           "snapshot"]
