"""One error family for everything Tadmur refuses to do.

Every error says what was expected, what was found, where, and ends with a hint,
so a user can fix the input without reading our code.
"""

from __future__ import annotations


class TadmurError(Exception):
    """Base class: ``what`` went wrong ``where``, with a ``hint`` to fix it.

    Example:
        >>> str(TadmurError("unknown site id 'tadmor'", where="claim c1", hint="see `tadmur sites`"))
        "unknown site id 'tadmor' (at claim c1). Hint: see `tadmur sites`"
    """

    def __init__(self, what: str, *, where: str | None = None, hint: str | None = None):
        self.what, self.where, self.hint = what, where, hint
        text = what + (f" (at {where})" if where else "")
        if hint:
            text += f". Hint: {hint}"
        super().__init__(text)


class InvalidEvent(TadmurError):
    """An event's payload breaks the schema (unknown site, impossible window, bad kind...)."""


class LogCorrupted(TadmurError):
    """The log file is damaged before its tail, or its hash chain does not hold."""


class TornTail(TadmurError):
    """The last line of the log was half written (a crash during append)."""


class SourceMismatch(TadmurError):
    """A registered source text is missing or its sha256 changed."""


class PolicyError(TadmurError):
    """A replay policy names something impossible (negative seq, unknown claimant...)."""


class ClaimWithoutWindow(TadmurError):
    """A believed claim has no site or no date window: it has no place in a timeline."""

    def __init__(self, claim_id: str):
        super().__init__(
            "a believed claim has no site or no date window", where=f"claim {claim_id}",
            hint="every claim names a site_id and a valid_from..valid_to window; "
                 "correct it with engine.store.correct_claim")
