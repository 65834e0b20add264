"""Scoring the extractor: the seed articles against ``gold.json``, and the event site on two
annotated corpora.

``score_seeds``
    Runs the extractor on the articles of a seeds folder (``published`` from ``gold.json``)
    and applies the matching rules written in ``gold.json``: a found incident matches a gold
    incident when its point lies within ``location.within_km`` of ``location.near`` or in one
    of ``location.admin1_any`` (the point is joined to the admin-1 polygons; an incident with
    no point uses its ``admin1_code``), and its ``event_type`` is one of ``event_type_any``.
    Gold and found incidents are paired one to one, the pair whose counts and dates are right
    first. Counts are right when ``low`` and ``high`` both lie in ``[min, max]``; dates when
    ``[date_start, date_end]`` overlaps ``[from, to]``. A found incident that matches no gold
    incident is a false positive; one placed at a ``not_incidents`` place and not historical
    breaks that rule.
``event_site_accuracy``
    ``event_location_dev.jsonl``: the share of sentences whose chosen event site overlaps the
    marked location span, beside the first-toponym and nearest-toponym baselines.
``ucdp_headline_accuracy``
    ``ucdp_headlines_dev.jsonl``: the share of headlines whose incident lies within 25 km and
    50 km of UCDP's coded point.
``long_form_accuracy``
    ``fakes_dev.jsonl`` (FA-KES): whole articles on the Syrian war with the governorate of
    their main incident. The share whose main incident (the deadliest, the first told on a
    tie) lies in that governorate, beside two plain choices, and the share of all located
    incidents the extractor puts outside Syria (a proxy for places taken as sites that are
    not: "US-led", "Ankara launched").
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from incidents.errors import EvaluationError
from incidents.extract import Extractor, default_extractor
from incidents.model import Article, Incident

EARTH_RADIUS_KM = 6371.0088
#: An incident this close (km) to a background place of gold.json is placed there.
NOT_INCIDENT_KM = 15.0
#: Distance thresholds of the UCDP headline score, km.
UCDP_THRESHOLDS_KM: tuple[float, ...] = (25.0, 50.0)
#: FA-KES ``gold_location`` labels -> ISO 3166-2 codes of the governorates they name.
#: "damascus" labels both the city and its countryside (Douma, Ghouta lie in Rif Dimashq).
FAKES_GOVERNORATES: dict[str, tuple[str, ...]] = {
    "aleppo": ("SY-HL",), "idlib": ("SY-ID",), "damascus": ("SY-DI", "SY-RD"),
    "deir ezzor": ("SY-DY",), "raqqa": ("SY-RA",), "homs": ("SY-HI",), "hasakeh": ("SY-HA",),
    "lattakia": ("SY-LA",), "hama": ("SY-HM",), "daraa": ("SY-DR",), "quneitra": ("SY-QU",),
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --- seeds -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldCheck:
    """One gold field (killed, injured, arrested, date) checked on the paired incident."""

    gold_id: str
    field: str
    expected: tuple[Any, Any]
    found: Any
    ok: bool


@dataclass
class ArticleScore:
    """Scores of one seed article."""

    name: str
    incidents: list[Incident]
    pairs: dict[str, int] = field(default_factory=dict)
    required_missing: list[str] = field(default_factory=list)
    false_positives: list[int] = field(default_factory=list)
    checks: list[FieldCheck] = field(default_factory=list)
    not_incident_violations: list[tuple[str, int]] = field(default_factory=list)
    actors_found: int = 0
    actors_expected: int = 0
    required_found: int = 0
    required_count: int = 0


@dataclass
class SeedReport:
    """Scores over all seed articles; ``passed`` applies the acceptance rule."""

    articles: list[ArticleScore]
    max_false_positives: int = 2

    @property
    def false_positive_count(self) -> int:
        return sum(len(a.false_positives) for a in self.articles)

    @property
    def field_checks(self) -> list[FieldCheck]:
        return [c for a in self.articles for c in a.checks]

    @property
    def passed(self) -> bool:
        return (
            not any(a.required_missing for a in self.articles)
            and self.false_positive_count <= self.max_false_positives
            and all(c.ok for c in self.field_checks)
            and not any(a.not_incident_violations for a in self.articles)
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary with the per-article details."""
        checks = self.field_checks
        by_field: dict[str, dict[str, int]] = {}
        for check in checks:
            entry = by_field.setdefault(check.field, {"right": 0, "total": 0})
            entry["total"] += 1
            entry["right"] += int(check.ok)
        required_found = sum(a.required_found for a in self.articles)
        required = sum(a.required_count for a in self.articles)
        return {
            "passed": self.passed,
            "required_found": required_found,
            "required_total": required,
            "incidents_found": sum(len(a.incidents) for a in self.articles),
            "false_positives": self.false_positive_count,
            "max_false_positives": self.max_false_positives,
            "fields": by_field,
            "not_incident_violations": sum(len(a.not_incident_violations) for a in self.articles),
            "actors_found": sum(a.actors_found for a in self.articles),
            "actors_expected": sum(a.actors_expected for a in self.articles),
            "articles": [
                {
                    "article": a.name,
                    "incidents": len(a.incidents),
                    "pairs": {gid: a.incidents[i].summary for gid, i in a.pairs.items()},
                    "required_missing": a.required_missing,
                    "false_positives": [a.incidents[i].summary for i in a.false_positives],
                    "checks": [asdict(c) | {"expected": list(c.expected)} for c in a.checks],
                    "not_incident_violations": [
                        {"place": place, "incident": a.incidents[i].summary} for place, i in a.not_incident_violations
                    ],
                }
                for a in self.articles
            ],
        }


