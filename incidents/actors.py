"""Actors: who did what to whom, from the dictionary in ``data/lexicon/actors.yaml``.

:class:`ActorLexicon` finds actor names in text (aliases without regard to case, acronyms
exactly as written, longest first, on word boundaries; "anti-ISIS" is not ISIS) and the
phrases that name the article's armed group without naming it ("the militant group",
"sleeper cells"). :func:`assign_roles` tells, for a trigger, which actor is the initiator
(actor1: the subject of an active verb, the agent after "by") and which the target (actor2:
the object, "against X", the subject of a passive verb).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gazetteer import settings
from incidents.counts import NUMBER_WORD
from incidents.errors import LexiconError
from incidents.events import clause_start
from incidents.sentences import PhraseMatcher, match_key, match_text

#: ACLED actor types (inter codes 1-8).
KINDS: tuple[str, ...] = (
    "state", "rebel", "political_militia", "identity_militia", "rioters", "protesters", "civilians", "external",
)
#: Kinds that fight: a non-state armed group is one of the middle three.
ARMED_NON_STATE = frozenset({"rebel", "political_militia", "identity_militia"})
ARMED = ARMED_NON_STATE | {"state", "external"}


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor of the dictionary."""

    name: str
    kind: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    pro_government: bool = False

    @property
    def armed(self) -> bool:
        return self.kind in ARMED


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in text: ``text == article_text[start:end]``.

    ``reference`` marks a phrase like "the militant group": ``actor`` is then the article's
    main armed group, or None when the article names none.
    """

    start: int
    end: int
    text: str
    actor: Actor | None
    reference: bool = False


_NEGATED_PREFIX_RE = re.compile(r"(?:anti|counter|pro|post|ex|non)[\-\u2010\u2011]$", re.IGNORECASE)


class ActorLexicon:
    """The compiled actor dictionary; load once with :meth:`load`."""

    def __init__(self, actors: Sequence[Actor], acronyms: dict[str, Actor], references: Iterable[str]) -> None:
        self.actors = tuple(actors)
        self._by_key: dict[str, Actor] = {}
        phrases: list[tuple[str, Actor]] = []
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                phrases.append((alias, actor))
                self._by_key.setdefault(match_key(alias), actor)
        for acronym, actor in acronyms.items():
            self._by_key.setdefault(match_key(acronym), actor)
        self._aliases = PhraseMatcher(phrases)
        self._acronyms = PhraseMatcher(acronyms.items(), ignore_case=False)
        self._references = PhraseMatcher((r, None) for r in references)

    @classmethod
    def load(cls, path: str | Path | None = None) -> ActorLexicon:
        """Read ``actors.yaml`` (default: ``<data_dir>/lexicon/actors.yaml``)."""
        return _load_actor_lexicon(str(path or settings.data_dir() / "lexicon" / "actors.yaml"))

    @classmethod
    def from_mapping(cls, data: dict[str, Any], *, source: str = "<mapping>") -> ActorLexicon:
        if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
            raise LexiconError(f"{source!r} has no 'actors' list; see data/lexicon/actors.yaml for the shape")
        actors: list[Actor] = []
        acronyms: dict[str, Actor] = {}
        for raw in data["actors"]:
            if not isinstance(raw, dict) or "name" not in raw or raw.get("kind") not in KINDS:
                raise LexiconError(f"actor {raw!r} in {source!r} needs a name and a kind among {KINDS}")
            actor = Actor(
                name=str(raw["name"]),
                kind=str(raw["kind"]),
                country=raw.get("country"),
                aliases=tuple(str(a) for a in raw.get("aliases") or ()),
                pro_government=bool(raw.get("pro_government", False)),
            )
            actors.append(actor)
            for acronym in raw.get("acronyms") or ():
                acronyms.setdefault(str(acronym), actor)
        return cls(actors, acronyms, [str(r) for r in data.get("armed_group_references") or ()])

    def resolve(self, name: str) -> Actor | None:
        """The actor a name or alias stands for ("Daesh" -> ISIS), or None."""
        return self._by_key.get(match_key(name))

    def find(self, text: str, *, folded: str | None = None) -> list[ActorMention]:
        """Actor names and armed-group references in ``text``, in text order, not overlapping.

        References ("the militant group") take the article's most named rebel or militia.
        """
        if not text:
            return []
        found: list[tuple[int, int, Actor | None, bool]] = []
        for m in self._aliases.find(text, folded=folded):
            found.append((m.start, m.end, m.value, False))
        for m in self._acronyms.find(text, folded=match_text(text, ignore_case=False)):
            if _shouting(text, m.start, m.end):
                continue
            found.append((m.start, m.end, m.value, False))
        for m in self._references.find(text, folded=folded):
            found.append((m.start, m.end, None, True))
        found = [f for f in found if not _NEGATED_PREFIX_RE.search(text, max(0, f[0] - 8), f[0])]
        found.sort(key=lambda f: (-(f[1] - f[0]), f[3], f[0]))
        chosen: list[tuple[int, int, Actor | None, bool]] = []
        starts: list[int] = []
        for item in found:
            i = bisect.bisect_left(starts, item[0])
            left = chosen[i - 1] if i > 0 else None
            right = chosen[i] if i < len(chosen) else None
            if (left and left[1] > item[0]) or (right and right[0] < item[1]):
                continue
            chosen.insert(i, item)
            starts.insert(i, item[0])
        main = main_armed_group(c[2] for c in chosen if c[2] is not None)
        return [
            ActorMention(start, end, text[start:end], main if reference else actor, reference)
            for start, end, actor, reference in chosen
            if not reference or main is not None
        ]


def _shouting(text: str, start: int, end: int) -> bool:
    """True when an acronym sits in upper-case text (a shouted headline: "IS" is a verb there)."""
    window = text[max(0, start - 30):min(len(text), end + 30)]
    letters = [c for c in window if c.isalpha()]
    return len(letters) > 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


#: Which non-state kind "the militants" most likely means: rebels before militias.
_REFERENCE_PRIORITY = {"rebel": 2, "political_militia": 1, "identity_militia": 0}


def main_armed_group(actors: Iterable[Actor]) -> Actor | None:
    """The article's main non-state armed actor: rebels before militias, then the most named
    (first named wins a tie); None when the article names none. A militia fighting on the
    state's side (``pro_government`` in the dictionary: the PMU, the NDF) is never "the
    militants"."""
    counts: Counter[Actor] = Counter()
    order: dict[Actor, int] = {}
    for actor in actors:
        if actor.kind in ARMED_NON_STATE and actor.name != "Unidentified armed group" and not actor.pro_government:
            counts[actor] += 1
            order.setdefault(actor, len(order))
    if not counts:
        return None
    return max(counts, key=lambda a: (_REFERENCE_PRIORITY[a.kind], counts[a], -order[a]))


