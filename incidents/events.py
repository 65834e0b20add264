"""Event triggers: the words that report an incident, mapped to ACLED event types.

The vocabulary lives in ``data/lexicon/events.yaml`` (see the comments there). This module
loads it once into an :class:`EventLexicon` and finds the triggers of a text, telling for each
one whether it *reports* an incident or only mentions one:

``reported``
    a past or perfect verb ("killed", "have launched"), a noun carried by such a verb
    ("launched an operation", "the raid resulted in"), anything in a headline.
``irrealis``
    intended, feared, hypothetical or habitual ("to eliminate", "will attack", "continued to
    launch operations"), or a bare present verb in the body of an article.
``generic``
    a class of events rather than one ("many massacres", "their operations").
``history``
    the past of someone or something ("their participation in the Albu Nimr massacre").
``mention``
    a weak noun with no verb of its own ("the operation"): it can refer back to an event but
    does not report one.
``object``
    a weapon word that is the thing seized or destroyed ("the destruction of three car-bombs").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from gazetteer import settings
from incidents.errors import LexiconError
from incidents.sentences import WORD_RE, PhraseMatcher, match_key

#: Trigger statuses that make an incident.
REPORTED = "reported"
STATUSES: tuple[str, ...] = (REPORTED, "irrealis", "generic", "history", "mention", "object")

#: Verb forms; ``base`` and ``third`` are the bare present.
FORMS: tuple[str, ...] = ("base", "third", "past", "participle", "gerund", "noun", "plural", "adjective")
_BARE = frozenset({"base", "third"})

#: How many words back the cues of intention and habit are looked for.
CUE_WINDOW = 3
#: How many words back the cues of history are looked for.
HISTORY_WINDOW = 12
#: How many words after a verb its object is looked for.
OBJECT_WINDOW = 6
#: Words on each side of a trigger, in its sentence, searched for a total's cues ("in total").
AGGREGATE_WINDOW = 10
#: How many words back a support verb ("launched") may stand before its noun.
SUPPORT_WINDOW = 7
#: How many words after a weak noun a reporting verb may follow.
REPORTING_WINDOW = 6
#: How many words back in its clause a modal or "if" makes a trigger hypothetical.
MODAL_WINDOW = 10
#: How many characters around a trigger or a count the signs of a war's running toll are
#: looked for (see :func:`war_toll`).
TOLL_BEFORE_CHARS = 80
TOLL_AFTER_CHARS = 110

_AUXILIARIES = frozenset(["was", "were", "been", "being", "is", "are", "be", "has", "have", "had"])
_CLAUSE_BREAK_RE = re.compile(r"[;:()\[\]\u201c\u201d\"]|,\s+(?:which|who|while|but|and|as)\b|\bsaid\b")


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """One trigger entry of the lexicon."""

    id: str
    cls: str
    event_type: str
    sub_event_type: str | None
    weak: bool = False
    object: str | None = None
    not_object: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger found in text: ``text == article_text[start:end]``."""

    start: int
    end: int
    text: str
    spec: TriggerSpec
    form: str
    status: str
    headline: bool = False

    @property
    def reported(self) -> bool:
        return self.status == REPORTED


def _split_verb(entry: str) -> tuple[str, str | None, str | None, str | None]:
    parts = [p.strip() for p in entry.split("/")]
    parts += [None] * (4 - len(parts))  # type: ignore[list-item]
    return parts[0], parts[1], parts[2], parts[3]  # type: ignore[return-value]


def _inflect_word(word: str) -> tuple[str, str, str]:
    """(third person, past, gerund) of a regular English verb."""
    if word.endswith(("s", "sh", "ch", "x", "z")):
        third = word + "es"
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        third = word[:-1] + "ies"
    else:
        third = word + "s"
    if word.endswith("e"):
        past = word + "d"
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        past = word[:-1] + "ied"
    else:
        past = word + "ed"
    if word.endswith("ie"):
        gerund = word[:-2] + "ying"
    elif word.endswith("e") and not word.endswith("ee"):
        gerund = word[:-1] + "ing"
    else:
        gerund = word + "ing"
    return third, past, gerund


def verb_forms(entry: str) -> dict[str, str]:
    """Map each inflected form of a lexicon verb entry to its form name.

    >>> verb_forms("kill")["killed"]
    'past'
    """
    base, past, gerund, participle = _split_verb(entry)
    head, _, rest = base.partition(" ")
    tail = f" {rest}" if rest else ""
    third_r, past_r, gerund_r = _inflect_word(head)
    forms: dict[str, str] = {}
    forms[base] = "base"
    forms[third_r + tail] = "third"
    forms[gerund or gerund_r + tail] = "gerund"
    forms[participle or past or past_r + tail] = "participle"
    forms[past or past_r + tail] = "past"
    if (participle or past or past_r + tail) == base:
        forms[base] = "past"
    return {match_key(k): v for k, v in forms.items()}


