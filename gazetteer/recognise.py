"""Recognition: the spans of a text that name places in the gazetteer, with their evidence flags.

Capitalised word sequences (with the Arabic article and a few connectors inside, and a trailing
geographic noun such as "desert" or "border") are folded with :func:`gazetteer.normalize.fold`
and looked up in the index all at once, so transliteration variants are found even where a
statistical model has never seen them. US state abbreviations after a comma ("Paris, Tenn.",
"Springfield, IL") are names too.

A name found in the index is not yet a toponym: each :class:`Mention` carries the flags
(person, organisation, locative, weak, ...) that :func:`gazetteer.resolve.keep_on_evidence` weighs after
resolution.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Sequence

import numpy as np

from gazetteer import settings
from gazetteer.index import MATCH_KIND_WEIGHTS, MATCH_KINDS, GazetteerIndex
from gazetteer.normalize import ARTICLES, MAX_NAME_CHARS, _fold_word, fold, fold_words, has_arabic, plain

#: Longest name in words.
MAX_NGRAM = 6
#: Candidates kept per name (most prominent first) before context is weighed.
MAX_CANDIDATES = 40
#: Prominence of places that only GDELT knows (no GeoNames or NGA entry).
GDELT_ONLY_PROMINENCE = 0.3
#: Prominence both halves of "Fargo-Moorhead" need to be taken for two places (a GeoNames town).
HYPHEN_PLACE_PROMINENCE = 0.5
#: Names whose lookups are remembered between documents (a few MB).
CACHE_NAMES = 200_000

#: A word: a letter, then letters or digits, joined by apostrophes, hyphens or underscores; it
#: ends in a letter or digit. Written as runs of letters and digits so the scan rarely backtracks.
#: It is the definition the array tokeniser is tested against, no longer used to split. No
#: possessive quantifiers: CPython before 3.11.5 gets them wrong on a repeated group
#: (gh-106052; "foo_" for "foo" on Debian 12's 3.11.2).
_TOKEN_SPLIT_RE = re.compile(r"([^\W\d_][^\W_]*(?:[_'’‘`ʿ\-]+[^\W_]+)*)")
#: The same words found with array operations (:func:`_token_bounds`), by the class of each
#: character: a letter (``[^\W\d_]``), a digit (``\d``) or a joiner; "ʿ" is a letter too, so a
#: run of letters always takes it first.
_LETTER, _DIGIT, _JOINER = 1, 2, 3
_JOINERS = "_'’‘`-"
_POSSESSIVE = ("'s", "’s")
_SENTENCE_END_RE = re.compile(r"[.!?]\s*[\"'”’)]*\s*$|\n\s*$|^\s*$")
_CONNECTORS = frozenset(
    "of de del della di da du la le les al el ad as an ar at az ash adh bin ibn abu bu upon on sur am im"
    .split()
) | frozenset("ez es ed er et en ul ud ur ut uz ath".split())  # "Deir ez-Zor", "Nasr ed-Din", "Dar ul Aman"
#: Arabic articles written apart before a capitalised word ("Abu al Balaya", "Busra al Hariri"):
#: a name the index found right before one is the start of a longer name it lacks (not the
#: English words "as", "at", "an" of the connectors above).
_ARABIC_ARTICLES = frozenset("al el ez es ed ad ar az ash adh ath ul ud ur uz".split())
#: Words that may join the capitalised words of a name the index lacks ("Abu al Balaya", "Tal
#: Abu Dhahir", "Albu Bali"): Arabic articles and particles.
_NAME_RUN_PARTICLES = _ARABIC_ARTICLES | frozenset("as an at bin ibn abu bu bani beni".split())
#: Nouns after a nationality word that make it name its country as a place ("the Syrian port").
_DEMONYM_PLACE_NOUNS = frozenset(
    """port city town village capital border borders frontier territory territories soil airspace
    coast coastline desert province provinces governorate countryside side mainland waters""".split()
)
_BEARING_WORDS = frozenset(
    "northern southern eastern western north south east west northeastern northwestern southeastern southwestern".split()
)
#: Sites (lower case) that follow their own name: "the Sultanieh mosque", "the al-Quds hospital".
_SITE_NOUNS = frozenset(
    "hospital clinic mosque church school market bakery prison jail bridge dam airport airbase stadium".split()
)
#: Kinds of settlement that introduce a name: "the town of Basida", "the village of Albu Hayat".
_SETTLEMENT_NOUNS = frozenset(
    "town village city hamlet neighbourhood neighborhood district suburb sub-district subdistrict camp".split()
)
_GEO_NOUNS = frozenset("desert border borders area region countryside mountains governorate province".split())
#: Event words that name an event after its place ("the Albu Nimr Massacre", "the Mosul
#: Offensive"): the place is where it happened, not part of a person's or body's name.
_EVENT_NAME_WORDS = frozenset(
    "massacre massacres bombing bombings offensive siege uprising attack attacks".split())
_ORG_WORDS = frozenset(
    """police command operations council university college school airport hospital brigade brigades
    division army forces force times post tribune news herald journal press company corporation corp inc
    bank club church department ministry office committee party front movement guard guards regiment
    battalion unit cell directorate agency authority court prison refinery university's stadium museum
    institute center centre foundation association network observatory commission fc sheriff sheriff's
    county's fire rescue library hall street avenue road boulevard high middle elementary academy services
    service project program programme clinic society administration convention conventions accord accords
    protocol treaty""".split()
)
#: Offices named after their seat ("Laurel County Clerk", "Fargo City Commissioner"): the name
#: before them is a place, and a capitalised word after them a person.
_OFFICE_WORDS = frozenset(
    """clerk commissioner commissioners auditor prosecutor coroner treasurer assessor recorder sheriff governor
    mayor judge attorney superintendent administrator""".split()
)
_FACILITY_WORDS = frozenset("dam bridge airport base airbase refinery prison camp stadium".split())
_TITLES = frozenset(
    """mr mrs ms miss dr president gen general sen senator rep governor mayor judge lt lieutenant col colonel
    capt captain sgt sergeant officer minister king prince princess sheikh shaykh imam pope sir lord lady
    brother sister father saint st commander chief spokesman professor prof coach clerk commissioner auditor
    prosecutor coroner treasurer assessor superintendent sens reps""".split()
)
#: Titles written abbreviated with a full stop ("Gen. Austin"); a full title before a full stop
#: ("... said the Judge. Columbus ...") ends a sentence instead.
_TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen sen sens rep reps gov lt col capt sgt prof st cmdr cpl pvt maj adm supt det insp".split()
)
#: Sites named after the place they are in ("Aleppo Technical College", "T-4 Military Airport",
#: "Dublin Veterans Park", "Walker County Fair"): the place is where things there happen.
_SITE_WORDS = frozenset(
    """airport airbase base hospital clinic school schools university college academy prison jail
    refinery stadium museum library hall church mosque center centre palace park square bridge dam
    camp market hotel station fair festival""".split()
)
#: Abbreviations that stand inside place names with their full stop ("St. Petersburg", "Ft. Worth").
_NAME_ABBREVIATIONS = frozenset(("St", "Ste", "Ft", "Mt", "Pt"))
_CALENDAR = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday""".split()
)
#: Month abbreviations, calendar words when a full stop follows ("Dec. 5").
_MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
#: Words capitalised only because a sentence starts with them; no place name starts with one
#: ("And I think", "But I").
_FUNCTION_WORDS = frozenset(
    "and but or nor so yet if when while then because although though he she they we i you it this these those".split()
)
_DETERMINERS = frozenset("the a an this that these those our his her their its".split())
#: Words right before a name that make it a person ("said Robley", "according to Taylor").
_PERSON_BEFORE = frozenset(("said", "says", "told", "asked", "thanked", "praised"))
_PREPOSITIONS = frozenset("in near at from to outside of into across around toward towards via through".split())
_ADMIN_SUFFIX = frozenset(("province", "governorate", "state", "region", "county", "district", "parish"))
#: A name that ends in one of these carries its own admin-area suffix ("Walker County").
_ADMIN_NAME_END = frozenset(("province", "governorate", "county", "district", "parish"))
_CITY_SUFFIX = frozenset(("city", "town", "village"))

