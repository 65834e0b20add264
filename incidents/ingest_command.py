"""``incident-atlas ingest PATH... [--published YYYY-MM-DD] [--db PATH] [--no-link]
[--replace --who NAME]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: Exit code when the run finished but some articles or inputs failed.
EXIT_SOME_FAILED = 1


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """The ``--db`` option every store command shares."""
    parser.add_argument(
        "--db", metavar="PATH", type=Path, default=None,
        help="incident store (SQLite file); default $INCIDENT_ATLAS_DB, else "
             "~/.cache/incident-atlas/atlas.sqlite",
    )


def register(sub: argparse._SubParsersAction, eval_sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "ingest",
        help="read articles, extract incidents and store them",
        description=(
            "Read articles (txt, md, html, jsonl, rss/atom files, folders, '-' for stdin), "
            "extract incidents, put them in their admin-1 area and store them, one "
            "transaction per article. Articles already stored are skipped, so running the "
            "same command again after an interruption finishes the job without duplicates. "
            "An incident several articles report is stored once, with every article "
            "(--no-link to turn this off). "
            "An article stored before with another publication date is skipped with a "
            "warning; --replace --who NAME re-dates it instead: its machine incidents are "
            "extracted again and replaced, incidents an analyst reviewed, edited or rejected "
            "are kept and flagged source_redated, all in one transaction per article. "
            "Exit status 1 when some articles failed (listed in the summary)."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or '-'")
    parser.add_argument(
        "--published", metavar="YYYY-MM-DD", default=None,
        help="publication date for articles whose metadata gives none (relative dates such "
             "as 'on Monday' are resolved against it)",
    )
    add_db_option(parser)
    parser.add_argument(
        "--no-link", action="store_true",
        help="store every extracted incident as its own; by default an incident that reports "
             "one already stored (same event type, overlapping dates, same place...) is "
             "linked to it (undo a wrong link with 'incident-atlas unlink')",
    )
    parser.add_argument(
        "--who", metavar="NAME", default=None,
        help="name written in the edit history of the links this ingest makes (default "
             "'ingest:link'); your name, required with --replace",
    )
    parser.add_argument(
        "--replace", action="store_true",
        help="an article already stored with another publication date (or title, url, "
             "source) replaces the stored one: its machine incidents are extracted again "
             "against the new date and replaced; incidents an analyst reviewed, edited or "
             "rejected are kept, flagged source_redated and listed; needs --who",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run_ingest)


def run_ingest(args: argparse.Namespace) -> int:
    from datetime import date

    from incidents.errors import IngestError
    from incidents.ingest import ingest_paths
    from incidents.store import open_store

    if args.published is not None:
        try:
            date.fromisoformat(args.published)
        except ValueError:
            raise IngestError(f"--published {args.published!r} is not in the form YYYY-MM-DD; "
                              "write it as YYYY-MM-DD (2019-05-10)") from None
    if args.replace and not (args.who or "").strip():
        raise IngestError("--replace needs --who NAME (your name, for the edit history of the "
                          "incidents it replaces); run 'incident-atlas ingest --replace --who "
                          "NAME PATH...'")
    with open_store(args.db) as store:
        summary = ingest_paths(args.paths, store=store, published=args.published,
                               progress=not args.no_progress and sys.stderr.isatty(),
                               link=not args.no_link, who=args.who,
                               replace_stored=args.replace)
    print("\n".join(summary.lines()))
    return EXIT_SOME_FAILED if summary.failed else 0
