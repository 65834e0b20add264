"""Review incidents from the command line: ``list``, ``show``, ``edit``, ``reject`` and
``history``.

The dashboard shows incidents on a map; these commands are the same review loop for a
terminal or a script::

    incident-atlas list --country IQ --text Rutba
    incident-atlas show 5f0c…                      # record, sources, evidence, history
    incident-atlas edit 5f0c… killed_best=4 location="Rutba" --who alice
    incident-atlas edit 5f0c… latitude=33.04 longitude=40.28 --who alice   # province re-joined
    incident-atlas reject 5f0c… --who alice --reason "a generic statement, no event"
    incident-atlas history --limit 20

Every edit goes through :meth:`incidents.store.IncidentStore.update_incident`: it is checked
field by field, written in one transaction and logged (who, when, old, new).
"""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from incidents.errors import StoreError
from incidents.ingest_command import add_db_option
from incidents.model import REJECTED, canonical_event_types

#: Columns ``incident-atlas list`` prints, in order.
LIST_COLUMNS = ("incident_id", "date_start", "event_type", "location", "admin1", "country",
                "geo_precision", "killed_best", "status")
#: Fields whose new value moves the incident; the province is then found again.
COORDINATE_FIELDS = frozenset(("latitude", "longitude"))
#: Fields that say where the incident is; given by hand, the join is not re-run.
AREA_FIELDS = frozenset(("country", "admin1", "admin1_code"))
#: Characters of article text shown around each evidence span.
SNIPPET_CHARS = 60


def register(sub: argparse._SubParsersAction, eval_sub: argparse._SubParsersAction) -> None:
    listing = sub.add_parser(
        "list", help="list stored incidents (filters as in the dashboard)",
        description="List stored incidents, newest first. Filters combine with AND.",
    )
    listing.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                         help="incidents ending on or after this date")
    listing.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                         help="incidents starting on or before this date")
    listing.add_argument("--type", dest="event_types", action="append", metavar="TYPE",
                         help="event type (ACLED family, e.g. 'Battles'); repeatable")
    listing.add_argument("--country", dest="countries", action="append", metavar="CC",
                         help="ISO alpha-2 country code (e.g. IQ); repeatable")
    listing.add_argument("--admin1", dest="admin1_codes", action="append", metavar="CODE",
                         help="ISO 3166-2 admin-1 code (e.g. IQ-AN); repeatable")
    listing.add_argument("--text", metavar="WORDS",
                         help="case-insensitive text in the summary, place, actors or notes")
    listing.add_argument("--limit", type=int, default=50, metavar="N",
                         help="at most N incidents (default 50; 0 for all)")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.add_argument("--include-rejected", action="store_true",
                         help="also the incidents rejected as no incident (left out by default)")
    add_db_option(listing)
    listing.set_defaults(handler=run_list)

    show = sub.add_parser(
        "show", help="one incident: its record, sources, evidence and edit history",
        description="Print one incident's record, the articles that report it with each "
                    "evidence span in context, and every analyst change.",
    )
    show.add_argument("incident_id", metavar="INCIDENT_ID")
    show.add_argument("--json", action="store_true", help="the record as JSON")
    add_db_option(show)
    show.set_defaults(handler=run_show)

    edit = sub.add_parser(
        "edit", help="correct an incident (every change is logged)",
        description="Change fields of one incident: FIELD=VALUE pairs with the flat column "
                    "names of `incident-atlas list --json` (event_type, location, latitude, "
                    "killed_best, date_start, status...). An empty VALUE clears the field; list "
                    "fields (assoc_actors, flags) take values separated by ';'. Moving the "
                    "incident (latitude/longitude) finds its country and province again "
                    "unless they are given too. The incident's status becomes 'edited' "
                    "(pass status=reviewed to confirm it unchanged).",
    )
    edit.add_argument("incident_id", metavar="INCIDENT_ID")
    edit.add_argument("changes", nargs="+", metavar="FIELD=VALUE")
    edit.add_argument("--who", required=True, metavar="NAME",
                      help="the analyst's name, kept in the audit log")
    add_db_option(edit)
    edit.set_defaults(handler=run_edit)

    reject = sub.add_parser(
        "reject", help="reject incidents that are no incidents (kept, logged, hidden)",
        description="Mark incidents as no incident (a generic statement, a misread sentence): "
                    "their status becomes 'rejected', the change is logged under your name, "
                    "and the map, list and exports leave them out (list/export "
                    "--include-rejected show them). Nothing is deleted; --undo puts them back "
                    "(status 'edited').",
    )
    reject.add_argument("incident_ids", nargs="+", metavar="INCIDENT_ID")
    reject.add_argument("--who", required=True, metavar="NAME",
                        help="the analyst's name, kept in the audit log")
    reject.add_argument("--reason", metavar="TEXT",
                        help="why, added to the incident's notes")
    reject.add_argument("--undo", action="store_true", help="restore rejected incidents")
    add_db_option(reject)
    reject.set_defaults(handler=run_reject)

    history = sub.add_parser(
        "history", help="the audit log: analyst changes, links made at ingest, unlinks",
        description="Every change (who, when, field, old, new), newest last: analysts' edits "
                    "and unlinks under their names, reports linked at ingest under "
                    "'ingest:link' (field article_ids, and the counts and flags the merge "
                    "changed).",
    )
    history.add_argument("incident_id", nargs="?", metavar="INCIDENT_ID",
                         help="only this incident's changes")
    history.add_argument("--limit", type=int, default=0, metavar="N",
                         help="only the last N changes (default: all)")
    add_db_option(history)
    history.set_defaults(handler=run_history)


