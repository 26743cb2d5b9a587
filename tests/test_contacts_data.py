"""Contact data (content/contacts/): counts, mappings, provenance, and loud failure on broken files."""

import csv
import re
import shutil
from pathlib import Path

import pytest
import yaml

from veiviser.contacts import ContactDataError, get_directory, get_resolver, load_directory
from veiviser.contacts.model import Confidence, DistrictBasis
from veiviser.contacts.normalize import fold
from veiviser.contacts.resolver import Ambiguous, Found

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content" / "contacts"
SHARED_KNOWLEDGE = ROOT.parent / "shared" / "knowledge" / "data"
DIRECTORY = get_directory()
BY_NAME = {m.name: m for m in DIRECTORY.municipalities}
NAMES = {m.base_name for m in DIRECTORY.municipalities} | {m.name_norwegian.split(" (")[0] for m in DIRECTORY.municipalities}

# County -> RVTS centre, as in ../shared/knowledge/data/rvts_regioner.yaml.
EXPECTED_RVTS = {
    "Oslo": "ost", "Østfold": "ost", "Akershus": "ost", "Buskerud": "ost", "Innlandet": "ost",
    "Vestfold": "sor", "Telemark": "sor", "Agder": "sor",
    "Rogaland": "vest", "Vestland": "vest",
    "Møre og Romsdal": "midt", "Trøndelag": "midt",
    "Nordland": "nord", "Troms": "nord", "Finnmark": "nord",
}


def test_counts_match_the_2024_structure():
    assert len(DIRECTORY.municipalities) == 357
    assert len(DIRECTORY.counties) == 15
    assert len(DIRECTORY.police_districts) == 12
    assert {c.name for c in DIRECTORY.rvts_centres} == {"RVTS Øst", "RVTS Sør", "RVTS Vest", "RVTS Midt", "RVTS Nord"}
    assert len({m.number for m in DIRECTORY.municipalities}) == 357


@pytest.mark.parametrize("municipality", DIRECTORY.municipalities, ids=lambda m: m.number)
def test_every_municipality_has_one_district_or_an_explicit_unresolved_mark(municipality):
    districts = set(DIRECTORY.police_districts)
    if municipality.police_district_basis is DistrictBasis.UNRESOLVED:
        assert municipality.police_district is None
        assert len(municipality.police_district_alternatives) >= 2
        assert municipality.confidence is Confidence.MISSING
    else:
        assert municipality.police_district in districts
    assert set(municipality.police_district_alternatives) <= districts
    assert municipality.county.rvts in DIRECTORY.rvts_centres
    assert any(s.url for s in municipality.sources) and any(s.url for s in municipality.police_district_sources)


def test_only_jevnaker_and_lunner_are_unresolved_between_ost_and_innlandet():
    unresolved = [m for m in DIRECTORY.municipalities if m.police_district_basis is DistrictBasis.UNRESOLVED]
    assert sorted(m.name for m in unresolved) == ["Jevnaker", "Lunner"]
    for m in unresolved:
        assert {d.id for d in m.police_district_alternatives} == {"ost", "innlandet"}


@pytest.mark.parametrize(
    "name, district, basis",
    [
        ("Asker", "oslo", DistrictBasis.EXCEPTION),
        ("Bærum", "oslo", DistrictBasis.EXCEPTION),
        ("Sirdal", "sor-vest", DistrictBasis.EXCEPTION),
        ("Stord", "sor-vest", DistrictBasis.EXCEPTION_2016),
        ("Etne", "sor-vest", DistrictBasis.EXCEPTION_2016),
        ("Bergen", "vest", DistrictBasis.COUNTY),
        ("Volda", "more-og-romsdal", DistrictBasis.COUNTY),
        ("Dielddanuorri", "troms", DistrictBasis.COUNTY),  # Tjeldsund
        ("Lillestrøm", "ost", DistrictBasis.COUNTY),
        ("Drammen", "sor-ost", DistrictBasis.COUNTY),
    ],
)
def test_sourced_exceptions_to_the_county_rule(name, district, basis):
    municipality = BY_NAME[name]
    assert municipality.police_district.id == district
    assert municipality.police_district_basis is basis


def test_the_2016_sunnhordland_exceptions_name_vest_as_the_alternative():
    exceptions = [m for m in DIRECTORY.municipalities if m.police_district_basis is DistrictBasis.EXCEPTION_2016]
    assert sorted(m.name for m in exceptions) == ["Bømlo", "Etne", "Fitjar", "Stord", "Sveio"]
    assert all([d.id for d in m.police_district_alternatives] == ["vest"] for m in exceptions)


@pytest.mark.parametrize("county", DIRECTORY.counties, ids=lambda c: c.name)
def test_every_county_maps_to_its_rvts_centre(county):
    assert county.rvts.id == EXPECTED_RVTS[county.name]
    # Only RVTS Øst states its own coverage; the rest is secondary or derived.
    expected = Confidence.VERIFIED if county.rvts.id == "ost" else Confidence.SECONDARY
    assert county.rvts_confidence is expected
    assert sum(1 for m in DIRECTORY.municipalities if m.county is county) == county.municipality_count