def noun_forms(noun: str) -> dict[str, str]:
    """Map a lexicon noun and its plural to ``noun`` / ``plural``."""
    words = noun.split(" ")
    index = 0 if " of " in f" {noun} " and len(words) > 2 else len(words) - 1
    word = words[index]
    if word.endswith(("s", "sh", "ch", "x", "z")):
        plural = word + "es"
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        plural = word[:-1] + "ies"
    else:
        plural = word + "s"
    plural_phrase = " ".join(words[:index] + [plural] + words[index + 1:])
    return {match_key(noun): "noun", match_key(plural_phrase): "plural"}


class PhraseSet:
    """Multi-word cues ("continued to", "in order to") indexed by their first and last word."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        self.phrases = frozenset(p for p in phrases if p)
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        self._by_last: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            self._by_first.setdefault(phrase[0], []).append(phrase)
            self._by_last.setdefault(phrase[-1], []).append(phrase)

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self.phrases)

    def __len__(self) -> int:
        return len(self.phrases)

    def find_in(self, window: Sequence[str]) -> tuple[str, ...] | None:
        """The first phrase found contiguous in ``window`` (a list of words), or None."""
        n = len(window)
        for i, word in enumerate(window):
            for phrase in self._by_first.get(word, ()):
                k = len(phrase)
                if i + k <= n and tuple(window[i:i + k]) == phrase:
                    return phrase
        return None

    def ends_within(self, window: Sequence[str], within: int) -> bool:
        """True when a phrase ends among the last ``within`` words of ``window``."""
        n = len(window)
        for end in range(max(1, n - within + 1), n + 1):
            for phrase in self._by_last.get(window[end - 1], ()):
                k = len(phrase)
                if end - k >= 0 and tuple(window[end - k:end]) == phrase:
                    return True
        return False

    def starts(self, words: Sequence[str]) -> tuple[str, ...] | None:
        """The longest phrase ``words`` begins with, or None."""
        if not words:
            return None
        best = None
        for phrase in self._by_first.get(words[0], ()):
            if tuple(words[: len(phrase)]) == phrase and (best is None or len(phrase) > len(best)):
                best = phrase
        return best


def _phrase_set(values: Iterable[str]) -> PhraseSet:
    return PhraseSet(tuple(match_key(v).split()) for v in values if v)


def _word_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(match_key(v) for v in values if v)


def contains_phrase(window: Sequence[str], phrases: PhraseSet) -> tuple[str, ...] | None:
    """The first phrase of ``phrases`` found contiguous in ``window``, or None."""
    return phrases.find_in(window)


def ends_with_phrase(window: Sequence[str], phrases: PhraseSet, *, within: int) -> bool:
    """True when a phrase ends among the last ``within`` words of ``window``."""
    return phrases.ends_within(window, within)


@dataclass(frozen=True)
class EventLexicon:
    """The compiled event vocabulary (load once with :meth:`load`)."""

    specs: tuple[TriggerSpec, ...]
    forms: dict[str, tuple[tuple[TriggerSpec, str], ...]]
    casualty_after: dict[str, PhraseSet]
    casualty_before: dict[str, PhraseSet]
    arrested_cells: PhraseSet
    person_nouns: frozenset[str]
    civilian_nouns: frozenset[str]
    weapon_nouns: frozenset[str]
    site_nouns: frozenset[str]
    support_verbs: dict[str, str]
    reporting_after: PhraseSet
    not_reported: PhraseSet
    reported_despite: PhraseSet
    generic_quantifiers: PhraseSet
    history: PhraseSet
    anaphora_determiners: frozenset[str]
    anaphora_nouns: frozenset[str]
    anaphora_new: frozenset[str]
    anaphora_phrases: PhraseSet
    origin_cues: PhraseSet
    noun_context: frozenset[str]
    modal_cues: PhraseSet
    habit_cues: PhraseSet
    generic_governors: PhraseSet
    aggregate_cues: PhraseSet
    running_total_cues: PhraseSet
    harm_words: frozenset[str]
    war_subjects: PhraseSet
    vague_numbers: dict[str, int]
    activity_heads: frozenset[str] = frozenset()
    ongoing_verbs: frozenset[str] = frozenset()
    matcher: PhraseMatcher[tuple[tuple[TriggerSpec, str], ...]] = field(repr=False, default=None)  # type: ignore[assignment]
    anaphora_re: re.Pattern[str] = field(repr=False, default=None)  # type: ignore[assignment]
    anaphora_phrases_re: re.Pattern[str] = field(repr=False, default=None)  # type: ignore[assignment]
    anaphora_matcher: PhraseMatcher[str] = field(repr=False, default=None)  # type: ignore[assignment]
    toll_before_re: re.Pattern[str] = field(repr=False, default=None)  # type: ignore[assignment]
    toll_after_re: re.Pattern[str] = field(repr=False, default=None)  # type: ignore[assignment]

    @classmethod
    def load(cls, path: str | Path | None = None) -> EventLexicon:
        """Read ``events.yaml`` (default: ``<data_dir>/lexicon/events.yaml``)."""
        return _load_event_lexicon(str(path or settings.data_dir() / "lexicon" / "events.yaml"))

    @classmethod
    def from_mapping(cls, data: dict[str, Any], *, source: str = "<mapping>") -> EventLexicon:
        """Build the lexicon from the parsed YAML document."""
        if not isinstance(data, dict) or not isinstance(data.get("triggers"), list):
            raise LexiconError(f"{source!r} has no 'triggers' list; see data/lexicon/events.yaml for the shape")
        specs: list[TriggerSpec] = []
        forms: dict[str, list[tuple[TriggerSpec, str]]] = {}
        for raw in data["triggers"]:
            try:
                spec = TriggerSpec(
                    id=str(raw["id"]),
                    cls=str(raw["class"]),
                    event_type=str(raw["event_type"]),
                    sub_event_type=raw.get("sub_event_type"),
                    weak=bool(raw.get("weak", False)),
                    object=raw.get("object"),
                    not_object=_word_set(raw.get("not_object") or ()),
                    context=_word_set(raw.get("context") or ()),
                )
            except (KeyError, TypeError) as exc:
                raise LexiconError(f"trigger {raw!r} in {source!r} lacks {exc}; each needs id, class, event_type") from exc
            specs.append(spec)
            entries: dict[str, list[str]] = {}
            for verb in raw.get("verbs") or ():
                for key, form in verb_forms(str(verb)).items():
                    entries.setdefault(key, []).append(form)
            for noun in raw.get("nouns") or ():
                for key, form in noun_forms(str(noun)).items():
                    entries.setdefault(key, []).append(form)
            for adjective in raw.get("adjectives") or ():
                entries.setdefault(match_key(str(adjective)), []).append("adjective")
            for key, key_forms in entries.items():
                for form in dict.fromkeys(key_forms):
                    forms.setdefault(key, []).append((spec, form))
        # Candidates with an object condition are tried before the unconditional ones.
        ordered = {
            key: tuple(sorted(cands, key=lambda c: c[0].object is None)) for key, cands in forms.items()
        }
        casualties = data.get("casualties") or {}
        support: dict[str, str] = {}
        for verb in data.get("support_verbs") or ():
            support.update(verb_forms(str(verb)))
        anaphora = data.get("anaphora") or {}
        determiners = _word_set(anaphora.get("determiners") or ())
        nouns = _word_set(anaphora.get("nouns") or ())
        lexicon = cls(
            specs=tuple(specs),
            forms=ordered,
            casualty_after={k: _phrase_set(v.get("after") or ()) for k, v in casualties.items() if isinstance(v, dict)},
            casualty_before={k: _phrase_set(v.get("before") or ()) for k, v in casualties.items() if isinstance(v, dict)},
            arrested_cells=_phrase_set(casualties.get("arrested_cells") or ()),
            person_nouns=_word_set(data.get("person_nouns") or ()),
            civilian_nouns=_word_set(data.get("civilian_nouns") or ()),
            weapon_nouns=_word_set(data.get("weapon_nouns") or ()),
            site_nouns=_word_set(data.get("site_nouns") or ()),
            support_verbs=support,
            reporting_after=_phrase_set(data.get("reporting_verbs_after") or ()),
            not_reported=_phrase_set(data.get("not_reported_cues") or ()),
            reported_despite=_phrase_set(data.get("reported_despite") or ()),
            generic_quantifiers=_phrase_set(data.get("generic_quantifiers") or ()),
            history=_phrase_set(data.get("history_cues") or ()),
            anaphora_determiners=determiners,
            anaphora_nouns=nouns,
            anaphora_new=_word_set(anaphora.get("new_event_modifiers") or ()),
            anaphora_phrases=_phrase_set(anaphora.get("phrases") or ()),
            origin_cues=_phrase_set(data.get("origin_cues") or ()),
            noun_context=_word_set(data.get("noun_context") or ()),
            modal_cues=_phrase_set(data.get("modal_cues") or ()),
            habit_cues=_phrase_set(data.get("habit_cues") or ()),
            generic_governors=_phrase_set(data.get("generic_governors") or ()),
            aggregate_cues=_phrase_set(data.get("aggregate_cues") or ()),
            running_total_cues=_phrase_set(data.get("running_total_cues") or ()),
            harm_words=_word_set(data.get("harm_words") or ()),
            war_subjects=_phrase_set(data.get("war_subjects") or ()),
            vague_numbers={match_key(str(k)): int(v) for k, v in (data.get("vague_numbers") or {}).items()},
            activity_heads=_word_set(data.get("activity_heads") or ()),
            ongoing_verbs=_word_set(data.get("ongoing_verbs") or ()),
        )
        object.__setattr__(lexicon, "matcher", PhraseMatcher(ordered.items()))
        phrases = sorted((r"[\s\-]+".join(map(re.escape, p)) for p in lexicon.anaphora_phrases), key=len, reverse=True)
        object.__setattr__(
            lexicon,
            "anaphora_phrases_re",
            re.compile(rf"\b(?:{'|'.join(phrases) or 'the operation'})\b", re.IGNORECASE),
        )
        det = "|".join(sorted(map(re.escape, determiners), key=len, reverse=True)) or "the"
        noun = "|".join(sorted(map(re.escape, nouns), key=len, reverse=True)) or "operation"
        # A cheap first look over the whole text: no event noun or phrase, no reference back.
        object.__setattr__(
            lexicon,
            "anaphora_matcher",
            PhraseMatcher([*((" ".join(p), "phrase") for p in lexicon.anaphora_phrases), *((n, "noun") for n in nouns)]),
        )
        object.__setattr__(
            lexicon,
            "anaphora_re",
            re.compile(rf"\b(?:{det})\s+((?:[\w.\-’']+\s+){{0,2}}?)(?:{noun})\b(?!\s+of\b)", re.IGNORECASE),
        )
        war = "|".join(sorted((r"[\s\-]+".join(map(re.escape, p)) for p in lexicon.war_subjects),
                              key=len, reverse=True)) or "war"
        war = rf"(?:{war})(?![\w\-])"
        object.__setattr__(lexicon, "toll_before_re", re.compile(
            rf"\b{war}\s*,?\s*(?:(?:which|that)\s+)?(?:has|have|had)\s+(?:(?:so\s+far|already|now|"
            r"reportedly)\s+)?(?:(?:killed|claimed|left|cost)\s+(?:the\s+lives\s+of\s+)?(?:[\w\-]+\s+){0,3})?$",
            re.IGNORECASE))
        object.__setattr__(lexicon, "toll_after_re", re.compile(
            rf"^[^.;:]{{0,60}}?\bsince\s+(?:(?:the|its|their|then|early|late|mid|march|april|may|"
            rf"[\w\-]+['’]?s)\s+){{0,2}}(?:(?:[\w\-]+\s+){{0,2}}{war}|start|beginning|outbreak|onset|"
            rf"(?:19|20)\d\d\b)"
            rf"|^[^.;:,]{{0,30}}?\bin\s+(?:(?:the|its|a|over|more\s+than|nearly|almost|[\w\-]+['’]?s)\s+)*"
            rf"(?:[\w\-]+\s+){{0,3}}?(?:years?\s+of\s+)?{war}"
            rf"|^[^.;:]{{0,60}}?\b(?:as\s+a\s+result\s+of|as|during|throughout)\s+(?:(?:the|its|a|[\w\-]+['’]?s)\s+)"
            rf"(?:[\w\-]+\s+){{0,2}}?{war}"
            r"|^[^.;:]{0,60}?\b(?:in|over|during|across)\s+the\s+(?:past|last)\s+(?:[\w\-]+\s+)?(?:years|decades?)\b"
            rf"|^[^.;:]{{0,40}}?\band\s+(?:many\s+|hundreds\s+of\s+thousands|millions)\b[^.;:]{{0,30}}\b(?:displaced|"
            r"forced\s+to\s+flee|made\s+homeless|refugees)",
            re.IGNORECASE))
        return lexicon


@lru_cache(maxsize=8)
def _load_event_lexicon(path: str) -> EventLexicon:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise LexiconError(f"cannot parse event lexicon {path!r}: {exc}") from exc
    return EventLexicon.from_mapping(data, source=path)


class WordSpan(NamedTuple):
    """A word of the text with its offsets, lower-cased (a tuple: made by the thousand)."""

    start: int
    end: int
    word: str


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[WordSpan]:
    """Words of ``text[start:end]`` with absolute offsets."""
    return [
        WordSpan(m.start(), m.end(), m.group(0).lower().replace("\u2019", "'"))
        for m in WORD_RE.finditer(text, start, len(text) if end is None else end)
    ]


class _SentenceWords:
    """The words of one sentence, computed once for all its triggers."""

    __slots__ = ("spans", "starts", "word_set", "words")

    def __init__(self, spans: list[WordSpan]) -> None:
        self.spans = spans
        self.starts = [w.start for w in spans]
        self.words = [w.word for w in spans]
        self.word_set = frozenset(self.words)


def clause_start(text: str, sentence_start: int, position: int) -> int:
    """Offset where the clause holding ``position`` begins (within its sentence)."""
    begin = sentence_start
    for match in _CLAUSE_BREAK_RE.finditer(text, sentence_start, position):
        begin = match.end()
    return begin


def _object_kind(lexicon: EventLexicon, following: Sequence[str], actor_follows: bool) -> set[str]:
    """Kinds of object (person, weapon, site) among the words after a trigger."""
    kinds: set[str] = set()
    for word in following:
        if word in lexicon.person_nouns:
            kinds.add("person")
            break
        if word in lexicon.weapon_nouns:
            kinds.add("weapon")
            break
        if word in lexicon.site_nouns:
            kinds.add("site")
            break
    if actor_follows:
        kinds.add("person")
    return kinds


def _choose_spec(
    lexicon: EventLexicon,
    candidates: Sequence[tuple[TriggerSpec, str]],
    following: Sequence[str],
    preceding: Sequence[str],
    sentence_words: frozenset[str],
    actor_follows: bool,
    passive: bool,
) -> tuple[TriggerSpec, str] | None:
    kinds_after = _object_kind(lexicon, following, actor_follows)
    kinds_before = _object_kind(lexicon, list(reversed(preceding[-4:])), False) if passive else set()
    for spec, form in candidates:
        if spec.not_object and form not in _NOUN_FORMS and any(w in spec.not_object for w in following[:3]):
            continue
        if spec.context and not (spec.context & sentence_words):
            continue
        if spec.object is None:
            return spec, form
        kinds = kinds_after if kinds_after else kinds_before
        if spec.object in kinds:
            return spec, form
    return None


def find_triggers(
    text: str,
    lexicon: EventLexicon,
    *,
    sentences: Sequence[tuple[int, int]] | None = None,
    headline_end: int = 0,
    blocked: Sequence[tuple[int, int]] = (),
    actor_starts: Iterable[int] = (),
    folded: str | None = None,
    word_cache: dict[int, list[WordSpan]] | None = None,
) -> list[Trigger]:
    """Find the event triggers of ``text`` and tell which report an incident.

    Parameters
    ----------
    text
        The article text.
    lexicon
        The compiled vocabulary.
    sentences
        ``(start, end)`` of each sentence; the whole text is one sentence when None.
    headline_end
        Offset where the headline ends (0: no headline). Headline triggers are reported.
    blocked
        Spans where no trigger may start (actor and organisation names such as
        "Jazira Operations Command").
    actor_starts
        Offsets where an actor mention begins; an actor right after a verb is its object.
    folded
        ``match_text(text)`` when the caller has it.
    word_cache
        Words of each sentence by sentence index, filled as sentences are read (the caller
        passes a dict to reuse them).

    Returns
    -------
    list of Trigger
        In text order, one per matched phrase.
    """
    if not text:
        return []
    spans = list(sentences) if sentences is not None else [(0, len(text))]
    starts = [s for s, _ in spans]
    actor_start_set = sorted(set(actor_starts))
    blocked_sorted = sorted(blocked)
    triggers: list[Trigger] = []
    sentence_words: dict[int, _SentenceWords] = {}
    cache = word_cache if word_cache is not None else {}
    for match in lexicon.matcher.find(text, folded=folded):
        i = bisect.bisect_right(blocked_sorted, (match.start, 10**12)) - 1
        if i >= 0 and blocked_sorted[i][0] <= match.start < blocked_sorted[i][1]:
            continue
        k = max(bisect.bisect_right(starts, match.start) - 1, 0)
        s_start, s_end = spans[k]
        if k not in sentence_words:
            if k not in cache:
                cache[k] = word_spans(text, s_start, s_end)
            sentence_words[k] = _SentenceWords(cache[k])
        headline = match.start < headline_end
        trigger = _classify(
            text, lexicon, match.start, match.end, match.value, s_start, s_end, headline, actor_start_set,
            sentence_words[k],
        )
        if trigger is not None:
            triggers.append(trigger)
    _mark_weapon_objects(triggers)
    return triggers


def _classify(
    text: str,
    lexicon: EventLexicon,
    start: int,
    end: int,
    candidates: Sequence[tuple[TriggerSpec, str]],
    s_start: int,
    s_end: int,
    headline: bool,
    actor_starts: Sequence[int],
    words: _SentenceWords,
) -> Trigger | None:
    c_start = clause_start(text, s_start, start)
    first_after = bisect.bisect_left(words.starts, end)
    before_all = words.words[: bisect.bisect_left(words.starts, start)]
    before_clause = before_all[bisect.bisect_left(words.starts, c_start):]
    after_spans = words.spans[first_after:first_after + OBJECT_WINDOW]
    after = words.words[first_after:first_after + OBJECT_WINDOW]
    sentence_words = words.word_set
    j = bisect.bisect_left(actor_starts, end)
    limit = after_spans[-1].end if after_spans else end
    actor_follows = j < len(actor_starts) and actor_starts[j] <= limit
    passive = bool(before_all) and before_all[-1] in _AUXILIARIES
    readings = _readings(lexicon, candidates, text, start, s_start, before_all, headline)
    chosen = _choose_spec(lexicon, readings, after, before_all, sentence_words, actor_follows, passive)
    if chosen is None:
        return None
    spec, form = chosen
    status = _status(lexicon, spec, form, before_clause, before_all, after, headline, actor_follows)
    if status == REPORTED and not headline and war_toll(lexicon, text, start, end, s_start, s_end):
        status = "generic"
    return Trigger(start, end, text[start:end], spec, form, status, headline)


_NOUN_FORMS = frozenset({"noun", "plural"})
_DEFINITE = frozenset({"the", "these", "those", "a", "an", "this", "that"})


def _readings(
    lexicon: EventLexicon,
    candidates: Sequence[tuple[TriggerSpec, str]],
    text: str,
    start: int,
    s_start: int,
    before: list[str],
    headline: bool,
) -> list[tuple[TriggerSpec, str]]:
    """Keep the noun or the verb readings of a word that can be both ("raid", "attacks").

    The noun after a determiner or preposition ("the raid", "a planned attack", "during the
    operation"), at the start of a sentence ("Clashes erupted") and as a capitalised name
    inside one ("the Albu Nimr Massacre"); the verb otherwise.
    """
    nouns = [c for c in candidates if c[1] in _NOUN_FORMS]
    verbs = [c for c in candidates if c[1] not in _NOUN_FORMS]
    if not nouns or not verbs:
        return list(candidates)
    proper = text[start].isupper() and start > s_start and not headline
    if proper or not before or (before and before[-1] in lexicon.noun_context) or (
        len(before) > 1 and before[-2] in lexicon.noun_context
    ):
        return nouns
    return verbs


def _status(
    lexicon: EventLexicon,
    spec: TriggerSpec,
    form: str,
    before_clause: list[str],
    before_all: list[str],
    after: list[str],
    headline: bool,
    actor_follows: bool = False,
) -> str:
    if contains_phrase(before_all[-HISTORY_WINDOW:], lexicon.history):
        return "history"
    if form in ("past", "participle") and before_clause and before_clause[-1] in _DEFINITE:
        return "mention"  # an adjective: "the arrested militants", "those killed"
    if (form in ("past", "participle") and not before_all and not headline
            and any(w in lexicon.person_nouns for w in after[:2])):
        return "mention"  # an adjective opening a sentence: "Captured opposition fighters were..."
    if (
        form in ("past", "participle")
        and before_clause
        and before_clause[-1] in lexicon.noun_context
        and after
        and after[0] in lexicon.person_nouns
    ):
        return "mention"  # "sympathy for executed hostages"
    despite = ends_with_phrase(before_clause[-4:], lexicon.reported_despite, within=2)
    if not despite and contains_phrase(before_clause[-MODAL_WINDOW:], lexicon.modal_cues):
        return "irrealis"
    if (form in _NOUN_FORMS or form == "gerund") and contains_phrase(before_all[-4:], lexicon.habit_cues):
        return "generic"
    if form in _NOUN_FORMS and after[:1] and after[0] in _MODALS_AFTER:
        return "irrealis"  # "US airstrikes would be more effective"
    despite_to = ends_with_phrase(before_clause[-4:], lexicon.reported_despite, within=2)
    if form == "base" and not despite_to and (
        before_clause[-1:] == ["to"] or (before_clause[-2:-1] == ["to"] and before_clause[-1].endswith("ly"))
    ):
        return "irrealis"
    if form == "plural" and ends_with_phrase(before_clause[-3:], lexicon.generic_quantifiers, within=2):
        return "generic"
    if form in _NOUN_FORMS and spec.cls == "arrest" and before_clause[-1:] and before_clause[-1] in _STATE_PREPOSITIONS:
        return "mention"  # a state, not an arrest: "women in detention", "released from custody"
    window = before_clause[-CUE_WINDOW:]
    despite = ends_with_phrase(before_clause[-4:], lexicon.reported_despite, within=2)
    if not despite and contains_phrase(window, lexicon.not_reported):
        return "irrealis"
    if headline:
        return REPORTED
    if form in _NOUN_FORMS or form == "gerund":
        own_verb = _noun_verb_status(lexicon, after)  # a headline's "clashes continue around X" is news
        if own_verb is not None:
            return own_verb
    if form in _BARE and not despite:
        return "irrealis"
    if ends_with_phrase(before_clause[-5:], lexicon.generic_governors, within=3):
        return "generic"  # "backed by US airstrikes", "conducting car bombings"
    if contains_phrase(before_all[-AGGREGATE_WINDOW:], lexicon.aggregate_cues) or contains_phrase(
        after[:AGGREGATE_WINDOW], lexicon.aggregate_cues
    ):
        return "generic"  # "killed so far this year", "shot dead scores this year alone"
    if _present_perfect(before_all, form) and (
        contains_phrase(before_all[-AGGREGATE_WINDOW:], lexicon.running_total_cues)
        or contains_phrase(after[:AGGREGATE_WINDOW], lexicon.running_total_cues)
    ):
        return "generic"  # "four soldiers have been killed in total": a running total
    if _present_perfect(before_all, form) and any(w in lexicon.ongoing_verbs for w in before_clause[-NOUN_VERB_WINDOW - 3:]):
        return "generic"  # "Airstrikes and shelling continue ... and have killed many people"
    if form in ("past", "participle") and (
        before_clause[-1:] and before_clause[-1] in _PRESENT_BE
        or before_clause[-2:-1] and before_clause[-2] in _PRESENT_BE and before_clause[-1] in _STATE_ADVERBS
    ):
        return "generic"  # a present passive in the body: "journalists are killed for ...", "is currently detained"
    if form == "gerund" and (
        before_clause[-1:] and before_clause[-1] in _PRESENT_BE
        or before_clause[-2:-1] and before_clause[-2] in _PRESENT_BE and before_clause[-1].endswith("ly")
    ):
        return "generic"  # a present progressive in the body: "the regime is killing or imprisoning Kurds"
    if form in ("past", "participle", "plural") and _over_a_period(after):
        return "generic"  # a total over a period: "700 people have been killed in three months"
    if form in _NOUN_FORMS and after and after[0] in lexicon.site_nouns:
        return "mention"  # a modifier of a place: "the detention camp", "a protest camp"
    if form in _NOUN_FORMS and spec.cls in _MEANS_CLASSES and _means_of_harm(lexicon, before_clause):
        return REPORTED  # "died in an explosion", "were wounded by a roadside bomb"
    if form in ("noun", "plural") and (spec.weak or spec.cls in _WEAPON_CLASSES):
        return _weak_noun_status(lexicon, before_clause, after, actor_follows)
    if form in ("noun", "plural") and _support_form(lexicon, before_clause) in _BARE:
        return "irrealis"  # "countries that carry out executions"
    return REPORTED


_WEAPON_CLASSES = frozenset({"explosion", "suicide", "grenade", "chemical"})
#: Explosive weapons: a noun of these classes after "killed in", "wounded by" is the means of
#: harm, which names the event (see :func:`_means_of_harm`).
_MEANS_CLASSES = frozenset({"suicide", "chemical", "airstrike", "shelling", "grenade", "explosion"})
#: Prepositions between a harm word and the means of harm (see :func:`_means_of_harm`).
_MEANS_PREPOSITIONS = frozenset({"in", "by", "during"})
#: Modal verbs right after an event noun (its subject): the event is hypothetical.
_MODALS_AFTER = frozenset({"would", "could", "might", "may", "should", "must", "can", "will"})
#: The present of "be": with a past participle, a passive that tells a state or a habit.
_PRESENT_BE = frozenset({"is", "are", "am"})


#: Prepositions before an arrest noun that make it a state ("in detention", "from custody").
_STATE_PREPOSITIONS = frozenset({"in", "from", "under", "into"})
#: Adverbs between a present "be" and a participle that keep it a state ("is currently detained").
_STATE_ADVERBS = frozenset({"currently", "still", "now", "being", "often", "routinely", "regularly"})
#: Units of a period long enough that what happened over it is a total, not one incident.
_PERIOD_UNITS = frozenset({"weeks", "months", "years", "decades"})
#: Words that may stand between the preposition and the unit of a period ("in the past three months").
_PERIOD_FILLERS = frozenset({"the", "past", "last", "first", "previous", "recent", "few", "several", "two", "three",
                             "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "many", "some"})


#: Words after an event noun that end the search for its own verb (a clause or another verb
#: phrase begins): see :func:`_noun_verb_status`.
_NOUN_VERB_STOPS = frozenset({"was", "were", "has", "have", "had", "is", "are", "that", "which", "who", "when",
                              "where", "while", "said", "says", "after", "before", "since", "but", "this", "it",
                              "they", "he", "she", "we", "i", "you", "there"})
#: How many words after an event noun its own verb is looked for.
NOUN_VERB_WINDOW = 5


def _noun_verb_status(lexicon: EventLexicon, after: Sequence[str]) -> str | None:
    """Status an event noun takes from its own verb, or None when that verb says nothing.

    The noun is the subject of what follows it: a modal makes it hypothetical ("airstrikes
    against Islamic State would cease in the next 60 days"; "may have killed" stays reported,
    a hedge on a past event); an ongoing present ("airstrikes and shelling continue throughout
    the day") a state of affairs; a head noun of an activity ("its urban bombing campaign") a
    campaign, not one incident.
    """
    if after[:1] and after[0] in lexicon.activity_heads:
        return "generic"
    for i, word in enumerate(after[:NOUN_VERB_WINDOW]):
        if word in _NOUN_VERB_STOPS:
            return None
        if word in _MODALS_AFTER:
            return None if after[i + 1:i + 2] == ["have"] else "irrealis"
        if word in lexicon.ongoing_verbs:
            return "generic"
    return None


def _over_a_period(after: Sequence[str]) -> bool:
    """True when the words after a trigger put it over weeks, months or years: "killed in three
    months", "bombed over the past two years", "arrested in recent weeks"."""
    for i, word in enumerate(after[:3]):
        if word not in ("in", "over", "during", "within"):
            continue
        for later in after[i + 1:i + 5]:
            if later in _PERIOD_UNITS:
                return True
            if later not in _PERIOD_FILLERS and not later.isdigit():
                break
        return False
    return False


def war_toll(lexicon: EventLexicon, text: str, start: int, end: int, s_start: int, s_end: int) -> bool:
    """True when ``text[start:end]`` (a trigger or a count) tells the running toll of a war.

    "the conflict, which has killed more than 280,000 people", "more than 300,000 people have
    been killed in Syria since the conflict began in March 2011", "killed in Syria's
    three-year war", "... killed and millions displaced": a whole war's dead are not one
    incident's. ``s_start``/``s_end`` bound the sentence. The war nouns are ``war_subjects``
    of ``events.yaml``.
    """
    before = text[max(s_start, start - TOLL_BEFORE_CHARS):start]
    after = text[end:min(s_end, end + TOLL_AFTER_CHARS)]
    return bool(lexicon.toll_before_re.search(before) or lexicon.toll_after_re.search(after))


def _support_form(lexicon: EventLexicon, before_clause: list[str]) -> str | None:
    """Form of the support verb ("launched", "carry out") right before a noun, if any."""
    window = before_clause[-SUPPORT_WINDOW:]
    for offset in range(len(window) - 1, -1, -1):
        for span in (3, 2, 1):
            if offset - span + 1 < 0:
                continue
            form = lexicon.support_verbs.get(" ".join(window[offset - span + 1:offset + 1]))
            if form is not None:
                if form in _BARE and ends_with_phrase(window[: offset - span + 1][-4:], lexicon.reported_despite, within=2):
                    return "past"
                return form
    return None


def _present_perfect(before_all: list[str], form: str) -> bool:
    """True when a verb trigger is in the present perfect: "have killed", "has been killed",
    "have so far arrested" ("has" or "have" among the three words before it)."""
    return form in ("past", "participle") and any(w in ("has", "have") for w in before_all[-3:])


def _means_of_harm(lexicon: EventLexicon, before_clause: list[str]) -> bool:
    """True when the noun is what killed or hurt the people just named: a harm word, a
    preposition and at most two words of determiner or modifier ("killed in the blast",
    "died in a car bomb explosion", "wounded by a roadside bomb")."""
    tail = before_clause[-5:]
    for i in range(len(tail) - 1, -1, -1):  # "killed in strikes": the noun may follow at once
        if tail[i] in _MEANS_PREPOSITIONS and len(tail) - i - 1 <= 2:
            return i > 0 and tail[i - 1] in lexicon.harm_words
    return False


def _weak_noun_status(lexicon: EventLexicon, before_clause: list[str], after: list[str], actor_follows: bool = False) -> str:
    """A weak noun reports an event through a support verb before it, a past verb after it, or
    the people it befell ("the killing of a senior commander")."""
    if after and (after[0] in lexicon.site_nouns or after[0] in lexicon.person_nouns):
        return "mention"  # a modifier: "attack cell", "raid commander"
    if after and after[0] == "of" and (actor_follows or any(w in lexicon.person_nouns for w in after[1:])):
        return REPORTED
    if after and after[0] == "by" and actor_follows:
        return REPORTED  # the event and who did it: "an attack by Daesh militants on a convoy"
    window = before_clause[-SUPPORT_WINDOW:]
    for offset in range(len(window) - 1, -1, -1):
        for span in (3, 2, 1):
            if offset - span + 1 < 0:
                continue
            phrase = " ".join(window[offset - span + 1:offset + 1])
            form = lexicon.support_verbs.get(phrase)
            if form is None:
                continue
            head = window[: offset - span + 1]
            if form in _BARE:
                if ends_with_phrase(head[-4:], lexicon.reported_despite, within=2):
                    return REPORTED
                return "irrealis"
            if contains_phrase(head[-CUE_WINDOW:], lexicon.not_reported) and not ends_with_phrase(
                head[-4:], lexicon.reported_despite, within=2
            ):
                return "irrealis"
            return REPORTED
    if contains_phrase(after[:REPORTING_WINDOW], lexicon.reporting_after):
        return REPORTED
    return "mention"


def _mark_weapon_objects(triggers: list[Trigger]) -> None:
    """Weapon words after a seizure or destruction in the same sentence are its objects."""
    for i, trigger in enumerate(triggers):
        if trigger.spec.cls not in _WEAPON_CLASSES or trigger.form not in ("noun", "plural"):
            continue
        for previous in reversed(triggers[:i]):
            if trigger.start - previous.end > 120:
                break
            if previous.spec.cls in ("seizure", "dismantle"):
                triggers[i] = Trigger(
                    trigger.start, trigger.end, trigger.text, trigger.spec, trigger.form, "object", trigger.headline
                )
                break
