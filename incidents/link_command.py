"""``incident-atlas unlink INCIDENT ARTICLE --who NAME [--db PATH]``: undo a wrong link."""

from __future__ import annotations

import argparse

from incidents.ingest_command import add_db_option


def register(sub: argparse._SubParsersAction, eval_sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "unlink",
        help="split an article's report off an incident it was wrongly linked to",
        description=(
            "Undo a wrong link made at ingest: the article's own report becomes an incident "
            "again, with its evidence; the incident keeps its other articles, and a machine "
            "incident's counts are those of the reports left. Both changes go to the edit "
            "history with --who. 'incident-atlas show INCIDENT' lists the articles."
        ),
    )
    parser.add_argument("incident_id", metavar="INCIDENT", help="the incident id")
    parser.add_argument("article_id", metavar="ARTICLE", help="the article id to split off")
    parser.add_argument("--who", required=True, help="your name, for the edit history")
    add_db_option(parser)
    parser.set_defaults(handler=run_unlink)


def run_unlink(args: argparse.Namespace) -> int:
    from incidents.store import open_store

    with open_store(args.db) as store:
        kept, split = store.unlink(args.incident_id, args.article_id, who=args.who)
    print(f"incident {kept.incident_id}: {len(kept.article_ids)} article(s) left")
    print(f"incident {split.incident_id}: split off with article {args.article_id} "
          f"({len(split.evidence)} evidence span(s))")
    return 0