@lru_cache(maxsize=8)
def _load_actor_lexicon(path: str) -> ActorLexicon:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise LexiconError(f"cannot parse actor lexicon {path!r}: {exc}") from exc
    return ActorLexicon.from_mapping(data, source=path)


# --- roles --------------------------------------------------------------------------------

_AGENT_RE = re.compile(r"\bby\s+(?:the\s+|an?\s+)?$", re.IGNORECASE)
_TARGET_BEFORE_RE = re.compile(r"\b(?:against|on|targeting|targeted|at|of|versus|vs\.?)\s+(?:the\s+|an?\s+|suspected\s+)*$", re.IGNORECASE)
_COOPERATION_RE = re.compile(
    r"\b(?:with|alongside|and|in\s+coordination\s+with|in\s+cooperation\s+with|backed\s+by|supported\s+by|with\s+the\s+support\s+of|between)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_LED_BY_RE = re.compile(
    r"\b(?:led|carried\s+out|conducted|executed|performed|launched|backed|supported|assisted|aided|commanded|headed)\s+by\s+(?:the\s+)?(?:[\w\u2019']+[\u2019']s\s+)?$",
    re.IGNORECASE,
)
_SOURCE_RE = re.compile(r"\b(?:according\s+to|said|told|statement\s+(?:released\s+)?by|reported\s+by|spokesman\s+for|spokesperson\s+for)\s+(?:the\s+)?$", re.IGNORECASE)
#: Before the trigger, "said X" introduces what X did ("a farmer said ISIS militants attacked"):
#: only "according to X" and the like make X a source there.
_SOURCE_BEFORE_RE = re.compile(
    r"\b(?:according\s+to|statement\s+(?:released\s+)?by|reported\s+by|spokesman\s+for|spokesperson\s+for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PASSIVE_RE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_HARM_VERBS = (
    r"kill(?:s|ed|ing)?|struck|strikes?|striking|hit(?:s|ting)?|target(?:s|ed|ing)|attack(?:s|ed|ing)"
    r"|bomb(?:s|ed|ing)|shell(?:s|ed|ing)|raid(?:s|ed|ing)|ambush(?:es|ed|ing)|wound(?:s|ed|ing)"
    r"|injur(?:es|ed|ing)|arrest(?:s|ed|ing)|detain(?:s|ed|ing)|captur(?:es|ed|ing)|execut(?:es|ed|ing)"
    r"|eliminat(?:es|ed|ing)|pound(?:s|ed|ing)|storm(?:s|ed|ing)|repel(?:s|led|ling)|repuls(?:es|ed|ing)"
    r"|neutrali[sz](?:es|ed|ing)|slew|shot\s+dead|gunned\s+down|clash(?:es|ed|ing)?\s+with"
    r"|fought(?:\s+against)?|fighting\s+against|battled"
)
_NUMBER_WORDS = rf"\d[\d,]*|{NUMBER_WORD}|hundred"
#: An actor after an active verb of harm and its determiners is that verb's object: "killed 12 ISIS
#: militants", "struck an Islamic State hideout".
_OBJECT_OF_VERB_RE = re.compile(
    rf"\b(?:{_HARM_VERBS})\s+(?:(?:the|an?|at\s+least|more\s+than|some|about|around|nearly|several"
    rf"|dozens\s+of|scores\s+of|hundreds\s+of|a\s+dozen|suspected|alleged|senior|local|top|{_NUMBER_WORDS})[\s-]+)*$",
    re.IGNORECASE,
)
#: An actor followed by a passive verb of harm is its victim: "ISIS fighters were killed in an
#: airstrike" (the airstrike's target, not its author).
_PATIENT_AFTER_RE = re.compile(
    rf"\W*(?:[\w'\u2019-]+\s+){{0,3}}?(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?(?:{_HARM_VERBS}|shot|slain|hurt)\b",
    re.IGNORECASE,
)
#: A clause after "X said" that speaks of X: "the Iraqi army said it killed 12 militants".
_SPEAKER_PRONOUN_RE = re.compile(r"\s*(?:that\s+)?(?:it|they|its\s+\w+|their\s+\w+)\b", re.IGNORECASE)
#: An actor right before a verb of saying tells the news ("..., the PMF said"); "ISIS claimed" is
#: left out: a claim of responsibility names the author.
_SAYS_AFTER_RE = re.compile(r"\s*(?:said|says|told|reported|announced|stated)\b", re.IGNORECASE)
_SAID_RE = re.compile(r"\b(?:said|says|announced|claimed|stated)\s*$", re.IGNORECASE)
#: After an actor's name: the name describes a place ("the former Isis stronghold of Raqqa",
#: "Islamic State's de facto capital", "Isis-held territory"), it does not act.
_HOLDER_AFTER_RE = re.compile(
    r"(?:['\u2019]s)?\s*(?:-\s*(?:held|controlled|run|occupied|dominated)\b|(?:(?:de\s+facto|self-declared|former|"
    r"last|main|remaining|biggest|largest|key|final)\s+)*(?:strongholds?|capital|heartlands?|territory|territories|"
    r"enclaves?|bastions?|redoubts?|caliphate)\b)",
    re.IGNORECASE,
)
#: Before an actor's name: the place just named is held by it ("41 positions held by Isis"):
#: the holder loses what is taken, it is no agent.
_HELD_BY_RE = re.compile(r"\b(?:held|controlled|run|occupied|dominated|besieged)\s+by\s+(?:the\s+)?$", re.IGNORECASE)
#: Before a place-describing name: a locative word, so the name says where, not who
#: ("killed in the newly liberated former Isis stronghold of Raqqa").
_LOCATIVE_LEAD_RE = re.compile(
    r"\b(?:in|at|near|from|into|inside|outside|around|to|across|of)\s+(?:[\w\-]+\s+){0,4}$", re.IGNORECASE
)
#: Between a trigger and a later actor: another verb's clause begins ("arrested in Turkey after
#: fighting against Isis"), so the actor is that verb's.
_OTHER_CLAUSE_RE = re.compile(r"\b(?:after|before|while|when|since|for)\s+\w+ing\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Roles:
    """Actors of one trigger: initiator, target, the others, and the mentions that say so."""

    actor1: ActorMention | None
    actor2: ActorMention | None
    associates: tuple[ActorMention, ...] = ()


def assign_roles(
    text: str,
    mentions: Sequence[ActorMention],
    *,
    trigger_start: int,
    trigger_end: int,
    sentence_start: int,
    sentence_end: int,
) -> Roles:
    """Who did it (actor1) and to whom (actor2) for the trigger ``text[trigger_start:trigger_end]``.

    Active verb: the nearest actor before it in its clause is actor1, the first after it
    actor2 ("Iraqi forces killed 14 ISIS militants"). Passive ("were killed by X"): the agent
    after "by" is actor1 and the subject actor2. An actor after "against", "targeting" or
    "of" is a target; one after "with" or "in coordination with" an associate; one after
    "according to" or "said", or right before "said", is a source, not a party.

    The victim is actor2 wherever it stands: an actor before the trigger that is the object of
    an active verb of harm ("it killed 12 ISIS militants in airstrikes") or the subject of a
    passive one ("ISIS fighters were killed in an airstrike") is a target; "X said it killed"
    makes X the initiator; civilians are never actor1 (ACLED codes them only as targets).
    """
    inside = [m for m in mentions if m.actor is not None and sentence_start <= m.start < sentence_end]
    if not inside:
        return Roles(None, None)
    c_start = clause_start(text, sentence_start, trigger_start)
    before = [m for m in inside if m.end <= trigger_start]
    after = [m for m in inside if m.start >= trigger_end]
    passive = bool(_PASSIVE_RE.search(text, max(sentence_start, trigger_start - 30), trigger_start))
    associates: list[ActorMention] = []

    def lead_in(m: ActorMention) -> str:
        return text[max(sentence_start, m.start - 40):m.start]

    agent: ActorMention | None = None
    objects: list[ActorMention] = []
    for m in after:
        lead = lead_in(m)
        if _SOURCE_RE.search(lead) or _SAYS_AFTER_RE.match(text, m.end):
            continue  # "according to the PMF", "..., the PMF said"
        if _HELD_BY_RE.search(lead):
            objects.append(m)  # "captured 41 positions held by Isis": the holder is the target
            continue
        if _HOLDER_AFTER_RE.match(text, m.end) and _LOCATIVE_LEAD_RE.search(lead):
            associates.append(m)  # "killed in the former Isis stronghold of Raqqa": a place
            continue
        if _OTHER_CLAUSE_RE.search(text, trigger_end, m.start):
            associates.append(m)  # "arrested in Turkey after fighting against Isis"
            continue
        if agent is None and not objects and _AGENT_RE.search(lead):
            agent = m  # "were killed by Turkish jets", "air strikes by Syrian planes"
        elif _COOPERATION_RE.search(lead) or _LED_BY_RE.search(lead):
            associates.append(m)
        elif m.start - trigger_end < 160:
            objects.append(m)
        else:
            associates.append(m)
    subject: ActorMention | None = None
    targets_before: list[ActorMention] = []
    for m in reversed(before):
        lead = lead_in(m)
        if _SOURCE_BEFORE_RE.search(lead):
            continue
        if _HOLDER_AFTER_RE.match(text, m.end) or _HELD_BY_RE.search(lead):
            associates.append(m)  # "the campaign to reclaim Islamic State's de facto capital": a place
            continue
        if m.start >= c_start and (
            _TARGET_BEFORE_RE.search(lead)
            or _OBJECT_OF_VERB_RE.search(lead)
            or _PATIENT_AFTER_RE.match(text, m.end, trigger_start)
        ):
            targets_before.append(m)
        elif _COOPERATION_RE.search(lead) and any(b is not m and b.start < m.start for b in before):
            associates.append(m)  # "X in coordination with Y ... uncovered": X leads
        elif subject is None and m.start >= c_start:
            subject = m
        else:
            associates.append(m)
    if subject is None and _SPEAKER_PRONOUN_RE.match(text, c_start) and _SAID_RE.search(text, sentence_start, c_start):
        speaker = next((m for m in reversed(before) if m.end <= c_start and m in associates), None)
        if speaker is not None:
            subject = speaker  # "the Iraqi army said it killed 12 militants"
            associates.remove(speaker)
    if passive:
        actor1 = agent
        actor2 = subject or (targets_before[0] if targets_before else None) or (objects[0] if objects else None)
        associates.extend(o for o in objects if o is not actor2)
    else:
        actor1 = agent or subject
        if agent is not None and subject is not None:
            associates.append(subject)
        actor2 = targets_before[0] if targets_before else (objects[0] if objects else None)
        associates.extend(o for o in objects if o is not actor2)
        associates.extend(t for t in targets_before if t is not actor2)
    if actor1 is not None and actor1.actor is not None and actor1.actor.kind == "civilians":
        # civilians are never the initiator of violence (ACLED): they are its target or bystanders
        if actor2 is None:
            actor2 = actor1
        else:
            associates.append(actor1)
        actor1 = None
    if actor1 is not None and actor2 is not None and actor1.actor == actor2.actor:
        actor2 = None
    chosen = {id(actor1), id(actor2)}
    return Roles(actor1, actor2, tuple(a for a in associates if id(a) not in chosen))
