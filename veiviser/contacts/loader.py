"""Load and validate content/contacts/ into a ContactDirectory.

Any problem raises ContactDataError naming the file and the record, so a broken
data file stops the action server at start (and fails the tests) instead of
producing a wrong answer later.
"""

from __future__ import annotations

import csv
import re
import string
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import yaml

from veiviser.contacts.model import (
    Button,
    Confidence,
    ContactDirectory,
    County,
    DistrictBasis,
    FormerMunicipality,
    LanguageLists,
    Municipality,
    NationalContact,
    NotAMunicipality,
    PoliceDistrict,
    RoleLine,
    RvtsCentre,
    Source,
    Texts,
)
from veiviser.contacts.normalize import fold

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content" / "contacts"

# Values of the `role` slot (owned by the profile capability).
ROLES = ("skole", "barnehage", "barnevern", "nav", "helse", "kriminalomsorg", "kommune", "politi", "annet")
REQUIRED_NATIONAL_CONTACTS = ("emergency", "police", "pst", "police-online-tips", "alarmtelefonen", "utveier")
MUNICIPALITY_COLUMNS = [
    "number",
    "name",
    "name_norwegian",
    "county_number",
    "sources",
    "police_district",
    "police_district_alternatives",
    "police_district_basis",
    "confidence",
    "police_district_sources",
]
# Every text and the placeholders it may use.
ANSWER_TEXTS = {
    "heading": {"place"},
    "corrected": {"typed", "municipality"},
    "emergency": set(),
    "police": {"municipality", "district"},
    "police_2016": {"municipality", "district", "alternatives"},
    "police_unresolved": {"municipality", "alternatives", "url"},
    "rvts": {"rvts", "url"},
    "rvts_without_website": {"rvts", "url"},
    "rvts_derived": {"county", "rvts"},
    "rvts_alternative": {"note", "rvts", "url"},
    "rvts_alternative_without_website": {"note", "rvts", "url"},
    "municipal": set(),
    "tips": {"pst_url", "police_online_url"},
    "child_welfare": set(),
    "former_name": {"note"},
    "remembered": set(),
    "sources": {"urls"},
}
ANSWER_TEXT_SOURCES = ("emergency", "police", "rvts", "municipal", "tips", "child_welfare")
ASK_TEXTS = {
    "question": set(),
    "not_found": {"query"},
    "not_municipality": {"note"},
    "county_only": {"county"},
    "same_name": {"name"},
    "did_you_mean": {"name"},
    "several_places": set(),
    "button_title": {"name", "county"},
}
_URL = re.compile(r"^https?://\S+$")


class ContactDataError(ValueError):
    """A file in content/contacts/ is missing, malformed or inconsistent."""


def load_directory(content_dir: Optional[Path] = None) -> ContactDirectory:
    """Read every file of content/contacts/ and check it; raise ContactDataError if broken."""
    root = Path(content_dir) if content_dir else DEFAULT_CONTENT_DIR
    sources = _load_sources(root)
    districts = _load_districts(root, sources)
    centres = _load_rvts_centres(root, sources)
    counties = _load_counties(root, sources, centres)
    municipalities = _load_municipalities(root, sources, counties, districts)
    former, not_municipal = _load_places(root, sources, municipalities)
    return ContactDirectory(
        sources=sources,
        counties=tuple(counties.values()),
        police_districts=tuple(districts.values()),
        rvts_centres=tuple(centres.values()),
        municipalities=municipalities,
        national_contacts=_load_national_contacts(root, sources),
        roles=_load_roles(root, sources),
        former_municipalities=former,
        not_municipalities=not_municipal,
        language=_load_language(root, municipalities),
        texts=_load_texts(root, sources),
    )


# -- helpers -----------------------------------------------------------------


class _Where:
    """The file and record a check is about, for error messages."""

    def __init__(self, file: str, record: str = "") -> None:
        self.file = file
        self.record = record

    def at(self, record: str) -> "_Where":
        return _Where(self.file, record)

    def fail(self, problem: str) -> ContactDataError:
        place = f"content/contacts/{self.file}"
        if self.record:
            place += f", {self.record}"
        return ContactDataError(f"{place}: {problem}")