_LOCATIVE = frozenset(
    "in near at from outside into across around toward towards via through inside outskirts".split()
)
#: Verbs of war reporting whose object is a place: "forces entered Baghouz", "shelled Garma"
#: (not "captured" or "seized": "Police captured Qadeer").
_TAKE_PLACE_VERBS = frozenset("entered shelled stormed besieged recaptured retook liberated".split())
_OF_PLACE = frozenset(
    """north south east west northeast northwest southeast southwest town city village province
    governorate district county parish state outskirts suburbs countryside desert region area capital
    residents native""".split()
)
#: Lower-case prefixes hyphened to a name, which is still the name: "the anti-Iraq war protest",
#: "pro-Damascus militias", "post-Saddam Iraq".
_NAME_PREFIXES = frozenset("anti pro post pre non ex pan".split())
#: War reporting's fights over a place: "the battle for Ariha", "the siege of Kobani", "the fall
#: of Raqqa".
_BATTLE_FOR_PLACE = frozenset("battle battles fight fighting siege fall capture recapture liberation".split())
#: Words between a locative word and a name that keep the name locative ("in downtown Pineville").
_PLACE_MODIFIERS = frozenset(
    """downtown uptown central northern southern eastern western rural suburban greater nearby east west
    north south""".split()
)
_PERSON_AFTER = frozenset("said says told added wrote explained noted asked replied testified".split())
#: A name in apposition with a news outlet ("Sana, the Syrian state news agency", "Al-Watan, a
#: pro-government daily") is the outlet.
_MEDIA_APPOSITION_RE = re.compile(
    r",\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){0,4}?(?:(?:news\s+)?agency|newspaper|daily|weekly|broadcaster|"
    r"(?:television|tv|satellite)\s+(?:channel|station|network)|news\s+(?:site|website|outlet|network|channel))\b",
    re.IGNORECASE,
)
#: Lower-case nouns after a name that make it a place's people or bodies ("according to Hopkinton
#: police", "said Mosul residents"), not a person.
_PEOPLE_OF_PLACE = frozenset("police officials authorities residents sources officers troops forces leaders".split())
_PEOPLE_OR_ORG_WORDS = _PEOPLE_OF_PLACE | _ORG_WORDS
#: US party labels before a legislator's home town ("Rep. Barbara Lee, D-Oakland", "(R-Ocilla)").
_PARTY_LABELS = frozenset(("D", "R", "I", "DFL", "GOP"))
#: Where a capitalised word splits: before a capitalised part ("Fargo-Moorhead", "DFL-Cook"), and
#: before a lower-case suffix of three or more letters ending it ("Texas-based", "Saudi-led").
_HYPHEN_SPLIT_RE = re.compile(r"(?<=[^\W\d_])-(?=[A-Z]|[a-z]{3,}$)")
_CONTRACTION_RE = re.compile(r"['’](?:m|re|ve|ll|d|t)$")
# Both start with a literal or a capital letter, so the scan skips quickly to where a match may
# start; the look-behind after the capital is the word boundary before it. The character before
# an abbreviation must not be a full stop (checked in code).
_STATE_AP_RE = re.compile(r"([A-Z](?<!\w[A-Z])(?:[a-z]{1,4}\.|\.\s?[A-Z][a-z]?\.))(?![\w])")
_STATE_POSTAL_RE = re.compile(r", ([A-Z]{2})(?![\w])")
#: A hashtag of words written together ("#IraqAIRSTRIKES", "#AleppoIsBurning").
_HASHTAG_RE = re.compile(r"#([A-Z][A-Za-z]{3,})")
#: The words of a written-together hashtag: capitalised words, or runs of capitals.
_HASHTAG_WORD_RE = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])")
_PLACE_BEFORE_RE = re.compile(r"[A-Z][a-z]+\.?$")
#: World regions that posts and some news write in lower case ("the whole of the middle east is
#: on fire", "malaria infested west africa"): "middle east", or a compass word and a continent,
#: which together are never common words. Read only when the index has the capitalised name as
#: a region.
_LOWER_REGION_RE = re.compile(
    r"(?<![\w-])(middle[ -]east|(?:north|south|east|west|central|south[ -]?east)(?:ern)?"
    r" (?:africa|asia|europe|america))(?![\w-])"
)
#: Words one of which every match of :data:`_LOWER_REGION_RE` holds.
_LOWER_REGION_WORDS = ("middle east", "middle-east", " africa", " asia", " europe", " america")
#: Text between two tokens that :func:`plain` turns into one space: no letter or digit, and
#: something besides the apostrophes and backticks it deletes (checked on ASCII text only).
_SEPARATOR_GAP_RE = re.compile(r"['`]*[^A-Za-z0-9'`][^A-Za-z0-9]*")


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    ntokens: int
    sentence_initial: bool = False
    weak: bool = False
    in_organisation: bool = False
    admin_hint: bool = False
    city_hint: bool = False
    name_neighbour: bool = False
    person: bool = False
    locative: bool = False
    acronym: bool = False
    paired: bool = False
    demonym: bool = False
    forced: int = -1
    group: int = -1
    #: A name the index lacks, found as the run after a head word it knows ("Abu al Balaya"):
    #: no candidates (its skeleton meets villages in Pakistan and Japan), reported unresolved.
    unknown: bool = False
    #: A name the index has only by a looser spelling, right before "in" and its container
    #: ("Jirjanaz in Idlib": Jarjanaz): kept only if such a spelling lies in the container.
    loose: bool = False


@dataclass(frozen=True, slots=True)
class Candidates:
    """Every place one name may denote (index rows) and how well the name matched each."""

    places: np.ndarray
    weights: np.ndarray
    kinds: tuple[str, ...]


NO_CANDIDATES = Candidates(np.empty(0, dtype=np.int64), np.empty(0), ())


class Lookups:
    """Name lookups against one index, remembered between documents (names repeat a lot)."""

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index
        self.key_ids: dict[str, int] = {}
        self.candidates: dict[str, Candidates] = {}
        self.country_place = {
            str(index.country[i]): int(i)
            for i in np.flatnonzero(index.codes["feature"] == index.code_of("feature", "country"))
        }
        #: Whether a word is a country's own name (:func:`_names_a_country`), per word seen.
        self.country_words: dict[str, bool] = {}
        #: Whether an all-capital word is a region's name (:func:`_names_a_region`), per word seen.
        self.region_words: dict[str, bool] = {}
        self._country_keys: frozenset[bytes] | None = None

    @property
    def country_keys(self) -> frozenset[bytes]:
        """The folded keys under which the index lists a country (computed once, on demand)."""
        if self._country_keys is None:
            index = self.index
            rows = np.asarray(sorted(self.country_place.values()), dtype=index.post_place.dtype)
            at = np.flatnonzero(np.isin(index.post_place, rows))
            key_ids = np.unique(np.searchsorted(index.key_offsets, at, side="right") - 1)
            self._country_keys = frozenset(index.keys[key_ids].tolist())
        return self._country_keys

    def found(self, surfaces: Sequence[str], *, key_of: Callable[[int], str] | None = None) -> list[bool]:
        """Whether each surface form folds to a key of the index (vectorised for new ones).

        ``key_of(k)``, if given, is ``fold(surfaces[k])`` computed some quicker way; it is
        called only for surfaces not seen before.
        """
        # Emptied first: emptied after the new names were listed, the names seen before would
        # be missing below (a KeyError once a long-running process had seen CACHE_NAMES names).
        if len(self.key_ids) > CACHE_NAMES:
            self.key_ids.clear()
        missing = set(surfaces).difference(self.key_ids)
        if missing:
            if key_of:
                # In the order given (n-grams from one token one after the other, which
                # :class:`_NgramKeys` keys one from the other).
                first: dict[str, int] = {}
                for k, s in enumerate(surfaces):
                    if s in missing and s not in first:
                        first[s] = k
                missing = list(first)
                keys = [key_of(k) for k in first.values()]
            else:
                keys = [fold(s) for s in missing]
            ids = self.index.key_ids(keys)
            self.key_ids.update(zip(missing, ids.tolist()))
        return [self.key_ids[s] >= 0 for s in surfaces]

    def of(self, surface: str, *, fuzzy: bool = False) -> Candidates:
        """The candidates of a name, the most prominent :data:`MAX_CANDIDATES` first."""
        key = f"~{surface}" if fuzzy else surface
        hit = self.candidates.get(key)
        if hit is not None:
            return hit
        if len(self.candidates) > CACHE_NAMES:
            self.candidates.clear()
        # The key id recognition found for an ASCII surface is that of its folded key (for other
        # text ``fold`` and ``fold_plain(plain(...))`` may differ, so it is looked up again).
        key_id = self.key_ids.get(surface) if surface.isascii() else None
        places, codes = self.index.candidate_arrays(surface[:MAX_NAME_CHARS], fuzzy=fuzzy, key_id=key_id)
        result = self._ranked(places, codes, MATCH_KIND_WEIGHTS[codes])
        self.candidates[key] = result
        return result

    def prefetch(self, surfaces: Iterable[str]) -> None:
        """Remember the candidates of many names at once (what :meth:`of` would find for each).

        Only new ASCII names whose folded key recognition found in the index are looked up here,
        with a few array operations for all of them instead of a dozen per name; :meth:`of` does
        the rest one by one.
        """
        new = [
            s for s in dict.fromkeys(surfaces)
            if s not in self.candidates and s.isascii() and self.key_ids.get(s, -1) >= 0
        ]
        if not new:
            return
        if len(self.candidates) > CACHE_NAMES:
            self.candidates.clear()
        places, codes, offsets = self.index.key_candidate_arrays(
            [plain(s[:MAX_NAME_CHARS]) for s in new], np.asarray([self.key_ids[s] for s in new], dtype=np.int64)
        )
        weights = MATCH_KIND_WEIGHTS[codes]
        bounds = offsets.tolist()
        for k, surface in enumerate(new):
            run = slice(bounds[k], bounds[k + 1])
            self.candidates[surface] = self._ranked(places[run], codes[run], weights[run])

    def _ranked(self, places: np.ndarray, codes: np.ndarray, weights: np.ndarray) -> Candidates:
        """Candidates from a name's places, match-kind codes and their weights: the most
        prominent :data:`MAX_CANDIDATES`."""
        if not len(places):
            return NO_CANDIDATES
        if len(places) > MAX_CANDIDATES:
            keep = np.argsort(-(self.index.prominence[places] + weights), kind="stable")[:MAX_CANDIDATES]
            places, weights, codes = places[keep], weights[keep], codes[keep]
        return Candidates(places, weights, tuple(MATCH_KINDS[c] for c in codes.tolist()))

    def forced(self, place: int) -> Candidates:
        return Candidates(np.asarray([place], dtype=np.int64), np.asarray([1.0]), ("exact",))


