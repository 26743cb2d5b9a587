"""Typed model of the contact data in content/contacts/ (see its README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping, Optional


class Confidence(str, Enum):
    """How well a fact is sourced (the labels of ../shared/knowledge/)."""

    VERIFIED = "V"  # seen at the authority's or a primary source's URL
    SECONDARY = "V2"  # verified only from a secondary source, or derived from such
    RECALLED = "R"  # recalled, unverified: never shown as fact
    MISSING = "MISSING"  # searched for and not found


class DistrictBasis(str, Enum):
    """Why a municipality is placed in its police district."""

    COUNTY = "county"  # derived from the county rule, not sourced per municipality
    EXCEPTION = "exception"  # a sourced exception to the county rule
    EXCEPTION_2016 = "exception-2016"  # sourced in 2016, not confirmed since
    UNRESOLVED = "unresolved"  # no source found; the answer says so


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: Optional[str]
    confidence: Confidence


@dataclass(frozen=True)
class PoliceDistrict:
    id: str
    name: str
    coverage: str
    headquarters: str
    headquarters_confidence: Confidence
    confidence: Confidence
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class RvtsCentre:
    id: str
    name: str
    website: Optional[str]
    note: Optional[str]
    confidence: Confidence
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class County:
    number: str
    name: str
    municipality_count: int
    rvts: RvtsCentre
    rvts_alternatives: tuple[RvtsCentre, ...]
    rvts_confidence: Confidence
    rvts_note: Optional[str]
    rvts_sources: tuple[Source, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Municipality:
    number: str
    name: str  # the source's name: unique, used as the slot value
    name_norwegian: str
    county: County
    police_district: Optional[PoliceDistrict]  # None only when unresolved
    police_district_alternatives: tuple[PoliceDistrict, ...]
    police_district_basis: DistrictBasis
    confidence: Confidence  # of the police-district mapping
    sources: tuple[Source, ...]  # of the municipality itself (number, names, county)
    police_district_sources: tuple[Source, ...]

    @property
    def base_name(self) -> str:
        """The name without the source's county qualifier: "Herøy (Nordland)" → "Herøy"."""
        return self.name.split(" (", 1)[0]

    @property
    def display_name(self) -> str:
        """Norwegian name first, the Sami name in brackets where there is one."""
        norwegian = self.name_norwegian.split(" (", 1)[0]
        if norwegian != self.base_name:
            return f"{norwegian} ({self.base_name})"
        return self.base_name

    @property
    def rvts(self) -> RvtsCentre:
        return self.county.rvts


@dataclass(frozen=True)
class NationalContact:
    id: str
    name: str
    phone: Optional[str]
    phone_confidence: Optional[Confidence]
    url: Optional[str]
    sources: tuple[Source, ...]

    @property
    def shown_phone(self) -> Optional[str]:
        """The phone number, only if it is verified from the source."""
        return self.phone if self.phone_confidence is Confidence.VERIFIED else None


@dataclass(frozen=True)
class RoleLine:
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class FormerMunicipality:
    name: str
    municipality: Municipality
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class NotAMunicipality:
    name: str
    note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class LanguageLists:
    """Folded word lists for the resolver (content/contacts/language.yaml)."""

    place_prepositions: frozenset[str]
    municipality_words: frozenset[str]
    filler_words: frozenset[str]
    names_needing_context: frozenset[str]
    names_needing_strong_context: frozenset[str]
    blocked_words: frozenset[str]  # never typo-corrected into a name


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Texts:
    """User-facing texts (content/contacts/texts.yaml), placeholders checked at load."""

    answer: Mapping[str, str]
    answer_sources: Mapping[str, tuple[Source, ...]]  # "police" -> sources of that line
    ask: Mapping[str, str]
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class ContactDirectory:
    """Everything the contacts capability knows, validated at load time."""

    sources: Mapping[str, Source]
    counties: tuple[County, ...]
    police_districts: tuple[PoliceDistrict, ...]
    rvts_centres: tuple[RvtsCentre, ...]
    municipalities: tuple[Municipality, ...]
    national_contacts: Mapping[str, NationalContact]
    roles: Mapping[str, tuple[RoleLine, ...]]
    former_municipalities: tuple[FormerMunicipality, ...]
    not_municipalities: tuple[NotAMunicipality, ...]
    language: LanguageLists
    texts: Texts
    _by_name: dict[str, Municipality] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {m.name: m for m in self.municipalities})

    def municipality(self, name: str) -> Optional[Municipality]:
        """The municipality whose source name (the slot value) is exactly `name`."""
        return self._by_name.get(name)

    def national(self, contact_id: str) -> NationalContact:
        return self.national_contacts[contact_id]