def load_gold(seeds_dir: Path) -> dict[str, Any]:
    """Read ``gold.json`` of a seeds folder."""
    path = Path(seeds_dir) / "gold.json"
    try:
        with open(path, encoding="utf-8") as handle:
            gold = json.load(handle)
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"{str(path)!r} is not valid JSON: {exc}") from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("articles"), dict):
        raise EvaluationError(f"{str(path)!r} has no 'articles' mapping; see shared/seeds/gold.json")
    return gold


def _admin1_codes(incidents: Sequence[Incident]) -> list[str | None]:
    """Admin-1 code of each incident's point (polygon join), else its own code."""
    points = [(i, inc.location) for i, inc in enumerate(incidents) if inc.location and inc.location.lat is not None]
    codes: list[str | None] = [inc.location.admin1_code if inc.location else None for inc in incidents]
    if points:
        from geo.spatial_join import admin1_for_points

        frame = admin1_for_points([loc.lon for _, loc in points], [loc.lat for _, loc in points])
        for (i, loc), code in zip(points, frame["admin1_code"].tolist()):
            codes[i] = code or loc.admin1_code
    return codes


def location_matches(incident: Incident, admin1_code: str | None, gold_location: dict[str, Any]) -> bool:
    """The location rule of ``gold.json``: near enough, or in one of the admin-1 areas."""
    loc = incident.location
    if loc is None:
        return False
    near = gold_location.get("near")
    within = float(gold_location.get("within_km", 0))
    if near and loc.lat is not None and loc.lon is not None and haversine_km(loc.lat, loc.lon, near[0], near[1]) <= within:
        return True
    admin1_any = gold_location.get("admin1_any")
    return bool(admin1_any and admin1_code in admin1_any)


def _count_check(gold_id: str, name: str, incident: Incident, expected: dict[str, Any]) -> FieldCheck:
    count = getattr(incident, name)
    bounds = (int(expected["min"]), int(expected["max"]))
    ok = count is not None and bounds[0] <= count.low and count.high <= bounds[1]
    found = (count.low, count.best, count.high) if count else None
    return FieldCheck(gold_id, name, bounds, found, ok)


def _date_check(gold_id: str, incident: Incident, expected: dict[str, Any]) -> FieldCheck:
    start, end = date.fromisoformat(expected["from"]), date.fromisoformat(expected["to"])
    ok = incident.date_start is not None and incident.date_end is not None and (
        incident.date_start <= end and start <= incident.date_end
    )
    found = (
        (incident.date_start.isoformat(), incident.date_end.isoformat()) if incident.date_start and incident.date_end else None
    )
    return FieldCheck(gold_id, "date", (start.isoformat(), end.isoformat()), found, ok)


def _checks(gold: dict[str, Any], incident: Incident) -> list[FieldCheck]:
    checks = [_count_check(gold["id"], name, incident, gold[name]) for name in ("killed", "injured", "arrested") if name in gold]
    if "date" in gold:
        checks.append(_date_check(gold["id"], incident, gold["date"]))
    return checks