_LOOKUPS: Lookups | None = None


def lookups_for(index: GazetteerIndex) -> Lookups:
    global _LOOKUPS
    if _LOOKUPS is None or _LOOKUPS.index is not index:
        _LOOKUPS = Lookups(index)
    return _LOOKUPS


def _read_words(name: str) -> frozenset[str]:
    path = settings.data_dir() / "gazetteer" / name
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    """Words rarely meant as a place when alone (``data/gazetteer/stoplist.txt``)."""
    return _read_words("stoplist.txt")


@lru_cache(maxsize=1)
def arabic_head_words() -> frozenset[str]:
    """Generic words that begin Arabic place names ("Abu", "Ayn", "Deir", "Jabal"), lower case
    (``data/gazetteer/arabic_head_words.txt``)."""
    return _read_words("arabic_head_words.txt")


@lru_cache(maxsize=1)
def organisations() -> dict[str, list[tuple[str, int, bool]]]:
    """Organisations whose names contain place names (``data/gazetteer/organisations.csv``), by
    each run of their words: ``{"al-awsat": [("asharq al-awsat", 7, False)], ...}`` holds the
    whole name, where the run starts in it (characters) and whether the places inside it are
    context ("Islamic State of Iraq and Syria": kept as ``in_organisation``) or no places at all
    ("Asharq Al-Awsat", "Al Jazeera", "Ahrar al-Sham": dropped). Lower case."""
    path = settings.data_dir() / "gazetteer" / "organisations.csv"
    out: dict[str, list[tuple[str, int, bool]]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["name"].strip().lower()
            words = [m.start() for m in re.finditer(r"\S+", name)]
            ends = [m.end() for m in re.finditer(r"\S+", name)]
            for a in range(len(words)):
                for b in range(a, len(words)):
                    out.setdefault(name[words[a] : ends[b]], []).append((name, words[a], row["places"] == "context"))
    return out


def _organisation_around(text: str, start: int, end: int) -> bool | None:
    """Whether ``text[start:end]`` lies inside the name of a listed organisation: None if not,
    True if the places in that name are context, False if its words name no place."""
    entries = organisations().get(text[start:end].lower())
    if not entries:
        return None
    for name, offset, context in entries:
        begin = start - offset
        if begin >= 0 and text[begin : begin + len(name)].lower() == name:
            after = text[begin + len(name) : begin + len(name) + 1]
            if not (after.isalnum() or (begin and text[begin - 1].isalnum())):
                return context
    return None


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str | None]:
    """Demonyms ("Iraqi", "Syrian") and the country they point to (``data/gazetteer/demonyms.csv``).

    A demonym is never recognised as a toponym; it is a soft hint about the document's
    countries, and a gold span that is a demonym resolves to its country.
    """
    path = settings.data_dir() / "gazetteer" / "demonyms.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["demonym"]: (row["country"] or None) for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def state_abbreviations() -> dict[str, tuple[str, str]]:
    """US state abbreviations, AP style ("Tenn.") and postal ("TN"), to (ISO 3166-2, style)."""
    path = settings.data_dir() / "gazetteer" / "us_state_abbreviations.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["abbreviation"]: (row["admin1_code"], row["style"]) for row in csv.DictReader(fh)}


@dataclass(frozen=True, slots=True)
class _Tokens:
    """The word tokens of a text as parallel lists (character offsets and the words)."""

    starts: list[int]
    ends: list[int]
    words: list[str]
    capital: list[bool]
    caps: list[int]


def _tokens(text: str) -> _Tokens:
    """The word tokens of one text (:func:`_tokens_many`)."""
    return _tokens_many([text])[0]


def _tokens_many(texts: Sequence[str]) -> list[_Tokens]:
    """Word tokens of each text, with which are capitalised; a possessive "'s" is cut off, and a
    capitalised word is split at a hyphen before a capitalised part or a final lower-case suffix
    ("Fargo-Moorhead", "Texas-based"; n-grams rejoin "Abu-Kamal", "Port-au-Prince").

    The words are those :data:`_TOKEN_SPLIT_RE` finds, found for all the texts at once with array
    operations (:func:`_token_bounds`); Python touches only the tokens that are not a lower-case
    ASCII letter followed by letters alone.
    """
    joined = "\n".join(texts)  # a line break joins no words
    starts_all, ends_all, special_all, words_all = _token_bounds(joined)
    text_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    cuts = np.searchsorted(starts_all, text_starts).tolist() + [len(starts_all)]
    out = []
    for k, text in enumerate(texts):
        first, last = cuts[k], cuts[k + 1]
        offset = int(text_starts[k])
        out.append(_tokens_of(
            (starts_all[first:last] - offset).tolist(),
            (ends_all[first:last] - offset).tolist(),
            words_all[first:last],
            np.flatnonzero(special_all[first:last]).tolist(),
        ))
    return out


@lru_cache(maxsize=1)
def _character_classes() -> tuple[np.ndarray, np.ndarray]:
    """For every code point of the Basic Multilingual Plane: its class (0, :data:`_LETTER`,
    :data:`_DIGIT`, :data:`_JOINER`) and whether it is alphabetic (``str.isalpha``); built once
    (about 0.05 s), from the regular expression's own classes."""
    chars = "".join(map(chr, range(0x10000)))
    classes = np.zeros(0x10000, dtype=np.uint8)
    classes[[m.start() for m in re.finditer(r"[^\W\d_]", chars)]] = _LETTER
    classes[[m.start() for m in re.finditer(r"\d", chars)]] = _DIGIT
    classes[[ord(c) for c in _JOINERS]] = _JOINER
    alpha = np.fromiter(map(str.isalpha, chars), dtype=bool, count=0x10000)
    return classes, alpha


