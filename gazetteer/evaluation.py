"""Score a geoparser on annotated corpora: corpus loading, span matching and metrics.

The corpora are JSON lines in the common format of ``../shared/eval/README.md``: one document
per line, ``{"id", "text", "toponyms": [{"start", "end", "name", "lat", "lon", ...}]}``.

How each figure is counted (see also ``docs/EVALUATION.md``):

recognition
    Over every gold toponym (with or without coordinates) and every predicted toponym.
    *Exact*: a prediction is correct when its ``(start, end)`` equals a gold span. *Overlap*:
    predictions and gold spans are paired one to one, greedily by the longest shared stretch
    of characters, and a pair counts when it shares at least one character.
resolution
    Without gold spans: over the gold toponyms that have coordinates AND were paired with an
    overlapping prediction (the recognised ones). Error = great-circle distance (km) from the
    gold point to the point of the place the prediction names; a recognised but unresolved
    toponym counts as :data:`MAX_ERROR_KM`. A toponym read as a derived location ("northern
    Iraq", "30 km west of Ramadi": ``relation`` set, its point moved off the place) is scored
    at the place it names (Iraq, Ramadi), which is what the corpora annotate the name with;
    ``derived_points=True`` scores the moved point instead (see :func:`named_point`). With gold spans (``gold_spans=True``): the geoparser is handed every
    gold span of the document and only resolves them; every gold toponym with coordinates is
    scored, as Mordecai 3 reports.
end to end
    Gold toponyms with coordinates that were recognised (overlap pairing) AND resolved within
    :data:`ACC161_KM`, over all gold toponyms with coordinates.
"""

from __future__ import annotations

import importlib
import json
import math
import sys
import time
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gazetteer.errors import BadQueryError, GazetteerError
from gazetteer.model import Toponym

#: Mean Earth radius (km), IUGG.
EARTH_RADIUS_KM = 6371.0088
#: Error given to a toponym that is missed or unresolved (half the Earth's circumference, km).
MAX_ERROR_KM = 20039.0
#: "Within 100 miles" (km); an error of exactly this much still counts.
ACC161_KM = 161.0
#: Tight accuracy threshold (km).
ACC25_KM = 25.0

#: Rough bounding boxes ``(lat_min, lat_max, lon_min, lon_max)`` in degrees, used by
#: :func:`filter_region` only for gold toponyms that carry no ``cc`` country code. Kept small on
#: purpose: the gazetteer may not import ``geo`` (where the real boundaries live).
REGION_BBOXES: dict[str, tuple[float, float, float, float]] = {
    "IQ": (29.06, 37.38, 38.79, 48.57),
    "SY": (32.31, 37.32, 35.73, 42.38),
}

#: A geoparser as :func:`gazetteer.geoparse`: ``(text, *, context=None, spans=None)``.
Geoparse = Callable[..., Sequence[Toponym]]

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One annotated place name, ``name == text[start:end]``; ``lat``/``lon`` in degrees."""

    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    cc: str | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated document; ``toponyms`` are sorted by ``start`` with duplicates removed."""

    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(frozen=True, slots=True)
