"""Merging two incidents that are one event: counts, reviewed incidents, history, atomicity,
the round trip with unlink, imported events and the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from incidents.cli import main as cli_main
from incidents.errors import StoreError
from incidents.ingest import ingest_articles
from incidents.model import Article, Count, Evidence, Incident, Location
from incidents.store import IncidentNotFound, IncidentStore, InvalidEdit

DAY = date(2018, 3, 10)
BOMB = "Explosions/Remote violence"
#: Places the fake extractor knows: name -> (lat, lon). Ramadi and Hit are 60 km apart, so
#: ingest never links them: the merge is the analyst's.
PLACES = {"Ramadi": (33.4206, 43.3078), "al-Ramadi": (33.4206, 43.3078),
          "Hit": (33.6416, 42.8251)}


def article(text: str) -> Article:
    return Article.from_text(text, ref=f"{text[:12]}.txt", published=DAY, source="Test")


def fake_extract(art: Article) -> list[Incident]:
    """One incident per line 'PLACE|KILLED' of the article (a suicide bombing on DAY)."""
    found = []
    offset = 0
    for line in art.text.splitlines(keepends=True):
        start, offset, line = offset, offset + len(line), line.rstrip("\n")
        place, killed = line.split("|")
        lat, lon = PLACES[place]
        found.append(Incident(
            incident_id=f"{art.article_id}-{start}", event_type=BOMB,
            sub_event_type="Suicide bomb", actor1="Islamic State",
            location=Location(place, lat, lon, place_id=f"gn:{place.lower()}",
                              geo_precision=1, radius_km=3.0),
            date_start=DAY, date_end=DAY, time_precision="day",
            killed=Count(int(killed), int(killed), int(killed), f"{killed} killed")
            if killed else None,
            article_ids=(art.article_id,),
            evidence=(Evidence(start, start + len(place), "place", art.article_id),),
            summary=line, source=art.source,
        ))
    return found


@pytest.fixture
def store(tmp_path: Path):
    with IncidentStore(tmp_path / "atlas.sqlite") as opened:
        yield opened


def dump(store: IncidentStore) -> str:
    """Every table of the store as SQL text: a check that nothing at all was written."""
    return "\n".join(store._connection.iterdump())


def ingest(store: IncidentStore, *texts: str, link: bool = True) -> list[str]:
    """Store the articles; the incident id of each article's first incident, in order."""
    ingest_articles([article(t) for t in texts], store=store, extract=fake_extract, link=link)
    frame = store.incidents_frame()
    ids = []
    for text in texts:
        art = article(text).article_id
        ids.append(next(i for i, a in zip(frame["incident_id"], frame["article_ids"])
                        if art in str(a).split(";")))
    return ids


def snapshot(store: IncidentStore, incident_id: str) -> dict:
    """An incident as a reader sees it: its record, evidence, articles and reports."""
    reports = store.reports_frame([incident_id])
    return {"record": store.get_incident(incident_id).to_dict(),
            "reports": [(r["article_id"], r["report_id"], r["report"].to_dict())
                        for r in reports.to_dict(orient="records")]}


def test_merge_joins_the_counts_into_a_range_with_a_flag(store):
    keep, other = ingest(store, "Ramadi|5", "Hit|7")
    merged = store.merge(keep, other, who="ana")
    assert merged.incident_id == keep
    assert merged.article_ids == (article("Ramadi|5").article_id, article("Hit|7").article_id)
    assert merged.killed == Count(5, 5, 7, "5 killed") and merged.location.name == "Ramadi"
    assert "reports_disagree:killed" in merged.flags
    assert store.incidents_frame()["incident_id"].tolist() == [keep]
    quotes = store.evidence_frame([keep])
    assert quotes[["article_id", "quote"]].values.tolist() == [
        [article("Ramadi|5").article_id, "Ramadi"], [article("Hit|7").article_id, "Hit"]]
    reports = store.reports_frame([keep])
    assert reports["report_id"].tolist() == [keep, other]
    with pytest.raises(IncidentNotFound):
        store.get_incident(other)


def test_merge_into_a_linked_incident_takes_the_lower_median(store):
    keep, _, other = ingest(store, "Ramadi|5", "al-Ramadi|7", "Hit|30")
    assert len(store.get_incident(keep).article_ids) == 2  # linked at ingest
    merged = store.merge(keep, other, who="ana")
    assert merged.killed == Count(5, 7, 30, "7 killed")
    assert len(merged.article_ids) == 3 and len(store.reports_frame([keep])) == 3


