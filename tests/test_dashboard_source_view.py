"""Article text with highlighted evidence: escaping, overlapping spans, the record."""

from __future__ import annotations

from datetime import date

from dashboard.source_view import article_html, highlight, record_rows, spans_for
from incidents.model import Article, Count, Evidence, Incident, Location


def test_markup_in_article_text_is_shown_as_text():
    text = 'Before <script>alert("x")</script> and <img src=x onerror=alert(1)> after'
    start = text.index("<img")
    out = highlight(text, [Evidence(start, start + 4, "place")])
    assert "<script>" not in out.html
    assert "<img" not in out.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out.html
    assert '<mark class="atlas-ev atlas-ev-place" data-roles="place" title="where">&lt;img</mark>' \
        in out.html


def test_every_span_is_marked_with_its_role():
    text = "Two car bombs exploded in Ramadi on Monday."
    spans = [Evidence(text.index("exploded"), text.index("exploded") + 8, "trigger"),
             Evidence(text.index("Ramadi"), text.index("Ramadi") + 6, "place"),
             Evidence(text.index("on Monday"), text.index("on Monday") + 9, "date")]
    out = highlight(text, spans)
    assert out.marked == 3 and out.skipped == 0
    assert '<mark class="atlas-ev atlas-ev-trigger" data-roles="trigger" title="what happened">' \
           "exploded</mark>" in out.html
    assert ">Ramadi</mark>" in out.html
    assert ">on Monday</mark>" in out.html


def test_overlapping_spans_are_split_not_nested():
    text = "killing 5 people"
    out = highlight(text, [Evidence(0, 16, "count"), Evidence(8, 9, "trigger")])
    assert out.html.count("<mark") == 3
    assert "<mark" not in out.html.split("</mark>", 1)[0][6:]  # no mark inside a mark
    assert 'data-roles="trigger count"' in out.html  # the shared piece names both roles
    # and shows both: the first role's colour behind it, the other's underline
    assert 'class="atlas-ev atlas-ev-trigger atlas-ev-also-count"' in out.html


def test_spans_outside_the_text_or_of_unknown_roles_are_skipped():
    out = highlight("short", [Evidence(2, 99, "place"), Evidence(3, 3, "date"),
                              Evidence(0, 2, "mood"), Evidence(0, 5, "actor")])
    assert out.skipped == 3 and out.marked == 1
    assert out.html == ('<mark class="atlas-ev atlas-ev-actor" data-roles="actor" '
                        'title="who">short</mark>')


def test_spans_without_an_article_belong_to_the_first_article():
    a = Article.from_text("one", ref="a")
    b = Article.from_text("two", ref="b")
    spans = [Evidence(0, 1, "place"), Evidence(0, 1, "date", b.article_id)]
    assert spans_for(a, spans, first=True) == [spans[0]]
    assert spans_for(b, spans, first=False) == [spans[1]]


def test_article_title_and_metadata_are_escaped():
    article = Article.from_text("text", ref="x.html", title="<b>bold</b>",
                                published=date(2019, 5, 1), published_approximate=True,
                                url="http://example.org/?a=<x>")
    body, skipped = article_html(article, [], first=True)
    assert skipped == 0
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    assert "published 2019-05-01 (approximate)" in body
    assert "<x>" not in body


def test_record_rows_give_counts_dates_and_precision():
    incident = Incident(
        incident_id="i1", event_type="Battles", actor1="ISIS", actor2="ISF",
        location=Location("Rutba", 33.04, 40.28, country="IQ", admin1="Al-Anbar",
                          admin1_code="IQ-AN", geo_precision=2, radius_km=25),
        date_start=date(2019, 6, 1), date_end=date(2019, 6, 3), time_precision="week",
        killed=Count(3, 4, 6, "at least three"))
    rows = dict(record_rows(incident))
    assert rows["Actors"] == "ISIS vs ISF"
    assert rows["Killed"] == "4 (range 3–6) — “at least three”"
    assert rows["Date"] == "2019-06-01 – 2019-06-03 (precision: week)"
    assert rows["Place precision"].startswith("near a place or part of a region, within 25 km")
    assert "Injured" not in rows
