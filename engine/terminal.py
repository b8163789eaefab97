"""Text for a terminal: what an article or a note says, never what it does to the screen;
and a progress bar on long work, shown only to a person watching.

>>> printable("ok\\x1b[31m red\\u202e")
'ok\\\\x1b[31m red\\\\u202e'
"""

from __future__ import annotations

import sys
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm


def printable(text: object) -> str:
    """``text`` with control and format characters (ESC, CR, bidi overrides...) escaped,
    so a hostile article or ``--note`` cannot fake or recolour a line of output."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(
        ch
        if ch.isprintable() or unicodedata.category(ch) == "Zs"
        else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def progress(
    iterable: Any = None,
    *,
    total: float | None = None,
    desc: str = "",
    unit: str = "it",
    quiet: bool = False,
    **options: Any,
) -> tqdm:
    """A tqdm progress bar on stderr, drawn only when stderr is a terminal (and not
    ``quiet``): a log, a pipe or a test sees no bar and no carriage returns. Use it as
    tqdm (``update``, ``write``, a context manager, or wrapping ``iterable``).

    >>> with progress(total=3, desc="steps") as bar:  # stderr is no terminal here
    ...     bar.update(3)
    ...     bar.disable
    True
    """
    from tqdm import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        leave=False,
        disable=quiet or not _stderr_is_terminal(),
        dynamic_ncols=True,
        **options,
    )


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed by a host
        return False
