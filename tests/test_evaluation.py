"""The geoparser evaluation harness: metrics on hand-made examples, corpus loading, the CLI."""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
import textwrap

import pytest

from gazetteer import evaluation
from gazetteer.errors import BadQueryError
from gazetteer.eval_command import register, run_eval_geoparse
from gazetteer.evaluation import GoldDocument, GoldToponym
from gazetteer.model import Toponym

TEXT = "Fighting in Ramadi and Hit spread to Anbar Police Command near Baghdad."
#         0         1         2         3         4         5         6         7
#         0123456789012345678901234567890123456789012345678901234567890123456789012


def toponym(
    start: int, end: int, lat: float | None = None, lon: float | None = None, text: str = TEXT
) -> Toponym:
    resolved = lat is not None
    return Toponym(
        start=start,
        end=end,
        text=text[start:end],
        place_id="gn:1" if resolved else None,
        name=text[start:end] if resolved else None,
        lat=lat,
        lon=lon,
        country="IQ" if resolved else None,
        admin1_code=None,
        feature="city" if resolved else None,
        geo_precision=1,
        radius_km=0.0,
        score=1.0,
    )


def gold_document() -> GoldDocument:
    return GoldDocument(
        doc_id="d1",
        text=TEXT,
        toponyms=(
            GoldToponym(12, 18, "Ramadi", 33.42, 43.30, "IQ"),
            GoldToponym(23, 26, "Hit", 33.64, 42.83, "IQ"),
            GoldToponym(37, 42, "Anbar", None, None),
            GoldToponym(63, 70, "Baghdad", 33.34, 44.40, "IQ"),
        ),
    )


# --------------------------------------------------------------------------- span matching


def test_exact_matching_needs_identical_offsets():
    gold = [(0, 6), (10, 15)]
    predicted = [(0, 6), (10, 14), (20, 25)]
    assert evaluation.match_exact(gold, predicted) == [(0, 0)]


def test_overlap_matching_accepts_partial_spans_one_to_one():
    gold = [(0, 6), (10, 15)]
    predicted = [(0, 6), (10, 14), (20, 25)]
    assert evaluation.match_overlapping(gold, predicted) == [(0, 0), (1, 1)]


def test_one_long_prediction_covering_two_gold_names_matches_once():
    gold = [(0, 8), (10, 15)]  # "New York" ... "State"
    predicted = [(0, 15)]
    pairs = evaluation.match_overlapping(gold, predicted)
    assert pairs == [(0, 0)]  # the longer shared stretch wins


def test_touching_spans_do_not_overlap():
    assert evaluation.match_overlapping([(0, 5)], [(5, 9)]) == []


def test_precision_recall_f1_and_empty_denominators():
    p, r, f = evaluation.precision_recall_f1(3, 4, 6)
    assert (p, r) == (0.75, 0.5)
    assert f == pytest.approx(0.6)
    assert evaluation.precision_recall_f1(0, 0, 5) == (None, 0.0, None)
    assert evaluation.precision_recall_f1(0, 3, 5) == (0.0, 0.0, 0.0)


# --------------------------------------------------------------------------- resolution metrics


def test_haversine_one_degree_of_latitude():
    assert float(evaluation.haversine_km(0.0, 0.0, 1.0, 0.0)) == pytest.approx(111.195, abs=0.01)
    assert float(evaluation.haversine_km(0.0, 0.0, 0.0, 180.0)) == pytest.approx(20015.1, abs=0.5)


def test_auc_follows_the_camcoder_formula():
    # log(0 + 1) = 0 and log(20038 + 1) = log(20039): the trapezoid is half the box.
    assert evaluation.error_auc([20038.0, 0.0]) == pytest.approx(0.5)
    assert evaluation.error_auc([0.0, 0.0, 0.0]) == 0.0
    errors = [10.0, 100.0, 1000.0]
    expected = ((math.log(11) + math.log(101)) / 2 + (math.log(101) + math.log(1001)) / 2) / (
        math.log(20039) * 2
    )
    assert evaluation.error_auc(errors) == pytest.approx(expected)
    assert evaluation.error_auc([]) is None
    assert evaluation.error_auc([100.0]) == pytest.approx(math.log(101) / math.log(20039))


