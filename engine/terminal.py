"""Text for a terminal: what an article or a note says, never what it does to the screen.

>>> printable("ok\\x1b[31m red\\u202e")
'ok\\\\x1b[31m red\\\\u202e'
"""

from __future__ import annotations

import unicodedata


def printable(text: object) -> str:
    """``text`` with control and format characters (ESC, CR, bidi overrides...) escaped,
    so a hostile article or ``--note`` cannot fake or recolour a line of output."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs"
                   else ch.encode("unicode_escape").decode("ascii") for ch in text)
