"""From an article to incidents: what, who, where, when, how many, and the words that say so.

The pipeline (one pass over the text; lexicons compiled once per :class:`Extractor`):

1. split the text into sentences (:mod:`incidents.sentences`), tell the headline apart;
2. find actors (:mod:`incidents.actors`), event triggers and whether each reports an incident
   (:mod:`incidents.events`), dates (:mod:`incidents.dates`) and place names (the gazetteer's
   ``geoparse``), once for the whole text;
3. group the sentences that tell the same event: a sentence that refers back ("the operation",
   "those killed") joins the event it refers to; a sentence with no place or date of its own
   continues the event just told; the same kind of event at the same place joins it; the
   headline joins the body event it summarises;
4. for each group: event type from its triggers (:func:`event_type_for`), counts
   (:mod:`incidents.counts`, a headline figure that differs widens the range), date (the first
   date of its own, else the publication week), event site (:mod:`incidents.event_site`),
   actors, evidence spans, a short summary.

Events told as history ("since their defeat in Baghouz") never become incidents; a past event
with a date of its own and a place of its own becomes one with ``historical=True``.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from gazetteer.evaluation import batch_entry_point
from gazetteer.model import Toponym
from gazetteer.recognise import first_names
from incidents.actors import (
    ARMED,
    ARMED_NON_STATE,
    ActorLexicon,
    ActorMention,
    assign_roles,
)
from incidents.counts import CountMention, find_counts, sentence_totals
from incidents.dates import (
    FLAG_FUTURE,
    FLAG_IMPOSSIBLE,
    FLAG_UNRESOLVED,
    DateMention,
    find_dates,
)
from incidents.event_site import (
    NEVER_A_SITE,
    SiteCandidate,
    choose_site,
    contains,
    direction_before,
    rank_sites,
    site_location,
    used_as_place,
)
from incidents.events import (
    REPORTED,
    EventLexicon,
    Trigger,
    WordSpan,
    find_triggers,
    war_toll,
    word_spans,
)
from incidents.model import Article, Count, Evidence, Incident, Location
from incidents.sentences import Sentence, match_text, split_sentences

log = logging.getLogger(__name__)

#: Written into every incident; bump when the rules or lexicons change what comes out.
EXTRACTOR_VERSION = "incidents-extract 0.3.1"

#: A past event ending more than this many days before publication is historical.
HISTORICAL_DAYS = 45
#: A present perfect right before a trigger ("has been arrested", "have killed"): news, not a
#: past story told on (see :meth:`Extractor._narrative_date`).
_PERFECT_BEFORE_RE = re.compile(r"\b(?:has|have)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
#: Days before publication an undated event is placed in (its date range ends on publication).
UNDATED_WINDOW_DAYS = 6
#: A sentence with no place or date of its own continues an event told this many sentences back.
CONTINUATION_GAP = 2
#: Longest headline (characters) told apart from the body.
HEADLINE_MAX_CHARS = 220

Geoparser = Callable[[str], Sequence[Toponym]]
#: Articles :meth:`Extractor.extract_many` reads at a time (their texts geoparsed in one call).
EXTRACT_BATCH = 32

#: Trigger classes by the family of events they belong to (for grouping).
VIOLENT_CLASSES = frozenset(
    ["kill", "attack", "clash", "raid", "neutralise", "airstrike", "shelling", "explosion", "suicide", "grenade", "chemical", "kidnap", "execution", "regain", "overtake"]
)
SECURITY_CLASSES = frozenset(["arrest", "seizure", "dismantle", "operation", "raid", "neutralise"])
DEMONSTRATION_CLASSES = frozenset({"protest", "riot"})
#: Classes that make a violent event on their own.
STRONG_VIOLENT = frozenset(["kill", "attack", "clash", "kidnap", "execution", "regain", "overtake"])
#: Explosive classes, in the order one wins over another.
EXPLOSIVE_ORDER: tuple[str, ...] = ("suicide", "chemical", "airstrike", "shelling", "grenade", "explosion")


#: "another attack", "a separate raid": a new event, whatever refers back in the sentence.
_NEW_EVENT_RE = re.compile(
    r"\b(?:another|a\s+separate|a\s+second|a\s+new|in\s+a\s+separate)\s+(?:[\w-]+\s+)?(?:operation|attack|raid|strike|incident|clash|bombing)",
    re.IGNORECASE,
)
#: Status of a named past event turned into a historical incident.
HISTORICAL = "historical"
_NAMED_DATE_GAP_RE = re.compile(r"\s*(?:,|in|of|on)?\s*")
#: Trigger statuses that tell background, not news.
_BACKGROUND = frozenset({"irrealis", "generic", "history"})


def _family(classes: Iterable[str]) -> set[str]:
    families = set()
    for cls in classes:
        if cls in VIOLENT_CLASSES:
            families.add("violence")
        if cls in SECURITY_CLASSES:
            families.add("security")
        if cls in DEMONSTRATION_CLASSES:
            families.add("demonstration")
    return families


@dataclass
class _Group:
    """Sentences telling one event, while they are being collected."""

    sentences: list[int] = field(default_factory=list)
    support: set[int] = field(default_factory=set)
    triggers: list[Trigger] = field(default_factory=list)
    headline: bool = False
    named: Trigger | None = None  # a named past event with its own date: "the Albu Nimr Massacre in October 2014"

    @property
    def last(self) -> int:
        return self.sentences[-1]

    @property
    def classes(self) -> set[str]:
        return {t.spec.cls for t in self.triggers if t.reported}


@dataclass(frozen=True, slots=True)
class _Doc:
    """Everything found in one article, by sentence."""

    article: Article
    text: str
    sentences: list[Sentence]
    headline_end: int
    triggers: list[list[Trigger]]
    dates: list[list[DateMention]]
    toponyms: list[list[Toponym]]
    actors: list[ActorMention]
    actors_by_sentence: list[list[ActorMention]]
    all_toponyms: list[Toponym]
    words: dict[int, list[WordSpan]]
    anaphora: list[set[str]]
    counts: dict[int, dict[str, CountMention]] = field(default_factory=dict)
    sites: dict[int, list[SiteCandidate]] = field(default_factory=dict)
    focus: list[Toponym | None] = field(default_factory=list)  # the article's stand-in site, once


@dataclass
class _Reading:
    """An article read up to its place names: what :meth:`Extractor._read` finds before the
    geoparser runs, and the text the geoparser is to read (None: no event, nothing to place)."""

    article: Article
    sentences: list[Sentence]
    headline_end: int
    folded: str
    word_cache: dict[int, list[WordSpan]]
    actors: list[ActorMention]
    triggers: list[Trigger]
    dates: list[DateMention]
    place_text: str | None


def _default_geoparser() -> Geoparser | None:
    try:
        from gazetteer.geoparse import geoparse
    except ImportError:
        log.warning("gazetteer.geoparse is not available: incidents will have no event site")
        return None
    return geoparse


class Extractor:
    """Turns articles into incidents; build one and call it on thousands of articles.

    Parameters
    ----------
    events, actors
        Compiled lexicons (default: ``data/lexicon/events.yaml`` and ``actors.yaml``).
    geoparser
        ``text -> list[Toponym]``; default :func:`gazetteer.geoparse`. Tests pass a stub.
    fast
        The default: the geoparser reads only the headline and the sentences that hold an
        event word or refer back to one (other sentences blanked, offsets kept), and dates come
        from the patterns only. ``fast=False`` geoparses the whole text (the other places
        inform the resolution) and also asks ``dateparser`` for a date where the patterns found
        none. Articles with no event word are never geoparsed.
    """

    def __init__(
        self,
        *,
        events: EventLexicon | None = None,
        actors: ActorLexicon | None = None,
        geoparser: Geoparser | None = None,
        fast: bool = True,
    ) -> None:
        self.events = events or EventLexicon.load()
        self.actors = actors or ActorLexicon.load()
        self._geoparser = geoparser
        self._geoparser_loaded = geoparser is not None
        self.fast = fast
        self._civilians = self.actors.resolve("civilians")

    @property
    def geoparser(self) -> Geoparser | None:
        if not self._geoparser_loaded:
            self._geoparser = _default_geoparser()
            self._geoparser_loaded = True
        return self._geoparser

    # --- public -------------------------------------------------------------------------

    def extract(self, article: Article, *, fast: bool | None = None) -> list[Incident]:
        """The incidents one article reports, in the order they are told.

        Parameters
        ----------
        article
            The article; ``article.published`` anchors relative dates.
        fast
            Overrides the extractor's ``fast`` for this call.

        Returns
        -------
        list of Incident
            Empty for an empty text or one that reports nothing.
        """
        if not article.text or not article.text.strip():
            return []
        use_fast = self.fast if fast is None else fast
        return self._incidents(self._read(article, fast=use_fast), fast=use_fast)

    def extract_batch(self, articles: Sequence[Article], *, fast: bool | None = None) -> list[list[Incident] | Exception]:
        """:meth:`extract` of each article, the geoparser reading all their texts in one call.

        The incidents are those :meth:`extract` gives each article alone; they come quicker
        because the default geoparser's batch entry point (:func:`gazetteer.geoparse_many`)
        tokenises and resolves many texts in one set of array operations.

        Parameters
        ----------
        articles
            The articles (a few dozen at a time: their texts are held together).
        fast
            Overrides the extractor's ``fast`` for this call.

        Returns
        -------
        list
            Per article, in order: its incidents, or the exception its extraction raised. One
            article that fails never fails the others (when the geoparser fails on the batch,
            it reads the texts again one by one, and only the text it fails on fails).
        """
        use_fast = self.fast if fast is None else fast
        readings: list[_Reading | list[Incident] | Exception] = []
        for article in articles:
            if not article.text or not article.text.strip():
                readings.append([])
                continue
            try:
                readings.append(self._read_to_places(article, fast=use_fast))
            except Exception as exc:  # noqa: BLE001 - reported in the article's place
                readings.append(exc)
        place_texts = [r.place_text for r in readings if isinstance(r, _Reading) and r.place_text is not None]
        found = iter(self._geoparse_each(place_texts))  # in the order of the readings that have one
        out: list[list[Incident] | Exception] = []
        for reading in readings:
            if not isinstance(reading, _Reading):
                out.append(reading)
                continue
            toponyms = next(found) if reading.place_text is not None else []
            if isinstance(toponyms, Exception):
                out.append(toponyms)
                continue
            try:
                out.append(self._incidents(self._read_places(reading, toponyms), fast=use_fast))
            except Exception as exc:  # noqa: BLE001 - reported in the article's place
                out.append(exc)
        return out

    def extract_each(
        self, articles: Iterable[Article], *, fast: bool | None = None
    ) -> Iterator[tuple[Article, list[Incident] | Exception]]:
        """Each article with its incidents or its error (:meth:`extract_batch`), read
        :data:`EXTRACT_BATCH` at a time (bounded memory)."""
        articles = iter(articles)
        while batch := list(itertools.islice(articles, EXTRACT_BATCH)):
            yield from zip(batch, self.extract_batch(batch, fast=fast))

    def extract_many(self, articles: Iterable[Article], *, fast: bool | None = None) -> Iterator[Incident]:
        """Incidents of many articles (:meth:`extract_each`); an article whose extraction fails
        raises its error."""
        for _, found in self.extract_each(articles, fast=fast):
            if isinstance(found, Exception):
                raise found
            yield from found

    __call__ = extract

    def event_site(
        self,
        text: str,
        triggers: Sequence[tuple[int, int]],
        *,
        toponyms: Sequence[Toponym] | None = None,
    ) -> SiteCandidate | None:
        """The event site of one sentence for the event words at ``triggers`` (offsets into
        ``text``), chosen the way :meth:`extract` chooses it: place names inside actor names
        and date phrases left out, then :func:`~incidents.event_site.rank_sites` and
        :func:`~incidents.event_site.choose_site`. ``toponyms``: the geoparser's, if at hand.
        """
        if toponyms is None:
            toponyms = self.geoparser(text) if self.geoparser else []
        places = _outside_actor_names(sorted(_places_only(toponyms), key=lambda t: t.start), self.actors.find(text))
        places = _outside_dates(places, find_dates(text))
        return choose_site(rank_sites(text, places, triggers=triggers))

    # --- reading ------------------------------------------------------------------------

    def _event_text(self, text: str, sentences: Sequence[Sentence], triggers: Sequence[Trigger], headline_end: int) -> str:
        """``text`` with every sentence blanked out (spaces, same offsets) but the headline and
        the sentences that report an event (or name a past one): the geoparser, by far the
        slowest step, then reads only what can hold an event site."""
        keep = {i for i, sent in enumerate(sentences) if sent.start < headline_end}
        starts = [sent.start for sent in sentences]
        keep.update(
            max(bisect.bisect_right(starts, t.start) - 1, 0)
            for t in triggers
            if t.reported or (t.status == "history" and t.text[:1].isupper())
        )
        if len(keep) == len(sentences):
            return text
        pieces: list[str] = []
        cursor = 0
        for i, sent in enumerate(sentences):
            if i in keep:
                continue
            pieces.append(text[cursor:sent.start])
            pieces.append(" " * (sent.end - sent.start))  # sentences hold no line break
            cursor = sent.end
        pieces.append(text[cursor:])
        return "".join(pieces)

    @staticmethod
    def _dates_near_triggers(
        text: str, sentences: Sequence[Sentence], triggers: Sequence[Trigger], published: date | None
    ) -> list[DateMention]:
        """Dates of the sentences holding a trigger (runs of such sentences searched at once):
        only those can date an incident."""
        starts = [sent.start for sent in sentences]
        wanted = sorted({max(bisect.bisect_right(starts, t.start) - 1, 0) for t in triggers})
        runs: list[tuple[int, int]] = []
        for i in wanted:
            if runs and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
        dates: list[DateMention] = []
        for first, last in runs:
            dates.extend(find_dates(text, published=published, start=sentences[first].start, end=sentences[last].end))
        return dates

    def _incidents(self, doc: _Doc, *, fast: bool) -> list[Incident]:
        """The incidents of an article read."""
        incidents: list[Incident] = []
        for group in self._group(doc):
            incident = self._incident(doc, group, fast=fast)
            if incident is not None:
                incidents.append(incident)
        return incidents

    def _geoparse_each(self, texts: list[str]) -> list[list[Toponym] | Exception]:
        """The geoparser's toponyms of each text, all texts in one call where it has a batch
        entry point; the error in a text's place where reading that text alone fails."""
        geoparser = self.geoparser
        if geoparser is None or not texts:
            return [[] for _ in texts]
        many = batch_entry_point(geoparser)
        if many is not None:
            try:
                return [list(found) for found in many(texts)]
            except Exception:  # noqa: BLE001 - one bad text: read them one by one below
                log.debug("batch geoparse failed; reading the texts one by one", exc_info=True)
        out: list[list[Toponym] | Exception] = []
        for text in texts:
            try:
                out.append(list(geoparser(text)))
            except Exception as exc:  # noqa: BLE001 - reported in the article's place
                out.append(exc)
        return out

    def _read(self, article: Article, *, fast: bool = True) -> _Doc:
        reading = self._read_to_places(article, fast=fast)
        geoparser = self.geoparser
        toponyms = list(geoparser(reading.place_text)) if geoparser and reading.place_text is not None else []
        return self._read_places(reading, toponyms)

    def _read_to_places(self, article: Article, *, fast: bool = True) -> _Reading:
        """Sentences, actors, event words and dates of an article, and the text the geoparser
        reads (the whole text, or in fast mode its event sentences; None without an event)."""
        text = article.text
        sentences = split_sentences(text)
        headline_end = _headline_end(article, sentences)
        folded = match_text(text)
        word_cache: dict[int, list[WordSpan]] = {}
        actors = self.actors.find(text, folded=folded)
        spans = [(s.start, s.end) for s in sentences]
        triggers = find_triggers(
            text,
            self.events,
            sentences=spans,
            headline_end=headline_end,
            blocked=[(a.start, a.end) for a in actors if a.actor is not None and not a.reference],
            actor_starts=[a.start for a in actors if a.actor is not None],
            folded=folded,
            word_cache=word_cache,
        )
        dates = self._dates_near_triggers(text, sentences, triggers, article.published)
        place_text = None
        if self.geoparser is not None and any(t.reported or t.status == "history" for t in triggers):
            place_text = text if not fast else self._event_text(text, sentences, triggers, headline_end)
        return _Reading(article, sentences, headline_end, folded, word_cache, actors, triggers, dates, place_text)

    def _read_places(self, reading: _Reading, found: Sequence[Toponym]) -> _Doc:
        """The article read, from its reading up to places and the geoparser's toponyms."""
        article, text, sentences = reading.article, reading.article.text, reading.sentences
        actors, dates, headline_end = reading.actors, reading.dates, reading.headline_end
        folded, word_cache, triggers = reading.folded, reading.word_cache, reading.triggers
        toponyms = sorted(_places_only(found), key=lambda t: t.start)
        toponyms = _outside_dates(_outside_actor_names(toponyms, actors), dates)
        toponyms = _outside_person_names(toponyms, person_surnames(text))
        starts = [s.start for s in sentences]
        return _Doc(
            article=article,
            text=text,
            sentences=sentences,
            headline_end=headline_end,
            triggers=_bucket(triggers, starts, lambda t: t.start),
            dates=_bucket(dates, starts, lambda d: d.start),
            toponyms=_bucket(toponyms, starts, lambda t: t.start),
            actors=actors,
            actors_by_sentence=_bucket(actors, starts, lambda a: a.start),
            all_toponyms=toponyms,
            words=word_cache,
            anaphora=[{m.value for m in hits} for hits in _bucket(
                self.events.anaphora_matcher.find(text, folded=folded), starts, lambda m: m.start
            )],
        )

    # --- grouping -----------------------------------------------------------------------

    def _anaphor(self, doc: _Doc, index: int) -> tuple[bool, bool]:
        """(refers back to an event, announces a new one) for sentence ``index``."""
        sentence = doc.sentences[index]
        refers = False
        new = False
        kinds = doc.anaphora[index]
        if not kinds:
            return False, False
        names = [(a.start - sentence.start, a.end - sentence.start) for a in doc.actors_by_sentence[index]]
        candidates = self.events.anaphora_re.finditer(sentence.text) if "noun" in kinds else ()
        for m in candidates:
            if any(a_start < m.end() and m.start() < a_end for a_start, a_end in names):
                continue  # "the Joint Operations Command" names a unit, it does not refer back
            modifiers = set(m.group(1).lower().split())
            if modifiers & self.events.anaphora_new:
                new = True
            else:
                refers = True
        if not refers and "phrase" in kinds:
            refers = self.events.anaphora_phrases_re.search(sentence.text) is not None
        if not new and candidates:
            new = _NEW_EVENT_RE.search(sentence.text) is not None
        return refers, new

    def _own_sites(self, doc: _Doc, index: int) -> list[SiteCandidate]:
        """Resolved places sentence ``index`` names with a locative word (computed once)."""
        if index not in doc.sites:
            sentence = doc.sentences[index]
            spans = [(t.start, t.end) for t in doc.triggers[index] if t.reported]
            doc.sites[index] = [
                c for c in rank_sites(doc.text, doc.toponyms[index], triggers=spans,
                                      sentence_start=sentence.start, sentence_end=sentence.end)
                if c.locative and c.toponym.resolved
            ]
        return doc.sites[index]

    def _own_dates(self, doc: _Doc, index: int) -> list[DateMention]:
        return [d for d in doc.dates[index] if not d.bound and FLAG_IMPOSSIBLE not in d.flags]

    def _group_sites(self, doc: _Doc, group: _Group) -> set[str]:
        ids: set[str] = set()
        for i in group.sentences:
            ids.update(c.toponym.place_id for c in self._own_sites(doc, i) if c.toponym.place_id)
        return ids

    def _group(self, doc: _Doc) -> list[_Group]:
        groups: list[_Group] = []
        history: list[_Group] = []  # named past events, kept out of the way of references
        headline: _Group | None = None
        last_background = -1  # last sentence telling history, habit or intention
        for i, sentence in enumerate(doc.sentences):
            triggers = doc.triggers[i]
            reported = [t for t in triggers if t.reported]
            if sentence.start < doc.headline_end:
                if reported:
                    headline = headline or _Group(headline=True)
                    headline.sentences.append(i)
                    headline.triggers.extend(triggers)
                continue
            recent = groups[-1] if groups else None
            for named in self._named_past_events(doc, i):
                history.append(_Group(sentences=[i], triggers=[named], named=named))
            if not reported and (recent is None or i - recent.last > 6):
                if any(t.status in _BACKGROUND for t in triggers):
                    last_background = i
                continue
            refers, new = self._anaphor(doc, i)
            background_pending = last_background > (recent.last if recent else -1)
            if not reported:
                if refers and recent is not None and not background_pending and i - recent.last <= 6:
                    target = self._referent(doc, groups, i)
                    target.sentences.append(i)
                    target.support.add(i)
                    target.triggers.extend(triggers)
                if any(t.status in _BACKGROUND for t in triggers):
                    last_background = i
                continue
            if refers and background_pending and not self._own_dates(doc, i):
                last_background = i  # "These operations were successful in ..." after a habit
                continue
            target = None
            if refers and recent is not None and not new:
                target = self._referent(doc, groups, i)
            elif recent is not None and not new:
                target = self._continuation(doc, recent, i, reported)
            if target is None:
                target = _Group()
                groups.append(target)
            target.sentences.append(i)
            target.triggers.extend(triggers)
        if headline is not None:
            if groups:
                self._best_for_headline(doc, groups, headline)
            else:
                groups.append(headline)
        groups.extend(history)
        for group in groups:
            group.sentences.sort()
        groups.sort(key=lambda g: g.sentences[0])
        return groups

    def _named_past_events(self, doc: _Doc, index: int) -> list[Trigger]:
        """Past events told as background but named, with a date of their own right after the
        name ("the Albu Nimr Massacre in October 2014"): they become historical incidents."""
        named: list[Trigger] = []
        sentence = doc.sentences[index]
        for trigger in doc.triggers[index]:
            if trigger.status not in _BACKGROUND or trigger.start == sentence.start or not trigger.text[:1].isupper():
                continue
            for mention in doc.dates[index]:
                gap = doc.text[trigger.end:mention.start]
                if (
                    0 <= mention.start - trigger.end <= 12
                    and _NAMED_DATE_GAP_RE.fullmatch(gap)
                    and mention.resolved
                    and not mention.relative
                ):
                    named.append(replace(trigger, status=HISTORICAL))
                    break
        return named

    def _referent(self, doc: _Doc, groups: list[_Group], index: int) -> _Group:
        """The group a referring sentence points at: the latest, unless its own place names an
        earlier one."""
        own = {c.toponym.place_id for c in self._own_sites(doc, index) if c.toponym.place_id}
        if own:
            for group in reversed(groups):
                if own & self._group_sites(doc, group):
                    return group
        return groups[-1]

    def _continuation(self, doc: _Doc, recent: _Group, index: int, reported: list[Trigger]) -> _Group | None:
        """``recent`` when sentence ``index`` goes on telling it, else None."""
        own_sites = self._own_sites(doc, index)
        own_dates = self._own_dates(doc, index)
        classes = {t.spec.cls for t in reported}
        if not own_sites and not own_dates and index - recent.last <= CONTINUATION_GAP:
            return recent
        if not (_family(classes) & _family(recent.classes)):
            return None
        if own_dates and any(self._own_dates(doc, i) for i in recent.sentences):
            return None
        own_ids = {c.toponym.place_id for c in own_sites}
        if own_ids and own_ids == (self._group_sites(doc, recent) & own_ids) and own_ids <= self._group_sites(doc, recent):
            return recent
        if own_sites and self._refines(doc, recent, own_sites):
            return recent
        if self._same_counts(doc, recent, index):
            return recent
        return None

    def _refines(self, doc: _Doc, group: _Group, own_sites: list[SiteCandidate]) -> bool:
        """True when a group placed only in a country or province is told again with the
        place inside it ("18 jihadists were killed in northern Syria ..." then "the militants
        were killed in fighting near the town of Ain al-Arab"): news gives the area first."""
        outer = [c.toponym for i in group.sentences for c in self._own_sites(doc, i)]
        if not outer or any(t.feature not in ("country", "admin1") for t in outer):
            return False
        return all(any(contains(o, c.toponym) for o in outer) for c in own_sites)

    def _same_counts(self, doc: _Doc, group: _Group, index: int) -> bool:
        """True when sentence ``index`` repeats a count of ``group`` ("200 arrested")."""
        mine = self._counts(doc, index)
        if not mine:
            return False
        for i in group.sentences:
            for category, mention in self._counts(doc, i).items():
                other = mine.get(category)
                if other is not None and other.count.best == mention.count.best and not other.vague:
                    return True
        return False

    def _best_for_headline(self, doc: _Doc, groups: list[_Group], headline: _Group) -> None:
        """Merge the headline into the body event it summarises."""
        h_classes = headline.classes
        h_actors = {m.actor.name for i in headline.sentences for m in doc.actors_by_sentence[i] if m.actor}

        def affinity(item: tuple[int, _Group]) -> tuple[float, int]:
            order, group = item
            score = 2.0 * len(h_classes & group.classes) + 1.0 * bool(_family(h_classes) & _family(group.classes))
            g_actors = {m.actor.name for i in group.sentences for m in doc.actors_by_sentence[i] if m.actor}
            score += 0.5 * len(h_actors & g_actors)
            h_counts = {k: v.count.best for i in headline.sentences for k, v in self._counts(doc, i).items()}
            g_counts = {k for i in group.sentences for k in self._counts(doc, i)}
            score += 1.0 * len(set(h_counts) & g_counts)
            return score, -order

        _, best = max(enumerate(groups), key=affinity)
        best.sentences.extend(headline.sentences)
        best.triggers.extend(headline.triggers)
        best.headline = True

    # --- one incident -------------------------------------------------------------------

    def _counts(self, doc: _Doc, index: int) -> dict[str, CountMention]:
        """Count totals of sentence ``index`` (computed once per article)."""
        if index not in doc.counts:
            sentence = doc.sentences[index]
            blocked = tuple((d.start, d.end) for d in doc.dates[index])
            if index not in doc.words:
                doc.words[index] = word_spans(doc.text, sentence.start, sentence.end)
            mentions = find_counts(
                doc.text, self.events, start=sentence.start, end=sentence.end, blocked=blocked,
                words=doc.words[index],
            )
            # a war's running toll ("more than 300,000 killed since 2011") is no incident's count
            doc.counts[index] = sentence_totals([
                m for m in mentions
                if m.category is None or not war_toll(self.events, doc.text, m.start, m.end, sentence.start, sentence.end)
            ])
        return doc.counts[index]

    def _incident(self, doc: _Doc, group: _Group, *, fast: bool) -> Incident | None:
        article = doc.article
        reported = [t for t in group.triggers if t.reported or t.status == HISTORICAL]
        if not reported:
            return None
        body = [i for i in group.sentences if doc.sentences[i].start >= doc.headline_end]
        lead = body[0] if body else group.sentences[0]
        flags: list[str] = []
        evidence: list[Evidence] = [Evidence(t.start, t.end, "trigger", article.article_id) for t in reported]

        killed, injured, arrested, count_evidence = self._group_counts(doc, group)
        evidence.extend(count_evidence)

        roles = self._roles(doc, group, reported)
        actor1, actor2, associates = roles
        for mention in (actor1, actor2):
            if isinstance(mention, ActorMention):
                evidence.append(Evidence(mention.start, mention.end, "actor", article.article_id))
        name1 = actor1.actor.name if isinstance(actor1, ActorMention) and actor1.actor else actor1 if isinstance(actor1, str) else None
        name2 = actor2.actor.name if isinstance(actor2, ActorMention) and actor2.actor else actor2 if isinstance(actor2, str) else None

        event_type, sub_event_type = event_type_for(
            reported,
            killed=killed.best if killed else 0,
            arrested=arrested.best if arrested else 0,
            target_civilian=name2 == (self._civilians.name if self._civilians else "Civilians"),
        )

        d_start, d_end, precision, date_text, date_mention, date_flags = self._group_date(doc, group, lead, fast=fast)
        flags.extend(date_flags)
        if date_mention is not None:
            evidence.append(Evidence(date_mention.start, date_mention.end, "date", article.article_id))
        historical = group.named is not None or bool(
            article.published and d_end is not None and d_end < article.published - timedelta(days=HISTORICAL_DAYS)
        )

        location, site, site_flags = self._group_site(doc, group, lead)
        flags.extend(site_flags)
        if site is not None:
            evidence.append(Evidence(site.toponym.start, site.toponym.end, "place", article.article_id))
        if historical and (site is None or "site_from_article" in site_flags):
            return None  # history told in passing, with no place of its own
        if site is None and "date_from_publication" in flags and not (
                killed or injured or arrested or group.headline):
            # neither a place, a time nor a toll of its own ("murdered tens of thousands",
            # "the boys were arrested"): told in passing or in general, and nothing to map
            return None
        if group.named is not None and (site is None or "event_name" not in site.reasons):
            return None  # a named event whose name holds no place we know

        evidence = sorted(set(evidence), key=lambda e: (e.start, e.end, e.role))
        first_trigger = min(reported, key=lambda t: (t.start < doc.headline_end, t.start))
        incident_id = hashlib.sha1(
            f"{article.article_id}:{first_trigger.start}:{first_trigger.end}".encode()
        ).hexdigest()[:16]
        assoc = tuple(dict.fromkeys(a for a in associates if a not in (name1, name2)))
        summary = _summary(event_type, sub_event_type, name1, name2, location, date_text, killed, injured, arrested)
        score = _confidence(location, site_flags, date_mention, name1, killed or injured or arrested, group.headline)
        return Incident(
            incident_id=incident_id,
            event_type=event_type,
            sub_event_type=sub_event_type,
            actor1=name1,
            actor2=name2,
            assoc_actors=assoc,
            location=location,
            date_start=d_start,
            date_end=d_end,
            time_precision=precision,
            date_anchor=article.published,
            date_text=date_text,
            killed=killed,
            injured=injured,
            arrested=arrested,
            historical=historical,
            summary=summary,
            article_ids=(article.article_id,),
            article_ref=article.ref,
            title=article.title,
            evidence=tuple(evidence),
            source=article.source,
            flags=tuple(dict.fromkeys(flags)),
            extractor_version=EXTRACTOR_VERSION,
            score=score,
        )

    def _group_counts(self, doc: _Doc, group: _Group) -> tuple[Count | None, Count | None, Count | None, list[Evidence]]:
        """Killed, injured, arrested of a group: figures under half the largest body figure are
        parts of it; a headline figure widens the range."""
        per_category: dict[str, list[tuple[CountMention, bool]]] = {c: [] for c in ("killed", "injured", "arrested")}
        for i in group.sentences:
            in_headline = doc.sentences[i].start < doc.headline_end
            for category, mention in self._counts(doc, i).items():
                per_category[category].append((mention, in_headline))
        results: dict[str, Count | None] = {}
        evidence: list[Evidence] = []
        for category, items in per_category.items():
            precise = [(m, h) for m, h in items if not m.vague]
            items = precise or items
            if not items:
                results[category] = None
                continue
            body = [m for m, h in items if not h]
            heads = [m for m, h in items if h]
            if body:
                largest = max(m.count.best for m in body)
                body = [m for m in body if m.count.best * 2 >= largest]
            kept = body + heads
            first = body[0] if body else heads[0]
            results[category] = Count(
                low=min(m.count.low for m in kept),
                best=first.count.best,
                high=max(m.count.high for m in kept),
                text=first.count.text,
            )
            evidence.extend(Evidence(m.start, m.end, "count", doc.article.article_id) for m in kept)
        return results["killed"], results["injured"], results["arrested"], evidence

    def _roles(
        self, doc: _Doc, group: _Group, reported: list[Trigger]
    ) -> tuple[ActorMention | str | None, ActorMention | str | None, list[str]]:
        text = doc.text
        actor1: ActorMention | str | None = None
        actor2: ActorMention | str | None = None
        associates: list[str] = []
        ordered = sorted(reported, key=lambda t: (t.headline, t.start))
        for trigger in ordered:
            index = _sentence_of(doc, trigger.start)
            sentence = doc.sentences[index]
            roles = assign_roles(
                text,
                doc.actors_by_sentence[index],
                trigger_start=trigger.start,
                trigger_end=trigger.end,
                sentence_start=sentence.start,
                sentence_end=sentence.end,
            )
            if actor1 is None and roles.actor1 is not None:
                actor1 = roles.actor1
            if actor2 is None and roles.actor2 is not None:
                actor2 = roles.actor2
            associates.extend(m.actor.name for m in roles.associates if m.actor)
            if actor2 is None and trigger.spec.cls in VIOLENT_CLASSES and self._civilians is not None:
                following = [w.word for w in word_spans(text, trigger.end, min(sentence.end, trigger.end + 60))][:6]
                if any(w in self.events.civilian_nouns for w in following):
                    actor2 = self._civilians.name
        mentioned = [m.actor for i in group.sentences for m in doc.actors_by_sentence[i] if m.actor]
        name1 = _actor_name(actor1)
        name2 = _actor_name(actor2)
        kind1 = _actor_kind(actor1, self.actors)
        kind2 = _actor_kind(actor2, self.actors)
        if name1 is not None and name1 == name2:
            actor2, name2, kind2 = None, None, None
        if actor2 is None and kind1 in ("state", "external"):
            rebel = next((a for a in mentioned if a.kind in ARMED_NON_STATE), None)
            if rebel is not None:
                actor2 = rebel.name
        elif actor1 is None and kind2 in ARMED_NON_STATE:
            state = next((a for a in mentioned if a.kind in ("state", "external")), None)
            if state is not None:
                actor1 = state.name
        elif actor1 is None and kind2 == "civilians":
            # an air strike on civilians is a state's or a foreign force's, never a rebel
            # group's (ISIS has no aircraft): only then is a state mentioned the author
            from_air = any(t.spec.cls == "airstrike" for t in reported)
            kinds = ("state", "external") if from_air else ARMED_NON_STATE
            author = next((a for a in mentioned if a.kind in kinds), None)
            if author is not None:
                actor1 = author.name
        names = {_actor_name(actor1), _actor_name(actor2)}
        associates.extend(a.name for a in mentioned if a.kind in ARMED and a.name not in names)
        return actor1, actor2, [a for a in dict.fromkeys(associates) if a not in names]

    def _group_date(
        self, doc: _Doc, group: _Group, lead: int, *, fast: bool
    ) -> tuple[date | None, date | None, str | None, str | None, DateMention | None, list[str]]:
        """Date range of a group: its first own date (the lead sentence first), refined by a
        finer date inside it; else the week before publication."""
        published = doc.article.published
        order = [lead] + [i for i in group.sentences if i != lead and i not in group.support]
        triggers = [(t.start, t.end) for t in group.triggers]
        mentions = [d for i in order for d in doc.dates[i] if not d.bound
                    and not _in_side_clause(doc.text, d, doc.sentences[i], triggers)]
        flags: list[str] = []
        if any(FLAG_IMPOSSIBLE in d.flags for d in mentions):
            flags.append(FLAG_IMPOSSIBLE)
        usable = [d for d in mentions if FLAG_IMPOSSIBLE not in d.flags]
        if not usable and not fast and published is not None:
            usable = [d for i in order[:1] for d in _dateparser_dates(doc, i, published)]
        if usable:
            chosen = usable[0]
            if not chosen.resolved:
                flags.append(FLAG_UNRESOLVED)
                return None, None, None, chosen.text, chosen, flags
            for other in usable[1:]:
                if (
                    other.resolved
                    and _finer(other.precision, chosen.precision)
                    and chosen.date_start <= other.date_start  # type: ignore[operator]
                    and other.date_end <= chosen.date_end  # type: ignore[operator]
                ):
                    chosen = other
            if FLAG_FUTURE in chosen.flags:
                flags.append(FLAG_FUTURE)
            return chosen.date_start, chosen.date_end, chosen.precision, chosen.text, chosen, flags
        if published is None:
            flags.append("no_date")
            return None, None, None, None, None, flags
        carried = self._narrative_date(doc, group, lead)
        if carried is not None:
            flags.append("date_from_previous_sentence")
            return carried.date_start, carried.date_end, carried.precision, carried.text, carried, flags
        flags.append("date_from_publication")
        return published - timedelta(days=UNDATED_WINDOW_DAYS), published, "week", None, None, flags

    def _narrative_date(self, doc: _Doc, group: _Group, lead: int) -> DateMention | None:
        """The date of a past story an undated event goes on telling, or None.

        "One 45-second mistake on 3 November 2016 almost cost Baghdadi his caliphate. As Iraqi
        and Kurdish forces advanced on Mosul, ...": the sentence right before the event's lead
        tells no event of its own and gives a calendar date (not "last year") more than
        ``HISTORICAL_DAYS`` before publication; the event, in the simple past, happened then,
        not in the week before publication. A present perfect ("has been arrested") is news
        and keeps the publication week.
        """
        published = doc.article.published
        index = lead - 1
        if published is None or index < 0 or index in group.sentences:
            return None
        previous = doc.sentences[index]
        if previous.start < doc.headline_end or any(t.reported for t in doc.triggers[index]):
            return None
        sentence = doc.sentences[lead]
        for trigger in group.triggers:
            if trigger.reported and sentence.start <= trigger.start < sentence.end and _PERFECT_BEFORE_RE.search(
                doc.text, max(sentence.start, trigger.start - 30), trigger.start
            ):
                return None
        old = published - timedelta(days=HISTORICAL_DAYS)
        usable = [
            d for d in find_dates(doc.text, published=published, start=previous.start, end=previous.end)
            if d.resolved and not d.relative and not d.bound and FLAG_IMPOSSIBLE not in d.flags
            and d.date_end is not None and d.date_end < old
        ]
        return usable[-1] if usable else None

    def _article_focus(self, doc: _Doc) -> Toponym | None:
        """The stand-in site of an event whose sentences name no place, inside the article's
        main country (the one its places lie in most; a headline mention counts twice; none
        on a tie): the province that country's places lie in most, as that province's own
        name if the article uses it, else as its most named place; failing any province, the
        country. Names used as origins, bases, adjectives or news sources ("the Britain-based
        Observatory", "US-led") do not count. Computed once per article."""
        if not doc.focus:
            doc.focus.append(_article_focus(doc))
        return doc.focus[0]

    def _group_site(self, doc: _Doc, group: _Group, lead: int) -> tuple[Location | None, SiteCandidate | None, list[str]]:
        candidates: list[SiteCandidate] = []
        for i in group.sentences:
            sentence = doc.sentences[i]
            spans = [(t.start, t.end) for t in doc.triggers[i] if t.status in (REPORTED, "mention")]
            if sentence.start < doc.headline_end and spans:
                # A headline that lists several events leads with the main one.
                spans = spans[:1]
            for c in rank_sites(doc.text, doc.toponyms[i], triggers=spans,
                                sentence_start=sentence.start, sentence_end=sentence.end):
                if i == lead:
                    c = c.adjusted(0.5, "lead")
                elif sentence.start < doc.headline_end:
                    c = c.adjusted(-0.3, "headline")
                elif i in group.support:
                    c = c.adjusted(-1.0, "support")
                if group.named is not None and 0 <= group.named.start - c.toponym.end <= 2:
                    c = c.adjusted(2.5, "event_name")  # "the Albu Nimr Massacre": the name's place
                if not NEVER_A_SITE.intersection(c.reasons):
                    candidates.append(c)
        site = choose_site(candidates)
        flags: list[str] = []
        if site is None or not site.toponym.resolved:
            focus = self._article_focus(doc)
            if focus is None:
                flags.append("no_location")
                return None, None, flags
            flags.append("site_from_article")
            return site_location(focus, geo_precision=max(3, focus.geo_precision)), None, flags
        # The geoparser moves "eastern Syria" itself (relation set); move only what it did not.
        direction = None if site.toponym.relation else direction_before(doc.text, site.toponym)
        if direction:
            flags.append(f"site_direction:{direction}")
        precision = site.toponym.geo_precision
        if "fallback" in site.reasons:
            flags.append("site_fallback")
            precision = max(precision, 2)
        return site_location(site.toponym, direction=direction, geo_precision=precision), site, flags


