"""Broken knowledge content must fail loudly, naming the file, entry and problem."""

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

from veiviser.knowledge import ContentError, load_knowledge
from veiviser.knowledge.schema import count_words, url_problem

CONTENT_DIR = ROOT / "content" / "knowledge"
TODAY = date(2026, 11, 25)


def read_content():
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CONTENT_DIR.glob("*.yaml"))}


def write_content(directory, documents):
    for name, document in documents.items():
        (directory / name).write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory


def entry(documents, entry_id):
    for document in documents.values():
        for item in document["entries"]:
            if item["id"] == entry_id:
                return item
    raise KeyError(entry_id)


def set_field(entry_id, field, value):
    def mutate(docs):
        entry(docs, entry_id)[field] = value
    return mutate


def drop_field(entry_id, field):
    def mutate(docs):
        del entry(docs, entry_id)[field]
    return mutate


def drop_entry(entry_id):
    def mutate(docs):
        for document in docs.values():
            document["entries"] = [e for e in document["entries"] if e["id"] != entry_id]
    return mutate


def copy_entry(entry_id, **changes):
    def mutate(docs):
        clone = dict(entry(docs, entry_id), **changes)
        docs["handlingsplan.yaml"]["entries"].append(clone)
    return mutate


BROKEN = [
    ("unknown field", set_field("pst_tips", "sorces", ["https://pst.no/"]), "unknown field 'sorces'"),
    ("missing field", drop_field("pst_tips", "sources"), "missing field 'sources'"),
    ("http source", set_field("pst_tips", "sources", ["http://pst.no/tipsportal/"]), "is not an https URL"),
    ("host without dot", set_field("pst_tips", "sources", ["https://regjeringen/"]), "has no valid host"),
    ("url with space", set_field("pst_tips", "sources", ["https://pst.no/tips portal"]), "contains whitespace"),
    ("empty sources", set_field("pst_tips", "sources", []), "'sources' must be a non-empty list"),
    ("duplicate source", set_field("pst_tips", "sources", ["https://pst.no/", "https://pst.no/"]), "lists a URL twice"),
    ("impossible date", set_field("pst_tips", "verified", "2026-02-30"), "'verified' must be a date"),
    ("date in words", set_field("pst_tips", "verified", "25. november 2026"), "'verified' must be a date"),
    ("future date", set_field("pst_tips", "verified", "2027-01-01"), "outside 2020-01-01..today"),
    ("recalled fact", set_field("pst_tips", "confidence", "R"), "'confidence' must be one of V, V2"),
    ("unknown role", set_field("tiltak_skole", "roles", ["rektor"]), "unknown role 'rektor'"),
    ("all plus role", set_field("pst_tips", "roles", ["all", "politi"]), "'all' cannot be combined"),
    ("text too long", set_field("pst_tips", "text", "ord " * 111), "'text' has 111 words (max 110)"),
    ("les_mer too long", set_field("pst_tips", "les_mer", "ord " * 120), "'les_mer' has 120 words"),
    ("empty text", set_field("pst_tips", "text", "  "), "'text' must be non-empty text"),
    ("unknown intent", set_field("pst_tips", "intents", ["ask_pst", "ask_weather"]), "unknown intent 'ask_weather'"),
    ("ask_more in content", set_field("pst_tips", "intents", ["ask_pst", "ask_more"]), "by action_answer_more"),
    ("bad id", set_field("pst_tips", "id", "PST Tips"), "'id' must be lower-case snake_case"),
    ("one next step", set_field("pst_tips", "next_steps", ["ask_rvts"]), "'next_steps' has 1 items"),
    ("unknown next step", set_field("pst_tips", "next_steps", ["ask_rvts", "ask_weather"]), "next step 'ask_weather'"),
    ("self next step", set_field("pst_tips", "next_steps", ["ask_rvts", "ask_pst"]), "answered by this entry itself"),
    ("long label", set_field("pst_tips", "label", "x" * 40), "'label' must be text of at most"),
    ("no general answer", drop_entry("pst_tips"), "'ask_pst' must have exactly one entry with roles [all], found 0"),
    ("two general answers", copy_entry("pst_tips", id="pst_tips_copy"), "found 2 (pst_tips, pst_tips_copy)"),
    ("two entries for a role", copy_entry("tiltak_skole", id="tiltak_skole_2"), "has 2 entries for role 'skole'"),
    ("duplicate id", copy_entry("tiltak_skole", roles=["annet"]), "id 'tiltak_skole' is used by 2 entries"),
    ("general without label", drop_field("pst_tips", "label"), "needs a 'label'"),
]


