"""The event site: which of the places a text names is where the incident happened.

An article names many places: the victims' home town ("men from Najaf"), the organisation
("Anbar Police Command"), the country of a statement ("officials in Baghdad said"), history
("since their defeat in Baghouz"). :func:`rank_sites` scores every toponym of a sentence for
being the site of its event:

- a locative word before it ("in", "at", "near", "outside", "south of", "the desert of") adds;
- "from" (origin), "to" (destination), "-based", "said in" take away, and so does a state
  that acts: a country or a national capital standing for its government ("Turkey launched",
  "Russia has denied", "Turkey's incursion", "sided with Tehran", "Moscow has acknowledged");
- a toponym inside an organisation name is never a site;
- nearness to the trigger word adds, with a smooth decay over characters;
- a town counts a little more than a province, a province more than a country.

:func:`choose_site` picks one place for a group of sentences, preferring a finer place that
lies inside the best one ("the Nukhayb desert in Anbar" gives Nukhayb) and falling back up the
hierarchy (place, province, country) when the best name did not resolve.
:func:`site_location` turns the chosen toponym into a :class:`~incidents.model.Location`,
moving "eastern Syria" towards the east of Syria.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from gazetteer import settings
from gazetteer.model import Toponym
from incidents.errors import LexiconError
from incidents.model import Location

#: Feature words of :class:`gazetteer.model.Place`, from finer to coarser, with a small
#: preference for the finer.
FEATURE_BONUS: dict[str | None, float] = {
    "landmark": 0.4, "locality": 0.4, "village": 0.4, "town": 0.4, "city": 0.35, "desert": 0.35,
    "border": 0.3, "region": 0.2, "admin2": 0.2, "admin1": 0.0, "country": -0.6, None: 0.0,
}
_COARSE = frozenset({"admin1", "country"})
_FEATURE_RANK: dict[str | None, int] = {
    "landmark": 0, "locality": 0, "village": 0, "town": 0, "city": 1, "desert": 1, "border": 1,
    "region": 2, "admin2": 2, "admin1": 2, "country": 3,
}
_FINE = frozenset({"locality", "village", "landmark"})

#: Character scale of the nearness bonus (the bonus halves about every 55 characters).
DISTANCE_SCALE = 80.0

_AREA_NOUNS = (
    r"outskirts|vicinity|countryside|city|cities|towns?|villages?|settlements?|provinces?|governorates?|"
    r"districts?|desert|areas?|regions?|suburbs?|neighbou?rhoods?|quarters?|centre|center|capital|heart|"
    r"west|east|north|south|border|municipality"
)
_DIRECTION_WORDS = r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|central"
#: "in", "at", "near"... then up to two lower-case words ("in the mountainous Vedeno region"), the
#: last not a preposition ("in coordination with Turkey", "in response to Ankara" are no place).
_STRONG_LOCATIVE_RE = re.compile(
    r"(?:\b(?:in|at|near|nearby|outside|around|inside|within|across|throughout|on|off|close\s+to|"
    rf"(?:{_DIRECTION_WORDS})\s+of|(?:{_AREA_NOUNS})\s+of)"
    r"(?:\s+(?:the|a|an))?(?:\s+(?:(?!(?:with|to|for|by|against|from)\b)[a-z][a-z\-]*|"
    r"(?:North|South|East|West)(?:-?(?:east|west))?(?:ern)?)){0,2}?\s*)$",
)
#: Weaker: "of", "over", "along", "between", "into".
_WEAK_LOCATIVE_RE = re.compile(
    r"\b(?:of|over|along|between|into|towards?|via|across)(?:\s+(?:the|a|an))?(?:\s+[a-z][a-z\-]*){0,1}?\s*$",
)
#: Words between a trigger and its object place: "attacked Bama", "targeting the town of Umm Batna",
#: "retaking [the Isis stronghold] Raqqa" (an editor's insertion in a quote).
_OBJECT_GAP_RE = re.compile(
    rf"^\s+(?:\[[^\]]{{1,40}}\]\s+)?(?:the\s+)?(?:[a-z]+\s+)?(?:(?:{_AREA_NOUNS})\s+of\s+)?$", re.IGNORECASE
)
#: Verbs whose object is a place ("attacked Bama", "captured Tikrit", "shelled the settlement of").
_PLACE_VERB_RE = re.compile(
    r"(?:attack|assault|storm|raid|shell|bomb|strik|struck|hit|target|captur|seiz|overr|enter|invad|"
    r"besieg|patrol|liberat|recaptur|retak|retook|took|occup|surround|pound|rais)",
    re.IGNORECASE,
)
#: Between a place and the anchor of its relative phrase: "Sharon junction near Netanya",
#: "Husayniyat, south of Rutba", "Bur Hakaba, about 180 km south of Mogadishu".
_ANCHOR_GAP_RE = re.compile(
    r"^[\w\s’'\-]{0,30}?,?\s*(?:(?:about|some|just|also|roughly|around|only)\s+)*"
    r"(?:\d[\d,.]*\s*(?:km|kilometres|kilometers|miles|mi)\s*(?:\(\d+\s*\w+\)\s*)?)?"
    rf"(?:(?:{_DIRECTION_WORDS})\s+of|near|outside|close\s+to|(?:the\s+)?(?:capital|city|town|province)\s+of)"
    r"\s+(?:the\s+)?$"
    r"|^\s+(?:region|district|area|countryside|governorate|province|neighbou?rhood)\s+of\s+(?:the\s+)?(?:[a-z]+\s+)?$",
    re.IGNORECASE,
)
#: After a place name: a facility named after the place it stands in ("Madrid airport").
#: Hospitals and streets are left out: they are often named after other places or people.
_FACILITY_RE = re.compile(
    r"^\s+(?:international\s+)?(?:airport|air\s*base|airbase|military\s+airport|prison|jail|stadium|dam|"
    r"refinery|port|harbou?r|university|campus|oil\s+field|gas\s+field|border\s+crossing|crossing)\b",
    re.IGNORECASE,
)
#: Between a place and a finer place it owns: "Iraq's northern Nineveh province", "Syria's
#: largest city, Aleppo", "the Belarus capital Minsk", "the Dara'a Governorate town of Ibta".
_HEAD_GAP_RE = re.compile(
    r"^(?:['’]s\s+(?:[a-z][a-z\-]*\s+){0,3}(?:(?:capital|city|town|province|region|district),?\s+)?"
    r"|\s+(?:[a-z]+\s+)?(?:capital|city|town|governorate|province|district|region|village|suburb|"
    r"neighbou?rhoods?|cities|towns|villages)\s*,?\s+(?:of\s+)?(?:the\s+)?)$"
)
#: A capitalised word after the place: the organisation's name goes on.
_NAME_GOES_ON_RE = re.compile(r"^\s*(?:['’]s\s+)?[A-Z]")
#: The nouns of a state's government and armed forces.
_STATE_NOUNS = (
    r"forces|troops|soldiers|military|militaries|army|armies|navy|air\s+force|officials?|government|"
    r"governments|regime|authorities|administration|leadership|president|prime\s+minister|"
    r"chancellor|foreign\s+minister|envoy|special\s+forces|coalition|proxies|all(?:y|ies)|"
    r"(?:state\s+|justice\s+|defen[cs]e\s+)?department|(?:defen[cs]e\s+|foreign\s+|interior\s+)?ministry|"
    r"ministries|congress|senate|parliament|treasury|cabinet|(?:defen[cs]e\s+|foreign\s+)?secretary|"
    r"(?:defen[cs]e\s+|interior\s+)?minister"
)
#: After a country: the country used as an adjective ("a US air strike", "US-led coalition",
#: "the UK and the US governments"), or owning an action or a force ("Turkey's incursion").
_COUNTRY_AS_ADJECTIVE_RE = re.compile(
    r"^(?:\s*[-\u2010\u2011](?:led|backed|based|made|run|controlled|trained|funded|allied)\b|"
    r"\s+(?:[a-z\-]+\s+)?(?:air\s*strikes?|airstrikes?|strikes?|raids?|bombardment|bombing|"
    r"drones?|jets|warplanes|aircraft|citizens?|nationals?|commandos?|marines?|personnel|"
    r"intelligence|diplomats?|assistance|aid|help|counter-?terrorism|operations?|"
    rf"{_STATE_NOUNS})\b"
    rf"|\s+and\s+(?:the\s+)?(?:[A-Z][\w.]*(?:[-\u2010\u2011](?:led|backed|allied|trained|funded|supported))?\s+){{1,2}}(?:citizens|nationals|intelligence|{_STATE_NOUNS})\b"
    rf"|['’]s\s+(?:[a-z\-]+\s+){{0,2}}(?:incursion|offensive|invasion|operations?|campaign|intervention|"
    rf"assault|onslaught|bombardment|air\s*strikes?|airstrikes?|backing|support|{_STATE_NOUNS})\b)",
    re.IGNORECASE,
)
#: After a national capital: the capital standing for its government ("Baghdad officials",
#: "Tehran's proxies", "the Riyadh-led coalition", "Tehran-backed militias"); attack words are
#: left out ("the Baghdad bombing" happened there).
_CAPITAL_AS_ADJECTIVE_RE = re.compile(
    rf"^(?:\s*[-\u2010\u2011](?:led|backed|run|sponsored|allied)\b|\s+(?:[a-z]+\s+)?(?:{_STATE_NOUNS})\b|['’]s\s+(?:[a-z\-]+\s+){{0,2}}(?:backing|support|"
    rf"{_STATE_NOUNS})\b)",
    re.IGNORECASE,
)
#: Before a country or a national capital: the state as a party ("sided with Tehran", "on
#: behalf of Ankara", "talks with Moscow"), not a place.
_STATE_PARTNER_RE = re.compile(
    r"\b(?:sid(?:ed|es|ing|e)\s+with|on\s+behalf\s+of|backed\s+by|supported\s+by|allied\s+(?:with|to)|"
    r"all(?:y|ies)\s+of|ties\s+(?:with|to)|talks\s+with|deal\s+with|agreement\s+with|pressure\s+on|"
    r"loyal\s+to|proxies\s+of|patron\s+of|relations\s+with|negotiat(?:e|ed|ing|ions)\s+with|"
    r"(?:imperative|priority|victory|blow|win|defeat|setback|problem|headache|threat|important|vital)\s+(?:for|to))"
    r"\s+(?:the\s+)?(?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s+and\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
#: After a country: the country acting, as its government or army ("Turkey launched an
#: offensive into Afrin", "Russia has denied"), not the place where it acts. A passive ("Syria
#: was hit") leaves the country a place.
_COUNTRY_AS_ACTOR_RE = re.compile(
    r"^\s*(?:,[^,]{1,40},\s*)?(?:has\s+|have\s+|had\s+)?(?:also\s+|already\s+|then\s+|[a-z]+ly\s+)?"
    r"(?:launch(?:ed|es)|sa(?:id|ys)|announc(?:ed|es)|accus(?:ed|es)|den(?:ied|ies)|warn(?:ed|s)|"
    r"claim(?:ed|s)|vow(?:ed|s)|agree(?:d|s)|sen(?:t|ds)|deploy(?:ed|s)|order(?:ed|s)|blam(?:ed|es)|"
    r"condemn(?:ed|s)|back(?:ed|s)|support(?:ed|s)|call(?:ed|s)|urg(?:ed|es)|struck|strikes|"
    r"shell(?:ed|s)|bomb(?:ed|s)|attack(?:ed|s)|sought|seeks|wants?|insist(?:ed|s)|threaten(?:ed|s)|"
    r"respond(?:ed|s)|retaliat(?:ed|es)|carried\s+out|carries\s+out|conduct(?:ed|s)|began|begins|"
    r"start(?:ed|s)|dispatch(?:ed|es)|intervened|entered\s+the\s+war|joined|brokered|mediated|"
    r"negotiated|signed|imposed|withdr(?:ew|aws)|pulled|recogni[sz]ed|sided|acknowledg(?:ed|es)|"
    r"admitted|confirm(?:ed|s)|reject(?:ed|s)|refused|pledged|promised|offered|hinted|"
    r"accepted|demand(?:ed|s)|insisted|is\s+sending|was\s+sending)\b",
    re.IGNORECASE,
)
#: After a country: the country's mission, not a place ("the United States Consulate in Sao Paulo").
_MISSION_RE = re.compile(r"^\s*(?:Embassy|Consulate|Ambassador|Mission|Legation)\b")
_ORIGIN_RE = re.compile(
    r"\b(?:from|native\s+of|natives\s+of|hailing\s+from|resident\s+of|residents\s+of|citizens?\s+of|nationals?\s+of|born\s+in)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
#: "into" is a destination only after a verb of going ("fled into Turkey"); after an attack it
#: is the site ("an offensive into Afrin", "fired rockets into Kilis").
#: "from" after a distance is a relative location, not an origin ("15 km away from Manbij").
_DISTANCE_FROM_RE = re.compile(
    r"\b(?:away|km|kms|kilometres|kilometers|miles|metres|meters|distance)\s+(?:away\s+)?from\s+"
    r"(?:the\s+)?(?:[a-z][a-z\-]*\s+)?$",
    re.IGNORECASE,
)
#: "to" after a verb of spreading is where the event now is ("fighting has spread to Afrin").
_REACHES_RE = re.compile(
    r"\b(?:spread|spreads|spreading|extended|extends|extending|escalated|escalating)\s+to\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: "to" after a verb of sending or fleeing: where a person was taken or fled afterwards
#: ("arrested and extradited to Macedonia", "taken to Raqqa after being injured"), never where
#: the event happened, even when nothing else is named. "went to" is left out: what follows
#: often happens there.
_SENT_TO_RE = re.compile(
    r"\b(?:(?:extradited|deported|transferred|sent|flown|taken|brought|repatriated|returned|fled|evacuated|"
    r"relocated|smuggled|escaped)\s+(?:back\s+)?(?:by\s+[A-Z]\w*\s+)?"
    r"(?:to|into)|into\s+exile\s+(?:in|to|at))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: A move of one's own or of one's men, likewise ("moved to Syria after the advance of the
#: militias", "dispatched by Isis to Europe"), unless "where" follows and tells what happened
#: there ("moved to Raqqa, where he was killed").
_MOVED_TO_RE = re.compile(
    r"\b(?:moved|moving|dispatched|emigrated|migrated)\s+(?:back\s+)?(?:by\s+[A-Z]\w*\s+)?(?:to|into)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_WHERE_RE = re.compile(r"^\s*,?\s*where\b", re.IGNORECASE)
_DESTINATION_RE = re.compile(
    r"\b(?:to|towards|toward|fled\s+to|retreat(?:ing|ed)?\s+to|"
    r"(?:fled|flee|fleeing|crossed|cross|crossing|retreated|moved|returned|smuggled|escaped|travell?ed)\s+into)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SOURCE_RE = re.compile(
    r"\b(?:said|told|says|announced|statement|reported|reporters|spokesman|spokesperson|officials?|ministry|"
    r"embassy|press\s+conference|news\s+agency)\b[^.;]{0,25}\b(?:in|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: The place of a speech or an interview: where words were said, never where the event they
#: tell of happened ("said during a televised speech in Ankara that the operation was imminent").
_SPEECH_RE = re.compile(
    r"\b(?:speech|address|interview|press\s+conference|news\s+conference|briefing|remarks|testimony)"
    r"\s+(?:(?:he|she|they|it)\s+gave\s+)?(?:in|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: A place named for comparison: "As in Bosnia, nobody protected the civilians when a regime
#: offensive began there", "unlike in Mosul", "worse than in Aleppo".
_COMPARISON_RE = re.compile(
    r"(?:(?<!such )\bas\s+in|\bunlike(?:\s+in)?|\bthan\s+in|\bas\s+(?:it|they)\s+(?:did|had|has)\s+in|"
    r"\bcompared\s+(?:with|to)(?:\s+in)?|\breminiscent\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: After a place: a politician's title, the place as a constituency ("The Tennessee Republican
#: has clashed with Trump", "the Texas senator").
_POLITICIAN_RE = re.compile(r"^\s+(?:Republicans?|Democrats?|[Ss]enators?|[Cc]ongress(?:wo)?m[ae]n|MPs?)\b")
_BASED_RE = re.compile(r"^\s*[-\u2010\u2011]?\s*based\b", re.IGNORECASE)
_DIRECTION_RE = re.compile(
    r"\b(?P<dir>north(?:-|\s)?east|north(?:-|\s)?west|south(?:-|\s)?east|south(?:-|\s)?west|north|south|east|west|central)(?:ern)?"
    r"\s+(?:parts?\s+of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_DATELINE_RE = re.compile(r"^\s*(?:\(\w+\)|,\s*\w+\s*\(\w+\)|\s*[-\u2013\u2014])")

#: Unit vectors (east, north) of direction words.
DIRECTIONS: dict[str, tuple[float, float]] = {
    "north": (0.0, 1.0), "south": (0.0, -1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0),
    "northeast": (0.707, 0.707), "northwest": (-0.707, 0.707),
    "southeast": (0.707, -0.707), "southwest": (-0.707, -0.707), "central": (0.0, 0.0),
}
KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True)
class SiteCandidate:
    """A toponym scored as the event site, with the reasons for its score."""

    toponym: Toponym
    score: float
    reasons: tuple[str, ...] = field(default=())

    @property
    def locative(self) -> bool:
        return "locative" in self.reasons

    @property
    def strong(self) -> bool:
        """Named with "in", "at", "near", "south of", "the desert of" and the like."""
        return "strong" in self.reasons

    @property
    def feature_rank(self) -> int:
        """0 for the finest features (a village) up to 3 for a country; 2 when unknown."""
        return _FEATURE_RANK.get(self.toponym.feature, 2)

    def adjusted(self, delta: float, reason: str) -> SiteCandidate:
        return SiteCandidate(self.toponym, self.score + delta, self.reasons + (reason,))


def score_site(
    text: str,
    toponym: Toponym,
    *,
    triggers: Sequence[tuple[int, int]],
    sentence_start: int,
    sentence_end: int,
) -> SiteCandidate | None:
    """Score one toponym of a sentence as the site of the sentence's event.

    A name inside an organisation's name ("Anbar Police Command") is never a site; one naming
    a facility ("Sarajevo airport", "the Tabaqa Dam") stands for the place, a little weaker;
    one before a common noun ("Dallas police", "a Baquba street") is the place.

    Parameters
    ----------
    text
        The article text; ``toponym.start``/``end`` and ``triggers`` index it.
    toponym
        A place name found in the sentence.
    triggers
        ``(start, end)`` of the event words of the sentence (may be empty).
    sentence_start, sentence_end
        The sentence.

    Returns
    -------
    SiteCandidate or None
        None for a name inside an organisation.
    """
    lead = text[max(sentence_start, toponym.start - 60):toponym.start]
    tail = text[toponym.end:min(sentence_end, toponym.end + 20)]
    tail_long = text[toponym.end:min(sentence_end, toponym.end + 60)]
    score = 0.0
    reasons: list[str] = []
    if toponym.in_organisation:
        if _FACILITY_RE.match(tail):
            score -= 0.5  # "Sarajevo airport", "the Tabaqa Dam": the place the facility is in
            reasons.append("facility")
        elif _NAME_GOES_ON_RE.match(tail):
            return None  # "Anbar Police Command", "Jazira Operations Command"
        # else a place before a common noun ("Dallas police", "a Baquba street"): still a place
    if _DISTANCE_FROM_RE.search(lead) or _REACHES_RE.search(lead):
        score += 2.0  # "15 km away from Manbij", "fighting has spread to Afrin": there
        reasons += ["locative", "strong"]
    elif _ORIGIN_RE.search(lead):
        score -= 2.5
        reasons.append("origin")
    elif _SENT_TO_RE.search(lead) or (_MOVED_TO_RE.search(lead) and not _WHERE_RE.match(tail)):
        score -= 2.5
        reasons += ["destination", "sent_to"]  # "extradited to Macedonia": where the person went, after
    elif _DESTINATION_RE.search(lead) and not _STRONG_LOCATIVE_RE.search(lead):
        score -= 1.0
        reasons.append("destination")
    elif _STRONG_LOCATIVE_RE.search(lead):
        score += 2.0
        reasons += ["locative", "strong"]
    elif _WEAK_LOCATIVE_RE.search(lead):
        score += 0.8
        reasons.append("locative")
    if _SOURCE_RE.search(lead):
        score -= 1.5
        reasons.append("source")
    if _BASED_RE.match(tail):
        score -= 2.5
        reasons.append("based")
    if _SPEECH_RE.search(lead):
        score -= 2.5
        reasons.append("speech")
    if _COMPARISON_RE.search(lead):
        score -= 2.5
        reasons.append("comparison")
    if _POLITICIAN_RE.match(tail):
        score -= 2.5
        reasons.append("constituency")
    if toponym.start == sentence_start and _DATELINE_RE.match(tail) and toponym.text.isupper():
        score -= 1.5
        reasons.append("dateline")
    country = toponym.feature == "country"
    capital = not country and toponym.place_id in national_capitals()
    if (country and (_MISSION_RE.match(tail) or _COUNTRY_AS_ADJECTIVE_RE.match(tail_long))) or (
            capital and _CAPITAL_AS_ADJECTIVE_RE.match(tail_long)):
        score -= 2.5
        reasons.append("adjective")  # "a US air strike", "US-led forces", "Turkey's incursion"
    elif (country or capital) and (_COUNTRY_AS_ACTOR_RE.match(tail_long)
                                   or _STATE_PARTNER_RE.search(lead)):
        score -= 2.5
        reasons.append("actor")  # "Turkey launched an offensive into Afrin", "sided with Tehran"
    if _looks_like_an_abbreviation(toponym, tail):
        score -= 2.0
        reasons.append("abbreviation")
    if triggers:
        distance = min(
            0 if t_start <= toponym.start < t_end else min(abs(toponym.start - t_end), abs(t_start - toponym.end))
            for t_start, t_end in triggers
        )
        score += 1.5 * math.exp(-distance / DISTANCE_SCALE)
        if any(t_end <= toponym.start for _, t_end in triggers):
            score += 0.3  # news puts the place after the verb: "killed ... in Nukhayb"
        if any(
            0 <= toponym.start - t_end <= 30
            and _OBJECT_GAP_RE.match(text[t_end:toponym.start])
            and _PLACE_VERB_RE.match(text, t_start, t_end)
            for t_start, t_end in triggers
        ):
            score += 1.5  # the object of the verb: "attacked Bama", "captured Tikrit"
            reasons += ["object", "strong"]
    score += FEATURE_BONUS.get(toponym.feature, 0.0)
    if not toponym.resolved:
        score -= 0.7
        reasons.append("unresolved")
    return SiteCandidate(toponym, score, tuple(reasons))


#: Reasons of :func:`score_site` that say a name is not used as a place where things happen.
NOT_A_SITE_USE: frozenset[str] = frozenset(
    {"origin", "based", "adjective", "actor", "source", "dateline", "abbreviation", "speech", "comparison",
     "constituency"})
#: Of those, the uses that never make an incident's site, even when nothing else is named
#: ("the Syria-based monitor said gunmen killed four": not in Syria as far as the text says).
NEVER_A_SITE: frozenset[str] = frozenset({"origin", "based", "adjective", "actor", "abbreviation", "sent_to",
                                         "speech", "comparison", "constituency"})


def used_as_place(text: str, toponym: Toponym, *, sentence_start: int, sentence_end: int) -> bool:
    """True unless the name is used as an origin, a base, an adjective, a news source, a
    dateline or an abbreviation ("men from Najaf", "the Britain-based Observatory", "US-led",
    "officials in Baghdad said") or lies inside an organisation's name."""
    candidate = score_site(text, toponym, triggers=(), sentence_start=sentence_start,
                           sentence_end=sentence_end)
    return candidate is not None and not NOT_A_SITE_USE.intersection(candidate.reasons)


