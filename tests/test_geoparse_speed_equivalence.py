"""The vectorised helpers of the resolver give what their plain definitions give.

The geoparser's output must not change when it is made faster; these tests hold each quick
helper against a plain reference on small inline data (ties, empty groups, missing values).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from gazetteer import relative
from gazetteer.resolve import (
    _confidences,
    _hint_arrays,
    _segment_argmax,
    _share,
    _unique_first,
)


def _segments(sizes: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes_arr = np.asarray(sizes, dtype=np.int64)
    owner = np.repeat(np.arange(len(sizes)), sizes_arr)
    starts = np.concatenate(([0], np.cumsum(sizes_arr)[:-1]))
    return owner, starts, sizes_arr


def test_segment_argmax_is_the_first_best_of_each_group():
    sizes = [3, 0, 1, 4, 2]
    scores = np.asarray([0.2, 0.7, 0.7, 0.5, 0.1, 0.9, 0.3, 0.9, -1.0, -0.5])
    owner, starts, sizes_arr = _segments(sizes)
    # Plain reference: np.argmax per group (first position on ties), -1 for an empty group.
    expected = [int(s + np.argmax(scores[s : s + n])) if n else -1 for s, n in zip(starts, sizes)]
    assert _segment_argmax(scores, owner, starts, sizes_arr).tolist() == expected == [1, -1, 3, 5, 9]


def test_segment_argmax_on_random_scores_with_ties():
    rng = np.random.default_rng(3)
    sizes = rng.integers(0, 6, size=40).tolist()
    owner, starts, sizes_arr = _segments(sizes)
    scores = rng.integers(0, 4, size=int(sum(sizes))) / 4  # many ties
    expected = [int(s + np.argmax(scores[s : s + n])) if n else -1 for s, n in zip(starts, sizes)]
    assert _segment_argmax(scores, owner, starts, sizes_arr).tolist() == expected


def test_segment_argmax_takes_a_nan_as_np_argmax_does():
    owner, starts, sizes_arr = _segments([3, 2])
    scores = np.asarray([0.1, np.nan, 0.4, 0.3, 0.2])
    assert _segment_argmax(scores, owner, starts, sizes_arr).tolist() == [1, 3]


def test_confidences_match_the_sorted_definition():
    rng = np.random.default_rng(5)
    sizes = rng.integers(0, 5, size=30).tolist()
    owner, starts, sizes_arr = _segments(sizes)
    scores = np.round(rng.uniform(-0.5, 2.0, size=int(sum(sizes))), 2)  # ties, and scores above 1
    choice = _segment_argmax(scores, owner, starts, sizes_arr)
    got = _confidences(scores, choice, starts, sizes_arr)
    for g, (s, n) in enumerate(zip(starts, sizes)):
        if not n:
            assert got[g] == 0.0
            continue
        ranked = np.sort(scores[s : s + n])[::-1]
        margin = float(ranked[0] - ranked[1]) if n > 1 else 0.5
        assert got[g] == max(0.0, min(1.0, 0.5 * float(ranked[0]) + margin))


def _plain_share(values, chosen_values, chosen_weights, owner, chosen_groups, hints):
    """The share as first written: strings, a Counter, None for a missing value."""
    totals = Counter(hints)
    for v, w in zip(chosen_values, chosen_weights):
        if v is not None:
            totals[v] += float(w)
    total = sum(totals.values())
    if not total:
        return np.zeros(len(values))
    out = []
    for v, g in zip(values, owner):
        own = 0.0
        if g in chosen_groups:
            k = chosen_groups.index(g)
            if chosen_values[k] is not None and chosen_values[k] == v:
                own = float(chosen_weights[k])
        out.append(((totals.get(v, 0.0) if v is not None else 0.0) - own) / total)
    return np.asarray(out)


@pytest.mark.parametrize("hints", [{}, {"IQ": 2}, {"SY": 1, "XX": 2}])
def test_share_on_codes_matches_the_plain_share(hints):
    names = [None, "IQ", "SY", "TR"]  # code 0 is a missing value
    values_named = [None, "IQ", "IQ", "SY", "TR", None, "IQ", "SY"]
    owner = np.asarray([0, 0, 1, 1, 2, 2, 3, 3])
    chosen_rows, chosen_groups = [1, 3, 5], [0, 1, 2]
    weights = np.asarray([2.0, 1.0, 2.0])
    codes = np.asarray([names.index(v) for v in values_named])
    coded_hints = Counter({(names.index(k) if k in names else -1): w for k, w in hints.items()})
    got = _share(codes, np.zeros(len(codes), dtype=np.int64), np.asarray(chosen_rows), weights, owner,
                 np.asarray(chosen_groups), _hint_arrays([coded_hints]), 4)
    expected = _plain_share(
        values_named, [values_named[r] for r in chosen_rows], weights, owner.tolist(), chosen_groups, hints
    )
    assert got.tolist() == expected.tolist()


def test_share_of_stacked_documents_is_each_documents_own_share():
    """Three documents stacked (the second with no weight at all): each one's shares are those
    of the document alone."""
    names = [None, "IQ", "SY", "TR"]
    docs = [  # (values of the candidates, groups of 2 candidates each, chosen positions, weights, hints)
        (["IQ", "IQ", "SY", "TR", None, "IQ"], [0, 2, 4], [2.0, 1.0, 2.0], {"SY": 1}),
        ([None, "TR"], [], [], {}),
        (["SY", "SY", "IQ", "TR"], [1, 2], [1.0, 2.0], {"IQ": 2, "XX": 2}),
    ]
    expected, values, doc, owner, chosen, chosen_groups, weights, hints = [], [], [], [], [], [], [], []
    for d, (named, rows, doc_weights, doc_hints) in enumerate(docs):
        first, first_group = len(values), len(owner) // 2
        doc_owner = [k // 2 for k in range(len(named))]
        doc_groups = [r // 2 for r in rows]
        expected.extend(_plain_share(named, [named[r] for r in rows], doc_weights, doc_owner, doc_groups, doc_hints))
        values.extend(names.index(v) for v in named)
        doc.extend([d] * len(named))
        owner.extend(first_group + g for g in doc_owner)
        chosen.extend(first + r for r in rows)
        chosen_groups.extend(first_group + g for g in doc_groups)
        weights.extend(doc_weights)
        hints.append(Counter({(names.index(k) if k in names else -1): w for k, w in doc_hints.items()}))
    got = _share(np.asarray(values), np.asarray(doc), np.asarray(chosen, dtype=np.int64), np.asarray(weights),
                 np.asarray(owner), np.asarray(chosen_groups, dtype=np.int64), _hint_arrays(hints), len(owner) // 2)
    assert got.tolist() == np.asarray(expected).tolist()


@pytest.mark.parametrize(
    "before",
    [
        "a blast 30 km west of ",
        "clashes 12 miles south-east of the town of ",
        "fighting north of the ",
        "in southern ",
        "in North-Eastern ",
        "a village near ",
        "on the outskirts of ",
        "close to the ",
        "in the vicinity of ",
        "NEAR THE ",
        "patrols around\n",
    ],
)
def test_quick_relation_test_never_hides_a_relative_phrase(before):
    patterns = (relative._OFFSET_RE, relative._DIRECTION_OF_RE, relative._DIRECTIONAL_ADJ_RE, relative._NEAR_RE)
    assert any(p.search(before) for p in patterns)
    assert relative._may_relate(before)


@pytest.mark.parametrize("before", ["", "officials said on Tuesday that ", "the attack in", "he visited ", "Rutba,"])
def test_quick_relation_test_skips_plain_text(before):
    patterns = (relative._OFFSET_RE, relative._DIRECTION_OF_RE, relative._DIRECTIONAL_ADJ_RE, relative._NEAR_RE)
    assert not relative._may_relate(before)
    assert not any(p.search(before) for p in patterns)


@pytest.fixture(scope="module")
def index():
    from gazetteer.index import get_index

    return get_index()


def test_one_key_lookup_agrees_with_the_vectorised_lookup(index):
    keys = ["baghdad", "ramadi", "mosul", "springfield", "", "zzzzqqq", "a" * 300, "ar ramadi"]
    assert [index.key_id(k) for k in keys] == index.key_ids(keys).tolist()
    assert index.key_id("baghdad") >= 0


def test_coded_columns_agree_with_the_named_columns(index):
    rows = np.linspace(0, len(index) - 1, 500).astype(np.int64)
    for column in ("feature", "country", "admin1_code"):
        assert index.code_values[column][index.codes[column][rows]].tolist() == getattr(index, column)[rows].tolist()
    assert index.code_of("country", "IQ") > 0
    assert index.code_of("country", "not a country") == -1
    cities = index.feature_in(frozenset(("city", "town")))[index.codes["feature"][rows]]
    assert cities.tolist() == [f in ("city", "town") for f in index.feature[rows]]


def test_many_names_at_once_get_the_candidates_of_one_name_at_a_time(index):
    from gazetteer.normalize import fold, plain

    names = ["Baghdad", "Ramadi", "Springfield", "al-Anbar", "Deir ez-Zor", "Mosul", "Ar Ramadi", "Paris"]
    names = [n for n in names if index.key_id(fold(n)) >= 0]
    places, kinds, offsets = index.key_candidate_arrays(
        [plain(n) for n in names], index.key_ids([fold(n) for n in names])
    )
    for k, name in enumerate(names):
        one_places, one_kinds = index.candidate_arrays(name)
        assert places[offsets[k] : offsets[k + 1]].tolist() == one_places.tolist()
        assert kinds[offsets[k] : offsets[k + 1]].tolist() == one_kinds.tolist()
    assert len(names) >= 6 and len(set(kinds.tolist())) >= 2


@pytest.mark.parametrize(
    "before",
    ["in southern ", "30 km WEST of ", "ſouth of the ", "in the North-Eastern ", "in the city of ", "near the "],
)
def test_direction_words_are_in_every_direction_match(before):
    directed = any(word in before.casefold() for word in relative._DIRECTION_WORDS)
    patterns = (relative._OFFSET_RE, relative._DIRECTION_OF_RE, relative._DIRECTIONAL_ADJ_RE)
    assert directed or not any(p.search(before) for p in patterns)


@pytest.mark.parametrize(
    "values",
    [[], [7], [5, 3, 5, 9, 3, 12, 7, 7], [2, 2, 2], list(range(10, 0, -1))],
)
def test_unique_first_is_numpy_unique_with_first_positions(values):
    array = np.asarray(values, dtype=np.int64)
    expected_values, expected_first = np.unique(array, return_index=True)
    got_values, got_first = _unique_first(array)
    assert got_values.tolist() == expected_values.tolist()
    assert got_first.tolist() == expected_first.tolist()
    assert (got_values.dtype, got_first.dtype) == (expected_values.dtype, expected_first.dtype)


@pytest.mark.parametrize(
    "text",
    [
        "Turkish troops shelled Tal Abyad; Turkish-backed fighters and Syrian forces. McSyrian, Syrians, Syrian.",
        "Syrian-Turkish talks: the Turkish side, (Russian) jets, Russianness, RUSSIAN, Russian",
        "Turkish_troops, 1Turkish, Turkish2, éTurkish, Turkishé, Tal Abyad, Tall, Tal-Abyad, TalTal, Tal",
        "",
    ],
)
def test_uses_of_given_words_are_the_title_words_among_them(text):
    from gazetteer.resolve import _TITLE_WORD_RE, _whole_word_ends

    for word in ("Turkish", "Syrian", "Syrians", "Russian", "Tal"):
        plain = [m.end() for m in _TITLE_WORD_RE.finditer(text) if m.group() == word]
        assert _whole_word_ends(text, word) == plain


@pytest.mark.parametrize("pairs_per_step", [1_000_000, 5])
def test_nearest_points_of_stacked_documents_match_each_documents_matrix(monkeypatch, pairs_per_step):
    """:class:`_DistancesTo` on three stacked documents gives, per candidate, the nearest point
    of another group of its own document that a distance matrix per document gives (in one
    step, and a few points at a time)."""
    from gazetteer import resolve
    from gazetteer.resolve import _DistancesTo, _haversine_matrix

    monkeypatch.setattr(resolve, "PAIRS_PER_STEP", pairs_per_step)

    rng = np.random.default_rng(11)
    sizes_per_doc = [[2, 3, 1], [4], [1, 2, 2, 1]]
    owner = np.repeat(np.arange(8), [size for sizes in sizes_per_doc for size in sizes])
    doc = np.repeat(np.arange(3), [sum(s) for s in sizes_per_doc])
    bounds = [0, 6, 10, 16]
    lat, lon = rng.uniform(-60, 60, len(owner)), rng.uniform(-180, 180, len(owner))
    distances = _DistancesTo(lat, lon, doc, bounds, owner)
    for points in ([0, 3, 9, 12, 14], [0, 3, 13]):  # the second pass reuses columns, adds one
        points = np.asarray(points)
        got = distances.nearest(points)
        expected = np.full(len(owner), np.inf)
        for d in range(3):
            s, e = bounds[d], bounds[d + 1]
            mine = points[(points >= s) & (points < e)]
            if len(mine):
                dist = _haversine_matrix(lat[s:e], lon[s:e], lat[mine], lon[mine])
                dist[owner[s:e, None] == owner[mine][None, :]] = np.inf
                expected[s:e] = dist.min(axis=1)
        assert got.tolist() == expected.tolist()


SAMPLE_TEXTS = [
    "Clashes were reported in Ramadi, Anbar, on Tuesday.",
    "",
    "nothing capitalised here at all",
    "Turkish troops shelled Ras al-Ain and Tal Abyad in northeast Syria, the Syrian Observatory said.",
    "Officials in Springfield, Illinois met their counterparts from Paris, Tenn. and from the Middle East.",
    "Zzyzxqq Vvqqrt said the Qqxzzt meeting was over.",
    "The Ferdous neighbourhood of Aleppo was shelled; Iraqi officials in Baghdad and Mosul condemned it.",
]


@pytest.mark.parametrize("demonyms", [False, True])
def test_geoparse_many_parses_each_text_as_geoparse_alone(demonyms):
    from gazetteer import geoparse
    from gazetteer.geoparse import geoparse_many

    alone = [geoparse(text, demonyms=demonyms) for text in SAMPLE_TEXTS]
    assert geoparse_many(SAMPLE_TEXTS, demonyms=demonyms) == alone
    assert geoparse_many(SAMPLE_TEXTS[::-1], demonyms=demonyms) == alone[::-1]
    assert any(alone) and not alone[1]


def test_geoparse_many_windows_long_texts_as_geoparse(monkeypatch):
    import sys

    from gazetteer import geoparse
    from gazetteer.geoparse import geoparse_many

    module = sys.modules["gazetteer.geoparse"]
    long_text = " ".join(SAMPLE_TEXTS)
    monkeypatch.setattr(module, "WINDOW_CHARS", 120)
    monkeypatch.setattr(module, "BATCH_DOCS", 2)
    texts = [SAMPLE_TEXTS[0], long_text, SAMPLE_TEXTS[3]]
    got = geoparse_many(texts)
    assert got == [geoparse(text) for text in texts]
    assert all(long_text[t.start : t.end] == t.text for t in got[1]) and len(got[1]) > 2


def test_geoparse_many_refuses_bytes():
    from gazetteer.errors import BadQueryError
    from gazetteer.geoparse import geoparse_many

    with pytest.raises(BadQueryError, match="decode bytes first"):
        geoparse_many(["Baghdad", b"Baghdad"])


def _gold_documents():
    from gazetteer.evaluation import GoldDocument, GoldToponym

    docs = []
    for k, text in enumerate(SAMPLE_TEXTS):
        gold = []
        for name, lat, lon in (("Ramadi", 33.42, 43.30), ("Aleppo", 36.2, 37.16), ("Springfield", 39.8, -89.64)):
            start = text.find(name)
            if start >= 0:
                gold.append(GoldToponym(start, start + len(name), name, lat, lon))
        docs.append(GoldDocument(f"d{k}", text, tuple(gold)))
    return docs


def test_batch_entry_point_is_geoparse_many_for_geoparse_only():
    from gazetteer import geoparse
    from gazetteer.evaluation import batch_entry_point
    from gazetteer.geoparse import geoparse_many, geoparse_with_demonyms

    assert batch_entry_point(geoparse) is geoparse_many
    assert batch_entry_point(geoparse_with_demonyms) is None
    assert batch_entry_point(lambda text: []) is None


def test_evaluation_in_batches_scores_as_text_by_text(monkeypatch):
    from gazetteer import evaluation, geoparse

    monkeypatch.setattr(evaluation, "BATCH_DOCS", 3)
    docs = _gold_documents()
    batched = evaluation.evaluate(docs, geoparse).to_dict()
    one_by_one = evaluation.evaluate(docs, lambda text, spans=None: geoparse(text, spans=spans)).to_dict()
    batched.pop("docs_per_second"), one_by_one.pop("docs_per_second")
    assert batched == one_by_one
    assert batched["gold_toponyms"] == 3 and batched["recognition"]["recall"] > 0


def flaky(text, spans=None):
    """A geoparser whose batch entry point fails: the evaluation parses text by text."""
    from gazetteer.errors import BadQueryError

    if "Springfield" in text:
        raise BadQueryError("no Springfield today")
    return []


def flaky_many(texts):
    from gazetteer.errors import BadQueryError

    raise BadQueryError("no batches today")


def test_a_failing_batch_is_parsed_again_text_by_text():
    from gazetteer import evaluation

    result = evaluation.evaluate(_gold_documents(), flaky)
    assert result.docs == len(SAMPLE_TEXTS)
    assert len(result.geoparse_errors) == 1 and "no Springfield today" in result.geoparse_errors[0]


def test_share_within_wide_areas_of_stacked_documents_matches_each_documents_matrix():
    """The share of chosen places inside each wide area, on three stacked documents (the
    second with no chosen place), is the share its own document's matrix gives."""
    from gazetteer.resolve import _haversine_matrix, _share_within

    rng = np.random.default_rng(7)
    doc = np.asarray([0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2])
    owner = np.asarray([0, 0, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6])
    lat, lon = rng.uniform(30, 40, len(doc)), rng.uniform(35, 45, len(doc))
    radius = np.full(len(doc), 400.0)
    wide = np.asarray([1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1], dtype=bool)
    chosen = np.asarray([1, 2, 3, 7, 9, 10])
    chosen_groups = owner[chosen]
    weights = np.asarray([1.0, 2.0, 1.0, 2.0, 1.0, 1.0])
    expected = []
    for row in wide.nonzero()[0]:
        mine = doc[chosen] == doc[row]
        if not mine.any():
            expected.append(0.0)
            continue
        dist = _haversine_matrix(lat[[row]], lon[[row]], lat[chosen[mine]], lon[chosen[mine]])[0]
        w = weights[mine] * (owner[row] != chosen_groups[mine])
        expected.append(float((w * (dist <= radius[row])).sum() / w.sum()) if w.sum() else 0.0)
    got = _share_within(wide, doc, owner, lat, lon, radius, chosen, chosen_groups, weights)
    assert got.tolist() == expected
    assert 0 < got.max() and 0.0 in got.tolist()