def score_article(
    name: str,
    incidents: list[Incident],
    gold_article: dict[str, Any],
    *,
    actor_resolver: Callable[[str], Any] | None = None,
    place_lookup: Callable[[str], tuple[float, float] | None] | None = None,
) -> ArticleScore:
    """Pair found and gold incidents of one article and check their fields.

    ``place_lookup`` gives the point of a ``not_incidents`` place: an incident within
    :data:`NOT_INCIDENT_KM` of it (or whose location name contains the place) that is not
    historical breaks the rule.
    """
    score = ArticleScore(name, incidents)
    golds = gold_article.get("incidents") or []
    codes = _admin1_codes(incidents)
    candidates: dict[str, list[int]] = {}
    for gold in golds:
        candidates[gold["id"]] = [
            i
            for i, incident in enumerate(incidents)
            if incident.event_type in gold.get("event_type_any", ())
            and location_matches(incident, codes[i], gold.get("location") or {})
        ]
    taken: set[int] = set()
    # Gold with fewest candidates first, required before optional, then pairs with right fields.
    order = sorted(golds, key=lambda g: (not g.get("required", False), len(candidates[g["id"]])))
    for gold in order:
        free = [i for i in candidates[gold["id"]] if i not in taken]
        if not free:
            if gold.get("required", False):
                score.required_missing.append(gold["id"])
            continue
        best = max(free, key=lambda i: (sum(c.ok for c in _checks(gold, incidents[i])), -i))
        score.pairs[gold["id"]] = best
        taken.add(best)
        score.checks.extend(_checks(gold, incidents[best]))
        expected = gold.get("actors_include") or []
        if expected:
            present = {incidents[best].actor1, incidents[best].actor2, *incidents[best].assoc_actors}
            for actor in expected:
                score.actors_expected += 1
                resolved = actor_resolver(actor) if actor_resolver else None
                score.actors_found += int((resolved.name if resolved else actor) in present)
    matched_any = {i for ids in candidates.values() for i in ids}
    score.false_positives = [i for i in range(len(incidents)) if i not in matched_any]
    for rule in gold_article.get("not_incidents") or []:
        label = str(rule.get("place", ""))
        place = label.split("(")[0].strip()
        if not place:
            continue
        point = place_lookup(place) if place_lookup else None
        for i, incident in enumerate(incidents):
            loc = incident.location
            if loc is None or incident.historical:
                continue
            named = place.lower() in loc.name.lower()
            near = (
                point is not None
                and loc.lat is not None
                and haversine_km(loc.lat, loc.lon, point[0], point[1]) <= NOT_INCIDENT_KM  # type: ignore[arg-type]
            )
            if named or near:
                score.not_incident_violations.append((label, i))
    score.required_found = len([g for g in golds if g.get("required") and g["id"] in score.pairs])
    score.required_count = len([g for g in golds if g.get("required")])
    return score


def score_seeds(
    seeds_dir: str | Path,
    *,
    extractor: Extractor | None = None,
    read_article: Callable[[Path, date | None], Article] | None = None,
) -> SeedReport:
    """Extract and score every article listed in ``<seeds_dir>/gold.json``.

    Parameters
    ----------
    seeds_dir
        Folder with the articles and ``gold.json``.
    extractor
        Default: the shared :func:`~incidents.extract.default_extractor`.
    read_article
        ``(path, published) -> Article``; default reads the file with the project's readers
        (plain-text rules), or as raw text when the readers are not available.
    """
    folder = Path(seeds_dir)
    gold = load_gold(folder)
    extractor = extractor or default_extractor()
    reader = read_article or _read_seed
    scores = []
    for name, gold_article in sorted(gold["articles"].items()):
        path = folder / name
        if not path.is_file():
            raise EvaluationError(f"gold.json lists {name!r} but {str(path)!r} is missing")
        published = date.fromisoformat(gold_article["published"]) if gold_article.get("published") else None
        article = reader(path, published)
        incidents = extractor.extract(article)
        scores.append(
            score_article(
                name, incidents, gold_article, actor_resolver=extractor.actors.resolve, place_lookup=_gazetteer_point
            )
        )
    return SeedReport(scores)


def _gazetteer_point(name: str) -> tuple[float, float] | None:
    """The best gazetteer point for a plain place name, None for descriptions or no match."""
    if not name[:1].isupper() or " " in name.strip():
        return None  # "eastern Syria", "Iraq and Syria": descriptions, matched by name only
    try:
        from gazetteer import lookup
    except ImportError:
        return None
    places = lookup(name, limit=1)
    return (places[0].lat, places[0].lon) if places else None


def _read_seed(path: Path, published: date | None) -> Article:
    try:
        from incidents.readers import read_text
    except ImportError:
        text = path.read_text(encoding="utf-8")
        return Article.from_text(text, ref=path.name, published=published)
    return read_text(path.read_text(encoding="utf-8"), ref=path.name, published=published)


