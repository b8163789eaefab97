"""One error format for every ``tadmur`` command.

``tadmur CMD: error: WHAT (at WHERE). Hint: HOW``: the command, then the text of a
:class:`~engine.domain.errors.TadmurError` (what was expected and found, where, a hint).

>>> from engine.domain.errors import TadmurError
>>> error_line("timeline", TadmurError("unknown site id 'tadmor'", where="--site", hint="see `tadmur sites`"))
"tadmur timeline: error: unknown site id 'tadmor' (at --site). Hint: see `tadmur sites`"
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

Handler = Callable[[argparse.Namespace], int]


def error_line(command: str, problem: object, label: str = "error") -> str:
    """The one line a command prints on stderr when it refuses (``label``: error, refused)."""
    return f"tadmur {command}: {label}: {problem}"


def run_handler(command: str, handler: Handler, args: argparse.Namespace) -> int:
    """Run a command's handler: a refusal is one line on stderr and exit code 2, never a
    traceback; a reader that closed our stdout (``tadmur log | head``) is not an error."""
    from engine.domain.errors import TadmurError

    try:
        return handler(args)
    except TadmurError as exc:
        print(error_line(command, exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        place = f" (at {exc.filename})" if exc.filename else ""
        print(
            error_line(
                command, f"{exc.strerror or exc}{place}. Hint: check the path and permissions"
            ),
            file=sys.stderr,
        )
        return 2
