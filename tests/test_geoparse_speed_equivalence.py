"""The vectorised helpers of the resolver give what their plain definitions give.

The geoparser's output must not change when it is made faster; these tests hold each quick
helper against a plain reference on small inline data (ties, empty groups, missing values).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from gazetteer import relative
from gazetteer.resolve import _confidences, _segment_argmax, _share, _unique_first


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
    got = _share(codes, codes[chosen_rows], weights, owner, np.asarray(chosen_groups), coded_hints, 4)
    expected = _plain_share(
        values_named, [values_named[r] for r in chosen_rows], weights, owner.tolist(), chosen_groups, hints
    )
    assert got.tolist() == expected.tolist()


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
        "",
    ],
)
def test_uses_of_given_words_are_the_title_words_among_them(text):
    from gazetteer.resolve import _TITLE_WORD_RE, _words_re

    for words in ({"Turkish"}, {"Syrian", "Syrians"}, {"Russian", "Turkish", "Syrian"}):
        plain = [(m.group(), m.end()) for m in _TITLE_WORD_RE.finditer(text) if m.group() in words]
        quick = [(m.group(), m.end()) for m in _words_re(frozenset(words)).finditer(text)]
        assert quick == plain
