"""One incident, many reports: linking at ingest, merged counts, reviewed incidents, unlink."""

from __future__ import annotations

import argparse
import itertools
import json
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from incidents import link_command
from incidents.cli import main as cli_main
from incidents.errors import StoreError
from incidents.ingest import ingest_articles
from incidents.linking import (
    CandidateWindow,
    Link,
    LinkRules,
    candidate_frame,
    find_links,
    merge_counts,
    merge_reports,
    score_pairs,
)
from incidents.model import Article, Count, Evidence, Incident, Location
from incidents.store import (
    LATEST_VERSION,
    LINK_WHO,
    IncidentNotFound,
    IncidentStore,
    InvalidEdit,
    LinkNotFound,
)

#: Spellings the fake extractor resolves, as the gazetteer would: name -> (lat, lon).
PLACES = {
    "Ramadi": (33.4206, 43.3078),
    "al-Ramadi": (33.4206, 43.3078),
    "Fallujah": (33.3500, 43.7833),
    "Falluja": (33.3500, 43.7833),
}
DAY = date(2018, 3, 10)


def article(text: str, published: date = DAY) -> Article:
    return Article.from_text(text, ref=f"{text[:12]}.txt", published=published, source="Test")


def fake_extract(art: Article) -> list[Incident]:
    """One incident per line 'TYPE|PLACE|DAYS_BEFORE|KILLED' of the article."""
    found = []
    offset = 0
    for line in art.text.splitlines(keepends=True):
        start, offset, line = offset, offset + len(line), line.rstrip("\n")
        kind, place, days_before, killed = line.split("|")
        lat, lon = PLACES[place]
        day = art.published - timedelta(days=int(days_before))
        at = start + line.index(place)
        found.append(Incident(
            incident_id=f"{art.article_id}-{start}",
            event_type=kind,
            sub_event_type="Suicide bomb" if kind == "Explosions/Remote violence" else None,
            actor1="Islamic State",
            location=Location(place, lat, lon, place_id=f"gn:{place[-5:].lower()}",
                              geo_precision=1, radius_km=3.0),
            date_start=day, date_end=day, time_precision="day",
            killed=Count(int(killed), int(killed), int(killed), f"{killed} killed")
            if killed else None,
            article_ids=(art.article_id,),
            evidence=(Evidence(start, start + len(kind), "trigger", art.article_id),
                      Evidence(at, at + len(place), "place", art.article_id)),
            summary=line,
            source=art.source,
        ))
    return found


BOMB = "Explosions/Remote violence"


@pytest.fixture
def store(tmp_path: Path):
    with IncidentStore(tmp_path / "atlas.sqlite") as opened:
        yield opened


def dump(store: IncidentStore) -> str:
    """Every table of the store as SQL text: a check that nothing at all was written."""
    return "\n".join(store._connection.iterdump())


def ingest(store: IncidentStore, *texts: str, link: bool = True, rules: LinkRules | None = None,
           published: date = DAY):
    return ingest_articles([article(t, published) for t in texts], store=store,
                           extract=fake_extract, link=link, link_rules=rules)


def test_same_bombing_a_day_apart_in_two_spellings_is_one_incident(store):
    first, second = f"{BOMB}|Ramadi|1|5", f"{BOMB}|al-Ramadi|0|5"
    summary = ingest(store, first, second)
    assert (summary.incidents_added, summary.incidents_linked) == (1, 1)
    frame = store.incidents_frame()
    assert len(frame) == 1
    incident = store.get_incident(frame["incident_id"].iloc[0])
    assert incident.article_ids == (article(first).article_id, article(second).article_id)
    quotes = store.evidence_frame([incident.incident_id])
    assert sorted(quotes.loc[quotes["role"] == "place", "quote"]) == ["Ramadi", "al-Ramadi"]
    assert set(quotes["article_id"]) == set(incident.article_ids)
    assert incident.location.name == "Ramadi"  # the stored record is kept
    assert "reports_disagree:killed" not in incident.flags


def test_linking_is_off_with_no_link(store):
    summary = ingest(store, f"{BOMB}|Ramadi|1|5", f"{BOMB}|al-Ramadi|0|5", link=False)
    assert (summary.incidents_added, summary.incidents_linked) == (2, 0)
    assert len(store.incidents_frame()) == 2