def test_acc161_counts_an_error_of_exactly_161_km():
    scores = evaluation.resolution_scores([161.0, 161.001, 25.0, 25.001])
    assert scores.acc161 == 0.75
    assert scores.acc25 == 0.25
    assert scores.n == 4
    assert scores.mean_km == pytest.approx((161.0 + 161.001 + 25.0 + 25.001) / 4)
    assert scores.median_km == pytest.approx((25.001 + 161.0) / 2)


def test_unresolved_toponym_counts_as_20039_km():
    gold = GoldToponym(0, 6, "Ramadi", 33.42, 43.30)
    assert evaluation.toponym_error_km(gold, toponym(12, 18)) == 20039.0
    assert evaluation.toponym_error_km(gold, None) == 20039.0
    assert evaluation.toponym_error_km(gold, toponym(12, 18, 33.42, 43.30)) == pytest.approx(0.0)


# --------------------------------------------------------------------------- scoring documents


def test_end_to_end_scoring_separates_recognition_resolution_and_end_to_end():
    predicted = [
        toponym(12, 18, 33.42, 43.30),  # Ramadi, exact span, right place
        toponym(23, 26, 40.0, -100.0),  # Hit, exact span, wrong continent
        toponym(37, 57),  # "Anbar Police Command": overlaps Anbar (no coordinates), unresolved
        toponym(58, 62, 0.0, 0.0),  # "near": a false positive
    ]
    result = evaluation.summarise([evaluation.score_document(gold_document(), predicted)])
    rec = result.recognition
    assert (result.exact_matches, result.overlap_matches) == (2, 3)
    assert (rec.precision, rec.recall) == (0.5, 0.5)
    assert (rec.overlap_precision, rec.overlap_recall) == (0.75, 0.75)
    # Resolution: gold with coordinates that were recognised (Ramadi, Hit); Baghdad was missed.
    assert result.resolution.n == 2
    assert result.resolution.acc161 == 0.5
    # End to end: found and within 161 km, over the three gold toponyms with coordinates.
    assert result.end_to_end_recall_at_161 == pytest.approx(1 / 3)
    kinds = {o.gold.name: o.kind for o in result.outcomes}
    assert kinds == {"Ramadi": "correct", "Hit": "wrong place", "Baghdad": "not found"}


def test_gold_span_scoring_scores_every_gold_toponym_with_coordinates():
    document = gold_document()
    answers = [toponym(12, 18, 33.42, 43.30), toponym(23, 26), toponym(37, 42), toponym(63, 70, 33.3, 44.4)]
    result = evaluation.summarise(
        [evaluation.score_document(document, answers, gold_spans=True)], gold_spans=True
    )
    assert result.resolution.n == 3
    assert result.resolution.acc161 == pytest.approx(2 / 3)
    assert result.end_to_end_recall_at_161 == pytest.approx(2 / 3)
    assert sorted(o.error_km for o in result.outcomes)[-1] == 20039.0


def test_evaluate_hands_gold_spans_to_the_geoparser_and_times_it():
    calls = []

    def fake(text, *, context=None, spans=None):
        calls.append(spans)
        return [toponym(s, e, 33.0, 43.0) for s, e in spans] if spans is not None else []

    result = evaluation.evaluate([gold_document()], fake, gold_spans=True)
    assert calls[-1] == [(12, 18), (23, 26), (37, 42), (63, 70)]
    assert result.docs == 1 and result.gold_toponyms == 4
    assert result.docs_per_second is not None and result.docs_per_second > 0