def test_a_reviewed_incident_keeps_its_values(store):
    keep, other = ingest(store, "Ramadi|5", "Hit|7")
    store.update_incident(keep, {"status": "reviewed"}, who="ana")
    before = store.get_incident(keep)
    merged = store.merge(keep, other, who="bo")
    assert merged.status == "reviewed" and merged.killed == before.killed
    assert merged.flags == before.flags and merged.location == before.location
    assert len(merged.article_ids) == 2
    # the other incident's values are kept in its report
    reports = store.reports_frame([keep])
    assert reports["report"].iloc[1].killed == Count(7, 7, 7, "7 killed")


def test_the_history_records_the_merge_on_both_ids(store):
    keep, other = ingest(store, "Ramadi|5", "Hit|7")
    store.merge(keep, other, who="ana", note="same bombing, Hit misread")
    log = store.audit_log()
    assert set(log["who"]) == {"ana"}
    on_keep = dict(zip(log.loc[log["incident_id"] == keep, "field"],
                       log.loc[log["incident_id"] == keep, "new"]))
    on_other = log.loc[log["incident_id"] == other].set_index("field")
    assert json.loads(on_keep["merged_from"]) == other
    assert json.loads(on_keep["article_ids"]) == [article("Ramadi|5").article_id,
                                                  article("Hit|7").article_id]
    assert json.loads(on_keep["killed_high"]) == 7
    assert "reports_disagree:killed" in json.loads(on_keep["flags"])
    assert json.loads(on_keep["note"]) == "same bombing, Hit misread"
    assert json.loads(on_other.loc["merged_into", "new"]) == keep
    assert json.loads(on_other.loc["article_ids", "old"]) == [article("Hit|7").article_id]
    assert json.loads(on_other.loc["record", "old"])["killed"]["best"] == 7