def _token_bounds(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Start and end offsets of the words :data:`_TOKEN_SPLIT_RE` finds in ``text``, whether
    each is special (not a lower-case ASCII letter followed by letters alone), and the words.

    A word is a run of letters and digits, runs joined by joiners (a run of ``_'’‘`-`` between
    two of them), from the first letter of such a chain to its end: the regular expression
    starts at a letter and takes every run the chain joins.
    """
    if not text:
        return _NO_OFFSETS, _NO_OFFSETS, np.empty(0, dtype=bool), []
    table, alpha_table = _character_classes()
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    n = len(points)
    if points.max() < 0x10000:
        classes, alpha = table[points], alpha_table[points]
    else:
        classes, alpha = _astral_classes(points, table, alpha_table)
    alnum = (classes == _LETTER) | (classes == _DIGIT)
    # Runs of joiners with a letter or digit on both sides belong to the chain they join.
    joiner = np.concatenate(([False], classes == _JOINER, [False]))
    edges = np.flatnonzero(joiner[1:] != joiner[:-1])
    run_starts, run_ends = edges[0::2], edges[1::2]
    inside = (run_starts > 0) & (run_ends < n)
    inside[inside] = alnum[run_starts[inside] - 1] & alnum[run_ends[inside]]
    member = alnum
    if inside.any():
        cover = np.zeros(n + 1, dtype=np.int32)
        np.add.at(cover, run_starts[inside], 1)
        np.add.at(cover, run_ends[inside], -1)
        member = alnum | (np.cumsum(cover[:-1], dtype=np.int32) > 0)
    member = np.concatenate(([False], member, [False]))
    edges = np.flatnonzero(member[1:] != member[:-1])
    chain_starts, chain_ends = edges[0::2], edges[1::2]
    letters = np.flatnonzero(classes == _LETTER)
    first = np.searchsorted(letters, chain_starts)
    has_letter = first < len(letters)
    has_letter[has_letter] = letters[first[has_letter]] < chain_ends[has_letter]
    starts, ends = letters[first[has_letter]], chain_ends[has_letter]
    # Special: the first character is no lower-case ASCII letter, or one character is no letter.
    not_alpha = np.concatenate(([0], np.cumsum(~alpha, dtype=np.int32)))
    first_points = points[starts]
    special = (first_points < 0x61) | (first_points > 0x7A) | (not_alpha[ends] > not_alpha[starts])
    # The words themselves: every other character a space, then one C-level split.
    cover = np.zeros(n + 1, dtype=np.int32)
    cover[starts] += 1
    cover[ends] -= 1
    kept = np.where(np.cumsum(cover[:-1], dtype=np.int32) > 0, points, np.uint32(0x20))  # still "<u4"
    words = kept.tobytes().decode("utf-32-le", "surrogatepass").split()
    return starts, ends, special, words


def _astral_classes(points: np.ndarray, table: np.ndarray, alpha_table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_character_classes` of code points some of which lie beyond the Basic
    Multilingual Plane (emoji, historic scripts), those read one by one."""
    small = points < 0x10000
    classes = np.zeros(len(points), dtype=np.uint8)
    alpha = np.zeros(len(points), dtype=bool)
    classes[small], alpha[small] = table[points[small]], alpha_table[points[small]]
    for k in np.flatnonzero(~small).tolist():
        char = chr(points[k])
        classes[k] = _LETTER if re.fullmatch(r"[^\W\d_]", char) else _DIGIT if re.fullmatch(r"\d", char) else 0
        alpha[k] = char.isalpha()
    return classes, alpha


_NO_OFFSETS = np.empty(0, dtype=np.int64)


def _tokens_of(starts: list[int], ends: list[int], words: list[str], special: list[int]) -> _Tokens:
    """:class:`_Tokens` from the words of one text and the positions of its special ones."""
    # One pass over them cuts possessives, finds the words to split at a hyphen and which
    # tokens are capitalised, at their indices once the split pieces are in (``shift`` counts
    # the pieces added before token ``k``).
    splits: list[tuple[int, list[str]]] = []
    caps: list[int] = []
    shift = 0
    for k in special:
        word = words[k]
        if len(word) > 3 and word[-2:] in _POSSESSIVE:
            word = words[k] = word[:-2]
            ends[k] -= 2
        if "-" in word:
            pieces = _hyphen_pieces(word)
            if pieces:
                splits.append((k, pieces))
                caps.extend(k + shift + n for n, piece in enumerate(pieces) if _is_capitalised(piece))
                shift += len(pieces) - 1
                continue
        # A capitalised word without an apostrophe needs no closer look (most of them).
        if (word[0].isupper() and "'" not in word and "’" not in word) or _is_capitalised(word):
            caps.append(k + shift)
    for k, pieces in reversed(splits):
        offset = starts[k]
        piece_starts, piece_ends = [], []
        for piece in pieces:
            piece_starts.append(offset)
            piece_ends.append(offset + len(piece))
            offset += len(piece) + 1
        words[k : k + 1] = pieces
        starts[k : k + 1] = piece_starts
        ends[k : k + 1] = piece_ends
    capital = [False] * len(words)
    for k in caps:
        capital[k] = True
    return _Tokens(starts, ends, words, capital, caps)


def _hyphen_pieces(word: str) -> list[str] | None:
    """The parts a hyphenated token is split into ("Fargo-Moorhead", "Texas-based", "anti-Iraq"),
    or None when it stays whole ("al-Anbar", "well-known")."""
    if word[0].isupper():
        pieces = [p for p in _HYPHEN_SPLIT_RE.split(word) if p]
        return pieces if len(pieces) > 1 else None
    head, _, tail = word.partition("-")
    if head.lower() in _NAME_PREFIXES and tail[:1].isupper():
        return [head, tail]  # "anti-Iraq", "pro-Assad"
    return None


#: Not yet looked at (a value None cannot mean).
_UNSEEN = object()


class _NgramKeys:
    """Fold keys of one text's n-grams, from the :func:`plain` words of each token made once.

    When an n-gram is ASCII, no longer than :data:`MAX_NAME_CHARS`, its tokens start and end
    with a letter or digit and every gap matches :data:`_SEPARATOR_GAP_RE`, ``plain`` of the
    n-gram is the tokens' plain forms joined by spaces (``plain`` works character by character
    on ASCII and turns each gap into one space), so its key is :func:`fold_words` of the
    tokens' plain words. Any other n-gram is folded whole.

    When no word of the n-gram is an article (which ``fold_words`` drops or joins depending on
    the word after it), its key is the folded words of each token one after the other, a
    doubled letter where two meet made one; and the key of tokens ``i`` to ``j`` is that of
    ``i`` to ``j - 1`` with token ``j``'s words added, so n-grams asked for in order (as
    :func:`_recognise` lists them) each fold one token only.
    """

    def __init__(self, text: str, toks: _Tokens) -> None:
        self.text = text
        self.toks = toks
        #: Token -> its plain words (None: not ASCII with a letter or digit at each end).
        self.words: dict[int, tuple[str, ...] | None] = {}
        #: Token -> its words folded one by one (None: one of them is an article).
        self.folded: dict[int, tuple[str, ...] | None] = {}
        #: Token -> whether the gap after it is one that ``plain`` turns into one space.
        self.gaps: dict[int, bool] = {}
        #: The last n-gram keyed from article-free words: first token, end token, key.
        self.last: tuple[int, int, str] | None = None

    def key(self, i: int, j: int) -> str:
        """``fold`` of the text from token ``i`` to token ``j - 1``."""
        text, starts, ends = self.text, self.toks.starts, self.toks.ends
        if ends[j - 1] - starts[i] > MAX_NAME_CHARS:
            return fold(text[starts[i] : ends[j - 1]])
        last = self.last
        if last is not None and last[0] == i and last[1] == j - 1:
            first, key = j - 1, last[2]
        else:
            first, key = i, ""
        for k in range(first, j):
            if k > i and not self._gap_ok(k - 1):
                self.last = None
                return fold(text[starts[i] : ends[j - 1]])
            parts = self.folded.get(k, _UNSEEN)
            if parts is _UNSEEN:
                parts = self.folded[k] = self._folded(k)
            if parts is None:
                self.last = None
                return self._general(i, j)
            for part in parts:
                if key and part[0] == key[-1] and "a" <= part[0] <= "z":
                    part = part[1:]  # "Tall" + "Lahm": one l, as the whole name folds
                key += part
        self.last = (i, j, key)
        return key

    def _words(self, k: int) -> tuple[str, ...] | None:
        part = self.words.get(k, _UNSEEN)
        if part is _UNSEEN:
            start, end = self.toks.starts[k], self.toks.ends[k]
            part = self.words[k] = _token_words(self.text[start:end])
        return part

    def _folded(self, k: int) -> tuple[str, ...] | None:
        words = self._words(k)
        if words is None or any(w in ARTICLES for w in words):
            return None
        return tuple(part for w in words for part in _fold_word(w))

    def _gap_ok(self, k: int) -> bool:
        gap_ok = self.gaps.get(k)
        if gap_ok is None:
            gap = self.text[self.toks.ends[k] : self.toks.starts[k + 1]]
            gap_ok = self.gaps[k] = gap == " " or (gap.isascii() and bool(_SEPARATOR_GAP_RE.fullmatch(gap)))
        return gap_ok

    def _general(self, i: int, j: int) -> str:
        """:meth:`key` by :func:`fold_words` of all the words (an article among them)."""
        text, starts, ends = self.text, self.toks.starts, self.toks.ends
        words: list[str] = []
        for k in range(i, j):
            part = self._words(k)
            if part is None:
                return fold(text[starts[i] : ends[j - 1]])
            if k + 1 < j and not self._gap_ok(k):
                return fold(text[starts[i] : ends[j - 1]])
            words.extend(part)
        return fold_words(words)


@lru_cache(maxsize=1 << 16)
def _token_words(token: str) -> tuple[str, ...] | None:
    """The words of :func:`plain` of one token, or None when the token is not ASCII with a
    letter or digit at each end; remembered: a document's new names are mostly made of words
    earlier documents used ("President", "Province")."""
    if not (token.isascii() and token[0].isalnum() and token[-1].isalnum()):
        return None
    if token.isalpha():
        return (token.lower(),)  # what ``plain`` gives an ASCII word of letters alone
    return tuple(plain(token).split())


def _is_capitalised(word: str) -> bool:
    first = word[0]
    if first.isupper():
        return not (_CONTRACTION_RE.search(word) if ("'" in word or "’" in word) else False)
    if first >= "\u0600" and has_arabic(first):
        return True
    # "al-Anbar", "el-Fasher", "ad-Din": a lower-case article fused to a capitalised name.
    head, sep, tail = word.partition("-")
    return bool(sep) and head in _CONNECTORS and bool(tail) and tail[0].isupper()


def _sentence_starts_at(text: str, start: int) -> bool:
    """Whether the characters right before ``start`` end a sentence (or are nothing but white
    space): most names follow a word and a space ("in Ramadi"), which never do."""
    if start >= 2 and text[start - 1] == " " and text[start - 2].isalnum():
        return False
    return _ends_sentence(text[max(0, start - 4) : start])


@lru_cache(maxsize=4096)
def _ends_sentence(before: str) -> bool:
    """The few characters ``before`` a word end a sentence (or are nothing but white space);
    remembered, as the same few strings (". ", "in ") come back all the time."""
    return bool(_SENTENCE_END_RE.search(before))


def _gap_ok(gap: str) -> bool:
    """The text between two tokens lets them belong to one name (a space, a hyphen, an apostrophe),
    not a dash set off by spaces, which parts a dateline from its story ("ALEPPO – A car bomb")."""
    if gap == " ":
        return True  # most gaps, answered first
    return len(gap) <= 3 and gap.strip(" -‐–'’") == "" and not (len(gap) == 3 and gap[0] == gap[2] == " " and gap[1] in "-‐–")


def special_spans(text: str, index: GazetteerIndex, lookups: Lookups) -> list[Mention]:
    """State abbreviations after a place ("Paris, Tenn.", "Fargo, ND"), dotted acronyms ("U.S.")
    and places inside written-together hashtags ("#IraqAIRSTRIKES")."""
    states = state_abbreviations()
    out: list[Mention] = []
    for m in _STATE_AP_RE.finditer(text):
        if m.start() and text[m.start() - 1] == ".":
            continue
        word = m.group(1)
        entry = states.get(word) or states.get(word.replace(" ", ""))
        after_comma = text[max(0, m.start() - 2) : m.start()] == ", "
        if entry is None:
            if word.count(".") >= 2 and len(word) <= 5:
                out.append(Mention(m.start(), m.end(), word, 1, acronym=True))
            continue
        dotted = word.count(".") >= 2
        if not (after_comma or dotted):
            continue
        place = index.index_of(f"ne:{entry[0]}")
        if place is not None:
            out.append(Mention(m.start(), m.end(), word, 1, forced=place, locative=True))
    for m in _STATE_POSTAL_RE.finditer(text):
        entry = states.get(m.group(1))
        start = m.start(1)
        before = text[max(0, start - 30) : start - 2]
        if entry is None or not _PLACE_BEFORE_RE.search(before):
            continue
        place = index.index_of(f"ne:{entry[0]}")
        if place is not None:
            out.append(Mention(start, m.end(), m.group(1), 1, forced=place, locative=True))
    out.extend(_hashtag_places(text, lookups))
    out.extend(_lower_case_regions(text, lookups))
    out.sort(key=lambda m: m.start)
    return out


def _lower_case_regions(text: str, lookups: Lookups) -> list[Mention]:
    """World regions written in lower case ("the middle east", "west africa"), forced to the
    region the index has under the capitalised name (:data:`_LOWER_REGION_RE`)."""
    if not any(word in text for word in _LOWER_REGION_WORDS):
        return []  # the common case, at the cost of a few substring searches
    out = []
    for m in _LOWER_REGION_RE.finditer(text):
        name = m.group(1).replace("middle-east", "middle east").title()
        regions = _spelled_places(lookups, name, ("region",))
        if regions:
            out.append(Mention(m.start(), m.end(), m.group(1), len(m.group(1).split()), forced=regions[0]))
    return out


def _hashtag_places(text: str, lookups: Lookups) -> list[Mention]:
    """The place a written-together hashtag starts or ends with: "Iraq" in "#IraqAIRSTRIKES",
    "Aleppo" in "#AleppoIsBurning", "Gaza" in "#SaveGaza". Only a country, province, region
    or city of 100,000 people spelled exactly so counts (hashtags are full of words that are
    also villages: "#ComeTogether", "#PeaceOut"). A hashtag that is one word ("#Syria") is
    read as any word is."""
    stop = stoplist()
    out = []
    for m in _HASHTAG_RE.finditer(text):
        words = list(_HASHTAG_WORD_RE.finditer(m.group(1)))
        if len(words) < 2 or words[0].start() != 0 or words[-1].end() != len(m.group(1)):
            continue
        for w in (words[0], words[-1]):
            word = w.group(0)
            if len(word) < 4 or word.lower() in stop or not word[1:].islower():
                continue
            if _names_a_major_place(lookups, word):
                start = m.start(1) + w.start()
                out.append(Mention(start, start + len(word), word, 1))
                break
    return out


#: People a city must have to be read inside a written-together hashtag.
HASHTAG_CITY_PEOPLE = 100_000


def _names_a_major_place(lookups: Lookups, word: str) -> bool:
    """Whether ``word`` is the exact name of a country, province, region or large city."""
    index = lookups.index
    cands = lookups.of(word)
    for place, kind in zip(cands.places.tolist(), cands.kinds):
        if kind == "exact" and (
            index.feature[place] in ("country", "admin1", "region") or index.population[place] >= HASHTAG_CITY_PEOPLE
        ):
            return True
    return False


def recognise(text: str, index: GazetteerIndex, *, with_demonyms: bool = False) -> list[Mention]:
    """Spans of ``text`` that name places in the index (longest match, left to right).

    Every span found is returned with the flags the evidence rules of
    :func:`gazetteer.resolve.keep_on_evidence` read. With ``with_demonyms``, nationality words
    with a country in ``data/gazetteer/demonyms.csv`` ("Iraqi", "Syrians") are mentions too,
    forced to their country and marked ``demonym``.
    """
    return _recognise(text, _tokens(text), index, with_demonyms=with_demonyms)


def recognise_many(texts: Sequence[str], index: GazetteerIndex, *, with_demonyms: bool = False) -> list[list[Mention]]:
    """:func:`recognise` of each text, the texts tokenised together (one set of array
    operations for all of them)."""
    return [
        _recognise(text, toks, index, with_demonyms=with_demonyms)
        for text, toks in zip(texts, _tokens_many(texts))
    ]


def _recognise(text: str, toks: _Tokens, index: GazetteerIndex, *, with_demonyms: bool) -> list[Mention]:
    """:func:`recognise` of a text already tokenised."""
    lookups = lookups_for(index)
    if not toks.caps:
        return _lower_case_regions(text, lookups)  # "conflict across the middle east"
    starts, ends, words, capital = toks.starts, toks.ends, toks.words, toks.capital
    n = len(words)
    special = special_spans(text, index, lookups)
    if special:
        covered = set()
        for s in special:
            covered.update(range(s.start, s.end))
        capital = capital[:]
        for k in toks.caps:
            if starts[k] in covered:
                capital[k] = False
        caps = [k for k in toks.caps if capital[k]]
    else:
        covered = None
        caps = toks.caps
    # Every sequence of up to MAX_NGRAM tokens that starts with a capitalised word and goes on
    # through capitalised words, connectors ("of", "al") and geographic nouns ("desert").
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    for i in caps:
        if words[i].lower() in _FUNCTION_WORDS:
            continue
        start = starts[i]
        spans.append((i, i + 1))
        texts.append(words[i])
        for j in range(i + 1, min(i + MAX_NGRAM, n)):
            gap = text[ends[j - 1] : starts[j]]
            if gap != " " and not (_gap_ok(gap) or (gap in (". ", ".") and words[j - 1] in _NAME_ABBREVIATIONS)):
                break
            if covered is not None and starts[j] in covered:
                break
            low = words[j].lower()
            if low in _CONNECTORS or (low == "the" and words[j - 1].lower() == "of"):
                continue  # "Deir ez-Zor", "Democratic Republic of the Congo"
            if not capital[j] and low not in _GEO_NOUNS:
                break
            if words[j] == "I":
                break  # the pronoun: "in Iraq I served" is not the Afghan locality "Iraqi"
            spans.append((i, j + 1))
            texts.append(text[start : ends[j]])
    ends_at: dict[int, list[int]] = {}
    keys = _NgramKeys(text, toks)
    for (i, j), ok in zip(spans, lookups.found(texts, key_of=lambda k: keys.key(*spans[k]))):
        if ok:
            ends_at.setdefault(i, []).append(j)
    best_at = {i: _longest(i, found, words, text, starts, ends, lookups) for i, found in ends_at.items()}
    demonym = demonyms()
    if with_demonyms:
        for k in caps:
            if demonym.get(words[k]) and k not in best_at:
                best_at[k] = k + 1
    introduced = _introduced_names(toks, caps, capital, best_at, text)
    best_at.update(introduced)
    located = _demonyms_of_places(toks, caps, best_at, text)
    best_at.update(located)
    contained = _contained_unknown_names(toks, caps, capital, best_at, text)
    best_at.update(contained)
    best_at.update(_compass_named(toks, capital, best_at, text, lookups))
    if not best_at and not special:
        return []
    person_words = _person_words(text, toks, capital)
    wordset = set(words)
    titled = _TitleCaseLines(text)
    mentions: list[Mention] = []
    stop = stoplist()
    heads = arabic_head_words()
    orgs = organisations()
    given = first_names()
    said_persons: set[str] = set()
    i = 0
    for i0 in sorted(best_at):
        if i0 < i:
            continue
        i, j = i0, best_at[i0]
        if j == i + 1 and j < n and _gap_ok(text[ends[i] : starts[j]]) and (
            (words[i].lower() in heads and capital[j]) or _arabic_article_before_name(toks, j, text)
        ):
            # "Abu al Balaya", "Jabal Barzeh", "Busra al Hariri": the index knows only the first
            # word; the name is the whole run, which the index lacks (reported unresolved).
            j = _name_run_end(toks, capital, j, text)
        first_start, last_end = starts[i], ends[j - 1]
        unknown = j > best_at[i0] or i0 in introduced
        sentence_initial = i == 0 or (
            _sentence_starts_at(text, first_start)
            and not _after_initial(toks, i, text)
        )
        # The mention is made once the name has passed the tests that drop a third of them.
        name, ntokens, loose = text[first_start:last_end], j - i, i0 in contained and not unknown
        prev = i - 1 if i > 0 else -1
        nxt = j if j < n else -1
        i = j
        single = ntokens == 1
        low = name.lower()
        if name in demonym:
            country = demonym[name]
            place = lookups.country_place.get(country) if (with_demonyms or i0 in located) and country else None
            if place is not None and single:
                mentions.append(Mention(first_start, last_end, name, ntokens, sentence_initial, forced=place,
                                        demonym=True, unknown=unknown, loose=loose))
            continue
        if low in _CALENDAR or len(name) == 1:
            continue
        organisation = _organisation_around(text, first_start, last_end) if low in orgs else None
        if organisation is False:
            continue  # "Asharq Al-Awsat", "Al Jazeera", "Ahrar al-Sham": no place meant.
        if text[last_end : last_end + 1] == "," and _MEDIA_APPOSITION_RE.match(text, last_end, last_end + 80):
            continue  # "Sana, the Syrian state news agency": the outlet, not Yemen's capital.
        if not single and low.startswith("the ") and all(w in stop for w in low.split()[1:]):
            continue  # "The City", "The State": a common noun with its article.
        if single and low in _MONTH_ABBREVIATIONS and text[last_end : last_end + 1] == ".":
            continue
        if (
            prev >= 0
            and words[prev].lower() in _TITLES
            and words[prev] not in _NAME_ABBREVIATIONS
            and _title_before(words[prev], text[ends[prev] : first_start])
        ):
            continue  # "President Jackson", "Gen. Austin": a person.
        country_caps = single and name.isupper() and _names_a_country(name, lookups) and not (
            _in_capitals(toks, prev, nxt)
        )  # "US troops", "Egyptian-US relations": no pronoun "us" ("LET US PRAY" is)
        if single and sentence_initial and low in stop and not country_caps:
            continue
        if single and low in _ADMIN_SUFFIX and mentions and mentions[-1].end == ends[prev] and text[ends[prev] : first_start] == " ":
            continue  # "the As-Suwayda Governorate": the name's suffix (a hint on it), no place of its own.
        if single and len(name) <= 2 and not name.isupper():
            continue
        mention = Mention(first_start, last_end, name, ntokens, sentence_initial, unknown=unknown, loose=loose)
        mention.acronym = name.isupper() and len(name) <= 5 and not _names_a_region(name, lookups)
        home = _party_home(toks, prev, first_start, text)
        # A capitalised word right beside the name that is not part of it ("Abu Bakr
        # al-Baghdadi", "Tareq al-Asal"): the name is likely part of a person's name.
        if (
            prev >= 0
            and not home
            and not sentence_initial
            and toks.capital[prev]
            and _gap_ok(text[ends[prev] : first_start])
            and not (single and _hyphened_places(words[prev], name, text[ends[prev] : first_start], lookups, given, text))
            and not (single and _between_countries(toks, prev, nxt, text, lookups))
        ):
            if not _is_context_word(words[prev], stop) and not (
                words[prev].lower() in wordset and titled.at(first_start)
            ):
                mention.name_neighbour = True
        next_adjacent = nxt >= 0 and _gap_ok(text[last_end : starts[nxt]])
        if single and nxt >= 0 and toks.capital[nxt] and _title_before(name, text[last_end : starts[nxt]]):
            continue  # "Sens. Tim Grendell", "Miss Cordiner": a title.
        if (
            low.partition(" ")[0] in stop
            and not home
            and not country_caps
            and not (single and nxt >= 0 and words[nxt].lower() in _ADMIN_SUFFIX)
            and (
                (
                    prev >= 1
                    and not sentence_initial
                    and toks.capital[prev]
                    and words[prev].lower() not in _DETERMINERS
                    and words[prev].lower() not in _PREPOSITIONS
                    and not _sentence_starts_at(text, starts[prev])
                    and _gap_ok(text[ends[prev] : first_start])
                )
                or (single and next_adjacent and toks.capital[nxt])
            )
        ):
            # "Fargo City Commissioner", "Interior Ministry", "World War II", "Laurel County High
            # School": a common word inside a longer capitalised name is not a place.
            continue
        seat = _seat_of(toks, nxt, text) if next_adjacent and toks.capital[nxt] else ""
        if seat == "organisation":
            # "Oxford Police Department", "Laurel County Clerk": the place an organisation or
            # office is named after (context, not where something happened).
            mention.in_organisation = True
        elif seat == "facility":
            pass  # "Aleppo Technical College", "Paris Public Library": a site in the place.
        elif (
            next_adjacent
            and toks.capital[nxt]
            and not _is_context_word(words[nxt], stop)
            # in a title-case headline, a word the text also writes in lower case is no name:
            # "Fighting Rages Near Mosul ... fighting raged near the city"
            and not (words[nxt].lower() in wordset and titled.at(first_start))
            and not (single and _hyphened_places(name, words[nxt], text[last_end : starts[nxt]], lookups, given, text))
            # "Morioka Japan", "Syria Iraq Gaza Libya": a one-word place before a country is
            # listed with it, as posts write (not "Peru Guide", "A New Jersey")
            and not (single and _names_a_country(words[nxt], lookups))
        ):
            if single and low in given:
                continue  # "Mary Wheeler", "Chad Walker": a given name before a surname.
            mention.name_neighbour = True
        if single and (low in person_words or name in person_words):
            mention.person = True
        if next_adjacent:
            nxt_word = words[nxt]
            nxt_low = nxt_word.lower()
            if nxt_low in _ORG_WORDS or (nxt_word[:1].isupper() and nxt_low in _FACILITY_WORDS):
                mention.in_organisation = True
            if nxt_low in _ADMIN_SUFFIX:
                mention.admin_hint = True
            if nxt_low in _CITY_SUFFIX:
                mention.city_hint = True
            if (
                single
                and nxt_word[:1].isupper()
                and nxt_word != "I"
                and not mention.in_organisation
                and nxt_low not in _ADMIN_SUFFIX
                and nxt_low not in _CITY_SUFFIX
                and nxt_low not in _CONNECTORS
                and (nxt_low in stop or low in stop)
            ):
                mention.weak = True  # "Victoria Beckham"-like pairs of a stop word and a name.
        mention.locative = home or _locative_before(toks, j - ntokens, text)
        kind_before = _kind_of_place_before(toks, j - ntokens, text)
        if kind_before in _ADMIN_SUFFIX:
            mention.admin_hint = True  # "the province of Ontario", "the state of Washington".
        elif kind_before in _CITY_SUFFIX:
            mention.city_hint = True  # "the city of Mosul".
        if (
            nxt >= 0
            and single
            and not mention.locative
            and not (prev >= 0 and words[prev].lower() == "of")
            and words[nxt].lower() in _PERSON_AFTER
            and text[last_end : starts[nxt]] == " "
        ):
            mention.person = True  # "Hightower said"; not "authorities in Alberta said", "the governor of Nineveh said".
        # "said Robley." / "said Robley, a spokesman"; not "said Mosul was calm" (a place as subject).
        clause_ends = text[last_end : last_end + 1] in ("", ",", ".", ";", ":", "\n", ")")
        people_of_place = next_adjacent and words[nxt].lower() in _PEOPLE_OR_ORG_WORDS
        if single and prev >= 0 and text[ends[prev] : first_start] == " " and not (next_adjacent and (toks.capital[nxt] or people_of_place)) and (
            (words[prev].lower() in _PERSON_BEFORE and (clause_ends or words[prev].lower() not in ("said", "says")))
            or (words[prev] == "to" and prev >= 1 and words[prev - 1].lower() == "according")
        ):
            mention.person = True  # "said Robley", "according to Taylor".
            said_persons.add(name)
        last_low = words[j - 1].lower()
        if (ntokens > 1 and last_low in _ORG_WORDS and last_low not in _GEO_NOUNS) or organisation:
            mention.in_organisation = True  # "Anbar Police Command", "Islamic State of Iraq and Syria".
        if ntokens > 1 and last_low in _ADMIN_NAME_END:
            mention.admin_hint = True  # "Walker County", "Rapides Parish" carry their own suffix.
        if single and (low in stop or low in heads or (low in wordset and low.islower())) and not country_caps:
            mention.weak = True
        mentions.append(mention)
    # One sense per document: a word used as a person's name ("said Meredith") is a person
    # wherever it stands alone.
    if said_persons:
        for m in mentions:
            if m.ntokens == 1 and m.text in said_persons:
                m.person = True
    if special:
        mentions = sorted(mentions + special, key=lambda m: m.start)
    if "Congo" in text:
        _one_congo(mentions, text, lookups)
    return mentions


#: Names of the Democratic Republic of the Congo that say which Congo is meant (lower case), and
#: those of its neighbour the Republic of the Congo, whose short name a bare "Congo" is.
_DRC_NAMES = frozenset((
    "democratic republic of the congo", "democratic republic of congo", "drc", "dr congo", "d.r. congo",
    "congo-kinshasa", "zaire", "zaïre",
))
_ROC_NAMES_RE = re.compile(r"(?<!Democratic )Republic of (?:the )?Congo|Congo-Brazzaville|Brazzaville", re.IGNORECASE)


def _one_congo(mentions: list[Mention], text: str, lookups: Lookups) -> None:
    """One sense per document for the two Congos: a bare "Congo" in a text that names the
    Democratic Republic of the Congo outright, and never its neighbour, is the DRC ("plague in the
    Democratic Republic of the Congo ... in the northern part of Congo")."""
    named = {m.text.lower() for m in mentions}
    drc = lookups.country_place.get("CD")
    if drc is None or not named & _DRC_NAMES or _ROC_NAMES_RE.search(text):
        return
    for m in mentions:
        if m.text == "Congo" and m.forced < 0:
            m.forced = drc


def _longest(
    i: int, found: list[int], words: list[str], text: str, starts: list[int], ends: list[int], lookups: Lookups
) -> int:
    """End of the name that starts at token ``i``: the longest found, except that an organisation
    named after a place that only GDELT knows as a whole ("Paris Public Library") gives the place."""
    j = found[-1]
    if len(found) > 1 and words[j - 1].lower() in _ORG_WORDS:
        whole = lookups.of(text[starts[i] : ends[j - 1]])
        if len(whole.places) and lookups.index.prominence[whole.places].max() < GDELT_ONLY_PROMINENCE:
            shorter = [e for e in found[:-1] if words[e - 1].lower() not in _ORG_WORDS]
            if shorter:
                return shorter[-1]
    return j


def _names_a_region(name: str, lookups: Lookups) -> bool:
    """An all-capital name that is itself the name of a region ("EU"); countries ("UK", "UAE") are
    kept as acronyms already."""
    known = lookups.region_words.get(name)
    if known is None:
        if len(lookups.region_words) > CACHE_NAMES:
            lookups.region_words.clear()
        known = lookups.region_words[name] = bool(_spelled_places(lookups, name, ("region",)))
    return known


#: Longest line (characters) read as a possible title-case headline.
TITLE_LINE_CHARS = 240
#: A word of four letters or more, for telling title-case lines (:class:`_TitleCaseLines`).
_LONG_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")


class _TitleCaseLines:
    """Which lines of a text are written in title case ("Peace Talks Resume As Fighting Rages Near
    Mosul"): four words of four letters or more, at least 80 % of them capitalised, not all in
    capitals. There, a capital says nothing about a word. Lines are read on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: dict[int, bool] = {}

    def at(self, offset: int) -> bool:
        """Whether the line holding character ``offset`` is in title case."""
        start = self.text.rfind("\n", 0, offset) + 1
        known = self.lines.get(start)
        if known is None:
            end = self.text.find("\n", offset)
            end = end if end >= 0 else len(self.text)
            if end - start > TITLE_LINE_CHARS:
                self.lines[start] = False  # a paragraph, not a headline
                return False
            line = self.text[start:end]
            words = _LONG_WORD_RE.findall(line)
            known = self.lines[start] = (
                len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words) and not line.isupper()
            )
        return known


def _in_capitals(toks: _Tokens, prev: int, nxt: int) -> bool:
    """Whether a word's neighbours (tokens ``prev`` and ``nxt``, -1 for none) are written in
    capitals: a headline or a shout, where capitals say nothing."""
    return any(k >= 0 and len(toks.words[k]) > 1 and toks.words[k].isupper() for k in (prev, nxt))


def _between_countries(toks: _Tokens, prev: int, nxt: int, text: str, lookups: Lookups) -> bool:
    """Whether a one-word name stands between two countries' names ("Iraq Gaza Libya": a list
    written without commas, as posts write), token ``prev`` before it and ``nxt`` after."""
    return (
        nxt >= 0
        and toks.capital[nxt]
        and _gap_ok(text[toks.ends[nxt - 1] : toks.starts[nxt]])
        and _names_a_country(toks.words[prev], lookups)
        and _names_a_country(toks.words[nxt], lookups)
    )


#: Countries whose names are also common given names ("Jordan Henderson", "Chad Walker").
_GIVEN_NAME_COUNTRIES = frozenset(("jordan", "georgia", "chad", "israel", "india", "kenya", "america"))


def _names_a_country(word: str, lookups: Lookups) -> bool:
    """Whether a capitalised word is a country's own name ("Libya"), never one that is also a
    given name ("Jordan Henderson")."""
    known = lookups.country_words.get(word)
    if known is not None:
        return known
    if len(lookups.country_words) > CACHE_NAMES:
        lookups.country_words.clear()
    answer = False
    # only a word that folds to a key the index lists a country under can be one
    if word.lower() not in _GIVEN_NAME_COUNTRIES and fold(word).encode("utf-8") in lookups.country_keys:
        answer = bool(_spelled_places(lookups, word, ("country",)))
    lookups.country_words[word] = answer
    return answer


def _title_before(word: str, gap: str) -> bool:
    """``word`` followed by ``gap`` is a personal title before a name ("President X", "Gen. X")."""
    low = word.lower()
    if low not in _TITLES:
        return False
    if gap.strip() == "":
        return True
    return gap in (". ", ".") and low in _TITLE_ABBREVIATIONS


def _hyphened_places(left: str, right: str, gap: str, lookups: Lookups, given: frozenset[str], text: str) -> bool:
    """Two towns joined by a hyphen ("Fargo-Moorhead", "Logan-Rogersville"): each a place the
    sources list as a town (not only GDELT), neither a common given name, and one of them named
    on its own elsewhere in the text (which "Coca-Cola" or "Navarro-Valls" never are)."""
    if gap != "-" or left.lower() in given or right.lower() in given or len(left) < 4 or len(right) < 4:
        return False
    for name in (left, right):
        found = lookups.of(name)
        exact = [p for p, kind in zip(found.places.tolist(), found.kinds) if kind == "exact"]
        if not exact or lookups.index.prominence[exact].max() < HYPHEN_PLACE_PROMINENCE:
            return False
    # Last: a search of the whole text costs more than the remembered lookups above.
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) for name in (left, right))


def _party_home(toks: _Tokens, prev: int, start: int, text: str) -> bool:
    """The name starting at ``start`` is a legislator's home town after a party label: "Rep.
    Barbara Lee, D-Oakland", "Sen. Tom Bakk, DFL-Cook", "(R-Ocilla)"."""
    if prev < 0 or toks.words[prev] not in _PARTY_LABELS or text[toks.ends[prev] : start] != "-":
        return False
    before = text[max(0, toks.starts[prev] - 2) : toks.starts[prev]]
    return before == ", " or before.endswith("(")


