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
    parser = build_parser()
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
        print(f"tadmur {args.command}: error: {exc.strerror or exc} ({exc.filename or ''}). "
              "Hint: check the path and permissions", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    from engine.commands import register_core

    parser = argparse.ArgumentParser(
        prog="tadmur",
        description="Arabic war reporting -> an append-only claim log -> control timelines.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_core(sub)
    for module in ("engine.extract.commands", "engine.chart_commands", "engine.scale.commands"):
        _register_optional(module, sub)
    return parser


def _register_optional(module: str, sub: argparse._SubParsersAction) -> None:
    """Subcommands owned by other modules (extraction, charts) register themselves."""
    import importlib

    try:
        importlib.import_module(module).register(sub)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise


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