@pytest.mark.parametrize("helper", ["_rewrite_from_reports", "_audit"])
def test_a_failure_mid_way_leaves_both_incidents_as_they_were(store, monkeypatch, helper):
    keep, other = ingest(store, "Ramadi|5", "Hit|7")
    before = dump(store)

    def broken(*args, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(store, helper, broken)
    with pytest.raises(StoreError, match="disk full"):
        store.merge(keep, other, who="ana")
    assert dump(store) == before
    assert store.get_incident(other).killed.best == 7
    assert len(store.get_incident(keep).article_ids) == 1


@pytest.mark.parametrize("reviewed", [False, True])
def test_merge_then_unlink_gives_both_incidents_back(store, reviewed):
    keep, other = ingest(store, "Ramadi|5", "Hit|7")
    if reviewed:  # a reviewed incident merged away comes back reviewed
        store.update_incident(other, {"summary": "checked", "status": "reviewed"}, who="ana")
    before = {i: snapshot(store, i) for i in (keep, other)}
    store.merge(keep, other, who="ana")
    kept, split = store.unlink(keep, article("Hit|7").article_id, who="ana")
    assert (kept.incident_id, split.incident_id) == (keep, other)
    assert {i: snapshot(store, i) for i in (keep, other)} == before


def test_unlinking_a_merged_article_keeps_the_other_links(store):
    keep, _, other = ingest(store, "Ramadi|5", "al-Ramadi|7", "Hit|30")
    before = {i: snapshot(store, i) for i in (keep, other)}
    store.merge(keep, other, who="ana")
    store.unlink(keep, article("Hit|30").article_id, who="ana")
    assert {i: snapshot(store, i) for i in (keep, other)} == before


def test_a_linked_incident_merged_away_gives_each_article_back(store):
    keep, other, _ = ingest(store, "Hit|30", "Ramadi|5", "al-Ramadi|7")
    store.merge(keep, other, who="ana")
    assert len(store.get_incident(keep).article_ids) == 3
    _, split = store.unlink(keep, article("Ramadi|5").article_id, who="ana")
    assert split.incident_id == other and split.killed == Count(5, 5, 5, "5 killed")
    _, second = store.unlink(keep, article("al-Ramadi|7").article_id, who="ana")
    assert second.killed == Count(7, 7, 7, "7 killed")
    assert second.incident_id == fake_extract(article("al-Ramadi|7"))[0].incident_id
    assert store.get_incident(keep).killed == Count(30, 30, 30, "30 killed")


def _ucdp(number: int) -> Incident:
    lat, lon = PLACES["Ramadi"]
    return Incident(f"ucdp:{number}", BOMB, sub_event_type="Suicide bomb",
                    location=Location("Ramadi", lat, lon, geo_precision=1, radius_km=0.0),
                    date_start=DAY, date_end=DAY, time_precision="day",
                    killed=Count(4, 4, 6), status="reviewed", source=f"ucdp:{number}")


def test_an_article_incident_merged_into_an_imported_event_and_back(store):
    store.add_incidents([_ucdp(1)], source="ucdp")
    (other,) = ingest(store, "Hit|7")
    before = {i: snapshot(store, i) for i in ("ucdp:1", other)}
    merged = store.merge("ucdp:1", other, who="ana")
    assert merged.killed == Count(4, 4, 6) and merged.article_ids == (article("Hit|7").article_id,)
    assert store.reports_frame(["ucdp:1"])["article_id"].tolist() == ["", article("Hit|7").article_id]
    store.unlink("ucdp:1", article("Hit|7").article_id, who="ana")
    assert {i: snapshot(store, i) for i in ("ucdp:1", other)} == before


def test_an_imported_event_is_never_merged_away(store):
    store.add_incidents([_ucdp(1), _ucdp(2)], source="ucdp")
    (keep,) = ingest(store, "Ramadi|5")
    before = dump(store)
    with pytest.raises(InvalidEdit, match="merge ucdp:1 " + keep) as caught:
        store.merge(keep, "ucdp:1", who="ana")
    assert "come back at the next import" in str(caught.value)
    with pytest.raises(InvalidEdit, match="two such records stay two"):
        store.merge("ucdp:2", "ucdp:1", who="ana")
    assert dump(store) == before


@pytest.mark.parametrize("keep, other, who, error, named", [
    ("nope", None, "ana", IncidentNotFound, "nope"),
    (None, "nope", "ana", IncidentNotFound, "nope"),
    (None, "same", "ana", InvalidEdit, "into itself"),
    (None, None, " ", InvalidEdit, "who="),
])
def test_bad_input_names_the_ids_and_writes_nothing(store, keep, other, who, error, named):
    ids = ingest(store, "Ramadi|5", "Hit|7")
    keep = keep or ids[0]
    other = keep if other == "same" else other or ids[1]
    before = dump(store)
    with pytest.raises(error, match=named) as caught:
        store.merge(keep, other, who=who)
    assert isinstance(caught.value, StoreError)
    assert dump(store) == before


def test_two_incidents_of_one_article_stay_apart(store):
    ingest(store, "Ramadi|5\nHit|7")
    keep, other = store.incidents_frame()["incident_id"]
    before = dump(store)
    with pytest.raises(InvalidEdit, match="both reported by article") as caught:
        store.merge(keep, other, who="ana")
    assert repr(article("Ramadi|5\nHit|7").article_id) in str(caught.value)
    assert dump(store) == before


def test_merge_command_prints_the_merge_and_show_follows_it(store, capsys):
    keep, other = ingest(store, "Ramadi|5", "Hit|7")
    db = ["--db", str(store.path)]
    assert cli_main(["merge", keep, other, "--who", "ana", "--note", "one bombing", *db]) == 0
    out = capsys.readouterr().out
    assert f"merged incident {other} into {keep} (by ana)" in out
    assert "killed 5-7 (best 5)" in out and "reports_disagree:killed" in out
    assert cli_main(["show", keep, *db]) == 0
    out = capsys.readouterr().out
    assert f"source {article('Ramadi|5').article_id}" in out
    assert f"source {article('Hit|7').article_id}" in out
    assert f"merged from incident {other!r} by ana: one bombing" in out
    assert cli_main(["show", other, *db]) == 2
    err = capsys.readouterr().err
    assert f"incident {other!r} was merged into {keep!r} by ana" in err
    assert f"incident-atlas show {keep}" in err


def test_show_follows_a_chain_of_merges(store, capsys):
    first, second, third = ingest(store, "Ramadi|5", "Hit|7", "Hit|", link=False)
    store.merge(second, first, who="ana")
    store.merge(third, second, who="bo")
    assert cli_main(["show", first, "--db", str(store.path)]) == 2
    err = capsys.readouterr().err
    assert f"merged into {second!r} by ana" in err and f"now part of {third!r}" in err


def test_merge_command_json_and_errors(store, capsys, tmp_path):
    keep, other = ingest(store, "Ramadi|5", "Hit|7")
    db = ["--db", str(store.path)]
    assert cli_main(["merge", keep, other, "--who", "ana", "--json", *db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["merged_from"] == other and shown["incident"]["killed"]["high"] == 7
    assert cli_main(["merge", keep, other, "--who", "ana", *db]) == 2
    assert f"no incident {other!r}" in capsys.readouterr().err
    assert cli_main(["merge", keep, keep, "--who", "ana", *db]) == 2
    assert "into itself" in capsys.readouterr().err
    missing = tmp_path / "none.sqlite"
    assert cli_main(["merge", keep, other, "--who", "ana", "--db", str(missing)]) == 2
    assert "no incident store" in capsys.readouterr().err and not missing.exists()