def _outside_dates(toponyms: list[Toponym], dates: Sequence[DateMention]) -> list[Toponym]:
    """Drop place names that are part of a date phrase ("Dec." of "Dec. 12", "August")."""
    if not dates:
        return toponyms
    spans = sorted((d.start, d.end) for d in dates)
    starts = [s for s, _ in spans]
    kept = []
    for t in toponyms:
        i = bisect.bisect_right(starts, t.start) - 1
        if i >= 0 and spans[i][0] <= t.start < spans[i][1]:
            continue
        kept.append(t)
    return kept


#: A given name, one space, a capitalised word: a person's name ("John Bolton").
_GIVEN_AND_SURNAME_RE = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]{2,})\b(?! [A-Z])")
#: Two capitalised words and an age between commas: a person ("Jac Holmes, 24,").
_NAME_AND_AGE_RE = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]{2,}), (?:aged )?\d{1,3},")
#: Given names that are also common English words at the start of a sentence or headline.
_GIVEN_NAMES_ALSO_WORDS = frozenset({"bill", "mark", "frank", "grace", "rose", "don", "glen",
                                     "dale", "rob", "gene", "earl", "jack"})


def person_surnames(text: str) -> frozenset[str]:
    """The surnames of the people an article names with a given name ("John Bolton" gives
    "Bolton"), from ``data/gazetteer/first_names.txt``, and both names of a person given an
    age ("Oliver Hall, 24," gives "Oliver" and "Hall").

    The word alone elsewhere in the article is that person ("Bolton advocated air strikes").
    The geoparser knows this when it reads the whole article; the fast mode geoparses only the
    event sentences, so the extractor looks at the whole text itself.
    """
    given = first_names() - _GIVEN_NAMES_ALSO_WORDS
    named = {m.group(2) for m in _GIVEN_AND_SURNAME_RE.finditer(text) if m.group(1).lower() in given}
    # a name with an age after it is a person, given name and surname alike ("Oliver Hall, 24,
    # from Portsmouth" ... "killing Oliver": not Oliver, British Columbia)
    for m in _NAME_AND_AGE_RE.finditer(text):
        named.update((m.group(1), m.group(2)))
    return frozenset(named)


