"""The ``incident-atlas`` command line: a thin layer over the library functions.

Each package contributes its commands through a ``commands`` module with a
``register(subparsers, eval_subparsers)`` function; handlers take the parsed arguments and
return an exit code. Errors the user can fix (bad input, missing files) become one line on
stderr and a non-zero exit; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

#: Modules that add commands. Each is imported only to register its parsers; heavy imports
#: happen inside the handlers so ``--help`` stays fast.
COMMAND_MODULES: tuple[str, ...] = (
    "gazetteer.commands",  # gazetteer lookup|stats, geoparse
    "gazetteer.eval_command",  # eval geoparse
    "incidents.commands",  # extract, eval extract
    "incidents.ingest_command",  # ingest
    "incidents.review_command",  # list, show, edit, history
    "incidents.link_command",  # unlink
    "geo.commands",  # import, export
    "incidents.serve_command",  # serve, demo
)

#: Exit code for bad input or a failed command.
EXIT_USAGE = 2


def user_error_types() -> tuple[type[BaseException], ...]:
    """Exception classes that mean "the input was bad", reported without a traceback."""
    types: list[type[BaseException]] = [OSError, UnicodeError]
    for module_name, class_name in (
        ("gazetteer.errors", "GazetteerError"),
        ("geo.errors", "GeoError"),
        ("incidents.errors", "IncidentsError"),
    ):
        try:
            types.append(getattr(importlib.import_module(module_name), class_name))
        except (ImportError, AttributeError):
            continue
    return tuple(types)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="incident-atlas",
        description="Turn news reports of security incidents into a map an analyst can trust.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    eval_parser = sub.add_parser(
        "eval",
        help="score the geoparser or the extractor on annotated corpora",
        description="Score the geoparser or the extractor on annotated corpora (see docs/EVALUATION.md).",
    )
    eval_sub = eval_parser.add_subparsers(dest="eval_command", metavar="WHAT", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub, eval_sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(handler(args) or 0)
    except BrokenPipeError:
        return 0
    except user_error_types() as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"incident-atlas: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("incident-atlas: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
