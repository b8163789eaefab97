"""``tadmur``: the command line. A stable contract: tests and outside checks use it.

Each subcommand is a small handler returning an exit code; errors derived from
``TadmurError`` are printed as one clear line (what, where, hint) and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence

from engine.domain.errors import TadmurError


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `tadmur extract FILE` answers in well under a second: it builds only its own parser
    parser = build_parser(only_extract=argv[:1] == ["extract"])
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except TadmurError as exc:
        print(f"tadmur {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `tadmur timeline | head` closed our stdout: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        place = f" ({exc.filename})" if exc.filename else ""
        print(f"tadmur {args.command}: error: {exc.strerror or exc}{place}. "
              "Hint: check the path and permissions", file=sys.stderr)
        return 2


def build_parser(only_extract: bool = False) -> argparse.ArgumentParser:
    from engine import __version__
    from engine.extract import commands as extract_commands

    parser = argparse.ArgumentParser(
        prog="tadmur",
        description="Arabic war reporting -> an append-only claim log -> control timelines.",
    )
    parser.add_argument("--version", action="version", version=f"tadmur {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if only_extract:  # no polars, numba or altair on this path
        extract_commands.register_extract(sub)
        return parser
    from engine import chart_commands, init_command, replay_commands
    from engine.commands import register_core
    from engine.extract import claims_import
    from engine.interop import commands as interop_commands
    from engine.scale import commands as scale_commands

    # each area registers its own subcommands; heavy imports stay inside the handlers
    for register in (register_core, extract_commands.register, chart_commands.register,
                     scale_commands.register, replay_commands.register, claims_import.register,
                     init_command.register, interop_commands.register):
        register(sub)
    return parser


def parse_day(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD with a clear error."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date YYYY-MM-DD, found {text!r} (hint: e.g. 2016-12-12)"
        ) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