def test_a_rejected_incident_takes_no_new_report(store):
    ingest(store, f"{BOMB}|Ramadi|1|5")
    (rejected,) = store.incidents_frame()["incident_id"]
    store.update_incident(rejected, {"status": "rejected"}, who="alice")
    assert store.incidents_frame().empty
    assert list(store.incidents_frame(include_rejected=True)["incident_id"]) == [rejected]
    summary = ingest(store, f"{BOMB}|al-Ramadi|0|5")
    assert (summary.incidents_added, summary.incidents_linked) == (1, 0)
    assert len(store.get_incident(rejected).article_ids) == 1


@pytest.mark.parametrize("second", [
    f"{BOMB}|Ramadi|4|5",                         # four days earlier
    f"{BOMB}|Fallujah|0|5",                       # 43 km away
    "Battles|Ramadi|0|5",                         # another kind of event
    f"{BOMB}|Ramadi|0|40",                        # 5 and 40 killed: counts far apart
])
def test_different_day_place_type_or_toll_stays_apart(store, second):
    summary = ingest(store, f"{BOMB}|Ramadi|0|5", second)
    assert (summary.incidents_added, summary.incidents_linked) == (2, 0)


def test_disagreeing_counts_become_a_range_with_a_flag(store):
    ingest(store, f"{BOMB}|Ramadi|0|5", f"{BOMB}|Ramadi|0|7")
    (incident,) = store.get_incidents(store.incidents_frame()["incident_id"])
    assert (incident.killed.low, incident.killed.best, incident.killed.high) == (5, 5, 7)
    assert "reports_disagree:killed" in incident.flags
    row = store.incidents_frame().iloc[0]
    assert (row["killed_low"], row["killed_high"], row["fatalities"]) == (5, 7, 5)


def test_best_is_the_lower_median_of_the_reports():
    counts = [Count(5, 5, 5), Count(7, 7, 9), Count(30, 30, 30)]
    merged, disagree = merge_counts(counts)
    assert (merged.low, merged.best, merged.high, disagree) == (5, 7, 30, True)
    assert merge_counts([None, Count(3, 3, 3)]) == (Count(3, 3, 3), False)
    assert merge_counts([None, None]) == (None, False)


def test_merge_reports_keeps_the_first_record_and_renews_the_flags():
    base = Incident("a", BOMB, killed=Count(5, 5, 5), flags=("reports_disagree:injured", "x"),
                    summary="first")
    other = Incident("b", BOMB, killed=Count(5, 5, 5), injured=Count(2, 2, 2), summary="second")
    merged = merge_reports([base, other])
    assert merged.incident_id == "a" and merged.summary == "first"
    assert merged.flags == ("x",) and merged.injured == Count(2, 2, 2)


def test_a_reviewed_incident_is_linked_but_not_changed(store):
    ingest(store, f"{BOMB}|Ramadi|0|5")
    incident_id = store.incidents_frame()["incident_id"].iloc[0]
    store.update_incident(incident_id, {"status": "reviewed"}, who="ana")
    summary = ingest(store, f"{BOMB}|Ramadi|0|7")
    assert summary.incidents_linked == 1
    incident = store.get_incident(incident_id)
    assert len(incident.article_ids) == 2 and incident.status == "reviewed"
    assert incident.killed == Count(5, 5, 5, "5 killed") and not incident.flags


def test_unlink_restores_two_incidents(store):
    first, second = f"{BOMB}|Ramadi|0|5", f"{BOMB}|al-Ramadi|0|7"
    ingest(store, first, second)
    (kept_id,) = store.incidents_frame()["incident_id"]
    kept, split = store.unlink(kept_id, article(second).article_id, who="ana")
    assert kept.incident_id == kept_id and kept.article_ids == (article(first).article_id,)
    assert kept.killed == Count(5, 5, 5, "5 killed") and not kept.flags
    assert split.article_ids == (article(second).article_id,)
    assert split.killed == Count(7, 7, 7, "7 killed") and split.location.name == "al-Ramadi"
    assert split.incident_id == fake_extract(article(second))[0].incident_id
    assert len(store.incidents_frame()) == 2
    quotes = store.evidence_frame([split.incident_id])
    assert quotes.loc[quotes["role"] == "place", "quote"].tolist() == ["al-Ramadi"]
    assert "al-Ramadi" not in store.evidence_frame([kept_id])["quote"].tolist()
    log = store.audit_log()
    log = log.loc[log["who"] != LINK_WHO]  # the link's own rows
    assert set(log["who"]) == {"ana"}
    assert {"article_ids", "split_from", "killed_high", "flags"} <= set(log["field"])


