"""``incident-atlas eval geoparse``: score the geoparser on annotated corpora.

Heavy imports (the gazetteer index, numpy, tqdm) happen inside the handler so ``--help`` stays
fast. The figures and how they are counted are described in :mod:`gazetteer.evaluation`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

#: Problems in a corpus listed one by one on stderr; the rest are counted.
SHOWN_PROBLEMS = 10


def register(sub: argparse._SubParsersAction, eval_sub: argparse._SubParsersAction) -> None:
    """Add ``eval geoparse`` to the ``eval`` subcommands (``sub`` is not used)."""
    parser = eval_sub.add_parser(
        "geoparse",
        help="score the geoparser on corpora in the common JSON-lines format",
        description=(
            "Score the geoparser: recognition P/R/F1 (exact and overlapping spans), resolution "
            "Acc@161/Acc@25/mean/median km/AUC on recognised toponyms, end-to-end recall@161. "
            "Several files are pooled into one score. See docs/EVALUATION.md."
        ),
    )
    parser.add_argument(
        "gold", nargs="+", metavar="GOLD.jsonl", help="annotated corpus (../shared/eval/*.jsonl)"
    )
    parser.add_argument(
        "--gold-spans",
        action="store_true",
        help="hand the gold spans to the geoparser and score resolution alone (as Mordecai 3 reports)",
    )
    parser.add_argument(
        "--limit", type=int, metavar="N", help="score only the first N documents of each file"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument(
        "--worst", type=int, default=0, metavar="K", help="also list the K worst misses (largest error, km)"
    )
    parser.add_argument(
        "--worst-kind",
        choices=("all", "wrong", "unresolved", "missed"),
        default="all",
        help="with --worst: only wrong places, unresolved names or missed names (default all)",
    )
    parser.add_argument(
        "--region",
        metavar="CC,CC",
        help="score only gold toponyms in these countries (e.g. IQ,SY; by the corpus 'cc', else a bounding box)",
    )
    parser.add_argument(
        "--derived-points",
        action="store_true",
        help="score a derived location ('northern Iraq', '30 km west of Ramadi') at its moved point, "
        "not at the place it names (the default, as the corpora annotate such names)",
    )
    parser.add_argument(
        "--geoparser",
        default="gazetteer:geoparse",
        metavar="MODULE:CALLABLE",
        help="the geoparser to score (default gazetteer:geoparse; e.g. bench.baseline_spacy:geoparse)",
    )
    parser.set_defaults(handler=run_eval_geoparse)


def run_eval_geoparse(args: argparse.Namespace, *, geoparse: Any = None, out: TextIO | None = None) -> int:
    """Handler of ``eval geoparse``; ``geoparse`` overrides ``--geoparser`` (tests inject fakes)."""
    from gazetteer import evaluation
    from gazetteer.errors import BadQueryError

    out = out if out is not None else sys.stdout
    if args.worst < 0:
        raise BadQueryError(f"--worst {args.worst!r} must be 0 or a positive number of misses")
    documents: list[evaluation.GoldDocument] = []
    problems: list[evaluation.CorpusProblem] = []
    for path in args.gold:
        corpus = evaluation.read_corpus(path, limit=args.limit)
        documents.extend(corpus.documents)
        problems.extend(corpus.problems)
    _report_problems(problems)
    if args.region:
        documents = list(evaluation.filter_region(documents, args.region.split(",")))
    if not documents:
        raise BadQueryError(
            f"no usable documents in {', '.join(args.gold)!r}; check the file format (../shared/eval/README.md)"
        )

    parse = geoparse if geoparse is not None else evaluation.load_geoparser(args.geoparser)
    result = evaluation.evaluate(
        documents, parse, gold_spans=args.gold_spans, derived_points=args.derived_points, progress=True
    )
    worst = evaluation.worst_misses(result.outcomes, args.worst, kind=args.worst_kind) if args.worst else []
    for message in result.geoparse_errors[:SHOWN_PROBLEMS]:
        print(f"incident-atlas: geoparse failed on {message}", file=sys.stderr)

    payload = result.to_dict()
    payload["extra"] = {
        "corpora": list(args.gold),
        "mode": "gold spans (resolution only)" if args.gold_spans else "end to end",
        "scored_at": "derived point" if result.derived_points else "named place",
        "geoparser": args.geoparser if geoparse is None else getattr(geoparse, "__name__", repr(geoparse)),
        "limit": args.limit,
        "region": args.region,
        "gold_with_coordinates": len(result.outcomes),
        "predicted_toponyms": result.predicted_toponyms,
        "exact_matches": result.exact_matches,
        "overlap_matches": result.overlap_matches,
        "docs_without_gold": result.docs_without_gold,
        "docs_without_gold_with_predictions": result.docs_without_gold_with_predictions,
        "skipped_problems": len(problems),
        "geoparse_errors": len(result.geoparse_errors),
    }
    if args.worst:
        payload["extra"]["worst"] = [miss.to_dict() for miss in worst]
    if args.json:
        out.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        out.write(format_table(payload) + "\n")
        if worst:
            out.write(format_worst(worst) + "\n")
    return 0


def _report_problems(problems: list[Any]) -> None:
    for problem in problems[:SHOWN_PROBLEMS]:
        print(f"incident-atlas: skipped {problem}", file=sys.stderr)
    if len(problems) > SHOWN_PROBLEMS:
        print(
            f"incident-atlas: ... and {len(problems) - SHOWN_PROBLEMS} more problems skipped", file=sys.stderr
        )


def _fmt(value: Any, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


def format_table(payload: dict[str, Any]) -> str:
    """The readable form of the ``--json`` object."""
    rec, res, extra = payload["recognition"], payload["resolution"], payload["extra"]
    lines = [
        f"corpora      {', '.join(extra['corpora'])}"
        + (f"  (first {extra['limit']} docs each)" if extra["limit"] else "")
        + (f"  region {extra['region']}" if extra["region"] else ""),
        f"geoparser    {extra['geoparser']}, {extra['mode']}",
        f"documents    {payload['docs']}, gold toponyms {payload['gold_toponyms']} "
        f"({extra['gold_with_coordinates']} with coordinates), predicted {extra['predicted_toponyms']}",
        "",
        "                      precision  recall     F1",
        f"recognition exact     {_fmt(rec['precision']):>9}  {_fmt(rec['recall']):>6}  {_fmt(rec['f1']):>5}",
        f"recognition overlap   {_fmt(rec['overlap_precision']):>9}  {_fmt(rec['overlap_recall']):>6}  {_fmt(rec['overlap_f1']):>5}",
        "",
        f"resolution   n {res['n']}  Acc@161 {_fmt(res['acc161'])}  Acc@25 {_fmt(res['acc25'])}  "
        f"mean {_fmt(res['mean_km'], '.1f')} km  median {_fmt(res['median_km'], '.1f')} km  AUC {_fmt(res['auc'])}",
        f"end to end   recall@161 {_fmt(payload['end_to_end']['recall_at_161'])}"
        f"  (derived locations scored at the {extra['scored_at']})",
        f"speed        {_fmt(payload['docs_per_second'], '.1f')} documents/s (time inside the geoparser)",
    ]
    if extra["docs_without_gold"]:
        lines.append(
            f"no-toponym   {extra['docs_without_gold_with_predictions']} of {extra['docs_without_gold']} documents "
            "without a gold toponym got a prediction (false-positive test)"
        )
    return "\n".join(lines)


def format_worst(worst: list[Any]) -> str:
    """The worst misses as a readable list."""
    lines = ["", f"worst {len(worst)} misses (error km, kind, gold name and point -> prediction; context)"]
    for miss in worst:
        predicted = miss.predicted_place or ("(unresolved)" if miss.kind == "unresolved" else "(not found)")
        if miss.predicted_place and miss.predicted_lat is not None:
            predicted += f" at {miss.predicted_lat:.3f},{miss.predicted_lon:.3f}"
        lines.append(
            f"{miss.error_km:>8.0f}  {miss.kind:<11}  {miss.gold_name!r} ({miss.gold_lat:.3f},{miss.gold_lon:.3f}) "
            f"-> {predicted}  [{miss.doc_id}]"
        )
        lines.append(f"          {miss.context}")
    return "\n".join(lines)
