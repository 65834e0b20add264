"""The incident store: round trips, transactions, WAL, migrations, audit log, clear errors."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from incidents import store as store_module
from incidents.errors import StoreError
from incidents.model import ROW_COLUMNS, Article, Count, Evidence, Incident, Location
from incidents.store import (
    LATEST_VERSION,
    IncidentNotFound,
    IncidentStore,
    InvalidEdit,
    open_store,
)

TEXT = "Gunmen attacked a checkpoint in Kirkuk on Monday. Two soldiers were killed."


def make_article(text: str = TEXT, **kwargs) -> Article:
    return Article.from_text(text, ref="kirkuk.txt", published=date(2017, 6, 5),
                             title="Kirkuk attack", **kwargs)


def make_incident(article: Article, incident_id: str = "inc-1", **kwargs) -> Incident:
    full = Incident(
        incident_id=incident_id,
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Unidentified gunmen",
        actor2="Iraqi Army",
        assoc_actors=("Tribal militia", "Police"),
        location=Location(name="Kirkuk", lat=35.4681, lon=44.3922, country="IQ",
                          admin1="Kirkuk", admin1_code="IQ-KI", place_id="gn:94787",
                          feature="PPLA", geo_precision=1, radius_km=2.5, where_prec=1,
                          join_flag=None),
        date_start=date(2017, 6, 5),
        date_end=date(2017, 6, 5),
        time_precision="day",
        date_anchor=date(2017, 6, 5),
        date_text="on Monday",
        killed=Count(2, 2, 2, "Two soldiers"),
        injured=Count(0, 1, 3, "several"),
        arrested=None,
        historical=False,
        summary="Gunmen attacked a checkpoint in Kirkuk.",
        article_ids=(article.article_id,),
        article_ref=article.ref,
        title=article.title,
        evidence=(Evidence(0, 6, "actor"), Evidence(7, 15, "trigger"),
                  Evidence(TEXT.index("Kirkuk"), TEXT.index("Kirkuk") + 6, "place",
                           article.article_id)),
        status="machine",
        source=None,
        notes="a note",
        flags=("relative_date",),
        extractor_version="extract-0.1",
        score=0.82,
    )
    return Incident.from_dict({**full.to_dict(), **kwargs})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "atlas.sqlite"


def test_full_incident_round_trips(db):
    article = make_article()
    incident = make_incident(article)
    with IncidentStore(db) as store:
        result = store.add_article(article, [incident])
        stored = store.get_incident("inc-1")
        assert result.status == "added" and result.incidents_added == 1
        assert stored == incident
        assert Incident.from_dict(stored.to_dict()) == incident
        assert store.articles_for("inc-1") == [article]
        assert store.evidence_for("inc-1") == list(incident.evidence)


def test_incident_without_location_or_counts_round_trips(db):
    article = make_article()
    bare = Incident(incident_id="bare", event_type="Protests", article_ids=(article.article_id,))
    with IncidentStore(db) as store:
        store.add_article(article, [bare])
        assert store.get_incident("bare") == bare


def test_frame_has_row_columns_and_matches_to_row(db):
    article = make_article()
    incident = make_incident(article)
    with IncidentStore(db) as store:
        store.add_article(article, [incident])
        frame = store.incidents_frame()
    assert tuple(frame.columns) == ROW_COLUMNS
    assert str(frame["date_start"].dtype) == "datetime64[ns]"
    row = frame.iloc[0]
    expected = incident.to_row()
    assert row["date_start"].date() == expected["date_start"]
    for column in ("incident_id", "assoc_actors", "admin1_code", "article_ids", "flags",
                   "killed_best", "injured_high", "fatalities", "geo_precision", "latitude"):
        assert row[column] == expected[column], column
    assert pd.isna(row["arrested_best"])


def test_frame_columns_reads_only_those_in_the_order_given(db):
    article = make_article()
    with IncidentStore(db) as store:
        store.add_article(article, [make_incident(article)])
        store.add_article(make_article("Later text."), [make_incident(
            make_article("Later text."), "inc-2", date_start="2017-06-09", date_end=None,
            killed=None)])
        full = store.incidents_frame()
        some = store.incidents_frame(columns=["fatalities", "latitude", "article_ids",
                                              "date_end", "summary"])
        filtered = store.incidents_frame(columns=["incident_id"], event_types=["Battles"],
                                         date_from="2017-06-08")
    assert list(some.columns) == ["fatalities", "latitude", "article_ids", "date_end",
                                  "summary"]
    pd.testing.assert_frame_equal(some, full[list(some.columns)])
    assert some["fatalities"].tolist() == [2, 0]
    assert filtered["incident_id"].tolist() == ["inc-2"]


def test_frame_orders_undated_incidents_first_as_sql_does(db):
    article = make_article()
    with IncidentStore(db) as store:
        store.add_article(article, [
            make_incident(article, "b-late", date_start="2017-06-09", date_end=None),
            make_incident(article, "c-undated", date_start=None, date_end=None),
            make_incident(article, "a-late", date_start="2017-06-09", date_end=None),
            make_incident(article, "z-early", date_start="2017-01-02", date_end=None)])
        unlimited = store.incidents_frame(columns=["incident_id"])["incident_id"].tolist()
        limited = store.incidents_frame(columns=["incident_id"], limit=10)["incident_id"]
    assert unlimited == ["c-undated", "z-early", "a-late", "b-late"]
    assert limited.tolist() == unlimited


@pytest.mark.parametrize("columns, message", [
    (["incident_id", "lattitude"], "'lattitude'"),
    ("incident_id", "columns=['incident_id']"),
    ([], "columns is empty"),
    (["summary", "summary"], "'summary' is asked for twice"),
])
def test_frame_refuses_bad_columns_naming_them(db, columns, message):
    with IncidentStore(db) as store:
        with pytest.raises(StoreError, match=re.escape(message)):
            store.incidents_frame(columns=columns)


def test_store_is_in_wal_mode(db):
    with IncidentStore(db):
        mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_reader_sees_committed_data_while_a_writer_holds_a_transaction(db):
    article = make_article()
    with IncidentStore(db) as writer:
        writer.add_article(article, [make_incident(article)])
        raw = sqlite3.connect(db, isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE incidents SET summary = 'uncommitted'")
        with IncidentStore(db, readonly=True) as reader:
            frame = reader.incidents_frame()
        raw.execute("ROLLBACK")
        raw.close()
    assert frame["summary"].tolist() == ["Gunmen attacked a checkpoint in Kirkuk."]


def test_same_article_twice_is_a_duplicate_no_op(db):
    article = make_article()
    with IncidentStore(db) as store:
        store.add_article(article, [make_incident(article)])
        again = store.add_article(article, [make_incident(article, incident_id="inc-2")])
        assert again.status == "duplicate" and again.incidents_added == 0
        assert store.stats()["incidents"] == 1
        assert store.has_article(article.article_id)


def test_failure_inside_the_transaction_writes_nothing(db):
    article = make_article()
    good = make_incident(article)
    bad = Incident(incident_id="broken", event_type="")
    with IncidentStore(db) as store:
        empty = "\n".join(store._connection.iterdump())
        with pytest.raises(StoreError, match="event_type"):
            store.add_article(article, [good, bad])
        assert not store.has_article(article.article_id)
        assert "\n".join(store._connection.iterdump()) == empty
        # the same article goes in whole on the next run
        assert store.add_article(article, [good]).status == "added"


def test_killed_process_mid_transaction_leaves_no_partial_article(db):
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
        from test_store import make_article, make_incident
        from incidents.store import IncidentStore

        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        store = IncidentStore({str(db)!r})
        IncidentStore._insert_evidence = staticmethod(die)
        article = make_article()
        store.add_article(article, [make_incident(article)])
    """)
    proc = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True,
                          cwd=Path(__file__).resolve().parent.parent, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with IncidentStore(db) as store:
        stats = store.stats()
    assert (stats["articles"], stats["incidents"]) == (0, 0)


