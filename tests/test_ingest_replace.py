"""ingest --replace: a stored article read again with another publication date replaces the
stored one in one transaction; an analyst's incidents are kept and flagged."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from incidents import cli
from incidents import ingest as ingest_module
from incidents.errors import IngestError, StoreError
from incidents.ingest import ingest_articles
from incidents.model import Article, Count, Evidence, Incident, Location
from incidents.store import REDATED_FLAG, IncidentStore, LinkNotFound

RUTBA = (33.0381, 40.2848)
REPORT = "Gunmen attacked a checkpoint in Rutba on Monday, killing two soldiers."
OTHER = "Two soldiers died when gunmen attacked a Rutba checkpoint on Monday."


def extract(article: Article) -> list[Incident]:
    """One attack in Rutba on the publication date (as "on Monday" would resolve)."""
    start = article.text.index("Rutba")
    return [Incident(
        incident_id=f"{article.article_id[:8]}-0", event_type="Battles",
        location=Location("Rutba", *RUTBA, geo_precision=1),
        date_start=article.published, date_end=article.published, time_precision="day",
        date_anchor=article.published,
        killed=Count(2, 2, 2, "two soldiers"), article_ids=(article.article_id,),
        evidence=(Evidence(start, start + 5, "place"),), summary="attack in Rutba",
    )]


def join(frame):
    return frame.assign(country="IQ", admin1="Anbar", admin1_code="IQ-AN", join_flag=None)


def article(text: str, day: date, ref: str = "a.txt") -> Article:
    return Article.from_text(text, ref=ref, published=day)


def ingest(store, *articles, **options):
    return ingest_articles(list(articles), store=store, extract=extract, join=join, **options)


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, to compare a store before and after."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}"))) for t in tables}


JUNE_12, JUNE_20 = date(2019, 6, 12), date(2019, 6, 20)


@pytest.fixture
def store(tmp_path: Path):
    with IncidentStore(tmp_path / "atlas.sqlite") as opened:
        yield opened


def test_without_replace_a_redated_article_is_a_duplicate_that_says_how(store):
    ingest(store, article(REPORT, JUNE_12))
    summary = ingest(store, article(REPORT, JUNE_20))
    assert (summary.articles_added, summary.duplicates, summary.articles_replaced) == (0, 1, 0)
    assert "ingest --replace --who NAME" in " ".join(summary.warnings)
    assert store.incidents_frame()["date_start"].dt.date.tolist() == [JUNE_12]


def test_replace_redates_the_article_and_its_machine_incidents(store):
    first = article(REPORT, JUNE_12)
    ingest(store, first)
    old_id = store.incidents_frame()["incident_id"].iloc[0]
    summary = ingest(store, article(REPORT, JUNE_20, ref="fixed.txt"), replace_stored=True,
                     who="alice")
    assert (summary.articles_replaced, summary.duplicates, summary.articles_added) == (1, 0, 0)
    assert (summary.incidents_removed, summary.incidents_added) == (1, 1)
    assert store.article_published(first.article_id) == JUNE_20
    assert store.get_article(first.article_id).ref == "fixed.txt"
    frame = store.incidents_frame()
    assert frame["date_start"].dt.date.tolist() == [JUNE_20]
    assert store.get_incident(frame["incident_id"].iloc[0]).date_anchor == JUNE_20
    log = store.audit_log()
    assert set(log["who"]) == {"alice"}
    row = log.loc[log["incident_id"] == f"article:{first.article_id}"].iloc[0]
    assert json.loads(row["old"])["published"] == "2019-06-12"
    assert json.loads(row["new"])["published"] == "2019-06-20"
    actions = [json.loads(v)["action"] for v in log.loc[log["field"] == "reingest", "new"]]
    assert sorted(actions) == ["added", "removed"]
    removed = log.loc[(log["incident_id"] == old_id) & (log["field"] == "record")]
    assert json.loads(removed["old"].iloc[0])["date_start"] == "2019-06-12"
    assert "replaced (publication date 2019-06-12 -> 2019-06-20)" in " ".join(summary.warnings)


def test_replace_of_an_unchanged_article_writes_nothing(store, tmp_path):
    ingest(store, article(REPORT, JUNE_12))
    before = dump(tmp_path / "atlas.sqlite")
    summary = ingest(store, article(REPORT, JUNE_12), replace_stored=True, who="alice")
    assert (summary.duplicates, summary.articles_replaced) == (1, 0)
    assert dump(tmp_path / "atlas.sqlite") == before


@pytest.mark.parametrize("change", [{"killed_best": 5}, {"status": "reviewed"},
                                    {"status": "rejected"}])
def test_an_analysts_incident_is_kept_flagged_and_said(store, change):
    ingest(store, article(REPORT, JUNE_12))
    incident_id = store.incidents_frame(include_rejected=True)["incident_id"].iloc[0]
    before = store.update_incident(incident_id, change, who="ana")
    summary = ingest(store, article(REPORT, JUNE_20), replace_stored=True, who="alice")
    assert (summary.articles_replaced, summary.incidents_kept) == (1, 1)
    assert (summary.incidents_removed, summary.incidents_added) == (0, 0)
    after = store.get_incident(incident_id)
    assert after.status == before.status and after.killed == before.killed
    assert after.date_start == JUNE_12  # the analyst's dates are not overwritten
    assert REDATED_FLAG in after.flags and "2019-06-20" in after.notes
    assert len(store.incidents_frame(include_rejected=True)) == 1
    said = " ".join(summary.lines())
    assert f"incident {incident_id} was reviewed, edited or rejected" in said
    fields = set(store.audit_log(incident_id).query("who == 'alice'")["field"])
    assert {"flags", "notes", "reingest"} <= fields


def linked_pair(store):
    """Two articles of one attack, the second linked to the first's incident."""
    a = article(REPORT, JUNE_12, "a.txt")
    b = article(OTHER, JUNE_12 + timedelta(days=1), "b.txt")
    ingest(store, a)
    summary = ingest(store, b)
    assert summary.incidents_linked == 1  # the setting of these tests
    (incident_id,) = store.incidents_frame()["incident_id"]
    return a, b, incident_id


