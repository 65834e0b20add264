"""Incident extraction end to end on the 249 Guardian articles, beside a plain alternative.

    python -m bench.bench_extract [--file PATH] [--no-baseline]

Ours: :class:`incidents.extract.Extractor` in the fast mode (date patterns only) and with
``--no-fast`` (``dateparser`` where the patterns find no date), each with the gazetteer's
geoparser, over articles already read (reading is timed apart), an article at a time
(``extract``) and 32 at a time (``extract_batch``, as ingest reads them); each row in a fresh
process, so that none starts with the names an earlier one looked up. The plain alternative is
what one writes first: ``dateparser.search_dates`` over each article plus a regular
expression for "N killed" — it gives dates and numbers, but no places, no event types and
no grouping. Start-up (lexicons, gazetteer index) is timed apart from the per-article rate.
One process, one core: the rate is given per CPU second of the process (what one core
does, whatever else the machine runs) and per wall-clock second.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

_KILLED_RE = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|dozens)\s+(?:\w+\s+){0,3}?(?:were\s+)?(?:killed|dead)\b", re.IGNORECASE)


def _default_file() -> Path:
    from gazetteer import settings

    return settings.shared_dir() / "datasets" / "guardian_syria_iraq_2017_2019.jsonl"


def plain_baseline(articles: list) -> tuple[float, float, int]:
    """(wall s, CPU s, findings) of dateparser.search_dates + a "N killed" regex."""
    from dateparser.search import search_dates

    found = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for article in articles:
        base = datetime.combine(article.published, datetime.min.time()) if article.published else datetime.now()
        dates = search_dates(article.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
        found += len(dates) + len(_KILLED_RE.findall(article.text))
    return time.perf_counter() - wall, time.process_time() - cpu, found


def run_extractor(articles: list, *, fast: bool, batch: bool = False) -> tuple[float, float, float, int]:
    """(start-up s, wall s, CPU s, incidents) for one fresh extractor over ``articles``, an
    article at a time or (``batch``) :data:`~incidents.extract.EXTRACT_BATCH` at a time with
    ``extract_many`` (``extract_batch`` underneath), as ingest reads them."""
    from incidents.extract import Extractor

    started = time.perf_counter()
    extractor = Extractor(fast=fast)
    if extractor.geoparser is not None:
        extractor.geoparser("Warm up the gazetteer in Ramadi.")
    startup = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    if batch:
        incidents = sum(1 for _ in extractor.extract_many(articles))
    else:
        incidents = sum(len(extractor.extract(a)) for a in articles)
    return startup, time.perf_counter() - wall, time.process_time() - cpu, incidents


def run_in_subprocess(path: Path, *, fast: bool, batch: bool) -> tuple[float, float, float, int]:
    """:func:`run_extractor` in a fresh interpreter (its own start-up and first look-ups)."""
    worker = ("fast" if fast else "full") + ("-batch" if batch else "")
    command = [sys.executable, "-m", "bench.bench_extract", "--worker", worker, "--file", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    startup, wall, cpu, incidents = json.loads(done.stdout.strip().splitlines()[-1])
    return startup, wall, cpu, incidents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=None, help="JSON Lines articles (default: the Guardian set)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the slow dateparser baseline")
    parser.add_argument("--worker", choices=["fast", "fast-batch", "full", "full-batch"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        from incidents.readers import read_paths

        articles = read_paths([args.file or _default_file()]).articles
        fast, batch = args.worker.startswith("fast"), args.worker.endswith("batch")
        print(json.dumps(run_extractor(articles, fast=fast, batch=batch)))
        return 0

    from incidents.readers import read_paths

    path = args.file or _default_file()
    started = time.perf_counter()
    result = read_paths([path])
    read_seconds = time.perf_counter() - started
    articles = result.articles
    n = len(articles)
    chars = sum(len(a.text) for a in articles)
    print(f"{n} articles, {chars / 1e6:.2f} M characters, read in {read_seconds:.2f} s ({path.name})")
    print("articles/s: per CPU second of this process (one core; the figure that holds on a shared")
    print("machine) and per wall-clock second")
    header = f"{'method':40s} {'start-up s':>10s} {'CPU s':>7s} {'art/s CPU':>9s} {'wall s':>7s} {'art/s wall':>10s}  found"
    print(header)
    rows = [
        ("Extractor, fast (the default)", True, False),
        ("Extractor, fast, batches of 32 (ingest)", True, True),
        ("Extractor, --no-fast", False, False),
        ("Extractor, --no-fast, batches of 32", False, True),
    ]
    for label, fast, batch in rows:
        # Each in a fresh process: names looked up by an earlier row would make a later one
        # look quicker than a first run is.
        startup, wall, cpu, incidents = run_in_subprocess(path, fast=fast, batch=batch)
        print(f"{label:40s} {startup:10.2f} {cpu:7.2f} {n / cpu:9.1f} {wall:7.2f} {n / wall:10.1f}  {incidents} incidents")
    if not args.no_baseline:
        wall, cpu, found = plain_baseline(articles)
        label = "plain: dateparser.search_dates + regex"
        print(f"{label:40s} {0.0:10.2f} {cpu:7.2f} {n / cpu:9.1f} {wall:7.2f} {n / wall:10.1f}  {found} dates+counts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