def _read_yaml(root: Path, file: str) -> Mapping[str, Any]:
    path = root / file
    where = _Where(file)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise where.fail("file is missing") from error
    except yaml.YAMLError as error:
        raise where.fail(f"not valid YAML ({error})") from error
    if not isinstance(data, Mapping):
        raise where.fail("expected a mapping at the top level")
    return data


def _field(record: Mapping[str, Any], key: str, where: _Where, *, optional: bool = False) -> Any:
    if key not in record or record[key] is None:
        if optional:
            return None
        raise where.fail(f"'{key}' is missing")
    return record[key]


def _text(record: Mapping[str, Any], key: str, where: _Where, *, optional: bool = False) -> Any:
    value = _field(record, key, where, optional=optional)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise where.fail(f"'{key}' must be a non-empty string")
    return value


def _url(record: Mapping[str, Any], key: str, where: _Where) -> Optional[str]:
    value = _text(record, key, where, optional=True)
    if value is not None and not _URL.match(value):
        raise where.fail(f"'{key}' is not an http(s) URL: {value!r}")
    return value


def _confidence(value: Any, where: _Where, key: str = "confidence") -> Confidence:
    try:
        return Confidence(value)
    except ValueError:
        allowed = ", ".join(c.value for c in Confidence)
        raise where.fail(f"'{key}' is {value!r}; expected one of {allowed}") from None


def _list(record: Mapping[str, Any], key: str, where: _Where) -> list[Any]:
    value = _field(record, key, where)
    if not isinstance(value, list):
        raise where.fail(f"'{key}' must be a list")
    return value


def _sources(ids: Iterable[Any], sources: Mapping[str, Source], where: _Where) -> tuple[Source, ...]:
    """Resolve source ids; a record needs at least one source with a URL."""
    resolved = []
    for source_id in ids:
        if source_id not in sources:
            raise where.fail(f"unknown source id {source_id!r} (see sources.yaml)")
        resolved.append(sources[source_id])
    if not any(source.url for source in resolved):
        raise where.fail("needs at least one source with a URL")
    return tuple(resolved)


def _records(data: Mapping[str, Any], key: str, where: _Where) -> list[Mapping[str, Any]]:
    records = _list(data, key, where)
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise where.at(f"entry {index + 1}").fail("expected a mapping")
    return records


def _unique(seen: set[str], value: str, where: _Where, what: str) -> None:
    if value in seen:
        raise where.fail(f"duplicate {what} {value!r}")
    seen.add(value)


# -- files -------------------------------------------------------------------


def _load_sources(root: Path) -> dict[str, Source]:
    where = _Where("sources.yaml")
    data = _field(_read_yaml(root, "sources.yaml"), "sources", where)
    if not isinstance(data, Mapping) or not data:
        raise where.fail("'sources' must be a non-empty mapping of id to source")
    sources = {}
    for source_id, record in data.items():
        here = where.at(f"source {source_id!r}")
        if not isinstance(record, Mapping):
            raise here.fail("expected a mapping")
        sources[source_id] = Source(
            id=source_id,
            title=_text(record, "title", here),
            url=_url(record, "url", here),
            confidence=_confidence(_field(record, "confidence", here), here),
        )
    return sources


def _load_districts(root: Path, sources: Mapping[str, Source]) -> dict[str, PoliceDistrict]:
    where = _Where("police_districts.yaml")
    districts: dict[str, PoliceDistrict] = {}
    for record in _records(_read_yaml(root, "police_districts.yaml"), "police_districts", where):
        here = where.at(f"district {record.get('id')!r}")
        district_id = _text(record, "id", here)
        if district_id in districts:
            raise here.fail("duplicate id")
        headquarters = _field(record, "headquarters", here)
        if not isinstance(headquarters, Mapping):
            raise here.fail("'headquarters' must be a mapping with name and confidence")
        districts[district_id] = PoliceDistrict(
            id=district_id,
            name=_text(record, "name", here),
            coverage=_text(record, "coverage", here),
            headquarters=_text(headquarters, "name", here),
            headquarters_confidence=_confidence(_field(headquarters, "confidence", here), here),
            confidence=_confidence(_field(record, "confidence", here), here),
            sources=_sources(_list(record, "sources", here), sources, here),
        )
    return districts