def test_update_writes_audit_rows_and_marks_edited(db):
    article = make_article()
    with IncidentStore(db) as store:
        store.add_article(article, [make_incident(article)])
        updated = store.update_incident(
            "inc-1", {"event_type": "Violence against civilians", "killed_best": 3,
                      "date_start": "2017-06-04", "flags": ["checked"]}, who="analyst-a")
        assert updated.event_type == "Violence against civilians"
        assert updated.killed.best == 3 and updated.date_start == date(2017, 6, 4)
        assert updated.flags == ("checked",)
        assert updated.status == "edited"
        log = store.audit_log("inc-1")
    changes = dict(zip(log["field"], zip(log["old"], log["new"])))
    assert changes["event_type"] == ('"Battles"', '"Violence against civilians"')
    assert changes["killed_best"] == ("2", "3")
    assert changes["status"] == ('"machine"', '"edited"')
    assert set(log["who"]) == {"analyst-a"}


def test_review_sets_status_and_unchanged_edit_logs_nothing(db):
    article = make_article()
    with IncidentStore(db) as store:
        store.add_article(article, [make_incident(article)])
        assert store.update_incident("inc-1", {"killed_best": 2}, who="a").status == "machine"
        assert store.audit_log().empty
        assert store.update_incident("inc-1", {"status": "reviewed"}, who="b").status == "reviewed"
        assert store.audit_log()["field"].tolist() == ["status"]


