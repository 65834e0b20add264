"""Resolution: one place for every distinct name of a document, and which mentions to keep.

Resolution weighs evidence from the whole document, vectorised over every candidate of every
distinct name at once: how the name matched, the place's prominence, the countries and
provinces the document names (a soft prior, never a filter), "X, Y" pairs, a province/city
suffix, and the distance to the other places resolved. One name keeps one sense per document.
Several documents are resolved together by :func:`resolve_many`, each on its own evidence.

A mention is kept on evidence (:func:`keep_on_evidence`):

- *strong* on its own: a country, province or named region; a town of some size (GeoNames
  prominence); a name of several words; a name qualified by a suffix ("Anbar province") or by
  a following province/state ("Ramadi, Anbar");
- *supported* by its context: a locative word before it ("in", "near", "north of"), or a place in
  the same province as, or within 150 km of, a strong mention of the same document.

Weak names need both: a stop word, a word the document also writes in lower case ("Hit" the
town vs "hit"), a place only GDELT knows. Person names are dropped: a name after a personal
title, a name the document uses as a person's surname elsewhere ("Jim Hightower ... Hightower
said"), a name followed by "said". Names inside organisation names ("Anbar Police Command") are
kept and marked ``in_organisation``; an all-capital acronym is kept only when it names a country.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, Mapping, Sequence

import numpy as np

from gazetteer.index import MATCH_WEIGHTS, GazetteerIndex
from gazetteer.model import Toponym
from gazetteer.recognise import (
    NO_CANDIDATES,
    Candidates,
    Lookups,
    Mention,
    demonyms,
    first_names,
    lookups_for,
    stoplist,
)
from gazetteer.relative import relation_around

#: A place this close (km) to a strongly attested place of the document supports a weak name.
SUPPORT_KM = 150.0
#: A name's sense is its only one when every candidate in another country scores this much
#: less than the chosen place (a lone locality in the index, or the document's evidence).
SOLE_SENSE_MARGIN = 0.03
#: What a province that matches only once folded (Samara, Russia for "Samarra") loses when the
#: same name spells a city of :data:`STRONG_PROMINENCE` exactly or as an alternate name.
FOLDED_BEHIND_SPELLED = 0.15
#: GeoNames prominence of a town of about 15,000 people: above it a name stands on its own.
STRONG_PROMINENCE = 0.6

# Weights of the document's evidence in a candidate's score (match and prominence weigh 0.45
# and 0.55 on a 0-1 scale).
#: A country named by its name or an alternate ("Iraq" is not the Iranian city Arak).
COUNTRY_NAMED_BONUS = 0.2
#: Bonus of a city named like the province it lies in, over the province (named alone).
SEAT_CITY_BONUS = 0.35
#: How far (km) such a city may lie from its province's point.
SEAT_CITY_KM = 160.0
#: People a city needs to be taken for the province it names (Idlib has about 165,000).
SEAT_CITY_PEOPLE = 100_000
#: Countries with Arabic place names: the Arab League, Western Sahara, and the neighbours whose
#: names come from Arabic (Iran, Turkey, Israel, Afghanistan, Pakistan, Chad, Niger, Mali,
#: Eritrea, Ethiopia, the Swahili coast: Dar es Salaam).
_ARABIC_NAME_COUNTRIES = frozenset(
    """DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH IR TR IL AF PK TD NE ML ER
    ET TZ KE""".split()
)
#: A name written with an Arabic article ("Al Dour", "as-Safira", "Deir ez Zor", "Tall as
#: Sawwan") or head word ("Abu Hammad", "Kafr Nabl"). An article other than "al" takes the
#: first letter of the next word (sun letters: "Ash Shaddadah", "Ar Raqqah", "An Najaf"), which
#: "Ash Fork", "An Giang" and "El Paso" do not; head words that are also English ("Tall
#: Timbers", "Tell City") or Romance ("Ras", "Bab") are left out.
_ARABIC_FORM_RE = re.compile(
    r"^(?:al[\s-]\S|a(d|n|r|s|t|z|sh|dh|th)[\s-]\1)"
    r"|\s(?:al[\s-]\S|el-\S|[ae](d|n|r|s|t|z|sh|dh|th)[\s-]\2|ul[\s-]\S)"
    r"|^(?:abu|umm|ayn|bir|deir|dayr|jabal|jebel|kafr|khirbat|khirbet|wadi|qasr|beit|bayt|jisr|marj)\s\S",
    re.IGNORECASE,
)
#: Bonus of a macro-region across countries ("the Middle East", "the Caucasus"; an area of
#: radius :data:`MACRO_REGION_KM` or more, not an island or bay) named with its article: with
#: "the" it is the region, whatever the document's other places favour.
THE_REGION_BONUS = 1.0
MACRO_REGION_KM = 300.0
#: Weight in the document's country prior of a nationality word that only names armed forces
#: ("Turkish troops shelled Ras al-Ain and Tal Abyad": the troops' country, not where the town
#: is); it adds no bonus of its own. Other nationality words ("Syrian government forces", "Iraqi
#: officials", "Syrian refugees") and each place the document names weigh 1 (a country 2).
ACTOR_HINT_WEIGHT = 0.5
#: A whole capitalised word ("Turkish" in "Turkish-backed", not "Syrian" in "McSyrian").
_TITLE_WORD_RE = re.compile(r"\b[A-Z][a-z]+\b")
_ACTOR_AFTER_RE = re.compile(
    r"-(?:backed|led|supported)\b|\s+(?:(?:army|air|special|armed)\s+)?"
    r"(?:troops|forces|army|military|jets|warplanes|aircraft|planes|soldiers|artillery|drones|militias?|navy"
    r"|tanks|strikes|airstrikes|shelling)\b"
)
#: Most a province gains from its country's population: breaks ties, never outweighs evidence.
ADMIN1_TIE_BREAK = 1e-4
#: The share of the document's other places in the candidate's country, and in its province.
COUNTRY_SHARE_WEIGHT = 0.3
ADMIN1_SHARE_WEIGHT = 0.35
#: Nearness to the other places chosen: ``NEAR_WEIGHT * exp(-distance / NEAR_KM)``.
NEAR_WEIGHT = 0.15
NEAR_KM = 250.0
#: Share of that support a candidate gets when its name only matched after folding or by skeleton
#: and the name is a country's or province's own ("Iraq" vs the Afghan locality "Iraqi").
WEAK_MATCH_SUPPORT = 0.3

_STRONG_FEATURES = frozenset(("country", "admin1", "region", "desert", "border"))
_CITY_FEATURES = frozenset(("city", "town", "village"))
#: Areas drawn around a point: near the places inside them, possibly across countries.
_REGION_FEATURES = frozenset(("region", "desert", "border"))
#: "Ramadi, Anbar", "Baghouz in Syria", "Ras al-Ain in northeast Syria".
_PAIR_GAP_RE = re.compile(
    r"\s*,\s*|\s+in\s+(?:the\s+)?(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
)


def _context_hints(context: Mapping[str, Any] | None) -> tuple[Counter[str], Counter[str]]:
    countries: Counter[str] = Counter()
    admin1s: Counter[str] = Counter()
    if not context:
        return countries, admin1s
    for key in ("country", "countries"):
        value = context.get(key)
        for cc in [value] if isinstance(value, str) else (value or []):
            countries[str(cc).upper()] += 2
    for key in ("admin1", "admin1_codes"):
        value = context.get(key)
        for code in [value] if isinstance(value, str) else (value or []):
            admin1s[str(code).upper()] += 2
    return countries, admin1s


def _actor_demonyms(text: str, words: set[str]) -> set[str]:
    """The nationality words of ``words`` that the text only uses before armed forces or their
    acts ("Turkish troops", "Turkish-backed", "Russian warplanes"; not "Syrian government
    forces", whose government fights at home)."""
    if not words:
        return set()
    actors = set()
    for word in words:
        ends = _whole_word_ends(text, word)
        if ends and all(_ACTOR_AFTER_RE.match(text, end) for end in ends):
            actors.add(word)
    return actors


def _whole_word_ends(text: str, word: str) -> list[int]:
    """Where each use of ``word`` (a capitalised word: "Turkish") as a whole word ends: the
    matches of :data:`_TITLE_WORD_RE` that are ``word``, found by ``str.find`` (quicker than
    reading every title word of the text)."""
    ends = []
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not (start and _is_word_character(text[start - 1])) and not (end < len(text) and _is_word_character(text[end])):
            ends.append(end)
        start = text.find(word, end)
    return ends


def _is_word_character(character: str) -> bool:
    """Whether ``re`` counts a character as part of a word (``\\w``: letters, digits, underscore)."""
    return character.isalnum() or character == "_"


@dataclass(slots=True)
class Group:
    """The mentions of one name in a document: they share one sense."""

    text: str
    members: list[int]
    candidates: Candidates
    scores: np.ndarray
    choice: int = -1
    #: How sure the choice is (0-1): half the best score plus its margin over the runner-up.
    confidence: float = 0.0
    #: Whether a mention of the name heads a longer one: "the University of California".
    heads_name: bool = False
    #: Whether the chosen place lies in a country the document points to (its nationality
    #: words but an army's, the countries it names, the caller's hints), or it points to none.
    at_home: bool = True


def _group_mentions(
    mentions: list[Mention], lookups: Lookups, *, fuzzy: bool = False, demonym_countries: bool = False
) -> list[Group]:
    # The candidates of new names were fetched together by :func:`resolve_many`.
    groups: dict[tuple[str, int, bool, bool], Group] = {}
    demonym = demonyms()
    for k, m in enumerate(mentions):
        # "MANSFIELD" in a headline and "Mansfield" in the body are one name: if they were two
        # groups, each would count as the other's evidence and confirm a wrong sense.
        label = (m.text.casefold(), m.forced, m.unknown, m.loose)
        group = groups.get(label)
        if group is None:
            if m.forced >= 0:
                cands = lookups.forced(m.forced)
            elif m.loose:
                cands = NO_CANDIDATES
            elif m.unknown:
                # "Sheikh Meskin" is Ash Shaykh Miskin: a name the index lacks may be an Arabic
                # name it spells with other vowels (never a mere skeleton: Pakistan and Japan).
                cands = _vowel_candidates(m.text, _arabic_name_countries(lookups.index), lookups.index)
            else:
                cands = lookups.of(m.text)
                country = demonym.get(m.text) if demonym_countries else None
                if country and country in lookups.country_place:
                    cands = lookups.forced(lookups.country_place[country])
                elif demonym_countries and not _named_outright(cands):
                    cands = _demonym_place(m.text, lookups) or cands
                if fuzzy and not len(cands.places):
                    cands = lookups.of(m.text, fuzzy=True)
                if fuzzy and not len(cands.places):
                    cands = _part_of_name(m.text, lookups)
                if len(cands.places) and _written_the_arabic_way(m.text):
                    cands = _in_arabic_name_countries(cands, lookups.index)
            group = groups[label] = Group(m.text, [], cands, _NO_SCORES)
        group.members.append(k)
    ordered = list(groups.values())
    for g, group in enumerate(ordered):
        for k in group.members:
            mentions[k].group = g
    return ordered


#: The scores of a group not yet scored (read-only: a group is given its own when scored).
_NO_SCORES = np.empty(0)
_NO_SCORES.flags.writeable = False


@lru_cache(maxsize=100_000)
def _written_the_arabic_way(name: str) -> bool:
    """Whether a name has an Arabic article or head word (:data:`_ARABIC_FORM_RE`), remembered:
    the same names recur across documents."""
    return _ARABIC_FORM_RE.search(name) is not None


#: Demonym endings and what replaces them to give the place: "Canadians" -> "Canada",
#: "Ontarians" -> "Ontario", "Texan" -> "Texas", "Cypriot" -> "Cyprus", "Iraqi" -> "Iraq".
_DEMONYM_ENDINGS = (
    ("ians", ("ia", "io", "a", "")),
    ("ian", ("ia", "io", "a", "")),
    ("ans", ("a", "", "e", "as", "o")),
    ("an", ("a", "", "e", "as", "o")),
    ("ese", ("", "a", "e")),
    ("iots", ("us",)),
    ("iot", ("us",)),
    ("is", ("",)),
    ("i", ("", "a")),
)
_AREA_FEATURES = frozenset(("country", "admin1", "region"))


def _named_outright(cands: Candidates) -> bool:
    return any(kind in ("exact", "alternate", "folded") for kind in cands.kinds)


def _demonym_place(word: str, lookups: Lookups) -> Candidates | None:
    """The country, province or region a demonym the table lacks points to ("Minnesotans").

    Only areas count (a demonym names a people, not a village), and only when the word
    itself names no place.
    """
    if not word[:1].isupper() or " " in word.strip() and not word.split()[-1][:1].isupper():
        return None
    index = lookups.index
    for ending, replacements in _DEMONYM_ENDINGS:
        if not word.endswith(ending) or len(word) - len(ending) < 3:
            continue
        for replacement in replacements:
            cands = lookups.of(word[: len(word) - len(ending)] + replacement)
            if not len(cands.places):
                continue
            keep = np.isin(index.feature[cands.places], list(_AREA_FEATURES)) & np.asarray(
                [kind in ("exact", "alternate") for kind in cands.kinds]
            )
            if keep.any():
                return Candidates(
                    cands.places[keep], cands.weights[keep], tuple(k for k, ok in zip(cands.kinds, keep) if ok)
                )
        return None
    return None


#: Words of a facility or feature name that name no place on their own ("Pala Mesa Resort").
_GENERIC_WORDS = frozenset(
    """resort resorts hotel hotels inn lodge hut park parks reserve nature national state international
    university college school airport station beach beaches bay harbour harbor port island islands isle
    lake lakes river rivers creek falls mountain mountains mount mt peak hill hills valley canyon forest
    museum gallery palace castle cathedral church temple mosque tower bridge centre center square street
    road avenue ave st boulevard market mall zoo garden gardens world theatre theater stadium arena
    hospital district county township city town village region area north south east west northern
    southern eastern western upper lower greater old new great little grand royal saint the of and de
    la le du del des da di""".split()
)
#: Weight of a match on part of a name (below a skeleton match).
PART_WEIGHT = 0.5


def _part_of_name(name: str, lookups: Lookups) -> Candidates:
    """Candidates for the longest part of an unknown name that names a place.

    "University of Oxford" -> Oxford, "Hottentots Holland Nature Reserve" -> Hottentots
    Holland, "Niagara Skywheel" -> Niagara. Parts made only of generic words ("National
    Park") do not count. Used for given spans only: a recogniser never proposes such names.
    """
    words = re.findall(r"[^\W\d_][\w'’.\-]*", name)
    if len(words) < 2:
        return NO_CANDIDATES
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            part = words[start : start + size]
            if not part[0][:1].isupper() or all(w.lower().rstrip(".") in _GENERIC_WORDS for w in part):
                continue
            if size == 1 and (len(part[0]) < 4 or part[0].lower() in stoplist()):
                continue
            cands = lookups.of(" ".join(part))
            keep = np.asarray([kind in ("exact", "alternate", "folded") for kind in cands.kinds], dtype=bool)
            if keep.any():
                return Candidates(
                    cands.places[keep], np.full(int(keep.sum()), PART_WEIGHT), ("partial",) * int(keep.sum())
                )
    return NO_CANDIDATES


def resolve(
    text: str,
    mentions: list[Mention],
    index: GazetteerIndex,
    *,
    context: Mapping[str, Any] | None = None,
    fuzzy: bool = False,
    demonym_countries: bool = False,
) -> list[Group]:
    """Choose one place for every distinct name of the document, weighing the whole document.

    Returns the groups of mentions sharing a name; ``mentions[k].group`` points into them.
    Every candidate of every group is scored at once, on arrays ("the candidate matrix");
    countries, provinces and features are compared as the index's integer codes. The document
    is resolved as one of :func:`resolve_many`.
    """
    return resolve_many([(text, mentions, context)], index, fuzzy=fuzzy, demonym_countries=demonym_countries)[0]


def resolve_many(
    documents: Sequence[tuple[str, list[Mention], Mapping[str, Any] | None]],
    index: GazetteerIndex,
    *,
    fuzzy: bool = False,
    demonym_countries: bool = False,
) -> list[list[Group]]:
    """:func:`resolve` of several documents, each on its own evidence, in one set of array operations.

    Parameters
    ----------
    documents
        ``(text, mentions, context)`` of each document; ``context`` as for :func:`resolve`.
    index
        The gazetteer index.
    fuzzy, demonym_countries
        As for :func:`resolve`, for every document.

    Returns
    -------
    list of list of Group
        The groups of each document, in order; ``mentions[k].group`` points into its own.

    Notes
    -----
    The candidate matrices of the documents are stacked (``owner`` numbers the groups across
    documents, ``doc`` says whose each candidate is), and every sum, share and distance is taken
    within one document: a document's result does not depend on the others. On a document's few
    hundred candidates numpy's cost per call outweighs the work, so stacking several documents
    pays that cost once for all of them.
    """
    lookups = lookups_for(index)
    # The candidates of every new name of the documents, found together.
    lookups.prefetch(m.text for _, mentions, _ in documents for m in mentions if m.forced < 0)
    demonym = demonyms()
    all_groups: list[list[Group]] = []
    all_hints: list[tuple[Counter[int], Counter[int], Counter[int]]] = []
    for text, mentions, context in documents:
        hint_countries, hint_admin1 = _context_hints(context)
        words = set(re.findall(r"[A-Z][a-z]+", text)) & demonym.keys()
        actors = _actor_demonyms(text, words)
        located = hint_countries.copy()
        for word in words:
            cc = demonym[word]
            if cc:
                hint_countries[cc] += ACTOR_HINT_WEIGHT if word in actors else 1
                located[cc] += 0 if word in actors else 1
        all_groups.append(_group_mentions(mentions, lookups, fuzzy=fuzzy, demonym_countries=demonym_countries))
        all_hints.append((
            _coded_hints(hint_countries, index, "country"),
            _coded_hints(hint_admin1, index, "admin1_code"),
            _coded_hints(+located, index, "country"),
        ))
    # Documents without any candidate keep their groups as they are.
    scored = [d for d, groups in enumerate(all_groups) if any(len(g.candidates.places) for g in groups)]
    if not scored:
        return all_groups
    stacked = [g for d in scored for g in all_groups[d]]
    group_bounds = np.cumsum([0] + [len(all_groups[d]) for d in scored]).tolist()
    sizes = np.asarray([len(g.candidates.places) for g in stacked], dtype=np.int64)
    owner = np.repeat(np.arange(len(stacked)), sizes)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    cand_bounds = np.concatenate((starts, [len(owner)]))[group_bounds].tolist()
    doc = np.repeat(np.arange(len(scored)), np.diff(cand_bounds))
    places = np.concatenate([g.candidates.places for g in stacked])
    weights = np.concatenate([g.candidates.weights for g in stacked])
    feature = index.codes["feature"][places]
    country = index.codes["country"][places]
    admin1 = index.codes["admin1_code"][places]
    lat, lon = index.lat[places], index.lon[places]
    is_country = feature == index.code_of("feature", "country")
    is_admin1 = feature == index.code_of("feature", "admin1")
    is_city = index.feature_in(_CITY_FEATURES)[feature]
    is_area = index.feature_in(_REGION_FEATURES)[feature]
    flags: tuple[list[bool], ...] = ([], [], [], [])
    for d in scored:
        for column, values in zip(flags, _group_flags(documents[d][1], all_groups[d])):
            column.extend(values)
    admin_hint, city_hint, in_org, trusted = (np.asarray(column, dtype=bool) for column in flags)
    # Exact or alternate spellings (folded, skeleton and partial matches weigh less).
    named = weights >= MATCH_WEIGHTS["alternate"]
    # Names that are a country's own ("Iraq").
    names_country = np.zeros(len(stacked), dtype=bool)
    names_country[owner[named & is_country]] = True
    admin_hint, city_hint, in_org = admin_hint[owner], city_hint[owner], in_org[owner]
    base = 0.45 * weights + 0.55 * index.prominence[places]
    # "Samarra" spells Samarra, Iraq (an alternate name of a city) and only folds to Samara,
    # Russia: a folded province loses to the spelled city, a folded city its seat bonus (a
    # folded town keeps its score: "the town of Mansoura in rural Aleppo" is Syria's).
    spelled_city = np.zeros(len(stacked), dtype=bool)
    spelled_city[owner[named & is_city & (index.prominence[places] >= STRONG_PROMINENCE)]] = True
    folded_behind = spelled_city[owner] & (weights < MATCH_WEIGHTS["alternate"])
    base -= FOLDED_BEHIND_SPELLED * (folded_behind & is_admin1)
    base += 0.3 * (admin_hint & is_admin1) + 0.1 * (city_hint & is_city) + 0.05 * (in_org & is_admin1)
    # A country named outright is the country ("Iraq" is not the Iranian city Arak).
    base += COUNTRY_NAMED_BONUS * (is_country & named)
    # Provinces of one name (Maryland, US and Liberia) tie on everything else: the more
    # populous country's first.
    base += ADMIN1_TIE_BREAK * is_admin1 * np.log10(1.0 + _country_people(index)[country]) / 10.0
    # A city that shares its name with the province it lies in ("Baghdad", "Aleppo", "Basra"):
    # named alone, news means the city; "Baghdad province" (admin_hint) still means the province.
    base += SEAT_CITY_BONUS * (
        _seat_cities(owner, weights, names_country, is_admin1, is_city, admin1, lat, lon, index.population[places])
        & ~admin_hint
        & ~folded_behind
    )
    country_hints = _hint_arrays([all_hints[d][0] for d in scored])
    admin1_hints = _hint_arrays([all_hints[d][1] for d in scored])
    located = [all_hints[d][2] for d in scored]
    if any(located):
        base += 0.15 * _hinted(country, doc, located)
    if any(all_hints[d][1] for d in scored):
        base += 0.1 * _hinted(admin1, doc, [all_hints[d][1] for d in scored])
    the_before = np.zeros(len(stacked), dtype=bool)
    for j, d in enumerate(scored):
        text, mentions, _ = documents[d]
        s, e, first_group = cand_bounds[j], cand_bounds[j + 1], group_bounds[j]
        base[s:e] += _pair_bonus(text, mentions, all_groups[d], names_country[first_group : group_bounds[j + 1]],
                                 owner[s:e] - first_group, feature[s:e], country[s:e], admin1[s:e], index)
        # "the Middle East", "the Levant": a region across countries named outright with its
        # article, not a namesake village (Middle East, Baltimore) that the document's other
        # places favour.
        the_before[
            [first_group + m.group for m in mentions
             if not m.name_neighbour and text[max(0, m.start - 4) : m.start].casefold() == "the "]
        ] = True
    macro = (country == 0) & is_area & (index.radius_km[places] >= MACRO_REGION_KM)
    base += THE_REGION_BONUS * (the_before[owner] & macro & named)
    scores = base
    choice = _segment_argmax(scores, owner, starts, sizes)
    # Regions across countries (Middle East, Europe) have no country of their own: the document
    # supports them with the places it names inside them.
    wide = (country == 0) & is_area
    has_wide = wide.any()
    radius = index.radius_km[places]
    # Context confirms a name's sense; it should not turn "Iraq" into the Afghan locality "Iraqi".
    named_area = np.zeros(len(stacked), dtype=bool)
    named_area[owner[(is_country | is_admin1) & named]] = True
    match_scale = np.where(~named & named_area[owner], WEAK_MATCH_SUPPORT, 1.0)
    n_groups = len(stacked)
    distances = _DistancesTo(lat, lon, doc, cand_bounds, owner)
    for _ in range(2):
        chosen = choice[choice >= 0]
        # ``mask.nonzero()[0]`` is ``np.flatnonzero(mask)`` of a 1-D mask without numpy's Python-level
        # wrappers, which cost more than the work on a document's few hundred candidates.
        chosen_groups = (choice >= 0).nonzero()[0]
        keep = trusted[chosen_groups]
        chosen, chosen_groups = chosen[keep], chosen_groups[keep]
        c_big = (is_country | is_admin1)[chosen]
        cc_weight = np.where(c_big, 2.0, 1.0)
        a1_weight = np.where(is_admin1[chosen], 2.0, 1.0)
        share_cc = _share(country, doc, chosen, cc_weight, owner, chosen_groups, country_hints, n_groups)
        share_a1 = _share(admin1, doc, chosen, a1_weight, owner, chosen_groups, admin1_hints, n_groups)
        if has_wide:
            share_cc[wide] = _share_within(wide, doc, owner, lat, lon, radius, chosen, chosen_groups, cc_weight)
        support = COUNTRY_SHARE_WEIGHT * np.minimum(1.0, 2 * share_cc) + ADMIN1_SHARE_WEIGHT * np.minimum(
            1.0, 2 * share_a1
        )
        points, _ = _unique_first(chosen[~c_big])
        if len(points):
            # Each point's own group is where it lies: a name is not near its own choice.
            nearest = distances.nearest(points)
            # An area (region, desert, border) is near the places inside it: distance from its edge.
            gap = np.where(is_area, np.maximum(0.0, nearest - radius), nearest)
            near = np.exp(-gap / NEAR_KM)
            # A province is as near as can be to the places the document names inside it.
            near = np.where(is_admin1 & (weights >= MATCH_WEIGHTS["exact"]) & (share_a1 > 0), 1.0, near)
            # Documents with no such point gain nothing (``x + 0.0`` is ``x``).
            pointless = np.bincount(doc[points], minlength=len(scored)) == 0
            support = support + NEAR_WEIGHT * np.where(is_country | pointless[doc], 0.0, near)
        scores = base + support * match_scale
        choice = _segment_argmax(scores, owner, starts, sizes)
    confidence = _confidences(scores, choice, starts, sizes)
    # As Python numbers: reading numpy arrays element by element costs more than the work.
    for group, start, end, best, sure in zip(stacked, starts.tolist(), (starts + sizes).tolist(), choice.tolist(),
                                             confidence.tolist()):
        group.scores = scores[start:end]
        group.choice = best - start if best >= 0 else -1
        group.confidence = sure
    # Each group's chosen place (index row, -1 for none) as the scoring left it, read at once for
    # the rules below (each document's rules change only its own groups, and only after these).
    chosen_rows = np.where(choice >= 0, places[choice], -1)
    for j, d in enumerate(scored):
        text, mentions, _ = documents[d]
        groups = all_groups[d]
        rows = chosen_rows[group_bounds[j] : group_bounds[j + 1]]
        _mark_at_home(groups, rows, located[j], index)
        _vowel_spellings_at_home(text, mentions, groups, rows, located[j], trusted[group_bounds[j] : group_bounds[j + 1]],
                                 index)
        for m in mentions:
            if m.group >= 0 and _OF_NAME_RE.match(text, m.end):
                groups[m.group].heads_name = True
        _place_parts(text, mentions, groups, index)
        if fuzzy:
            _place_unknown_near_context(mentions, groups, trusted[group_bounds[j] : group_bounds[j + 1]], index)
    return all_groups


def _confirm_loose(mention: Mention, group: Group, owner: Group, anchor: int, index: GazetteerIndex) -> None:
    """Place a loosely spelled name (:attr:`Mention.loose`: "Jirjanaz in Idlib") at the looser
    spelling the index has inside the place named after it (Jarjanaz, Idlib: in the province
    named, or near the town named, as :func:`_place_parts` reads "in"), or leave it without a
    place (then it is no toponym: "the Food and Agriculture Organization in Rome"). A country
    is too wide to confirm a spelling. Read only here, so its looser matches
    elsewhere never weigh in the document's resolution."""
    if owner.confidence < PART_WHOLE_CONFIDENCE or index.feature[anchor] in ("country", "region"):
        return  # a country is too wide to confirm a spelling ("Protest in Mexico": Puerta Siete)
    cands = lookups_for(index).of(mention.text)  # folded and skeleton spellings, no fuzzy step
    places = cands.places
    if not len(places):
        return
    same_province = index.admin1_code[places] == index.admin1_code[anchor]
    if index.feature[anchor] == "admin1":
        inside = same_province
    else:
        dist = _haversine_matrix(index.lat[places], index.lon[places], index.lat[[anchor]], index.lon[[anchor]])[:, 0]
        inside = (dist <= max(PART_OF_KM, 2.0 * float(index.radius_km[anchor]))) | (
            same_province & (dist <= PART_PROVINCE_KM)
        )
    if not inside.any():
        return
    best = int(np.flatnonzero(inside)[np.argmax(cands.weights[inside])])
    group.candidates = Candidates(places[[best]], cands.weights[[best]], (cands.kinds[best],))
    group.scores, group.choice, group.confidence = cands.weights[[best]], 0, owner.confidence
    mention.paired = True


#: What lies between a name and the name that qualifies it: "Jobar, Damascus", "#Jobar, #Syria",
#: "Jobar in eastern Damascus" (:data:`_PAIR_GAP_RE`, and a hashtag's mark).
_QUALIFIER_GAP_RE = re.compile(_PAIR_GAP_RE.pattern + r"|\s*,\s*#")
#: A place chosen abroad this far (km) beyond the edge of every country the document is in
#: (its point plus its radius) may be a namesake of a place at home spelled with other vowels.
HOME_FAR_KM = 300.0
#: Prominence below which such a place may be a namesake (a town of about 500,000 people: a
#: capital such as Amman or Tripoli is meant as itself).
NAMESAKE_PROMINENCE = 0.7


def _vowel_candidates(name: str, countries: np.ndarray, index: GazetteerIndex) -> Candidates:
    """The places of a name's vowel-class key (:meth:`GazetteerIndex.vowel_places`) in the
    countries ``countries`` flags (per country code), as ``"vowel"`` matches."""
    places = np.unique(index.vowel_places(name, countries=countries))
    if not len(places):
        return NO_CANDIDATES
    return Candidates(places, np.full(len(places), MATCH_WEIGHTS["vowel"]), ("vowel",) * len(places))


def _nearest_to_witnesses(places: np.ndarray, witnesses: list[int], rows: np.ndarray, index: GazetteerIndex) -> int:
    """Position in ``places`` of the one nearest the chosen places (``rows``, per group) of the
    ``witnesses`` groups that are points ("Ferdous" beside Aleppo is Aleppo's al-Firdaws, not
    Hasakah's); the most prominent when no witness is a point."""
    points = rows[[w for w in witnesses if index.feature[rows[w]] not in ("country", "admin1")]]
    if len(places) == 1 or not len(points):
        return int(np.argmax(index.prominence[places]))
    dist = _haversine_matrix(index.lat[places], index.lon[places], index.lat[points], index.lon[points])
    return int(np.argmin(dist.min(axis=1)))


def _vowel_place_at_home(group: Group, homes: list[int], main: list[int], index: GazetteerIndex) -> None:
    """A name the index lacks, placed by its vowels outside the countries the document is in
    (``homes``, country codes), takes its best-scoring vowel-key place in the document's own
    country (``main``), or none if it has none there ("Taifor airport" beside Homs is not Tayfur
    in Turkey: unresolved, as before)."""
    places = group.candidates.places
    if not homes or np.isin(index.codes["country"][places[group.choice]], homes):
        return
    inside = np.isin(index.codes["country"][places], main)
    if inside.any():
        group.choice = int(np.flatnonzero(inside)[np.argmax(group.scores[inside])])
    else:
        group.candidates, group.scores, group.choice, group.confidence = NO_CANDIDATES, _NO_SCORES, -1, 0.0


def _may_be_placed_by_text(group: Group, mentions: list[Mention], text: str, index: GazetteerIndex) -> bool:
    """What :func:`_placed_by_text` asks, short of the qualifier containing the place (read
    before looking a name up by its vowels)."""
    chosen = int(group.candidates.places[group.choice])
    return (
        group.candidates.kinds[group.choice] in ("exact", "alternate") and index.prominence[chosen] >= STRONG_PROMINENCE
    ) or any(
        mentions[k].locative
        or (k + 1 < len(mentions) and _QUALIFIER_GAP_RE.fullmatch(text, mentions[k].end, mentions[k + 1].start))
        for k in group.members
    )


def _placed_by_text(g: int, place: int, mentions: list[Mention], groups: list[Group], text: str,
                    index: GazetteerIndex) -> bool:
    """Whether the text says group ``g`` names a place and, read as ``place``, keeps it one: its
    chosen place was a town of :data:`STRONG_PROMINENCE` spelled so (kept as a place on its
    own), a mention follows a locative word ("clashes in Jobar"), or the next name qualifies it
    and contains ``place`` ("Jobar, Damascus", "#Jobar, #Syria", "Jobar in Syria": a province,
    country, region or town of that prominence, chosen by its spelling). Marks the mentions
    qualified so (``paired``)."""
    group = groups[g]
    chosen = int(group.candidates.places[group.choice])
    if group.candidates.kinds[group.choice] in ("exact", "alternate") and index.prominence[chosen] >= STRONG_PROMINENCE:
        return True
    if any(mentions[k].locative for k in group.members):
        return True
    qualified = False
    for k in group.members:
        if k + 1 >= len(mentions) or not _QUALIFIER_GAP_RE.fullmatch(text, mentions[k].end, mentions[k + 1].start):
            continue
        owner = groups[mentions[k + 1].group]
        if owner is group or owner.choice < 0 or owner.candidates.kinds[owner.choice] not in _SPELLED:
            continue
        whole = int(owner.candidates.places[owner.choice])
        feature = index.feature[whole]
        if feature == "country":
            inside = index.country[place] == index.country[whole]
        elif feature == "admin1":
            inside = index.admin1_code[place] == index.admin1_code[whole]
        elif feature in _REGION_FEATURES or index.prominence[whole] >= STRONG_PROMINENCE:
            reach = max(PART_PROVINCE_KM, float(index.radius_km[whole]))
            inside = _haversine_matrix(index.lat[[place]], index.lon[[place]], index.lat[[whole]], index.lon[[whole]])[0, 0] <= reach
        else:
            inside = False
        if inside:
            mentions[k].paired = qualified = True
    return qualified


def _vowel_spellings_at_home(
    text: str,
    mentions: list[Mention],
    groups: list[Group],
    rows: np.ndarray,
    located: Counter[int],
    trusted: np.ndarray,
    index: GazetteerIndex,
) -> None:
    """A name chosen as a small place far from the Arab country the document is in becomes the
    place there whose name has its vowel-class key, if any ("Clashes in Jobar, Damascus": the
    index has Damascus's Jobar only as Jawbar; the exact "Jobar" is a village in Indonesia).

    The document is in the countries of its hints and non-army nationality words
    (``located``), the countries it names, and those of its trusted names chosen as areas or
    towns of :data:`STRONG_PROMINENCE` by their spelling. A name switches when its place is no
    area, is less prominent than :data:`NAMESAKE_PROMINENCE`, lies more than
    :data:`HOME_FAR_KM` beyond every such country and no mention of it is doubtful; it takes
    the vowel-key place in the document's own country (the country with Arabic names most of
    that evidence points to) nearest the document's other places (:func:`_nearest_to_witnesses`),
    if the text says the name is a place there (:func:`_placed_by_text`). ``rows`` are the
    groups' chosen places (index rows, -1 for none) as it starts.
    """
    if len(groups) < 2 and not located:
        return
    arabic = _arabic_name_countries(index)
    country_codes = index.codes["country"]
    codes = country_codes[rows]
    countries = codes.tolist()
    # As Python numbers: numpy's cost per call outweighs the work on a document's few names.
    if not any(code > 0 and place >= 0 and arabic[code] for code, place in zip(countries, rows.tolist())) and not any(
        arabic[code] for code, weight in located.items() if code > 0 and weight > 0
    ):
        return  # nothing points to a country with Arabic names
    kinds = [g.candidates.kinds[g.choice] if g.choice >= 0 else "" for g in groups]
    area = index.feature_in(_STRONG_FEATURES)[index.codes["feature"][rows]]
    prominence = index.prominence[rows]
    # Names that may move (small places, or unknown names placed by their vowels): most
    # documents have none, and are done here.
    movable = (rows >= 0) & ~area & (prominence < NAMESAKE_PROMINENCE) | np.asarray([k == "vowel" for k in kinds])
    if not movable.any():
        return
    # Who puts the document in each country: -1 for its hints and nationality words, else the
    # group whose place is there (a name is no evidence for its own place).
    witnesses: dict[int, set[int]] = {code: {-1} for code, weight in located.items() if weight > 0 and code > 0}
    witness = (rows >= 0) & trusted & (area | (prominence >= STRONG_PROMINENCE))
    for g in witness.nonzero()[0].tolist():
        if kinds[g] in _SPELLED:
            witnesses.setdefault(countries[g], set()).add(g)
    if not any(code > 0 and arabic[code] for code in witnesses):
        return
    lookups = lookups_for(index)
    for g in movable.nonzero()[0].tolist():
        place = int(rows[g])
        if witnesses.get(countries[g], set()) - {g}:
            continue  # at home
        if kinds[g] != "vowel" and (
            any(_doubtful(mentions[k]) or mentions[k].forced >= 0 for k in groups[g].members)
            or not _may_be_placed_by_text(groups[g], mentions, text, index)
        ):
            continue
        homes = [code for code, who in witnesses.items() if code > 0 and who - {g}]
        # The document's own country: the Arab one most of its evidence points to (a Syrian
        # story naming Iran or Turkey is still set in Syria).
        weight = {code: len(witnesses[code] - {g}) for code in homes if arabic[code]}
        main = [code for code, n in weight.items() if n == max(weight.values())]
        if kinds[g] == "vowel":
            _vowel_place_at_home(groups[g], homes, main, index)
            continue
        if not main:
            continue
        home_rows = np.asarray(
            [lookups.country_place[c] for c in index.code_values["country"][homes].tolist() if c in lookups.country_place],
            dtype=np.int64,
        )
        beyond = _haversine_matrix(index.lat[[place]], index.lon[[place]], index.lat[home_rows], index.lon[home_rows])[0]
        if (beyond - index.radius_km[home_rows] <= HOME_FAR_KM).any():
            continue
        at_home = np.zeros(len(arabic), dtype=bool)
        at_home[main] = True
        cands = _vowel_candidates(groups[g].text, at_home, index)
        if not len(cands.places):
            continue
        best = _nearest_to_witnesses(cands.places, [w for who in witnesses.values() for w in who if w not in (-1, g)], rows, index)
        if not _placed_by_text(g, int(cands.places[best]), mentions, groups, text, index):
            continue
        group = groups[g]
        group.candidates = Candidates(cands.places[[best]], cands.weights[[best]], ("vowel",))
        group.scores, group.choice, group.at_home = cands.weights[[best]], 0, True


#: Nouns that make one name part of another: "the Ferdous and Bani Zeid neighbourhoods of
#: Aleppo", "Kafr Nabl, a town in Idlib province", "the West Bank town of Jenin".
_PART_NOUN = r"(?:neighbou?rhoods?|(?:sub-?)?districts?|quarters?|suburbs?|villages?|towns?|areas?)"
_PART_TAIL = (
    r"(?:the\s+)?(?:(?:city|town|province|governorate)\s+of\s+)?"
    r"(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
)
#: "A district of B": the smaller of the two is the part ("the Ferdous district of Aleppo",
#: "the Idlib town of Saraqeb").
_PART_OF_GAP_RE = re.compile(r"\s+" + _PART_NOUN + r"\s+of\s+" + _PART_TAIL, re.IGNORECASE)
#: "A district in B", "A, a village near B": A is the part.
_PART_IN_GAP_RE = re.compile(
    r"(?:\s+|,\s+(?:an?|the|two|three|both)\s+(?:[\w'-]+\s+){0,2}?)" + _PART_NOUN
    + r"\s+(?:in|near|outside|of)\s+" + _PART_TAIL,
    re.IGNORECASE,
)
#: "the village of A in B", "A town in B" (A has a town or village word beside it), "Abu al
#: Balaya in Deir ez-Zor" (a name the index lacks): A is the part.
_TOWN_IN_GAP_RE = re.compile(r"\s+in\s+" + _PART_TAIL, re.IGNORECASE)
#: A site named after a place, or named, then where it is: "the al-Quds hospital in Aleppo" (not
#: Jerusalem), "the Sultanieh mosque in the old quarter of Aleppo": A is part of B.
_SITE_NOUN = (
    r"(?:hospital|clinic|mosque|church|school|market|bakery|prison|jail|camp|bridge|dam|airport"
    r"|airbase|stadium|university|hotel)"
)
_SITE_IN_GAP_RE = re.compile(
    r"\s+" + _SITE_NOUN + r"\s+(?:in|at|inside)\s+"
    r"(?:the\s+)?(?:old\s+)?(?:(?:quarter|centre|center|heart|outskirts)\s+of\s+)?" + _PART_TAIL,
    re.IGNORECASE,
)
#: "A north of B", "A, 20 km south of B", "A near B": A is near B.
_NEAR_GAP_RE = re.compile(
    r",?\s+(?:(\d+(?:[.,]\d+)?)\s*(km|kms|kilometres|kilometers|miles|mi)\s+)?"
    r"(?:((?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of)|near|outside)\s+"
    r"(?:the\s+)?(?:(?:city|town|village|province|governorate)\s+of\s+)?",
    re.IGNORECASE,
)
#: Every gap of the part and near phrases above: one test for the many gaps between names that
#: are none of them (most), before the phrase is told apart.
_PART_GAP_PATTERNS = (_PART_OF_GAP_RE, _PART_IN_GAP_RE, _SITE_IN_GAP_RE, _TOWN_IN_GAP_RE, _NEAR_GAP_RE)
_ANY_PART_GAP_RE = re.compile("|".join(f"(?:{p.pattern})" for p in _PART_GAP_PATTERNS), re.IGNORECASE)
#: How far (km) a place said to be near another may lie from it; north of it (no distance
#: given: "Tikrit, north of Baghdad" is 170 km away); or 1.5 times the distance given plus 25 km.
NEAR_OF_KM = 100.0
BEARING_OF_KM = 500.0
#: Longest gap (characters) the part and near phrases above can fill.
_PART_GAP_CHARS = 80
_PART_LIST_GAP_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
#: How far (km) a part may lie from the point of the place the text says it is part of, at least
#: (twice the place's radius when that is more).
PART_OF_KM = 30.0
#: How far (km) a part in the same province as a town or city may lie from it.
PART_PROVINCE_KM = 100.0
_PART_AREAS = frozenset(("country", "admin1")) | _REGION_FEATURES
_SPELLED = frozenset(("exact", "alternate", "folded"))
#: How sure the whole's sense must be (:attr:`Group.confidence`) to place a part at it.
PART_WHOLE_CONFIDENCE = 0.8


def _doubtful(m: Mention) -> bool:
    """A mention that may be no place at all: a stop word, a person, an acronym, a name beside
    another capitalised word."""
    return m.weak or m.person or m.acronym or m.name_neighbour
#: Which of two places is the larger, for "A town of B" (then the prominence).
_SIZE_RANK = {"country": 6, "admin1": 5, "region": 4, "desert": 4, "border": 4, "city": 3, "town": 2, "village": 1}


def _part_of_pairs(text: str, mentions: list[Mention]) -> list[tuple[int, int, str, float]]:
    """(left, right, how, km) for mention pairs around a part noun or a bearing: "X and Y
    neighbourhoods of Z", "X, a village in Z" (``"in"``: the left is the part), "the Z town of
    X" (``"of"``: either way), "X north of Z", "X, 20 km south of Z" (``"near"``, with the
    farthest X may lie from Z, km)."""
    out = []
    for k in range(len(mentions) - 1):
        if mentions[k + 1].start - mentions[k].end > _PART_GAP_CHARS:
            continue
        gap = text[mentions[k].end : mentions[k + 1].start]
        if not _ANY_PART_GAP_RE.fullmatch(gap):
            continue
        if _PART_OF_GAP_RE.fullmatch(gap):
            out.append((k, k + 1, "of", 0.0))
        elif _PART_IN_GAP_RE.fullmatch(gap) or _SITE_IN_GAP_RE.fullmatch(gap) or (
            (mentions[k].city_hint or mentions[k].unknown or mentions[k].loose) and _TOWN_IN_GAP_RE.fullmatch(gap)
        ):
            out.append((k, k + 1, "in", 0.0))
        elif near := _NEAR_GAP_RE.fullmatch(gap):
            given = float(near.group(1).replace(",", ".")) * (1.609 if near.group(2).lower().startswith("mi") else 1.0) if near.group(1) else 0.0
            out.append((k, k + 1, "near", max(BEARING_OF_KM if near.group(3) else NEAR_OF_KM, 1.5 * given + 25.0)))
    return out


#: "X (Arabic: ..., also spelled Y) is a village in Z", "X was an ancient city in Syria", "X is the
#: site of the oldest town in Jordan": the sentence says where X is (up to the container).
_DEFINITION_HEAD_RE = re.compile(
    r"\s*(?:\([^()]{0,160}\)\s*)?,?\s+(?:is|was)\s+(?:(?:a|an|the)\s+|(?:located|situated)\s+)", re.IGNORECASE
)
#: What the sentence calls X: at most six words, one of them a kind of place ("a village", "an
#: ancient Semitic city", "the site of the oldest urban development"; not "a company that has
#: been an important part of China", "a bonfire").
_DEFINED_AS_RE = re.compile(
    r"(?:[\w'-]+\s+){0,5}?(?:village|town|city|township|municipality|neighbou?rhood|district|suburb|settlement|site"
    r"|hamlet|locality|community|quarter|port|oasis|capital|region|area|province|governorate|county)s?\s+"
    r"(?:(?:[\w'-]+\s+){0,5}?)",
    re.IGNORECASE,
)
_NOT_DEFINED_AS = frozenset("that which who whom whose where but and or".split())
_BEARING_ADJ = r"(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|central)(?:ern)?\s+)?"
_CONTAINER_RE = re.compile(r"\b(?:in|of|within)\s+(?:the\s+)?" + _BEARING_ADJ, re.IGNORECASE)
#: Containers named one after the other: "the As-Suwayda Governorate of southwest Syria", "eastern
#: Syria, administratively part of the Homs Governorate", "Al Rashid district, southern Baghdad, Iraq".
_CONTAINER_CHAIN_RE = re.compile(
    r"(?:\s+(?:administrative\s+)?(?:governorate|province|district|subdistrict|region|county|municipality))?"
    r"(?:\s*,\s*(?:(?:administratively\s+)?(?:a\s+)?part\s+of\s+|in\s+|within\s+)?|\s+(?:of|in)\s+)"
    r"(?:the\s+)?" + _BEARING_ADJ,
    re.IGNORECASE,
)
#: "It is located 29 km north west of the city of Z", "Its remains ... located 11 kilometers
#: north-west of Z" in the sentence after a definition: X is near Z.
_LOCATED_RE = re.compile(
    r"\s*It(?:s\s[^.;]{0,80}?|\s+(?:is|was))\s+(?:located|situated)\b[^.;]{0,80}?"
    r"(?:(\d+(?:[.,]\d+)?)\s*(km|kms|kilometres|kilometers|miles|mi)\s+(?:to\s+the\s+)?"
    r"(?:north|south|east|west)(?:[\s-]?(?:east|west))?\s+of|near)\s+(?:the\s+(?:city|town|village)\s+of\s+|the\s+)?",
)
#: Longest stretch (characters) between a defined name's verb and its container.
_DEFINITION_CHARS = 160


def _definitions(
    text: str, mentions: list[Mention], groups: list[Group], index: GazetteerIndex
) -> list[tuple[list[int], int, str, float]]:
    """(parts, whole, how, km) for the names a sentence defines: "Dama (Arabic: ...) is a village in
    the As-Suwayda Governorate of southwest Syria" (``"def"``: Dama, and the names in its
    parenthesis, lie in As-Suwayda, the most specific container consistent with the others) and
    "It is located 29 km north west of As-Suwayda" in the next sentence (``"defnear"``, with the
    farthest Dama may lie from it, km)."""
    by_start = {m.start: k for k, m in enumerate(mentions)}
    out = []
    for k, m in enumerate(mentions):
        head = _DEFINITION_HEAD_RE.match(text, m.end)
        if head is None or _doubtful(m):
            continue
        stretch = re.split(r"[.;,\n]", text[head.end() : head.end() + _DEFINITION_CHARS], maxsplit=1)[0]
        located = head.group(0).rstrip().lower().endswith(("located", "situated"))
        first = next(
            (
                by_start[head.end() + c.end()]
                for c in _CONTAINER_RE.finditer(stretch)
                if head.end() + c.end() in by_start
                and (located or _DEFINED_AS_RE.fullmatch(stretch[: c.start()]))
                and not _NOT_DEFINED_AS.intersection(stretch[: c.start()].lower().split())
            ),
            None,
        )
        if first is None or first <= k:
            continue
        chain = [first]
        while chain[-1] + 1 < len(mentions) and _CONTAINER_CHAIN_RE.fullmatch(
            text[mentions[chain[-1]].end : mentions[chain[-1] + 1].start]
        ):
            chain.append(chain[-1] + 1)
        sentence_end = text.find(".", mentions[chain[-1]].end)
        # A country later in the sentence bounds the chain too ("the province of Camarines Sur,
        # Philippines": "Camarines" read as a Spanish village is not in the Philippines).
        countries = [
            j for j in range(chain[-1] + 1, len(mentions))
            if mentions[j].start < (sentence_end if sentence_end >= 0 else len(text))
            and groups[mentions[j].group].choice >= 0
            and index.feature[groups[mentions[j].group].candidates.places[groups[mentions[j].group].choice]] == "country"
        ]
        whole = _most_specific(chain + countries, mentions, groups, index)
        if whole is None:
            continue
        parts = [j for j in range(k, first) if j == k or mentions[j].end <= head.end()]
        out.append((parts, whole, "def", 0.0))
        nearby = _LOCATED_RE.match(text, sentence_end + 1) if sentence_end >= 0 else None
        whole_place = groups[mentions[whole].group]
        country = index.country[int(whole_place.candidates.places[whole_place.choice])]
        near = groups[mentions[by_start[nearby.end()]].group] if nearby and nearby.end() in by_start else None
        if near is not None and near.choice >= 0 and index.country[int(near.candidates.places[near.choice])] == country:
            given = float(nearby.group(1).replace(",", ".")) * (1.609 if nearby.group(2).startswith("mi") else 1.0) if nearby.group(1) else 0.0
            out.append((parts, by_start[nearby.end()], "defnear", max(NEAR_OF_KM, 1.5 * given + 25.0)))
    return out


def _sure_of_area(group: Group, index: GazetteerIndex) -> bool:
    """Whether a province is among the close rivals of a group's choice (within 0.2 of its score)
    and every one lies within the choice's radius (50 km at least): "Quneitra" the province or
    its seat town leaves the area sure, whichever is meant."""
    if group.choice < 0 or len(group.scores) < 2:
        return False
    places = group.candidates.places
    chosen = places[group.choice]
    rivals = places[group.scores >= group.scores[group.choice] - 0.2]
    if not (index.feature[rivals] == "admin1").any():
        return False
    dist = _haversine_matrix(index.lat[rivals], index.lon[rivals], index.lat[[chosen]], index.lon[[chosen]])[:, 0]
    return bool((dist <= max(50.0, float(index.radius_km[chosen]))).all())


def _most_specific(chain: list[int], mentions: list[Mention], groups: list[Group], index: GazetteerIndex) -> int | None:
    """The smallest container of a chain ("Al Rashid district, southern Baghdad, Iraq") whose place
    lies in the country and province of every larger one kept, from the largest down (Al Rashid
    read as Raqqa, Syria is not in Iraq: Baghdad is the container)."""
    placed = []
    for k in chain:
        g = groups[mentions[k].group]
        if g.choice < 0 or _doubtful(mentions[k]) or g.candidates.kinds[g.choice] not in _SPELLED:
            continue
        place = int(g.candidates.places[g.choice])
        placed.append(((_SIZE_RANK.get(index.feature[place], 0), -float(index.radius_km[place])), k, place))
    accepted: list[tuple[int, int]] = []
    for _, k, place in sorted(placed, reverse=True):
        if all(
            index.country[p] == index.country[place]
            and (index.feature[p] != "admin1" or index.admin1_code[p] == index.admin1_code[place])
            for _, p in accepted
        ):
            accepted.append((k, place))
    return accepted[-1][0] if accepted else None


def _listed_with(text: str, mentions: list[Mention], k: int, step: int) -> list[int]:
    """Mention ``k`` and those listed with it ("X, Y and Z") before it (``step`` -1) or after (+1)."""
    out = [k]
    while 0 <= out[-1] + step < len(mentions):
        left, right = sorted((out[-1], out[-1] + step))
        if not _PART_LIST_GAP_RE.fullmatch(text[mentions[left].end : mentions[right].start]):
            break
        out.append(out[-1] + step)
    return out


def _place_parts(text: str, mentions: list[Mention], groups: list[Group], index: GazetteerIndex) -> None:
    """A name the text calls a part of another ("the Ferdous neighbourhood of Aleppo") takes its
    candidate within the other's area (same province or country for an area; within
    :data:`PART_OF_KM` or twice the radius of a point, or in a town's province within
    :data:`PART_PROVINCE_KM`), else the other's place itself (kind
    ``"part"``: a derived location there, never a namesake 1,000 km away). The parts count as
    qualified (``paired``)."""
    definitions = _definitions(text, mentions, groups, index)
    defined = {(parts[0], whole): parts for parts, whole, _, _ in definitions}
    pairs = _part_of_pairs(text, mentions) + [(parts[0], whole, how, km) for parts, whole, how, km in definitions]
    for left, right, how, near_km in pairs:
        whole, parts = right, defined.get((left, right)) or (
            [left] if mentions[left].loose else _listed_with(text, mentions, left, -1)
        )
        if how == "of":
            sizes = []
            for k in (left, right):
                g = groups[mentions[k].group]
                place = int(g.candidates.places[g.choice]) if g.choice >= 0 else -1
                sizes.append((_SIZE_RANK.get(index.feature[place], 0), float(index.prominence[place])) if place >= 0 else None)
            if None in sizes:
                continue
            if sizes[0] > sizes[1]:
                whole, parts = left, _listed_with(text, mentions, right, 1)
        owner = groups[mentions[whole].group]
        if owner.choice < 0 or _doubtful(mentions[whole]) or owner.candidates.kinds[owner.choice] not in _SPELLED:
            continue  # "The town of Manchester": "The" (Teresina's airport code) is no whole.
        anchor = int(owner.candidates.places[owner.choice])
        feature = index.feature[anchor]
        for k in parts:
            group = groups[mentions[k].group]
            if group is owner or _doubtful(mentions[k]):
                continue
            if mentions[k].loose:
                if how == "in":
                    _confirm_loose(mentions[k], group, owner, anchor, index)
                continue
            places = group.candidates.places
            if group.choice >= 0 and index.feature[places[group.choice]] in _PART_AREAS and group.candidates.kinds[group.choice] != "part":
                continue  # "Syria near the Golan Heights", "Manchester, South Dakota": no part.
            if how in ("near", "defnear"):
                # "Al Maleh north of Aleppo" is near Aleppo, not Male in the Maldives: a namesake
                # that far is no answer (the name stays unresolved).
                dist = _haversine_matrix(index.lat[places], index.lon[places], index.lat[[anchor]], index.lon[[anchor]])[:, 0]
                inside = dist <= near_km + float(index.radius_km[anchor])
                if inside.any():
                    group.choice = int(np.flatnonzero(inside)[np.argmax(group.scores[inside])])
                elif how == "defnear":
                    # A defined name "located 11 km north-west of Abu Kamal" (in the country its
                    # definition names): near that place, whatever namesakes the index has.
                    group.candidates = Candidates(np.asarray([anchor], dtype=np.int64), np.asarray([0.0]), ("near",))
                    group.scores, group.choice, group.confidence = np.asarray([0.0]), 0, owner.confidence
                elif len(places) and owner.confidence >= PART_WHOLE_CONFIDENCE:
                    group.candidates, group.scores, group.choice, group.confidence = NO_CANDIDATES, _NO_SCORES, -1, 0.0
                if how == "defnear":
                    for j in group.members:
                        mentions[j].paired = True
                continue
            if feature in ("country", "admin1"):
                column = index.country if feature == "country" else index.admin1_code
                inside = column[places] == column[anchor]
            else:
                # A point's own area, or its province near it ("the Idlib town of Saraqeb").
                dist = _haversine_matrix(index.lat[places], index.lon[places], index.lat[[anchor]], index.lon[[anchor]])[:, 0]
                inside = dist <= max(PART_OF_KM, 2.0 * float(index.radius_km[anchor]))
                if feature not in _REGION_FEATURES and isinstance(index.admin1_code[anchor], str):
                    inside |= (index.admin1_code[places] == index.admin1_code[anchor]) & (dist <= PART_PROVINCE_KM)
            if inside.any():
                group.choice = int(np.flatnonzero(inside)[np.argmax(group.scores[inside])])
            elif owner.confidence < PART_WHOLE_CONFIDENCE and not _sure_of_area(owner, index):
                continue  # The whole may be misread itself ("a suburb of Redland City").
            else:
                group.candidates = Candidates(np.asarray([anchor], dtype=np.int64), np.asarray([0.0]), ("part",))
                group.scores = np.asarray([0.0])
                group.choice = 0
                group.confidence = owner.confidence
            # A defined name is that place wherever the document names it again ("Dama had a
            # population of 1,799").
            for j in group.members if how == "def" else [k]:
                mentions[j].paired = True


@lru_cache(maxsize=2)
def _country_people(index: GazetteerIndex) -> np.ndarray:
    """Population of each country by its code in ``index.codes["country"]`` (0: unknown)."""
    codes = index.codes["country"]
    rows = (index.codes["feature"] == index.code_of("feature", "country")).nonzero()[0]
    out = np.zeros(max(int(codes.max()), 0) + 1)
    out[codes[rows]] = index.population[rows]
    return out


def _in_arabic_name_countries(cands: Candidates, index: GazetteerIndex) -> Candidates:
    """The candidates of a name written the Arabic way that lie where places have Arabic names
    (or in no country: regions), or that are spelled exactly so: "Al Dour" is not Durban (a
    folded match once the article is gone), "Al Eis" not Waycross, Georgia."""
    spelled = np.asarray([kind in ("exact", "alternate") for kind in cands.kinds], dtype=bool)
    keep = _arabic_name_countries(index)[index.codes["country"][cands.places]] | spelled
    if keep.all():
        return cands
    if not keep.any():
        return NO_CANDIDATES
    return Candidates(cands.places[keep], cands.weights[keep], tuple(k for k, ok in zip(cands.kinds, keep) if ok))


@lru_cache(maxsize=2)
def _arabic_name_countries(index: GazetteerIndex) -> np.ndarray:
    """Per country code of ``index.codes["country"]``: one of :data:`_ARABIC_NAME_COUNTRIES`
    (code 0, no country, counts as one: regions)."""
    values = index.code_values["country"]
    out = np.asarray([v in _ARABIC_NAME_COUNTRIES for v in values], dtype=bool)
    out[0] = True
    return out


def _group_flags(mentions: list[Mention], groups: list[Group]) -> tuple[list[bool], ...]:
    """Per group: any mention with an admin suffix, a city suffix, inside an organisation name;
    and whether the group is trusted to shape the document's context (not only weak or person
    mentions, not matched only in part: "Pala Mesa Resort" as Pala follows the document, it
    does not lead it)."""
    n = len(groups)
    admin_hint, city_hint, in_org, doubtful = [False] * n, [False] * n, [False] * n, [True] * n
    for m in mentions:
        g = m.group
        admin_hint[g] = admin_hint[g] or m.admin_hint
        city_hint[g] = city_hint[g] or m.city_hint
        in_org[g] = in_org[g] or m.in_organisation
        doubtful[g] = doubtful[g] and (m.weak or m.person or m.name_neighbour)
    trusted = [not doubtful[g] and group.candidates.kinds[:1] != ("partial",) for g, group in enumerate(groups)]
    return admin_hint, city_hint, in_org, trusted


def _hinted(codes: np.ndarray, doc: np.ndarray, hints: Sequence[Counter[int]]) -> np.ndarray:
    """Whether each code is one of its document's hints (codes of one coded column; ``doc`` is
    each code's document, ``hints[d]`` document ``d``'s; a hint -1 matches none)."""
    width = max([int(codes.max()), *(code for doc_hints in hints for code in doc_hints)]) + 1
    table = np.zeros(len(hints) * width, dtype=bool)
    table[[d * width + code for d, doc_hints in enumerate(hints) for code in doc_hints if code > 0]] = True
    return table[doc * width + codes]


def _hint_arrays(hints: Sequence[Counter[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The coded hints of each document as arrays for :func:`_share`: the document, code and
    weight of every hint, and each document's total weight of hints."""
    rows = [(d, code, weight) for d, doc_hints in enumerate(hints) for code, weight in doc_hints.items()]
    return (
        np.asarray([r[0] for r in rows], dtype=np.int64),
        np.asarray([r[1] for r in rows], dtype=np.int64),
        np.asarray([r[2] for r in rows], dtype=float),
        np.asarray([sum(doc_hints.values()) for doc_hints in hints], dtype=float),
    )


_OF_NAME_RE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")


def _mark_at_home(groups: list[Group], rows: np.ndarray, country_hints: Counter[int], index: GazetteerIndex) -> None:
    """Set :attr:`Group.at_home`: the document's countries are those of its hints and of its
    nationality words other than an army's ("Turkish troops" fight abroad), and the countries
    it names outright. ``rows`` are the groups' chosen places (index rows, -1 for none)."""
    homes = {code for code, weight in country_hints.items() if weight > 0}
    places = rows.tolist()
    countries = index.codes["country"][rows].tolist()
    features = index.feature[rows].tolist()
    for group, place, country, feature in zip(groups, places, countries, features):
        if place >= 0 and feature == "country" and group.candidates.kinds[group.choice] in ("exact", "alternate"):
            homes.add(country)
    if not homes:
        return
    for group, place, country in zip(groups, places, countries):
        if place >= 0:
            group.at_home = country in homes


def _coded_hints(hints: Counter[str], index: GazetteerIndex, column: str) -> Counter[int]:
    """Hints by their code in ``column`` (-1 for a value no place has: it still weighs in totals)."""
    coded: Counter[int] = Counter()
    for value, weight in hints.items():
        coded[index.code_of(column, value)] += weight
    return coded


def _place_unknown_near_context(
    mentions: list[Mention], groups: list[Group], trusted: np.ndarray, index: GazetteerIndex
) -> None:
    """A given span that names nothing in the index lies near the closest place the text names.

    "The Copacabana Palace Hotel ... in Rio": no gazetteer has the hotel, but the text says where
    it is. The closest resolved mention (in characters) that is not a country or larger region
    anchors it; a country only when nothing smaller is named. The toponym says so
    (``relation="near"``, a low score).
    """
    resolved = [
        (m.start, int(groups[m.group].candidates.places[groups[m.group].choice]))
        for m in mentions
        if m.group >= 0 and groups[m.group].choice >= 0 and trusted[m.group]
        and groups[m.group].candidates.kinds[groups[m.group].choice] != "context"
    ]
    if not resolved:
        return
    starts = np.asarray([r[0] for r in resolved])
    places = np.asarray([r[1] for r in resolved], dtype=np.int64)
    small = ~np.isin(index.feature[places], ["country", "region"])
    for group in groups:
        if len(group.candidates.places):
            continue
        first = mentions[group.members[0]].start
        pool = np.flatnonzero(small) if small.any() else np.arange(len(places))
        place = int(places[pool[np.argmin(np.abs(starts[pool] - first))]])
        group.candidates = Candidates(np.asarray([place], dtype=np.int64), np.asarray([0.0]), ("context",))
        group.scores = np.asarray([0.0])
        group.choice = 0
        group.confidence = float(_confidences(group.scores, np.asarray([0]), np.asarray([0]), np.asarray([1]))[0])


def _segment_argmax(scores: np.ndarray, owner: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Position of the best score of each group (the first on ties), -1 for a group without candidates."""
    out = np.full(len(sizes), -1, dtype=np.int64)
    filled = sizes.nonzero()[0]
    best = np.maximum.reduceat(scores, starts[filled])
    top = np.full(len(sizes), np.nan)
    top[filled] = best
    hits = (scores == top[owner]).nonzero()[0]
    # Positions are in group order: a group's first hit is where the owner changes.
    hit_owner = owner[hits]
    first = np.ones(len(hits), dtype=bool)
    first[1:] = hit_owner[1:] != hit_owner[:-1]
    out[hit_owner[first]] = hits[first]
    # A group whose best score is NaN has no hit above; np.argmax takes its first NaN.
    for g in filled[out[filled] < 0].tolist():
        out[g] = starts[g] + int(np.argmax(scores[starts[g] : starts[g] + sizes[g]]))
    return out


def _unique_first(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_index=True)`` of a short integer array: the distinct values in
    order and where each occurs first. A dictionary does it without numpy's sorting machinery,
    which costs more than the work on the few chosen places of a document."""
    first: dict[int, int] = {}
    for k, value in enumerate(values.tolist()):
        first.setdefault(value, k)
    ordered = sorted(first)
    return np.asarray(ordered, dtype=values.dtype), np.asarray([first[v] for v in ordered], dtype=np.intp)


def _confidences(scores: np.ndarray, choice: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per group: ``clip(0.5 * best + margin, 0, 1)`` with the margin over the runner-up (0.5 for
    a lone candidate); 0 for a group without candidates."""
    out = np.zeros(len(sizes))
    filled = sizes.nonzero()[0]
    if not len(filled):
        return out
    best = scores[choice[filled]]
    others = scores.copy()
    others[choice[filled]] = -np.inf
    runner_up = np.maximum.reduceat(others, starts[filled])
    margin = np.where(sizes[filled] > 1, best - runner_up, 0.5)
    out[filled] = np.clip(0.5 * best + margin, 0.0, 1.0)
    return out


def _share(
    values: np.ndarray,
    doc: np.ndarray,
    chosen: np.ndarray,
    chosen_weights: np.ndarray,
    owner: np.ndarray,
    chosen_groups: np.ndarray,
    hints: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    n_groups: int,
) -> np.ndarray:
    """Share of its document's weight (the chosen places of the document's OTHER names + its
    hints) on each candidate's value.

    ``values`` are codes of one coded column of the index (0: no value, never shared), one per
    candidate; ``doc`` is each candidate's document; ``chosen`` are positions of chosen
    candidates, of groups ``chosen_groups`` (numbered as ``owner``); ``hints`` are
    :func:`_hint_arrays` of the documents' coded hints. A document with no weight shares 0.
    """
    hint_doc, hint_code, hint_weight, hint_total = hints
    chosen_values = values[chosen]
    chosen_docs = doc[chosen]
    valid = chosen_values > 0
    total = hint_total + np.bincount(chosen_docs[valid], weights=chosen_weights[valid], minlength=len(hint_total))
    # Each document's weight per value, at ``document * width + value``: the chosen places first,
    # then the hints (the order a sum per document would take).
    width = int(values.max()) + 1
    counted = (hint_code > 0) & (hint_code < width)
    totals = np.bincount(
        np.concatenate((chosen_docs[valid] * width + chosen_values[valid], hint_doc[counted] * width + hint_code[counted])),
        weights=np.concatenate((chosen_weights[valid], hint_weight[counted])),
        minlength=len(hint_total) * width,
    )
    in_doc = totals[doc * width + values]
    own = np.zeros(len(values))
    if len(chosen_groups):
        value_by_group = np.zeros(n_groups, dtype=values.dtype)
        weight_by_group = np.zeros(n_groups)
        value_by_group[chosen_groups] = chosen_values
        weight_by_group[chosen_groups] = np.where(valid, chosen_weights, 0.0)
        own = np.where(values == value_by_group[owner], weight_by_group[owner], 0.0)
    doc_total = total[doc]
    return np.divide(in_doc - own, doc_total, out=np.zeros(len(values)), where=doc_total != 0)


def _share_within(
    wide: np.ndarray,
    doc: np.ndarray,
    owner: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    radius: np.ndarray,
    chosen: np.ndarray,
    chosen_groups: np.ndarray,
    chosen_weights: np.ndarray,
) -> np.ndarray:
    """For the ``wide`` candidates: share of the OTHER names' chosen places of their document
    within their radius.

    ``chosen`` are positions in the candidate arrays (``doc``, ``lat``, ``lon``, ``owner``), like
    ``wide``, in increasing order. Each wide candidate is paired with the chosen places of its
    own document only.
    """
    rows = wide.nonzero()[0]
    chosen_docs = doc[chosen]
    first = np.searchsorted(chosen_docs, doc[rows], side="left")
    lengths = np.searchsorted(chosen_docs, doc[rows], side="right") - first
    row = np.repeat(np.arange(len(rows)), lengths)
    pair = _runs(first, lengths)  # positions in ``chosen``, paired with ``rows[row]``
    dist = _haversine_km(lat[rows][row], lon[rows][row], lat[chosen[pair]], lon[chosen[pair]])
    weights = chosen_weights[pair] * (owner[rows][row] != chosen_groups[pair])
    total = np.bincount(row, weights=weights, minlength=len(rows))
    inside = np.bincount(row, weights=weights * (dist <= radius[rows][row]), minlength=len(rows))
    return np.divide(inside, total, out=np.zeros(len(rows)), where=total > 0)


def _runs(first: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``first[k], first[k] + 1, ..., first[k] + lengths[k] - 1`` for each ``k``, one run after
    another (``np.concatenate`` of the ranges, without a Python loop)."""
    ends = np.cumsum(lengths)
    return np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(first - (ends - lengths), lengths)


#: (candidate, chosen place) distances computed in one step by :class:`_DistancesTo` (memory).
PAIRS_PER_STEP = 1_000_000


class _DistancesTo:
    """Great-circle distances (km) from the candidates of each document to its chosen
    candidates, each chosen candidate's column computed once: the second pass of
    :func:`resolve_many` mostly chooses the same places again."""

    def __init__(self, lat: np.ndarray, lon: np.ndarray, doc: np.ndarray, bounds: list[int], owner: np.ndarray) -> None:
        self.doc, self.bounds, self.owner = doc, bounds, owner
        # Radians and the cosine of each candidate's latitude, once (not once per pair).
        self.phi, self.lam = np.radians(lat), np.radians(lon)
        self.cos_phi = np.cos(self.phi)
        #: Chosen position -> the haversine term of :func:`_haversine_radians` (which grows with
        #: the distance) from the candidates of its document, in order; inf for the candidates
        #: of its own group. Only the nearest of each candidate is turned into km.
        self.columns: dict[int, np.ndarray] = {}
        #: Document -> the positions of its candidates.
        self.rows: dict[int, np.ndarray] = {}

    def nearest(self, points: np.ndarray) -> np.ndarray:
        """Per candidate: the distance (km) to the nearest of ``points`` (positions in the
        candidate arrays) in its document and of another group; inf where there is none.

        The points are taken :data:`PAIRS_PER_STEP` (candidate, point) pairs at a time, so that
        the temporary arrays of a long document stay small.
        """
        out = np.full(len(self.owner), np.inf)  # the haversine term until the end
        step: list[tuple[int, np.ndarray]] = []
        pairs = 0
        for p, d in zip(points.tolist(), self.doc[points].tolist()):
            step.append((p, self._rows(d)))
            pairs += len(step[-1][1])
            if pairs >= PAIRS_PER_STEP:
                self._nearest_step(step, out)
                step, pairs = [], 0
        if step:
            self._nearest_step(step, out)
        found = np.isfinite(out)
        out[found] = _haversine_term_km(out[found])
        return out

    def _nearest_step(self, step: list[tuple[int, np.ndarray]], out: np.ndarray) -> None:
        """Lower ``out`` to the distances to the points of ``step`` ((point, its document's
        candidate positions)), computing the columns not yet known."""
        new = [(p, rows) for p, rows in step if p not in self.columns]
        if new:
            lengths = [len(rows) for _, rows in new]
            rows = np.concatenate([rows for _, rows in new])
            others = np.repeat([p for p, _ in new], lengths)
            block = _haversine_term(self.phi[rows], self.lam[rows], self.cos_phi[rows], self.phi[others],
                                    self.lam[others], self.cos_phi[others])
            block[self.owner[rows] == self.owner[others]] = np.inf
            self.columns.update(zip((p for p, _ in new), np.split(block, np.cumsum(lengths)[:-1].tolist())))
        np.minimum.at(out, np.concatenate([rows for _, rows in step]), np.concatenate([self.columns[p] for p, _ in step]))

    def _rows(self, d: int) -> np.ndarray:
        """The positions of document ``d``'s candidates (remembered)."""
        rows = self.rows.get(d)
        if rows is None:
            rows = self.rows[d] = np.arange(self.bounds[d], self.bounds[d + 1])
        return rows


def _haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between points 1 and points 2, element by element (arrays of
    one shape, or shapes that broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    return _haversine_radians(p1, np.radians(lon1), np.cos(p1), p2, np.radians(lon2), np.cos(p2))


def _haversine_radians(
    p1: np.ndarray, l1: np.ndarray, cos1: np.ndarray, p2: np.ndarray, l2: np.ndarray, cos2: np.ndarray
) -> np.ndarray:
    """:func:`_haversine_km` of points given by latitude and longitude in radians and the cosine
    of their latitude."""
    return _haversine_term_km(_haversine_term(p1, l1, cos1, p2, l2, cos2))


def _haversine_term(
    p1: np.ndarray, l1: np.ndarray, cos1: np.ndarray, p2: np.ndarray, l2: np.ndarray, cos2: np.ndarray
) -> np.ndarray:
    """The haversine of the central angle between the points (arguments as for
    :func:`_haversine_radians`): it grows with the distance, so the nearest of many points is
    the one of the least term, found before any arcsine is taken."""
    return np.sin((p2 - p1) / 2) ** 2 + cos1 * cos2 * np.sin((l2 - l1) / 2) ** 2


def _haversine_term_km(a: np.ndarray) -> np.ndarray:
    """Great-circle distance (km) of a :func:`_haversine_term`."""
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def _haversine_matrix(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between every point of set 1 (rows) and set 2 (columns)."""
    return _haversine_km(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :])


def _pair_bonus(
    text: str,
    mentions: list[Mention],
    groups: list[Group],
    names_country: np.ndarray,
    owner: np.ndarray,
    feature: np.ndarray,
    country: np.ndarray,
    admin1: np.ndarray,
    index: GazetteerIndex,
) -> np.ndarray:
    """ "Ramadi, Anbar" / "Paris, Tenn." / "Baghouz in Syria": the next name qualifies this one.

    ``names_country`` says per group whether the name is a country's own ("Iraq");
    ``feature``, ``country`` and ``admin1`` are the candidates' codes in the index.
    """
    pairs: set[tuple[int, int]] = set()
    for k in range(len(mentions) - 1):
        m, nxt = mentions[k], mentions[k + 1]
        if m.group != nxt.group and _PAIR_GAP_RE.fullmatch(text, m.end, nxt.start):
            pairs.add((m.group, nxt.group))
    bonus = np.zeros(len(owner))
    for group, qualifier in pairs:
        if not len(groups[qualifier].candidates.places) or (names_country[group] and names_country[qualifier]):
            continue  # "Georgia, Iraq, Iran": a list of countries, not "town, country"
        theirs = owner == qualifier
        mine = owner == group
        for feat, column, value in (("admin1", admin1, 0.6), ("country", country, 0.4)):
            qualifiers = column[theirs & (feature == index.code_of("feature", feat)) & (column > 0)]
            if len(qualifiers):
                inside = mine & (column[:, None] == qualifiers).any(axis=1)
                bonus += value * inside
                if inside.any():  # "ISIL in Syria" qualifies nothing: no ISIL lies in Syria.
                    for k in groups[group].members:
                        mentions[k].paired = True
                break
    return bonus


def _seat_cities(
    owner: np.ndarray,
    weights: np.ndarray,
    names_country: np.ndarray,
    is_admin1: np.ndarray,
    is_city: np.ndarray,
    admin1: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    population: np.ndarray,
) -> np.ndarray:
    """Candidates that are a city of :data:`SEAT_CITY_PEOPLE` or more named like a province
    candidate that contains it, within :data:`SEAT_CITY_KM` of the province's point, the city's
    name matching at least as well as the province's (``weights``: "Deir es-Zor" folds to both
    the city and the province; an exact and an alternate spelling count alike; never a
    skeleton or fuzzy match; never when the name is also a
    country's: ``names_country``, per group). ``admin1`` holds codes.

    Near its province's point the city is the sharper answer at little risk; a city far from it
    ("New York" the city vs the state) is left to the other evidence.
    """
    out = np.zeros(len(owner), dtype=bool)
    named = MATCH_WEIGHTS["alternate"]  # exact and alternate spellings count alike
    spelled = weights >= MATCH_WEIGHTS["folded"]
    rows = (spelled & is_admin1 & (admin1 > 0)).nonzero()[0]
    if not len(rows):
        return out
    provinces = {(o, a): k for k, o, a in zip(rows.tolist(), owner[rows].tolist(), admin1[rows].tolist())}
    for k in (is_city & spelled & (population >= SEAT_CITY_PEOPLE)).nonzero()[0].tolist():
        if names_country[owner[k]]:
            continue  # "Mexico" is the country, not Mexico City in the State of Mexico
        p = provinces.get((int(owner[k]), int(admin1[k])))
        if p is not None and min(weights[k], named) >= min(weights[p], named):
            out[k] = _within_seat_km(float(lat[k]), float(lon[k]), float(lat[p]), float(lon[p]))
    return out


@lru_cache(maxsize=10_000)
def _within_seat_km(city_lat: float, city_lon: float, province_lat: float, province_lon: float) -> bool:
    """Whether a city lies within :data:`SEAT_CITY_KM` of its province's point (remembered: the
    same few cities and provinces recur across documents)."""
    distance = _haversine_matrix(np.asarray([city_lat]), np.asarray([city_lon]), np.asarray([province_lat]),
                                 np.asarray([province_lon]))
    return bool(distance[0, 0] <= SEAT_CITY_KM)


def keep_on_evidence(mentions: list[Mention], groups: list[Group], index: GazetteerIndex) -> list[bool]:
    """Which mentions are toponyms, on the evidence described in the module docstring."""
    chosen_rows = _chosen_rows(groups)
    kinds = [g.candidates.kinds[g.choice] if g.choice >= 0 else "" for g in groups]
    # The chosen places' columns as Python values, read once per group.
    chosen = chosen_rows.tolist()
    features = index.feature[chosen_rows].tolist()
    prominence = index.prominence[chosen_rows].tolist()
    admin1_codes = index.admin1_code[chosen_rows].tolist()
    strong = [False] * len(mentions)
    for k, m in enumerate(mentions):
        g = m.group
        if chosen[g] < 0:
            continue
        exactish = kinds[g] in ("exact", "alternate")
        strong[k] = m.forced >= 0 or (
            not (m.weak or m.person or m.name_neighbour or m.acronym)
            and (
                (features[g] in _STRONG_FEATURES and exactish)
                or (prominence[g] >= STRONG_PROMINENCE and exactish and len(m.text) > 3)
                or (m.ntokens > 1 and prominence[g] >= 0.45)
                or m.paired
                or m.admin_hint
                or m.city_hint
            )
        )
    anchor_groups = [m.group for k, m in enumerate(mentions) if strong[k]]
    anchor_admin1 = {admin1_codes[g] for g in anchor_groups if isinstance(admin1_codes[g], str)}
    countries = index.country[chosen_rows].tolist()
    anchor_countries = {countries[g] for g in anchor_groups if isinstance(countries[g], str)}
    anchor_points = np.asarray(
        sorted({chosen[g] for g in anchor_groups if features[g] not in ("country", "admin1")}), dtype=np.int64
    )
    near_by_group: list[bool] = []

    def near_anchor(g: int) -> bool:
        """Whether group ``g``'s place lies within :data:`SUPPORT_KM` of another strong place
        of the document. Asked only where a rule needs it (every group is measured at once, on
        the first question)."""
        if not near_by_group:
            near_by_group.extend(_near_anchor(chosen_rows, anchor_points, index).tolist())
        return near_by_group[g]

    sole: dict[int, bool] = {}
    given = first_names()

    def placed_alone(m: Mention, g: int) -> bool:
        """ "clashes in Baghouz", "fighting in Hit": a capitalised name after a locative word,
        spelled as a place with no rival abroad, is that place even with no other place in the
        text, unless the document points to other countries ("Syrian forces shelled Bakkar" is
        no Pakistani Bakkar): a lone locality of the index or, for a common word, a town of some
        size whose own name it is ("Hit" is Hīt; not "Has" for Ha'il). Asked only where a rule
        needs it (:func:`_sole_sense` of a group is computed once)."""
        if not (m.locative and groups[g].at_home and exactish_kind(kinds[g])
                and not groups[g].heads_name  # "at the University of California"
                and m.text.lower() not in given):  # "in Matthew Arnold School"
            return False
        if g not in sole:
            sole[g] = _sole_sense(groups[g], index)
        return sole[g]

    keep = []
    for k, m in enumerate(mentions):
        g = m.group
        if chosen[g] < 0:
            # a loosely spelled name its container did not confirm is no toponym at all
            keep.append(m.forced >= 0 or not (m.weak or m.person or m.acronym or m.loose))
            continue
        if kinds[g] == "vowel":
            # Placed by its vowels where the document is (an unknown name, or a namesake far
            # away): its own evidence, as a name the index lacks.
            keep.append(not (m.weak or m.person or m.acronym))
            continue
        feature = features[g]
        big = feature in _STRONG_FEATURES and kinds[g] in ("exact", "alternate")
        if m.acronym:
            keep.append(feature == "country" or m.paired)
            continue
        if m.person or m.name_neighbour:
            keep.append(big and not m.person or (m.person and feature == "country"))
            continue
        same_admin1 = admin1_codes[g] in anchor_admin1 and feature != "admin1"
        gdelt_only = prominence[g] < 0.3
        if m.weak:
            # Supported by a place nearby, in its province or qualifying it (a locative word is
            # not enough for a weak name).
            keep.append(strong[k] or (not gdelt_only and (same_admin1 or m.paired or near_anchor(g)))
                        or (kinds[g] == "exact" and prominence[g] >= STRONG_PROMINENCE and placed_alone(m, g)))
        elif gdelt_only and m.ntokens == 1:
            # Where the document has strong places in the locality's country, it must be near
            # one ("the al-Jafra area south of Deir el-Zour" is not Idlib's al-Jafra).
            keep.append(m.paired or (m.locative and (same_admin1 or near_anchor(g))) or (same_admin1 and near_anchor(g))
                        or (countries[g] not in anchor_countries and placed_alone(m, g)))
        else:
            # Strong, or supported: a locative word, a qualifier, a place nearby or in its province.
            keep.append(strong[k] or m.locative or m.paired or same_admin1 or near_anchor(g))
    return keep


def _chosen_rows(groups: Sequence[Group]) -> np.ndarray:
    """Each group's chosen place: its index row, -1 for none (read as Python numbers, which
    numpy turns into an array quicker than its own scalars)."""
    return np.asarray([g.candidates.places.item(g.choice) if g.choice >= 0 else -1 for g in groups], dtype=np.int64)


def exactish_kind(kind: str) -> bool:
    """Whether a match kind spells the place (exact, alternate or folded; not a skeleton, fuzzy
    or partial match)."""
    return kind in _SPELLED


def _sole_sense(group: Group, index: GazetteerIndex) -> bool:
    """Whether a group's chosen place has no rival abroad: every candidate in another country
    scores :data:`SOLE_SENSE_MARGIN` or more below it, and none is a town of
    :data:`STRONG_PROMINENCE` spelled so ("Fighting in Ramadi and Aleppo" may tilt Ramadi to a
    Syrian locality, but the Iraqi city is a rival: :func:`fall_back_to_prominent` decides)."""
    if group.choice < 0:
        return False
    places = group.candidates.places
    country = index.codes["country"][places]
    rivals = country != country[group.choice]
    if not rivals.any():
        return True
    # How the few prominent rivals matched (not every candidate's: a name may have hundreds).
    kinds = group.candidates.kinds
    prominent = (rivals & (index.prominence[places] >= STRONG_PROMINENCE)).nonzero()[0].tolist()
    if any(kinds[k] in ("exact", "alternate") for k in prominent):
        return False
    return bool(group.scores[rivals].max() <= group.scores[group.choice] - SOLE_SENSE_MARGIN)


def fall_back_to_prominent(mentions: list[Mention], groups: list[Group], keep: list[bool],
                           index: GazetteerIndex) -> bool:
    """Give a name its prominent sense when its chosen sense is not kept.

    The document's places can tilt a name towards a minor namesake ("Fighting in Ramadi and
    Aleppo": a Syrian locality called Ramadi, because Aleppo is in Syria) that the evidence
    rules then drop as unsupported, and the name vanished with it. A group none of whose
    mentions is kept, that is no person, organisation, acronym or weak word, and whose chosen
    place has GDELT-only prominence, switches to its best-scoring exact or alternate candidate
    of :data:`STRONG_PROMINENCE` or more (the city). Returns True when any group changed; the
    caller runs :func:`keep_on_evidence` again.
    """
    kept_groups = {m.group for m, ok in zip(mentions, keep) if ok}
    changed = False
    for g, group in enumerate(groups):
        if g in kept_groups or group.choice < 0:
            continue
        members = [mentions[k] for k in group.members]
        if any(m.weak or m.person or m.name_neighbour or m.acronym or m.in_organisation for m in members):
            continue
        places = group.candidates.places
        if index.prominence[places[group.choice]] >= 0.3:
            continue
        kinds = group.candidates.kinds[: len(places)]
        spelled = np.asarray([kind in ("exact", "alternate") for kind in kinds], dtype=bool)
        eligible = (index.prominence[places] >= STRONG_PROMINENCE) & spelled
        if not eligible.any():
            continue
        group.choice = int(np.flatnonzero(eligible)[np.argmax(group.scores[eligible])])
        changed = True
    return changed


#: People a city needs to be the sense of its name over a small namesake the document does not
#: support ("London" in a text that names Massachusetts is not a Californian village).
WORLD_CITY_PEOPLE = 1_000_000
#: A namesake at most this big (people) gives way to such a city.
SMALL_NAMESAKE_PEOPLE = 50_000
_SETTLEMENTS = frozenset(("city", "town", "village", "locality"))


def prefer_world_cities(mentions: list[Mention], groups: list[Group], index: GazetteerIndex) -> None:
    """Give a name the city of :data:`WORLD_CITY_PEOPLE` it spells (exactly or as an alternate
    name) when the document's country evidence tilted it to a small namesake
    (:data:`SMALL_NAMESAKE_PEOPLE` or fewer) that nothing in the text places: no container
    qualifies it ("London, Ky."), and no other place the document names lies within
    :data:`SUPPORT_KM` of it or in its province (local news: "Paris" among Tennessee towns). One US state named elsewhere made "the Natural History Museum in
    London" a Californian village of 1,800 people."""
    chosen = _chosen_rows(groups)
    valid = chosen >= 0
    small = np.zeros(len(groups), dtype=bool)
    rows = chosen[valid]
    small[valid] = (index.population[rows] <= SMALL_NAMESAKE_PEOPLE) & index.feature_in(_SETTLEMENTS)[index.codes["feature"][rows]]
    namesakes = small.nonzero()[0].tolist()
    if not namesakes:
        return
    # Most names have no such city among their candidates: the most populous candidate of every
    # namesake's name, read at once.
    sizes = [len(groups[g].candidates.places) for g in namesakes]
    largest = np.maximum.reduceat(
        index.population[np.concatenate([groups[g].candidates.places for g in namesakes])],
        list(accumulate(sizes[:-1], initial=0)),
    )
    for g in np.asarray(namesakes)[largest >= WORLD_CITY_PEOPLE].tolist():
        group = groups[g]
        place = chosen[g]
        places = group.candidates.places
        big = index.population[places] >= WORLD_CITY_PEOPLE
        if any(mentions[k].paired or mentions[k].forced >= 0 or mentions[k].loose or mentions[k].unknown
               for k in group.members):
            continue
        kinds = group.candidates.kinds[: len(places)]
        big &= np.asarray([kind in ("exact", "alternate") for kind in kinds], dtype=bool)
        if not big.any():
            continue
        others = chosen[(chosen >= 0) & (np.arange(len(chosen)) != g)]
        if _near_anchor(np.asarray([place]), others, index)[0] or (
            len(others) and (index.admin1_code[others] == index.admin1_code[place]).any()
        ):
            continue  # a place the text names nearby, or in its province, supports the namesake
        group.choice = int(np.flatnonzero(big)[np.argmax(group.scores[big])])


def _near_anchor(places: np.ndarray, anchor_points: np.ndarray, index: GazetteerIndex) -> np.ndarray:
    """Per place (-1: none): whether another of the ``anchor_points`` lies within
    :data:`SUPPORT_KM`."""
    out = np.zeros(len(places), dtype=bool)
    rows = (places >= 0).nonzero()[0]
    if not len(anchor_points) or not len(rows):
        return out
    found = places[rows]
    dist = _haversine_matrix(index.lat[found], index.lon[found], index.lat[anchor_points], index.lon[anchor_points])
    dist[found[:, None] == anchor_points[None, :]] = np.inf
    out[rows] = dist.min(axis=1) <= SUPPORT_KM
    return out


_PRECISION = {"country": 3, "admin1": 3, "admin2": 3, "region": 2, "desert": 2, "border": 2}


def to_toponym(index: GazetteerIndex, m: Mention, group: Group | None, text: str) -> Toponym:
    """The toponym of mention ``m`` read as its group's chosen place (unresolved without one),
    located by the phrase around it (:func:`gazetteer.relative.relation_around`: "30 km west
    of X", "near X") or, placed by part of its name or by the text around it, near that place.

    The toponym is built once, with its derived fields (a frozen dataclass costs as much to
    copy as to build)."""
    if group is None or group.choice < 0:
        return Toponym(m.start, m.end, m.text, None, None, None, None, None, None, None, 3, 0.0, 0.0,
                       in_organisation=m.in_organisation)
    row = group.candidates.places.item(group.choice)
    place_id, name, lat, lon, country, admin1_code, feature, precision, radius_km = _toponym_fields(index, row)
    score = _rounded_score(group.confidence)
    relation = anchor = None
    found = relation_around(text, m.start, m.end, index=index, row=row, lat=lat, lon=lon, feature=feature,
                            geo_precision=precision, radius_km=radius_km)
    kind = group.candidates.kinds[group.choice]
    if found is not None:
        relation, anchor = found.relation, name
        lat, lon, precision, radius_km = found.lat, found.lon, found.geo_precision, found.radius_km
    elif kind in _UNKNOWN_RADIUS_KM:
        # Placed by part of its name or by the text around it: near that place, not at it.
        relation, anchor = "part of" if kind == "part" else "near", name
        precision = max(2, precision)
        radius_km = max(radius_km, _UNKNOWN_RADIUS_KM[kind])
        score = round(min(score, _UNKNOWN_SCORE[kind]), 3)
    return Toponym(m.start, m.end, m.text, place_id, name, lat, lon, country, admin1_code, feature, precision,
                   radius_km, score, relation, anchor, m.in_organisation)


def _rounded_score(confidence: float) -> float:
    """A group's confidence as its toponyms report it, to 3 decimals: ``round(confidence, 3)``,
    which takes about a microsecond, asked only of a confidence below 1 (most are 1.0, which
    it leaves as it is)."""
    return confidence if confidence == 1.0 else round(confidence, 3)


@lru_cache(maxsize=50_000)
def _toponym_fields(index: GazetteerIndex, i: int) -> tuple[Any, ...]:
    """The fields a toponym takes from place row ``i``, as Python values, remembered (the same
    places recur across documents): place id, name, lat, lon (5 decimals), country, admin-1 code,
    feature, ACLED geo_precision and radius (km, 1 decimal)."""

    def text_or_none(v: object) -> str | None:
        return v if isinstance(v, str) and v else None

    feature = str(index.feature[i])
    return (
        str(index.place_id[i]),
        str(index.name[i]),
        round(float(index.lat[i]), 5),
        round(float(index.lon[i]), 5),
        text_or_none(index.country[i]),
        text_or_none(index.admin1_code[i]),
        feature,
        _PRECISION.get(feature, 1),
        round(float(index.radius_km[i]), 1),
    )


#: Radius (km) and highest score of a toponym placed by part of its name or by its context.
_UNKNOWN_RADIUS_KM = {"partial": 10.0, "context": 50.0, "part": 5.0, "near": 25.0}
_UNKNOWN_SCORE = {"partial": 0.4, "context": 0.1, "part": 0.5, "near": 0.5}

