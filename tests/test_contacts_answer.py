"""Answer composition: content, honesty where data is unverified, role tailoring, and no invented facts."""

import json
import re

import pytest

from veiviser.contacts import Ambiguous, NotFound, compose_answer, compose_question, get_directory, get_resolver
from veiviser.contacts.answer import quote_user_text
from veiviser.contacts.loader import ROLES

DIRECTORY = get_directory()
BY_NAME = {m.name: m for m in DIRECTORY.municipalities}
KNOWN_URLS = (
    {s.url for s in DIRECTORY.sources.values() if s.url}
    | {c.url for c in DIRECTORY.national_contacts.values() if c.url}
    | {c.website for c in DIRECTORY.rvts_centres if c.website}
)
ALLOWED_NUMBERS = {"112", "02800", "116 111"}
NUMBER = re.compile(r"(?<![\w/.=&-])\d[\d ]*\d(?![\w/])")
SOURCE_MARKER = re.compile(r" \[(\d+(?:, \d+)*)\]$")


def answer_text(name, role=None, **kwargs):
    answer = compose_answer(DIRECTORY, BY_NAME[name], role=role, **kwargs)
    return answer.messages[0].text, answer


def test_bergen_answer_is_ordered_and_complete():
    text, answer = answer_text("Bergen")
    lines = text.splitlines()
    assert lines[0] == "Kontakter for Bergen kommune i Vestland:"
    assert lines[1] == "• Akutt fare: ring 112. [1]"
    assert "Vest politidistrikt" in lines[2] and "02800" in lines[2] and "radikaliseringskontakten" in lines[2]
    assert "RVTS Vest" in lines[3] and "https://rvtsvest.no/" in lines[3]
    assert "ikke bekreftet av RVTS selv" in lines[4]  # Vestland's coverage is derived
    assert "SLT-koordinatoren" in text and "politikontakten" in text
    assert "https://pst.no/tipsportal---veiledning/" in text
    assert lines[-1].startswith("• Barnevernet: Gjelder bekymringen et barns omsorgssituasjon")
    assert "opplysningsplikt" in lines[-1]
    assert "Gjelder det en annen kommune" not in text
    sources, buttons = answer.messages[1].text, answer.messages[1].buttons
    assert sources.startswith("Kilder:\n[1] https://tips.kripos.no/")
    assert [b["payload"] for b in buttons] == ["/ask_rvts", "/ask_warning_signs", "/request_human"]


def test_oslo_has_no_county_suffix_and_no_coverage_caveat():
    text, _ = answer_text("Oslo")
    assert text.startswith("Kontakter for Oslo kommune:")
    assert "Oslo politidistrikt" in text and "RVTS Øst" in text
    assert "utledet" not in text


@pytest.mark.parametrize("name", ["Jevnaker", "Lunner"])
def test_unresolved_district_gives_both_and_02800_and_politiet_no(name):
    text, _ = answer_text(name)
    police = next(line for line in text.splitlines() if line.startswith("• Politiet"))
    assert "ikke fått bekreftet" in police
    assert "Øst politidistrikt" in police and "Innlandet politidistrikt" in police
    assert "02800" in police and "https://politiet.no/" in police
    assert police.startswith(f"• Politiet: Jeg har ikke fått bekreftet om {name} hører til")
    assert "politidistrikt. Ring 02800" in police  # "... Øst politidistrikt eller Innlandet politidistrikt."


def test_2016_exception_says_so_and_names_the_alternative():
    text, _ = answer_text("Stord")
    police = next(line for line in text.splitlines() if line.startswith("• Politiet"))
    assert "Sør-Vest politidistrikt" in police and "2016" in police and "Vest politidistrikt" in police
    assert "02800" in police


def test_buskerud_shows_both_rvts_centres():
    text, _ = answer_text("Drammen")
    assert "RVTS Øst" in text and "RVTS Sør" in text
    assert "https://rvtsost.no/radikalisering-og-voldelig-ekstremisme" in text and "https://utveier.no/" in text


@pytest.mark.parametrize("name, centre", [("Skien", "RVTS Sør"), ("Trondheim", "RVTS Midt"), ("Bodø", "RVTS Nord")])
def test_centre_without_verified_website_links_utveier_and_says_why(name, centre):
    text, _ = answer_text(name)
    rvts = next(line for line in text.splitlines() if line.startswith("• Veiledning"))
    assert centre in rvts and "Nettsiden har jeg ikke fått bekreftet" in rvts and "https://utveier.no/" in rvts
    assert "ikke bekreftet av RVTS selv" in text


def test_sami_municipality_shows_both_names():
    text, _ = answer_text("Guovdageaidnu")
    assert text.startswith("Kontakter for Kautokeino (Guovdageaidnu) kommune i Finnmark:")
    assert "Finnmark politidistrikt" in text and "RVTS Nord" in text


@pytest.mark.parametrize(
    "role, expected",
    [
        ("skole", ["under 18 år", "116 111"]),
        ("barnehage", ["barnehagens egne rutiner", "116 111"]),
        ("barnevern", ["Bufdir", "https://bufdir.no/fagstotte/barnevern-oppvekst/barn-av-fremmedkrigere/", "116 111"]),
        ("nav", ["NAV Grünerløkka", "ikke fått bekreftet"]),
        ("helse", ["taushetsreglene"]),
        ("kriminalomsorg", ["innsatte", "løslatelse"]),
        ("kommune", ["SLT-koordinatoren samordner", "politirådet"]),
        ("politi", ["bindeleddet mellom lokal PST og lokalt politi"]),
    ],
)
def test_answer_is_tailored_to_the_role(role, expected):
    text, answer = answer_text("Bergen", role=role)
    plain, _ = answer_text("Bergen")
    assert len(text.splitlines()) > len(plain.splitlines())
    for fragment in expected:
        assert fragment in text
    role_urls = {s.url for line in DIRECTORY.roles[role] for s in line.sources[:1]}
    assert role_urls <= {s.url for s in answer.sources}