@lru_cache(maxsize=1)
def national_capitals() -> frozenset[str]:
    """The place ids of the national capitals (``data/lexicon/capitals.csv``)."""
    path = settings.data_dir() / "lexicon" / "capitals.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return frozenset(row["place_id"] for row in csv.DictReader(handle))
    except (OSError, KeyError) as exc:
        raise LexiconError(f"cannot read the capitals list {str(path)!r} ({exc}); reinstall "
                           "Incident Atlas or restore the file from the repository") from exc


def _looks_like_an_abbreviation(toponym: Toponym, tail: str) -> bool:
    """"UN", "EU", "NGO", "Dec.", "Gov.": short capitals or a clipped word, rarely a place."""
    if toponym.feature == "country":
        return False
    letters = toponym.text.replace(".", "")
    if len(letters) <= 4 and letters.isalpha() and letters.isupper():
        return True
    return len(letters) <= 3 and tail.startswith(".") and not tail.startswith("..")


def _phrase_structure(text: str, ranked: list[SiteCandidate]) -> list[SiteCandidate]:
    """Adjust for how two neighbouring place names relate.

    A finer place owned by the one before it is the site, and takes over its locative word:
    "in Iraq's northern Nineveh province", "in the Belarus capital Minsk" (the first is a
    ``possessor``). A place right after another one, as the anchor of its relative phrase
    ("Sharon junction near Netanya", "Hilla, also just south of Baghdad", "the Vedeno region of
    southern Chechnya"), is where the first place is, not the site (``anchor``).
    """
    by_start = sorted(ranked, key=lambda c: c.toponym.start)
    out: dict[int, SiteCandidate] = {id(c): c for c in ranked}
    for first, second in pairwise(by_start):
        gap = text[first.toponym.end:second.toponym.start]
        if len(gap) > 60:
            continue
        if _HEAD_GAP_RE.match(gap) and first.toponym.resolved and second.feature_rank < first.feature_rank:
            bonus = 2.0 if first.locative else 0.5
            reasons = ("locative", "strong", "head") if first.strong else ("head",)
            head = out[id(second)]
            out[id(second)] = SiteCandidate(head.toponym, head.score + bonus, head.reasons + reasons)
            out[id(first)] = out[id(first)].adjusted(-1.0, "possessor")
        elif (first.locative or first.strong) and _ANCHOR_GAP_RE.match(gap):
            out[id(second)] = out[id(second)].adjusted(-1.2, "anchor")
    return list(out.values())