def _after_initial(toks: _Tokens, i: int, text: str) -> bool:
    """Token ``i`` follows a middle initial ("Ashley L. Evans"), not the end of a sentence."""
    k = i - 1
    return (
        k >= 1
        and len(toks.words[k]) == 1
        and toks.words[k].isupper()
        and text[toks.ends[k] : toks.starts[i]] in (". ", ".")
        and toks.capital[k - 1]
        and text[toks.ends[k - 1] : toks.starts[k]] == " "
    )


def _seat_of(toks: _Tokens, k: int, text: str) -> str:
    """What the capitalised run from token ``k`` names after the place right before it:
    ``"organisation"`` ("Police Department", "County Clerk": an actor, so the place is context),
    ``"facility"`` ("Technical College", "Military Airport", "Veterans Park": a site in the
    place), or ``""`` (neither: perhaps a person's name)."""
    words = toks.words
    for m in range(k, min(k + 4, len(words))):
        low = words[m].lower()
        if low in _SITE_WORDS:
            return "facility"
        if low in _ORG_WORDS or low in _OFFICE_WORDS:
            return "organisation"
        if not (toks.capital[m] or low in ("of", "and", "for")):
            return ""
        if m + 1 < len(words) and not _gap_ok(text[toks.ends[m] : toks.starts[m + 1]]):
            return ""
    return ""


