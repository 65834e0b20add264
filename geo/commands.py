"""``incident-atlas import`` (UCDP GED / ACLED CSV into the store) and ``export``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

#: Problems listed by line after an import before "and N more".
SHOW_PROBLEMS = 20


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH", type=Path, default=None,
        help="incident store (SQLite file); default $INCIDENT_ATLAS_DB, else "
             "~/.cache/incident-atlas/atlas.sqlite",
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD"
                                         ) from None


#: ``--format`` choices of export (the keys of ``geo.export.FORMATS``, which imports pandas).
EXPORT_FORMATS: tuple[str, ...] = ("csv", "geojson", "geoparquet", "gpkg", "kml")


def register(sub: argparse._SubParsersAction, eval_sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="import a UCDP GED or ACLED CSV file into the store",
        description=(
            "Import a UCDP GED CSV (global 49-column or country 41-column file) or an ACLED "
            "CSV export into the incident store. Good rows are imported, bad rows are listed "
            "by line; importing the same file again changes nothing. Exit status 1 when no "
            "row could be imported."
        ),
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the CSV file")
    imp.add_argument("--format", required=True, choices=("ucdp", "acled"),
                     help="dataset layout of FILE")
    _db_option(imp)
    imp.add_argument("--show", type=int, default=SHOW_PROBLEMS, metavar="N",
                     help=f"problems listed by line (default {SHOW_PROBLEMS})")
    imp.set_defaults(handler=run_import)

    exp = sub.add_parser(
        "export",
        help="export incidents as GeoJSON, CSV, GeoPackage, KML or GeoParquet",
        description=(
            "Export incidents from the store. The file is written to a temporary name and "
            "renamed, so FILE is never left half-written. Filters combine with AND; --type "
            "and --admin1 may be repeated."
        ),
    )
    exp.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    _db_option(exp)
    exp.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD",
                     help="incidents ending on or after this date")
    exp.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD",
                     help="incidents starting on or before this date")
    exp.add_argument("--type", dest="types", action="append", metavar="TYPE",
                     help="event type (ACLED family, e.g. 'Battles'); repeatable")
    exp.add_argument("--admin1", dest="admin1", action="append", metavar="CODE",
                     help="ISO 3166-2 admin-1 code (e.g. IQ-KI); repeatable")
    exp.add_argument("--country", dest="countries", action="append", metavar="CC",
                     help="ISO alpha-2 country code (e.g. IQ); repeatable")
    exp.add_argument("--text", metavar="WORDS",
                     help="case-insensitive text in the summary, place, actors or notes")
    exp.add_argument("--include-rejected", action="store_true",
                     help="also the incidents rejected as no incident (left out by default)")
    exp.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                     help="the file to write")
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from geo.importers import read_events
    from incidents.store import open_store

    result = read_events(args.file, format=args.format)
    with open_store(args.db) as store:
        added = store.add_incidents(result.frame, source=args.format)
        path = store.path
    errors, warnings = result.errors, result.warnings
    name = {"ucdp": "UCDP GED", "acled": "ACLED"}[args.format]
    lines = [
        f"imported {str(args.file)!r} ({name}) into {str(path)!r}",
        f"rows read          {result.rows_read:>8,}",
        f"  imported         {added.added:>8,}",
        f"  already present  {added.already_present:>8,}",
        f"  bad rows skipped {len(result.bad_lines):>8,}",
        f"  rows with warnings {len({p.line for p in warnings if p.line}):>6,}",
    ]
    problems = errors + warnings
    problems.sort(key=lambda p: (p.line or 0, p.severity))
    shown = problems[: max(args.show, 0)]
    lines.extend(f"  {p}" for p in shown)
    if len(problems) > len(shown):
        lines.append(f"  ... and {len(problems) - len(shown):,} more")
    print("\n".join(lines))
    if not result.rows_read:
        print(f"no rows in {str(args.file)!r}: the file has a header and nothing else")
    return 1 if not len(result.frame) else 0  # nothing imported: no row, or none good


def run_export(args: argparse.Namespace) -> int:
    from geo.errors import ExportError
    from geo.export import check_output, export_bytes, write_export
    from incidents.model import canonical_event_types
    from incidents.store import open_store

    types = None
    if args.types:
        try:
            types = canonical_event_types(args.types)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
    admin1 = [code.strip().upper() for code in args.admin1] if args.admin1 else None
    check_output(args.output)
    with open_store(args.db, readonly=True) as store:
        countries = [c.strip().upper() for c in args.countries] if args.countries else None
        frame = store.incidents_frame(date_from=args.date_from, date_to=args.date_to,
                                      event_types=types, admin1_codes=admin1,
                                      countries=countries, text=args.text,
                                      include_rejected=args.include_rejected)
        records = evidence = None
        if args.format == "geojson":
            records = store.get_incidents(frame["incident_id"])
            evidence = store.evidence_frame(frame["incident_id"])
    data = export_bytes(frame, args.format, records=records, evidence=evidence)
    write_export(data, args.output)
    noun = "incident" if len(frame) == 1 else "incidents"
    print(f"wrote {len(frame):,} {noun} to {str(args.output)!r} ({args.format}, "
          f"{len(data):,} bytes)")
    if frame.empty:
        print("incident-atlas: warning: no incidents matched; the file is empty",
              file=sys.stderr)
    return 0