# -- handlers ---------------------------------------------------------------------------------


def _not_found(incident_id: str, store: Any = None) -> StoreError:
    """The error for an unknown id; one merged away names the incident it is part of now
    (the audit log's ``merged_into`` rows, followed when that one was merged too)."""
    if store is not None:
        seen = [incident_id]
        while (into := _merged_into(store, seen[-1])) is not None and into[0] not in seen:
            seen.append(into[0])
            try:
                store.get_incident(into[0])
                break
            except LookupError:
                continue
        if len(seen) > 1:
            keep, who, at = _merged_into(store, incident_id)
            now = f" (now part of {seen[-1]!r})" if seen[-1] != keep else ""
            return StoreError(f"incident {incident_id!r} was merged into {keep!r} by {who} on "
                              f"{_cell(at)}{now}; see `incident-atlas show {seen[-1]}`, and "
                              f"`incident-atlas history {incident_id}` for its last record")
    return StoreError(f"no incident {incident_id!r} in the store; find ids with `incident-atlas list`")


def _merged_into(store: Any, incident_id: str) -> tuple[str, str, Any] | None:
    """(keep id, who, when) of the last merge of ``incident_id`` into another incident."""
    log = store.audit_log(incident_id)
    log = log.loc[log["field"] == "merged_into"]
    if log.empty:
        return None
    last = log.iloc[-1]
    return json.loads(last["new"]), str(last["who"]), last["at"]


def _open(db: Path | None, *, readonly: bool):
    """The store at ``db`` (or the default). Read-only, an older store is migrated first
    when its file and folder are writable (each schema step is one transaction)."""
    from gazetteer import settings
    from incidents.store import NeedsMigration, open_store

    path = Path(db) if db is not None else settings.default_db_path()
    if not str(path).startswith(("postgresql://", "postgres://")) and not path.is_file():
        raise StoreError(f"no incident store at {str(path)!r}; create it with `incident-atlas "
                         "ingest PATH` or `incident-atlas demo`, or pass --db PATH")
    try:
        return open_store(path, readonly=readonly)
    except NeedsMigration as exc:
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise StoreError(f"{exc} (this file or its folder is not writable: ask its owner "
                             "to run that, or copy the store)") from None
    with open_store(path):  # opening for writing applies the missing schema steps
        pass
    return open_store(path, readonly=readonly)