def _is_context_word(word: str, stop: frozenset[str]) -> bool:
    low = word.lower()
    return (
        low in stop
        or low in _CONNECTORS
        or low in _ORG_WORDS
        or low in _FACILITY_WORDS
        or low in _ADMIN_SUFFIX
        or low in _CITY_SUFFIX
        or low in _GEO_NOUNS
        or low in _EVENT_NAME_WORDS
        or low in _CALENDAR
        or word in demonyms()
    )


def _person_words(text: str, toks: _Tokens, capital: list[bool]) -> set[str]:
    """Words the document uses as a person's name: after a title, or as the surname in "Jim Hightower"."""
    starts, ends, words = toks.starts, toks.ends, toks.words
    stop = stoplist()
    given = first_names()
    out: set[str] = set()
    n = len(words)
    for k in toks.caps:
        if k + 1 >= n or not capital[k + 1]:
            continue
        gap = text[ends[k] : starts[k + 1]]
        if _after_initial(toks, k + 1, text):
            out.add(words[k + 1])  # "Tyrise M. Bell": the word after a middle initial is a surname.
            continue
        if not _gap_ok(gap) and gap not in (". ", "."):
            continue
        word = words[k]
        low = word.lower()
        if word[:1].isupper() and _title_before(word, gap):
            # "Sen. John Smith", "Officer Smith": every following capitalised word.
            m = k + 1
            while m < n and capital[m] and m - k <= 3:
                out.add(words[m])
                if m + 1 < n and not _gap_ok(text[ends[m] : starts[m + 1]]):
                    break
                m += 1
        elif (
            capital[k]
            and low in given
            and not (k > 0 and capital[k - 1] and _gap_ok(text[ends[k - 1] : starts[k]]))
        ):
            nxt_low = words[k + 1].lower()
            if (
                nxt_low not in stop
                and nxt_low not in _ORG_WORDS
                and nxt_low not in _GEO_NOUNS
                and nxt_low not in _ADMIN_SUFFIX
                and nxt_low not in _CITY_SUFFIX
            ):
                out.add(words[k + 1])
    return out


