"""``tadmur``: the command line. A stable contract: tests and outside checks use it.

One module per command area registers its subcommands (``register(subparsers)``); each
handler takes the parsed arguments and returns the exit code. The options the commands
share live in :mod:`engine.cli.options`, the error format in :mod:`engine.cli.errors`.
Nothing heavy is imported to build the parsers: polars, the domain and the extraction
rules come in with the handler that needs them, so ``tadmur --help`` answers at once.

Modules import downwards only: this package imports the command modules, they import
``options`` and ``errors``, and those import nothing of the CLI.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: command -> the module of engine.cli that registers it, in the order of ``tadmur --help``
COMMANDS = {
    "timeline": "core",
    "verify": "core",
    "log": "core",
    "sites": "core",
    "repair": "core",
    "demo": "demo",
    "extract": "extract",
    "eval": "extract",
    "ingest": "ingest",
    "review": "review",
    "chart": "chart",
    "explore": "chart",
    "synth": "synth",
    "explain": "explain",
    "claims": "claims",
    "init": "init",
    "export": "interop",
    "import": "interop",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tadmur`` with ``argv`` (default: the process's arguments); the exit code."""
    from engine.cli.errors import run_handler
    from engine.cli.options import log_folder

    argv = list(sys.argv[1:] if argv is None else argv)
    # `tadmur extract FILE` builds its own parser only: nothing else is imported
    parser = build_parser(only=argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 0
    name = " ".join(filter(None, (args.command, getattr(args, "claims_command", None))))
    with log_folder(getattr(args, "log", None)):
        return run_handler(name, args.func, args)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``tadmur`` parser with every subcommand, or with the one named ``only``."""
    from engine.version import __version__

    parser = argparse.ArgumentParser(
        prog="tadmur",
        description="Arabic war reporting -> an append-only claim log -> control timelines.",
    )
    parser.add_argument("--version", action="version", version=f"tadmur {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    areas = [COMMANDS[only]] if only else list(dict.fromkeys(COMMANDS.values()))
    for area in areas:
        importlib.import_module(f"engine.cli.{area}").register(sub)
    return parser


__all__ = ["COMMANDS", "build_parser", "main"]