def test_buskerud_shows_rvts_sor_as_well_and_says_why():
    buskerud = next(c for c in DIRECTORY.counties if c.name == "Buskerud")
    assert [c.id for c in buskerud.rvts_alternatives] == ["sor"]
    assert "Viken" in buskerud.rvts_note and "RVTS Sør" in buskerud.rvts_note
    assert all(not c.rvts_alternatives for c in DIRECTORY.counties if c is not buskerud)


def test_bilingual_municipalities_have_both_names():
    bilingual = {m.name: m.name_norwegian for m in DIRECTORY.municipalities if m.name != m.name_norwegian}
    assert len(bilingual) == 11
    assert bilingual["Guovdageaidnu"] == "Kautokeino" and bilingual["Kárášjohka"] == "Karasjok"
    assert all("tospraklige-navn" in [s.id for s in BY_NAME[name].sources] for name in bilingual)


def test_pst_phone_is_kept_but_never_shown_and_shown_numbers_are_verified():
    assert DIRECTORY.national("pst").phone == "23 30 50 00"
    assert DIRECTORY.national("pst").shown_phone is None
    shown = {c.shown_phone for c in DIRECTORY.national_contacts.values()} - {None}
    assert shown == {"112", "02800", "116 111"}


def test_every_source_is_cited_by_some_record():
    d = DIRECTORY
    cited = [s for x in d.police_districts + d.rvts_centres for s in x.sources]
    cited += [s for c in d.counties for s in c.sources + c.rvts_sources]
    cited += [s for m in d.municipalities for s in m.sources + m.police_district_sources]
    cited += [s for c in d.national_contacts.values() for s in c.sources]
    cited += [s for lines in d.roles.values() for line in lines for s in line.sources]
    cited += [s for p in d.former_municipalities + d.not_municipalities for s in p.sources]
    cited += [s for sources in d.texts.answer_sources.values() for s in sources]
    assert sorted(set(d.sources) - {s.id for s in cited}) == []


def test_blocklist_is_generated_and_holds_no_place_name():
    text = (CONTENT / "fuzzy_blocklist.txt").read_text(encoding="utf-8")
    assert text.startswith("# GENERATED by `python -m veiviser.contacts.blocklist`")
    words = {line for line in text.splitlines() if line and not line.startswith("#")}
    assert {"vold", "melde", "fjor", "hennes", "haar"} <= words
    assert not words & {fold(name) for name in NAMES}


@pytest.mark.skipif(not SHARED_KNOWLEDGE.exists(), reason="../shared/knowledge is not checked out here")
def test_municipalities_match_the_shared_knowledge_source():
    lines = (SHARED_KNOWLEDGE / "kommuner_2024.csv").read_text(encoding="utf-8").splitlines()
    source = {r["kommunenummer"]: r for r in csv.DictReader(l for l in lines if not l.startswith("#"))}
    assert set(source) == {m.number for m in DIRECTORY.municipalities}
    for m in DIRECTORY.municipalities:
        row = source[m.number]
        assert (m.name, m.name_norwegian, m.county.name) == (row["navn"], row["navn_norsk"], row["fylke"])
        if row["politidistrikt_status"] == "uavklart":
            assert m.police_district is None
        else:
            assert m.police_district.name == f"{row['politidistrikt']} politidistrikt"


def _nlu_examples():
    data = yaml.safe_load((ROOT / "data" / "nlu" / "contacts.yml").read_text(encoding="utf-8"))
    return {block.get("intent") or block.get("lookup"): block["examples"] for block in data["nlu"]}


def test_lookup_table_lists_every_municipality_name():
    listed = {line[2:] for line in _nlu_examples()["municipality"].splitlines() if line.startswith("- ")}
    assert listed == NAMES


def test_enough_training_examples_per_intent():
    examples = _nlu_examples()
    for intent in ("ask_contact", "inform_municipality"):
        assert len([l for l in examples[intent].splitlines() if l.startswith("- ")]) >= 60, intent


def _annotated_examples():
    for intent in ("ask_contact", "inform_municipality"):
        for line in _nlu_examples()[intent].splitlines():
            for value in re.findall(r"\[([^\]]+)\]\(municipality\)", line):
                yield pytest.param(line[2:], value, id=line[2:60])


@pytest.mark.parametrize("example, value", list(_annotated_examples()))
def test_training_examples_resolve_like_their_annotation(example, value):
    """Where the annotated value is a municipality, the whole sentence resolves to it too."""
    resolver = get_resolver()
    plain = re.sub(r"\[([^\]]+)\]\([a-z_]+\)", r"\1", example)
    from_value = resolver.resolve(value)
    from_text = resolver.resolve(plain)
    if isinstance(from_value, Found):
        assert isinstance(from_text, Found) and from_text.municipality is from_value.municipality
    elif isinstance(from_value, Ambiguous):
        assert isinstance(from_text, (Found, Ambiguous))
    else:
        assert not isinstance(from_text, (Found, Ambiguous)), plain


