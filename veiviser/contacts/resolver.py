"""Find the municipality a user means in a message.

The resolver reads a message two ways:

1. As a short answer: once words such as "og", "i", "jeg jobber i", "kven
   kontaktar eg i" and "kommune" are stripped from both ends, at most four
   words remain ("og i Skien?", "Herøy i Nordland", "kristiansnad"). These are
   matched as a whole: exactly, by a former name, or with a typo.
2. Word by word, for longer sentences ("Jeg er lærer i Bergen og lurer på ...").
   Names that are also ordinary words or first names ("Vik", "Haram", "Frøya",
   "Time") count only in a place context: after a place preposition or before
   "kommune". Typos are corrected only in that context, and never into a word
   of the Bokmål word list ("vold" is not "Volda").

Index building is done once per directory; resolving a message takes well
under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Optional, Sequence, Union

from veiviser.contacts.fuzzy import DeletionIndex, typo_cost
from veiviser.contacts.model import ContactDirectory, County, FormerMunicipality, Municipality, NotAMunicipality
from veiviser.contacts.normalize import Token, fold, name_keys, tokenize

MAX_MESSAGE_CHARS = 2000  # longer messages are cut; places are named early
MAX_SHORT_WORDS = 4  # "Herøy i Møre og Romsdal" minus "i"
# Typo corrections whose cost (veiviser.contacts.fuzzy.typo_cost) lies within
# this margin of the best one are offered as choices instead of picked.
TYPO_COST_MARGIN = 0.4
# Folding reads ø as o and å as a, but someone who types æ, ø or å means a name
# that has it ("våle" is Våler, not Valle): a name without a special letter
# the user typed costs this much more per letter.
MISSING_SPECIAL_LETTER = 0.5
_SPECIAL_LETTERS = frozenset("æøå")


def special_letters(text: str, read_aa_as_a_ring: bool = True) -> frozenset[str]:
    """The letters æ, ø and å in a text, counting "aa" as å unless told not to."""
    lowered = text.lower()
    typed_a_ring = read_aa_as_a_ring and "aa" in lowered
    return frozenset(lowered) & _SPECIAL_LETTERS | (frozenset("å") if typed_a_ring else frozenset())


@dataclass(frozen=True)
class Found:
    municipality: Municipality
    method: str  # "exact", "typo", "county" (picked among candidates by county), "former-name"
    former: Optional[FormerMunicipality] = None
    typed: Optional[str] = None  # for a corrected typo: what the user wrote ("Kristiansnad")


@dataclass(frozen=True)
class Ambiguous:
    """Ask before answering: several candidates, or one that needs confirming."""

    query: str
    candidates: tuple[Municipality, ...]

    @property
    def same_name(self) -> bool:
        """True when several candidates share one name (Herøy, Våler)."""
        return len(self.candidates) > 1 and len({m.base_name for m in self.candidates}) == 1


@dataclass(frozen=True)
class NotFound:
    query: Optional[str]  # what the user may have given as a place, if anything
    county: Optional[County] = None  # the message names a county, not a municipality
    place: Optional[NotAMunicipality] = None  # a known place that is not a municipality
    # True when the query is written like a place name (capitalised after "i"/"på"
    # or before "kommune"); False when it is just what is left of a short message.
    name_like: bool = False


Resolution = Union[Found, Ambiguous, NotFound]


@dataclass(frozen=True)
class _Target:
    """What one index key stands for."""

    municipalities: tuple[Municipality, ...] = ()
    former: Optional[FormerMunicipality] = None
    county: Optional[County] = None
    place: Optional[NotAMunicipality] = None


@dataclass(frozen=True)
class _Hit:
    target: _Target
    start: int  # token index
    end: int
    context: bool  # stood after a place preposition or before "kommune"
    method: str


class _Index:
    """Index keys (folded names) to what they stand for; shared names merge."""

    def __init__(self) -> None:
        self.targets: dict[str, _Target] = {}
        self.special_letters: dict[str, frozenset[str]] = {}

    def _keys(self, name: str) -> Iterator[str]:
        """The index keys of a name, noting the æ, ø and å each key stands for."""
        letters = special_letters(name)
        for key in name_keys(name):
            self.special_letters[key] = self.special_letters.get(key, frozenset()) | letters
            yield key

    def add_municipality(self, name: str, municipality: Municipality) -> None:
        for key in self._keys(name):
            current = self.targets.get(key, _Target())
            if municipality not in current.municipalities:
                self.targets[key] = replace(current, municipalities=current.municipalities + (municipality,))

    def add_other(self, name: str, target: _Target) -> None:
        """Add a county, former municipality or non-municipal place."""
        for key in self._keys(name):
            current = self.targets.get(key, _Target())
            self.targets[key] = replace(
                current,
                county=target.county or current.county,
                former=target.former or current.former,
                place=target.place or current.place,
            )


class PlaceResolver:
    """Resolves place names in messages against a ContactDirectory."""

    def __init__(self, directory: ContactDirectory) -> None:
        self._language = directory.language
        index = _Index()
        for municipality in directory.municipalities:
            for name in {municipality.name, municipality.base_name, municipality.name_norwegian}:
                index.add_municipality(name, municipality)
        for county in directory.counties:
            index.add_other(county.name, _Target(county=county))
        for former in directory.former_municipalities:
            index.add_other(former.name, _Target(former=former))
        for place in directory.not_municipalities:
            index.add_other(place.name, _Target(place=place))
        self._targets = index.targets
        self._special_letters = index.special_letters
        self._max_words = max(key.count(" ") + 1 for key in self._targets)
        self._typos = DeletionIndex(self._targets)
        self._function_words = (
            self._language.place_prepositions | self._language.municipality_words | self._language.filler_words
        )

    # -- public API ------------------------------------------------------

    @property
    def index_keys(self) -> frozenset[str]:
        """Every folded name the resolver knows (municipalities, counties, former names, places)."""
        return frozenset(self._targets)

    def resolve(self, text: str, within: Sequence[Municipality] = (), answering: bool = False) -> Resolution:
        """Resolve a message.

        within: candidates the user was just asked to choose between; naming a
            county ("den i Nordland") then picks one of them.
        answering: the message answers "which municipality?". A reply that is an
            ordinary word one typo from a name ("Mold") is then read as that name
            (Molde), or as a choice if several names are as close; in a sentence
            such words are never corrected ("involvert i vold" is not Volda).
        """
        tokens = tokenize(text[:MAX_MESSAGE_CHARS])
        core = self._strip_edges(tokens)
        hits = self._scan(tokens)
        if _is_short(core):
            whole = self._match_whole(tokens, core, answering)
            if whole is not None:
                hits = [whole] + [hit for hit in hits if _is_county_only(hit)]
        return self._decide(hits, tokens, core, within)

    def resolve_message(
        self,
        text: str,
        entity_values: Iterable[str] = (),
        within: Sequence[Municipality] = (),
        answering: bool = False,
    ) -> Resolution:
        """Resolve a user message, using entity values from NLU as a second opinion.

        A button payload (`/inform_municipality{"municipality": "Herøy (Nordland)"}`)
        is read through its entity value only. Entity values that are ordinary
        words ("time", "sola") are ignored when the text itself did not accept them.
        """
        values = [value for value in entity_values if isinstance(value, str) and value.strip()]
        if text.lstrip().startswith("/"):
            text = " ".join(values)
        result = self.resolve(text, within, answering)
        if not isinstance(result, NotFound) or result.county or result.place:
            return result
        context_names = self._language.names_needing_context | self._language.names_needing_strong_context
        for value in values:
            if fold(value) in context_names:
                continue
            from_entity = self.resolve(value, within)
            if isinstance(from_entity, (Found, Ambiguous)):
                return from_entity
        return NotFound(query=values[0], name_like=True) if values else result

    # -- reading the message --------------------------------------------

    def _strip_edges(self, tokens: list[Token]) -> range:
        """Token positions left once function words are stripped from both ends."""
        start, end = 0, len(tokens)
        while start < end and tokens[start].key in self._function_words:
            start += 1
        while end > start and tokens[end - 1].key in self._function_words:
            end -= 1
        return range(start, end)

    def _typo(self, key: str, raw: str, allow_blocked: bool = False) -> Optional[_Target]:
        """The target of the closest name within typo distance, merged if several tie.

        key: the folded span; raw: the span as written (for its ø and å).
        """
        if key in self._function_words:
            return None
        # A typed "aa" is read as å, and also as two letters: "staanger" is
        # Stavanger with its v dropped, not Stange with an r added (nor the
        # ordinary word "stanger"). Each reading that is an ordinary word
        # ("stanger", or "haar" for "hår") is left out unless allowed.
        readings = [(key, special_letters(raw))]
        literal = fold(raw, read_aa_as_a_ring=False)
        if literal != key:
            readings.append((literal, special_letters(raw, read_aa_as_a_ring=False)))
        if not allow_blocked:
            readings = [(typed, letters) for typed, letters in readings if typed not in self._language.blocked_words]
        # Rank by how plausible each typo is; names about as plausible as the
        # best one stay candidates and the user is asked.
        costs: dict[str, float] = {}
        for typed, typed_special in readings:
            for k in self._typos.matches(typed):
                missing = len(typed_special - self._special_letters.get(k, frozenset()))
                cost = typo_cost(typed, k) + MISSING_SPECIAL_LETTER * missing
                costs[k] = min(cost, costs.get(k, cost))
        if not costs:
            return None
        best = min(costs.values())
        # Most plausible first, so the choices are offered in the same order every time.
        close = sorted((cost, k) for k, cost in costs.items() if cost <= best + TYPO_COST_MARGIN)
        targets = [self._targets[k] for _, k in close]
        municipalities = tuple(dict.fromkeys(m for t in targets for m in t.municipalities))
        if municipalities:
            return _Target(municipalities=municipalities)
        return targets[0] if len(targets) == 1 else None

    def _match_whole(self, tokens: list[Token], core: range, answering: bool) -> Optional[_Hit]:
        """Read the stripped message as one place name: exact first, then a typo."""
        words = tokens[core.start : core.stop]
        key = " ".join(token.key for token in words)
        target = self._targets.get(key) or self._targets.get(key.replace(" ", ""))
        if target is not None:
            return _Hit(target, core.start, core.stop, True, "exact")
        # A typo is corrected only in a name ("Nore og Uvdl"), not in a phrase
        # such as "Herøy i Nordland", which is read word by word.
        if any(self._is_place_marker(token) for token in words):
            return None
        target = self._typo(key, _raw_span(tokens, core.start, core.stop), allow_blocked=answering)
        return _Hit(target, core.start, core.stop, True, "typo") if target is not None else None

    def _is_place_marker(self, token: Token) -> bool:
        return token.key in self._language.place_prepositions or token.key in self._language.municipality_words

    def _has_context(self, tokens: list[Token], start: int, end: int) -> bool:
        before = start > 0 and tokens[start - 1].key in self._language.place_prepositions
        return before or self._before_municipality_word(tokens, end)

    def _before_municipality_word(self, tokens: list[Token], end: int) -> bool:
        return end < len(tokens) and tokens[end].key in self._language.municipality_words

    def _accepts(self, key: str, tokens: list[Token], start: int, end: int) -> bool:
        """Apply the context rules for names that are also ordinary words."""
        if key in self._language.names_needing_strong_context:
            first = tokens[start]
            capitalised = first.raw[:1].isupper() and not first.sentence_start
            return capitalised or self._before_municipality_word(tokens, end)
        if key in self._language.names_needing_context:
            return self._has_context(tokens, start, end)
        return True

    def _scan(self, tokens: list[Token]) -> list[_Hit]:
        hits: list[_Hit] = []
        covered: set[int] = set()
        for start in range(len(tokens)):
            if start in covered:
                continue
            for end in range(min(len(tokens), start + self._max_words), start, -1):
                key = " ".join(token.key for token in tokens[start:end])
                target = self._targets.get(key)
                if target is None:
                    continue
                if target.municipalities and not self._accepts(key, tokens, start, end):
                    continue
                hits.append(_Hit(target, start, end, self._has_context(tokens, start, end), "exact"))
                covered.update(range(start, end))
                break
        hits.extend(self._scan_typos(tokens, covered))
        return hits

    def _scan_typos(self, tokens: list[Token], covered: set[int]) -> list[_Hit]:
        """Typo-correct word spans that stand in a place context and matched nothing.

        A span may hold a filler word inside ("Nore og Uvdl") but not at its ends.
        """
        fillers = self._language.filler_words
        hits = []
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + self._max_words) + 1):
                span = tokens[start:end]
                if covered.intersection(range(start, end)) or self._is_place_marker(span[-1]):
                    break
                if span[0].key in fillers or span[-1].key in fillers or not self._has_context(tokens, start, end):
                    continue
                key = " ".join(token.key for token in span)
                if key in self._targets:  # a name held back by its context rule ("i sola") is no typo
                    continue
                target = self._typo(key, _raw_span(tokens, start, end))
                if target is not None:
                    hits.append(_Hit(target, start, end, True, "typo"))
                    covered.update(range(start, end))
                    break
        return hits

    # -- deciding ---------------------------------------------------------

    def _decide(
        self, hits: list[_Hit], tokens: list[Token], core: range, within: Sequence[Municipality]
    ) -> Resolution:
        counties = [hit.target.county for hit in hits if _is_county_only(hit)]
        places = [hit for hit in hits if _found_in(hit)]
        if any(hit.context for hit in places):
            places = [hit for hit in places if hit.context]

        candidates = list(dict.fromkeys(m for hit in places for m in _found_in(hit)))
        if len(candidates) > 1 and counties:
            candidates = [m for m in candidates if m.county in counties] or candidates
        if len(candidates) == 1:
            municipality = candidates[0]
            hit = next(hit for hit in places if municipality in _found_in(hit))
            if hit.method == "typo":
                return Found(municipality, "typo", typed=_raw_span(tokens, hit.start, hit.end))
            if hit.target.former is not None and not hit.target.municipalities:
                return Found(municipality, "former-name", hit.target.former)
            return Found(municipality, "county" if len(_found_in(hit)) > 1 else hit.method)
        if candidates:
            start, end = min(hit.start for hit in places), max(hit.end for hit in places)
            return Ambiguous(_raw_span(tokens, start, end), tuple(candidates))

        if counties and within:
            chosen = [m for m in within if m.county in counties]
            if len(chosen) == 1:
                return Found(chosen[0], "county")
        place = next((hit.target.place for hit in hits if hit.target.place), None)
        if place is not None:
            return NotFound(query=place.name, place=place)
        if counties:
            return NotFound(query=counties[0].name, county=counties[0], name_like=True)
        return self._not_found(tokens, core)

    def _not_found(self, tokens: list[Token], core: range) -> NotFound:
        """Say what the user seems to offer as a place, for "Jeg fant ikke «…»"."""
        # Capitalised words after a place preposition or before "kommune".
        for start in range(len(tokens)):
            end = start
            while end < len(tokens) and end - start < MAX_SHORT_WORDS and tokens[end].raw[:1].isupper():
                if tokens[end].sentence_start and end == start:
                    break
                end += 1
            if end > start and self._has_context(tokens, start, end):
                return NotFound(query=_raw_span(tokens, start, end), name_like=True)
        # Otherwise what is left of a short message ("mordor", "og i narnia?").
        if _is_short(core):
            return NotFound(query=_raw_span(tokens, core.start, core.stop))
        return NotFound(query=None)


def _is_short(core: range) -> bool:
    return 0 < len(core) <= MAX_SHORT_WORDS


def _is_county_only(hit: _Hit) -> bool:
    return hit.target.county is not None and not hit.target.municipalities


def _found_in(hit: _Hit) -> tuple[Municipality, ...]:
    """The municipalities a hit points to (a former name points to today's)."""
    if hit.target.municipalities:
        return hit.target.municipalities
    return (hit.target.former.municipality,) if hit.target.former else ()


def _raw_span(tokens: list[Token], start: int, end: int) -> str:
    return " ".join(token.raw for token in tokens[start:end])