def _kind_of_place_before(toks: _Tokens, i: int, text: str) -> str:
    """The kind of place named before token ``i`` in "province of X", "the city of X" (lower
    case), or ``""``."""
    if i < 2 or toks.words[i - 1] != "of" or text[toks.ends[i - 1] : toks.starts[i]] != " ":
        return ""
    if text[toks.ends[i - 2] : toks.starts[i - 1]] != " ":
        return ""
    kind = toks.words[i - 2].lower()
    if kind in _ADMIN_SUFFIX and i >= 3 and toks.capital[i - 3] and text[toks.ends[i - 3] : toks.starts[i - 2]] == " ":
        return ""  # "the Ferdous district of Aleppo": the district is Ferdous, Aleppo the city.
    return kind


def _locative_before(toks: _Tokens, i: int, text: str) -> bool:
    """A locative word right before token ``i``: "in X", "near X", "north of X", "town of X"."""
    if i <= 0:
        return False
    words = toks.words
    if text[toks.ends[i - 1] : toks.starts[i]].strip() not in ("", "the"):
        return False
    low = words[i - 1].lower()
    if low in _LOCATIVE or (low in _TAKE_PLACE_VERBS and words[i - 1].islower()):
        return True
    if low == "of" and i >= 2:
        return words[i - 2].lower() in _OF_PLACE or words[i - 2].lower() in _BATTLE_FOR_PLACE
    if low == "for" and i >= 2:
        return words[i - 2].lower() in _BATTLE_FOR_PLACE  # "the battle for Ariha"
    if (low == "the" or low in _PLACE_MODIFIERS) and i >= 2:
        # "in the X", "in downtown X", "near the northern X".
        before = words[i - 2].lower()
        if before in _LOCATIVE:
            return True
        return low in _PLACE_MODIFIERS and before == "the" and i >= 3 and words[i - 3].lower() in _LOCATIVE
    return False


