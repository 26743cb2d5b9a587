"""Contacts actions, run with a CollectingDispatcher and trackers built from events.

validate_contacts_form is called the way Rasa's FormAction calls it: on a
temporary tracker whose events end with the form's ActionExecuted and the slot
candidates (rasa/core/actions/forms.py, _temporary_tracker).
"""

import asyncio
import importlib

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.contacts as contacts_actions
import veiviser.contacts as contacts
import veiviser.contacts.loader as loader
from actions.contacts import ActionAnswerContact, ActionAskMunicipality, ValidateContactsForm
from tests.conftest import make_tracker, user_event

FORM = "contacts_form"
BOOKKEEPING = ("municipality", "municipality_candidates", "municipality_not_found")


def user(text, intent="ask_contact", **entities):
    return user_event(text, intent, [{"entity": name, "value": value} for name, value in entities.items()])


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def action(name):
    return {"event": "action", "name": name}


def form_tracker(message, slots=None, asking=False, candidates=()):
    """The tracker validate_contacts_form gets: at activation, or while the form asks."""
    slots = dict(slots or {})
    if asking:
        slots["requested_slot"] = "municipality"
    events = [slot(name, value) for name, value in slots.items()]
    events += [action("action_listen"), message, slot("requested_slot", slots.get("requested_slot")), action(FORM)]
    events += [slot(name, value) for name, value in candidates]
    return make_tracker(events, slots=slots, active_loop=FORM if asking else None)


def run(action_instance, tracker, domain=None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action_instance.run(dispatcher, tracker, domain or {}))
    return dispatcher.messages, events


