"""The vowel-class key (issue 3, round 7): Arabic names that English news spells with other
vowels than the index ("Jobar" for Jawbar, "Deir" for Dayr), and where the resolver uses it.

The key tests use inline strings; the geoparse tests use the real place index (built once and
cached).
"""

from __future__ import annotations

import pytest

from gazetteer.geoparse import geoparse
from gazetteer.index import get_index
from gazetteer.normalize import fold, vowel_key, vowel_keys_match


def same_vowels(a: str, b: str) -> bool:
    return vowel_keys_match(vowel_key(fold(a)), vowel_key(fold(b)))


@pytest.mark.parametrize(
    ("written", "indexed"),
    [
        ("Jobar", "Jawbar"),
        ("Deir", "Dayr"),
        ("Zor", "Zawr"),
        ("Sokhna", "As Sukhnah"),
        ("Ter Ma'la", "Teir Maaleh"),
        ("Sheikh Meskin", "Ash Shaykh Miskin"),
        ("Howeija", "Huwayjah"),
        ("Qameshly", "Al Qamishli"),
    ],
)
def test_spellings_of_one_arabic_name_share_a_vowel_key(written, indexed):
    assert same_vowels(written, indexed)


@pytest.mark.parametrize(("a", "b"), [("Jobar", "Jabar"), ("Jobar", "Jubayr"), ("Dayr", "Dur")])
def test_other_vowels_are_other_names(a, b):
    assert not same_vowels(a, b)


def test_the_key_reads_diphthongs_first_and_leaves_e_open():
    assert vowel_key("jawbar") == vowel_key("jobar") == "jUbAr"
    assert vowel_key("dayr") == "dIr"
    assert vowel_key("der") == "dEr"
    assert vowel_keys_match("dEr", "dIr") and vowel_keys_match("mEnbEj", "mAnbIj")
    assert not vowel_keys_match("dEr", "dUr")


def test_a_name_with_no_latin_key_has_no_vowel_key():
    assert vowel_key("") == "" and vowel_key("جوبر") == ""
    assert not vowel_keys_match("", "")


def test_the_index_finds_a_name_by_its_vowels():
    index = get_index()
    places = index.vowel_places("Jobar")
    assert "Jawbar" in {index.name[p] for p in places if index.country[p] == "SY"}
    assert not len(index.vowel_places("Xq"))


def test_a_namesake_far_away_gives_way_to_the_place_with_those_vowels_where_the_text_is():
    toponyms = geoparse("Clashes in Jobar, Damascus.")
    jobar = next(t for t in toponyms if t.text == "Jobar")
    assert (jobar.name, jobar.country, jobar.admin1_code) == ("Jawbar", "SY", "SY-DI")


def test_a_capital_abroad_stays_itself():
    names = {t.text: (t.name, t.country) for t in geoparse("Syrian refugees in Amman fled the shelling of Damascus.")}
    assert names["Amman"] == ("Amman", "JO")


def test_a_document_elsewhere_keeps_the_exact_spelling():
    jobar = [t for t in geoparse("Jobar is a village near Pati, Central Java, Indonesia.") if t.text == "Jobar"]
    assert jobar and jobar[0].country == "ID"


def test_a_name_the_index_lacks_is_placed_by_its_vowels():
    t = next(t for t in geoparse("Violent clashes in Sheikh Meskin and raids by warplanes.") if t.text == "Sheikh Meskin")
    assert t.country == "SY" and t.admin1_code == "SY-DR"