def _load_rvts_centres(root: Path, sources: Mapping[str, Source]) -> dict[str, RvtsCentre]:
    where = _Where("rvts_centres.yaml")
    centres: dict[str, RvtsCentre] = {}
    for record in _records(_read_yaml(root, "rvts_centres.yaml"), "rvts_centres", where):
        here = where.at(f"centre {record.get('id')!r}")
        centre_id = _text(record, "id", here)
        if centre_id in centres:
            raise here.fail("duplicate id")
        centres[centre_id] = RvtsCentre(
            id=centre_id,
            name=_text(record, "name", here),
            website=_url(record, "website", here),
            note=_text(record, "note", here, optional=True),
            confidence=_confidence(_field(record, "confidence", here), here),
            sources=_sources(_list(record, "sources", here), sources, here),
        )
    return centres


def _load_counties(
    root: Path, sources: Mapping[str, Source], centres: Mapping[str, RvtsCentre]
) -> dict[str, County]:
    where = _Where("counties.yaml")
    counties: dict[str, County] = {}
    names: set[str] = set()
    for record in _records(_read_yaml(root, "counties.yaml"), "counties", where):
        here = where.at(f"county {record.get('name')!r}")
        number = _text(record, "number", here)
        if not re.fullmatch(r"\d\d", number):
            raise here.fail(f"'number' must be two digits in quotes, got {number!r}")
        if number in counties:
            raise here.fail(f"duplicate number {number!r}")
        name = _text(record, "name", here)
        _unique(names, name, here, "name")
        count = _field(record, "municipality_count", here)
        if not isinstance(count, int) or count < 1:
            raise here.fail("'municipality_count' must be a positive integer")

        def centre(centre_id: Any) -> RvtsCentre:
            if centre_id not in centres:
                raise here.fail(f"unknown RVTS centre {centre_id!r} (see rvts_centres.yaml)")
            return centres[centre_id]

        primary = centre(_field(record, "rvts", here))
        alternatives = tuple(centre(c) for c in (record.get("rvts_alternatives") or []))
        if primary in alternatives:
            raise here.fail("'rvts_alternatives' repeats the main RVTS centre")
        note = _text(record, "rvts_note", here, optional=True)
        if alternatives and not note:
            raise here.fail("a county with 'rvts_alternatives' needs an 'rvts_note' explaining why")
        counties[number] = County(
            number=number,
            name=name,
            municipality_count=count,
            rvts=primary,
            rvts_alternatives=alternatives,
            rvts_confidence=_confidence(_field(record, "rvts_confidence", here), here, "rvts_confidence"),
            rvts_note=note,
            rvts_sources=_sources(_list(record, "rvts_sources", here), sources, here),
            sources=_sources(_list(record, "sources", here), sources, here),
        )
    return counties


