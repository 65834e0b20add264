"""Find every place name in a text and resolve it: recognise → candidates → rank → select.

The steps live in their own modules: :mod:`gazetteer.recognise` (gazetteer-driven recognition
and the evidence flags of each mention), :mod:`gazetteer.resolve` (document-level ranking of the
candidates and which mentions are kept) and :mod:`gazetteer.relative` (derived locations for
"30 km west of X", "eastern Syria", shared borders). This module holds the public entry points:
:func:`geoparse` for one text and :func:`geoparse_many` for many (the same toponyms, quicker:
the texts are resolved in batches).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from gazetteer.errors import BadQueryError
from gazetteer.index import GazetteerIndex, get_index
from gazetteer.model import Toponym
from gazetteer.recognise import (
    Mention,
    demonyms as demonym_countries,
    lookups_for,
    recognise,
    recognise_many,
    special_spans,
    state_abbreviations,
)
from gazetteer.relative import desert_of, shared_border
from gazetteer.resolve import (
    fall_back_to_prominent,
    keep_on_evidence,
    prefer_world_cities,
    resolve,
    resolve_many,
    to_toponym,
)

#: Texts longer than this (characters) are parsed in windows of this size, so memory stays
#: bounded.
WINDOW_CHARS = 200_000
#: Most documents (or windows of a long one) resolved together by :func:`geoparse_many`: numpy's
#: cost per call is paid once for all of them (the gain levels off after a few dozen). A batch
#: also holds at most :data:`WINDOW_CHARS` characters (or one window), so memory stays bounded.
BATCH_DOCS = 64
#: Confidence of a demonym's country: certain of the country, not that a place is meant.
DEMONYM_SCORE = 0.5


def geoparse(
    text: str,
    *,
    context: Mapping[str, Any] | None = None,
    spans: Sequence[tuple[int, int]] | None = None,
    demonyms: bool = False,
) -> list[Toponym]:
    """Find and resolve every place name in ``text``.

    Parameters
    ----------
    text
        The document. Any length: long texts are parsed in windows of :data:`WINDOW_CHARS`
        characters; text without letters (binary junk) gives ``[]``.
    context
        Optional soft hints: ``{"country": "IQ"}``, ``{"countries": [...]}``,
        ``{"admin1": "IQ-AN"}``.
    spans
        If given, skip recognition and resolve exactly these ``(start, end)`` spans, one
        toponym per span in the same order. A span that is a demonym ("Iraqi") resolves to
        its country (``relation="demonym"``). A name the index lacks resolves by its longest
        part that names a place ("University of Oxford" → Oxford, score ≤ 0.4), else to the
        closest place the text names, with ``relation="near"`` and score 0.1; it has
        ``place_id`` None only when nothing in the text resolves.
    demonyms
        Also report nationality words ("Iraqi officials", "the Syrians") as toponyms of their
        country, with ``relation="demonym"`` and ``anchor`` the country's name, so that
        consumers can tell them from place names. Off by default: most annotated corpora (and
        an incident's site) do not count them as places.

    Returns
    -------
    list of Toponym
        Sorted by ``start``; ``text[t.start:t.end] == t.text`` for every toponym.

    Raises
    ------
    BadQueryError
        If ``text`` is not a string or a span lies outside it.
    """
    if not isinstance(text, str):
        raise BadQueryError(f"geoparse needs text (str), got {type(text).__name__}; decode bytes first")
    index = get_index()
    if spans is not None:
        return _resolve_spans(text, spans, index, context)
    return _parse_many([text], index, context, demonyms=demonyms)[0]


def geoparse_many(
    texts: Iterable[str],
    *,
    context: Mapping[str, Any] | None = None,
    demonyms: bool = False,
) -> list[list[Toponym]]:
    """:func:`geoparse` of many texts: the same toponyms, found quicker.

    Each text is parsed on its own evidence, exactly as :func:`geoparse` parses it; the texts are
    resolved up to :data:`BATCH_DOCS` at a time in one set of array operations
    (:func:`gazetteer.resolve.resolve_many`).

    Parameters
    ----------
    texts
        The documents.
    context, demonyms
        As for :func:`geoparse`, for every text.

    Returns
    -------
    list of list of Toponym
        The toponyms of each text, in order.

    Raises
    ------
    BadQueryError
        If a text is not a string.
    """
    texts = list(texts)
    for text in texts:
        if not isinstance(text, str):
            raise BadQueryError(f"geoparse needs text (str), got {type(text).__name__}; decode bytes first")
    return _parse_many(texts, get_index(), context, demonyms=demonyms)


def _parse_many(
    texts: Sequence[str], index: GazetteerIndex, context: Mapping[str, Any] | None, *, demonyms: bool = False
) -> list[list[Toponym]]:
    """The toponyms of each text, parsed in batches of :data:`BATCH_DOCS` texts and at most
    :data:`WINDOW_CHARS` characters; a longer text is parsed window by window."""
    batches: list[list[tuple[int, int, int]]] = [[]]  # (text, start, end) of each window
    size = 0
    for k, text in enumerate(texts):
        for start in range(0, len(text), WINDOW_CHARS):
            end = min(start + WINDOW_CHARS, len(text))
            if batches[-1] and (len(batches[-1]) == BATCH_DOCS or size + end - start > WINDOW_CHARS):
                batches.append([])
                size = 0
            batches[-1].append((k, start, end))
            size += end - start
    out: list[list[Toponym]] = [[] for _ in texts]
    for batch in batches:
        parsed = _parse([texts[k][start:end] for k, start, end in batch], index, context, demonyms=demonyms)
        for (k, start, _), toponyms in zip(batch, parsed):
            if start:
                toponyms = [replace(t, start=t.start + start, end=t.end + start) for t in toponyms]
            out[k].extend(toponyms)
    return out


def _parse(
    texts: Sequence[str], index: GazetteerIndex, context: Mapping[str, Any] | None, *, demonyms: bool = False
) -> list[list[Toponym]]:
    """The toponyms of each text: tokenised together, recognised one by one, resolved together."""
    recognised = []
    for text, mentions in zip(texts, recognise_many(texts, index, with_demonyms=demonyms)):
        # Demonyms are reported, never weighed: the resolver already reads them as country hints.
        nationals = [_demonym_toponym(index, m) for m in mentions if m.demonym]
        if nationals:
            mentions = [m for m in mentions if not m.demonym]
        recognised.append((text, mentions, nationals))
    named = [k for k, (_, mentions, _) in enumerate(recognised) if mentions]
    resolved = dict(zip(named, resolve_many([(recognised[k][0], recognised[k][1], context) for k in named], index)))
    out = []
    for k, (text, mentions, nationals) in enumerate(recognised):
        kept: list[Toponym] = []
        if mentions:
            groups = resolved[k]
            prefer_world_cities(mentions, groups, index)
            keep = keep_on_evidence(mentions, groups, index)
            if fall_back_to_prominent(mentions, groups, keep, index):
                keep = keep_on_evidence(mentions, groups, index)
            kept = [to_toponym(index, m, groups[m.group], text) for m, ok in zip(mentions, keep) if ok]
            kept = desert_of(kept, text, index)
            kept.extend(shared_border(kept, text))
        kept.extend(nationals)
        kept.sort(key=lambda t: (t.start, -t.end))
        out.append(kept)
    return out


def _demonym_toponym(index: GazetteerIndex, m: Mention) -> Toponym:
    """ "Iraqi" → Iraq, marked as a demonym (the country is the anchor, not a derived point)."""
    place = index.place(m.forced)
    return Toponym(
        start=m.start,
        end=m.end,
        text=m.text,
        place_id=place.place_id,
        name=place.name,
        lat=round(place.lat, 5),
        lon=round(place.lon, 5),
        country=place.country,
        admin1_code=place.admin1_code,
        feature=place.feature,
        geo_precision=3,
        radius_km=round(place.radius_km, 1),
        score=DEMONYM_SCORE,
        relation="demonym",
        anchor=place.name,
    )


def _resolve_spans(
    text: str, spans: Sequence[tuple[int, int]], index: GazetteerIndex, context: Mapping[str, Any] | None
) -> list[Toponym]:
    mentions = []
    for start, end in spans:
        if not (0 <= start < end <= len(text)):
            raise BadQueryError(f"span ({start}, {end}) is outside the text of {len(text)} characters")
        mentions.append(Mention(start, end, text[start:end], len(text[start:end].split())))
    special = {(m.start, m.end): m for m in special_spans(text, index, lookups_for(index)) if m.forced >= 0}
    for k, m in enumerate(mentions):
        hit = special.get((m.start, m.end))
        if hit is not None:
            mentions[k] = hit
    states = state_abbreviations()
    for m in mentions:
        entry = states.get(m.text)
        if m.forced < 0 and entry is not None and entry[1] == "ap":
            place = index.index_of(f"ne:{entry[0]}")
            m.forced = -1 if place is None else place
    # The other places the document names are context too ("Dama is a village in the
    # As-Suwayda Governorate"): recognise them, keep those the evidence rules keep.
    found = recognise(text, index) if len(text) <= WINDOW_CHARS else []
    # What recognition read around a span is evidence for its sense too ("the province of
    # Ontario", "a Washington state farm", "Oxford Police").
    hints = {(m.start, m.end): m for m in found}
    for m in mentions:
        seen = hints.get((m.start, m.end))
        if seen is not None and m.forced < 0:
            m.admin_hint, m.city_hint, m.in_organisation = seen.admin_hint, seen.city_hint, seen.in_organisation
    if found:
        found_groups = resolve(text, found, index, context=context)
        taken = np.zeros(len(text) + 1, dtype=bool)
        for m in mentions:
            taken[m.start : m.end] = True
        found = [
            replace(m, group=-1)
            for m, ok in zip(found, keep_on_evidence(found, found_groups, index))
            if ok and not taken[m.start : m.end].any()
        ]
    ordered = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
    work = sorted([mentions[k] for k in ordered] + found, key=lambda m: m.start)
    groups = resolve(text, work, index, context=context, fuzzy=True, demonym_countries=True)
    out: list[Toponym | None] = [None] * len(mentions)
    nationality = demonym_countries()
    for k in ordered:
        m = mentions[k]
        t = to_toponym(index, m, groups[m.group] if m.group >= 0 else None, text)
        if t.relation is None and t.feature == "country" and t.country == nationality.get(m.text):
            t = replace(t, relation="demonym", anchor=t.name)
        out[k] = t
    return [t for t in out if t is not None]


def toponyms_to_json(toponyms: Iterable[Toponym]) -> list[dict[str, Any]]:
    """The JSON records of ``incident-atlas geoparse --json``."""
    keys = ("start", "end", "text", "place_id", "name", "lat", "lon", "country", "admin1_code", "feature",
            "geo_precision", "radius_km", "score", "relation", "anchor", "in_organisation")
    return [{k: getattr(t, k) for k in keys} for t in toponyms]


def geoparse_with_demonyms(
    text: str,
    *,
    context: Mapping[str, Any] | None = None,
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[Toponym]:
    """:func:`geoparse` with ``demonyms=True``, for ``--geoparser gazetteer.geoparse:geoparse_with_demonyms``."""
    return geoparse(text, context=context, spans=spans, demonyms=True)