class CorpusProblem:
    """Something in a corpus file that was skipped: ``line`` is 1-based."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Corpus:
    """Documents read from one or more corpus files, with what was skipped and why."""

    documents: tuple[GoldDocument, ...]
    problems: tuple[CorpusProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class ToponymOutcome:
    """How one gold toponym with coordinates fared.

    ``found`` is True when a prediction overlapped it (always True with gold spans);
    ``predicted`` is that prediction; ``error_km`` is :data:`MAX_ERROR_KM` when it was missed or
    left unresolved.
    """

    doc_id: str
    text: str
    gold: GoldToponym
    predicted: Toponym | None
    found: bool
    error_km: float

    @property
    def kind(self) -> str:
        """``"not found"``, ``"unresolved"``, ``"wrong place"`` (> 161 km) or ``"correct"``."""
        if not self.found:
            return "not found"
        if self.predicted is None or not self.predicted.resolved:
            return "unresolved"
        return "wrong place" if self.error_km > ACC161_KM else "correct"


@dataclass(frozen=True, slots=True)
class RecognitionScores:
    """Span precision, recall and F1, exact and overlapping (None where 0/0)."""

    precision: float | None
    recall: float | None
    f1: float | None
    overlap_precision: float | None
    overlap_recall: float | None
    overlap_f1: float | None


@dataclass(frozen=True, slots=True)
class ResolutionScores:
    """Error figures over ``n`` toponyms: shares in [0, 1], distances in km, AUC in [0, 1]."""

    n: int
    acc161: float | None
    acc25: float | None
    mean_km: float | None
    median_km: float | None
    auc: float | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Every figure of one run, plus the per-toponym outcomes for error analysis."""

    docs: int
    gold_toponyms: int
    predicted_toponyms: int
    recognition: RecognitionScores
    resolution: ResolutionScores
    end_to_end_recall_at_161: float | None
    docs_per_second: float | None
    gold_spans: bool
    #: Whether derived toponyms were scored at their moved point (else at the place named).
    derived_points: bool = False
    outcomes: tuple[ToponymOutcome, ...] = field(repr=False, default=())
    exact_matches: int = 0
    overlap_matches: int = 0
    geoparse_errors: tuple[str, ...] = ()
    #: Documents with no gold toponym, and how many of them got at least one prediction (the
    #: false-positive test of tweet corpora such as GeoCorpora).
    docs_without_gold: int = 0
    docs_without_gold_with_predictions: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON object ``incident-atlas eval geoparse --json`` prints (without ``extra``)."""
        rec, res = self.recognition, self.resolution
        return {
            "docs": self.docs,
            "gold_toponyms": self.gold_toponyms,
            "recognition": {
                "precision": _round(rec.precision),
                "recall": _round(rec.recall),
                "f1": _round(rec.f1),
                "overlap_precision": _round(rec.overlap_precision),
                "overlap_recall": _round(rec.overlap_recall),
                "overlap_f1": _round(rec.overlap_f1),
            },
            "resolution": {
                "n": res.n,
                "acc161": _round(res.acc161),
                "acc25": _round(res.acc25),
                "mean_km": _round(res.mean_km, 1),
                "median_km": _round(res.median_km, 1),
                "auc": _round(res.auc),
            },
            "end_to_end": {"recall_at_161": _round(self.end_to_end_recall_at_161)},
            "docs_per_second": _round(self.docs_per_second, 1),
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


# --------------------------------------------------------------------------- corpus loading


def parse_document(
    record: Any, *, source: str = "<record>", line: int = 0
) -> tuple[GoldDocument | None, list[CorpusProblem]]:
    """Check one decoded JSON record and turn it into a :class:`GoldDocument`.

    Returns the document (None when it cannot be used at all) and the problems found. A toponym
    whose ``text[start:end]`` differs from its ``name``, or whose offsets are not integers within
    the text, is skipped and reported; the rest of the document is kept. A span annotated twice
    is kept once, silently.
    """
    problems: list[CorpusProblem] = []

    def problem(message: str) -> None:
        problems.append(CorpusProblem(source, line, message))

    if not isinstance(record, dict):
        problem(f"expected a JSON object, got {type(record).__name__}; skipped")
        return None, problems
    text = record.get("text")
    if not isinstance(text, str):
        problem(f"document {record.get('id')!r} has no string 'text'; skipped")
        return None, problems
    doc_id = str(record.get("id", f"line-{line}"))
    raw_toponyms = record.get("toponyms", [])
    if not isinstance(raw_toponyms, list):
        problem(
            f"document {doc_id!r}: 'toponyms' is {type(raw_toponyms).__name__}, not a list; scored with none"
        )
        raw_toponyms = []
    toponyms: dict[Span, GoldToponym] = {}
    for raw in raw_toponyms:
        gold = _parse_toponym(raw, text)
        if isinstance(gold, str):
            problem(f"document {doc_id!r}: {gold}; toponym skipped")
            continue
        toponyms.setdefault((gold.start, gold.end), gold)
    ordered = tuple(sorted(toponyms.values(), key=lambda g: (g.start, g.end)))
    return GoldDocument(doc_id=doc_id, text=text, toponyms=ordered), problems


def _parse_toponym(raw: Any, text: str) -> GoldToponym | str:
    """A :class:`GoldToponym`, or a message saying why ``raw`` cannot be one."""
    if not isinstance(raw, dict):
        return f"toponym {raw!r} is not an object"
    start, end, name = raw.get("start"), raw.get("end"), raw.get("name")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return f"toponym {name!r} has offsets {start!r}:{end!r} outside the text (length {len(text)})"
    if text[start:end] != name:
        return f"text[{start}:{end}] is {text[start:end]!r}, not the name {name!r}"
    lat, lon = raw.get("lat"), raw.get("lon")
    if lat is None or lon is None:
        lat = lon = None
    elif not (
        isinstance(lat, (int, float))
        and isinstance(lon, (int, float))
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    ):
        return f"toponym {name!r} has coordinates {lat!r}, {lon!r} that are not degrees"
    cc = raw.get("cc")
    return GoldToponym(
        start=start,
        end=end,
        name=name,
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        cc=cc.upper() if isinstance(cc, str) and cc else None,
    )


def read_corpus(path: str | Path, *, limit: int | None = None) -> Corpus:
    """Read a corpus in the common JSON-lines format.

    Parameters
    ----------
    path
        A ``.jsonl`` file, one document per line; blank lines are ignored.
    limit
        Keep only the first ``limit`` usable documents (None: all).

    Returns
    -------
    Corpus
        The documents, and a :class:`CorpusProblem` for every broken line (bad JSON, no text)
        and every toponym that was skipped, with its line number. Those are reported, the rest
        is scored.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    BadQueryError
        If ``limit`` is not a positive integer.
    """
    path = Path(path)
    if limit is not None and limit < 1:
        raise BadQueryError(f"limit {limit!r} must be a positive number of documents; omit it to read all")
    if not path.is_file():
        raise FileNotFoundError(
            f"corpus {str(path)!r} not found; give a JSON-lines file such as ../shared/eval/lgl.jsonl"
        )
    documents: list[GoldDocument] = []
    problems: list[CorpusProblem] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if limit is not None and len(documents) >= limit:
                break
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(
                    CorpusProblem(
                        path.name, number, f"broken JSON ({exc.msg} at column {exc.colno}); line skipped"
                    )
                )
                continue
            document, found = parse_document(record, source=path.name, line=number)
            problems.extend(found)
            if document is not None:
                documents.append(document)
    return Corpus(documents=tuple(documents), problems=tuple(problems))


def in_region(gold: GoldToponym, regions: Iterable[str]) -> bool:
    """Whether a gold toponym lies in one of the countries ``regions`` (ISO alpha-2).

    Uses the annotated ``cc`` where present; otherwise the point must fall in the
    :data:`REGION_BBOXES` box of one of the countries.
    """
    codes = {code.upper() for code in regions}
    if not gold.has_coordinates:
        return False
    if gold.cc is not None:
        return gold.cc in codes
    for code in codes:
        lat_min, lat_max, lon_min, lon_max = REGION_BBOXES[code]
        if lat_min <= gold.lat <= lat_max and lon_min <= gold.lon <= lon_max:  # type: ignore[operator]
            return True
    return False


def filter_region(documents: Iterable[GoldDocument], regions: Sequence[str]) -> tuple[GoldDocument, ...]:
    """Keep only the gold toponyms in ``regions`` and the documents that still have one.

    Recognition precision is meaningless on the result (predictions of places elsewhere count
    as false positives); recall, resolution and end-to-end figures are what it is for.

    Raises
    ------
    BadQueryError
        If a region code is not in :data:`REGION_BBOXES`.
    """
    codes = [code.strip().upper() for code in regions if code.strip()]
    unknown = [code for code in codes if code not in REGION_BBOXES]
    if unknown or not codes:
        raise BadQueryError(
            f"region {','.join(regions)!r} not understood; use codes among {sorted(REGION_BBOXES)!r}, e.g. IQ,SY"
        )
    kept = []
    for document in documents:
        toponyms = tuple(gold for gold in document.toponyms if in_region(gold, codes))
        if toponyms:
            kept.append(GoldDocument(document.doc_id, document.text, toponyms))
    return tuple(kept)


# --------------------------------------------------------------------------- metrics


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """Great-circle distance (km) between points given in degrees; arrays broadcast."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def match_exact(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """Pairs ``(gold index, predicted index)`` of identical spans, each index used once."""
    first_gold: dict[Span, int] = {}
    for index, span in enumerate(gold):
        first_gold.setdefault(tuple(span), index)
    pairs, used = [], set()
    for p_index, span in enumerate(predicted):
        g_index = first_gold.get(tuple(span))
        if g_index is not None and g_index not in used:
            used.add(g_index)
            pairs.append((g_index, p_index))
    return pairs


def match_overlapping(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """Pair gold and predicted spans one to one by overlap.

    Candidate pairs sharing at least one character are taken greedily by the longest shared
    stretch (ties: the pair whose spans start closest, then the earliest gold), so one long
    prediction covering two gold names earns one match, not two.
    """
    candidates = []
    for g_index, (g_start, g_end) in enumerate(gold):
        for p_index, (p_start, p_end) in enumerate(predicted):
            shared = min(g_end, p_end) - max(g_start, p_start)
            if shared > 0:
                candidates.append((-shared, abs(g_start - p_start), g_index, p_index))
    candidates.sort()
    pairs, used_gold, used_pred = [], set(), set()
    for _, _, g_index, p_index in candidates:
        if g_index in used_gold or p_index in used_pred:
            continue
        used_gold.add(g_index)
        used_pred.add(p_index)
        pairs.append((g_index, p_index))
    return sorted(pairs)


def precision_recall_f1(
    matches: int, predicted: int, gold: int
) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1 from counts; a figure with a zero denominator is None."""
    precision = matches / predicted if predicted else None
    recall = matches / gold if gold else None
    if precision is None or recall is None:
        f1 = None
    elif precision + recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def error_auc(errors_km: Sequence[float] | np.ndarray) -> float | None:
    """CamCoder's area under the sorted log-error curve, in [0, 1], lower is better.

    ``trapz(log(sorted_errors_km + 1)) / (log(MAX_ERROR_KM) * (n - 1))``. With one error the
    curve is a point and the area is taken as its height, ``log(e + 1) / log(MAX_ERROR_KM)``;
    with none, None.
    """
    errors = np.sort(np.asarray(errors_km, dtype=float))
    if errors.size == 0:
        return None
    logs = np.log(errors + 1.0)
    if errors.size == 1:
        return float(logs[0] / math.log(MAX_ERROR_KM))
    return float(np.trapezoid(logs) / (math.log(MAX_ERROR_KM) * (errors.size - 1)))


