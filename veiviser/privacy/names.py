"""Detection of person names in Norwegian chat text.

No NER model: Norwegian NER misses many names in lower-case chat text and
is slow. Instead, layered rules over data files in ``data/``:

1. a given name from ``first_names.txt`` (any case) starts a name;
2. a given name that is also an ordinary word (``ambiguous_names.txt``:
   "per", "liv", "mina", "tor") starts a name only after a cue
   ("han heter per"), before a surname, or when capitalised inside a
   sentence, or at a sentence start when a verb follows ("Per sa at");
3. any capitalised word after a cue ("eleven min Ahmed", "jenta Lisa"),
   and any word at all after "heter"/"kalles", starts a name;
4. a name goes on over following surnames and capitalised words
   ("Ahmed Ali", "Anne Berit Hansen").

Precision and recall are measured on ``tests/security/names_testset.txt``
(docs/SECURITY.md).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Tuple

DATA = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_CSV = Path(__file__).resolve().parents[2] / "content" / "contacts" / "municipalities.csv"

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*")
_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,30}\]")
_SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")

# Words after which the next word is a name whatever its case.
_NAMING_CUES = {"heter", "het", "kalles", "kalt", "kaller"}
# Words after which a capitalised word (or a known name) is a name.
_PERSON_CUES = {
    "eleven", "elev", "eleven min", "gutten", "jenta", "jenten", "sønnen", "datteren",
    "sønnen min", "datteren min", "broren", "søsteren", "faren", "moren", "mora", "far",
    "mor", "kollegaen", "kollega", "kollegaen min", "naboen", "vennen", "venninnen",
    "kameraten", "mannen", "kvinnen", "ungdommen", "barnet", "onkelen", "tanten",
    "læreren", "rektor", "klassekameraten", "lærer", "kjæresten", "pasienten", "brukeren",
    "deltakeren", "beboeren", "innsatte", "onkel", "tante", "fetteren", "kusina",
}
# Verbs that follow a subject: "Per sa at", "Liv har begynt".
_SUBJECT_VERBS = {
    "sa", "sier", "har", "hadde", "er", "var", "ble", "blir", "kom", "kommer", "skal",
    "skulle", "vil", "ville", "kan", "kunne", "må", "gikk", "går", "truet", "truer",
    "snakker", "snakket", "skrev", "skriver", "mener", "mente", "virker", "viste",
    "viser", "begynte", "fortalte", "forteller", "delte", "deler", "sendte", "sender",
    "postet", "poster", "ser", "så", "bor", "bodde", "gjør", "gjorde", "slo", "slår",
    "uttalte", "uttaler", "nekter", "nektet", "ønsker", "får", "fikk", "sitter", "satt",
    "trenger",
}
# Words that may stand between a naming cue and the name ("het visst Amir").
_FILLERS = {"visst", "vel", "egentlig", "faktisk", "kanskje", "nok", "bare", "altså"}
# Words before a capitalised ambiguous word that make it a place or a thing
# ("i Stein", "en Storm").
_NOT_BEFORE_NAME = {"i", "på", "en", "ei", "et", "den", "det", "ved"}
# Capitalised words that are never names even after a cue.
_NEVER = {
    "jeg", "du", "han", "hun", "hen", "vi", "dere", "de", "det", "den", "dette", "en",
    "et", "ei", "som", "og", "eller", "men", "i", "på", "til", "fra", "med", "om", "er",
    "har", "var", "ikke", "min", "mitt", "mine", "din", "hans", "hennes", "sin", "sitt",
    "vår", "deres", "seg", "meg", "deg", "oss", "nav", "pst", "rvts", "politiet", "skolen",
    "barnevernet", "kommunen", "ja", "nei", "hei", "takk", "norge", "norsk", "islam",
    "koranen", "bibelen", "gud", "allah", "jesus", "muhammed", "profeten", "hamas",
    "isil", "is", "al-shabaab", "taliban", "nazi", "nazistene", "sa", "hva", "hvem",
    "hvor", "når", "hvordan", "hvorfor", "kanskje", "nå", "også", "bare", "veldig",
    "litt", "mye", "alle", "ingen", "noen", "mandag", "tirsdag", "onsdag", "torsdag",
    "fredag", "lørdag", "søndag", "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
}


def _read_list(name: str) -> FrozenSet[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _lexicon() -> Tuple[FrozenSet[str], FrozenSet[str], FrozenSet[str], FrozenSet[str]]:
    places = set()
    if MUNICIPALITIES_CSV.is_file():
        with MUNICIPALITIES_CSV.open(encoding="utf-8") as handle:
            rows = csv.DictReader(line for line in handle if not line.startswith("#"))
            for row in rows:
                for key in ("name", "name_norwegian"):
                    value = (row.get(key) or "").split("(")[0].strip().lower()
                    if value:
                        places.add(value)
    return (_read_list("first_names.txt"), _read_list("ambiguous_names.txt"),
            _read_list("surnames.txt"), frozenset(places))


def first_names() -> FrozenSet[str]:
    return _lexicon()[0]


def municipality_names() -> FrozenSet[str]:
    return _lexicon()[3]


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().rstrip("'’-")

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()


def _tokens(text: str) -> List[_Token]:
    # Placeholders ("[navn]") are masked with a non-word character of the
    # same length: positions stay, and nothing is adjacent across them.
    masked = _PLACEHOLDER.sub(lambda m: "#" * len(m.group()), text)
    return [_Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(masked)]


def _sentence_start(text: str, tokens: List[_Token], i: int) -> bool:
    if i == 0:
        return not text[: tokens[0].start].strip() or bool(_SENTENCE_END.search(text[: tokens[0].start]))
    # Only the characters since the previous word matter (linear in the text).
    return re.search(r"[.!?:;\n]", text[tokens[i - 1].end: tokens[i].start]) is not None


def _adjacent(text: str, a: _Token, b: _Token) -> bool:
    """b follows a with only spaces (or a hyphen) between them."""
    return re.fullmatch(r"[ \t]+", text[a.end: b.start]) is not None


def find_names(text: str) -> List[Tuple[int, int]]:
    """Character spans of the person names found in ``text``."""
    first, ambiguous, surnames, places = _lexicon()
    tokens = _tokens(text)
    spans: List[Tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        low = token.lower
        prev = tokens[i - 1].lower if i > 0 and _adjacent(text, tokens[i - 1], token) else None
        prev2 = (f"{tokens[i - 2].lower} {prev}" if prev and i > 1
                 and _adjacent(text, tokens[i - 2], tokens[i - 1]) else None)
        nxt = tokens[i + 1] if i + 1 < len(tokens) and _adjacent(text, token, tokens[i + 1]) else None
        initial = _sentence_start(text, tokens, i)
        if low in _FILLERS and prev in _NAMING_CUES:
            i += 1
            continue
        naming_cue = prev in _NAMING_CUES or (
            prev in _FILLERS and prev2 is not None and prev2.split()[0] in _NAMING_CUES)
        person_cue = prev in _PERSON_CUES or prev2 in _PERSON_CUES
        before_surname = nxt is not None and (
            (nxt.lower in surnames and (nxt.capital or not token.capital))
            or (nxt.capital and token.capital and nxt.lower in first))

        is_name = False
        if low in _NEVER:
            is_name = False
        elif naming_cue:
            is_name = True
        elif low in first and low not in places:
            is_name = True
        elif low in first or low in ambiguous:
            if before_surname and (token.capital or nxt.capital or low in first):
                is_name = True
            elif token.capital and low not in places:
                # Inside a sentence a capital marks a name; at its start
                # only when a verb follows ("Per sa", not "Mina venner").
                if not initial:
                    is_name = prev not in _NOT_BEFORE_NAME
                else:
                    is_name = nxt is not None and nxt.lower in _SUBJECT_VERBS
            elif person_cue:
                is_name = True
        elif token.capital and person_cue and not initial:
            is_name = low not in places
        if not is_name:
            i += 1
            continue

        end = token.end
        j = i + 1
        while j < len(tokens) and j - i <= 3 and _adjacent(text, tokens[j - 1], tokens[j]):
            nxt_low = tokens[j].lower
            if nxt_low in _NEVER:
                break
            if nxt_low in surnames or (tokens[j].capital and token.capital and nxt_low not in places
                                       and (nxt_low in first or nxt_low in ambiguous
                                            or not _common_word(nxt_low))):
                end = tokens[j].end
                j += 1
                continue
            break
        spans.append((token.start, end))
        i = j
    return spans


def _common_word(low: str) -> bool:
    """Capitalised words that continue a sentence rather than a name."""
    return low in _SUBJECT_VERBS or low in _NEVER
