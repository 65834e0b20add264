"""``incident-atlas extract`` and ``incident-atlas eval extract``.

``extract FILE... [--published YYYY-MM-DD] [--fast/--no-fast] [--json]``
    Reads articles (files, folders, ``-`` for stdin) and prints their incidents: a JSON list
    in the shape of :meth:`~incidents.model.Incident.to_dict` with ``--json``, a table
    otherwise. The lexicons and the gazetteer load once; articles stream through one at a
    time, so one call handles thousands of articles in bounded memory.
``eval extract [--seeds DIR] [--event-location FILE] [--ucdp-headlines FILE] [--limit N] [--json]``
    Seed scores against ``gold.json``, and event-site accuracy on the two event-location
    corpora (see :mod:`incidents.evaluation`). Defaults read from ``<shared>/seeds`` and
    ``<shared>/eval``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from incidents.errors import IncidentsError


def register(sub: Any, eval_sub: Any) -> None:
    """Add ``extract`` and ``eval extract`` to the ``incident-atlas`` parsers."""
    extract = sub.add_parser(
        "extract",
        help="extract incidents from articles",
        description=(
            "Read articles (txt, md, html, jsonl, rss; folders; '-' for stdin) and print the incidents "
            "they report, with evidence spans into each article's text."
        ),
    )
    extract.add_argument("paths", nargs="+", metavar="FILE", help="article files or folders; '-' reads stdin")
    extract.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="publication date for articles whose metadata gives none (relative dates need one)",
    )
    extract.add_argument(
        "--fast",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="date patterns only (default); --no-fast also asks dateparser where they find none",
    )
    extract.add_argument("--json", action="store_true", help="print a JSON list of incidents")
    extract.set_defaults(handler=run_extract)

    evaluate = eval_sub.add_parser(
        "extract",
        help="score the extractor on the seed articles and the event-site corpora",
        description="Score the extractor: seed articles against gold.json, event-site accuracy on "
        "event_location_dev.jsonl and ucdp_headlines_dev.jsonl, and the main incident's governorate on "
        "the whole articles of fakes_dev.jsonl (FA-KES).",
    )
    evaluate.add_argument("--seeds", type=Path, metavar="DIR", help="folder with the seed articles and gold.json")
    evaluate.add_argument("--event-location", type=Path, metavar="FILE", help="event_location_dev.jsonl")
    evaluate.add_argument("--ucdp-headlines", type=Path, metavar="FILE", help="ucdp_headlines_dev.jsonl")
    evaluate.add_argument("--fakes", type=Path, metavar="FILE", help="fakes_dev.jsonl (whole articles)")
    evaluate.add_argument("--limit", type=int, metavar="N", help="score only the first N records of each corpus")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.set_defaults(handler=run_eval)


# --- extract --------------------------------------------------------------------------------


def _warn(problem: object) -> None:
    print(f"incident-atlas: warning: {problem}", file=sys.stderr)


def run_extract(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    """Handler of ``extract``: stream articles through one extractor and print incidents."""
    from incidents.extract import Extractor
    from incidents.readers import iter_articles

    out = out or sys.stdout
    problems: list[object] = []

    def on_problem(problem: object) -> None:
        problems.append(problem)
        _warn(problem)

    articles = iter_articles(args.paths, published=args.published, on_problem=on_problem)
    extractor = Extractor(fast=args.fast)
    read = 0
    if args.json:
        out.write("[")
        first = True
        for article in articles:
            read += 1
            for incident in extractor.extract(article):
                out.write("\n" if first else ",\n")
                out.write(json.dumps(incident.to_dict(), ensure_ascii=False))
                first = False
        out.write("\n]\n" if not first else "]\n")
    else:
        rows = 0
        for article in articles:
            read += 1
            for incident in extractor.extract(article):
                if rows == 0:
                    out.write(_TABLE_HEADER)
                out.write(_table_row(incident))
                rows += 1
        if rows == 0:
            out.write("no incidents found\n")
    if read == 0 and problems:
        raise IncidentsError(f"no article could be read from {' '.join(map(str, args.paths))!r}; see the warnings above")
    return 0


_COLUMNS = (("date", 23), ("event type", 27), ("where", 26), ("prec", 4), ("killed", 7), ("actors", 40))
_TABLE_HEADER = "  ".join(name.ljust(width) for name, width in _COLUMNS) + "  summary\n"


def _cell(value: object, width: int) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)


def _table_row(incident: Any) -> str:
    if incident.date_start and incident.date_end and incident.date_start != incident.date_end:
        when = f"{incident.date_start}..{incident.date_end}"
    else:
        when = str(incident.date_start or incident.date_text or "")
    killed = incident.killed
    killed_text = "" if killed is None else (str(killed.best) if killed.low == killed.high else f"{killed.low}-{killed.high}")
    actors = " vs ".join(a for a in (incident.actor1, incident.actor2) if a)
    loc = incident.location
    cells = (
        when,
        incident.sub_event_type or incident.event_type,
        loc.name if loc else "",
        loc.geo_precision if loc else "",
        killed_text,
        actors,
    )
    mark = " (historical)" if incident.historical else ""
    return "  ".join(_cell(v, w) for v, (_, w) in zip(cells, _COLUMNS)) + f"  {incident.summary}{mark}\n"


# --- eval extract ---------------------------------------------------------------------------


def _shared_default(relative: str) -> Path:
    from gazetteer import settings

    return settings.shared_dir() / relative


def _existing(path: Path, what: str, option: str) -> Path:
    if not path.exists():
        raise IncidentsError(f"{what} {str(path)!r} not found; pass {option} PATH")
    return path


def evaluate(
    *,
    seeds: Path,
    event_location: Path,
    ucdp_headlines: Path,
    fakes: Path | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Every extraction score as one JSON-ready report (see :mod:`incidents.evaluation`)."""
    from incidents.evaluation import (
        event_site_accuracy,
        long_form_accuracy,
        score_seeds,
        ucdp_headline_accuracy,
    )
    from incidents.extract import EXTRACTOR_VERSION, Extractor

    extractor = Extractor()
    if extractor.geoparser is None:
        raise IncidentsError("gazetteer.geoparse is not available; the event-site scores need the gazetteer")
    report: dict[str, Any] = {"extractor_version": EXTRACTOR_VERSION, "limit": limit}
    started = time.perf_counter()
    report["seeds"] = score_seeds(seeds, extractor=extractor).to_dict()
    report["seeds"]["path"] = str(seeds)
    site = event_site_accuracy(event_location, extractor=extractor, limit=limit).to_dict()
    report["event_location"] = site | {"path": str(event_location)}
    headlines = ucdp_headline_accuracy(ucdp_headlines, extractor=extractor, limit=limit).to_dict()
    report["ucdp_headlines"] = headlines | {"path": str(ucdp_headlines)}
    if fakes is not None:
        long_form = long_form_accuracy(fakes, extractor=extractor, limit=limit).to_dict()
        report["long_form"] = long_form | {"path": str(fakes)}
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def run_eval(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    """Handler of ``eval extract``."""
    out = out or sys.stdout
    if args.limit is not None and args.limit < 1:
        raise IncidentsError(f"--limit must be a positive number of records, got {args.limit!r}")
    seeds = _existing(args.seeds or _shared_default("seeds"), "seeds folder", "--seeds")
    event_location = _existing(
        args.event_location or _shared_default("eval/event_location_dev.jsonl"), "event-location corpus", "--event-location"
    )
    ucdp = _existing(
        args.ucdp_headlines or _shared_default("eval/ucdp_headlines_dev.jsonl"), "UCDP headline corpus", "--ucdp-headlines"
    )
    fakes = _existing(args.fakes or _shared_default("eval/fakes_dev.jsonl"), "FA-KES corpus", "--fakes")
    report = evaluate(seeds=seeds, event_location=event_location, ucdp_headlines=ucdp, fakes=fakes,
                      limit=args.limit)
    if args.json:
        out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(_readable(report))
    return 0


def _readable(report: dict[str, Any]) -> str:
    seeds = report["seeds"]
    lines = [
        f"extractor: {report['extractor_version']}",
        f"seeds ({seeds['path']}): {'PASSED' if seeds['passed'] else 'FAILED'}",
        f"  required incidents found: {seeds['required_found']}/{seeds['required_total']}",
        (
            f"  incidents found: {seeds['incidents_found']}, matching nothing: {seeds['false_positives']}"
            f" (at most {seeds['max_false_positives']})"
        ),
    ]
    for name, entry in sorted(seeds["fields"].items()):
        lines.append(f"  {name}: {entry['right']}/{entry['total']} right")
    lines.append(f"  actors named in gold found: {seeds['actors_found']}/{seeds['actors_expected']}")
    lines.append(f"  background places made incidents: {seeds['not_incident_violations']}")
    for article in seeds["articles"]:
        for gid in article["required_missing"]:
            lines.append(f"  MISSING {gid} ({article['article']})")
        for summary in article["false_positives"]:
            lines.append(f"  UNMATCHED {article['article']}: {summary}")
        for check in article["checks"]:
            if not check["ok"]:
                lines.append(f"  WRONG {check['gold_id']} {check['field']}: expected {check['expected']}, found {check['found']}")
    site = report["event_location"]
    lines.append(
        f"event location ({site['sentences']} sentences): chosen site overlaps the marked span {site['chosen']:.1%}"
        f" (first toponym {site['first_toponym']:.1%}, nearest toponym {site['nearest_toponym']:.1%},"
        f" any toponym found {site['recognised']:.1%})"
    )
    ucdp = report["ucdp_headlines"]
    within = ", ".join(f"{k} km {v:.1%}" for k, v in ucdp["within_km"].items())
    site_within = ", ".join(f"{k} km {v:.1%}" for k, v in ucdp["site_within_km"].items())
    first = ", ".join(f"{k} km {v:.1%}" for k, v in ucdp["first_toponym_within_km"].items())
    lines += [
        f"UCDP headlines ({ucdp['headlines']}): incident within {within}; with an incident {ucdp['with_incident']:.1%}",
        f"  site chosen without a trigger too: {site_within}; first toponym: {first}",
    ]
    long_form = report.get("long_form")
    if long_form:
        lines += [
            f"whole articles ({long_form['articles']}, FA-KES): main incident in the labelled governorate "
            f"{long_form['main_incident']:.1%} (any incident {long_form['any_incident']:.1%}; plain choices: "
            f"first toponym {long_form['first_toponym']:.1%}, most named governorate {long_form['most_named']:.1%})",
            f"  incidents per article {long_form['per_article']}, located outside Syria {long_form['outside_syria']:.1%}",
        ]
    lines.append(f"seconds: {report['seconds']}")
    return "\n".join(lines) + "\n"