def resolution_scores(errors_km: Sequence[float] | np.ndarray) -> ResolutionScores:
    """Acc@161, Acc@25 (errors <= threshold), mean and median (km) and AUC of errors in km."""
    errors = np.asarray(errors_km, dtype=float)
    if errors.size == 0:
        return ResolutionScores(0, None, None, None, None, None)
    return ResolutionScores(
        n=int(errors.size),
        acc161=float(np.mean(errors <= ACC161_KM)),
        acc25=float(np.mean(errors <= ACC25_KM)),
        mean_km=float(np.mean(errors)),
        median_km=float(np.median(errors)),
        auc=error_auc(errors),
    )


def toponym_error_km(
    gold: GoldToponym, predicted: Toponym | None, *, point: tuple[float, float] | None = None
) -> float:
    """Distance (km) from the gold point to the predicted one (or to ``point``, the place the
    prediction names: :func:`named_point`); :data:`MAX_ERROR_KM` if unresolved."""
    if predicted is None or predicted.lat is None or predicted.lon is None or not gold.has_coordinates:
        return MAX_ERROR_KM
    lat, lon = point if point is not None else (predicted.lat, predicted.lon)
    return float(haversine_km(gold.lat, gold.lon, lat, lon))


def named_point(toponym: Toponym) -> tuple[float, float] | None:
    """The index point of the place a derived toponym names, or None when its point is the place's.

    A derived location ("northern Iraq", "south of Rutba", "30 km west of Ramadi") keeps the
    named place in ``place_id`` and moves ``lat``/``lon`` off it. The annotated corpora give
    such a name the point of the place itself, so resolution is scored there. None for a
    toponym with no ``relation``, a demonym, or a ``place_id`` the index lacks (a shared
    border area, another geoparser's ids), which are scored at their own point.
    """
    if toponym.relation is None or toponym.relation == "demonym" or toponym.place_id is None:
        return None
    from gazetteer.index import get_index  # late: the index is heavy, and most toponyms need none

    index = get_index()
    row = index.index_of(toponym.place_id)
    return None if row is None else (float(index.lat[row]), float(index.lon[row]))


