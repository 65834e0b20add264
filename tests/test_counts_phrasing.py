"""Counts in common phrasings: one victim, passive lists, asides, numbers without a noun."""

from __future__ import annotations

import pytest

from incidents.counts import find_counts, sentence_totals
from incidents.events import EventLexicon


@pytest.fixture(scope="module")
def lexicon():
    return EventLexicon.load()


def totals(lexicon, text):
    return {k: v.count.best for k, v in sentence_totals(find_counts(text, lexicon)).items()}


@pytest.mark.parametrize(
    "text",
    [
        "A police officer was killed in Tuz Khurmatu on Sunday.",
        "Militants killed a farmer near Kirkuk.",
        "Militants killed one farmer.",
        "Gunmen shot dead a teacher in Mosul.",
        "An ISIS commander was killed in an airstrike.",
    ],
)
def test_a_single_victim_counts_one(lexicon, text):
    assert totals(lexicon, text) == {"killed": 1}


def test_a_single_arrest_counts_one(lexicon):
    assert totals(lexicon, "A suspected ISIS member was arrested in Kirkuk.") == {"arrested": 1}


def test_the_attacker_is_no_victim(lexicon):
    assert totals(lexicon, "A suicide bomber killed five people at a checkpoint.") == {"killed": 5}
    assert totals(lexicon, "Two gunmen killed five people in Mosul.") == {"killed": 5}
    assert totals(lexicon, "A gunman opened fire on a crowd, killing three.") == {"killed": 3}


def test_a_total_with_its_parts_in_an_aside(lexicon):
    text = "Seven civilians, including three children, were killed in Mosul on Monday."
    assert totals(lexicon, text) == {"killed": 7}
    text = "Twelve people (among them four women) were wounded."
    assert totals(lexicon, text) == {"injured": 12}


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("3 soldiers and 5 civilians were killed.", 8),
        ("Four soldiers and six militants were killed in Mosul.", 10),
        ("A dozen ISIS fighters and three SDF members were killed.", 15),
        ("Two policemen, three soldiers and a civilian were killed.", 6),
        ("Gunmen killed 3 soldiers and 5 civilians.", 8),
    ],
)
def test_listed_groups_add_up_in_either_voice(lexicon, text, killed):
    assert totals(lexicon, text) == {"killed": killed}


def test_listed_groups_with_different_fates_do_not_add_up(lexicon):
    text = "Four soldiers were killed and six civilians were wounded."
    assert totals(lexicon, text) == {"killed": 4, "injured": 6}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Militants killed two soldiers and wounded 5 near Baiji.", {"killed": 2, "injured": 5}),
        ("Bomb in Ramadi kills two", {"killed": 2}),
        ("The blast killed 4 in Ramadi and wounded 11.", {"killed": 4, "injured": 11}),
    ],
)
def test_a_number_without_a_noun_after_a_casualty_verb(lexicon, text, expected):
    assert totals(lexicon, text) == expected


def test_others_killed_in_a_later_clause_add_up(lexicon):
    text = "Four militants were killed, the statement said, and six others were killed in clashes."
    assert totals(lexicon, text) == {"killed": 10}
    text = "Four PMF fighters were killed and 6 others were killed in clashes near Hawija."
    assert totals(lexicon, text) == {"killed": 10}


def test_numbers_that_are_not_people_after_a_casualty_verb(lexicon):
    assert totals(lexicon, "Those killed 2 years ago in Mosul were remembered.") == {}
    assert totals(lexicon, "Forces captured a village and two towns.") == {}
    assert totals(lexicon, "The strike killed one of the leaders.") == {"killed": 1}


def test_tolls_side_by_side_are_not_agent_and_object(lexicon):
    assert totals(lexicon, "Two killed three wounded in Ramadi blast") == {"killed": 2, "injured": 3}
    assert totals(lexicon, "Two gunmen shot dead a teacher in Mosul.") == {"killed": 1}


def test_a_breakdown_after_a_total_is_no_list(lexicon):
    assert totals(lexicon, "Three civilians, two women and a man, were killed.") == {"killed": 3}


def test_a_list_after_a_verb_or_preposition_does_not_share_the_casualty_word(lexicon):
    text = "At least 15 ISIS militants were killed, while the YPG lost four of its fighters and several others were injured."
    assert totals(lexicon, text)["injured"] == 10
    text = "Three soldiers were killed in addition to the two children, and seven people were injured."
    assert totals(lexicon, text) == {"killed": 3, "injured": 7}


def test_casualty_words_that_are_no_verbs_take_no_object(lexicon):
    text = "Rocket shells hit the city, leaving 12 civilians dead a source at the police told SANA."
    assert totals(lexicon, text) == {"killed": 12}
    assert totals(lexicon, "Eight civilians killed others injured in rocket attacks") == {"killed": 8}


def test_two_clauses_killing_different_people_add_up(lexicon):
    text = "Four PMF fighters were killed and six ISIS militants were killed in clashes near Hawija."
    assert totals(lexicon, text) == {"killed": 10}
    text = "Four soldiers were killed, but officials said six soldiers were killed."
    assert totals(lexicon, text) == {"killed": 4}


def test_a_compound_person_noun_is_one_noun_and_rebels_are_people():
    from incidents.counts import find_counts
    from incidents.events import EventLexicon

    lexicon = EventLexicon.load()
    text = "The monitor said 30 regime soldiers and 39 rebel fighters had been killed near Aleppo."
    assert [m.text for m in find_counts(text, lexicon)] == ["30 regime soldiers", "39 rebel fighters"]
    assert [m.text for m in find_counts("Government forces killed 32 rebels in Idlib.", lexicon)] == ["32 rebels"]


def test_a_second_noun_without_a_number_joins_the_first():
    lexicon = EventLexicon.load()
    text = "Near Idlib 21 Syrian soldiers and allied militiamen were killed by a group linked to al-Qaida."
    assert totals(lexicon, text) == {"killed": 21}
    assert totals(lexicon, "Three soldiers and two civilians were killed.") == {"killed": 5}


def test_a_total_with_its_parts_and_no_commas(lexicon):
    text = "At least 14 civilians including three children were killed in strikes on Sunday."
    assert totals(lexicon, text) == {"killed": 14}


def test_gunned_down_after_the_victims(lexicon):
    assert totals(lexicon, "Six Muslim men were gunned down in the middle of prayer.") == {"killed": 6}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A British woman fighting alongside Kurdish forces in Afrin, northern Syria, has been killed.", {"killed": 1}),
        ("A British soldier fighting against Islamic State has died in an explosion in Syria.", {"killed": 1}),
        ("Two soldiers guarding the checkpoint east of Rutba were wounded on Tuesday.", {"injured": 2}),
        ("A spokesman for the group in Raqqa said the fighters were killed.", {}),
    ],
)
def test_the_verb_of_a_subject_with_long_modifiers(lexicon, text, expected):
    assert totals(lexicon, text) == expected
