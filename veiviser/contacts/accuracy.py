"""Measure how well the resolver finds every municipality, and that it does not guess.

For every name of every municipality (Norwegian and Sami forms) it tries the
name as written, in lower case, in ASCII ("tromso", "baerum", "alesund",
"aalesund"), inside a question, and every one-letter typo (deletion, swap of
neighbours, substitution by a neighbouring key) of names of five letters or
more. "Right" means the answer names the right municipality, or, for a shared
name (Herøy, Våler), asks between candidates that include it. "Asked" counts
typos that lie as close to two names ("Kristiansnd") where the resolver asks
between candidates that include the right one: not wrong, but not resolved.
It also checks that places that are not municipalities never get a district,
and that no ordinary word is read as a place: every Norsk Ordbank word form
that is not a place name, as written and with "aa" for å, in "jeg jobber i …".

    .venv/bin/python -m veiviser.contacts.accuracy
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterator

from veiviser.contacts.blocklist import bokmal_words
from veiviser.contacts.model import ContactDirectory, Municipality
from veiviser.contacts.normalize import fold
from veiviser.contacts.resolver import Ambiguous, Found, PlaceResolver

# Places users may name that are not municipalities (regions, city districts,
# foreign cities, fiction). None of them may resolve to a municipality.
NOT_MUNICIPALITIES = (
    "Mordor", "Majorstuen", "Svalbard", "Longyearbyen", "Grünerløkka", "Sandvika", "Frogner", "Lofoten",
    "Vesterålen", "Hardanger", "Valdres", "Gudbrandsdalen", "Romerike", "Sunnmøre", "Helgeland", "Hallingdal",
    "Jæren", "Toten", "København", "Stockholm", "Göteborg", "London", "Europa", "Narnia", "Hogwarts", "Atlantis",
)
_KEYBOARD = "qwertyuiopåasdfghjkløæzxcvbnm"


def ascii_forms(name: str) -> set[str]:
    """How a name is typed without Norwegian letters: æ→ae, ø→o, å→a or aa, accents dropped."""
    plain = name.replace("æ", "ae").replace("Æ", "Ae").replace("ø", "o").replace("Ø", "O")
    forms = set()
    for aa in ("a", "aa"):
        text = plain.replace("å", aa).replace("Å", aa.capitalize())
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        forms |= {text, text.lower()}
    return forms - {name}


def one_letter_typos(name: str) -> set[str]:
    """Deletions, neighbour swaps and keyboard-neighbour substitutions of a name."""
    word = name.lower()
    typos = set()
    for i in range(len(word)):
        if word[i].isalpha():
            typos.add(word[:i] + word[i + 1 :])
            row = _KEYBOARD.find(word[i])
            if row >= 0:
                neighbour = _KEYBOARD[row + 1] if row + 1 < len(_KEYBOARD) else _KEYBOARD[row - 1]
                typos.add(word[:i] + neighbour + word[i + 1 :])
        if i + 1 < len(word) and word[i] != word[i + 1]:
            typos.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    return typos - {word}


def variants(municipality: Municipality) -> Iterator[tuple[str, str]]:
    """(kind, text) pairs for one municipality."""
    for name in dict.fromkeys([municipality.base_name, municipality.name_norwegian.split(" (")[0]]):
        yield "exact", name
        yield "lower", name.lower()
        for form in sorted(ascii_forms(name)):
            yield "ascii", form
        yield "sentence", f"Hvem kontakter jeg i {name}?"
        yield "sentence", f"kven kontaktar eg i {name.lower()} kommune"
        if len(name.replace(" ", "").replace("-", "")) >= 5:
            for typo in sorted(one_letter_typos(name)):
                yield "typo", typo


@dataclass
class Report:
    tried: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    asked: Counter = field(default_factory=Counter)
    wrong_district: Counter = field(default_factory=Counter)
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unknown_resolved: list[str] = field(default_factory=list)

    def rate(self, kind: str) -> float:
        return self.right[kind] / self.tried[kind] if self.tried[kind] else 1.0


def _is_right(result: object, municipality: Municipality) -> bool:
    if isinstance(result, Found):
        return result.municipality is municipality
    if isinstance(result, Ambiguous):
        return result.same_name and municipality in result.candidates
    return False


def evaluate(directory: ContactDirectory, resolver: PlaceResolver) -> Report:
    report = Report()
    for municipality in directory.municipalities:
        for kind, text in variants(municipality):
            # A bare typo is read as the answer to "which municipality?"
            result = resolver.resolve(text, answering=kind == "typo")
            report.tried[kind] += 1
            if _is_right(result, municipality):
                report.right[kind] += 1
                continue
            if isinstance(result, Ambiguous) and municipality in result.candidates:
                report.asked[kind] += 1
            report.failures[kind].append(f"{text!r} ({municipality.name}) -> {_describe(result)}")
            if isinstance(result, Found) and result.municipality.police_district != municipality.police_district:
                report.wrong_district[kind] += 1
    for place in NOT_MUNICIPALITIES:
        for text in (place, f"hvem kontakter jeg i {place}?"):
            result = resolver.resolve(text)
            if isinstance(result, (Found, Ambiguous)):
                report.unknown_resolved.append(f"{text!r} -> {_describe(result)}")
    return report


def ordinary_words_read_as_places(resolver: PlaceResolver, every: int = 1) -> tuple[int, list[str]]:
    """How many ordinary word forms were tried, and those that resolved to a place.

    every: try every n-th form in alphabetical order (the tests take a sample).
    """
    keys = resolver.index_keys
    forms = {word.lower() for word in bokmal_words() if word.isalpha() and fold(word) not in keys}
    forms |= {form.replace("å", "aa") for form in forms if "å" in form}
    resolved = []
    sample = sorted(forms)[::every]
    for form in sample:
        result = resolver.resolve(f"jeg jobber i {form}")
        if isinstance(result, (Found, Ambiguous)):
            resolved.append(f"{form!r} -> {_describe(result)}")
    return len(sample), resolved


def _describe(result: object) -> str:
    if isinstance(result, Found):
        return f"{result.municipality.name} ({result.method})"
    if isinstance(result, Ambiguous):
        return "ask: " + ", ".join(m.name for m in result.candidates)
    return "not found"


def main() -> None:
    from veiviser.contacts import get_directory, get_resolver

    report = evaluate(get_directory(), get_resolver())
    print(f"{'kind':10} {'tried':>6} {'right':>6} {'rate':>8} {'asked':>6} {'wrong district':>15}")
    for kind in report.tried:
        print(
            f"{kind:10} {report.tried[kind]:6} {report.right[kind]:6} {report.rate(kind):8.2%}"
            f" {report.asked[kind]:6} {report.wrong_district[kind]:15}"
        )
    print(f"places that are not municipalities: {2 * len(NOT_MUNICIPALITIES)} tried, "
          f"{len(report.unknown_resolved)} resolved (must be 0)")
    for line in report.unknown_resolved:
        print("  ", line)
    tried, resolved = ordinary_words_read_as_places(get_resolver())
    print(f"ordinary word forms (Norsk Ordbank, also with aa for å): {tried} tried, "
          f"{len(resolved)} read as a place (must be 0)")
    for line in resolved[:40]:
        print("  ", line)
    for kind, lines in report.failures.items():
        print(f"\n{kind} failures ({len(lines)}):")
        for line in lines[:40]:
            print("  ", line)


if __name__ == "__main__":
    main()