def _places_only(toponyms: Sequence[Toponym]) -> list[Toponym]:
    """Leave out nationality words the geoparser reports as their country ("the Syrian port
    of Latakia": ``relation="demonym"``): an incident's site is never a nationality word."""
    return [t for t in toponyms if t.relation != "demonym"]


def _outside_person_names(toponyms: list[Toponym], surnames: frozenset[str]) -> list[Toponym]:
    """Drop one-word place names that are the surname of a person the article names."""
    if not surnames:
        return toponyms
    return [t for t in toponyms if t.text not in surnames]


def _outside_actor_names(toponyms: list[Toponym], actors: Sequence[ActorMention]) -> list[Toponym]:
    """Drop place names inside an actor's name ("SDF", "Falcon Intelligence Cell", "U.S.
    Central Command", "Anbar Police"): never an event site."""
    spans = sorted((a.start, a.end) for a in actors if a.actor is not None and not a.reference)
    if not spans:
        return toponyms
    starts = [s for s, _ in spans]
    out = []
    for t in toponyms:
        i = bisect.bisect_right(starts, t.start) - 1
        if not (i >= 0 and spans[i][0] <= t.start and t.end <= spans[i][1]):
            out.append(t)
    return out


def _actor_name(value: ActorMention | str | None) -> str | None:
    if isinstance(value, ActorMention):
        return value.actor.name if value.actor else None
    return value


