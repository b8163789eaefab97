"""Where the log stands, in a module of its own: the log, its block reader and the
snapshot all name it, and none of them needs the others for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LogHead:
    """Where the log stands: the last seq and its hash (pin it to check the log later)."""

    seq: int
    hash: str

    @property
    def short(self) -> str:
        return self.hash[:8]