def _csv_rows(path: Path, where: _Where) -> list[dict[str, str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise where.fail("file is missing") from error
    reader = csv.DictReader(line for line in lines if line.strip() and not line.startswith("#"))
    if reader.fieldnames != MUNICIPALITY_COLUMNS:
        raise where.fail(f"columns must be {','.join(MUNICIPALITY_COLUMNS)}; got {reader.fieldnames}")
    rows = list(reader)
    for index, row in enumerate(rows):
        if None in row or any(value is None for value in row.values()):
            raise where.at(f"data row {index + 1}").fail("wrong number of columns")
    return rows


def _load_municipalities(
    root: Path,
    sources: Mapping[str, Source],
    counties: Mapping[str, County],
    districts: Mapping[str, PoliceDistrict],
) -> tuple[Municipality, ...]:
    where = _Where("municipalities.csv")
    municipalities: list[Municipality] = []
    numbers: set[str] = set()
    names: set[str] = set()

    def district(district_id: str, here: _Where) -> PoliceDistrict:
        if district_id not in districts:
            raise here.fail(f"unknown police district {district_id!r} (see police_districts.yaml)")
        return districts[district_id]

    for row in _csv_rows(root / "municipalities.csv", where):
        here = where.at(f"municipality {row['number']} {row['name']!r}")
        number = row["number"].strip()
        if not re.fullmatch(r"\d{4}", number):
            raise here.fail("'number' must have four digits")
        _unique(numbers, number, here, "number")
        name, name_norwegian = row["name"].strip(), row["name_norwegian"].strip()
        if not name or not name_norwegian:
            raise here.fail("'name' and 'name_norwegian' are required")
        _unique(names, name, here, "name")
        county = counties.get(row["county_number"])
        if county is None:
            raise here.fail(f"unknown county number {row['county_number']!r} (see counties.yaml)")
        if not number.startswith(county.number):
            raise here.fail(f"number does not start with its county number {county.number}")
        try:
            basis = DistrictBasis(row["police_district_basis"])
        except ValueError:
            raise here.fail(f"unknown police_district_basis {row['police_district_basis']!r}") from None
        alternatives = tuple(district(d, here) for d in row["police_district_alternatives"].split())
        if basis is DistrictBasis.UNRESOLVED:
            if row["police_district"]:
                raise here.fail("an unresolved municipality must leave police_district empty")
            if len(alternatives) < 2:
                raise here.fail("an unresolved municipality needs at least two police_district_alternatives")
            main = None
        else:
            if not row["police_district"]:
                raise here.fail("police_district is empty; mark the row 'unresolved' if no source is found")
            main = district(row["police_district"], here)
            if main in alternatives:
                raise here.fail("police_district_alternatives repeats police_district")
        municipalities.append(
            Municipality(
                number=number,
                name=name,
                name_norwegian=name_norwegian,
                county=county,
                police_district=main,
                police_district_alternatives=alternatives,
                police_district_basis=basis,
                confidence=_confidence(row["confidence"], here),
                sources=_sources(row["sources"].split(), sources, here),
                police_district_sources=_sources(row["police_district_sources"].split(), sources, here),
            )
        )

    for county in counties.values():
        count = sum(1 for m in municipalities if m.county is county)
        if count != county.municipality_count:
            raise _Where("counties.yaml", f"county {county.name!r}").fail(
                f"municipality_count is {county.municipality_count}, but municipalities.csv has {count}"
            )
    return tuple(municipalities)


def _load_national_contacts(root: Path, sources: Mapping[str, Source]) -> dict[str, NationalContact]:
    where = _Where("national_contacts.yaml")
    contacts: dict[str, NationalContact] = {}
    for record in _records(_read_yaml(root, "national_contacts.yaml"), "national_contacts", where):
        here = where.at(f"contact {record.get('id')!r}")
        contact_id = _text(record, "id", here)
        if contact_id in contacts:
            raise here.fail("duplicate id")
        phone = _text(record, "phone", here, optional=True)
        if phone is not None and not re.fullmatch(r"[\d ]+", phone):
            raise here.fail(f"'phone' must be digits and spaces, got {phone!r}")
        phone_confidence = _field(record, "phone_confidence", here, optional=phone is None)
        contacts[contact_id] = NationalContact(
            id=contact_id,
            name=_text(record, "name", here),
            phone=phone,
            phone_confidence=_confidence(phone_confidence, here, "phone_confidence") if phone else None,
            url=_url(record, "url", here),
            sources=_sources(_list(record, "sources", here), sources, here),
        )
    missing = [c for c in REQUIRED_NATIONAL_CONTACTS if c not in contacts]
    if missing:
        raise where.fail(f"missing contacts: {', '.join(missing)}")
    return contacts


def _load_roles(root: Path, sources: Mapping[str, Source]) -> dict[str, tuple[RoleLine, ...]]:
    where = _Where("roles.yaml")
    data = _field(_read_yaml(root, "roles.yaml"), "roles", where)
    if not isinstance(data, Mapping):
        raise where.fail("'roles' must be a mapping of role to lines")
    unknown = sorted(set(data) - set(ROLES))
    missing = [role for role in ROLES if role not in data]
    if unknown or missing:
        raise where.fail(f"roles must be exactly {', '.join(ROLES)} (unknown: {unknown}, missing: {missing})")
    roles = {}
    for role, lines in data.items():
        here = where.at(f"role {role!r}")
        if not isinstance(lines, list):
            raise here.fail("expected a list of lines")
        roles[role] = tuple(
            RoleLine(_text(line, "text", here), _sources(_list(line, "sources", here), sources, here))
            for line in lines
        )
    return roles


def _load_places(
    root: Path, sources: Mapping[str, Source], municipalities: tuple[Municipality, ...]
) -> tuple[tuple[FormerMunicipality, ...], tuple[NotAMunicipality, ...]]:
    where = _Where("places.yaml")
    data = _read_yaml(root, "places.yaml")
    by_number = {m.number: m for m in municipalities}
    taken = {fold(m.base_name) for m in municipalities} | {fold(m.name_norwegian) for m in municipalities}
    former = []
    for record in _records(data, "former_municipalities", where):
        here = where.at(f"former municipality {record.get('name')!r}")
        number = str(_field(record, "municipality", here))
        if number not in by_number:
            raise here.fail(f"unknown municipality number {number!r}")
        name = _text(record, "name", here)
        if fold(name) in taken:
            raise here.fail("is the name of a current municipality")
        cited = _sources(_list(record, "sources", here), sources, here)
        former.append(FormerMunicipality(name, by_number[number], _text(record, "note", here), cited))
    not_municipal = []
    for record in _records(data, "not_municipalities", where):
        here = where.at(f"place {record.get('name')!r}")
        name = _text(record, "name", here)
        if fold(name) in taken:
            raise here.fail("is the name of a current municipality")
        not_municipal.append(
            NotAMunicipality(name, _text(record, "note", here), _sources(_list(record, "sources", here), sources, here))
        )
    return tuple(former), tuple(not_municipal)


def _load_language(root: Path, municipalities: tuple[Municipality, ...]) -> LanguageLists:
    where = _Where("language.yaml")
    data = _read_yaml(root, "language.yaml")

    def words(key: str) -> frozenset[str]:
        values = _list(data, key, where)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise where.fail(f"'{key}' must be a list of words")
        return frozenset(fold(v) for v in values)

    names = {fold(m.base_name) for m in municipalities} | {fold(m.name_norwegian) for m in municipalities}
    for key in ("names_needing_context", "names_needing_strong_context"):
        unknown = sorted(words(key) - names)
        if unknown:
            raise where.fail(f"'{key}' lists names that are not municipalities: {unknown}")
    # The generated list keeps a typed "aa" as two letters ("haar", the ASCII
    # spelling of "hår"); its other words hold no "aa".
    blocked = words("extra_blocked_words") | _read_word_list(root, "fuzzy_blocklist.txt", read_aa_as_a_ring=False)
    return LanguageLists(
        place_prepositions=words("place_prepositions"),
        municipality_words=words("municipality_words"),
        filler_words=words("filler_words"),
        names_needing_context=words("names_needing_context"),
        names_needing_strong_context=words("names_needing_strong_context"),
        blocked_words=frozenset(blocked - names),
    )


def _read_word_list(root: Path, file: str, read_aa_as_a_ring: bool = True) -> frozenset[str]:
    try:
        lines = (root / file).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise _Where(file).fail("file is missing") from error
    return frozenset(fold(line, read_aa_as_a_ring) for line in lines if line.strip() and not line.startswith("#"))


def _load_texts(root: Path, sources: Mapping[str, Source]) -> Texts:
    where = _Where("texts.yaml")
    data = _read_yaml(root, "texts.yaml")

    def section(name: str, expected: Mapping[str, set[str]]) -> dict[str, str]:
        raw = _field(data, name, where)
        if not isinstance(raw, Mapping):
            raise where.fail(f"'{name}' must be a mapping")
        texts = {}
        for key, allowed in expected.items():
            here = where.at(f"{name}.{key}")
            text = _text(raw, key, here)
            used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
            if used - allowed:
                raise here.fail(f"unknown placeholders {sorted(used - allowed)}; allowed: {sorted(allowed)}")
            texts[key] = text
        return texts

    answer_data = _field(data, "answer", where)
    answer_sources = {
        key: _sources(_list(answer_data, f"{key}_sources", where.at(f"answer.{key}_sources")), sources, where)
        for key in ANSWER_TEXT_SOURCES
    }
    buttons = tuple(
        Button(_text(b, "title", where.at("buttons")), _text(b, "payload", where.at("buttons")))
        for b in _records(data, "buttons", where)
    )
    return Texts(
        answer=section("answer", ANSWER_TEXTS),
        answer_sources=answer_sources,
        ask=section("ask", ASK_TEXTS),
        buttons=buttons,
    )