def _actor_kind(value: ActorMention | str | None, lexicon: ActorLexicon) -> str | None:
    if isinstance(value, ActorMention):
        return value.actor.kind if value.actor else None
    if isinstance(value, str):
        actor = lexicon.resolve(value)
        return actor.kind if actor else None
    return None


#: A relative pronoun opening a side clause ("Aksoy, a Kurd who moved to Britain 22 years ago,").
_RELATIVE_RE = re.compile(r"\b(?:who|whom|whose|which)\b", re.IGNORECASE)


def _in_side_clause(text: str, mention: DateMention, sentence: Sentence,
                    triggers: Sequence[tuple[int, int]]) -> bool:
    """True when the date lies in a relative clause between commas that reports none of the
    group's events ("Aksoy, a Turkish Kurd who moved to Britain 22 years ago, is believed to be
    the fifth Briton killed"): the date of something else."""
    start = text.rfind(",", sentence.start, mention.start)
    end = text.find(",", mention.end, sentence.end)
    if start < 0 or end < 0:
        return False
    if not _RELATIVE_RE.search(text, start, mention.start):
        return False
    return not any(start < t_start < end for t_start, _ in triggers)


def _finer(a: str | None, b: str | None) -> bool:
    order = {"day": 0, "week": 1, "month": 2, "year": 3}
    return a in order and b in order and order[a] < order[b]  # type: ignore[index]