# --------------------------------------------------------------------------- running a geoparser


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """Counts and outcomes of one document (see :func:`score_document`)."""

    gold: int
    predicted: int
    exact_matches: int
    overlap_matches: int
    outcomes: tuple[ToponymOutcome, ...]


def score_document(
    document: GoldDocument,
    predicted: Sequence[Toponym],
    *,
    gold_spans: bool = False,
    derived_points: bool = False,
) -> DocumentScore:
    """Compare a geoparser's toponyms for one document with the gold annotation.

    With ``gold_spans`` the predictions answer the gold spans: each gold toponym takes the
    prediction with the same span (or, when the spans were not echoed, the one at the same
    position), and every gold toponym with coordinates counts as found. A derived toponym is
    scored at the place it names (:func:`named_point`), or at its own moved point with
    ``derived_points``.
    """
    gold_list = [(g.start, g.end) for g in document.toponyms]
    pred_list = [(p.start, p.end) for p in predicted]
    exact = match_exact(gold_list, pred_list)
    overlap = match_overlapping(gold_list, pred_list)
    if gold_spans:
        by_span = {(p.start, p.end): p for p in predicted}
        positional = len(predicted) == len(document.toponyms)
        answers = {}
        for index, gold in enumerate(document.toponyms):
            answer = by_span.get((gold.start, gold.end))
            if answer is None and positional:
                answer = predicted[index]
            answers[index] = answer
    else:
        answers = {g_index: predicted[p_index] for g_index, p_index in overlap}
    outcomes = []
    for index, gold in enumerate(document.toponyms):
        if not gold.has_coordinates:
            continue
        answer = answers.get(index)
        found = gold_spans or answer is not None
        point = None if derived_points or answer is None else named_point(answer)
        outcomes.append(
            ToponymOutcome(
                document.doc_id, document.text, gold, answer, found, toponym_error_km(gold, answer, point=point)
            )
        )
    return DocumentScore(len(gold_list), len(pred_list), len(exact), len(overlap), tuple(outcomes))


