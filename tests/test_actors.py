"""Actors: aliases, acronyms, references to the main armed group, and who did what to whom."""

from __future__ import annotations

import pytest
from actor_roles import roles

from incidents.actors import ActorLexicon


@pytest.fixture(scope="module")
def lexicon():
    return ActorLexicon.load()


def names(lexicon, text):
    return [(m.text, m.actor.name if m.actor else None) for m in lexicon.find(text)]


def test_the_lexicon_holds_at_least_forty_actors(lexicon):
    assert len(lexicon.actors) >= 40


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("ISIS", "ISIS"), ("ISIL", "ISIS"), ("Daesh", "ISIS"), ("Islamic State", "ISIS"),
        ("ISF", "Iraqi Security Forces"), ("Iraqi Army", "Iraqi Security Forces"),
        ("Popular Mobilisation Units", "PMU"), ("PMF", "PMU"), ("Hashd al-Shaabi", "PMU"),
        ("Syrian Democratic Forces", "SDF"), ("CENTCOM", "U.S. forces"), ("American troops", "U.S. forces"),
        ("U.S. Central Command", "U.S. forces"), ("tribal forces", "Tribal forces"), ("Anbar Police", "Anbar Police"),
        ("Counter-Terrorism Service", "Counter-Terrorism Service"),
        ("Iraqi National Intelligence Service", "Iraqi National Intelligence Service"),
        ("Syrian Arab Army", "Syrian Arab Army"), ("Turkish forces", "Turkish forces"),
        ("Peshmerga", "Kurdish Peshmerga"), ("Hayat Tahrir al-Sham", "HTS"),
    ],
)
def test_aliases_resolve(lexicon, alias, name):
    assert lexicon.resolve(alias).name == name
    assert names(lexicon, f"Then {alias} moved.") == [(alias, name)]


def test_acronyms_are_case_sensitive(lexicon):
    assert names(lexicon, "This is what it is.") == []
    assert names(lexicon, "IS fighters attacked.") == [("IS", "ISIS")]


def test_anti_isis_is_not_isis(lexicon):
    assert names(lexicon, "an anti-ISIS operation") == []


def test_longest_name_wins(lexicon):
    assert names(lexicon, "the Iraqi Army Air Force struck") == [("Iraqi Army Air Force", "Iraqi Air Force")]


def test_references_take_the_main_armed_group(lexicon):
    found = names(lexicon, "ISIS lost Baghouz. The militant group regrouped.")
    assert found == [("ISIS", "ISIS"), ("The militant group", "ISIS")]
    assert names(lexicon, "The militant group regrouped.") == []



def test_subject_is_actor1_and_object_actor2(lexicon):
    assert roles(lexicon, "Iraqi forces killed 14 ISIS militants near Rutba.", "killed") == ("Iraqi Security Forces", "ISIS")


def test_passive_agent_is_actor1(lexicon):
    assert roles(lexicon, "Fourteen IS fighters were killed by Turkish jets.", "killed") == ("Turkish forces", "ISIS")


def test_target_after_against(lexicon):
    assert roles(lexicon, "The SDF launched an operation against ISIS.", "operation") == ("SDF", "ISIS")


def test_partner_is_not_the_target(lexicon):
    text = "The PMU launched an operation in coordination with local tribes to hunt ISIS cells."
    assert roles(lexicon, text, "operation")[0] == "PMU"
    assert roles(lexicon, text, "operation")[1] != "Tribal forces"