def _bucket(items: Iterable, starts: list[int], key: Callable) -> list[list]:
    buckets: list[list] = [[] for _ in starts] or [[]]
    for item in items:
        i = bisect.bisect_right(starts, key(item)) - 1
        buckets[max(i, 0)].append(item)
    return buckets


def _sentence_of(doc: _Doc, offset: int) -> int:
    return max(bisect.bisect_right([s.start for s in doc.sentences], offset) - 1, 0)


def _headline_end(article: Article, sentences: Sequence[Sentence]) -> int:
    """End offset of the headline at the top of the text, 0 when there is none.

    The first sentence is a headline when it is the article's title, or a short line with no
    final full stop followed by more text; a text of one short sentence is all headline.
    """
    if not sentences:
        return 0
    first = sentences[0]
    if len(sentences) == 1:
        return first.end if len(first.text) <= HEADLINE_MAX_CHARS * 1.5 else 0
    title = (article.title or "").strip()
    if title and first.text.strip() == title and len(title) <= HEADLINE_MAX_CHARS * 1.5:
        return first.end
    second = sentences[1]
    if (
        len(first.text) <= HEADLINE_MAX_CHARS
        and not first.text.rstrip().endswith((".", "!", "?", "\u201d", '"'))
        and second.paragraph > first.paragraph
    ):
        return first.end
    return 0