@pytest.mark.parametrize("changes, message", [
    ({"colour": "red"}, "cannot edit field 'colour'"),
    ({"event_type": "Picnic"}, "'Picnic'"),
    ({"latitude": 123.0}, "latitude"),
    ({"date_start": "June"}, "'June'"),
    ({"geo_precision": 5}, "geo_precision"),
])
def test_bad_edits_are_refused_and_write_nothing(db, changes, message):
    article = make_article()
    with IncidentStore(db) as store:
        store.add_article(article, [make_incident(article)])
        with pytest.raises(InvalidEdit, match=message):
            store.update_incident("inc-1", changes, who="a")
        assert store.audit_log().empty
        assert store.get_incident("inc-1").status == "machine"


def test_update_of_unknown_incident(db):
    with IncidentStore(db) as store, pytest.raises(IncidentNotFound, match="'nope'"):
        store.update_incident("nope", {"summary": "x"}, who="a")


def test_filters(db):
    article = make_article()
    other = make_article("Protesters gathered in Ramadi. Nobody was hurt.")
    with IncidentStore(db) as store:
        store.add_article(article, [make_incident(article)])
        store.add_article(other, [make_incident(
            other, "inc-ramadi", event_type="Protests", actor1="Protesters", actor2=None,
            location={**make_incident(other).location.to_dict(), "name": "Ramadi",
                      "admin1_code": "IQ-AN", "admin1": "Anbar", "geo_precision": 2},
            date_start="2017-07-01", date_end="2017-07-03", summary="100% peaceful")])

        def ids(**kw):
            return store.incidents_frame(**kw)["incident_id"].tolist()

        assert ids() == ["inc-1", "inc-ramadi"]
        assert ids(date_from="2017-07-02") == ["inc-ramadi"]
        assert ids(date_to=date(2017, 6, 30)) == ["inc-1"]
        assert ids(event_types=["Protests"]) == ["inc-ramadi"]
        assert ids(admin1_codes=["IQ-KI"]) == ["inc-1"]
        assert ids(countries=["SY"]) == []
        assert ids(actors=["Iraqi Army"]) == ["inc-1"]
        assert ids(precisions=[2]) == ["inc-ramadi"]
        assert ids(text="CHECKPOINT") == ["inc-1"]
        assert ids(text="100%") == ["inc-ramadi"]
        assert ids(text="%") == ["inc-ramadi"]
        # words only the article says ("Nobody was hurt") find the incident it reports
        assert ids(text="nobody WAS hurt") == ["inc-ramadi"]
        assert store.incident_ids_citing("nobody was hurt") == {"inc-ramadi"}
        assert store.incident_ids_citing("not in any article") == frozenset()
        assert store.incident_ids_citing("") == frozenset()
        assert ids(limit=1) == ["inc-1"]


def test_add_incidents_is_idempotent_and_keeps_edits(db):
    frame = pd.DataFrame({
        "incident_id": ["ucdp:1", "ucdp:2"], "event_type": ["Battles", "Battles"],
        "latitude": [35.0, 36.0], "longitude": [40.0, 41.0], "location": ["A", "B"],
        "date_start": pd.to_datetime(["2016-01-01", "2016-02-01"]),
        "date_end": pd.to_datetime(["2016-01-01", "2016-02-03"]),
        "killed_low": [1, 0], "killed_best": [2, 0], "killed_high": [3, 0],
        "source": ["ucdp:1", "ucdp:2"], "notes": ["n1", None], "flags": ["", "swapped_coordinates"],
    })
    with IncidentStore(db) as store:
        first = store.add_incidents(frame, source="ucdp")
        store.update_incident("ucdp:1", {"summary": "fixed"}, who="a")
        second = store.add_incidents(frame, source="ucdp")
        stored = store.get_incident("ucdp:2")
        assert (first.added, first.already_present) == (2, 0)
        assert (second.added, second.already_present) == (0, 2)
        assert store.get_incident("ucdp:1").summary == "fixed"
        assert store.stats()["by_origin"] == {"ucdp": 2}
    assert stored.date_end == date(2016, 2, 3) and stored.flags == ("swapped_coordinates",)
    assert stored.killed == Count(0, 0, 0, "") and stored.location.lat == 36.0


def test_add_incidents_accepts_incident_records(db):
    article = make_article()
    incident = make_incident(article, incident_id="acled:IRQ1", source="acled:IRQ1")
    with IncidentStore(db) as store:
        assert store.add_incidents([incident], source="acled").added == 1
        assert store.get_incident("acled:IRQ1") == incident