def test_unlinking_the_first_article_rebuilds_the_incident_from_the_others(store):
    first, second = f"{BOMB}|Ramadi|0|5", f"{BOMB}|al-Ramadi|0|7"
    ingest(store, first, second)
    (kept_id,) = store.incidents_frame()["incident_id"]
    kept, split = store.unlink(kept_id, article(first).article_id, who="ana")
    assert kept.incident_id == kept_id and kept.location.name == "al-Ramadi"
    assert kept.killed.best == 7 and split.killed.best == 5
    assert split.location.name == "Ramadi" and split.incident_id != kept_id


@pytest.mark.parametrize("incident_id, article_id, error, named", [
    ("no-such-incident", None, IncidentNotFound, "no-such-incident"),
    (None, "no-such-article", LinkNotFound, "no-such-article"),
    (None, "first", InvalidEdit, None),  # the only report is not split from itself
])
def test_unlink_bad_input_names_the_id_and_writes_nothing(store, incident_id, article_id,
                                                           error, named):
    ingest(store, f"{BOMB}|Ramadi|0|5", f"{BOMB}|Fallujah|0|5")
    ids = store.incidents_frame()["incident_id"].tolist()
    incident_id = incident_id or ids[0]
    article_id = (store.get_incident(ids[0]).article_ids[0] if article_id == "first"
                  else article_id)
    before = dump(store)
    with pytest.raises(error) as caught:
        store.unlink(incident_id, article_id, who="ana")
    assert isinstance(caught.value, StoreError)
    if named:
        assert repr(named) in str(caught.value)
    assert dump(store) == before


def test_unlink_an_article_of_another_incident_says_so(store):
    ingest(store, f"{BOMB}|Ramadi|0|5", f"{BOMB}|Fallujah|0|5")
    ids = store.incidents_frame()["incident_id"].tolist()
    other = store.get_incident(ids[1]).article_ids[0]
    with pytest.raises(LinkNotFound, match="is not a report of incident"):
        store.unlink(ids[0], other, who="ana")
    with pytest.raises(InvalidEdit, match="who="):
        store.unlink(ids[0], other, who=" ")


def test_two_incidents_of_one_article_are_never_linked(store):
    summary = ingest(store, f"{BOMB}|Ramadi|0|5\n{BOMB}|Ramadi|0|5")
    assert (summary.incidents_added, summary.incidents_linked) == (2, 0)
    # a later article reporting it once links to one of them, not to both
    summary = ingest(store, f"{BOMB}|al-Ramadi|0|5")
    assert (summary.incidents_added, summary.incidents_linked) == (0, 1)
    assert sorted(len(i) for i in store.incidents_frame()["article_ids"].str.split(";")) == [1, 2]


def test_an_article_with_two_reports_of_one_stored_incident_links_one(store):
    ingest(store, f"{BOMB}|Ramadi|0|5")
    summary = ingest(store, f"{BOMB}|Ramadi|0|5\n{BOMB}|al-Ramadi|0|5")
    assert (summary.incidents_added, summary.incidents_linked) == (1, 1)


def test_imported_events_are_not_linked_unless_asked(store):
    art = article(f"{BOMB}|Ramadi|0|5")
    (incident,) = fake_extract(art)
    ucdp = Incident("ucdp:1", BOMB, sub_event_type="Suicide bomb", actor1="Islamic State",
                    location=incident.location, date_start=DAY, date_end=DAY,
                    time_precision="day", killed=Count(5, 5, 5), status="reviewed",
                    source="ucdp:1")
    store.add_incidents([ucdp], source="ucdp")
    assert find_links(art, [incident], store=store) == []
    (link,) = find_links(art, [incident], store=store, rules=LinkRules(link_imported=True))
    assert link.target_id == "ucdp:1" and link.incident_id == incident.incident_id


