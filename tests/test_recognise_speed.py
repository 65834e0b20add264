"""The quicker paths of recognition and normalisation give what the plain definitions give."""

import random
import re
import unicodedata
from itertools import accumulate

import pytest
from unidecode import unidecode

from gazetteer.normalize import _MARKS, MAX_NAME_CHARS, fold, fold_plain, fold_tokens, fold_words, plain
from gazetteer.recognise import (
    _SENTENCE_END_RE,
    _TOKEN_SPLIT_RE,
    _NgramKeys,
    _sentence_starts_at,
    _token_words,
    _token_bounds,
    _tokens,
    _tokens_many,
)

TEXTS = [
    "Clashes in Deir ez-Zor and Al-Bu Kamal near Tell Abyad, Salahuddin Province.",
    "Fighters from Ma'arrat al-Nu'man reached Dayr az Zawr's outskirts; St. Petersburg, Ft. Worth.",
    "The Abu-Kamal road, O'Hare Airport, Port-au-Prince and Texas-based Fargo-Moorhead firms.",
    "Raqqa’s council met in Al Anbar ' Ramadi and Husseiniyat Al-Husayniyah – Tall Afar.",
    "Ḥamāh and Ḥimṣ, حلب and الرقة, Zürich Ost, A'' B and al-Anbar",
]


@pytest.mark.parametrize("text", TEXTS)
def test_ngram_keys_equal_fold_of_the_ngram(text):
    toks = _tokens(text)
    keys = _NgramKeys(text, toks)
    n = len(toks.words)
    for i in range(n):
        for j in range(i + 1, min(i + 6, n) + 1):
            assert keys.key(i, j) == fold(text[toks.starts[i] : toks.ends[j - 1]])


def test_ngram_keys_built_one_from_another_equal_fold_in_any_order():
    """Keys made by adding a token to the last n-gram's key (letters doubled where two words
    meet, digits that must stay doubled, articles, hyphens and odd gaps) equal ``fold``, asked
    for in order and out of it."""
    rng = random.Random(7)
    pieces = ["Tall", "Lahm", "Al", "al", "Bu", "Kamal", "Sa", "Aa", "a", "11", "1", "Deir", "ez-Zor", "Ez",
              "Ras", "Salaheddin", "El", "Abu", "Umm", "Zz", "Tell", "L", "Ash", "Hamah", "iyah", "X1"]
    gaps = [" ", " ", " ", "-", " - ", ", ", "  "]
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(gaps) for _ in range(rng.randint(1, 9))).strip(" ,-")
        toks = _tokens(text)
        n = len(toks.words)
        spans = [(i, j) for i in range(n) for j in range(i + 1, min(i + 6, n) + 1)]
        for order in (spans, rng.sample(spans, len(spans))):
            keys = _NgramKeys(text, toks)
            for i, j in order:
                assert keys.key(i, j) == fold(text[toks.starts[i] : toks.ends[j - 1]]), (text, i, j)


@pytest.mark.parametrize(
    "name", ["al bu kamal", "deir ez zor", "tell abyad al", "salaheddine", "abu umm", "el", "ash shaddadah 2", ""]
)
def test_fold_words_is_fold_plain_of_the_joined_words(name):
    assert fold_words(name.split()) == fold_plain(name)


def test_tokens_mark_the_same_words_capitalised():
    text = "in al-Anbar, Iraq's don't x1 Texas-based élan Élan ’s"
    toks = _tokens(text)
    assert [toks.words[k] for k in toks.caps] == ["al-Anbar", "Iraq", "Texas", "Élan"]


#: The token pattern as first written: a letter, then any run of word characters, apostrophes
#: and hyphens that ends in a letter or digit.
_PLAIN_TOKEN_RE = re.compile(r"([^\W\d_](?:[\w'’‘`ʿ\-]*[^\W_])?)")


@pytest.mark.parametrize(
    "text",
    TEXTS + ["foo_ bar__baz a-'-b x--  y'' O'Neil's 3rd 4x4 _a_ éa-ʿb ʿAli -a- a-", "", "123 __ --"],
)
def test_token_pattern_splits_like_its_plain_definition(text):
    assert _TOKEN_SPLIT_RE.split(text) == _PLAIN_TOKEN_RE.split(text)


