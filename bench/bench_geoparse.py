"""Geoparser speed and memory beside the plain spaCy baseline; and the accuracy suite.

Each geoparser runs in a fresh Python subprocess so that its load time and peak memory are its
own: the load time is the import plus the first call (which opens the gazetteer index or the
spaCy model), throughput is documents per second end to end (recognition + resolution) on news
text after that (``docs/s``, wall clock, first sight of every name) and on a second pass over the
same texts (``warm/cpu-s``: documents per CPU second with names and candidate lists remembered, as
in a long-running process; less sensitive to other jobs on the machine), ``cpu-s`` is the first
pass in documents per CPU second (``time.process_time``), and peak memory is the subprocess's
maximum resident set (``resource.getrusage``). The load average is printed before and after: on
a busy machine ``docs/s`` falls while ``cpu-s`` moves less. A geoparser with a batch entry point
beside it (``geoparse_many`` for ``geoparse``) is handed all the texts at once, as a consumer with
many documents (ingest, evaluation) calls it; the spaCy baseline is called text by text.

Run from the repository root::

    python -m bench.bench_geoparse [--docs N] [--baseline-docs N]

Texts: LGL local news (``../shared/eval/lgl.jsonl``) and Guardian articles on Syria and Iraq
(``../shared/datasets/guardian_syria_iraq_2017_2019.jsonl``), interleaved.

``--accuracy`` instead scores one geoparser (``--geoparser MODULE:CALLABLE``, default ours) on
every development corpus with the harness of ``incident-atlas eval geoparse`` and prints a
Markdown table, one row per corpus and mode (:data:`ACCURACY_RUNS`)::

    python -m bench.bench_geoparse --accuracy [--geoparser SPEC] [--limit N] [--only LABELS]

``--dump OUT.jsonl`` writes our output on the equivalence corpora (:func:`dump_output`), to
check that a speed change leaves the output unchanged::

    python -m bench.bench_geoparse --dump /tmp/after.jsonl   # and the same in the old tree
    cmp /tmp/before.jsonl /tmp/after.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

#: Geoparsers compared: label -> ``MODULE:CALLABLE``.
SYSTEMS: dict[str, str] = {
    "ours (gazetteer.geoparse)": "gazetteer:geoparse",
    "spaCy sm + most populous": "bench.baseline_spacy:geoparse",
}
#: Accuracy runs: (label, corpus files in ../shared/eval, gold spans, region filter).
ACCURACY_RUNS: tuple[tuple[str, tuple[str, ...], bool, str | None], ...] = (
    ("LGL", ("lgl.jsonl",), False, None),
    ("LGL gold spans", ("lgl.jsonl",), True, None),
    ("GeoVirus", ("geovirus.jsonl",), False, None),
    ("GeoVirus gold spans", ("geovirus.jsonl",), True, None),
    ("TUD-Loc2013 dev", ("tud_loc2013_dev.jsonl",), False, None),
    ("TUD-Loc2013 dev gold spans", ("tud_loc2013_dev.jsonl",), True, None),
    ("WikToR", ("wiktor.jsonl",), False, None),
    ("WikToR gold spans", ("wiktor.jsonl",), True, None),
    ("GeoCorpora", ("geocorpora.jsonl",), False, None),
    ("GeoCorpora gold spans", ("geocorpora.jsonl",), True, None),
    (
        "Iraq/Syria pooled",
        ("lgl.jsonl", "geovirus.jsonl", "tud_loc2013_dev.jsonl", "wiktor.jsonl", "geocorpora.jsonl"),
        False,
        "IQ,SY",
    ),
    (
        "Iraq/Syria pooled gold spans",
        ("lgl.jsonl", "geovirus.jsonl", "tud_loc2013_dev.jsonl", "wiktor.jsonl", "geocorpora.jsonl"),
        True,
        "IQ,SY",
    ),
)
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

    from gazetteer.evaluation import batch_entry_point, load_geoparser

    texts = news_texts(limit)
    started = time.perf_counter()
    geoparse = load_geoparser(spec)
    geoparse("Clashes were reported in Ramadi, Anbar, on Tuesday.")
    load_s = time.perf_counter() - started
    # Handed all the texts at once where the geoparser has a batch entry point (ours), else
    # called text by text (the spaCy baseline).
    parse_many = batch_entry_point(geoparse) or (lambda texts: [geoparse(text) for text in texts])
    started, cpu_started = time.perf_counter(), time.process_time()
    toponyms = sum(len(found) for found in parse_many(texts))
    elapsed = time.perf_counter() - started
    first_cpu = time.process_time() - cpu_started
    # A second pass over the same texts: names and candidate lists are then remembered, as in a
    # long-running process (CPU time, so other jobs on the machine count less).
    started = time.process_time()
    parse_many(texts)
    warm_cpu = time.process_time() - started
    characters = sum(len(text) for text in texts)
    return {
        "spec": spec,
        "docs": len(texts),
        "toponyms": toponyms,
        "load_s": load_s,
        "docs_per_s": len(texts) / elapsed,
        "docs_per_cpu_s": len(texts) / first_cpu if first_cpu else float("nan"),
        "warm_docs_per_cpu_s": len(texts) / warm_cpu if warm_cpu else float("nan"),
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


#: Texts of the equivalence dump (``--dump``): file under ../shared, label, first N documents.
DUMP_CORPORA: tuple[tuple[str, str, int | None], ...] = (
    ("eval/lgl.jsonl", "lgl", None),
    ("eval/geovirus.jsonl", "geovirus", None),
    ("eval/tud_loc2013_dev.jsonl", "tud", None),
    ("eval/geocorpora.jsonl", "geocorpora", 1000),
    ("datasets/guardian_syria_iraq_2017_2019.jsonl", "guardian", None),
)


def dump_output(path: Path) -> int:
    """Write every toponym our geoparser gives on :data:`DUMP_CORPORA` to ``path`` (JSON lines).

    One line per document and mode: text mode for every document, gold-span mode where the
    document has gold toponyms, and ``demonyms=True`` on LGL and the Guardian. Each toponym is
    ``[start, end, text, place_id, lat, lon, geo_precision, radius_km, score (6 places),
    relation, anchor, in_organisation]``. Two trees whose dumps are byte-identical (``cmp``) parse alike;
    a speed change must leave the dump unchanged. Returns the number of documents.
    """
    from gazetteer import geoparse, settings
    from gazetteer.geoparse import geoparse_many

    def rows(toponyms) -> list[list]:
        return [
            [t.start, t.end, t.text, t.place_id, t.lat, t.lon, t.geo_precision, t.radius_km, round(t.score, 6),
             t.relation, t.anchor, t.in_organisation]
            for t in toponyms
        ]

    documents = 0
    with path.open("w", encoding="utf-8") as out:
        for name, label, limit in DUMP_CORPORA:
            with (settings.shared_dir() / name).open(encoding="utf-8") as handle:
                docs = [json.loads(line) for line in handle if line.strip()][:limit]
            # Text modes go through the batch entry point: a batch must parse each text as
            # ``geoparse`` alone did when the dump to compare with was written.
            texts = [doc["text"] for doc in docs]
            found = geoparse_many(texts)
            with_demonyms = geoparse_many(texts, demonyms=True) if label in ("lgl", "guardian") else None
            for k, doc in enumerate(docs):
                text, doc_id = doc["text"], doc.get("id")
                out.write(json.dumps([label, doc_id, "text", rows(found[k])]) + "\n")
                if with_demonyms is not None:
                    out.write(json.dumps([label, doc_id, "dem", rows(with_demonyms[k])]) + "\n")
                if doc.get("toponyms"):
                    spans = [(t["start"], t["end"]) for t in doc["toponyms"]]
                    out.write(json.dumps([label, doc_id, "spans", rows(geoparse(text, spans=spans))]) + "\n")
            documents += len(docs)
    return documents


def format_row(label: str, row: dict[str, float | int | str]) -> str:
    if "error" in row:
        return f"{label:<28} failed: {row['error']}"
    return (
        f"{label:<28} {row['docs']:>5} {row['docs_per_s']:>9.1f} {row['docs_per_cpu_s']:>9.1f} "
        f"{row['warm_docs_per_cpu_s']:>10.1f} "
        f"{row['kchars_per_s']:>9.1f} {row['load_s']:>7.2f} {row['peak_rss_mb']:>9.0f} {row['toponyms']:>9}"
    )


def accuracy_suite(
    spec: str, *, limit: int | None, only: set[str] | None, json_out: Path | None, derived_points: bool = False
) -> None:
    """Score ``spec`` on every run of :data:`ACCURACY_RUNS` and print a Markdown table
    (``derived_points``: score derived locations at their moved point, as ``eval geoparse
    --derived-points``)."""
    from gazetteer import evaluation, settings
    from gazetteer.evaluation import load_geoparser

    geoparse = load_geoparser(spec)
    eval_dir = settings.shared_dir() / "eval"
    print(
        f"accuracy of {spec}" + (f", first {limit} documents of each corpus" if limit else "")
        + f"; derived locations scored at the {'derived point' if derived_points else 'named place'}"
    )
    print(
        "| run | docs | P | R | F1 | overlap P | overlap R | overlap F1 | n | Acc@161 | Acc@25 "
        "| mean km | median km | AUC | end-to-end @161 | docs/s |"
    )
    print("|---" * 16 + "|")
    for label, files, gold_spans, region in ACCURACY_RUNS:
        if only is not None and label not in only:
            continue
        documents: list[evaluation.GoldDocument] = []
        for name in files:
            documents.extend(evaluation.read_corpus(eval_dir / name, limit=limit).documents)
        if region:
            documents = list(evaluation.filter_region(documents, region.split(",")))
        result = evaluation.evaluate(
            documents, geoparse, gold_spans=gold_spans, derived_points=derived_points, progress=True
        ).to_dict()
        rec, res = result["recognition"], result["resolution"]
        recognition = ["-"] * 6 if gold_spans else [_fmt(rec[key]) for key in rec]
        cells = [
            label,
            str(result["docs"]),
            *recognition,
            str(res["n"]),
            _fmt(res["acc161"]),
            _fmt(res["acc25"]),
            _fmt(res["mean_km"], ".0f"),
            _fmt(res["median_km"], ".1f"),
            _fmt(res["auc"]),
            _fmt(result["end_to_end"]["recall_at_161"]),
            _fmt(result["docs_per_second"], ".1f"),
        ]
        print("| " + " | ".join(cells) + " |", flush=True)
        if json_out is not None:
            with json_out.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"run": label, "geoparser": spec, "limit": limit, **result}) + "\n")


#: Per-corpus comparison tables of ``--tables``: title, end-to-end run, gold-span run,
#: published Mordecai 3 gold-span Acc@161, and the issue-3 targets by figure.
CORPUS_TABLES: tuple[tuple[str, str, str, float | None, dict[str, str]], ...] = (
    ("LGL", "LGL", "LGL gold spans", 0.827, {"overlap": "F1 >= 0.80", "gold": ">= 0.85", "e2e": ">= 0.70"}),
    ("GeoVirus", "GeoVirus", "GeoVirus gold spans", None, {"overlap": "F1 >= 0.90", "gold": ">= 0.85"}),
    ("TUD-Loc2013 dev", "TUD-Loc2013 dev", "TUD-Loc2013 dev gold spans", None, {"gold": ">= 0.85"}),
    ("WikToR", "WikToR", "WikToR gold spans", None, {}),
    ("GeoCorpora", "GeoCorpora", "GeoCorpora gold spans", None, {}),
    ("Iraq/Syria pooled", "Iraq/Syria pooled", "Iraq/Syria pooled gold spans", None, {"e2e": ">= 0.90"}),
)


def comparison_tables(ours: dict[str, dict], baseline: dict[str, dict]) -> str:
    """Markdown tables, one per corpus: ours beside the baseline, Mordecai 3 and the target.

    ``ours`` and ``baseline`` map run labels to the JSON objects ``--json-out`` wrote.
    """

    def triple(row: dict | None, keys: tuple[str, ...], block: str) -> str:
        if row is None:
            return "not run"
        return " / ".join(_fmt(row[block][key]) for key in keys)

    def resolution(row: dict | None) -> str:
        if row is None:
            return "not run"
        res = row["resolution"]
        return (
            f"{_fmt(res['acc161'])} / {_fmt(res['acc25'])} / {_fmt(res['mean_km'], '.0f')} / "
            f"{_fmt(res['median_km'], '.1f')} / {_fmt(res['auc'])} (n {res['n']})"
        )

    def cell(row: dict | None, getter) -> str:
        return "not run" if row is None else getter(row)

    blocks = []
    for title, e2e_label, gold_label, mordecai, targets in CORPUS_TABLES:
        rows = [
            (ours.get(e2e_label), baseline.get(e2e_label)),
            (ours.get(gold_label), baseline.get(gold_label)),
        ]
        if all(r is None for pair in rows for r in pair):
            continue
        (o_e2e, b_e2e), (o_gold, b_gold) = rows
        limits = {row.get("limit") for pair in rows for row in pair if row is not None} - {None}
        lines = [
            f"### {title}" + (f" (first {', '.join(map(str, sorted(limits)))} documents)" if limits else ""),
            "",
            "| figure | ours | spaCy baseline | Mordecai 3 | target |",
            "|---|---|---|---|---|",
            f"| documents | {cell(o_e2e or o_gold, lambda r: str(r['docs']))} "
            f"| {cell(b_e2e or b_gold, lambda r: str(r['docs']))} | | |",
            f"| recognition exact P / R / F1 | {triple(o_e2e, ('precision', 'recall', 'f1'), 'recognition')} "
            f"| {triple(b_e2e, ('precision', 'recall', 'f1'), 'recognition')} | | |",
            "| recognition overlap P / R / F1 "
            f"| {triple(o_e2e, ('overlap_precision', 'overlap_recall', 'overlap_f1'), 'recognition')} "
            f"| {triple(b_e2e, ('overlap_precision', 'overlap_recall', 'overlap_f1'), 'recognition')} "
            f"| | {targets.get('overlap', '')} |",
            "| resolution of recognised: Acc@161 / Acc@25 / mean km / median km / AUC "
            f"| {resolution(o_e2e)} | {resolution(b_e2e)} | | |",
            "| **gold spans**: Acc@161 / Acc@25 / mean km / median km / AUC "
            f"| {resolution(o_gold)} | {resolution(b_gold)} "
            f"| {_fmt(mordecai) if mordecai is not None else ''} | {targets.get('gold', '')} |",
            f"| **end-to-end recall@161** | {triple(o_e2e, ('recall_at_161',), 'end_to_end')} "
            f"| {triple(b_e2e, ('recall_at_161',), 'end_to_end')} | | {targets.get('e2e', '')} |",
            f"| documents/s (end-to-end run) | {cell(o_e2e, lambda r: _fmt(r['docs_per_second'], '.1f'))} "
            f"| {cell(b_e2e, lambda r: _fmt(r['docs_per_second'], '.1f'))} | | |",
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def read_runs(path: Path) -> dict[str, dict]:
    """Run label -> result from a ``--json-out`` file (a later run of a label wins)."""
    with path.open(encoding="utf-8") as handle:
        return {row["run"]: row for row in map(json.loads, handle) if row}


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


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
    parser.add_argument("--accuracy", action="store_true", help="score accuracy on every dev corpus instead")
    parser.add_argument("--geoparser", default="gazetteer:geoparse", help="with --accuracy: MODULE:CALLABLE")
    parser.add_argument("--limit", type=int, help="with --accuracy: first N documents of each corpus")
    parser.add_argument("--only", help="with --accuracy: comma-separated run labels (default: all)")
    parser.add_argument("--json-out", type=Path, help="with --accuracy: append one JSON object per run here")
    parser.add_argument(
        "--derived-points",
        action="store_true",
        help="with --accuracy: score derived locations at their moved point, not at the place named",
    )
    parser.add_argument(
        "--tables",
        nargs="+",
        type=Path,
        metavar="JSON",
        help="print per-corpus Markdown tables from OURS.jsonl [BASELINE.jsonl] written by --json-out",
    )
    parser.add_argument(
        "--dump",
        type=Path,
        metavar="JSONL",
        help="write our output on the equivalence corpora here (compare two trees' dumps with cmp)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tables:
        ours = read_runs(args.tables[0])
        baseline = read_runs(args.tables[1]) if len(args.tables) > 1 else {}
        print(comparison_tables(ours, baseline))
        return 0
    if args.dump:
        print(f"{dump_output(args.dump)} documents written to {args.dump}")
        return 0
    if args.accuracy:
        only = {label.strip() for label in args.only.split(",")} if args.only else None
        accuracy_suite(
            args.geoparser, limit=args.limit, only=only, json_out=args.json_out, derived_points=args.derived_points
        )
        return 0
    if args.worker:
        print(json.dumps(measure(args.worker, args.docs)))
        return 0
    print("geoparser speed and memory, end to end on news text (LGL + Guardian Syria/Iraq), one process each")
    print("load average (1, 5, 15 min) at the start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    # The interpreter's build matters as much as the code: one compiled without profile-guided
    # optimisation (pyenv's default) runs this geoparser about 20 % slower (docs/GEOPARSER.md).
    print(f"interpreter: {os.path.realpath(sys.executable)} (Python {platform.python_version()}, {platform.python_build()[1]})")
    print(
        f"{'system':<28} {'docs':>5} {'docs/s':>9} {'cpu-s':>9} {'warm/cpu-s':>10} {'kchars/s':>9} {'load s':>7} "
        f"{'peak MB':>9} "
        f"{'toponyms':>9}"
    )
    for label, spec in SYSTEMS.items():
        limit = args.docs if spec.startswith("gazetteer:") else args.baseline_docs
        print(format_row(label, run_in_subprocess(spec, limit)), flush=True)
    print(TARGETS)
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg())
          + f" on {os.cpu_count()} CPUs; docs/s is wall clock, cpu-s the same pass per CPU second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