def _article_focus(doc: _Doc) -> Toponym | None:
    """See :meth:`Extractor._article_focus`."""
    usable = []
    for t in doc.all_toponyms:
        if not t.resolved or t.in_organisation:
            continue
        sentence = doc.sentences[_sentence_of(doc, t.start)]
        if used_as_place(doc.text, t, sentence_start=sentence.start, sentence_end=sentence.end):
            usable.append(t)
    # The stand-in lies in the article's one main country: where its places lie most (a town
    # counts for its country). An article split evenly between countries ("Syria" and
    # "Tennessee", "Somalia" and "US") has no place to lend an event that names none.
    by_country: Counter[str] = Counter()
    for t in usable:
        if t.country:
            by_country[t.country] += 2 if t.start < doc.headline_end else 1
    ranked = by_country.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    country = ranked[0][0]
    usable = [t for t in usable if t.country == country]
    weight: Counter[str] = Counter()
    first: dict[str, int] = {}
    for t in usable:
        if t.feature != "country" and t.admin1_code:
            weight[t.admin1_code] += 2 if t.start < doc.headline_end else 1
            first.setdefault(t.admin1_code, t.start)
    if weight:
        code = max(weight, key=lambda c: (weight[c], -first[c]))
        inside = [t for t in usable if t.admin1_code == code and t.feature != "country"]
        chosen = [t for t in inside if t.feature == "admin1"] or inside
    else:
        chosen = [t for t in usable if t.feature == "country"]
    if not chosen:
        return None
    named = Counter(t.place_id for t in chosen)
    return max(chosen, key=lambda t: (named[t.place_id], -t.start))


