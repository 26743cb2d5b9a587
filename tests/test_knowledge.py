"""Knowledge content: schema check on the real files, lookups, rendering and sourcing."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from veiviser.knowledge import (
    ANSWERABLE_INTENTS,
    ROLES,
    contact_button,
    load_knowledge,
    menu,
    render_answer,
    render_more,
)
from veiviser.knowledge.model import HUMAN_INTENTS, LEGAL_INTENTS
from veiviser.knowledge.render import LEGAL_NOTE, MORE_PAYLOAD, NO_MORE_TEXT
from veiviser.knowledge.schema import MAX_WORDS, count_words, url_problem

CONTENT_DIR = ROOT / "content" / "knowledge"
SHARED_KNOWLEDGE = ROOT.parent / "shared" / "knowledge"
COLLECTION_DATE = "2026-11-25"

# Laws whose Lovdata links the content may use: forvaltningsloven, straffeloven,
# barnevernsloven (2021). Everything else must be a source named in shared/knowledge.
LOVDATA = re.compile(r"^https://lovdata\.no/lov/(1967-02-10|2005-05-20-28|2021-06-18-97)(/§[0-9a-z-]+)?$")

# Every number the answers may contain, each traceable to ../shared/knowledge.
# Phone numbers: 112, 02800 and 116 111 only (PST's number is not verified).
ALLOWED_NUMBERS = {
    "112", "02800", "116", "111",
    "2011", "2012", "2014", "2015", "2017", "2020", "2024", "2025",
    "2", "3", "5", "6", "7", "13", "17", "24", "30", "196",
}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(CONTENT_DIR)


def all_text(entry):
    return entry.text + "\n" + (entry.les_mer or "")


def numbers_in(text):
    """Numbers in running text; list markers such as "1." are not facts."""
    return set(re.findall(r"\d+", re.sub(r"(?m)^\s*\d+\.\s", "", text)))


def test_real_content_loads_and_covers_every_intent(kb):
    for intent in ANSWERABLE_INTENTS:
        general = kb.general(intent)
        assert general is not None, intent
        assert general.label, intent


def test_real_content_passes_the_word_limit(kb):
    for entry in kb.entries:
        assert count_words(entry.text) <= MAX_WORDS, entry.id
        assert count_words(entry.les_mer or "") <= MAX_WORDS, entry.id


def test_every_entry_has_at_least_one_https_source(kb):
    for entry in kb.entries:
        assert entry.sources, entry.id
        for url in entry.sources:
            assert url.startswith("https://"), (entry.id, url)
            assert url_problem(url) is None, (entry.id, url)


def test_every_entry_is_verified_on_the_collection_date_with_known_confidence(kb):
    for entry in kb.entries:
        assert entry.verified.isoformat() == COLLECTION_DATE, entry.id
        assert entry.confidence in ("V", "V2"), entry.id


def _normalise(url):
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


@pytest.mark.skipif(not SHARED_KNOWLEDGE.is_dir(), reason="../shared/knowledge is not beside the repo")
def test_every_source_is_named_in_the_shared_facts(kb):
    files = [p for p in SHARED_KNOWLEDGE.rglob("*") if p.suffix in (".md", ".yaml") and p.is_file()]
    corpus = re.sub(r"https?://(www\.)?", "", "\n".join(p.read_text(encoding="utf-8") for p in files))
    unknown = []
    for entry in kb.entries:
        for url in entry.sources:
            if LOVDATA.match(url):
                continue
            if _normalise(url) not in corpus:
                unknown.append((entry.id, url))
    assert not unknown


def test_lovdata_links_are_only_the_known_laws(kb):
    for entry in kb.entries:
        for url in entry.sources:
            if "lovdata.no" in url:
                assert LOVDATA.match(url), (entry.id, url)


def test_answers_contain_only_sourced_numbers(kb):
    for entry in kb.entries:
        numbers = numbers_in(all_text(entry))
        assert numbers <= ALLOWED_NUMBERS, (entry.id, numbers - ALLOWED_NUMBERS)
        if "116" in numbers:
            assert "116 111" in all_text(entry), entry.id


def test_answers_contain_no_email_or_pst_phone_number(kb):
    for entry in kb.entries:
        text = all_text(entry)
        assert "@" not in text, entry.id
        assert not re.search(r"23\s?30\s?50\s?00", text), entry.id


def test_legal_answers_cite_the_law_and_link_lovdata(kb):
    expected = {
        "ask_confidentiality": ("forvaltningsloven § 13", "https://lovdata.no/lov/1967-02-10/§13"),
        "ask_duty_to_avert": ("straffeloven § 196", "https://lovdata.no/lov/2005-05-20-28/§196"),
        "ask_duty_to_report_cps": ("barnevernsloven § 13-2", "https://lovdata.no/lov/2021-06-18-97/§13-2"),
    }
    for intent, (citation, url) in expected.items():
        entry = kb.general(intent)
        assert citation in entry.text
        assert url in entry.sources


def test_required_facts_are_present(kb):
    plan = kb.general("ask_action_plan")
    for fact in ("2014", "17. juni 2020", "fem innsatsområder", "30 tiltakene", "JD", "NOU 2024: 3", "Meld. St. 13"):
        assert fact in plan.text, fact
    for ministry in ("HOD og JD", "(ASD)", "(BFD)", "(KD)", "JD koordinerer"):
        assert ministry in plan.les_mer, ministry
    assert "PST" in kb.general("ask_pst").text and "pst.no" in kb.general("ask_pst").text
    assert "ikke uttømmende" in kb.general("ask_warning_signs").text
    assert "kombinasjon" in kb.general("ask_warning_signs").text
    steps = kb.general("ask_steps_when_worried").text
    assert all(f"{n}." in steps for n in (1, 2, 3, 4))
    assert "utveier.no" in kb.general("ask_rvts").text.lower()
    assert "anonym" in kb.general("ask_anonymous_discussion").text


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("intent", ANSWERABLE_INTENTS)
def test_every_intent_and_role_finds_an_answer(kb, intent, role):
    entry = kb.find(intent, role)
    assert entry is not None
    assert intent in entry.intents
    assert entry.is_general or role in entry.roles


@pytest.mark.parametrize(
    "role, entry_id",
    [
        ("skole", "tiltak_skole"),
        ("barnehage", "tiltak_barnehage"),
        ("barnevern", "tiltak_barnevern"),
        ("nav", "tiltak_nav"),
        ("helse", "tiltak_helse"),
        ("kriminalomsorg", "tiltak_kriminalomsorg"),
        ("kommune", "tiltak_kommune"),
        ("politi", "tiltak_politi"),
        ("annet", "tiltak_generelt"),
        (None, "tiltak_generelt"),
    ],
)
def test_measures_are_tailored_to_every_role(kb, role, entry_id):
    assert kb.find("ask_measures_for_role", role).id == entry_id


def test_role_variants_prefer_the_role_and_fall_back_to_general(kb):
    assert kb.find("ask_confidentiality", "barnehage").id == "taushetsplikt_barnehage"
    assert kb.find("ask_confidentiality", "skole").id == "taushetsplikt"
    assert kb.find("ask_steps_when_worried", "skole").id == "bekymret_fire_steg_skole"
    assert kb.find("ask_steps_when_worried", "nav").id == "bekymret_fire_steg"


def test_every_rendered_answer_carries_its_sources(kb):
    for entry in kb.entries:
        for reply in (render_answer(kb, entry), render_more(kb, entry)):
            assert re.search(r"^Kilder? \(kontrollert 25\.11\.2026\):", reply.text, re.M), entry.id
            for url in entry.sources:
                assert url in reply.text, (entry.id, url)


def test_les_mer_button_only_when_there_is_a_continuation(kb):
    for entry in kb.entries:
        payloads = [b.payload for b in render_answer(kb, entry).buttons]
        assert (MORE_PAYLOAD in payloads) == bool(entry.les_mer), entry.id
        if entry.les_mer:
            assert payloads[0] == MORE_PAYLOAD


def test_answers_offer_two_or_three_next_steps_and_a_human_where_complex(kb):
    for entry in kb.entries:
        payloads = [b.payload for b in render_answer(kb, entry).buttons if b.payload != MORE_PAYLOAD]
        human = "/request_human" in payloads
        assert human == any(i in HUMAN_INTENTS for i in entry.intents), entry.id
        assert 2 <= len(payloads) - human <= 3, entry.id
        assert all(p.startswith("/") and " " not in p for p in payloads), entry.id


def test_legal_answers_say_they_are_not_legal_advice(kb):
    for entry in kb.entries:
        legal = any(i in LEGAL_INTENTS for i in entry.intents)
        assert (LEGAL_NOTE in render_answer(kb, entry).text) == legal, entry.id
        assert "ikke juridisk rådgivning" in LEGAL_NOTE


def test_render_more_shows_continuation_or_points_to_sources(kb):
    with_more = kb.by_id("handlingsplan")
    assert render_more(kb, with_more).text.startswith(with_more.les_mer)
    without = kb.by_id("avvergingsplikt")
    reply = render_more(kb, without)
    assert reply.text.startswith(NO_MORE_TEXT)
    assert "https://lovdata.no/lov/2005-05-20-28/§196" in reply.text


def test_menu_buttons_use_content_labels(kb):
    reply = menu(kb)
    assert [b.title for b in reply.buttons][:2] == ["Bekymringstegn", "Hva gjør jeg ved bekymring?"]


@pytest.mark.parametrize(
    "place, ok",
    [("Bergen", True), ("Nord-Fron", True), ("Guovdageaidnu", True), ('Oslo"}/restart', False),
     ("", False), (None, False), ("x" * 41, False), ("1234", False)],
)
def test_contact_button_accepts_only_plain_place_names(place, ok):
    button = contact_button(place)
    assert (button is not None) == ok
    if ok:
        payload = json.loads(button.payload[len("/ask_contact"):])
        assert payload == {"municipality": place}
