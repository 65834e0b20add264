"""``incident-atlas list | show | edit | history``: the review loop from a terminal."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from incidents.cli import main
from incidents.errors import StoreError
from incidents.model import Article, Count, Evidence, Incident, Location
from incidents.review_command import parse_changes, snippet
from incidents.store import LATEST_VERSION, open_store

TEXT = "Gunmen attacked a checkpoint in Kirkuk on Monday. Two soldiers were killed. <script>x</script>"


def _incident(article: Article, incident_id: str, *, place: str, lat: float, lon: float,
              code: str, day: date, killed: int) -> Incident:
    at = TEXT.index("Kirkuk")
    return Incident(
        incident_id=incident_id, event_type="Battles", sub_event_type="Armed clash",
        actor1="Unidentified gunmen", actor2="Iraqi Army",
        location=Location(name=place, lat=lat, lon=lon, country="IQ", admin1=place,
                          admin1_code=code, geo_precision=1, radius_km=2.5),
        date_start=day, date_end=day, time_precision="day", date_anchor=day,
        killed=Count(killed, killed, killed, "Two soldiers"),
        summary=f"Gunmen attacked a checkpoint in {place}.", article_ids=(article.article_id,),
        evidence=(Evidence(at, at + 6, "place", article.article_id),
                  Evidence(7, 15, "trigger", article.article_id)),
        status="machine",
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "atlas.sqlite"
    first = Article.from_text(TEXT, ref="kirkuk.txt", published=date(2017, 6, 5), title="Kirkuk attack")
    second = Article.from_text(TEXT + " Again.", ref="mosul.txt", published=date(2018, 1, 2))
    with open_store(path) as store:
        store.add_article(first, [_incident(first, "inc-kirkuk", place="Kirkuk", lat=35.4681,
                                            lon=44.3922, code="IQ-KI", day=date(2017, 6, 5), killed=2)])
        store.add_article(second, [_incident(second, "inc-mosul", place="Nineveh", lat=36.34,
                                             lon=43.13, code="IQ-NI", day=date(2018, 1, 2), killed=0)])
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_filters_and_prints_newest_first(db, capsys):
    code, out, _ = run(capsys, "list", "--db", str(db))
    assert code == 0
    assert out.index("inc-mosul") < out.index("inc-kirkuk")
    assert "2 incidents" in out
    code, out, _ = run(capsys, "list", "--db", str(db), "--admin1", "IQ-KI", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["incident_id"] for r in rows] == ["inc-kirkuk"]
    assert rows[0]["date_start"].startswith("2017-06-05")
    code, out, _ = run(capsys, "list", "--db", str(db), "--limit", "1")
    assert "1 of 2 incidents" in out


def test_show_prints_record_sources_and_evidence_in_context(db, capsys):
    code, out, _ = run(capsys, "show", "inc-kirkuk", "--db", str(db))
    assert code == 0
    assert "Battles / Armed clash" in out
    assert "killed 2" in out
    assert "Kirkuk attack (2017-06-05)" in out
    assert "checkpoint in [Kirkuk] on Monday" in out
    assert "[attacked]" in out
    code, out, _ = run(capsys, "show", "inc-kirkuk", "--db", str(db), "--json")
    record = json.loads(out)
    assert record["incident_id"] == "inc-kirkuk" and record["articles"][0]["title"] == "Kirkuk attack"


def test_edit_changes_fields_logs_them_and_marks_the_incident_edited(db, capsys):
    code, out, _ = run(capsys, "edit", "inc-kirkuk", "killed_best=5", "summary=Checked by hand",
                       "--who", "alice", "--db", str(db))
    assert code == 0
    assert "killed_best: 2 -> 5" in out
    with open_store(db, readonly=True) as store:
        incident = store.get_incident("inc-kirkuk")
        log = store.audit_log("inc-kirkuk")
    assert incident.killed.best == 5 and incident.summary == "Checked by hand"
    assert incident.status == "edited"
    # the range follows a best given alone outside it (2-2 -> 2-5), logged too
    assert set(log["field"]) == {"killed_best", "killed_high", "summary", "status"}
    assert (incident.killed.low, incident.killed.high) == (2, 5)
    assert "killed_high: 2 -> 5" in out
    assert set(log["who"]) == {"alice"}
    code, out, _ = run(capsys, "history", "inc-kirkuk", "--db", str(db))
    assert "killed_best" in out and "alice" in out and "machine" in out


def test_moving_an_incident_finds_its_province_again(db, capsys):
    # Kirkuk → a point in Mosul: the province and its code follow the point.
    code, out, _ = run(capsys, "edit", "inc-kirkuk", "latitude=36.34", "longitude=43.13",
                       "--who", "bob", "--db", str(db))
    assert code == 0
    with open_store(db, readonly=True) as store:
        location = store.get_incident("inc-kirkuk").location
    assert (location.lat, location.lon) == (36.34, 43.13)
    assert location.admin1_code == "IQ-NI" and location.country == "IQ"


def test_a_province_given_by_hand_is_not_overwritten_by_the_join(db, capsys):
    code, _, _ = run(capsys, "edit", "inc-kirkuk", "latitude=36.34", "longitude=43.13",
                     "admin1_code=IQ-KI", "--who", "bob", "--db", str(db))
    assert code == 0
    with open_store(db, readonly=True) as store:
        assert store.get_incident("inc-kirkuk").location.admin1_code == "IQ-KI"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["edit", "inc-kirkuk", "killed_best=many", "--who", "a"], "killed_best must be a whole number"),
        (["edit", "inc-kirkuk", "colour=red", "--who", "a"], "cannot edit field 'colour'"),
        (["edit", "inc-kirkuk", "killed", "--who", "a"], "'killed' is not FIELD=VALUE"),
        (["edit", "inc-kirkuk", "latitude=north", "--who", "a"], "are not numbers"),
        (["edit", "inc-kirkuk", "latitude=95", "longitude=10", "--who", "a"], "outside -90..90"),
        (["edit", "nope", "status=reviewed", "--who", "a"], "no incident 'nope'"),
        (["show", "nope"], "no incident 'nope'"),
        (["list", "--limit", "-1"], "--limit -1"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(db, capsys, argv, message):
    code, _, err = run(capsys, *argv, "--db", str(db))
    assert code == 2
    assert message in err and err.count("\n") == 1
    with open_store(db, readonly=True) as store:
        assert store.audit_log().empty
        assert store.get_incident("inc-kirkuk").killed.best == 2


def test_a_missing_store_is_named_with_what_to_do(tmp_path, capsys):
    code, _, err = run(capsys, "list", "--db", str(tmp_path / "none.sqlite"))
    assert code == 2
    assert "none.sqlite" in err and "incident-atlas ingest" in err
    assert not (tmp_path / "none.sqlite").exists()


def test_parse_changes_splits_lists_and_clears_empty_values():
    assert parse_changes(["flags=a; b", "notes=", "location=Al Qa'im"]) == {
        "flags": ["a", "b"], "notes": None, "location": "Al Qa'im"}
    with pytest.raises(StoreError, match="given twice"):
        parse_changes(["notes=a", "notes=b"])


def test_snippet_marks_the_span_on_one_line():
    text = "first line\nGunmen attacked   Kirkuk\ton Monday"
    start = text.index("Kirkuk")
    assert snippet(text, start, start + 6, context=12) == "… attacked [Kirkuk] on Monday"


def test_reading_commands_migrate_an_older_store_and_the_readonly_hint_works(db, capsys):
    conn = sqlite3.connect(db, isolation_level=None)  # back to schema step 2
    conn.execute("DROP TABLE incident_reports")
    conn.execute("DROP INDEX incidents_type_dates")
    conn.execute("DELETE FROM schema_version WHERE version >= 3")
    conn.close()
    with pytest.raises(StoreError, match="needs migrating") as caught:
        open_store(db, readonly=True)  # as the dashboard opens it
    hint = re.search(r"run '([^']+)' once", str(caught.value)).group(1)
    assert hint == f"incident-atlas list --db {db}"
    code, out, _ = run(capsys, *hint.split()[1:])
    assert code == 0 and "2 incidents" in out
    with open_store(db, readonly=True) as store:
        assert store.schema_version == LATEST_VERSION
    for argv in (["show", "inc-kirkuk"], ["history"]):
        assert run(capsys, *argv, "--db", str(db))[0] == 0


def test_a_read_only_older_store_is_not_migrated_and_says_why(db, capsys, monkeypatch):
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DELETE FROM schema_version WHERE version >= 3")
    conn.close()
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # a file we may not write
    code, _, err = run(capsys, "list", "--db", str(db))
    assert code == 2 and "needs migrating" in err and "not writable" in err
    version = sqlite3.connect(db).execute("SELECT max(version) FROM schema_version").fetchone()
    assert version == (2,)


def test_reject_hides_an_incident_everywhere_and_undo_brings_it_back(db, tmp_path, capsys):
    code, out, _ = run(capsys, "reject", "inc-mosul", "--who", "alice", "--reason",
                       "a generic statement", "--db", str(db))
    assert code == 0 and "inc-mosul: rejected by alice" in out
    code, out, _ = run(capsys, "list", "--db", str(db))
    assert "inc-mosul" not in out and "1 incident" in out and "1 incidents" not in out
    code, out, _ = run(capsys, "list", "--db", str(db), "--include-rejected")
    assert "inc-mosul" in out and "rejected" in out
    target = tmp_path / "out.csv"
    assert run(capsys, "export", "--format", "csv", "-o", str(target), "--db", str(db))[0] == 0
    assert "inc-mosul" not in target.read_text(encoding="utf-8")
    with open_store(db, readonly=True) as store:
        incident = store.get_incident("inc-mosul")  # kept, with why and who
        log = store.audit_log("inc-mosul")
    assert incident.status == "rejected" and "Rejected by alice: a generic statement" in incident.notes
    assert ("status", "alice") in set(zip(log["field"], log["who"]))
    code, out, _ = run(capsys, "reject", "inc-mosul", "--undo", "--who", "bob", "--db", str(db))
    assert code == 0 and "restored" in out
    assert "inc-mosul" in run(capsys, "list", "--db", str(db))[1]


def test_reject_checks_every_id_before_changing_any(db, capsys):
    code, _, err = run(capsys, "reject", "inc-mosul", "nosuch", "--who", "alice", "--db", str(db))
    assert code == 2 and "nosuch" in err
    with open_store(db, readonly=True) as store:
        assert store.get_incident("inc-mosul").status == "machine"


def test_list_takes_types_and_codes_in_any_case_and_writes_clean_json(db, capsys):
    code, out, _ = run(capsys, "list", "--db", str(db), "--type", "battles", "--country", "iq",
                       "--admin1", "iq-ki", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["incident_id"] for r in rows] == ["inc-kirkuk"]
    assert rows[0]["date_start"] == "2017-06-05"
    code, _, err = run(capsys, "list", "--db", str(db), "--type", "Fighting")
    assert code == 2 and "unknown event type" in err and "Battles" in err


def test_history_of_an_unknown_incident_is_an_error(db, capsys):
    code, _, err = run(capsys, "history", "nosuch", "--db", str(db))
    assert code == 2 and "nosuch" in err


def test_an_edit_keeps_counts_and_dates_in_order(db, capsys):
    code, out, _ = run(capsys, "edit", "inc-kirkuk", "date_start=2017-06-09", "--who", "alice",
                       "--db", str(db))
    assert code == 0
    with open_store(db, readonly=True) as store:
        incident = store.get_incident("inc-kirkuk")
    assert (incident.date_start, incident.date_end) == (date(2017, 6, 9), date(2017, 6, 9))
    code, _, err = run(capsys, "edit", "inc-kirkuk", "killed_low=5", "killed_high=3", "--who",
                       "alice", "--db", str(db))
    assert code == 2 and "killed" in err and "in order" in err


def test_show_gives_a_disputed_count_as_its_range_and_the_flags(db, capsys):
    with open_store(db) as store:
        store.update_incident("inc-kirkuk", {"killed_low": 2, "killed_best": 3, "killed_high": 5,
                                             "flags": ["reports_disagree:killed"]}, who="alice")
    code, out, _ = run(capsys, "show", "inc-kirkuk", "--db", str(db))
    assert code == 0 and "killed 2-5 (best 3)" in out
    assert "flags    reports_disagree:killed" in out


def test_export_filters_like_list(db, tmp_path, capsys):
    target = tmp_path / "x.csv"
    code, out, _ = run(capsys, "export", "--format", "csv", "-o", str(target), "--country", "iq",
                       "--text", "mosul", "--type", "battles", "--db", str(db))
    assert code == 0 and "wrote 0 incidents" in out  # the Mosul incident's place is "Nineveh"
    code, out, _ = run(capsys, "export", "--format", "csv", "-o", str(target), "--text",
                       "nineveh", "--db", str(db))
    assert "wrote 1 incident to" in out
    assert "inc-mosul" in target.read_text(encoding="utf-8")


def test_moving_a_point_to_sea_says_that_country_and_province_were_cleared(db, capsys):
    code, out, _ = run(capsys, "edit", "inc-kirkuk", "latitude=34.0", "longitude=30.0", "--who",
                       "alice", "--db", str(db))
    assert code == 0 and "no country or province" in out