def test_find_links_gives_a_score_and_reasons(store):
    ingest(store, f"{BOMB}|Ramadi|1|5")
    art = article(f"{BOMB}|al-Ramadi|0|6")
    (link,) = find_links(art, fake_extract(art), store=store)
    assert isinstance(link, Link) and 0.7 <= link.score <= 1.0
    assert link.reasons[0] == "same event type 'Explosions/Remote violence / Suicide bomb'"
    assert "dates 1 day apart (day precision)" in link.reasons
    assert "the same place" in link.reasons and "a shared actor" in link.reasons
    again = find_links(art, fake_extract(art), store=store)
    assert again == [link]  # deterministic


def _pair(**changes) -> tuple[Incident, Incident]:
    loc = Location("Ramadi", 33.42, 43.31, admin1_code="IQ-AN", geo_precision=1, radius_km=3)
    a = Incident("a", BOMB, location=loc, date_start=DAY, date_end=DAY, time_precision="day",
                 article_ids=("art-a",))
    b = Incident("b", BOMB, location=loc, date_start=DAY, date_end=DAY, time_precision="day",
                 article_ids=("art-b",))
    return a, replace(b, **changes)


def test_weak_date_and_weak_place_together_never_link():
    week = {"date_start": DAY - timedelta(days=6), "time_precision": "week"}
    province = Location("Anbar", 33.0, 42.5, admin1_code="IQ-AN", geo_precision=3,
                        radius_km=150)
    a, b = _pair(location=province, **week)
    scores = score_pairs(candidate_frame([a]), candidate_frame([b]), rules=LinkRules())
    assert np.isneginf(scores.score[0, 0])
    a, b = _pair(location=province)  # a day-precise date with the same province can score
    scores = score_pairs(candidate_frame([a]), candidate_frame([b]), rules=LinkRules())
    assert np.isfinite(scores.score[0, 0]) and scores.score[0, 0] < LinkRules().min_score


def test_precise_places_link_within_the_larger_radius():
    near = Location("Near", 33.42, 43.31 + 0.25, admin1_code="IQ-AN", geo_precision=2,
                    radius_km=25)  # 23 km east, radius 25 km
    a, b = _pair(location=near)
    scores = score_pairs(candidate_frame([a]), candidate_frame([b]))
    assert np.isfinite(scores.score[0, 0]) and 20 < scores.distance_km[0, 0] < 25
    a, b = _pair(location=Location("Near", 33.42, 43.31 + 0.25, geo_precision=1,
                                   radius_km=1))
    assert np.isneginf(score_pairs(candidate_frame([a]), candidate_frame([b])).score[0, 0])


def test_a_failing_link_writes_nothing(store, monkeypatch):
    ingest(store, f"{BOMB}|Ramadi|0|5")
    before = dump(store)

    def broken(*args, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "_rewrite_from_reports", broken)
    with pytest.raises(StoreError, match="disk full"):
        ingest(store, f"{BOMB}|Ramadi|0|7")
    assert dump(store) == before
    (incident,) = store.get_incidents(store.incidents_frame()["incident_id"])
    assert len(incident.article_ids) == 1 and incident.killed.best == 5


def test_unlink_command(store, capsys):
    first, second = f"{BOMB}|Ramadi|0|5", f"{BOMB}|Ramadi|0|7"
    ingest(store, first, second)
    (incident_id,) = store.incidents_frame()["incident_id"]
    parser = argparse.ArgumentParser()
    link_command.register(parser.add_subparsers(dest="command"), None)
    args = parser.parse_args(["unlink", incident_id, article(second).article_id,
                              "--who", "ana", "--db", str(store.path)])
    assert args.handler(args) == 0
    assert "split off" in capsys.readouterr().out
    assert len(store.incidents_frame()) == 2
    bad = parser.parse_args(["unlink", "nope", "x", "--who", "ana", "--db", str(store.path)])
    with pytest.raises(IncidentNotFound, match="'nope'"):
        bad.handler(bad)


