"""``incident-atlas unlink`` and ``merge``: correct the links made at ingest by hand.

``unlink INCIDENT ARTICLE --who NAME`` splits a wrongly linked article off an incident;
``merge KEEP OTHER --who NAME`` joins two incidents that are one event (a link missed).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from incidents.errors import StoreError
from incidents.ingest_command import add_db_option

if TYPE_CHECKING:
    from incidents.model import Count, Incident


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

    merge = sub.add_parser(
        "merge",
        help="join two incidents that are one event (a link missed at ingest)",
        description=(
            "Merge OTHER into KEEP: its articles, evidence and reports move to KEEP and OTHER "
            "is deleted. A machine KEEP is rebuilt from all its reports as linking does "
            "(count ranges, the lower median best, reports_disagree flags); a reviewed or "
            "edited KEEP keeps its values. Both incidents' history records the merge with "
            "--who; 'incident-atlas unlink KEEP ARTICLE' gives an article's incident back."
        ),
    )
    merge.add_argument("keep_id", metavar="KEEP", help="the incident to keep")
    merge.add_argument("other_id", metavar="OTHER", help="the incident merged into KEEP")
    merge.add_argument("--who", required=True, help="your name, for the edit history")
    merge.add_argument("--note", default=None, help="why, for the edit history")
    merge.add_argument("--json", action="store_true", help="the merged incident as JSON")
    add_db_option(merge)
    merge.set_defaults(handler=run_merge)


def run_unlink(args: argparse.Namespace) -> int:
    from incidents.store import open_store

    with open_store(args.db) as store:
        kept, split = store.unlink(args.incident_id, args.article_id, who=args.who)
    print(f"incident {kept.incident_id}: {len(kept.article_ids)} article(s) left")
    print(f"incident {split.incident_id}: split off with article {args.article_id} "
          f"({len(split.evidence)} evidence span(s))")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from gazetteer import settings
    from incidents.store import open_store

    path = Path(args.db) if args.db is not None else settings.default_db_path()
    if not path.is_file():  # opening would create an empty store
        raise StoreError(f"no incident store at {str(path)!r}; pass the store with --db PATH")
    with open_store(path) as store:
        kept = store.merge(args.keep_id, args.other_id, who=args.who, note=args.note)
        reports = len(store.reports_frame([kept.incident_id]))
    if args.json:
        print(json.dumps({"merged_from": args.other_id, "incident": kept.to_dict()},
                         ensure_ascii=False, indent=2, default=str))
        return 0
    print("\n".join(merge_lines(kept, args.other_id, reports=reports, who=args.who)))
    return 0


def merge_lines(kept: Incident, other_id: str, *, reports: int, who: str) -> list[str]:
    """What ``incident-atlas merge`` prints: the merge, the articles, the resulting counts."""
    how = (f"rebuilt from {reports} report(s)" if kept.status == "machine"
           else f"its values kept; {other_id}'s are kept in its reports")
    lines = [
        f"merged incident {other_id} into {kept.incident_id} (by {who})",
        f"incident {kept.incident_id}: {len(kept.article_ids)} article(s): "
        + (", ".join(kept.article_ids) or "none"),
        f"  status   {kept.status} ({how})",
        "  counts   " + "; ".join(f"{name} {_count(getattr(kept, name))}"
                                  for name in ("killed", "injured", "arrested")),
    ]
    if kept.flags:
        lines.append(f"  flags    {', '.join(kept.flags)}")
    return lines


def _count(count: Count | None) -> str:
    if count is None:
        return "none reported"
    if count.low == count.high:
        return str(count.best)
    return f"{count.low}-{count.high} (best {count.best})"