def test_a_linked_report_redated_far_away_is_split_as_linking_decides(store):
    a, b, incident_id = linked_pair(store)
    summary = ingest(store, article(OTHER, date(2019, 9, 1), "b.txt"), replace_stored=True,
                     who="alice")
    assert (summary.incidents_removed, summary.incidents_added, summary.incidents_linked) == (0, 1, 0)
    kept = store.get_incident(incident_id)
    assert kept.article_ids == (a.article_id,) and kept.date_start == JUNE_12
    assert {e.article_id for e in kept.evidence} == {a.article_id}
    assert store.reports_frame([incident_id]).empty  # one report left: no link any more
    new = store.incidents_frame().set_index("incident_id").drop(index=incident_id)
    assert new["article_ids"].tolist() == [b.article_id]
    assert new["date_start"].dt.date.tolist() == [date(2019, 9, 1)]


def test_a_linked_report_redated_a_day_is_linked_again(store):
    a, b, incident_id = linked_pair(store)
    summary = ingest(store, article(OTHER, JUNE_12, "b.txt"), replace_stored=True, who="alice")
    assert (summary.incidents_added, summary.incidents_linked) == (0, 1)
    assert store.get_incident(incident_id).article_ids == (a.article_id, b.article_id)
    assert len(store.incidents_frame()) == 1


def test_the_first_report_redated_leaves_the_others_incident(store):
    a, b, incident_id = linked_pair(store)
    assert incident_id.startswith(a.article_id[:8])  # the record came from article a
    ingest(store, article(REPORT, date(2019, 9, 1), "a.txt"), replace_stored=True, who="alice")
    kept = store.get_incident(incident_id)
    assert kept.article_ids == (b.article_id,)
    assert kept.date_start == JUNE_12 + timedelta(days=1)  # rebuilt from b's report
    frame = store.incidents_frame().set_index("incident_id")
    assert len(frame) == 2
    assert frame.drop(index=incident_id)["article_ids"].tolist() == [a.article_id]


def test_replace_needs_who(store):
    with pytest.raises(IngestError, match="--who NAME"):
        ingest(store, article(REPORT, JUNE_20), replace_stored=True)


def test_a_failure_midway_leaves_the_store_as_it_was(store, tmp_path):
    linked_pair(store)
    bomb = "A car bomb exploded in Rutba."
    ingest(store, article(bomb, date(2019, 1, 1), "c.txt"))
    assert len(store.incidents_frame()) == 2
    before = dump(tmp_path / "atlas.sqlite")

    def broken_links(fresh):
        raise StoreError("the linker failed")

    # after b's report was taken off the linked incident / c's incident removed
    for text, ref in ((OTHER, "b.txt"), (bomb, "c.txt")):
        redated = article(text, JUNE_20, ref)
        with pytest.raises(StoreError, match="the linker failed"):
            store.replace_article(redated, extract(redated), who="alice",
                                  find_links=broken_links)
    with pytest.raises(StoreError, match="no event_type"):
        store.replace_article(article(REPORT, JUNE_20),
                              [Incident(incident_id="x", event_type="")], who="alice")
    assert dump(tmp_path / "atlas.sqlite") == before


def test_replace_of_an_article_not_stored_is_refused(store):
    with pytest.raises(LinkNotFound, match="without --replace"):
        store.replace_article(article(REPORT, JUNE_20), [], who="alice")


def test_ingest_command_replace(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ingest_module, "_default_extract", lambda: ingest_module._one_by_one(extract))
    monkeypatch.setattr(ingest_module, "_default_join", lambda: join)
    text = tmp_path / "rutba.txt"
    text.write_text(REPORT + "\n", encoding="utf-8")
    db = str(tmp_path / "cli.sqlite")
    base = ["ingest", str(text), "--db", db, "--no-progress"]
    assert cli.main([*base, "--published", "2019-06-12"]) == 0
    with IncidentStore(db) as opened:
        (incident_id,) = opened.incidents_frame()["incident_id"]
        opened.update_incident(incident_id, {"status": "reviewed"}, who="ana")
    capsys.readouterr()
    assert cli.main([*base, "--published", "2019-06-20", "--replace"]) == cli.EXIT_USAGE
    assert "--replace needs --who NAME" in capsys.readouterr().err
    assert cli.main([*base, "--published", "2019-06-20", "--replace", "--who", "alice"]) == 0
    out = capsys.readouterr().out
    assert "replaced" in out and f"incident {incident_id} was reviewed" in out
    assert REDATED_FLAG in out
