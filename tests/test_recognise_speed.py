"""The quicker paths of recognition give what the plain definitions give."""

import pytest

from gazetteer.normalize import fold
from gazetteer.recognise import _NgramKeys, _tokens

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


def test_tokens_mark_the_same_words_capitalised():
    text = "in al-Anbar, Iraq's don't x1 Texas-based élan Élan ’s"
    toks = _tokens(text)
    assert [toks.words[k] for k in toks.caps] == ["al-Anbar", "Iraq", "Texas", "Élan"]