def load_geoparser(spec: str) -> Any:
    """Import ``MODULE:CALLABLE`` and return the callable.

    Raises
    ------
    BadQueryError
        If the spec is malformed or names nothing callable.
    """
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise BadQueryError(f"geoparser {spec!r} must look like MODULE:CALLABLE, e.g. gazetteer:geoparse")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise BadQueryError(
            f"geoparser {spec!r}: cannot import {exc.name!r}; run from the repository root"
        ) from exc
    function = getattr(module, attribute, None)
    if isinstance(function, types.ModuleType):
        # A package attribute shadowed by its submodule of the same name (gazetteer.geoparse).
        function = getattr(function, attribute, None)
    if not callable(function):
        raise BadQueryError(f"geoparser {spec!r}: {module_name} has no callable {attribute!r}")
    return function


def batch_entry_point(geoparse: Callable[..., Any]) -> Callable[[list[str]], list[list[Toponym]]] | None:
    """A geoparser's batch entry point, if it has one: ``NAME_many(texts)`` beside ``NAME`` in
    its module (:func:`gazetteer.geoparse.geoparse_many` for :func:`gazetteer.geoparse`), which
    returns the toponyms of each text as ``NAME`` would; None otherwise."""
    module = sys.modules.get(getattr(geoparse, "__module__", None) or "")
    name = getattr(geoparse, "__name__", None)
    many = getattr(module, f"{name}_many", None) if module is not None and name else None
    return many if callable(many) else None


#: Documents handed at once to a geoparser's batch entry point (text mode).
BATCH_DOCS = 64


