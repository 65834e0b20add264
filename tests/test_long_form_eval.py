"""The whole-article score (FA-KES layout) on a tiny inline corpus with a stub geoparser."""

from __future__ import annotations

import json
import re

import pytest

from gazetteer.model import Toponym
from incidents.evaluation import long_form_accuracy
from incidents.extract import Extractor

#: name -> (lat, lon, country, admin1_code, feature, geo_precision)
PLACES = {
    "Aleppo": (36.20, 37.16, "SY", "SY-HL", "city", 1),
    "Saraqib": (35.86, 36.80, "SY", "SY-ID", "town", 1),
    "Syria": (35.0, 38.5, "SY", None, "country", 3),
    "Kilis": (36.72, 37.12, "TR", "TR-79", "town", 1),
}
_NAMES = re.compile("|".join(PLACES))


def stub_geoparse(text: str) -> list[Toponym]:
    out = []
    for m in _NAMES.finditer(text):
        lat, lon, cc, a1, feature, precision = PLACES[m.group(0)]
        out.append(Toponym(m.start(), m.end(), m.group(0), f"t:{m.group(0)}", m.group(0), lat, lon,
                           cc, a1, feature, precision, 0.0, 0.9))
    return out


def write(tmp_path, records) -> str:
    path = tmp_path / "fakes.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return str(path)


def test_main_incident_governorate_plain_choices_and_places_outside_syria(tmp_path):
    path = write(tmp_path, [
        # right: the deadliest incident is in Aleppo, though Syria is named first
        {"id": "a", "date": "2016-08-25", "gold_location": "aleppo",
         "text": "Fighting goes on in Syria. Barrel bombs killed 11 civilians in Aleppo on Thursday."},
        # wrong: the deadliest incident is in Kilis (Turkey), the label says Idlib
        {"id": "b", "date": "2016-08-25", "gold_location": "idlib",
         "text": "Rockets killed 2 people in Saraqib on Monday. Shelling killed 9 people in Kilis on Tuesday."},
        # a label the scorer does not know is skipped, not counted
        {"id": "c", "date": "2016-08-25", "gold_location": "atlantis",
         "text": "A bomb killed 5 people in Aleppo on Monday."},
    ])
    score = long_form_accuracy(path, extractor=Extractor(geoparser=stub_geoparse))
    assert score.articles == 2
    assert score.main_incident == pytest.approx(0.5)
    assert score.any_incident == pytest.approx(1.0)  # b has an incident in Saraqib (Idlib) too
    assert score.first_toponym == pytest.approx(0.5)  # a: Syria's point lies in Hama; b: Saraqib
    assert score.incidents == 3 and score.outside_syria == pytest.approx(1 / 3, abs=1e-3)


def test_broken_line_names_the_file_and_record(tmp_path):
    path = tmp_path / "fakes.jsonl"
    path.write_text('{"id": "a"\n', encoding="utf-8")
    from incidents.errors import EvaluationError

    with pytest.raises(EvaluationError, match="record 1"):
        long_form_accuracy(path, extractor=Extractor(geoparser=stub_geoparse))