@pytest.mark.parametrize(
    "name", ["Baghdad", "al-Anbar  Province", "Ma'arrat al-Nu`man", " x ", "", "A--B__c 9!", "ÀB ﬁx Ḥamāh", "Zürich-Ost"]
)
def test_plain_equals_its_definition(name):
    text = unicodedata.normalize("NFKC", name[:MAX_NAME_CHARS]).translate(_MARKS)
    assert plain(name) == re.sub(r"[^a-z0-9]+", " ", unidecode(text).lower()).strip()


@pytest.mark.parametrize("name", ["Tell Abyad", "Salaheddine", "Mississippi", "Aaa bbb", "Deir ez-Zor"])
def test_fold_collapses_doubled_letters_like_a_template(name):
    assert fold(name) == re.sub(r"([a-z])\1+", r"\1", "".join(fold_tokens(name)))


def test_name_lookups_survive_emptying_the_remembered_names(monkeypatch):
    from gazetteer.index import get_index
    from gazetteer.recognise import Lookups

    monkeypatch.setattr("gazetteer.recognise.CACHE_NAMES", 3)
    lookups = Lookups(get_index())
    assert lookups.found(["Ramadi", "Fallujah", "Anbar", "Qqqxzv"]) == [True, True, True, False]
    # Over the limit: the remembered names are emptied, and names seen before are looked up again.
    assert lookups.found(["Mosul", "Ramadi", "Qqqxzv"]) == [True, True, False]
    assert lookups.found(["Ramadi", "Kirkuk"]) == [True, True]


#: Characters that make words hard to tell: joiners, "ʿ" (a letter and a joiner), digits of
#: several kinds, letters beyond ASCII and beyond the Basic Multilingual Plane, Arabic, a lone
#: surrogate, white space and punctuation.
_HARD_ALPHABET = "ab Z9_'’‘`ʿ-é½²ب .,\n😀𝒜x-ⅫҪ'sA-Bc٣\ud800\t"


def _random_texts(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_HARD_ALPHABET) for _ in range(rnd.randint(0, 40))) for _ in range(count)]


def test_array_tokens_are_the_words_of_the_token_pattern():
    for text in TEXTS + ["", "123 __ --", "x", "ʿ-a", "a-ʿ"] + _random_texts(3000, seed=11):
        starts, ends, special, words = _token_bounds(text)
        parts = _TOKEN_SPLIT_RE.split(text)
        offsets = list(accumulate(map(len, parts)))
        assert (starts.tolist(), ends.tolist(), words) == (offsets[0:-1:2], offsets[1::2], parts[1::2]), text
        assert special.tolist() == [not ("a" <= w[0] <= "z" and w.isalpha()) for w in words], text


def test_texts_tokenised_together_are_tokenised_as_alone():
    texts = TEXTS + ["", "Mosul-", "-Anbar"] + _random_texts(300, seed=12)
    together = _tokens_many(texts)
    for text, toks in zip(texts, together):
        alone = _tokens(text)
        assert (toks.starts, toks.ends, toks.words, toks.capital, toks.caps) == (
            alone.starts, alone.ends, alone.words, alone.capital, alone.caps
        )
        assert all(text[s:e] == w for s, e, w in zip(toks.starts, toks.ends, toks.words))


def test_sentence_start_answered_early_as_by_its_pattern():
    rnd = random.Random(14)
    alphabet = "ab Z9.!?\"'”’)\n\t,ب²"
    for _ in range(500):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        for start in range(len(text) + 1):
            expected = bool(_SENTENCE_END_RE.search(text[max(0, start - 4) : start]))
            assert _sentence_starts_at(text, start) == expected, (text, start)


@pytest.mark.parametrize("token", ["Ramadi", "ANBAR", "deir", "Ma'arrat", "x1", "Abu-Kamal", "Tall_Afar", "McCain", "a"])
def test_token_words_of_a_plain_word_are_its_plain_words(token):
    assert _token_words(token) == tuple(plain(token).split())