def run_list(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise StoreError(f"--limit {args.limit!r} must be 0 (all) or more")
    try:
        types = canonical_event_types(args.event_types) if args.event_types else None
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    countries = [c.strip().upper() for c in args.countries] if args.countries else None
    admin1 = [c.strip().upper() for c in args.admin1_codes] if args.admin1_codes else None
    with _open(args.db, readonly=True) as store:
        frame = store.incidents_frame(
            date_from=args.date_from, date_to=args.date_to, event_types=types,
            admin1_codes=admin1, countries=countries, text=args.text,
            include_rejected=args.include_rejected,
        )
    if "date_start" in frame.columns:
        frame = frame.sort_values("date_start", ascending=False, na_position="last", kind="stable")
    total = len(frame)
    if args.limit:
        frame = frame.head(args.limit)
    if args.json:
        for row in frame.to_dict(orient="records"):
            print(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False))
        return 0
    rows = [[_cell(row.get(c)) for c in LIST_COLUMNS] for row in frame.to_dict(orient="records")]
    print(_table(LIST_COLUMNS, rows))
    shown = f"{len(frame)} of {total}" if len(frame) < total else f"{total}"
    noun = "incident" if total == 1 else "incidents"
    print(f"{shown} {noun}" + (" (--limit 0 shows all)" if len(frame) < total else ""))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from incidents.store import IncidentNotFound

    with _open(args.db, readonly=True) as store:
        try:
            incident = store.get_incident(args.incident_id)
        except IncidentNotFound:
            raise _not_found(args.incident_id, store) from None
        articles = store.articles_for(args.incident_id)
        evidence = store.evidence_for(args.incident_id)
        log = store.audit_log(args.incident_id)
        reports = store.reports_frame([args.incident_id])
    links = {r["article_id"]: r for r in reports.to_dict(orient="records")}
    if args.json:
        record = incident.to_dict()
        record["articles"] = [{"article_id": a.article_id, "title": a.title, "ref": a.ref,
                               "published": a.published.isoformat() if a.published else None,
                               **_link_fields(links.get(a.article_id))}
                              for a in articles]
        record["history"] = [{k: _plain(v) for k, v in row.items()}
                             for row in log.to_dict(orient="records")]
        print(json.dumps(record, ensure_ascii=False, indent=2, default=str))
        return 0
    print("\n".join(describe(incident.to_row(), articles, evidence, log.to_dict(orient="records"),
                             links=links)))
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from incidents.store import IncidentNotFound

    changes = parse_changes(args.changes)
    with _open(args.db, readonly=False) as store:
        try:
            current = store.get_incident(args.incident_id).to_row()
        except IncidentNotFound:
            raise _not_found(args.incident_id, store) from None
        moved_to_nowhere = False
        if COORDINATE_FIELDS & changes.keys() and not AREA_FIELDS & changes.keys():
            area = area_of(changes.get("latitude", current.get("latitude")),
                           changes.get("longitude", current.get("longitude")))
            changes.update(area)
            moved_to_nowhere = not area.get("country")
        updated = store.update_incident(args.incident_id, changes, who=args.who).to_row()
    # every field the edit changed, those it kept consistent too (a range widened to a new best)
    changed = [f for f in current if f not in ("status", "fatalities")
               and _plain(updated.get(f)) != _plain(current.get(f))]
    if not changed:
        print(f"{args.incident_id}: nothing changed")
        return 0
    for field in changed:
        print(f"{field}: {_cell(current.get(field))} -> {_cell(updated.get(field))}")
    if moved_to_nowhere:
        print(f"note: ({_cell(updated.get('latitude'))}, {_cell(updated.get('longitude'))}) lies in "
              "no country or province of the bundled boundaries (at sea?), so both were cleared; "
              "check the coordinates, or give country= admin1= admin1_code= with them")
    print(f"{args.incident_id}: {len(changed)} field(s) changed by {args.who}; status "
          f"{updated.get('status')}")
    return 0