def rank_sites(
    text: str,
    toponyms: Sequence[Toponym],
    *,
    triggers: Sequence[tuple[int, int]] = (),
    sentence_start: int = 0,
    sentence_end: int | None = None,
) -> list[SiteCandidate]:
    """Score the toponyms lying in one sentence, best first (organisation names left out)."""
    end = len(text) if sentence_end is None else sentence_end
    ranked = [
        c
        for t in toponyms
        if sentence_start <= t.start < end
        for c in [score_site(text, t, triggers=triggers, sentence_start=sentence_start, sentence_end=end)]
        if c is not None
    ]
    ranked = _phrase_structure(text, ranked)
    ranked.sort(key=lambda c: (-c.score, c.toponym.start))
    return ranked


def contains(outer: Toponym, inner: Toponym) -> bool:
    """True when ``inner`` is a finer place inside ``outer`` (same province or country)."""
    if not outer.resolved or not inner.resolved or outer.place_id == inner.place_id:
        return False
    if outer.feature == "country":
        return inner.country == outer.country and inner.feature != "country"
    if outer.feature == "admin1":
        return bool(outer.admin1_code) and inner.admin1_code == outer.admin1_code and inner.feature not in _COARSE
    if inner.lat is None or outer.lat is None or inner.feature in _COARSE:
        return False
    if outer.feature in ("region", "desert", "border") and outer.radius_km:
        return _distance_km(outer, inner) <= outer.radius_km and inner.radius_km < outer.radius_km
    if outer.feature in ("city", "town") and inner.feature in _FINE:
        # A neighbourhood, camp or village of a city: "the Homs neighbourhood of Baba Amr".
        return _distance_km(outer, inner) <= max(outer.radius_km, 10.0) + 5.0
    return False


