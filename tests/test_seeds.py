"""Acceptance of issue 4: the five seed articles scored with the rules written in gold.json."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pytest

from incidents.evaluation import SeedReport, load_gold, score_article, score_seeds
from incidents.model import Count, Incident, Location


@lru_cache(maxsize=2)
def _report(folder: str) -> SeedReport:
    return score_seeds(folder)  # extraction runs once for the whole module


@pytest.fixture
def seeds(shared_path):
    return shared_path("seeds")


@pytest.fixture
def report(seeds):
    return _report(str(seeds))


@pytest.mark.shared
def test_every_required_incident_is_found(report):
    missing = {a.name: a.required_missing for a in report.articles if a.required_missing}
    assert not missing, f"required gold incidents not found: {missing}"


@pytest.mark.shared
def test_at_most_two_incidents_match_nothing(report):
    unmatched = [(a.name, a.incidents[i].summary) for a in report.articles for i in a.false_positives]
    assert len(unmatched) <= report.max_false_positives, unmatched


@pytest.mark.shared
def test_counts_and_dates_are_right_where_the_gold_gives_them(report):
    wrong = [c for c in report.field_checks if not c.ok]
    assert report.field_checks, "gold.json gives counts and dates: they must be checked"
    assert not wrong, wrong


@pytest.mark.shared
def test_background_places_do_not_become_incidents(report, seeds):
    gold = load_gold(seeds)
    assert any(a["not_incidents"] for a in gold["articles"].values())
    violations = {a.name: [(p, a.incidents[i].summary) for p, i in a.not_incident_violations]
                  for a in report.articles if a.not_incident_violations}
    assert not violations, violations


@pytest.mark.shared
def test_the_report_passes(report):
    summary = report.to_dict()
    assert summary["passed"], summary


# --- the scorer itself, on tiny inline data (no shared files) ----------------------------------

_GOLD = {
    "published": "2019-05-15",
    "incidents": [
        {"id": "g1", "required": True, "event_type_any": ["Battles"],
         "location": {"near": [33.0, 40.3], "within_km": 50}, "killed": {"min": 13, "max": 14},
         "date": {"from": "2019-05-01", "to": "2019-05-10"}},
        {"id": "g2", "required": False, "event_type_any": ["Protests"],
         "location": {"near": [36.0, 43.0], "within_km": 10}},
    ],
    "not_incidents": [{"place": "Najaf", "why": "home town"}],
}


def _incident(name, lat, lon, event_type="Battles", killed=None, start=None, end=None, historical=False):
    return Incident(incident_id=name, event_type=event_type, location=Location(name, lat, lon),
                    killed=killed, date_start=start, date_end=end, historical=historical)


def test_scorer_pairs_checks_fields_and_counts_false_positives():
    good = _incident("Rutba", 33.04, 40.29, killed=Count(13, 14, 14), start=date(2019, 5, 6), end=date(2019, 5, 12))
    wrong_type = _incident("Rutba", 33.04, 40.29, event_type="Protests")
    far = _incident("Najaf", 32.0, 44.3)
    score = score_article("a.txt", [good, wrong_type, far], _GOLD)
    assert score.pairs == {"g1": 0}
    assert score.required_missing == []
    assert sorted(score.false_positives) == [1, 2]
    assert all(check.ok for check in score.checks)
    assert [place for place, _ in score.not_incident_violations] == ["Najaf"]


def test_scorer_finds_wrong_counts_and_missing_required():
    wrong = _incident("Rutba", 33.04, 40.29, killed=Count(2, 2, 2), start=date(2018, 1, 1), end=date(2018, 1, 2))
    score = score_article("a.txt", [wrong], _GOLD)
    assert {c.field: c.ok for c in score.checks} == {"killed": False, "date": False}
    assert score_article("a.txt", [], _GOLD).required_missing == ["g1"]