# --- event-site corpora ------------------------------------------------------------------


def iter_jsonl(path: str | Path, *, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Records of a JSON Lines corpus (blank lines skipped; a broken line is an error)."""
    with open(path, encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip())
        for number, line in enumerate(islice(lines, limit), start=1):
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(f"{str(path)!r} record {number}: not JSON ({exc}); fix or remove the line") from exc


def _overlaps(a_start: int, a_end: int, spans: Iterable[dict[str, Any]]) -> bool:
    return any(a_start < int(s["end"]) and int(s["start"]) < a_end for s in spans)


@dataclass(frozen=True, slots=True)
class SiteScore:
    """Share of sentences whose chosen site overlaps the marked location, and baselines."""

    sentences: int
    chosen: float
    first_toponym: float
    nearest_toponym: float
    recognised: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def event_site_accuracy(path: str | Path, *, extractor: Extractor, limit: int | None = None) -> SiteScore:
    """Event-site accuracy on ``event_location_dev.jsonl``.

    For each sentence the geoparser finds the toponyms and :meth:`Extractor.event_site`
    picks the site of the marked event verb. ``chosen`` is the share of sentences where that
    site overlaps a marked location span; ``first_toponym`` and ``nearest_toponym`` are the
    same share for the plain choices; ``recognised`` the share where any toponym found
    overlaps the marked span (the ceiling for every choice).
    """
    geoparser = extractor.geoparser
    if geoparser is None:
        raise EvaluationError("the event-site score needs the gazetteer's geoparser, which is not available")
    n = chosen = first = nearest = recognised = 0
    for record in iter_jsonl(path, limit=limit):
        text = record["text"]
        gold = record.get("toponyms") or []
        verbs = record.get("event_verbs") or []
        if not gold:
            continue
        n += 1
        toponyms = sorted(geoparser(text), key=lambda t: t.start)
        if not toponyms:
            continue
        triggers = [(int(v["start"]), int(v["end"])) for v in verbs]
        recognised += any(_overlaps(t.start, t.end, gold) for t in toponyms)
        site = extractor.event_site(text, triggers, toponyms=toponyms)
        chosen += bool(site and _overlaps(site.toponym.start, site.toponym.end, gold))
        first += _overlaps(toponyms[0].start, toponyms[0].end, gold)
        if triggers:
            t0, t1 = triggers[0]
            near = min(toponyms, key=lambda t: min(abs(t.start - t1), abs(t0 - t.end)))
            nearest += _overlaps(near.start, near.end, gold)
    share = (lambda k: round(k / n, 4)) if n else (lambda k: 0.0)
    return SiteScore(n, share(chosen), share(first), share(nearest), share(recognised))


@dataclass(frozen=True, slots=True)
class HeadlineScore:
    """Share of UCDP headlines whose incident lies within each distance of UCDP's point."""

    headlines: int
    with_incident: float
    within_km: dict[str, float]
    site_within_km: dict[str, float]
    first_toponym_within_km: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ucdp_headline_accuracy(
    path: str | Path,
    *,
    extractor: Extractor,
    limit: int | None = None,
    thresholds_km: Sequence[float] = UCDP_THRESHOLDS_KM,
) -> HeadlineScore:
    """Event-site accuracy on ``ucdp_headlines_dev.jsonl``.

    Each headline is read as an article published on its date. ``within_km`` counts a
    headline when its first located incident lies within the distance of ``gold_event``
    (no incident: a miss). ``site_within_km`` also accepts the event site chosen among the
    headline's toponyms when no trigger word made an incident; ``first_toponym_within_km``
    is the plain baseline.
    """
    geoparser = extractor.geoparser
    n = with_incident = 0
    hits = {t: 0 for t in thresholds_km}
    site_hits = {t: 0 for t in thresholds_km}
    first_hits = {t: 0 for t in thresholds_km}
    for record in iter_jsonl(path, limit=limit):
        gold = record.get("gold_event") or {}
        if gold.get("lat") is None or gold.get("lon") is None:
            continue
        n += 1
        text = record["text"]
        published = date.fromisoformat(record["date"]) if record.get("date") else None
        article = Article.from_text(text, ref=str(record.get("id", n)), published=published)
        located = [i.location for i in extractor.extract(article) if i.location and i.location.lat is not None]
        toponyms = sorted(geoparser(text), key=lambda t: t.start) if geoparser else []
        point = (located[0].lat, located[0].lon) if located else None
        with_incident += bool(point)
        site_point = point
        if site_point is None and toponyms:
            site = extractor.event_site(text, [], toponyms=toponyms)
            if site and site.toponym.lat is not None:
                site_point = (site.toponym.lat, site.toponym.lon)
        first = next((t for t in toponyms if t.lat is not None), None)
        for limit_km in thresholds_km:
            if point and haversine_km(point[0], point[1], gold["lat"], gold["lon"]) <= limit_km:
                hits[limit_km] += 1
            if site_point and haversine_km(site_point[0], site_point[1], gold["lat"], gold["lon"]) <= limit_km:
                site_hits[limit_km] += 1
            if first and haversine_km(first.lat, first.lon, gold["lat"], gold["lon"]) <= limit_km:  # type: ignore[arg-type]
                first_hits[limit_km] += 1

    def shares(counts: dict[float, int]) -> dict[str, float]:
        return {f"{k:g}": round(v / n, 4) if n else 0.0 for k, v in counts.items()}

    return HeadlineScore(n, round(with_incident / n, 4) if n else 0.0, shares(hits), shares(site_hits), shares(first_hits))


# --- long-form articles (FA-KES) -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LongFormScore:
    """Main-incident governorate accuracy on whole articles, and the plain choices."""

    articles: int
    with_incident: float
    main_incident: float
    any_incident: float
    first_toponym: float
    most_named: float
    incidents: int
    outside_syria: float
    per_article: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _main_incident(incidents: Sequence[Incident]) -> int | None:
    """Index of the deadliest located, non-historical incident (the first told on a tie)."""
    located = [i for i, inc in enumerate(incidents)
               if inc.location and inc.location.lat is not None and not inc.historical]
    if not located:
        return None
    return max(located, key=lambda i: (incidents[i].fatalities, -i))


def long_form_accuracy(path: str | Path, *, extractor: Extractor, limit: int | None = None) -> LongFormScore:
    """Event-site accuracy on whole articles: ``fakes_dev.jsonl``.

    Each record is read as an article published on its ``date``. ``main_incident`` is the
    share of articles whose main incident (:func:`_main_incident`) lies in the governorate of
    ``gold_location`` (:data:`FAKES_GOVERNORATES`; the point is joined to the admin-1
    polygons); ``any_incident`` the share where any located incident does. The plain
    choices: ``first_toponym`` (the governorate of the first resolved place the geoparser
    finds) and ``most_named`` (the governorate most of the article's toponyms lie in).
    ``outside_syria`` is the share of all located incidents placed in another country.
    Records with a label outside :data:`FAKES_GOVERNORATES` are skipped.
    """
    from geo.spatial_join import admin1_for_points

    geoparser = extractor.geoparser
    if geoparser is None:
        raise EvaluationError("the long-form score needs the gazetteer's geoparser, which is not available")
    n = with_incident = main_hits = any_hits = first_hits = most_hits = 0
    located_total = outside = 0
    for record in iter_jsonl(path, limit=limit):
        wanted = FAKES_GOVERNORATES.get(str(record.get("gold_location", "")).strip().lower())
        if not wanted:
            continue
        n += 1
        text = record["text"]
        published = date.fromisoformat(record["date"]) if record.get("date") else None
        article = Article.from_text(text, ref=str(record.get("id", n)), published=published)
        incidents = extractor.extract(article)
        codes = _admin1_codes(incidents)
        main = _main_incident(incidents)
        with_incident += main is not None
        main_hits += main is not None and codes[main] in wanted
        any_hits += any(c in wanted for c in codes)
        located = [inc for inc in incidents if inc.location and inc.location.lat is not None]
        located_total += len(located)
        outside += sum(inc.location.country not in (None, "SY") for inc in located)  # type: ignore[union-attr]
        points = [t for t in sorted(geoparser(text), key=lambda t: t.start) if t.lat is not None]
        if points:
            area = admin1_for_points([t.lon for t in points], [t.lat for t in points])["admin1_code"]
            area = [code or t.admin1_code for code, t in zip(area.tolist(), points)]
            first_hits += area[0] in wanted
            named = Counter(code for code in area if code)
            most_hits += bool(named) and named.most_common(1)[0][0] in wanted

    def share(k: int, of: int) -> float:
        return round(k / of, 4) if of else 0.0

    return LongFormScore(
        n, share(with_incident, n), share(main_hits, n), share(any_hits, n), share(first_hits, n),
        share(most_hits, n), located_total, share(outside, located_total),
        round(located_total / n, 2) if n else 0.0,
    )
