"""One incident, many reports: decide whether an extracted incident reports a stored one.

When three outlets report the same car bomb in Ramadi, the extractor gives three incidents,
each with its own id. :func:`find_links` compares the incidents of a new article with the
incidents already stored (one SQLite query on a date window, then numpy over the pairs) and
says which of them report a stored incident, with a score and the reasons; the store then
keeps the stored incident's id and adds the article, its evidence and its report
(:meth:`incidents.store.IncidentStore.add_article` with ``links=``).

The evidence is the evidence a careful analyst weighs:

- the same event family: the same ``event_type``, and the same ``sub_event_type`` when both
  reports give one (required);
- dates that overlap once their precision is taken into account: a day-precise date may lag
  by ``lag_days`` (reporting lag); a week or a month range is weak evidence, a date guessed
  from the publication date (flag ``date_from_publication``) counts as a month, a range
  longer than ``max_span_days`` (a year) is none (required: overlap);
- places: two precise places (ACLED ``geo_precision`` 1 or 2, radius at most
  :data:`PRECISE_MAX_RADIUS_KM`) must lie within ``max(radius_km of both, min_radius_km)``
  of each other; when either place is only a province (``geo_precision`` 3) or wider, the
  same admin-1 code is weak evidence (required: one of the two; a country or region has no
  admin-1 and never links); a weak date and a weak place together never link;
- counts: killed/injured/arrested ranges that overlap or are close add to the score, counts
  far apart take away from it;
- actors: a shared actor (actor1, actor2, associates) adds, two disjoint sets take away.

Conservative by default (``min_score`` 0.7): a wrong merge hides an incident, which is
worse than a duplicate. Two incidents of one article are never linked to each other, and
each stored incident takes at most one incident of an article. Imported dataset events
(``source`` ``ucdp:…`` / ``acled:…``) are neither linked nor linked to unless
``link_imported=True``. Everything is deterministic: the same store and article give the
same links.

:func:`merge_reports` is how the reports of one incident are combined: counts become the
union range, ``best`` the lower median of the reports' best figures, and a flag
``reports_disagree:<count>`` marks a count the reports disagree on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from incidents.model import Article, Count, Incident

if TYPE_CHECKING:
    from incidents.store import IncidentStore

__all__ = [
    "CANDIDATE_COLUMNS",
    "DISAGREE_FLAG",
    "IMPORTED_PREFIXES",
    "VIA_COLUMN",
    "CandidateWindow",
    "Link",
    "LinkRules",
    "candidate_frame",
    "candidate_windows",
    "find_links",
    "is_imported",
    "merge_counts",
    "merge_reports",
    "score_pairs",
    "with_merged_counts",
    "with_reports",
]

#: Prefix of the flag marking a count the linked reports disagree on
#: (``reports_disagree:killed``).
DISAGREE_FLAG = "reports_disagree"

#: ``source`` prefixes of imported structured events (never linked unless asked).
IMPORTED_PREFIXES: tuple[str, ...] = ("ucdp:", "acled:")

#: Columns :meth:`IncidentStore.link_candidates` returns and :func:`candidate_frame` builds.
CANDIDATE_COLUMNS: tuple[str, ...] = (
    "incident_id", "event_type", "sub_event_type", "actor1", "actor2", "assoc_actors",
    "latitude", "longitude", "geo_precision", "radius_km", "place_id", "admin1_code",
    "date_start", "date_end", "time_precision",
    "killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high",
    "arrested_low", "arrested_best", "arrested_high", "status", "source", "flags",
    "article_ids",
)

#: Column of a candidate row that is one of a stored incident's reports, not its record:
#: the report's article id (the row's ``incident_id`` is the stored incident's).
VIA_COLUMN = "via_article"

#: A linked candidate is compared through at most this many of its reports, those stored
#: last (besides its record): an incident with hundreds of reports stays cheap to meet.
REPORTS_COMPARED = 16

#: Flags of a date that is a guess, not read in the text (weak: counted as a month range).
GUESSED_DATE_FLAGS: tuple[str, ...] = ("date_from_publication",)

_COUNTS = ("killed", "injured", "arrested")
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_RANK_NAME = ("day", "week", "month", "year")
_EARTH_RADIUS_KM = 6371.0088
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class LinkRules:
    """How sure linking must be, and what counts as close.

    Parameters
    ----------
    min_score : float
        A pair links only at this score or above (0-1; the weights are below).
    lag_days : int
        Days a day-precise date may differ from the other report's (reporting lag).
    min_radius_km : float
        Two precise places link within ``max(radius_km of both, min_radius_km)`` km.
    max_span_days : int
        Dates spanning more days than this (a year) are no evidence: no link.
    link_imported : bool
        Also link imported dataset events (UCDP, ACLED), to each other and to articles.
    date_weight, place_weight : float
        Score of a same-day date / the same place; weaker dates and places get a share.
    type_weight : float
        Score of the same sub-event type (half of it when either report gives none).
    count_weight, count_conflict : float
        Added per count (killed, injured, arrested) the reports agree on, up to two;
        taken away per count they are far apart on.
    actor_weight : float
        Added when the reports share an actor, taken away when both name actors and none
        is shared.
    """

    min_score: float = 0.7
    lag_days: int = 1
    min_radius_km: float = 10.0
    max_span_days: int = 31
    link_imported: bool = False
    date_weight: float = 0.35
    place_weight: float = 0.35
    type_weight: float = 0.1
    count_weight: float = 0.1
    count_conflict: float = 0.25
    actor_weight: float = 0.1


#: Share of ``date_weight`` by the coarser precision of the two dates (day, week, month).
DATE_STRENGTH: tuple[float, ...] = (1.0, 0.45, 0.15)
#: Share of ``date_weight`` for two day-precise dates that differ by the allowed lag.
LAG_STRENGTH = 0.85
#: Share of ``place_weight`` for the same admin-1 when either place is province-level.
ADMIN1_STRENGTH = 0.25
#: A place is precise (compared by distance) with ``geo_precision`` 1-2 and at most this
#: radius (km); a wider one ("the Middle East", a desert) is compared by province only.
PRECISE_MAX_RADIUS_KM = 50.0
#: Two precise places this close (km) count as the same place.
SAME_PLACE_KM = 1.0
#: Counts are close when their best figures differ by at most this many people...
CLOSE_COUNT_ABS = 2
#: ...or by at most this share of the larger figure.
CLOSE_COUNT_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class Link:
    """An incoming incident that reports a stored incident.

    ``incident_id`` is the incoming incident's id as extracted; ``target_id`` the stored
    incident it reports; ``score`` (0-1) and ``reasons`` say why.
    """

    incident_id: str
    target_id: str
    score: float
    reasons: tuple[str, ...]


def is_imported(source: str | None) -> bool:
    """True for an imported dataset event (``source`` starts ``ucdp:`` or ``acled:``)."""
    return bool(source) and str(source).lower().startswith(IMPORTED_PREFIXES)


def _imported(sources: np.ndarray) -> np.ndarray:
    text = np.char.lower(np.where(pd.isna(sources), "", sources).astype(str))
    found = np.zeros(len(sources), dtype=bool)
    for prefix in IMPORTED_PREFIXES:
        found |= np.char.startswith(text, prefix)
    return found


def candidate_frame(incidents: Sequence[Incident]) -> pd.DataFrame:
    """Incidents as a frame with :data:`CANDIDATE_COLUMNS` (as the store's candidates).

    ``assoc_actors`` is joined with U+001F and ``article_ids`` with ``;``, as stored.
    """
    rows = []
    for incident in incidents:
        loc = incident.location
        row = {
            "incident_id": incident.incident_id,
            "event_type": incident.event_type,
            "sub_event_type": incident.sub_event_type,
            "actor1": incident.actor1,
            "actor2": incident.actor2,
            "assoc_actors": "\x1f".join(incident.assoc_actors),
            "latitude": loc.lat if loc else None,
            "longitude": loc.lon if loc else None,
            "geo_precision": loc.geo_precision if loc else None,
            "radius_km": loc.radius_km if loc else None,
            "place_id": loc.place_id if loc else None,
            "admin1_code": loc.admin1_code if loc else None,
            "date_start": incident.date_start.isoformat() if incident.date_start else None,
            "date_end": incident.date_end.isoformat() if incident.date_end else None,
            "time_precision": incident.time_precision,
            "status": incident.status,
            "source": incident.source,
            "flags": "\x1f".join(incident.flags),
            "article_ids": ";".join(incident.article_ids),
        }
        for name in _COUNTS:
            count: Count | None = getattr(incident, name)
            for part in ("low", "best", "high"):
                row[f"{name}_{part}"] = getattr(count, part) if count else None
        rows.append(row)
    return pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS), dtype=object)


# -- scoring ---------------------------------------------------------------------------------


def _columns(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The :data:`CANDIDATE_COLUMNS` of a frame as object arrays (one conversion, no per-
    column pandas overhead: the frames are small and scored once per article)."""
    if tuple(frame.columns) != CANDIDATE_COLUMNS:
        frame = frame.reindex(columns=list(CANDIDATE_COLUMNS))
    values = frame.to_numpy(dtype=object)
    return {column: values[:, k] for k, column in enumerate(CANDIDATE_COLUMNS)}


def _days(values: np.ndarray) -> np.ndarray:
    """ISO dates (text, date or datetime) -> days since 1970 as float (NaN when missing)."""
    # "2018-03-10", a date, or a timestamp's text cut to its day ("U10" truncates)
    days = np.where(pd.isna(values), "NaT", values).astype(str).astype("U10").astype(
        "datetime64[D]")
    out = days.astype("int64").astype(float)
    out[np.isnat(days)] = np.nan
    return out


def _numbers(values: np.ndarray) -> np.ndarray:
    return np.where(pd.isna(values), np.nan, values).astype(float)


def _texts(values: np.ndarray) -> np.ndarray:
    """Text values as an object array with None for missing or empty ones."""
    present = ~pd.isna(values)
    present[present] = values[present].astype(str) != ""
    return np.where(present, values, None)


def _has_flag(flags: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """True where the U+001F-joined ``flags`` hold one of ``names``."""
    joined = np.char.add(np.char.add("\x1f", np.where(pd.isna(flags), "", flags).astype(str)),
                         "\x1f")
    found = np.zeros(len(flags), dtype=bool)
    for name in names:
        found |= np.char.find(joined, f"\x1f{name}\x1f") >= 0
    return found


def _precision_rank(columns: dict[str, np.ndarray], start: np.ndarray, end: np.ndarray,
                    max_span_days: int) -> np.ndarray:
    """0 day, 1 week, 2 month, 3 too coarse/unknown: the stated precision or the span's.

    A date guessed from the publication date (:data:`GUESSED_DATE_FLAGS`) counts as a
    month: the text gave no date.
    """
    stated = np.zeros(len(start))
    for name, rank in _PRECISION_RANK.items():
        stated[columns["time_precision"] == name] = rank
    span = end - start + 1
    by_span = np.select([span <= 1, span <= 7, span <= max_span_days], [0, 1, 2], 3)
    rank = np.fmax(stated, by_span.astype(float))
    guessed = _has_flag(columns["flags"], GUESSED_DATE_FLAGS)
    rank[guessed] = np.fmax(rank[guessed], 2)
    rank[np.isnan(start) | (span > max_span_days)] = 3
    return rank.astype(int)


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
                  ) -> np.ndarray:
    """Great-circle distances (km) between every point of 1 (rows) and 2 (columns)."""
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dlat = p2 - p1
    dlon = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _actor_matrices(a: dict[str, np.ndarray], b: dict[str, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray]:
    """0/1 matrices (rows x actors) of the actors each row names (actor1, actor2,
    associates), over the actors named in either side, without regard to case."""
    rows, names = [], []
    for columns in (a, b):
        n = len(columns["actor1"])
        assoc = np.char.split(np.where(pd.isna(columns["assoc_actors"]), "",
                                       columns["assoc_actors"]).astype(str), "\x1f")
        lengths = np.fromiter(map(len, assoc), dtype=int, count=n)
        listed = np.concatenate(assoc.tolist()) if n else np.empty(0)
        rows.append(np.concatenate([np.arange(n), np.arange(n), np.repeat(np.arange(n), lengths)]))
        names.append(np.concatenate([columns["actor1"], columns["actor2"],
                                     listed.astype(object)]))
    sides = np.repeat([0, 1], [len(r) for r in rows])
    rows_all, names_all = np.concatenate(rows), _texts(np.concatenate(names))
    keep = pd.notna(names_all)
    codes, uniques = pd.factorize(np.char.lower(names_all[keep].astype(str)))
    width = max(len(uniques), 1)
    out = []
    for side, columns in enumerate((a, b)):
        matrix = np.zeros((len(columns["actor1"]), width), dtype=np.int32)
        mine = sides[keep] == side
        matrix[rows_all[keep][mine], codes[mine]] = 1
        out.append(matrix)
    return out[0], out[1]


@dataclass(frozen=True, slots=True)
class PairScores:
    """Scores of every (incoming, candidate) pair and the parts they are made of.

    ``score`` is ``-inf`` where a required piece of evidence is missing. The other arrays
    (same shape) keep the parts for :func:`reasons_for`.
    """

    score: np.ndarray
    gap_days: np.ndarray
    date_rank: np.ndarray
    distance_km: np.ndarray
    threshold_km: np.ndarray
    precise: np.ndarray
    same_place: np.ndarray
    count_agree: np.ndarray
    count_conflict: np.ndarray
    shared_actors: np.ndarray
    disjoint_actors: np.ndarray


def score_pairs(incoming: pd.DataFrame, candidates: pd.DataFrame, *,
                rules: LinkRules = LinkRules()) -> PairScores:
    """Score every pair of an incoming incident and a candidate (numpy, no per-pair loop).

    Parameters
    ----------
    incoming, candidates : DataFrame
        Frames with :data:`CANDIDATE_COLUMNS` (:func:`candidate_frame`, or the store's
        :meth:`~incidents.store.IncidentStore.link_candidates`).
    rules : LinkRules, keyword-only

    Returns
    -------
    PairScores
        ``score`` has shape ``(len(incoming), len(candidates))``; ``-inf`` marks pairs that
        cannot link (other event family, dates apart, places apart, the same article, an
        imported event, a weak date with a weak place).
    """
    n, m = len(incoming), len(candidates)
    a, b = _columns(incoming), _columns(candidates)

    # what: the same event type, and the same sub-type when both give one
    type_a, type_b = _texts(a["event_type"]), _texts(b["event_type"])
    sub_a, sub_b = _texts(a["sub_event_type"]), _texts(b["sub_event_type"])
    same_type = type_a[:, None] == type_b[None, :]
    sub_given = pd.notna(sub_a)[:, None] & pd.notna(sub_b)[None, :]
    sub_equal = sub_a[:, None] == sub_b[None, :]
    family = same_type & (~sub_given | sub_equal)
    type_score = np.where(sub_given & sub_equal, rules.type_weight, rules.type_weight / 2)

    # when: ranges overlap after the reporting lag; strength by the coarser precision
    start_a, end_a = _days(a["date_start"]), _days(a["date_end"])
    start_b, end_b = _days(b["date_start"]), _days(b["date_end"])
    end_a, end_b = np.where(np.isnan(end_a), start_a, end_a), np.where(np.isnan(end_b), start_b, end_b)
    rank_a = _precision_rank(a, start_a, end_a, rules.max_span_days)
    rank_b = _precision_rank(b, start_b, end_b, rules.max_span_days)
    date_rank = np.maximum(rank_a[:, None], rank_b[None, :])
    with np.errstate(invalid="ignore"):
        gap = np.fmax(start_a[:, None] - end_b[None, :], start_b[None, :] - end_a[:, None])
        gap = np.fmax(gap, 0.0)
        # the reporting lag is for day-precise dates; ranges must overlap
        lag = np.where((rank_a[:, None] == 0) | (rank_b[None, :] == 0), rules.lag_days, 0)
        dated = (date_rank < 3) & (gap <= lag)
    strength = np.asarray(DATE_STRENGTH + (0.0,))[date_rank]
    strength = np.where((date_rank == 0) & (gap > 0), LAG_STRENGTH, strength)
    date_score = rules.date_weight * strength

    # where: precise places within max(radius, min_radius); else the same province (weak)
    lat_a, lon_a = _numbers(a["latitude"]), _numbers(a["longitude"])
    lat_b, lon_b = _numbers(b["latitude"]), _numbers(b["longitude"])
    prec_a, prec_b = _numbers(a["geo_precision"]), _numbers(b["geo_precision"])
    rad_a = np.nan_to_num(_numbers(a["radius_km"]), nan=0.0)
    rad_b = np.nan_to_num(_numbers(b["radius_km"]), nan=0.0)
    has_a = ~np.isnan(lat_a) & ~np.isnan(lon_a)
    has_b = ~np.isnan(lat_b) & ~np.isnan(lon_b)
    distance = haversine_km(np.nan_to_num(lat_a), np.nan_to_num(lon_a),
                             np.nan_to_num(lat_b), np.nan_to_num(lon_b))
    threshold = np.maximum(np.maximum(rad_a[:, None], rad_b[None, :]), rules.min_radius_km)
    precise_a = has_a & (prec_a <= 2) & (rad_a <= PRECISE_MAX_RADIUS_KM)
    precise_b = has_b & (prec_b <= 2) & (rad_b <= PRECISE_MAX_RADIUS_KM)
    precise = precise_a[:, None] & precise_b[None, :]
    pid_a, pid_b = _texts(a["place_id"]), _texts(b["place_id"])
    same_pid = (pid_a[:, None] == pid_b[None, :]) & pd.notna(pid_a)[:, None]
    same_place = precise & (same_pid | (distance <= SAME_PLACE_KM))
    near = precise & (distance <= threshold)
    adm_a, adm_b = _texts(a["admin1_code"]), _texts(b["admin1_code"])
    same_admin1 = (adm_a[:, None] == adm_b[None, :]) & pd.notna(adm_a)[:, None]
    province_pair = ~precise & has_a[:, None] & has_b[None, :] & same_admin1
    closeness = np.where(same_place, 1.0, 1.0 - 0.5 * distance / threshold)
    place_score = rules.place_weight * np.where(
        near, closeness, np.where(province_pair, ADMIN1_STRENGTH, 0.0))
    placed = near | province_pair
    both_weak = (date_rank > 0) & ~precise

    # how many: agreeing counts add (up to two), counts far apart take away
    agree = np.zeros((n, m), dtype=int)
    conflict = np.zeros((n, m), dtype=int)
    for name in _COUNTS:
        low_a, best_a, high_a = (_numbers(a[f"{name}_{p}"]) for p in ("low", "best", "high"))
        low_b, best_b, high_b = (_numbers(b[f"{name}_{p}"]) for p in ("low", "best", "high"))
        both = ~np.isnan(best_a)[:, None] & ~np.isnan(best_b)[None, :]
        low_a, high_a = np.fmin(low_a, best_a), np.fmax(high_a, best_a)
        low_b, high_b = np.fmin(low_b, best_b), np.fmax(high_b, best_b)
        with np.errstate(invalid="ignore"):
            overlap = (low_a[:, None] <= high_b[None, :]) & (low_b[None, :] <= high_a[:, None])
            diff = np.abs(best_a[:, None] - best_b[None, :])
            larger = np.fmax(best_a[:, None], best_b[None, :])
            close = diff <= np.maximum(CLOSE_COUNT_ABS, CLOSE_COUNT_SHARE * larger)
        agree += both & (overlap | close)
        conflict += both & ~(overlap | close)
    count_score = rules.count_weight * np.minimum(agree, 2) - rules.count_conflict * conflict

    # who: a shared actor adds, two disjoint named sets take away
    actors_a, actors_b = _actor_matrices(a, b)
    shared = (actors_a @ actors_b.T) > 0
    named = (actors_a.sum(axis=1) > 0)[:, None] & (actors_b.sum(axis=1) > 0)[None, :]
    disjoint = named & ~shared
    actor_score = rules.actor_weight * (shared.astype(float) - disjoint.astype(float))

    # never: the same article, imported events (unless asked)
    ids_b = np.char.add(np.char.add(";", np.where(pd.isna(b["article_ids"]), "",
                                                   b["article_ids"]).astype(str)), ";")
    same_article = np.zeros((n, m), dtype=bool)
    for i, ids in enumerate(a["article_ids"]):  # an article's few incidents
        for article_id in filter(None, str(ids or "").split(";")):
            same_article[i] |= np.char.find(ids_b, f";{article_id};") >= 0
    imported = _imported(a["source"])[:, None] | _imported(b["source"])[None, :]
    if rules.link_imported:
        imported = np.zeros((n, m), dtype=bool)
    same_id = _texts(a["incident_id"])[:, None] == _texts(b["incident_id"])[None, :]

    valid = family & dated & placed & ~both_weak & ~same_article & ~imported & ~same_id
    score = date_score + place_score + type_score + count_score + actor_score
    score = np.where(valid, np.round(score, 6), -np.inf)
    return PairScores(score=score, gap_days=gap, date_rank=date_rank, distance_km=distance,
                      threshold_km=threshold, precise=precise, same_place=same_place,
                      count_agree=agree, count_conflict=conflict, shared_actors=shared,
                      disjoint_actors=disjoint)


def reasons_for(scores: PairScores, i: int, j: int, incoming: pd.DataFrame,
                candidates: pd.DataFrame) -> tuple[str, ...]:
    """Why pair ``(i, j)`` scored as it did, in words an analyst can check."""
    a, b = incoming.iloc[i], candidates.iloc[j]
    kind = str(a["event_type"])
    if isinstance(a["sub_event_type"], str) and isinstance(b["sub_event_type"], str):
        kind += f" / {a['sub_event_type']}"
    out = [f"same event type {kind!r}"]
    rank = int(scores.date_rank[i, j])
    gap = int(scores.gap_days[i, j])
    out.append(f"dates overlap ({_RANK_NAME[rank]} precision)" if gap == 0
               else f"dates {gap} day{'s' * (gap > 1)} apart ({_RANK_NAME[rank]} precision)")
    if scores.precise[i, j]:
        where = ("the same place" if scores.same_place[i, j]
                 else f"places {scores.distance_km[i, j]:.1f} km apart "
                      f"(within {scores.threshold_km[i, j]:.0f} km)")
        out.append(where)
    else:
        out.append(f"the same province {a['admin1_code']!r} (province-level place: weak)")
    if scores.count_agree[i, j]:
        out.append(f"{scores.count_agree[i, j]} count(s) agree")
    if scores.count_conflict[i, j]:
        out.append(f"{scores.count_conflict[i, j]} count(s) far apart")
    if scores.shared_actors[i, j]:
        out.append("a shared actor")
    elif scores.disjoint_actors[i, j]:
        out.append("no shared actor")
    return tuple(out)


def _select(scores: PairScores, incoming: pd.DataFrame, candidates: pd.DataFrame,
            rules: LinkRules) -> list[Link]:
    """Best pairs first; each incoming incident and each stored incident (its record or
    one of its reports) used at most once."""
    rows, cols = np.nonzero(scores.score >= rules.min_score)
    if not len(rows):
        return []
    ids_b = candidates["incident_id"].astype(str).to_numpy()
    via = (candidates[VIA_COLUMN].to_numpy(dtype=object) if VIA_COLUMN in candidates.columns
           else np.full(len(candidates), None, dtype=object))
    # ties: the incoming order, the candidate id, then the record before its reports
    order = np.lexsort((pd.notna(via)[cols], ids_b[cols], rows, -scores.score[rows, cols]))
    used_rows: set[int] = set()
    used_targets: set[str] = set()
    links = []
    for k in order:
        i, j = int(rows[k]), int(cols[k])
        if i in used_rows or ids_b[j] in used_targets:
            continue
        used_rows.add(i)
        used_targets.add(ids_b[j])
        reasons = reasons_for(scores, i, j, incoming, candidates)
        if isinstance(via[j], str):
            reasons += (f"matched the report of article {via[j]!r}",)
        links.append(Link(
            incident_id=str(incoming["incident_id"].iloc[i]),
            target_id=str(ids_b[j]),
            score=round(float(scores.score[i, j]), 3),
            reasons=reasons,
        ))
    return sorted(links, key=lambda link: link.incident_id)


@dataclass(frozen=True, slots=True)
class CandidateWindow:
    """Where the stored reports of one incoming incident can be: its event type, the days
    a candidate may start on, a box around its place (degrees: lat_min, lat_max, lon_min,
    lon_max) and its province: any place in it when the incident's own place is not
    precise (``any_in_province``), else only places wider than ``wide_km`` or
    province-level (a precise pair is compared by distance, inside the box)."""

    event_type: str
    date_from: date
    date_to: date
    bbox: tuple[float, float, float, float] | None
    admin1_code: str | None
    any_in_province: bool = True
    wide_km: float = PRECISE_MAX_RADIUS_KM


def candidate_windows(incoming: pd.DataFrame, rules: LinkRules = LinkRules()
                      ) -> list[CandidateWindow]:
    """One :class:`CandidateWindow` per incoming incident that has a date and a place.

    A candidate may start up to ``max_span_days`` before the incident (a month range
    covering it) and ``lag_days`` after it. The box is the incident's radius (at least
    ``min_radius_km``) plus the widest radius a precise place can have.
    """
    columns = _columns(incoming)
    start, end = _days(columns["date_start"]), _days(columns["date_end"])
    end = np.where(np.isnan(end), start, end)
    lat, lon = _numbers(columns["latitude"]), _numbers(columns["longitude"])
    radius = np.nan_to_num(_numbers(columns["radius_km"]), nan=0.0)
    precise = (_numbers(columns["geo_precision"]) <= 2) & (radius <= PRECISE_MAX_RADIUS_KM)
    windows = []
    for i, (kind, code) in enumerate(zip(columns["event_type"], columns["admin1_code"])):
        if np.isnan(start[i]) or not isinstance(kind, str):
            continue
        code = code if isinstance(code, str) and code else None
        bbox = None
        if not np.isnan(lat[i]) and not np.isnan(lon[i]):
            pad_km = max(float(radius[i]), rules.min_radius_km) + PRECISE_MAX_RADIUS_KM
            pad_lat = pad_km / 111.0
            pad_lon = pad_km / (111.0 * max(np.cos(np.radians(min(abs(lat[i]) + pad_lat, 89.0))),
                                            0.01))
            bbox = (float(lat[i] - pad_lat), float(lat[i] + pad_lat),
                    float(lon[i] - pad_lon), float(lon[i] + pad_lon))
        if bbox is None and code is None:
            continue
        windows.append(CandidateWindow(
            event_type=kind,
            date_from=_EPOCH + timedelta(days=int(start[i]) - rules.lag_days - rules.max_span_days),
            date_to=_EPOCH + timedelta(days=int(end[i]) + rules.lag_days),
            bbox=bbox, admin1_code=code, any_in_province=not bool(precise[i] and bbox)))
    return windows


def with_reports(candidates: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Candidates plus one row per stored report of a linked candidate (its place, date,
    counts and actors as that article gave them), under the candidate's id.

    A linked incident's record is its first report with merged counts; a third report may
    match the second report better than the record (a date a day later, the other
    spelling's point). Report rows carry the candidate's ``article_ids``, ``status`` and
    ``source`` and their article in :data:`VIA_COLUMN` (record rows: None).

    Parameters
    ----------
    candidates : DataFrame
        :data:`CANDIDATE_COLUMNS` rows (:meth:`IncidentStore.link_candidates`).
    reports : DataFrame
        :meth:`IncidentStore.reports_frame` of (some of) those candidates.
    """
    reports = reports.loc[reports["article_id"] != ""]  # an imported event's own record
    if reports.empty:
        return candidates
    stored = candidates.set_index("incident_id")
    rows = candidate_frame(list(reports["report"]))
    targets = reports["incident_id"].to_numpy(dtype=object)
    rows["incident_id"] = targets
    for column in ("article_ids", "status", "source"):
        rows[column] = stored.loc[targets, column].to_numpy(dtype=object)
    rows[VIA_COLUMN] = reports["article_id"].to_numpy(dtype=object)
    return pd.concat([candidates.assign(**{VIA_COLUMN: None}), rows], ignore_index=True)


def find_links(article: Article, incidents: Sequence[Incident], *, store: IncidentStore,
               rules: LinkRules = LinkRules()) -> list[Link]:
    """The incidents of ``article`` that report an incident already in ``store``.

    One query on the store (per incident: its event type, a date window, a box around its
    place or its province; :func:`candidate_windows`), then :func:`score_pairs` over every
    pair. A candidate already linked is also compared through each of its stored reports
    (:func:`with_reports`; the :data:`REPORTS_COMPARED` stored last): the best of its
    record and those reports counts. Incidents of
    articles stored earlier in the same ingest batch are in the store already, so they are
    found too.

    Parameters
    ----------
    article : Article
        The article the incidents come from (its incidents are never linked to each other).
    incidents : sequence of Incident
        Its extracted, spatially joined incidents.
    store : IncidentStore, keyword-only
        Where the candidates are looked up.
    rules : LinkRules, keyword-only

    Returns
    -------
    list of Link
        At most one link per incoming incident and per stored incident, ordered by the
        incoming incident's id.
    """
    if not incidents:
        return []
    incoming = candidate_frame([
        i if article.article_id in i.article_ids
        else replace(i, article_ids=(*i.article_ids, article.article_id))
        for i in incidents])
    if not rules.link_imported:
        incoming = incoming.loc[~_imported(incoming["source"].to_numpy(dtype=object))]
    windows = candidate_windows(incoming, rules)
    if not windows:
        return []
    candidates = store.link_candidates(windows, include_imported=rules.link_imported)
    if candidates.empty:
        return []
    linked = (candidates["article_ids"].fillna("").str.contains(";", regex=False)
              | _imported(candidates["source"].to_numpy(dtype=object)))
    if linked.any():
        candidates = with_reports(candidates, store.reports_frame(
            candidates.loc[linked, "incident_id"], latest=REPORTS_COMPARED))
    return _select(score_pairs(incoming, candidates, rules=rules), incoming.reset_index(drop=True),
                   candidates.reset_index(drop=True), rules)


# -- merging the reports of one incident -----------------------------------------------------


def merge_counts(counts: Sequence[Count | None]) -> tuple[Count | None, bool]:
    """Combine one count (killed, injured or arrested) of several reports.

    Reports that give no figure are not counted (silence is not a zero). ``low`` is the
    lowest low, ``high`` the highest high, and ``best`` the lower median of the reports'
    best figures: a figure some report gave, not moved by one outlying report, and never
    above the middle report (fatality totals are not inflated by the highest claim). The
    ``text`` is that of the report whose best figure was chosen.

    Returns
    -------
    (Count or None, bool)
        The merged count (None when no report gives one) and whether the reports' best
        figures disagree.
    """
    given = [c for c in counts if c is not None]
    if not given:
        return None, False
    bests = sorted(c.best for c in given)
    best = bests[(len(bests) - 1) // 2]
    chosen = next(c for c in given if c.best == best)
    merged = Count(low=min(min(c.low, c.best) for c in given), best=best,
                   high=max(max(c.high, c.best) for c in given), text=chosen.text)
    return merged, len(set(bests)) > 1


def merge_reports(reports: Sequence[Incident]) -> Incident:
    """The incident the reports of it make together (reports in the order they were linked).

    Everything but the counts comes from the first report (the stored incident keeps its
    place, date, actors and summary); killed, injured and arrested are merged by
    :func:`merge_counts`; the flags are the first report's, without old
    ``reports_disagree:*`` flags, plus ``reports_disagree:<count>`` for each count the
    reports disagree on.
    """
    if not reports:
        raise ValueError("merge_reports needs at least one report")
    return with_merged_counts(reports[0], {
        name: merge_counts([getattr(r, name) for r in reports]) for name in _COUNTS})


def with_merged_counts(first: Incident, counts: dict[str, tuple[Count | None, bool]]
                       ) -> Incident:
    """The first report with merged counts: ``counts`` maps killed/injured/arrested to
    :func:`merge_counts`' answer (the store computes it in SQL). The flags are the first
    report's, without old ``reports_disagree:*`` flags, plus ``reports_disagree:<count>``
    for each count the reports disagree on."""
    disagree = [f"{DISAGREE_FLAG}:{name}" for name in _COUNTS if counts[name][1]]
    flags = [f for f in first.flags if not f.startswith(f"{DISAGREE_FLAG}:")] + disagree
    return replace(first, flags=tuple(dict.fromkeys(flags)),
                   **{name: counts[name][0] for name in _COUNTS})
