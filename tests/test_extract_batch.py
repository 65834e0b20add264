"""Extraction a batch at a time (``Extractor.extract_batch``, the path ingest takes) gives what
extraction one article at a time gives, and one bad article never fails the others."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gazetteer.model import Toponym
from incidents import ingest
from incidents.extract import Extractor
from incidents.model import Article
from incidents.readers import read_paths
from incidents.store import IncidentStore

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples" / "articles"

#: Texts the stub geoparser below fails on, alone or in a batch.
POISON = "Zzyzx"
CALLS: list[str] = []


def stub(text: str) -> list[Toponym]:
    """A geoparser that knows one town, Ramadi, and fails on :data:`POISON`."""
    CALLS.append("one")
    if POISON in text:
        raise ValueError(f"cannot read {POISON}")
    at = text.find("Ramadi")
    if at < 0:
        return []
    return [Toponym(at, at + 6, "Ramadi", "gn:1", "Ramadi", 33.42, 43.3, "IQ", "IQ-AN", "city", 1, 5.0, 0.9)]


def stub_many(texts: list[str]) -> list[list[Toponym]]:
    """:func:`stub`'s batch entry point (found by its name, as ``geoparse_many`` is)."""
    CALLS.append("many")
    return [stub(text) for text in texts]


def _article(text: str, n: int) -> Article:
    return Article(article_id=f"a{n}", text=text, published=date(2019, 5, 10), ref=f"a{n}.txt")


@pytest.mark.parametrize("fast", [True, False])
def test_batch_gives_what_one_by_one_gives_on_the_samples(fast):
    articles = read_paths([SAMPLES]).articles
    assert len(articles) == 5
    extractor = Extractor(fast=fast)
    alone = [extractor.extract(a) for a in articles]
    together = extractor.extract_batch(articles)
    assert [repr(found) for found in together] == [repr(found) for found in alone]
    assert sum(map(len, together)) >= 9  # the seeds' incidents are there, not merely equal


def test_a_geoparser_failure_fails_only_its_article():
    CALLS.clear()
    extractor = Extractor(geoparser=stub)
    articles = [
        _article("Gunmen killed two soldiers in Ramadi on Tuesday.", 1),
        _article(f"A bomb killed three people in {POISON} on Monday.", 2),
        _article("", 3),
        _article("Militants attacked a checkpoint near Ramadi, killing one policeman.", 4),
    ]
    found = extractor.extract_batch(articles)
    assert CALLS[0] == "many"  # tried together first, then one by one
    assert isinstance(found[1], ValueError) and POISON in str(found[1])
    assert found[2] == []
    for k in (0, 3):
        assert not isinstance(found[k], Exception)
        assert [i.location.name for i in found[k]] == ["Ramadi"]
        assert found[k] == extractor.extract(articles[k])


def test_a_reading_failure_fails_only_its_article(monkeypatch):
    extractor = Extractor(geoparser=stub)
    original = extractor._read_to_places

    def read(article, *, fast=True):
        if article.article_id == "a2":
            raise RuntimeError("unreadable")
        return original(article, fast=fast)

    monkeypatch.setattr(extractor, "_read_to_places", read)
    articles = [_article("Gunmen killed two soldiers in Ramadi on Tuesday.", n) for n in (1, 2, 3)]
    found = extractor.extract_batch(articles)
    assert isinstance(found[1], RuntimeError)
    assert len(found[0]) == len(found[2]) == 1


def test_extract_many_reads_in_batches_and_yields_every_incident():
    CALLS.clear()
    extractor = Extractor(geoparser=stub)
    articles = [_article(f"Gunmen killed {n + 2} soldiers in Ramadi on Tuesday.", n) for n in range(40)]
    incidents = list(extractor.extract_many(articles))
    assert len(incidents) == 40
    assert CALLS.count("many") == 2  # 32 + 8


def test_extract_many_raises_the_error_of_a_failed_article():
    extractor = Extractor(geoparser=stub)
    with pytest.raises(ValueError, match=POISON):
        list(extractor.extract_many([_article(f"A bomb killed three people in {POISON}.", 1)]))


def test_ingest_stores_the_rest_when_one_article_fails(tmp_path, monkeypatch):
    extractor = Extractor(geoparser=stub)
    monkeypatch.setattr(ingest, "_default_extract", lambda: lambda articles: extractor.extract_batch(articles))
    articles = [
        _article("Gunmen killed two soldiers in Ramadi on Tuesday.", 1),
        _article(f"A bomb killed three people in {POISON} on Monday.", 2),
    ]
    with IncidentStore(tmp_path / "atlas.sqlite") as store:
        summary = ingest.ingest_articles(articles, store=store)
        assert summary.articles_added == 1
        assert [f.ref for f in summary.failed] == ["a2.txt"]
        assert "ValueError" in summary.failed[0].reason and POISON in summary.failed[0].reason
        assert store.has_article("a1") and not store.has_article("a2")