def run_reject(args: argparse.Namespace) -> int:
    from incidents.store import IncidentNotFound

    status = "edited" if args.undo else REJECTED
    with _open(args.db, readonly=False) as store:
        found = {}
        for incident_id in args.incident_ids:  # all checked before any is changed
            try:
                found[incident_id] = store.get_incident(incident_id)
            except IncidentNotFound:
                raise _not_found(incident_id, store) from None
        for incident_id, current in found.items():
            if args.undo and current.status != REJECTED:
                print(f"{incident_id}: not rejected (status {current.status}); unchanged")
                continue
            changes: dict[str, Any] = {"status": status}
            if args.reason:
                note = f"{'Restored' if args.undo else 'Rejected'} by {args.who}: {args.reason}"
                changes["notes"] = f"{current.notes}\n{note}" if current.notes else note
            store.update_incident(incident_id, changes, who=args.who)
            print(f"{incident_id}: {'restored (status edited)' if args.undo else 'rejected'} "
                  f"by {args.who}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    from incidents.store import IncidentNotFound

    if args.limit < 0:
        raise StoreError(f"--limit {args.limit!r} must be 0 (all) or more")
    with _open(args.db, readonly=True) as store:
        if args.incident_id:
            try:
                store.get_incident(args.incident_id)
            except IncidentNotFound:
                if _merged_into(store, args.incident_id) is None:
                    raise _not_found(args.incident_id, store) from None
        log = store.audit_log(args.incident_id)
    if args.limit:
        log = log.tail(args.limit)
    if log.empty:
        print("no analyst changes" + (f" to {args.incident_id}" if args.incident_id else ""))
        return 0
    columns = ("at", "who", "incident_id", "field", "old", "new")
    rows = [[_audit(row[c]) if c in ("old", "new") else _cell(row[c]) for c in columns]
            for row in log.to_dict(orient="records")]
    print(_table(columns, rows))
    return 0


# -- pieces -----------------------------------------------------------------------------------


def parse_changes(pairs: list[str]) -> dict[str, Any]:
    """``["killed_best=4", "flags=a;b", "notes="]`` → ``{"killed_best": "4", ...}``.

    Values stay text (the store converts and checks them); an empty value is None; list
    fields split on ``;``.

    Raises
    ------
    StoreError
        A pair has no ``=`` or no field name, or a field is given twice.
    """
    from incidents.store import EDITABLE_FIELDS

    changes: dict[str, Any] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        field = field.strip()
        if not sep or not field:
            raise StoreError(f"{pair!r} is not FIELD=VALUE (e.g. killed_best=4 or "
                             f"location=Rutba); editable fields: {', '.join(sorted(EDITABLE_FIELDS))}")
        if field in changes:
            raise StoreError(f"field {field!r} is given twice; give each field once")
        value = value.strip()
        if field in ("assoc_actors", "flags"):
            changes[field] = [v.strip() for v in value.split(";") if v.strip()]
        else:
            changes[field] = value if value else None
    return changes


def area_of(latitude: Any, longitude: Any) -> dict[str, Any]:
    """Country, admin-1 name and code of a point (degrees), from the bundled boundaries.

    Raises
    ------
    StoreError
        The coordinates are not numbers within range.
    """
    import pandas as pd

    from geo.spatial_join import admin1_for_points

    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise StoreError(f"latitude {latitude!r} / longitude {longitude!r} are not numbers; "
                         "give both in decimal degrees (e.g. latitude=33.04 longitude=40.28)") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise StoreError(f"latitude {lat!r} / longitude {lon!r} are outside -90..90 / -180..180")
    area = admin1_for_points([lon], [lat]).iloc[0]
    return {column: (None if pd.isna(area[column]) else str(area[column]))
            for column in ("country", "admin1", "admin1_code")}


def _link_fields(report: dict[str, Any] | None) -> dict[str, Any]:
    """How an article came to report the incident: ``link_score`` (None for the first
    report or an article of an unlinked incident), ``link_reasons``, ``linked_at``."""
    if report is None:
        return {"link_score": None, "link_reasons": [], "linked_at": None}
    return {"link_score": _plain(report["score"]), "link_reasons": list(report["reasons"]),
            "linked_at": report["linked_at"]}


def _count_text(row: dict[str, Any], name: str) -> str:
    """"killed 6" or, for a range the reports disagree on, "killed 4-6 (best 5)"."""
    low, best, high = (_cell(row.get(f"{name}_{part}")) for part in ("low", "best", "high"))
    if low and high and low != high:
        return f"{name} {low}-{high} (best {best})"
    return f"{name} {best}"


def describe(row: dict[str, Any], articles: list, evidence: list, history: list[dict[str, Any]],
             *, links: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """The lines ``incident-atlas show`` prints: record, sources with evidence and how each
    was linked (``links``: article id -> row of ``IncidentStore.reports_frame``), history."""
    links = links or {}
    when = _cell(row.get("date_start"))
    if row.get("date_end") and row.get("date_end") != row.get("date_start"):
        when += f" .. {_cell(row.get('date_end'))}"
    where = ", ".join(str(v) for v in (row.get("location"), row.get("admin1"), row.get("country"))
                      if _cell(v))
    lines = [
        f"incident {row.get('incident_id')}  [{row.get('status')}]",
        f"  what     {row.get('event_type')}"
        + (f" / {row.get('sub_event_type')}" if _cell(row.get("sub_event_type")) else ""),
        f"  who      {_cell(row.get('actor1')) or '?'} vs {_cell(row.get('actor2')) or '?'}",
        f"  when     {when or 'unknown'} (precision {_cell(row.get('time_precision')) or '?'})",
        (f"  where    {where or 'unknown'} ({_cell(row.get('latitude'))}, "
         f"{_cell(row.get('longitude'))}; geo_precision {_cell(row.get('geo_precision'))}, "
         f"radius {_cell(row.get('radius_km'))} km)"),
        "  counts   " + (", ".join(_count_text(row, k) for k in ("killed", "injured", "arrested")
                                  if _cell(row.get(f"{k}_best"))) or "none reported"),
        f"  summary  {_cell(row.get('summary'))}",
    ]
    if _cell(row.get("flags")):
        lines.append(f"  flags    {_cell(row.get('flags'))}")
    if _cell(row.get("join_flag")):
        lines.append(f"  province {_cell(row.get('join_flag'))}")
    if _cell(row.get("notes")):
        lines.append(f"  notes    {_cell(row.get('notes'))}")
    spans: dict[str | None, list] = {}
    for ev in evidence:
        spans.setdefault(ev.article_id, []).append(ev)
    for article in articles:
        published = article.published.isoformat() if article.published else "no date"
        lines.append(f"source {article.article_id}: {article.title or article.ref} ({published})")
        link = _link_fields(links.get(article.article_id))
        if link["link_score"] is not None:
            lines.append(f"  linked   {_cell(link['linked_at'])}, score {link['link_score']:.2f}: "
                         + "; ".join(link["link_reasons"]))
        elif link["link_reasons"]:  # an incident merged in by an analyst
            lines.append(f"  merged   {_cell(link['linked_at'])}: "
                         + "; ".join(link["link_reasons"]))
        elif article.article_id in links:
            lines.append("  linked   first report (the incident's own record)")
        for ev in sorted(spans.get(article.article_id, []), key=lambda e: e.start):
            lines.append(f"  {ev.role:<8} {snippet(article.text, ev.start, ev.end)}")
    lines.extend(f"changed {_cell(h['at'])} by {h['who']}: {h['field']} {_audit(h['old'])} -> "
                 f"{_audit(h['new'])}" for h in history)
    return lines


def snippet(text: str, start: int, end: int, *, context: int = SNIPPET_CHARS) -> str:
    """``text[start:end]`` in [brackets] with ``context`` characters either side, on one line."""
    left = text[max(0, start - context) : start]
    right = text[end : end + context]
    lead = "…" if start > context else ""
    tail = "…" if end + context < len(text) else ""
    out = f"{lead}{left}[{text[start:end]}]{right}{tail}"
    return " ".join(out.split())


def _audit(text: Any) -> str:
    """An audit-log value (JSON text) as an analyst reads it: ``"machine"`` → machine."""
    value = _plain(text)
    if value in (None, "", "nan", "null"):
        return "(empty)"
    try:
        return _cell(json.loads(value)) or "(empty)"
    except (TypeError, ValueError):
        return str(value)


def _plain(value: Any) -> Any:
    """A JSON-friendly value: NaN/NaT → None, dates → ISO text, numpy scalars → Python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()  # a day, as `show --json` writes it
    if hasattr(value, "isoformat"):
        try:
            return value.isoformat()
        except ValueError:
            return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    is_timestamp = len(text) >= 19 and text[4:5] == "-" and text[10:11] == "T"
    if not is_timestamp:
        return text
    return text[:10] if text[11:19] == "00:00:00" else text[:16].replace("T", " ")


def _table(columns: tuple[str, ...] | list[str], rows: list[list[str]], *, width: int = 40) -> str:
    cut = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in rows]
    sizes = [max([len(h)] + [len(r[i]) for r in cut]) for i, h in enumerate(columns)]
    lines = ["  ".join(h.ljust(s) for h, s in zip(columns, sizes))]
    lines.extend("  ".join(c.ljust(s) for c, s in zip(row, sizes)).rstrip() for row in cut)
    return "\n".join(lines)