@pytest.mark.parametrize("role", (None,) + ROLES)
def test_every_item_shows_the_numbers_of_its_sources(role):
    for municipality in DIRECTORY.municipalities:
        answer = compose_answer(DIRECTORY, municipality, role=role)
        listed = answer.messages[1].text.splitlines()[1:]
        assert listed == [f"[{n}] {s.url}" for n, s in enumerate(answer.sources, start=1)]
        items = answer.messages[0].text.split("\n• ")[1:]  # each item, with its indented lines
        marked = [int(n) for item in items for n in SOURCE_MARKER.search(item.splitlines()[-1]).group(1).split(", ")]
        assert sorted(set(marked)) == list(range(1, len(answer.sources) + 1)), municipality.name


def test_child_welfare_workers_are_not_told_to_contact_child_welfare():
    text, _ = answer_text("Bergen", role="barnevern")
    assert "• Barnevernet:" not in text
    for role in ("skole", "barnehage", "nav", "helse"):
        assert "• Barnevernet:" in answer_text("Bergen", role=role)[0]


@pytest.mark.parametrize("role", [None, "annet", "ukjent-rolle"])
def test_no_role_lines_without_a_known_role(role):
    text, _ = answer_text("Bergen", role=role)
    assert "116 111" not in text and "Bufdir" not in text


def test_remembered_municipality_says_how_to_change_it():
    text, _ = answer_text("Bergen", remembered=True)
    assert text.splitlines()[-1].startswith("Gjelder det en annen kommune?")


def test_former_name_is_explained():
    result = get_resolver().resolve("Røyken")
    text, _ = answer_text("Asker", former=result.former)
    assert "Røyken er i dag en del av Asker kommune." in text.splitlines()[1]


@pytest.mark.parametrize("role", (None,) + ROLES)
def test_no_answer_states_a_number_or_link_that_is_not_in_the_data(role):
    """Across all 357 municipalities: only 112, 02800 and 116 111, and only URLs from content/contacts."""
    for municipality in DIRECTORY.municipalities:
        answer = compose_answer(DIRECTORY, municipality, role=role)
        text = "\n".join(message.text for message in answer.messages)
        assert text.count("112") >= 1 and "02800" in text
        text = "\n".join(SOURCE_MARKER.sub("", line) for line in text.splitlines())
        text = re.sub(r"^\[\d+\] ", "", text, flags=re.MULTILINE)  # the numbered source list
        numbers = set(NUMBER.findall(re.sub(r"https?://\S+", "", text)))
        assert numbers <= ALLOWED_NUMBERS | {"2016", "2020", "18"}, (municipality.name, numbers)
        assert set(re.findall(r"https?://\S+", text)) <= KNOWN_URLS, municipality.name
        assert "23 30 50 00" not in text
        assert all(source.url for source in answer.sources)


# -- questions ---------------------------------------------------------------


def test_same_name_question_has_county_buttons_with_payloads():
    message = compose_question(DIRECTORY, get_resolver().resolve("Herøy"))
    assert message.text == "Det finnes flere kommuner som heter Herøy. Hvilken mener du?"
    titles = {b["title"] for b in message.buttons}
    assert titles == {"Herøy i Nordland", "Herøy i Møre og Romsdal"}
    payloads = {b["payload"] for b in message.buttons}
    assert '/inform_municipality{"municipality": "Herøy (Nordland)"}' in payloads
    for payload in payloads:
        assert payload.startswith("/inform_municipality")
        assert json.loads(payload[len("/inform_municipality"):])["municipality"] in BY_NAME


def test_several_places_question():
    message = compose_question(DIRECTORY, get_resolver().resolve("Bergen eller Askøy"))
    assert message.text == "Jeg fant flere kommuner i meldingen din. Hvilken gjelder det?"
    assert [b["title"] for b in message.buttons] == ["Bergen i Vestland", "Askøy i Vestland"]


def test_did_you_mean_question():
    message = compose_question(DIRECTORY, Ambiguous("Mold", (BY_NAME["Molde"],)))
    assert message.text.startswith("Mener du Molde?")
    assert [b["title"] for b in message.buttons] == ["Molde i Møre og Romsdal"]


@pytest.mark.parametrize(
    "resolution, expected",
    [
        (None, "Hvilken kommune jobber du i?"),
        (NotFound(query=None), "Hvilken kommune jobber du i?"),
        (NotFound(query="Mordor"), "Jeg fant ikke «Mordor» blant de 357 kommunene. Hvilken kommune jobber du i?"),
    ],
)
def test_plain_and_not_found_questions(resolution, expected):
    assert compose_question(DIRECTORY, resolution).text.startswith(expected)


def test_county_and_svalbard_questions():
    resolver = get_resolver()
    assert compose_question(DIRECTORY, resolver.resolve("Rogaland")).text == (
        "Rogaland er et fylke. Hvilken kommune i Rogaland jobber du i?"
    )
    svalbard = compose_question(DIRECTORY, resolver.resolve("Svalbard")).text
    assert svalbard.startswith("Svalbard er ikke en kommune") and svalbard.endswith("Hvilken kommune jobber du i?")


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("Mordor", "Mordor"),
        ("<script>alert(1)</script>", "script alert(1) /script"),
        ("«x» [lenke](javascript:alert(1))", "x lenke (javascript:alert(1))"),
        ("a" * 100, "a" * 59 + "…"),
        ("to\nlinjer", "to linjer"),
    ],
)
def test_user_text_is_quoted_safely(text, quoted):
    assert quote_user_text(text) == quoted