# -- a broken file fails loudly, naming the file and the record ------------------


def _break(tmp_path, file, old, new):
    target = tmp_path / "contacts"
    shutil.copytree(CONTENT, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        ("municipalities.csv", "4601,Bergen,Bergen,46,navikt-kommuner,vest,", "4601,Bergen,Bergen,46,navikt-kommuner,vestt,",
         "municipalities.csv, municipality 4601 'Bergen': unknown police district 'vestt'"),
        ("municipalities.csv", "3236,Jevnaker,Jevnaker,32,navikt-kommuner,,ost innlandet,unresolved",
         "3236,Jevnaker,Jevnaker,32,navikt-kommuner,,ost,unresolved", "needs at least two police_district_alternatives"),
        ("municipalities.csv", "4601,Bergen,Bergen,46,", "4601,Bergen,Bergen,11,", "does not start with its county number"),
        ("municipalities.csv", "4601,Bergen,Bergen,46,navikt-kommuner,vest,,county,V2",
         "4601,Bergen,Bergen,46,navikt-kommuner,vest,,county,maybe", "'confidence' is 'maybe'"),
        ("municipalities.csv", "4601,Bergen,Bergen,46,navikt-kommuner,", "4601,Bergen,Bergen,46,nrk-2016,",
         "unknown source id 'nrk-2016'"),
        ("municipalities.csv", "4602,Kinn,", "4601,Kinn,", "duplicate number '4601'"),
        ("municipalities.csv", "4601,Bergen,Bergen,46,navikt-kommuner,vest,,county",
         "4601,Bergen,Bergen,46,navikt-kommuner,vest,,guessed", "unknown police_district_basis 'guessed'"),
        ("counties.yaml", "municipality_count: 43", "municipality_count: 44",
         "county 'Vestland': municipality_count is 44, but municipalities.csv has 43"),
        ("counties.yaml", "rvts: midt", "rvts: mid", "unknown RVTS centre 'mid'"),
        ("counties.yaml", "    rvts_note: \"RVTS Øst oppgir", "    rvts_notes: \"RVTS Øst oppgir",
         "needs an 'rvts_note'"),
        ("police_districts.yaml", "sources: [nrk-politidistrikt-2016, lokalhistoriewiki-politidistrikt]\n  - id: sor-ost",
         "sources: []\n  - id: sor-ost", "needs at least one source with a URL"),
        ("rvts_centres.yaml", "website: https://rvtsvest.no/", "website: rvtsvest.no", "is not an http(s) URL"),
        ("sources.yaml", "  utveier:\n", "  utveier:\n    - broken\n", "not valid YAML"),
        ("texts.yaml", "{district}. Ring 02800", "{distrikt}. Ring 02800", "unknown placeholders ['distrikt']"),
        ("texts.yaml", "  municipal_sources:", "  municipal_kilder:", "'municipal_sources' is missing"),
        ("roles.yaml", "  nav:\n", "  navv:\n", "roles must be exactly"),
        ("national_contacts.yaml", "  - id: alarmtelefonen", "  - id: alarm", "missing contacts: alarmtelefonen"),
        ("national_contacts.yaml", 'phone: "116 111"', 'phone: "116-111"', "'phone' must be digits and spaces"),
        ("language.yaml", "names_needing_context: [Alver,", "names_needing_context: [Alvur,",
         "lists names that are not municipalities: ['alvur']"),
        ("places.yaml", 'municipality: "3203"   # Asker\n    note: "Røyken', 'municipality: "9999"\n    note: "Røyken',
         "unknown municipality number '9999'"),
    ],
)
def test_a_broken_file_raises_a_clear_error(tmp_path, file, old, new, message):
    broken = _break(tmp_path, file, old, new)
    with pytest.raises(ContactDataError) as error:
        load_directory(broken)
    assert message in str(error.value)
    assert str(error.value).startswith(f"content/contacts/{file.split(',')[0]}") or file == "municipalities.csv"


def test_a_missing_file_raises_a_clear_error(tmp_path):
    target = tmp_path / "contacts"
    shutil.copytree(CONTENT, target)
    (target / "rvts_centres.yaml").unlink()
    with pytest.raises(ContactDataError, match="content/contacts/rvts_centres.yaml: file is missing"):
        load_directory(target)


def test_yaml_booleans_in_word_lists_are_caught(tmp_path):
    broken = _break(tmp_path, "language.yaml", '"no"', "no")
    with pytest.raises(ContactDataError, match="'filler_words' must be a list of words"):
        load_directory(broken)