def _default_geoparse() -> Geoparse:
    # Imported late: the index is heavy and tests inject fakes.
    return load_geoparser("gazetteer:geoparse")


def evaluate(
    documents: Sequence[GoldDocument],
    geoparse: Geoparse | None = None,
    *,
    gold_spans: bool = False,
    derived_points: bool = False,
    progress: bool = False,
) -> Evaluation:
    """Run a geoparser over annotated documents and score it.

    Parameters
    ----------
    documents
        Gold documents, e.g. ``read_corpus(path).documents``.
    geoparse
        A callable like :func:`gazetteer.geoparse` (default): ``geoparse(text)`` finds and
        resolves, ``geoparse(text, spans=[(start, end), ...])`` resolves the given spans only.
    gold_spans
        Hand the gold spans to the geoparser and score resolution alone (Mordecai 3's setting).
    derived_points
        Score a derived toponym ("northern Iraq") at its moved point instead of at the place
        it names (:func:`named_point`, the default).
    progress
        Show a progress bar on stderr when the run takes more than two seconds.

    Returns
    -------
    Evaluation
        Every figure; ``docs_per_second`` counts only the time spent inside ``geoparse``, after
        one untimed warm-up call on the first document (so index or model loading is left
        out; ``bench/bench_geoparse.py`` measures it). A
        document on which the geoparser raises a :class:`GazetteerError` is scored as if
        nothing was found, and the error is kept in ``geoparse_errors``. In text mode a
        geoparser with a batch entry point (:func:`batch_entry_point`) is handed
        :data:`BATCH_DOCS` documents at a time (a batch that fails is parsed again text by text).
    """
    from tqdm import tqdm

    parse = geoparse if geoparse is not None else _default_geoparse()
    if documents:
        _warm_up(parse, documents[0], gold_spans=gold_spans)
    many = None if gold_spans else batch_entry_point(parse)
    scores: list[DocumentScore] = []
    errors: list[str] = []
    elapsed = 0.0
    size = BATCH_DOCS if many is not None else 1
    with tqdm(total=len(documents), desc="geoparse", unit="doc", delay=2.0, disable=not progress, leave=False) as bar:
        for first in range(0, len(documents), size):
            batch = documents[first : first + size]
            started = time.perf_counter()
            try:
                found = many([document.text for document in batch]) if many is not None else None
            except GazetteerError:
                found = None
            elapsed += time.perf_counter() - started
            for k, document in enumerate(batch):
                if found is not None:
                    predicted = list(found[k])
                else:
                    spans = [(g.start, g.end) for g in document.toponyms] if gold_spans else None
                    started = time.perf_counter()
                    try:
                        predicted = list(parse(document.text, spans=spans) if gold_spans else parse(document.text))
                    except GazetteerError as exc:
                        errors.append(f"document {document.doc_id!r}: {exc}")
                        predicted = []
                    elapsed += time.perf_counter() - started
                scores.append(score_document(document, predicted, gold_spans=gold_spans, derived_points=derived_points))
            bar.update(len(batch))
    return summarise(
        scores, gold_spans=gold_spans, derived_points=derived_points, elapsed_s=elapsed, geoparse_errors=errors
    )


def _warm_up(parse: Geoparse, document: GoldDocument, *, gold_spans: bool) -> None:
    """One untimed call so that loading the index or model is not counted as throughput."""
    try:
        if gold_spans:
            parse(document.text, spans=[(g.start, g.end) for g in document.toponyms])
        else:
            parse(document.text)
    except GazetteerError:
        return