def test_the_reporting_lag_is_for_day_dates_only():
    week = {"date_start": DAY - timedelta(days=6), "date_end": DAY, "time_precision": "week"}
    a, b = _pair(date_start=DAY + timedelta(days=1), date_end=DAY + timedelta(days=7),
                 time_precision="week")
    a = replace(a, **week)
    assert np.isneginf(score_pairs(candidate_frame([a]), candidate_frame([b])).score[0, 0])
    a, b = _pair(date_start=DAY + timedelta(days=1), date_end=DAY + timedelta(days=1))
    assert np.isfinite(score_pairs(candidate_frame([a]), candidate_frame([b])).score[0, 0])


def test_a_date_guessed_from_publication_is_weak():
    week = {"date_start": DAY - timedelta(days=6), "date_end": DAY, "time_precision": "week"}
    a, b = _pair(**week)
    a = replace(a, **week)
    stated = score_pairs(candidate_frame([a]), candidate_frame([b])).score[0, 0]
    guessed = score_pairs(candidate_frame([replace(a, flags=("date_from_publication",))]),
                          candidate_frame([b])).score[0, 0]
    assert guessed < stated


def test_a_wide_region_is_not_a_precise_place():
    region = Location("Middle East", 33.42, 43.31, geo_precision=2, radius_km=1500)
    a, b = _pair(location=region)
    a = replace(a, location=region)
    assert np.isneginf(score_pairs(candidate_frame([a]), candidate_frame([b])).score[0, 0])


def test_a_precise_report_can_link_to_a_province_level_incident(store):
    art = article(f"{BOMB}|Ramadi|0|5")
    (incident,) = fake_extract(art)
    anbar = Location("Anbar", 33.0, 41.8, admin1="Anbar", admin1_code="IQ-AN",
                     geo_precision=3, radius_km=150)  # 150 km from Ramadi
    stored = replace(incident, incident_id="anbar-1", location=anbar,
                     article_ids=("other-article",), evidence=())
    store.add_incidents([stored], source="Test")
    placed = replace(incident, location=replace(incident.location, admin1_code="IQ-AN"))
    (link,) = find_links(art, [placed], store=store)
    assert link.target_id == "anbar-1"
    assert "the same province 'IQ-AN' (province-level place: weak)" in link.reasons
    # the same day and province without agreeing counts is not enough
    bare = replace(placed, killed=None, actor1=None)
    assert find_links(art, [bare], store=store) == []


def test_a_link_writes_its_history_in_the_same_transaction(store):
    first, second = f"{BOMB}|Ramadi|0|5", f"{BOMB}|al-Ramadi|0|7"
    ingest(store, first)
    (incident_id,) = store.incidents_frame()["incident_id"]
    assert store.audit_log(incident_id).empty
    ingest(store, second)
    log = store.audit_log(incident_id)
    assert set(log["who"]) == {LINK_WHO} and log["at"].nunique() == 1
    changes = dict(zip(log["field"], zip(log["old"], log["new"])))
    ids = [article(first).article_id, article(second).article_id]
    assert json.loads(changes["article_ids"][0]) == ids[:1]
    assert json.loads(changes["article_ids"][1]) == ids
    assert changes["killed_high"] == ("5", "7")
    assert json.loads(changes["flags"][1]) == ["reports_disagree:killed"]
    # a reviewed incident: only its articles change, and an ingest may give its own name
    store.update_incident(incident_id, {"status": "reviewed"}, who="ana")
    ingest_articles([article(f"{BOMB}|Ramadi|0|6")], store=store, extract=fake_extract,
                    who="nightly")
    last = store.audit_log(incident_id).iloc[-1]
    assert (last["who"], last["field"]) == ("nightly", "article_ids")
    assert len(json.loads(last["new"])) == 3


