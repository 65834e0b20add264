"""The quicker paths of resolution give what the plain ones give.

:func:`gazetteer.resolve.to_toponym` builds each toponym once with the fields of
:func:`gazetteer.relative.relation_around`; :func:`gazetteer.relative.relative_location` copies a
plain toponym with them. These tests hold the two equal, and hold the quick tests on the text
before a name against the regular expressions they spare.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from gazetteer import relative
from gazetteer.model import Toponym
from gazetteer.recognise import Candidates, Mention, lookups_for
from gazetteer.resolve import Group, to_toponym

#: Text before a name, with and without relative phrases (odd case, odd spacing, line breaks).
BEFORE = [
    "Clashes were reported 30 km west of ",
    "Clashes were reported 30 km west of the ",
    "an attack ten kilometres north-east of the town of ",
    "fighting north of the ",
    "troops moved south of\n",
    "in southern ",
    "in North-Eastern ",
    "in the NORTHERN ",
    "a village near ",
    "a village nearby ",
    "on the outskirts of ",
    "close to the ",
    "very close to ",
    "in the vicinity of ",
    "NEAR THE ",
    "patrols around\n",
    "just outside  ",
    "the government of ",
    "officials in the ",
    "eastern areas of ",
    "he said ",
    "the attack in",
    "",
]

#: Each phrase pattern and the last words its matches may end with.
PATTERN_ENDINGS = [
    (relative._OFFSET_RE, relative._OF_ENDINGS),
    (relative._DIRECTION_OF_RE, relative._OF_ENDINGS),
    (relative._DIRECTIONAL_ADJ_RE, relative._ADJECTIVE_ENDINGS),
    (relative._NEAR_RE, relative._NEAR_ENDINGS),
]


@pytest.mark.parametrize("before", BEFORE)
def test_each_phrase_pattern_matches_only_where_the_text_ends_in_its_words(before):
    for pattern, endings in PATTERN_ENDINGS:
        if pattern.search(before):
            assert relative._last_word(before).endswith(endings), (pattern.pattern, before)
            assert relative._may_relate(before)


def test_the_phrase_list_exercises_every_pattern():
    for pattern, _ in PATTERN_ENDINGS:
        assert any(pattern.search(before) for before in BEFORE), pattern.pattern


@pytest.fixture(scope="module")
def index():
    from gazetteer.index import get_index

    return get_index()


def _group(index, name: str, kind: str | None = None) -> Group:
    """The group of one name choosing its most prominent candidate (``kind`` replaces how that
    candidate matched: "part", "near", ...)."""
    cands = lookups_for(index).of(name)
    assert len(cands.places), name
    best = int(np.argmax(index.prominence[cands.places]))
    if kind is not None:
        cands = Candidates(cands.places, cands.weights, tuple(kind if k == best else v for k, v in enumerate(cands.kinds)))
    group = Group(name, [0], cands, np.zeros(len(cands.places)), choice=best, confidence=0.83456)
    return group


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _plain_toponym(index, m: Mention, group: Group, text: str) -> Toponym:
    """The toponym as the resolver built it before: the place's own fields, then
    :func:`relative_location`, then the rule for places found by part of a name or by context."""
    place = int(group.candidates.places[group.choice])
    feature = str(index.feature[place])
    base = Toponym(
        start=m.start,
        end=m.end,
        text=m.text,
        place_id=str(index.place_id[place]),
        name=str(index.name[place]),
        lat=round(float(index.lat[place]), 5),
        lon=round(float(index.lon[place]), 5),
        country=_text_or_none(index.country[place]),
        admin1_code=_text_or_none(index.admin1_code[place]),
        feature=feature,
        geo_precision={"country": 3, "admin1": 3, "admin2": 3, "region": 2, "desert": 2, "border": 2}.get(feature, 1),
        radius_km=round(float(index.radius_km[place]), 1),
        score=round(group.confidence, 3),
        in_organisation=m.in_organisation,
    )
    derived = relative.relative_location(base, text)
    kind = group.candidates.kinds[group.choice]
    radius = {"partial": 10.0, "context": 50.0, "part": 5.0, "near": 25.0}
    if kind in radius and derived.relation is None:
        derived = replace(
            derived,
            relation="part of" if kind == "part" else "near",
            anchor=derived.name,
            geo_precision=max(2, derived.geo_precision),
            radius_km=max(derived.radius_km, radius[kind]),
            score=round(min(derived.score, {"partial": 0.4, "context": 0.1, "part": 0.5, "near": 0.5}[kind]), 3),
        )
    return derived


@pytest.mark.parametrize("name", ["Ramadi", "Syria", "Anbar"])
@pytest.mark.parametrize("kind", [None, "part", "near", "context"])
@pytest.mark.parametrize(
    "before, after",
    [(b, " on Tuesday.") for b in BEFORE] + [("Clashes in the ", " district."), ("the ", " countryside"), ("near ", " area")],
)
def test_to_toponym_builds_what_relative_location_derives(index, name, kind, before, after):
    text = before + name + after
    m = Mention(len(before), len(before) + len(name), name, 1, in_organisation=name == "Anbar")
    group = _group(index, name, kind)
    assert to_toponym(index, m, group, text) == _plain_toponym(index, m, group, text)


def test_relative_phrases_derive_their_locations(index):
    text = "Clashes 30 km west of Ramadi, near Ramadi, in eastern Syria and in the Ramadi district."
    found = {}
    for name, start in (("Ramadi", text.index("Ramadi")), ("Ramadi", text.index("Ramadi", 30)),
                        ("Syria", text.index("Syria")), ("Ramadi", text.rindex("Ramadi"))):
        t = to_toponym(index, Mention(start, start + len(name), name, 1), _group(index, name), text)
        found[start] = (t.relation, t.anchor, t.geo_precision)
    assert list(found.values()) == [
        ("30 km west of", "Ramadi", 2),
        ("near", "Ramadi", 2),
        ("eastern", "Syria", 3),
        ("district", "Ramadi", 2),
    ]


def test_unresolved_mention_has_no_place(index):
    m = Mention(0, 4, "Xyzq", 1, in_organisation=True)
    t = to_toponym(index, m, None, "Xyzq")
    assert (t.place_id, t.lat, t.geo_precision, t.in_organisation) == (None, None, 3, True)


#: Pieces of text before a name: the words of every phrase (in odd case, with the letters the
#: case-insensitive patterns also take: dotless ı, long ſ, the Kelvin sign), numbers, dashes,
#: glued punctuation and other words.
_PIECES = [
    "north", "South", "EAST", "west", "north-east", "South-Western", "northern", "easTERN", "ſouth", "Northeaſtern",
    "of", "OF", "the", "The", "town", "city", "village", "area", "near", "NEAR", "nearby", "outside", "outſide",
    "outsıde", "outskirts", "close", "to", "around", "vicinity", "surroundings", "edge", "30", "2.5", "ten", "-",
    "km", "miles", "(west", "of)", "x-north", "said", "in", "Ramadi,", "his",
]
_SPACES = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", " \n "]


def _random_before(rng) -> str:
    words = rng.choice(_PIECES, size=rng.integers(0, 12)).tolist()
    return "".join(word + str(rng.choice(_SPACES)) for word in words)[-60:]


@pytest.mark.parametrize("pattern", list(relative._PHRASE_WORDS))
def test_a_phrase_searched_from_its_last_words_is_the_phrase_searched_everywhere(pattern):
    rng = np.random.default_rng(7)
    befores = BEFORE + [_random_before(rng) for _ in range(4000)]
    found = 0
    for before in befores:
        plain = pattern.search(before)
        quick = relative._phrase_before(pattern, before)
        assert (quick and (quick.span(), quick.groups())) == (plain and (plain.span(), plain.groups())), before
        found += plain is not None
    assert found >= 20


@pytest.mark.parametrize("pattern", list(relative._PHRASE_WORDS))
def test_each_phrase_pattern_needs_all_its_words(monkeypatch, pattern):
    """One word fewer than :data:`relative._PHRASE_WORDS` says misses phrases (the test above
    would see it)."""
    longest = {
        relative._DIRECTION_OF_RE: "fighting north of the town of ",
        relative._DIRECTIONAL_ADJ_RE: "in northern ",
        relative._NEAR_RE: "on the outskirts of the ",
    }[pattern]
    assert relative._phrase_before(pattern, longest)
    monkeypatch.setitem(relative._PHRASE_WORDS, pattern, relative._PHRASE_WORDS[pattern] - 1)
    assert not relative._phrase_before(pattern, longest)


#: Gaps between two names: every part and near phrase of :func:`resolve._part_of_pairs`, and
#: plain text.
_GAP_PIECES = [
    "neighbourhood", "Neighborhoods", "district", "sub-district", "quarters", "suburb", "villages", "town", "areas",
    "hospital", "mosque", "market", "in", "IN", "of", "near", "outside", "at", "inside", "the", "a", "an", "two",
    "both", "old", "quarter", "centre", "city", "province", "north", "South-East", "western", "20", "2,5", "km",
    "miles", "and", "said", "Tuesday", "small", "’s", "-", "district of", "towns of the",
]


def _plain_part_of_pairs(text: str, mentions: list[Mention]) -> list[tuple[int, int, str, float]]:
    """:func:`resolve._part_of_pairs` as it was, each phrase tried on every gap."""
    from gazetteer import resolve as r

    out = []
    for k in range(len(mentions) - 1):
        if mentions[k + 1].start - mentions[k].end > r._PART_GAP_CHARS:
            continue
        gap = text[mentions[k].end : mentions[k + 1].start]
        if r._PART_OF_GAP_RE.fullmatch(gap):
            out.append((k, k + 1, "of", 0.0))
        elif r._PART_IN_GAP_RE.fullmatch(gap) or r._SITE_IN_GAP_RE.fullmatch(gap) or (
            (mentions[k].city_hint or mentions[k].unknown or mentions[k].loose) and r._TOWN_IN_GAP_RE.fullmatch(gap)
        ):
            out.append((k, k + 1, "in", 0.0))
        elif near := r._NEAR_GAP_RE.fullmatch(gap):
            given = float(near.group(1).replace(",", ".")) * (1.609 if near.group(2).lower().startswith("mi") else 1.0) if near.group(1) else 0.0
            out.append((k, k + 1, "near", max(r.BEARING_OF_KM if near.group(3) else r.NEAR_OF_KM, 1.5 * given + 25.0)))
    return out


def test_part_of_pairs_finds_what_trying_every_phrase_on_every_gap_finds():
    from gazetteer.resolve import _part_of_pairs

    rng = np.random.default_rng(5)
    kinds = Counter()
    for _ in range(300):
        text, mentions = "", []
        for k in range(12):
            words = rng.choice(_GAP_PIECES, size=rng.integers(0, 6)).tolist()
            text += (", " if rng.random() < 0.3 else " ") + " ".join(words) + " " if words else rng.choice([" ", ", ", " and "])
            name = f"Name{k}"
            mentions.append(Mention(len(text), len(text) + len(name), name, 1, city_hint=bool(rng.random() < 0.3)))
            text += name
        found = _part_of_pairs(text, mentions)
        assert found == _plain_part_of_pairs(text, mentions), text
        kinds.update(how for _, _, how, _ in found)
    assert min(kinds[how] for how in ("of", "in", "near")) >= 5, kinds


def test_a_score_is_its_confidence_rounded_to_three_decimals():
    from gazetteer.resolve import _rounded_score

    rng = np.random.default_rng(3)
    confidences = [1.0, 0.0, 0.5, 0.9995, 0.99949999, 0.0005, 1 - 1e-16, *rng.random(2000).tolist()]
    assert [_rounded_score(c) for c in confidences] == [round(c, 3) for c in confidences]
    assert _rounded_score(0.98227043) == 0.982