def test_a_gazetteer_error_on_one_document_does_not_stop_the_run():
    from gazetteer.errors import GazetteerError

    def fragile(text, *, context=None, spans=None):
        if "Ramadi" in text:
            raise GazetteerError("index broken for this text")
        return []

    other = GoldDocument("d2", "Quiet in Mosul.", (GoldToponym(9, 14, "Mosul", 36.34, 43.13),))
    result = evaluation.evaluate([gold_document(), other], fragile)
    assert result.docs == 2
    assert len(result.geoparse_errors) == 1 and "'d1'" in result.geoparse_errors[0]


def test_documents_without_gold_toponyms_count_false_alarms():
    quiet = GoldDocument("q", "Nothing happened in Ramadi today.", ())
    silent = GoldDocument("s", "Nothing happened.", ())
    scores = [
        evaluation.score_document(quiet, [toponym(20, 26, 33.4, 43.3, text=quiet.text)]),
        evaluation.score_document(silent, []),
    ]
    result = evaluation.summarise(scores)
    assert (result.docs_without_gold, result.docs_without_gold_with_predictions) == (2, 1)
    assert result.recognition.precision == 0.0 and result.recognition.recall is None


def test_worst_misses_are_sorted_by_error_and_carry_context():
    predicted = [toponym(12, 18, 33.42, 43.30), toponym(23, 26, 40.0, -100.0)]
    result = evaluation.summarise([evaluation.score_document(gold_document(), predicted)])
    worst = evaluation.worst_misses(result.outcomes, 5)
    assert [m.gold_name for m in worst] == ["Baghdad", "Hit"]
    assert worst[0].kind == "not found" and worst[0].error_km == 20039.0
    assert worst[1].kind == "wrong place" and worst[1].predicted_lat == 40.0
    assert "[Hit]" in worst[1].context
    assert [m.gold_name for m in evaluation.worst_misses(result.outcomes, 5, kind="wrong")] == ["Hit"]
    assert [m.gold_name for m in evaluation.worst_misses(result.outcomes, 5, kind="missed")] == ["Baghdad"]
    with pytest.raises(BadQueryError, match="'worse'"):
        evaluation.worst_misses(result.outcomes, 5, kind="worse")


# --------------------------------------------------------------------------- corpus loading


def write_corpus(tmp_path, lines):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good_line(doc_id="a", **overrides):
    record = {
        "id": doc_id,
        "text": "Clashes in Ramadi.",
        "toponyms": [{"start": 11, "end": 17, "name": "Ramadi", "lat": 33.42, "lon": 43.30, "cc": "iq"}],
    }
    record.update(overrides)
    return json.dumps(record)


def test_read_corpus_reports_broken_lines_and_scores_the_rest(tmp_path):
    path = write_corpus(tmp_path, [good_line("a"), "{not json", "", good_line("b"), json.dumps({"id": "c"})])
    corpus = evaluation.read_corpus(path)
    assert [d.doc_id for d in corpus.documents] == ["a", "b"]
    assert [p.line for p in corpus.problems] == [2, 5]
    assert "broken JSON" in corpus.problems[0].message
    assert corpus.documents[0].toponyms[0].cc == "IQ"


def test_read_corpus_skips_a_toponym_whose_span_does_not_match_its_name(tmp_path):
    bad = {"start": 0, "end": 7, "name": "Ramadi", "lat": None, "lon": None}
    duplicate = {"start": 11, "end": 17, "name": "Ramadi", "lat": 33.42, "lon": 43.30}
    line = good_line("a", toponyms=[bad, duplicate, duplicate])
    corpus = evaluation.read_corpus(write_corpus(tmp_path, [line]))
    assert len(corpus.documents[0].toponyms) == 1
    assert len(corpus.problems) == 1
    assert corpus.problems[0].line == 1 and "'Clashes'" in corpus.problems[0].message