def test_show_and_history_tell_how_each_report_was_linked(store, capsys):
    first, second = f"{BOMB}|Ramadi|1|5", f"{BOMB}|al-Ramadi|0|5"
    ingest(store, first, second)
    (incident_id,) = store.incidents_frame()["incident_id"]
    (link,) = [r for r in store.reports_frame([incident_id]).to_dict(orient="records")
               if r["article_id"] == article(second).article_id]
    assert 0.7 <= link["score"] <= 1 and "the same place" in link["reasons"]
    (last,) = store.reports_frame([incident_id], latest=1)["article_id"]
    assert last == article(second).article_id
    assert cli_main(["show", incident_id, "--db", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert f"source {article(second).article_id}" in out
    assert f"score {link['score']:.2f}: same event type" in out and "the same place" in out
    assert "first report" in out
    assert f"by {LINK_WHO}: article_ids" in out
    assert cli_main(["show", incident_id, "--db", str(store.path), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    scores = [a["link_score"] for a in record["articles"]]
    assert scores == [None, link["score"]]
    assert record["articles"][1]["link_reasons"] == list(link["reasons"])
    assert cli_main(["history", incident_id, "--db", str(store.path)]) == 0
    assert LINK_WHO in capsys.readouterr().out


def test_the_links_of_a_batch_do_not_depend_on_the_order_it_is_read_in(tmp_path):
    # B is a day from A and from C; A and C are two days apart
    texts = {"A": f"{BOMB}|Ramadi|2|5", "B": f"{BOMB}|al-Ramadi|1|5", "C": f"{BOMB}|Ramadi|0|5"}
    name = {article(t).article_id: k for k, t in texts.items()}
    outcomes = set()
    for n, order in enumerate(itertools.permutations("ABC")):
        with IncidentStore(tmp_path / f"{n}.sqlite") as opened:
            ingest(opened, *(texts[k] for k in order))
            groups = tuple(sorted("".join(sorted(name[a] for a in ids.split(";")))
                                  for ids in opened.incidents_frame()["article_ids"]))
        outcomes.add(groups)
    assert len(outcomes) == 1, outcomes


def test_an_incident_is_compared_with_the_stored_reports_too(store):
    ingest(store, f"{BOMB}|Ramadi|2|5")
    ingest(store, f"{BOMB}|al-Ramadi|1|5")  # a day after the first: linked
    (incident_id,) = store.incidents_frame()["incident_id"]
    # two days after the record, a day after the second report
    late = article(f"{BOMB}|Ramadi|0|5")
    (link,) = find_links(late, fake_extract(late), store=store)
    assert link.target_id == incident_id
    assert link.reasons[-1] == (
        f"matched the report of article {article(f'{BOMB}|al-Ramadi|1|5').article_id!r}")


def test_unlink_from_an_imported_event_restores_the_event(store):
    art = article(f"{BOMB}|Ramadi|0|5")
    (incident,) = fake_extract(art)
    ucdp = Incident("ucdp:1", BOMB, sub_event_type="Suicide bomb", actor1="Islamic State",
                    location=incident.location, date_start=DAY, date_end=DAY,
                    time_precision="day", killed=Count(4, 4, 4), source="ucdp:1")
    store.add_incidents([ucdp], source="ucdp")
    summary = ingest_articles([art], store=store, extract=fake_extract,
                              link_rules=LinkRules(link_imported=True))
    assert summary.incidents_linked == 1
    assert store.get_incident("ucdp:1").killed == Count(4, 4, 5, "")
    kept, split = store.unlink("ucdp:1", art.article_id, who="ana")
    assert kept.article_ids == () and kept.killed == Count(4, 4, 4, "") and not kept.flags
    assert split.article_ids == (art.article_id,) and split.killed.best == 5
    assert len(split.evidence) == 2 and not kept.evidence
    assert store.reports_frame(["ucdp:1"]).empty
    with pytest.raises(LinkNotFound):  # nothing left to split
        store.unlink("ucdp:1", art.article_id, who="ana")


def _as_version_2(path: Path) -> None:
    """Turn a store into one as schema step 2 left it (no incident_reports, no step 3)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE incident_reports")
    conn.execute("DROP INDEX incidents_type_dates")
    conn.execute("DELETE FROM schema_version WHERE version >= 3")
    conn.close()


def test_a_version_2_store_migrates_then_links_and_unlinks_an_old_incident(tmp_path):
    path = tmp_path / "v2.sqlite"
    first, second = f"{BOMB}|Ramadi|0|5", f"{BOMB}|al-Ramadi|0|7"
    with IncidentStore(path) as opened:
        ingest(opened, first)
    _as_version_2(path)
    with IncidentStore(path) as opened:
        assert opened.schema_version == LATEST_VERSION
        (old_id,) = opened.incidents_frame()["incident_id"]
        before = opened._connection.execute("SELECT * FROM incidents").fetchone()
        assert ingest(opened, second).incidents_linked == 1
        assert opened.get_incident(old_id).killed == Count(5, 5, 7, "5 killed")
        kept, split = opened.unlink(old_id, article(second).article_id, who="ana")
        after = opened._connection.execute("SELECT * FROM incidents WHERE incident_id = ?",
                                           (old_id,)).fetchone()
    assert {k: v for k, v in dict(before).items() if k != "updated_at"} == {
        k: v for k, v in dict(after).items() if k != "updated_at"}
    assert kept.article_ids == (article(first).article_id,)
    assert split.killed == Count(7, 7, 7, "7 killed") and split.location.name == "al-Ramadi"


def test_a_province_window_binds_its_wide_radius(store):
    ingest(store, f"{BOMB}|Ramadi|0|5")
    window = CandidateWindow(BOMB, DAY - timedelta(days=1), DAY + timedelta(days=1), None,
                             None, any_in_province=False, wide_km=float("inf"))
    (incident_id,) = store.incidents_frame()["incident_id"]
    store.update_incident(incident_id, {"admin1_code": "IQ-AN"}, who="ana")
    # no radius is wider than infinity: a precise place meets no precise place by province
    assert store.link_candidates([replace(window, admin1_code="IQ-AN")]).empty
    (found,) = store.link_candidates([replace(window, admin1_code="IQ-AN",
                                              any_in_province=True)])["incident_id"]
    assert found == incident_id


def test_the_merge_in_sql_is_merge_reports(store):
    ingest(store, f"{BOMB}|Ramadi|0|5")
    (incident_id,) = store.incidents_frame()["incident_id"]
    stored = store.get_incident(incident_id)
    for n, (low, best, high) in enumerate([(6, 6, 9), (5, 5, 5), (2, 4, 4), (30, 30, 30)]):
        art = article(f"report {n}")
        report = replace(stored, incident_id=f"r{n}", article_ids=(art.article_id,),
                         evidence=(), killed=Count(low, best, high, f"text {n}"),
                         injured=Count(1, 1, 1) if n == 2 else None)
        store.add_article(art, [report], links={report.incident_id: Link(
            report.incident_id, incident_id, 0.9, ("test",))})
        reports = list(store.reports_frame([incident_id])["report"])
        expected = merge_reports(reports)
        merged = store.get_incident(incident_id)
        assert (merged.killed, merged.injured, merged.arrested, merged.flags) == (
            expected.killed, expected.injured, expected.arrested, expected.flags)
    assert merged.killed == Count(2, 5, 30, "5 killed")


def test_reports_stored_before_step_4_get_their_counts_columns(tmp_path):
    path = tmp_path / "v3.sqlite"
    with IncidentStore(path) as opened:
        ingest(opened, f"{BOMB}|Ramadi|0|5", f"{BOMB}|al-Ramadi|0|7")
    conn = sqlite3.connect(path, isolation_level=None)  # back to schema step 3
    for name in ("killed", "injured", "arrested"):
        for part in ("low", "best", "high", "text"):
            conn.execute(f"ALTER TABLE incident_reports DROP COLUMN {name}_{part}")
    conn.execute("DELETE FROM schema_version WHERE version >= 4")
    conn.close()
    with IncidentStore(path) as opened:
        (incident_id,) = opened.incidents_frame()["incident_id"]
        rows = opened._connection.execute(
            "SELECT killed_low, killed_best, killed_high, killed_text FROM incident_reports "
            "ORDER BY killed_best").fetchall()
        assert [tuple(r) for r in rows] == [(5, 5, 5, "5 killed"), (7, 7, 7, "7 killed")]
        ingest(opened, f"{BOMB}|Ramadi|0|6")
        assert opened.get_incident(incident_id).killed == Count(5, 6, 7, "6 killed")