def slots_of(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def outcome(municipality=None, candidates=None, not_found=None):
    """The three slots validate_contacts_form sets."""
    return {"municipality": municipality, "municipality_candidates": candidates, "municipality_not_found": not_found}


# -- validate_contacts_form --------------------------------------------------


@pytest.mark.parametrize(
    "message, expected",
    [
        (user("hvem kontakter jeg i Bergen?", municipality="Bergen"), "Bergen"),
        (user("hvem kontakter jeg i Kristiansnad?"), "Kristiansand"),  # no entity from NLU
        (user("kven kontaktar eg i Stavanger"), "Stavanger"),
        (user("hvem kontakter jeg i Guovdageaidnu?", municipality="Guovdageaidnu"), "Guovdageaidnu"),
        (user("og i Skien?", "inform_municipality", municipality="Skien"), "Skien"),
        (user("Røyken kommune", "inform_municipality"), "Asker"),
    ],
)
def test_activation_with_a_place_fills_the_slot(domain, message, expected):
    messages, events = run(ValidateContactsForm(), form_tracker(message), domain)
    assert slots_of(events) == outcome(expected)
    assert messages == []


@pytest.mark.parametrize("text", ["hvem kontakter jeg?", "hvem skal jeg kontakte da?", "/ask_contact"])
def test_activation_without_a_place_leaves_the_question_to_the_form(domain, text):
    _, events = run(ValidateContactsForm(), form_tracker(user(text)), domain)
    assert events == []


def test_activation_keeps_the_remembered_municipality(domain):
    tracker = form_tracker(user("hvem skal jeg kontakte da?"), slots={"municipality": "Bergen"},
                           candidates=[("municipality", "Bergen")])
    _, events = run(ValidateContactsForm(), tracker, domain)
    assert slots_of(events)["municipality"] == "Bergen"


def test_a_new_place_replaces_the_remembered_one(domain):
    tracker = form_tracker(user("og i Skien?", "inform_municipality"), slots={"municipality": "Bergen"},
                           candidates=[("municipality", "Bergen")])
    _, events = run(ValidateContactsForm(), tracker, domain)
    assert slots_of(events)["municipality"] == "Skien"


def test_a_shared_name_leaves_candidates_for_the_question(domain):
    tracker = form_tracker(user("hvem kontakter jeg i Herøy?", municipality="Herøy"))
    _, events = run(ValidateContactsForm(), tracker, domain)
    assert slots_of(events) == outcome(candidates=["Herøy (Møre og Romsdal)", "Herøy (Nordland)"])


def test_the_county_button_payload_picks_the_candidate(domain):
    message = user('/inform_municipality{"municipality": "Herøy (Nordland)"}', "inform_municipality",
                   municipality="Herøy (Nordland)")
    tracker = form_tracker(message, slots={"municipality_candidates": ["Herøy (Møre og Romsdal)", "Herøy (Nordland)"]},
                           asking=True)
    _, events = run(ValidateContactsForm(), tracker, domain)
    assert slots_of(events) == outcome("Herøy (Nordland)")


def test_naming_the_county_picks_the_candidate(domain):
    tracker = form_tracker(user("den i Nordland", "inform_municipality"),
                           slots={"municipality_candidates": ["Herøy (Møre og Romsdal)", "Herøy (Nordland)"]},
                           asking=True)
    _, events = run(ValidateContactsForm(), tracker, domain)
    assert slots_of(events)["municipality"] == "Herøy (Nordland)"


@pytest.mark.parametrize(
    "message, not_found",
    [
        (user("Mordor", "inform_municipality"), "Mordor"),
        (user("hvem kontakter jeg på Majorstuen?", "ask_contact"), "Majorstuen"),
        (user("Rogaland", "inform_municipality"), "Rogaland"),
        (user("Svalbard", "nlu_fallback"), "Svalbard"),
        # A typed payload with a made-up name is not trusted.
        (user('/inform_municipality{"municipality": "Narnia"}', "inform_municipality", municipality="Narnia"),
         "Narnia"),
    ],
)
def test_a_place_that_is_not_a_municipality_is_noted_not_guessed(domain, message, not_found):
    _, events = run(ValidateContactsForm(), form_tracker(message, asking=True), domain)
    assert slots_of(events) == outcome(not_found=not_found)


def test_a_typo_the_nlu_did_not_understand_is_still_read_as_the_answer(domain):
    _, events = run(ValidateContactsForm(), form_tracker(user("Kristiansnad", "nlu_fallback"), asking=True), domain)
    assert slots_of(events)["municipality"] == "Kristiansand"


def test_an_answer_that_is_a_word_one_typo_from_one_name_is_read_as_that_name(domain):
    _, events = run(ValidateContactsForm(), form_tracker(user("Mold", "inform_municipality"), asking=True), domain)
    assert slots_of(events) == outcome(municipality="Molde")


def test_an_answer_as_close_to_two_names_is_asked_between_them(domain):
    _, events = run(ValidateContactsForm(), form_tracker(user("kristiansnd", "nlu_fallback"), asking=True), domain)
    assert slots_of(events) == outcome(candidates=["Kristiansand", "Kristiansund"])  # both lack one letter; equal cost, by name


@pytest.mark.parametrize(
    "message",
    [
        user("hva er bekymringstegn?", "ask_warning_signs"),
        user("nei takk", "deny"),
        # Acute danger goes to the emergency capability even if it names a place.
        user("det er en mann med kniv på skolen i Bergen nå", "report_emergency", municipality="Bergen"),
    ],
)
def test_other_messages_leave_the_form_so_other_rules_can_answer(domain, message):
    _, events = run(ValidateContactsForm(), form_tracker(message, asking=True), domain)
    assert events == []


# -- action_ask_municipality -------------------------------------------------


def ask(slots):
    tracker = make_tracker([action("action_listen"), user("hvem kontakter jeg?")], slots=slots, active_loop=FORM)
    messages, events = run(ActionAskMunicipality(), tracker)
    assert events == [] and len(messages) == 1
    return messages[0]


def test_asks_where_the_user_works():
    message = ask({})
    assert message["text"].startswith("Hvilken kommune jobber du i?")
    assert message["buttons"] == []


def test_asks_between_candidates_with_county_buttons():
    message = ask({"municipality_candidates": ["Herøy (Møre og Romsdal)", "Herøy (Nordland)"]})
    assert message["text"] == "Det finnes flere kommuner som heter Herøy. Hvilken mener du?"
    assert message["buttons"] == [
        {"title": "Herøy i Møre og Romsdal",
         "payload": '/inform_municipality{"municipality": "Herøy (Møre og Romsdal)"}'},
        {"title": "Herøy i Nordland", "payload": '/inform_municipality{"municipality": "Herøy (Nordland)"}'},
    ]


@pytest.mark.parametrize(
    "not_found, start",
    [
        ("Mordor", "Jeg fant ikke «Mordor» blant de 357 kommunene."),
        ("Rogaland", "Rogaland er et fylke. Hvilken kommune i Rogaland"),
        ("Svalbard", "Svalbard er ikke en kommune"),
    ],
)
def test_says_why_before_asking_again(not_found, start):
    message = ask({"municipality_not_found": not_found})
    assert message["text"].startswith(start)
    assert message["text"].endswith("jobber du i?")


def test_ignores_candidates_that_are_not_municipalities():
    assert ask({"municipality_candidates": ["Narnia"]})["text"].startswith("Hvilken kommune jobber du i?")


# -- action_answer_contact ---------------------------------------------------


def answer(events, slots):
    return run(ActionAnswerContact(), make_tracker(events, slots=slots))


def test_answers_for_the_municipality_in_the_slot():
    events = [action("action_listen"), user("hvem kontakter jeg i Bergen?", municipality="Bergen"),
              action(FORM), slot("municipality", "Bergen"), slot("requested_slot", None)]
    messages, returned = answer(events, {"municipality": "Bergen"})
    main, sources = messages
    assert main["text"].startswith("Kontakter for Bergen kommune i Vestland:")
    assert "• Akutt fare: ring 112." in main["text"]
    assert "Vest politidistrikt" in main["text"] and "02800" in main["text"] and "RVTS Vest" in main["text"]
    assert "Gjelder det en annen kommune" not in main["text"]
    assert sources["text"].startswith("Kilder:") and len(sources["buttons"]) == 3
    assert returned == [SlotSet("municipality", "Bergen"), SlotSet("municipality_candidates", None),
                        SlotSet("municipality_not_found", None)]


def test_answer_is_tailored_to_the_role_slot():
    events = [action("action_listen"), user("hvem kontakter jeg i Drammen?"), slot("municipality", "Drammen")]
    messages, _ = answer(events, {"municipality": "Drammen", "role": "barnevern"})
    assert "116 111" in messages[0]["text"] and "Bufdir" in messages[0]["text"]
    assert "RVTS Sør" in messages[0]["text"]  # Buskerud: both centres


def test_remembered_municipality_is_used_and_can_be_changed():
    events = [slot("municipality", "Hamar"), action("action_answer_contact"), action("action_listen"),
              user("hvem skal jeg kontakte da?"), action(FORM), slot("municipality", "Hamar")]
    messages, returned = answer(events, {"municipality": "Hamar"})
    assert "Innlandet politidistrikt" in messages[0]["text"]
    assert messages[0]["text"].splitlines()[-1].startswith("Gjelder det en annen kommune?")
    assert SlotSet("municipality", "Hamar") in returned


def test_answer_to_the_question_says_how_a_typo_was_read():
    # The form asked, "Mold" filled the slot and the form ended before the answer.
    events = [slot("requested_slot", "municipality"), action("action_listen"), user("Mold", "nlu_fallback"),
              action(FORM), slot("municipality", "Molde"), slot("requested_slot", None), {"event": "active_loop", "name": None}]
    messages, _ = answer(events, {"municipality": "Molde"})
    first, heading = messages[0]["text"].splitlines()[:2]
    assert first == "Jeg tolket «Mold» som Molde. Gjelder det en annen kommune, skriv navnet på nytt."
    assert heading.startswith("Kontakter for Molde kommune")


def test_typo_in_a_question_is_named_in_the_answer_and_exact_names_are_not():
    typo = [action("action_listen"), user("hvem kontakter jeg i Kristiansnad?")]
    assert answer(typo, {})[0][0]["text"].startswith("Jeg tolket «Kristiansnad» som Kristiansand.")
    exact = [action("action_listen"), user("hvem kontakter jeg i Kristiansand?")]
    assert answer(exact, {})[0][0]["text"].startswith("Kontakter for Kristiansand kommune")


def test_an_ordinary_word_in_a_question_outside_the_form_is_not_corrected():
    events = [action("action_listen"), user("hvem kontakter jeg om vold?")]
    messages, _ = answer(events, {})
    assert messages[0]["text"].startswith("Hvilken kommune jobber du i?")


def test_former_name_is_explained_in_the_answer():
    events = [action("action_listen"), user("hvem kontakter jeg i Røyken?"), slot("municipality", "Asker")]
    messages, _ = answer(events, {"municipality": "Asker"})
    assert "Røyken er i dag en del av Asker kommune." in messages[0]["text"]
    assert "Oslo politidistrikt" in messages[0]["text"]


def test_without_the_form_the_place_is_read_from_the_message():
    events = [action("action_listen"), user("hvem kontakter jeg i Tromsø?")]
    messages, returned = answer(events, {})
    assert "Troms politidistrikt" in messages[0]["text"]
    assert SlotSet("municipality", "Tromsø") in returned


def test_without_any_place_it_asks_and_clears_the_bookkeeping():
    events = [action("action_listen"), user("hvem kontakter jeg?")]
    messages, returned = answer(events, {"municipality": "Narnia"})  # an invalid slot value is not used
    assert len(messages) == 1 and messages[0]["text"].startswith("Hvilken kommune jobber du i?")
    assert returned == [SlotSet(name, None) for name in BOOKKEEPING]


# -- the action server fails at start on broken data -------------------------


def test_importing_the_actions_validates_the_data(tmp_path, monkeypatch):
    (tmp_path / "contacts").mkdir()
    monkeypatch.setattr(loader, "DEFAULT_CONTENT_DIR", tmp_path / "contacts")
    contacts.get_directory.cache_clear()
    contacts.get_resolver.cache_clear()
    try:
        with pytest.raises(contacts.ContactDataError, match="content/contacts/sources.yaml: file is missing"):
            importlib.reload(contacts_actions)
    finally:
        monkeypatch.undo()
        contacts.get_directory.cache_clear()
        contacts.get_resolver.cache_clear()
        importlib.reload(contacts_actions)


def test_role_named_with_the_place_tailors_the_answer_and_is_remembered():
    events = [action("action_listen"),
              user("jeg er barnevernspedagog i Drammen", "inform_municipality",
                   municipality="Drammen", role="barnevernspedagog"),
              action(FORM), slot("municipality", "Drammen")]
    messages, returned = answer(events, {"municipality": "Drammen"})
    assert "116 111" in messages[0]["text"] and "Bufdir" in messages[0]["text"]
    assert SlotSet("role", "barnevern") in returned