def test_read_corpus_limit_and_missing_file(tmp_path):
    path = write_corpus(tmp_path, [good_line("a"), good_line("b"), good_line("c")])
    assert len(evaluation.read_corpus(path, limit=2).documents) == 2
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        evaluation.read_corpus(tmp_path / "nope.jsonl")
    with pytest.raises(BadQueryError):
        evaluation.read_corpus(path, limit=0)


def test_filter_region_uses_cc_then_the_bounding_box():
    document = GoldDocument(
        "d",
        TEXT,
        (
            GoldToponym(12, 18, "Ramadi", 33.42, 43.30, "IQ"),
            GoldToponym(23, 26, "Hit", 33.64, 42.83, None),  # no cc: inside the Iraq box
            GoldToponym(37, 42, "Anbar", 34.0, 36.2, "LB"),  # inside the Syria box, but cc says Lebanon
            GoldToponym(63, 70, "Baghdad", 38.9, -77.0, None),  # far away
        ),
    )
    empty = GoldDocument("e", "Rain in Ohio.", (GoldToponym(8, 12, "Ohio", 40.0, -82.0, "US"),))
    kept = evaluation.filter_region([document, empty], ["iq", "SY"])
    assert [d.doc_id for d in kept] == ["d"]
    assert [g.name for g in kept[0].toponyms] == ["Ramadi", "Hit"]
    with pytest.raises(BadQueryError, match="XX"):
        evaluation.filter_region([document], ["XX"])


# --------------------------------------------------------------------------- the CLI


