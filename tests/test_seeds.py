"""Acceptance of issue 4: the five seed articles scored with the rules written in gold.json."""

from __future__ import annotations

from functools import lru_cache

import pytest

from incidents.evaluation import SeedReport, load_gold, score_seeds

pytestmark = pytest.mark.shared


@lru_cache(maxsize=2)
def _report(folder: str) -> SeedReport:
    return score_seeds(folder)  # extraction runs once for the whole module


@pytest.fixture
def seeds(shared_path):
    return shared_path("seeds")


@pytest.fixture
def report(seeds):
    return _report(str(seeds))


def test_every_required_incident_is_found(report):
    missing = {a.name: a.required_missing for a in report.articles if a.required_missing}
    assert not missing, f"required gold incidents not found: {missing}"


def test_at_most_two_incidents_match_nothing(report):
    unmatched = [(a.name, a.incidents[i].summary) for a in report.articles for i in a.false_positives]
    assert len(unmatched) <= report.max_false_positives, unmatched


def test_counts_and_dates_are_right_where_the_gold_gives_them(report):
    wrong = [c for c in report.field_checks if not c.ok]
    assert report.field_checks, "gold.json gives counts and dates: they must be checked"
    assert not wrong, wrong


def test_background_places_do_not_become_incidents(report, seeds):
    gold = load_gold(seeds)
    assert any(a["not_incidents"] for a in gold["articles"].values())
    violations = {a.name: [(p, a.incidents[i].summary) for p, i in a.not_incident_violations]
                  for a in report.articles if a.not_incident_violations}
    assert not violations, violations


def test_the_report_passes(report):
    summary = report.to_dict()
    assert summary["passed"], summary