def event_type_for(
    triggers: Sequence[Trigger], *, killed: int = 0, arrested: int = 0, target_civilian: bool = False
) -> tuple[str, str | None]:
    """ACLED event type and sub-type of an event from its reported triggers and counts.

    Explosive weapons decide first (suicide bomb, chemical, air strike, shelling, grenade,
    IED); then riots and protests; then violence (an attack on civilians, an abduction or an
    execution is Violence against civilians, other violence a Battle); then arrests,
    seizures, dismantled cells and sites, operations and agreements (Strategic developments). A raid or
    a "neutralised" cell with arrests and no deaths is an arrest.
    """
    by_class: dict[str, Trigger] = {}
    for trigger in triggers:
        by_class.setdefault(trigger.spec.cls, trigger)
    for cls in EXPLOSIVE_ORDER:
        if cls in by_class:
            spec = by_class[cls].spec
            return spec.event_type, spec.sub_event_type
    if "riot" in by_class:
        return by_class["riot"].spec.event_type, by_class["riot"].spec.sub_event_type
    if "protest" in by_class:
        return by_class["protest"].spec.event_type, by_class["protest"].spec.sub_event_type
    strong = STRONG_VIOLENT & by_class.keys()
    if strong or killed > 0:
        if "execution" in by_class:
            return "Violence against civilians", "Attack"
        if "kidnap" in by_class and not ({"kill", "attack"} & by_class.keys()) and killed == 0:
            return "Violence against civilians", "Abduction/forced disappearance"
        if target_civilian:
            return "Violence against civilians", "Attack"
        if "kidnap" in by_class:
            return "Violence against civilians", "Attack"
        for cls in ("regain", "overtake"):
            if cls in by_class and not ({"kill", "clash", "attack"} & by_class.keys()):
                return by_class[cls].spec.event_type, by_class[cls].spec.sub_event_type
        return "Battles", "Armed clash"
    if "arrest" in by_class or arrested > 0:
        return "Strategic developments", "Arrests"
    if "seizure" in by_class:
        return "Strategic developments", "Disrupted weapons use"
    if "dismantle" in by_class:
        return "Strategic developments", by_class["dismantle"].spec.sub_event_type
    if {"raid", "neutralise"} & by_class.keys():
        return "Battles", "Armed clash"
    if "operation" in by_class:
        return "Strategic developments", by_class["operation"].spec.sub_event_type
    if "agreement" in by_class:
        return by_class["agreement"].spec.event_type, by_class["agreement"].spec.sub_event_type
    first = triggers[0].spec
    return first.event_type, first.sub_event_type