def summarise(
    scores: Sequence[DocumentScore],
    *,
    gold_spans: bool = False,
    derived_points: bool = False,
    elapsed_s: float | None = None,
    geoparse_errors: Sequence[str] = (),
) -> Evaluation:
    """Pool per-document scores into one :class:`Evaluation` (micro-averaged over toponyms)."""
    gold = sum(s.gold for s in scores)
    predicted = sum(s.predicted for s in scores)
    exact = sum(s.exact_matches for s in scores)
    overlap = sum(s.overlap_matches for s in scores)
    outcomes = tuple(o for s in scores for o in s.outcomes)
    p, r, f = precision_recall_f1(exact, predicted, gold)
    op, orc, of = precision_recall_f1(overlap, predicted, gold)
    resolved_errors = [o.error_km for o in outcomes if o.found]
    within = sum(1 for o in outcomes if o.found and o.error_km <= ACC161_KM)
    return Evaluation(
        docs=len(scores),
        gold_toponyms=gold,
        predicted_toponyms=predicted,
        recognition=RecognitionScores(p, r, f, op, orc, of),
        resolution=resolution_scores(resolved_errors),
        end_to_end_recall_at_161=within / len(outcomes) if outcomes else None,
        docs_per_second=len(scores) / elapsed_s if elapsed_s and scores else None,
        gold_spans=gold_spans,
        derived_points=derived_points,
        outcomes=outcomes,
        exact_matches=exact,
        overlap_matches=overlap,
        geoparse_errors=tuple(geoparse_errors),
        docs_without_gold=sum(1 for s in scores if s.gold == 0),
        docs_without_gold_with_predictions=sum(1 for s in scores if s.gold == 0 and s.predicted > 0),
    )


@dataclass(frozen=True, slots=True)
class Miss:
    """One of the worst-scored gold toponyms, ready to print (coordinates in degrees)."""

    doc_id: str
    gold_name: str
    start: int
    end: int
    context: str
    kind: str
    gold_lat: float
    gold_lon: float
    predicted_text: str | None
    predicted_place: str | None
    predicted_id: str | None
    predicted_lat: float | None
    predicted_lon: float | None
    error_km: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def context_snippet(text: str, start: int, end: int, *, width: int = 60) -> str:
    """``width`` characters either side of ``text[start:end]``, the name in [brackets], one line."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    snippet = f"{left}[{text[start:end]}]{right}"
    return " ".join(snippet.split())


#: Kinds of miss :func:`worst_misses` can be restricted to.
MISS_KINDS: dict[str, tuple[str, ...]] = {
    "all": ("wrong place", "unresolved", "not found"),
    "wrong": ("wrong place",),
    "unresolved": ("unresolved",),
    "missed": ("not found",),
}


def worst_misses(outcomes: Iterable[ToponymOutcome], k: int, *, kind: str = "all") -> list[Miss]:
    """The ``k`` gold toponyms with the largest error (km) beyond 161 km, worst first.

    Ties (every miss at :data:`MAX_ERROR_KM`) keep corpus order; wrong places come before
    unresolved and missed names at equal error. ``kind`` restricts the list to one kind of miss
    (:data:`MISS_KINDS`: ``"wrong"`` places, ``"unresolved"`` names, ``"missed"`` names).
    """
    if kind not in MISS_KINDS:
        raise BadQueryError(f"kind of miss {kind!r} not understood; use one of {sorted(MISS_KINDS)!r}")
    order = {"wrong place": 0, "unresolved": 1, "not found": 2}
    misses = [o for o in outcomes if o.kind in MISS_KINDS[kind]]
    misses.sort(key=lambda o: (-o.error_km, order[o.kind]))
    result = []
    for outcome in misses[: max(k, 0)]:
        gold, predicted = outcome.gold, outcome.predicted
        resolved = predicted is not None and predicted.resolved
        result.append(
            Miss(
                doc_id=outcome.doc_id,
                gold_name=gold.name,
                start=gold.start,
                end=gold.end,
                context=context_snippet(outcome.text, gold.start, gold.end),
                kind=outcome.kind,
                gold_lat=gold.lat,  # type: ignore[arg-type]
                gold_lon=gold.lon,  # type: ignore[arg-type]
                predicted_text=predicted.text if predicted is not None else None,
                predicted_place=_describe_place(predicted) if resolved else None,
                predicted_id=predicted.place_id if resolved else None,
                predicted_lat=predicted.lat if resolved else None,
                predicted_lon=predicted.lon if resolved else None,
                error_km=round(outcome.error_km, 1),
            )
        )
    return result


def _describe_place(toponym: Toponym) -> str:
    parts = [toponym.name or "?"]
    parts += [part for part in (toponym.admin1_code, toponym.country) if part]
    label = ", ".join(parts)
    return f"{label} ({toponym.feature})" if toponym.feature else label
