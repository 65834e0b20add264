"""Name normalisation that folds the ways Arabic place names are written in English news.

Two keys are derived from a name:

``fold(name)``
    Latin-script names: diacritics, ʿayn/hamza marks, apostrophes and hyphens removed; the
    Arabic article (al-, el-, ar-, as-, an-, at-, ad-, az-, ash-, ...) dropped; "Albu"/"Al Bu"
    become "abu", "Tall"/"Tell" become "tal"; ou→u, ei/ai→ay, ee→i, oo→u; -ah/-eh → -a/-e;
    -iyah/-iyat/-iyya → -iya; doubled letters collapsed; spaces removed. Arabic-script names:
    tashkeel and tatweel removed, alef/hamza/ya/ta-marbuta forms unified, the article ال dropped.
    "Husayniyat", "Husseiniyat" and "Al-Husayniyah" all fold to ``husayniya``.
``skeleton(key)``
    The consonant skeleton of a folded Latin key (vowels, w and y dropped, q→k), which meets
    spellings that differ only in vowels: "Dayr az Zawr", "Deir ez-Zor" and "Deir al-Zour" all
    give ``drzr``. Lossy, so it is a weaker match than ``fold``.
``vowel_key(key)``
    Between the two: the consonants of a folded Latin key with each vowel sound read as one of
    Arabic's three vowel classes, A, I and U, the diphthongs first (aw/au/ow/o/u → U, ay/ai/ey/
    i/y → I), and e left open (E: English news writes Arabic a and i both as e). "Jobar" and
    "Jawbar" give ``jUbAr``, "Deir" and "Dayr" ``dIr``, "Ter Mala" ``tErmAlA`` and "Teir
    Maaleh" ``tIrmAlE``; "Jabar" (``jAbAr``) and "Jubayr" (``jUbIr``) stay apart.
    :func:`vowel_keys_match` compares two keys (E meets A or I). Two keys that match share a
    skeleton, so the index finds them among its skeleton's keys (no array of their own).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from operator import methodcaller
from typing import Sequence

from unidecode import unidecode

#: Longest name (characters) the index keeps; longer inputs are truncated for matching.
MAX_NAME_CHARS = 120

#: Arabic articles as written in Latin transliteration (after hyphens became spaces).
ARTICLES = frozenset(
    "al el ar as an at ad az ash adh ath aj ak ed es ez er en et ul ud us ur un ut uz il".split()
)

_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_TASHKEEL_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_MARKS = dict.fromkeys(map(ord, "ʿʾʻʼʽˀˁ'’‘`´ʹ′"), None)
_ALNUM_RUN_RE = re.compile(r"[a-z0-9]+")
_DOUBLE_RE = re.compile(r"([a-z])\1+")
#: The replacement of a doubled letter: a callable, because Python 3.11 parses a template
#: string such as ``r"\1"`` again on every call (most of the cost of a short name).
_FIRST_LETTER = methodcaller("group", 1)
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه", "ک": "ك", "ی": "ي"}
)
_DIGRAPHS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "ay"), ("ai", "ay"), ("ey", "ay"))
_SKELETON_DROP = str.maketrans({c: None for c in "aeiouwy"})
#: Each vowel letter's class; w and y read as vowels too ("aw" is the diphthong U, "iya" is I A).
_VOWEL_CLASSES = str.maketrans({"a": "A", "e": "E", "i": "I", "o": "U", "u": "U", "w": "U", "y": "I", "q": "k"})
_REPEATED_CLASS_RE = re.compile(r"([AEIU])\1+")
#: Diphthongs read as the long vowel English spellings give them: "Jawbar" is "Jobar", "Dayr" "Der".
_DIPHTHONGS = (("AU", "U"), ("EU", "U"), ("AI", "I"), ("EI", "I"))


def has_arabic(text: str) -> bool:
    """True when ``text`` contains Arabic-script letters."""
    return not text.isascii() and bool(_ARABIC_RE.search(text))


def plain(name: str) -> str:
    """Lower-case ASCII form with punctuation as single spaces: the "as written" form.

    Two names with the same ``plain`` form are the same spelling (``exact`` match).
    """
    if name.isascii():
        # NFKC and unidecode leave ASCII text as it is; its only marks are ' and `.
        text = name[:MAX_NAME_CHARS]
        if "'" in text or "`" in text:
            text = text.translate(_MARKS)
        return " ".join(_ALNUM_RUN_RE.findall(text.lower()))
    if has_arabic(name):
        return " ".join(_TASHKEEL_RE.sub("", name).split())
    text = unicodedata.normalize("NFKC", name[:MAX_NAME_CHARS]).translate(_MARKS)
    return " ".join(_ALNUM_RUN_RE.findall(unidecode(text).lower()))


_DIN_COMPOUND_RE = re.compile(r"^([a-z]{3,}?)(?:u|e|a)ddin$")


def _fold_token(token: str) -> str:
    for old, new in _DIGRAPHS:
        token = token.replace(old, new)
    if len(token) > 4:
        for ending in ("iyyah", "iyyat", "iyah", "iyat", "iyya"):
            if token.endswith(ending):
                token = token[: -len(ending)] + "iya"
                break
        else:
            if token.endswith(("ah", "eh")):
                token = token[:-1]
    return token


@lru_cache(maxsize=1 << 16)
def fold_tokens(name: str) -> tuple[str, ...]:
    """Folded tokens of a name (see module docstring); empty for a name with no letters."""
    if has_arabic(name):
        return _fold_arabic_tokens(name)
    return fold_plain_tokens(plain(name))


def _fold_arabic_tokens(name: str) -> tuple[str, ...]:
    text = _TASHKEEL_RE.sub("", name).translate(_ARABIC_FOLD)
    tokens = []
    for token in re.split(r"[\s\-_.,'’]+", text):
        if token.startswith("ال") and len(token) > 3:
            token = token[2:]
        if token:
            tokens.append(token)
    return tuple(tokens)


def fold_plain_tokens(plain_name: str) -> tuple[str, ...]:
    """Folded tokens of a name already in :func:`plain` form (Latin script)."""
    return _fold_words(plain_name.split())


def fold_words(words: Sequence[str]) -> str:
    """:func:`fold_plain` of the Latin-script :func:`plain` name ``" ".join(words)``, from its
    words (each lower-case letters and digits, as :func:`plain` gives them)."""
    folded = _fold_words(words)
    # Each folded word has its doubled letters collapsed already: only a join can double one.
    if all(a[-1] != b[0] for a, b in zip(folded, folded[1:])):
        return "".join(folded)
    return _DOUBLE_RE.sub(_FIRST_LETTER, "".join(folded))


def _fold_words(tokens: Sequence[str]) -> tuple[str, ...]:
    if len(tokens) == 1:
        return _fold_word(tokens[0])  # most names: no article to drop, no "al bu" to join
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        last = i + 1 == n
        if token in ("al", "el") and not last and tokens[i + 1] in ("bu", "bou"):
            out.append("abu")
            i += 2
            continue
        i += 1
        if token in ARTICLES and not last:
            continue
        out.extend(_fold_word(token))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _fold_word(token: str) -> tuple[str, ...]:
    """The folded form of one plain word (one or two tokens: "salahuddin" gives salah, din)."""
    if token in ("albu", "albou", "ilbu"):
        token = "abu"
    elif token.startswith("albu") and len(token) > 6:
        token = "abu" + token[4:]
    elif token in ("tall", "tell", "tel"):
        token = "tal"
    compound = _DIN_COMPOUND_RE.match(token)
    # "Salahuddin", "Salaheddin" are "Salah ad-Din" written as one word.
    words = (_fold_token(compound.group(1)), "din") if compound else (_fold_token(token),)
    # (searched first: a search that finds nothing costs less than a substitution)
    return tuple(_DOUBLE_RE.sub(_FIRST_LETTER, w) if _DOUBLE_RE.search(w) else w for w in words if w)


def fold_plain(plain_name: str) -> str:
    """:func:`fold` for a name already in :func:`plain` form."""
    if has_arabic(plain_name):
        return "".join(_fold_arabic_tokens(plain_name))
    return _DOUBLE_RE.sub(_FIRST_LETTER, "".join(fold_plain_tokens(plain_name)))


def fold(name: str) -> str:
    """The folded matching key of a name ('' when nothing is left)."""
    return _DOUBLE_RE.sub(_FIRST_LETTER, "".join(fold_tokens(name)))


def skeleton(key: str) -> str:
    """Consonant skeleton of a folded key; '' for Arabic-script keys or under 3 consonants."""
    if not key or not key.isascii():
        return ""
    skel = _DOUBLE_RE.sub(_FIRST_LETTER, key.replace("q", "k").translate(_SKELETON_DROP))
    return skel if len(skel) >= 3 else ""


@lru_cache(maxsize=1 << 16)
def vowel_key(key: str) -> str:
    """The vowel-class key of a folded Latin key (see module docstring); '' for other keys.

    Consonants stay lower case (q becomes k, doubled letters one); each run of vowel letters
    (w and y included) becomes its classes, repeats merged and diphthongs read as one vowel.
    """
    if not key or not key.isascii():
        return ""
    classes = _REPEATED_CLASS_RE.sub(_FIRST_LETTER, key.translate(_VOWEL_CLASSES))
    for pair, vowel in _DIPHTHONGS:
        classes = classes.replace(pair, vowel)
    return _DOUBLE_RE.sub(_FIRST_LETTER, _REPEATED_CLASS_RE.sub(_FIRST_LETTER, classes))


def vowel_keys_match(a: str, b: str) -> bool:
    """Whether two :func:`vowel_key` keys may spell one Arabic name: the same letters and
    classes, an E meeting an A or an I."""
    if len(a) != len(b) or not a:
        return False
    if a == b:
        return True
    return all(x == y or (x == "E" and y in "AI") or (y == "E" and x in "AI") for x, y in zip(a, b))
