"""Compose the contact answer and the "which municipality?" questions.

Texts come from content/contacts/texts.yaml and roles.yaml; facts from the
records. Where a mapping is not verified (a 2016 source, an unresolved
district, RVTS coverage derived from secondary sources) the answer says so
and still gives the route that works regardless: 02800 reaches the police
where the user is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterable, Optional, Union

from veiviser.contacts.model import (
    Confidence,
    ContactDirectory,
    DistrictBasis,
    FormerMunicipality,
    Municipality,
    PoliceDistrict,
    Source,
)
from veiviser.contacts.resolver import Ambiguous, NotFound, Resolution

BUTTON_INTENT = "inform_municipality"
CHILD_WELFARE_ROLE = "barnevern"
SOURCES_PER_LINE = 1
MAX_QUOTED_CHARS = 60


@dataclass(frozen=True)
class Message:
    text: str
    buttons: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    messages: tuple[Message, ...]
    sources: tuple[Source, ...]  # every source cited, in the order of the lines


def compose_answer(
    directory: ContactDirectory,
    municipality: Municipality,
    role: Optional[str] = None,
    remembered: bool = False,
    former: Optional[FormerMunicipality] = None,
    typed: Optional[str] = None,
) -> Answer:
    """The contact answer for a municipality: the lines, then a message with sources and next steps.

    Every item ends with the numbers of its sources ("[2, 3]"), and the
    second message lists them by number, so each fact shows where it is from.

    `remembered`: the municipality comes from earlier in the conversation, so
    the answer says how to ask about another one.
    `typed`: the user's spelling that was read as this municipality (a typo);
    the answer says so, so that a wrong reading is easy to see and correct.
    """
    texts = directory.texts.answer
    answer_sources = directory.texts.answer_sources
    cited: list[Source] = []
    lines = [texts["heading"].format(place=_place(municipality))]

    def add(item: Union[str, list[str]], *source_groups: Iterable[Source]) -> None:
        """Add one item, its last line marked with the numbers of its sources ("[2, 3]")."""
        item_lines = [item] if isinstance(item, str) else list(item)
        numbers: list[int] = []
        for sources in source_groups:
            for source in [s for s in sources if s.url][:SOURCES_PER_LINE]:
                if source not in cited:
                    cited.append(source)
                number = cited.index(source) + 1
                if number not in numbers:
                    numbers.append(number)
        if numbers:
            item_lines[-1] += " [" + ", ".join(map(str, numbers)) + "]"
        lines.extend(item_lines)

    if typed:
        lines.insert(0, texts["corrected"].format(typed=quote_user_text(typed), municipality=municipality.display_name))
    if former is not None:
        add(texts["former_name"].format(note=former.note), former.sources)
    add(texts["emergency"], answer_sources["emergency"])
    add(_police_line(directory, municipality), municipality.police_district_sources, answer_sources["police"])
    add(_rvts_lines(directory, municipality), municipality.county.rvts_sources, answer_sources["rvts"])
    add(texts["municipal"], answer_sources["municipal"])
    tips = texts["tips"].format(
        pst_url=directory.national("pst").url, police_online_url=directory.national("police-online-tips").url
    )
    add(tips, answer_sources["tips"])
    if role != CHILD_WELFARE_ROLE:  # a child welfare worker is the service this line points to
        add(texts["child_welfare"], answer_sources["child_welfare"])
    for role_line in directory.roles.get(role or "", ()):
        add(f"• {role_line.text}", role_line.sources)
    if remembered:
        lines.append(texts["remembered"])

    urls = "\n".join(f"[{number}] {source.url}" for number, source in enumerate(cited, start=1))
    buttons = tuple({"title": b.title, "payload": b.payload} for b in directory.texts.buttons)
    return Answer(
        messages=(Message("\n".join(lines)), Message(texts["sources"].format(urls=urls), buttons)),
        sources=tuple(cited),
    )


def compose_question(directory: ContactDirectory, resolution: Optional[Resolution] = None) -> Message:
    """Ask which municipality the user works in, saying why the last answer did not do."""
    ask = directory.texts.ask
    if isinstance(resolution, Ambiguous):
        if len(resolution.candidates) == 1:
            text = ask["did_you_mean"].format(name=resolution.candidates[0].display_name)
        elif resolution.same_name:
            text = ask["same_name"].format(name=resolution.candidates[0].base_name)
        else:
            text = ask["several_places"]
        buttons = tuple(
            {
                "title": ask["button_title"].format(name=m.display_name, county=m.county.name),
                "payload": button_payload(m),
            }
            for m in resolution.candidates
        )
        return Message(text, buttons)
    if isinstance(resolution, NotFound):
        if resolution.place is not None:
            return Message(ask["not_municipality"].format(note=resolution.place.note))
        if resolution.county is not None:
            return Message(ask["county_only"].format(county=resolution.county.name))
        if resolution.query:
            return Message(ask["not_found"].format(query=quote_user_text(resolution.query)))
    return Message(ask["question"])


def button_payload(municipality: Municipality) -> str:
    """`/inform_municipality{"municipality": "Herøy (Nordland)"}`: the slot value is the source name."""
    return f"/{BUTTON_INTENT}" + json.dumps({"municipality": municipality.name}, ensure_ascii=False)


def quote_user_text(text: str) -> str:
    """User text to echo inside «…»: one line, no quote marks or markup, shortened."""
    cleaned = re.sub(r"[\s«»<>\[\]{}*_`]+", " ", text).strip()
    if len(cleaned) > MAX_QUOTED_CHARS:
        cleaned = cleaned[: MAX_QUOTED_CHARS - 1].rstrip() + "…"
    return cleaned


def _place(municipality: Municipality) -> str:
    place = f"{municipality.display_name} kommune"
    if municipality.county.name != municipality.base_name:
        place += f" i {municipality.county.name}"
    return place


def _districts(districts: Iterable[PoliceDistrict]) -> str:
    return " eller ".join(district.name for district in districts)


def _police_line(directory: ContactDirectory, municipality: Municipality) -> str:
    texts = directory.texts.answer
    name = municipality.display_name
    basis = municipality.police_district_basis
    if basis is DistrictBasis.UNRESOLVED:
        return texts["police_unresolved"].format(
            municipality=name,
            alternatives=_districts(municipality.police_district_alternatives),
            url=directory.national("police").url,
        )
    assert municipality.police_district is not None  # the loader guarantees it
    district = municipality.police_district.name
    if basis is DistrictBasis.EXCEPTION_2016:
        return texts["police_2016"].format(
            municipality=name, district=district, alternatives=_districts(municipality.police_district_alternatives)
        )
    return texts["police"].format(municipality=name, district=district)


def _rvts_lines(directory: ContactDirectory, municipality: Municipality) -> list[str]:
    texts = directory.texts.answer
    county = municipality.county
    fallback_url = directory.national("utveier").url

    def url_of(centre_website: Optional[str]) -> str:
        return centre_website or fallback_url or ""

    centre = county.rvts
    key = "rvts" if centre.website else "rvts_without_website"
    lines = [texts[key].format(rvts=centre.name, url=url_of(centre.website))]
    if county.rvts_confidence is not Confidence.VERIFIED:
        lines.append(texts["rvts_derived"].format(county=county.name, rvts=centre.name))
    for alternative in county.rvts_alternatives:
        key = "rvts_alternative" if alternative.website else "rvts_alternative_without_website"
        url = url_of(alternative.website)
        lines.append(texts[key].format(note=county.rvts_note or "", rvts=alternative.name, url=url))
    return lines
