"""Ingest: read -> extract (a fake, injected) -> spatial join -> store, resumable, no duplicates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from incidents import cli
from incidents import ingest as ingest_module
from incidents.errors import IngestError
from incidents.ingest import ingest_articles, ingest_paths, place_incidents
from incidents.model import Article, Count, Evidence, Incident, Location
from incidents.store import IncidentStore

ARTICLES = {
    "kirkuk.txt": "Checkpoint attack in Kirkuk\n\nGunmen attacked a checkpoint in Kirkuk on "
                  "Monday, killing two soldiers.",
    "ramadi.txt": "Protest in Ramadi\n\nHundreds protested in Ramadi on Friday.",
}
PLACES = {"Kirkuk": (35.4681, 44.3922), "Ramadi": (33.4206, 43.3078)}


def fake_extract(article: Article) -> list[Incident]:
    """One incident per article, at the first known place named in it."""
    name = next(n for n in PLACES if n in article.text)
    lat, lon = PLACES[name]
    start = article.text.index(name)
    return [Incident(
        incident_id=f"{article.article_id}-0",
        event_type="Protests" if "protest" in article.text else "Battles",
        location=Location(name, lat, lon, geo_precision=1),
        date_start=article.published, date_end=article.published, time_precision="day",
        killed=Count(2, 2, 2, "two soldiers") if "killing" in article.text else None,
        article_ids=(article.article_id,),
        evidence=(Evidence(start, start + len(name), "place"),),
        summary=article.text.splitlines()[0],
    )]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path: Path):
    with IncidentStore(tmp_path / "atlas.sqlite") as opened:
        yield opened


def test_ingest_stores_articles_with_placed_incidents(folder, store):
    summary = ingest_paths([folder], store=store, published="2017-06-05", extract=fake_extract)
    assert (summary.articles_read, summary.articles_added, summary.duplicates) == (2, 2, 0)
    assert summary.incidents_added == 2 and not summary.failed
    frame = store.incidents_frame().set_index("location")
    assert frame.loc["Kirkuk", "admin1_code"] == "IQ-KI"
    assert frame.loc["Ramadi", "admin1_code"] == "IQ-AN"
    assert frame.loc["Kirkuk", "country"] == "IQ"
    assert frame.loc["Kirkuk", "date_start"] == pd_timestamp("2017-06-05")
    incident_id = frame.loc["Kirkuk", "incident_id"]
    assert store.articles_for(incident_id)[0].ref.endswith("kirkuk.txt")
    assert store.evidence_frame([incident_id])["quote"].tolist() == ["Kirkuk"]


def pd_timestamp(text: str):
    import pandas as pd

    return pd.Timestamp(text)


def test_running_again_adds_nothing(folder, store):
    ingest_paths([folder], store=store, extract=fake_extract)
    again = ingest_paths([folder], store=store, extract=fake_extract)
    assert (again.articles_read, again.articles_added, again.duplicates) == (2, 0, 2)
    assert again.incidents_added == 0
    assert store.stats()["incidents"] == 2


def test_interrupted_run_is_finished_by_the_next(folder, store):
    calls = []

    def dies_on_second(article):
        calls.append(article.ref)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return fake_extract(article)

    with pytest.raises(KeyboardInterrupt):
        ingest_paths([folder], store=store, extract=dies_on_second)
    # the batch being extracted was not stored at all, not half-stored
    assert store.stats()["articles"] == 0 and store.stats()["incidents"] == 0
    summary = ingest_paths([folder], store=store, extract=fake_extract)
    assert (summary.articles_added, summary.duplicates) == (2, 0)
    assert store.stats()["incidents"] == 2


def test_store_failure_mid_run_leaves_whole_articles(folder, store, monkeypatch):
    real = store.add_article
    calls = []

    def fails_second(article, incidents, **options):
        calls.append(article)
        if len(calls) == 2:
            from incidents.errors import StoreError

            raise StoreError("disk full")
        return real(article, incidents, **options)

    monkeypatch.setattr(store, "add_article", fails_second)
    with pytest.raises(Exception, match="disk full"):
        ingest_paths([folder], store=store, extract=fake_extract)
    monkeypatch.setattr(store, "add_article", real)
    assert store.stats()["articles"] == 1
    summary = ingest_paths([folder], store=store, extract=fake_extract)
    assert (summary.articles_added, summary.duplicates) == (1, 1)


def test_failed_extraction_is_reported_and_others_go_on(folder, store):
    def broken_for_ramadi(article):
        if "Ramadi" in article.text:
            raise ValueError("no trigger found")
        return fake_extract(article)

    summary = ingest_paths([folder], store=store, extract=broken_for_ramadi)
    assert summary.articles_added == 1
    assert len(summary.failed) == 1
    failure = summary.failed[0]
    assert failure.ref.endswith("ramadi.txt") and "ValueError: no trigger found" in failure.reason
    assert any("no trigger found" in line for line in summary.lines())


def test_unreadable_inputs_are_failures(folder, store):
    summary = ingest_paths([folder, folder / "missing.txt"], store=store, extract=fake_extract)
    assert summary.articles_added == 2
    assert [f.ref for f in summary.failed] == [str(folder / "missing.txt")]


def test_province_level_incident_keeps_its_province(store):
    anbar = Incident(incident_id="p", event_type="Battles",
                     location=Location("Anbar", 33.0, 42.0, admin1_code="IQ-AN",
                                       geo_precision=3))
    moved = Incident(incident_id="q", event_type="Battles",
                     location=Location("Kirkuk", 35.4681, 44.3922, admin1_code="IQ-AN",
                                       admin1="Anbar", geo_precision=1))
    bare = Incident(incident_id="r", event_type="Riots")
    placed = place_incidents([anbar, moved, bare])
    assert placed[0].location.admin1_code == "IQ-AN" and placed[0].location.country == "IQ"
    assert placed[1].location.admin1_code == "IQ-KI"  # a town-level point is joined
    assert placed[2] is bare


def test_same_text_twice_in_one_run_is_one_article(store):
    article = Article.from_text("Gunmen attacked Kirkuk.", ref="a", published=date(2017, 1, 1))
    copy = Article.from_text("Gunmen attacked Kirkuk.", ref="b", published=date(2017, 1, 1))
    summary = ingest_articles([article, copy], store=store, extract=fake_extract,
                              join=lambda f: f.assign(country="IQ", admin1="Kirkuk",
                                                      admin1_code="IQ-KI", join_flag=None))
    assert (summary.articles_added, summary.duplicates) == (1, 1)


def test_ingest_command(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ingest_module, "_default_extract", lambda: ingest_module._one_by_one(fake_extract))
    db = tmp_path / "cli.sqlite"
    code = cli.main(["ingest", str(folder), "--published", "2017-06-05", "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"articles read\s+2\n", out) and re.search(r"incidents added\s+2\n", out)
    assert cli.main(["ingest", str(folder), "--db", str(db)]) == 0
    assert re.search(r"duplicates skipped\s+2\n", capsys.readouterr().out)


def test_ingest_command_bad_date_is_one_line(folder, tmp_path, capsys):
    code = cli.main(["ingest", str(folder), "--published", "June 5", "--db",
                     str(tmp_path / "x.sqlite")])
    assert code == cli.EXIT_USAGE
    assert "'June 5' is not in the form YYYY-MM-DD" in capsys.readouterr().err


def test_missing_extractor_is_a_clear_error(monkeypatch, store):
    import sys

    monkeypatch.setitem(sys.modules, "incidents.extract", None)
    with pytest.raises(IngestError, match="extraction is not available"):
        ingest_articles([], store=store)


def test_a_folder_s_notes_are_not_articles_and_reader_warnings_are_shown(tmp_path, capsys):
    from incidents.cli import main

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "README.md").write_text("# Sources\n\nArticles from Reuters, 2019.\n", encoding="utf-8")
    (folder / "rutba.txt").write_bytes(
        b"Two soldiers were killed in Rutba on Tuesday.\n\xff\xfe broken bytes\n")
    code = main(["ingest", str(folder), "--published", "2019-06-12", "--db",
                 str(tmp_path / "a.sqlite"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert "articles read               1" in out  # the README was not read as an article
    assert "warnings" in out and "rutba.txt" in out and "UTF-8" in out


def test_an_arabic_article_and_a_redated_duplicate_are_said(tmp_path, capsys):
    from incidents.cli import main

    arabic = tmp_path / "ar.txt"
    arabic.write_text("قتل جنديان في هجوم لداعش على قافلة للجيش شرق الرطبة يوم الثلاثاء.\n",
                      encoding="utf-8")
    english = tmp_path / "en.txt"
    english.write_text("Two soldiers were killed in Rutba on Tuesday.\n", encoding="utf-8")
    db = str(tmp_path / "a.sqlite")
    main(["ingest", str(arabic), str(english), "--published", "2019-06-12", "--db", db, "--no-progress"])
    out = capsys.readouterr().out
    assert "ar.txt: written mostly in Arabic script" in out and "en.txt" not in out
    main(["ingest", str(english), "--published", "2019-06-20", "--db", db, "--no-progress"])
    out = capsys.readouterr().out
    assert "already stored with publication date 2019-06-12, not 2019-06-20" in out
