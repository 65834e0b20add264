"""Counts of people killed, injured and arrested."""

from __future__ import annotations

import pytest

from incidents.counts import find_counts, parse_number, sentence_totals
from incidents.events import EventLexicon
from incidents.model import Count


@pytest.fixture(scope="module")
def lexicon():
    return EventLexicon.load()


def totals(lexicon, text):
    return {k: (v.count.low, v.count.best, v.count.high) for k, v in sentence_totals(find_counts(text, lexicon)).items()}


@pytest.mark.parametrize(
    ("phrase", "low", "best", "high"),
    [
        ("14", 14, 14, 14),
        ("2,500", 2500, 2500, 2500),
        ("three", 3, 3, 3),
        ("twenty-five", 25, 25, 25),
        ("a dozen", 12, 12, 12),
        ("at least 14", 14, 14, 14),
        ("over a dozen", 13, 13, 13),
        ("between 10 and 15", 10, 10, 15),
        ("up to 20", 1, 20, 20),
    ],
)
def test_parse_number(phrase, low, best, high):
    count = parse_number(phrase)
    assert (count.low, count.best, count.high) == (low, best, high)


def test_vague_words_are_not_exact_numbers():
    assert parse_number("dozens") is None


def test_killed_after_and_before_the_number(lexicon):
    assert totals(lexicon, "At least 15 people were killed.") == {"killed": (15, 15, 15)}
    assert totals(lexicon, "Forces killed at least three ISIS militants.") == {"killed": (3, 3, 3)}
    assert totals(lexicon, "The raid resulted in the deaths of 14 ISIS operatives.") == {"killed": (14, 14, 14)}


def test_two_more_arrested(lexicon):
    text = "Its forces have killed at least three ISIS militants and have arrested two more near a hideout."
    assert totals(lexicon, text) == {"killed": (3, 3, 3), "arrested": (2, 2, 2)}


def test_dozens_is_twelve_as_acled_codes_it(lexicon):
    assert totals(lexicon, "Dozens of civilians were wounded.") == {"injured": (12, 12, 12)}


def test_parts_of_a_total_do_not_add_up(lexicon):
    text = ("At least 15 people were killed and seven American troops were injured, with five wounded "
            "during the raid and two sustaining injuries from falls.")
    assert totals(lexicon, text) == {"killed": (15, 15, 15), "injured": (7, 7, 7)}
    text = "Operations killed 14 ISIS militants, including two Syrian nationals."
    assert totals(lexicon, text) == {"killed": (14, 14, 14)}


def test_listed_groups_add_up(lexicon):
    assert totals(lexicon, "Gunmen killed 3 soldiers and 5 civilians.") == {"killed": (8, 8, 8)}


def test_things_and_money_are_not_people(lexicon):
    text = "The operation destroyed 10 ISIS sites, three car-bombs and a $5 million depot; 2,500 troops remain."
    assert totals(lexicon, text) == {}


def test_dismantled_cell_members_count_as_arrested(lexicon):
    text = "The unit dismantled an ISIS sleeper cell composed of 200 individuals in the province."
    assert totals(lexicon, text) == {"arrested": (200, 200, 200)}


def test_one_after_a_casualty_verb(lexicon):
    assert totals(lexicon, "Its forces recently killed an ISIS attack cell member.") == {"killed": (1, 1, 1)}


def test_count_text_is_the_words_it_came_from(lexicon):
    text = "Forces killed at least three ISIS militants."
    mention = find_counts(text, lexicon)[0]
    assert text[mention.start:mention.end] == mention.text == "at least three ISIS militants"
    assert isinstance(mention.count, Count)
