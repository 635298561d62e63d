"""The command line: parse arguments, call one library function, format the result.

Errors the user can fix arrive here as :class:`DetectorError` and leave as
one line on stderr with a documented exit code; nothing else prints a
traceback unless ``DETECTOR_DEBUG`` is set.

Exit codes: 0 done (some inputs may have failed, each named on stderr);
1 nothing could be processed; 2 usage error; 3 configuration error;
4 store error (locked, corrupt, too new, full); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import Any

from .. import __version__
from ..api import Detector
from ..config import load_config
from ..errors import DetectorError
from ..heap import settled
from . import check, crawl, matches, model, register, report, scan, status
from .output import err

__all__ = ["main", "build_parser", "COMMANDS"]

Handler = Callable[[argparse.Namespace, Detector], int]
COMMANDS: dict[str, Handler] = {}
#: Each module adds its commands, in the order ``detector --help`` lists them.
COMMAND_MODULES = (register, check, matches, model, crawl, scan, status, report)
#: Commands that may run over thousands of pages: they run with :func:`detector.heap.settle`'s collector settings.
BATCH_COMMANDS = frozenset({"register", "check", "crawl", "schedule", "scan", "import"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="detector", description="Find scraped and spun copies of your posts, and build takedown evidence.",
        epilog="Run 'detector COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"detector {__version__}")
    parser.add_argument("--config", metavar="PATH", help="config file (default: ./config.toml if present)")
    parser.add_argument("--db", metavar="PATH", help="store file, overriding [store] path")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help: str, example: str) -> argparse.ArgumentParser:
        """Add one subcommand; every command carries an example in its --help."""
        p: argparse.ArgumentParser = sub.add_parser(
            name, help=help, description=help, epilog="example:\n" + textwrap.indent(example, "  "),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(handler=handler)
        COMMANDS[name] = handler
        return p

    for module in COMMAND_MODULES:
        module.add(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Any = getattr(args, "handler", None)
    if handler is None:
        parser.print_usage(sys.stderr)
        err("a command is required (try 'detector --help')")
        return 2
    try:
        config = load_config(args.config, db=args.db)
        with settled() if args.command in BATCH_COMMANDS else nullcontext(), Detector(config) as detector:
            return int(handler(args, detector))
    except DetectorError as error:
        err(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        err("interrupted; everything stored so far is kept")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        if os.environ.get("DETECTOR_DEBUG"):
            raise
        err(f"internal error: {type(error).__name__}: {error} (set DETECTOR_DEBUG=1 for a traceback and report it)")
        return 70