def _distance_km(a: Toponym, b: Toponym) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


#: How far below the best a finer place inside it may score and still be chosen.
REFINE_MARGIN = 2.5


def choose_site(candidates: Sequence[SiteCandidate]) -> SiteCandidate | None:
    """The event site among scored candidates of one incident.

    Takes the best score, then a finer place lying inside it when that place is named with a
    strong locative word and scores within :data:`REFINE_MARGIN` ("in the Nukhayb desert in
    Anbar"),
    then, if the choice did not resolve, the best resolved candidate (up the hierarchy).
    """
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: (-c.score, c.toponym.start))
    best = ranked[0]
    improved = True
    while improved:
        improved = False
        for candidate in ranked:
            if (
                candidate.strong
                and candidate.score >= best.score - REFINE_MARGIN
                and contains(best.toponym, candidate.toponym)
            ):
                best = candidate
                improved = True
                break
    if not best.toponym.resolved:
        resolved = [c for c in ranked if c.toponym.resolved and c.score > -2.0]
        if resolved:
            fallback = resolved[0]
            return SiteCandidate(fallback.toponym, fallback.score, fallback.reasons + ("fallback",))
    return best


def direction_before(text: str, toponym: Toponym, *, sentence_start: int = 0) -> str | None:
    """The direction word right before a toponym ("eastern Syria" -> "east"), or None."""
    m = _DIRECTION_RE.search(text, max(sentence_start, toponym.start - 30), toponym.start)
    if not m:
        return None
    return re.sub(r"[\s-]", "", m.group("dir").lower())


def site_location(
    toponym: Toponym,
    *,
    direction: str | None = None,
    geo_precision: int | None = None,
) -> Location:
    """The :class:`~incidents.model.Location` of an event site.

    A direction on a province or country ("eastern Syria") moves the point half its radius
    that way and halves the radius; the admin-1 code of a country is then left for the
    spatial join.
    """
    lat, lon, radius = toponym.lat, toponym.lon, toponym.radius_km
    admin1_code = toponym.admin1_code
    if direction and lat is not None and lon is not None and radius and toponym.feature in ("country", "admin1", "region", "desert"):
        east, north = DIRECTIONS.get(direction, (0.0, 0.0))
        shift = radius / 2
        lat = lat + north * shift / KM_PER_DEGREE
        lon = lon + east * shift / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1))
        radius = radius / 2
        if toponym.feature == "country":
            admin1_code = None
    precision = geo_precision if geo_precision is not None else toponym.geo_precision
    return Location(
        name=toponym.text,
        lat=lat,
        lon=lon,
        country=toponym.country,
        admin1=None,
        admin1_code=admin1_code,
        place_id=toponym.place_id,
        feature=toponym.feature,
        geo_precision=max(1, min(3, int(precision))),
        radius_km=float(radius or 0.0),
    )