FAKE_MODULE = textwrap.dedent(
    """
    from gazetteer.model import Toponym

    def geoparse(text, *, context=None, spans=None):
        start = text.find("Ramadi")
        if start < 0:
            return []
        return [Toponym(start, start + 6, "Ramadi", "gn:1", "Ramadi", 33.42, 43.30, "IQ", "IQ-AN",
                        "city", 1, 0.0, 0.9)]
    """
)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    (tmp_path / "fake_geoparser.py").write_text(FAKE_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("fake_geoparser", None)
    parser = argparse.ArgumentParser(prog="incident-atlas")
    sub = parser.add_subparsers(dest="command")
    eval_sub = sub.add_parser("eval").add_subparsers(dest="eval_command")
    register(sub, eval_sub)

    def run(*argv):
        args = parser.parse_args(["eval", "geoparse", *argv, "--geoparser", "fake_geoparser:geoparse"])
        assert args.handler is run_eval_geoparse
        out = io.StringIO()
        return run_eval_geoparse(args, out=out), out.getvalue()

    return run


def test_cli_json_has_exactly_the_documented_shape(cli, tmp_path, capsys):
    path = write_corpus(
        tmp_path,
        [
            good_line("a"),
            "oops",
            good_line(
                "b",
                text="Calm in Mosul.",
                toponyms=[{"start": 8, "end": 13, "name": "Mosul", "lat": 36.34, "lon": 43.13}],
            ),
        ],
    )
    code, out = cli(str(path), "--json", "--worst", "2")
    assert code == 0
    assert len(out.strip().splitlines()) == 1
    payload = json.loads(out)
    assert set(payload) == {
        "docs",
        "gold_toponyms",
        "recognition",
        "resolution",
        "end_to_end",
        "docs_per_second",
        "extra",
    }
    assert set(payload["recognition"]) == {
        "precision",
        "recall",
        "f1",
        "overlap_precision",
        "overlap_recall",
        "overlap_f1",
    }
    assert set(payload["resolution"]) == {"n", "acc161", "acc25", "mean_km", "median_km", "auc"}
    assert set(payload["end_to_end"]) == {"recall_at_161"}
    assert payload["docs"] == 2 and payload["gold_toponyms"] == 2
    assert payload["recognition"]["precision"] == 1.0 and payload["recognition"]["recall"] == 0.5
    assert payload["resolution"]["n"] == 1 and payload["resolution"]["acc161"] == 1.0
    assert payload["end_to_end"]["recall_at_161"] == 0.5
    assert [m["gold_name"] for m in payload["extra"]["worst"]] == ["Mosul"]
    assert payload["extra"]["docs_without_gold"] == 0
    assert "gold.jsonl:2: broken JSON" in capsys.readouterr().err


def test_cli_table_and_gold_spans(cli, tmp_path):
    path = write_corpus(tmp_path, [good_line("a")])
    code, out = cli(str(path), "--gold-spans", "--worst", "1")
    assert code == 0
    assert "Acc@161 1.000" in out and "gold spans" in out


def test_cli_missing_file_is_one_line_and_exit_2(capsys):
    from incidents.cli import main

    assert main(["eval", "geoparse", "/no/such/corpus.jsonl", "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "/no/such/corpus.jsonl" in err


def test_cli_rejects_a_malformed_geoparser_spec(tmp_path):
    from gazetteer.evaluation import load_geoparser

    with pytest.raises(BadQueryError, match="MODULE:CALLABLE"):
        load_geoparser("gazetteer.geoparse")


def test_shared_lgl_loads_without_problems(shared_path):
    corpus = evaluation.read_corpus(shared_path("eval/lgl.jsonl"), limit=20)
    assert len(corpus.documents) == 20 and not corpus.problems
    assert all(d.text[g.start : g.end] == g.name for d in corpus.documents for g in d.toponyms)


def test_load_geoparser_sees_through_a_submodule_of_the_same_name(tmp_path, monkeypatch):
    package = tmp_path / "fakepkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "parse.py").write_text("def parse(text, *, context=None, spans=None):\n    return []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import fakepkg.parse  # noqa: F401  the package attribute is now the submodule

    from gazetteer.evaluation import load_geoparser

    assert load_geoparser("fakepkg:parse")("text") == []


# --------------------------------------------------------------------------- derived locations


def derived(place_id, lat, lon, relation="northern"):
    return Toponym(35, 39, "Iraq", place_id, "Iraq", lat, lon, "IQ", None, "country", 3, 244.7, 0.98,
                   relation=relation, anchor="Iraq")


def test_a_derived_location_is_scored_at_the_place_it_names():
    # "over northern Iraq": the gold gives the name "Iraq" Iraq's point (33N 44E); our toponym names
    # Iraq (cc:IQ) and moves its point 258 km north. Resolution scores the name; the moved point
    # is scored only when asked.
    text = "Two Tornado GR4s are over northern Iraq and the pilots are"
    document = GoldDocument("d", text, (GoldToponym(35, 39, "Iraq", 33.0, 44.0),))
    moved = derived("cc:IQ", 35.30379, 43.67283)
    named = evaluation.score_document(document, [moved])
    assert named.outcomes[0].error_km == pytest.approx(0.0, abs=1.0)
    at_moved_point = evaluation.score_document(document, [moved], derived_points=True)
    assert at_moved_point.outcomes[0].error_km == pytest.approx(258.0, abs=2.0)
    assert evaluation.summarise([at_moved_point], derived_points=True).end_to_end_recall_at_161 == 0.0
    assert evaluation.summarise([named]).end_to_end_recall_at_161 == 1.0


def test_a_derived_location_whose_place_the_index_lacks_is_scored_at_its_own_point():
    assert evaluation.named_point(derived("border:IQ-AN+IQ-NI", 35.0, 42.0, relation="shared border")) is None
    assert evaluation.named_point(derived("cc:IQ", 35.3, 43.7, relation=None)) is None
    assert evaluation.named_point(derived("cc:IQ", 33.0, 44.0, relation="demonym")) is None


def test_cli_says_where_derived_locations_were_scored(cli, tmp_path):
    path = write_corpus(tmp_path, [good_line("a")])
    assert json.loads(cli(str(path), "--json")[1])["extra"]["scored_at"] == "named place"
    assert json.loads(cli(str(path), "--json", "--derived-points")[1])["extra"]["scored_at"] == "derived point"
    assert "scored at the derived point" in cli(str(path), "--derived-points")[1]
