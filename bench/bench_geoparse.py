"""Geoparser speed and memory, ours beside the plain spaCy baseline, in one run.

Each geoparser runs in a fresh Python subprocess so that its load time and peak memory are its
own: the load time is the import plus the first call (which opens the gazetteer index or the
spaCy model), throughput is documents per second end to end (recognition + resolution) on news
text after that, and peak memory is the subprocess's maximum resident set
(``resource.getrusage``).

Run from the repository root::

    python -m bench.bench_geoparse [--docs N] [--baseline-docs N]

Texts: LGL local news (``../shared/eval/lgl.jsonl``) and Guardian articles on Syria and Iraq
(``../shared/datasets/guardian_syria_iraq_2017_2019.jsonl``), interleaved.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

#: Geoparsers compared: label -> ``MODULE:CALLABLE``.
SYSTEMS: dict[str, str] = {
    "ours (gazetteer.geoparse)": "gazetteer:geoparse",
    "spaCy sm + most populous": "bench.baseline_spacy:geoparse",
}
#: Targets from issue 3, printed beside the figures.
TARGETS = "targets: >= 200 docs/s on one core, index load <= 3 s, peak RSS <= 1.5 GB"


def news_texts(limit: int) -> list[str]:
    """Up to ``limit`` news texts, LGL and Guardian interleaved (both read from ../shared)."""
    from gazetteer import settings

    shared = settings.shared_dir()
    sources = [shared / "eval" / "lgl.jsonl", shared / "datasets" / "guardian_syria_iraq_2017_2019.jsonl"]
    streams = []
    for path in sources:
        if not path.is_file():
            raise FileNotFoundError(
                f"news texts {str(path)!r} not found; the benchmark reads ../shared beside the repo"
            )
        with path.open(encoding="utf-8") as handle:
            streams.append([json.loads(line)["text"] for line in handle if line.strip()])
    mixed = [text for pair in itertools.zip_longest(*streams) for text in pair if text is not None]
    return mixed[:limit]


def measure(spec: str, limit: int) -> dict[str, float | int | str]:
    """Load time (s), throughput (docs/s) and peak RSS (MB) of one geoparser, in this process."""
    import resource
    import time

    from gazetteer.eval_command import load_geoparser

    texts = news_texts(limit)
    started = time.perf_counter()
    geoparse = load_geoparser(spec)
    geoparse("Clashes were reported in Ramadi, Anbar, on Tuesday.")
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    toponyms = sum(len(geoparse(text)) for text in texts)
    elapsed = time.perf_counter() - started
    characters = sum(len(text) for text in texts)
    return {
        "spec": spec,
        "docs": len(texts),
        "toponyms": toponyms,
        "load_s": load_s,
        "docs_per_s": len(texts) / elapsed,
        "kchars_per_s": characters / elapsed / 1000,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_in_subprocess(spec: str, limit: int) -> dict[str, float | int | str]:
    """:func:`measure` in a fresh interpreter; the error text if it failed."""
    command = [sys.executable, "-m", "bench.bench_geoparse", "--worker", spec, "--docs", str(limit)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return {"spec": spec, "error": lines[-1] if lines else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def format_row(label: str, row: dict[str, float | int | str]) -> str:
    if "error" in row:
        return f"{label:<28} failed: {row['error']}"
    return (
        f"{label:<28} {row['docs']:>5} {row['docs_per_s']:>9.1f} {row['kchars_per_s']:>9.1f} "
        f"{row['load_s']:>7.2f} {row['peak_rss_mb']:>9.0f} {row['toponyms']:>9}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_geoparse", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--docs", type=int, default=600, help="news documents for our geoparser (default 600)"
    )
    parser.add_argument(
        "--baseline-docs", type=int, default=80, help="documents for the spaCy baseline (default 80)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args.worker, args.docs)))
        return 0
    print("geoparser speed and memory, end to end on news text (LGL + Guardian Syria/Iraq), one process each")
    print(
        f"{'system':<28} {'docs':>5} {'docs/s':>9} {'kchars/s':>9} {'load s':>7} {'peak MB':>9} {'toponyms':>9}"
    )
    for label, spec in SYSTEMS.items():
        limit = args.docs if spec.startswith("gazetteer:") else args.baseline_docs
        print(format_row(label, run_in_subprocess(spec, limit)), flush=True)
    print(TARGETS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