def _arabic_article_before_name(toks: _Tokens, k: int, text: str) -> bool:
    """Token ``k`` is an Arabic article written apart before a capitalised word ("al Balaya")."""
    return (
        toks.words[k] in _ARABIC_ARTICLES
        and k + 1 < len(toks.words)
        and toks.capital[k + 1]
        and text[toks.ends[k] : toks.starts[k + 1]] in (" ", "-")
    )


def _demonyms_of_places(toks: _Tokens, caps: list[int], found: dict[int, int], text: str) -> dict[int, int]:
    """Nationality words that name their country as a place: "the Syrian port of Latakia",
    "the Syrian Kurdish city of Kobani", "on the Syrian side", "Iraqi territory" (start token ->
    end token). Read as the country (``relation="demonym"``) even without ``with_demonyms``:
    unlike "Iraqi officials", the word says where, and every corpus annotates it so."""
    out: dict[int, int] = {}
    demonym = demonyms()
    words, n = toks.words, len(toks.words)
    for k in caps:
        if found.get(k, k + 1) != k + 1 or not demonym.get(words[k]):
            continue  # part of a longer name ("Syrian Arab Republic")
        if k > 0 and words[k - 1] in demonym and text[toks.ends[k - 1] : toks.starts[k]] in (" ", "-"):
            continue  # "Kurdish" in "the Syrian Kurdish city": the city is Syria's
        j = k + 1
        while j < n and j <= k + 2 and text[toks.ends[j - 1] : toks.starts[j]] in (" ", "-") and (
            toks.capital[j] or words[j].lower() in _BEARING_WORDS
        ) and words[j].lower() not in _DEMONYM_PLACE_NOUNS:
            j += 1  # "Syrian Kurdish city", "the Iraqi-Syrian border", "Syrian northern border"
        if j < n and text[toks.ends[j - 1] : toks.starts[j]] in (" ", "-") and words[j].lower() in _DEMONYM_PLACE_NOUNS:
            if words[j].lower() == "side" and text[toks.ends[j] : toks.ends[j] + 4] != " of ":
                continue  # "the Nigerian side" (a team) is no place; "the Syrian side of the border" is
            out[k] = k + 1
    return out


#: Lower-case compass words that begin the names of some regions ("eastern Ghouta").
_COMPASS_WORDS = frozenset("eastern western northern southern east west north south".split())
_COMPASS_PREFIXES = tuple(f"{word} " for word in ("east", "west", "north", "south"))
_AREA_FEATURES = ("region", "desert", "admin1")


def _compass_named(
    toks: _Tokens, capital: list[bool], found: dict[int, int], text: str, lookups: Lookups
) -> dict[int, int]:
    """Names found right after a lower-case compass word whose capitalised run is itself the name
    of a region: "killed in eastern Ghouta" is East Ghouta (start token -> end token), not a
    locality called Ghouta (which the rest of the text can drop). Only where the name alone is
    no country, province or region: "eastern Syria" and "southern California" stay a part of
    Syria and California (:mod:`gazetteer.relative`)."""
    if not any(word in text for word in _COMPASS_PREFIXES):
        return {}  # the common case, at the cost of a few substring searches
    words, starts = toks.words, toks.starts
    out: dict[int, int] = {}
    for i, j in found.items():
        k = i - 1
        if k < 0 or capital[k] or words[k] not in _COMPASS_WORDS or text[toks.ends[k] : starts[i]] != " ":
            continue
        name = text[starts[i] : toks.ends[j - 1]]
        if _spelled_places(lookups, name, _AREA_FEATURES + ("country",)):
            continue
        if _spelled_places(lookups, f"{words[k].capitalize()} {name}", _AREA_FEATURES):
            out[k] = j
    return out


def _spelled_places(lookups: Lookups, name: str, features: tuple[str, ...]) -> list[int]:
    """The places of one of ``features`` that ``name`` spells exactly or as an alternate name,
    most prominent first."""
    found = lookups.of(name)
    index = lookups.index
    return [
        place for place, kind in zip(found.places.tolist(), found.kinds)
        if kind in ("exact", "alternate") and index.feature[place] in features
    ]


def _contained_unknown_names(
    toks: _Tokens, caps: list[int], capital: list[bool], found: dict[int, int], text: str
) -> dict[int, int]:
    """Capitalised names the index lacks as written, right before "in" and a place it knows:
    "Jirjanaz in Idlib" (start token -> end token). The resolver keeps one only where a looser
    spelling of it lies in that place (Jarjanaz, Idlib), so "the Food and Agriculture
    Organization in Rome" gives nothing. Read back from each known place after "in" (there
    are far fewer of those than capitalised words)."""
    words, starts = toks.words, toks.starts
    stop, given = stoplist(), first_names()
    out: dict[int, int] = {}
    for place in found:
        j = place - 1  # the "in"
        if j < 2 or words[j] != "in" or text[toks.ends[j - 1] : starts[place]] != " in ":
            continue
        k = j - 1
        # back over the name's capitalised words and the particles between them
        while k - 1 >= 0 and j - k < MAX_NGRAM and _gap_ok(text[toks.ends[k - 1] : starts[k]]) and (
            capital[k - 1] or words[k - 1].lower() in _NAME_RUN_PARTICLES
        ):
            k -= 1
        while k < j and not capital[k]:
            k += 1  # a run starts with a capitalised word
        if k >= j or not capital[j - 1]:
            continue
        word = words[k]
        low = word.lower()
        if (
            k == 0
            or len(word) < 5
            or word.isupper()
            or low in stop
            or low in given
            or low in _CALENDAR
            or low in _FUNCTION_WORDS
            or any(m in found for m in range(k, j))
            or _name_run_end(toks, capital, k, text) != j
            or _sentence_starts_at(text, starts[k])
        ):
            continue
        out[k] = j
    return out


def _introduced_names(
    toks: _Tokens, caps: list[int], capital: list[bool], found: dict[int, int], text: str
) -> dict[int, int]:
    """Names the index lacks that the text introduces as settlements ("the town of Basida", "the
    village of Albu Hayat") or as a site's own name before its kind ("the Sultanieh mosque",
    "the historic Dar al-Shifa hospital") (start token -> end token). The resolver places them
    in the place named right after them ("... in Idlib"), else reports them unresolved; the
    index's fuzzy namesakes (Bastida, Spain) are never taken for them."""
    out: dict[int, int] = {}
    stop = stoplist()
    words, n = toks.words, len(toks.words)
    for k in caps:
        if k in found:
            continue
        low = words[k].lower()
        if low in stop or low in _CALENDAR or low in _FUNCTION_WORDS:
            continue
        if k >= 3 and _kind_of_place_before(toks, k, text) in _SETTLEMENT_NOUNS and (
            words[k - 3].lower() == "the" and text[toks.ends[k - 3] : toks.starts[k - 2]] == " "
        ):
            out[k] = _name_run_end(toks, capital, k, text)
            continue
        # "the Sultanieh mosque", "the historic Dar al-Shifa hospital": a site's own name,
        # after "the" and at most one lower-case word
        article = k - 2 if k >= 2 and words[k - 1].islower() and words[k - 1] != "the" else k - 1
        if article < 0 or words[article].lower() != "the":
            continue
        j = _name_run_end(toks, capital, k, text)
        if j < n and words[j] in _SITE_NOUNS and text[toks.ends[j - 1] : toks.starts[j]] == " ":
            out[k] = j
    return out


def _name_run_end(toks: _Tokens, capital: list[bool], k: int, text: str) -> int:
    """End (exclusive token index) of the run of capitalised words and the connectors between
    them that starts at token ``k`` ("al Balaya", "Barzeh al Gharbi"), at most :data:`MAX_NGRAM`
    tokens."""
    words, end = toks.words, k
    for m in range(k, min(k + MAX_NGRAM, len(words))):
        if m > k and not _gap_ok(text[toks.ends[m - 1] : toks.starts[m]]):
            break
        if capital[m]:
            if words[m].lower() in _CALENDAR:
                break  # "Abu al Balaya on Monday"
            end = m + 1
        elif words[m].lower() not in _NAME_RUN_PARTICLES:
            break
    return end


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common given names (``data/gazetteer/first_names.txt``), lower case."""
    return _read_words("first_names.txt")