def _summary(
    event_type: str,
    sub_event_type: str | None,
    actor1: str | None,
    actor2: str | None,
    location: Location | None,
    date_text: str | None,
    killed: Count | None,
    injured: Count | None,
    arrested: Count | None,
) -> str:
    """One line: what, who against whom, where, when, how many."""
    what = sub_event_type or event_type
    who = ""
    if actor1 and actor2:
        who = f" by {actor1} against {actor2}"
    elif actor1:
        who = f" by {actor1}"
    elif actor2:
        who = f" against {actor2}"
    where = f" in {location.name}" if location else ""
    when = f" ({date_text})" if date_text else ""
    figures = []
    for label, count in (("killed", killed), ("injured", injured), ("arrested", arrested)):
        if count is not None:
            value = str(count.best) if count.low == count.high else f"{count.low}-{count.high}"
            figures.append(f"{value} {label}")
    tail = f"; {', '.join(figures)}" if figures else ""
    return f"{what}{who}{where}{when}{tail}."


def _confidence(
    location: Location | None,
    site_flags: Sequence[str],
    date_mention: DateMention | None,
    actor1: str | None,
    counted: object,
    headline: bool,
) -> float:
    """A rough 0-1 confidence: how many fields the text itself supports."""
    score = 0.3
    if location is not None and "site_from_article" not in site_flags:
        score += 0.2 if location.geo_precision < 3 else 0.15
    if date_mention is not None:
        score += 0.15
    if actor1:
        score += 0.1
    if counted:
        score += 0.1
    if headline:
        score += 0.1
    return round(min(score, 1.0), 2)


def _dateparser_dates(doc: _Doc, index: int, published: date) -> list[DateMention]:
    """Dates ``dateparser`` finds in one sentence that the patterns missed (slow mode)."""
    from datetime import datetime

    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    sentence = doc.sentences[index]
    settings = {"RELATIVE_BASE": datetime.combine(published, datetime.min.time()), "PREFER_DATES_FROM": "past"}
    found = search_dates(sentence.text, languages=["en"], settings=settings) or []
    parser = DateDataParser(languages=["en"], settings=settings)
    mentions: list[DateMention] = []
    for phrase, moment in found:
        offset = sentence.text.find(phrase)
        if offset < 0 or phrase.strip().isdigit():
            continue
        period = parser.get_date_data(phrase).period or "day"
        day = moment.date()
        start, end = day, day
        if period == "month":
            start = day.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        elif period == "year":
            start, end = date(day.year, 1, 1), date(day.year, 12, 31)
        elif period == "week":
            start = day - timedelta(days=day.weekday())
            end = start + timedelta(days=6)
        flags = (FLAG_FUTURE,) if start > published else ()
        begin = sentence.start + offset
        mentions.append(DateMention(begin, begin + len(phrase), phrase, start, end, period, True, flags))
    return mentions


@lru_cache(maxsize=4)
def default_extractor(fast: bool = True) -> Extractor:
    """A process-wide extractor with the shipped lexicons and the gazetteer's geoparser."""
    return Extractor(fast=fast)


def extract_incidents(article: Article, *, fast: bool = True) -> list[Incident]:
    """The incidents one article reports (see :class:`Extractor`; lexicons load once).

    Parameters
    ----------
    article
        The article, with ``published`` when known (relative dates need it).
    fast
        Patterns only for dates (the default); False also asks ``dateparser``.

    Returns
    -------
    list of Incident
    """
    return default_extractor(fast).extract(article, fast=fast)