def test_evidence_frame_quotes_the_sentence(db):
    article = make_article()
    with IncidentStore(db) as store:
        store.add_article(article, [make_incident(article)])
        evidence = store.evidence_frame(["inc-1"])
    trigger = evidence.loc[evidence["role"] == "trigger"].iloc[0]
    assert trigger["quote"] == "attacked"
    assert trigger["sentence"] == "Gunmen attacked a checkpoint in Kirkuk on Monday."
    assert set(evidence["article_id"]) == {article.article_id}


def _create_version_1(db: Path) -> None:
    """A store as the first release wrote it (migration 1 only), with one incident."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                 "description TEXT NOT NULL, applied_at TEXT NOT NULL)")
    conn.executescript(store_module.MIGRATIONS[0].sql)
    conn.execute("INSERT INTO schema_version VALUES (1, 'initial', '2024-01-01T00:00:00')")
    conn.execute("INSERT INTO incidents (incident_id, event_type, added_at, updated_at) "
                 "VALUES ('old', 'Riots', 'x', 'x')")
    conn.close()


def test_older_store_is_migrated_on_open_and_keeps_its_data(db):
    _create_version_1(db)
    with pytest.raises(StoreError, match="needs migrating"):
        IncidentStore(db, readonly=True)
    with IncidentStore(db) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.get_incident("old").event_type == "Riots"
    indexes = {r[0] for r in sqlite3.connect(db).execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "incidents_date_start" in indexes


def test_newer_schema_is_refused(db):
    with IncidentStore(db):
        pass
    sqlite3.connect(db, isolation_level=None).execute(
        "INSERT INTO schema_version VALUES (99, 'future', 'x')")
    with pytest.raises(StoreError, match="schema version 99.*upgrade"):
        IncidentStore(db)


def test_locked_store_gives_a_clear_message_and_stays_consistent(db):
    article = make_article()
    with IncidentStore(db, timeout_s=0.05) as store:
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match="locked by another writer.*run the command again"):
            store.add_article(article, [make_incident(article)])
        blocker.execute("ROLLBACK")
        blocker.close()
        assert store.add_article(article, [make_incident(article)]).status == "added"


def test_up_to_date_store_opens_and_reads_while_another_process_writes(db):
    with IncidentStore(db):
        pass
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with IncidentStore(db, timeout_s=0.05) as store:
            assert store.incidents_frame().empty
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_disk_full_is_reported_and_rolled_back(db):
    first = make_article()
    big = make_article("Gunmen attacked Kirkuk. " + "Details follow. " * 20_000)
    with IncidentStore(db) as store:
        store.add_article(first, [make_incident(first)])
        # a store that may not grow any more: SQLite answers as on a full disk (SQLITE_FULL)
        conn = store._connection
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError, match="free some disk space"):
            store.add_article(big, [make_incident(big, incident_id="inc-big")])
        assert not store.has_article(big.article_id)
        stats = store.stats()
    assert (stats["articles"], stats["incidents"], stats["evidence"]) == (1, 1, 3)
    with IncidentStore(db) as store:  # reopened: consistent, and it takes the article now
        assert store.add_article(big, [make_incident(big, incident_id="inc-big")]).status == "added"


def test_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="not an Incident Atlas store.*--db"):
        IncidentStore(path)


def test_other_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StoreError, match="not an Incident Atlas store"):
        IncidentStore(path)


def test_readonly_store_must_exist_and_refuses_writes(db):
    with pytest.raises(StoreError, match="no store at"):
        IncidentStore(db, readonly=True)
    with IncidentStore(db):
        pass
    article = make_article()
    with IncidentStore(db, readonly=True) as reader, pytest.raises(StoreError, match="read-only"):
        reader.add_article(article, [])


def test_open_store_uses_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(tmp_path / "env.sqlite"))
    with open_store() as store:
        assert store.path == tmp_path / "env.sqlite"
    with pytest.raises(StoreError, match="PostgreSQL"):
        open_store("postgresql://localhost/atlas")
    assert os.path.exists(tmp_path / "env.sqlite")


def test_migration_sql_is_split_where_sqlite_ends_a_statement(db, monkeypatch):
    with IncidentStore(db):
        pass
    step = store_module.Migration(
        LATEST_VERSION + 1, "a text default holding ';'",
        "CREATE TABLE notes (body TEXT NOT NULL DEFAULT 'one; two');\n"
        "INSERT INTO notes DEFAULT VALUES; INSERT INTO notes VALUES ('three;');\n")
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, step))
    monkeypatch.setattr(store_module, "LATEST_VERSION", step.version)
    with IncidentStore(db) as store:
        assert store.schema_version == step.version
        rows = store._connection.execute("SELECT body FROM notes ORDER BY body").fetchall()
    assert [r[0] for r in rows] == ["one; two", "three;"]