@pytest.mark.parametrize("mutate, expected", [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_broken_content_raises_a_clear_error(tmp_path, mutate, expected):
    documents = read_content()
    mutate(documents)
    write_content(tmp_path, documents)
    with pytest.raises(ContentError) as error:
        load_knowledge(tmp_path, today=TODAY)
    assert expected in str(error.value)


def test_unmodified_copy_loads(tmp_path):
    write_content(tmp_path, read_content())
    assert len(load_knowledge(tmp_path, today=TODAY).entries) == len(load_knowledge(CONTENT_DIR).entries)


def test_error_names_the_file_and_entry_and_lists_every_problem(tmp_path):
    documents = read_content()
    entry(documents, "pst_tips")["confidence"] = "R"
    entry(documents, "tiltak_nav")["roles"] = ["arbeidsledig"]
    write_content(tmp_path, documents)
    with pytest.raises(ContentError) as error:
        load_knowledge(tmp_path, today=TODAY)
    message = str(error.value)
    assert "exit_og_pst.yaml entry 2 (id 'pst_tips')" in message
    assert "tiltak_etter_rolle.yaml entry 5 (id 'tiltak_nav')" in message
    assert len(error.value.problems) == 2


def test_file_without_entries_key_fails(tmp_path):
    shutil.copytree(CONTENT_DIR, tmp_path / "c")
    (tmp_path / "c" / "extra.yaml").write_text("entris: []\n", encoding="utf-8")
    with pytest.raises(ContentError, match="extra.yaml: the file must hold exactly one key, 'entries'"):
        load_knowledge(tmp_path / "c", today=TODAY)


def test_invalid_yaml_fails(tmp_path):
    shutil.copytree(CONTENT_DIR, tmp_path / "c")
    (tmp_path / "c" / "broken.yaml").write_text("entries:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="broken.yaml: not valid YAML"):
        load_knowledge(tmp_path / "c", today=TODAY)


def test_empty_or_missing_directory_fails(tmp_path):
    with pytest.raises(ContentError, match="no \\*.yaml content files"):
        load_knowledge(tmp_path, today=TODAY)
    with pytest.raises(ContentError, match="content directory not found"):
        load_knowledge(tmp_path / "nope", today=TODAY)


def test_yaml_dates_and_quoted_dates_are_both_accepted(tmp_path):
    documents = read_content()
    entry(documents, "pst_tips")["verified"] = "2026-11-24"
    entry(documents, "exit_arbeid")["verified"] = date(2026, 11, 24)
    write_content(tmp_path, documents)
    kb = load_knowledge(tmp_path, today=TODAY)
    assert kb.by_id("pst_tips").verified == date(2026, 11, 24)
    assert kb.by_id("exit_arbeid").verified == date(2026, 11, 24)


@pytest.mark.parametrize(
    "text, words",
    [("Ring 112.", 2), ("- Ytringer: fiendebilder («vi og dem»)", 5), ("1. Bekymring – vurder", 3), ("", 0)],
)
def test_word_count_ignores_punctuation_only_tokens(text, words):
    assert count_words(text) == words


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://lovdata.no/lov/2005-05-20-28/§196", None),
        ("https://www.regjeringen.no/no/dokumenter/meld.-st.-13-20242025/id3092713/?ch=4", None),
        ("ftp://pst.no/", "is not an https URL"),
        ("https://", "has no valid host"),
        ("https://.no/", "has no valid host"),
        (42, "is not a string"),
    ],
)
def test_url_problem(url, problem):
    assert url_problem(url) == problem
