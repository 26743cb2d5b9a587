"""Handoff actions: live handoff or callback offer, the callback form, the notification."""
from __future__ import annotations

import pytest
from rasa_sdk.events import ConversationPaused

from actions.handoff import ActionRequestHandoff, ActionSubmitCallback, ValidateCallbackForm
from tests.conftest import make_tracker, user_event
from tests.handoff.conftest import make_advisor, sign_in_now
from tests.handoff.smtp_sink import SmtpSink
from veiviser.handoff import cases, db
from veiviser.handoff.db import Callback, Case


def texts(dispatcher):
    return [m.get("text") or m.get("response") for m in dispatcher.messages]


def ask(sender="user-1", channel="socketio"):
    event = {**user_event("kan jeg snakke med en veileder?", "request_human"), "input_channel": channel}
    return make_tracker([event], sender_id=sender)


def test_live_handoff_pauses_the_bot_and_queues(sqlite_db, always_open, dispatcher, domain):
    make_advisor()
    sign_in_now()
    events = ActionRequestHandoff().run(dispatcher, ask(), domain)
    assert events == [ConversationPaused()]
    message, signal = dispatcher.messages
    assert "Du er først i køen" in message["text"] and "VV-" in message["text"]
    assert signal["custom"] == {"data": {"metadata": {"from": "veiviser", "handoff": "waiting"}}}
    with db.session() as s:
        [case] = s.query(Case).all()
        assert (case.sender_id, case.status) == ("user-1", "waiting")


def test_second_user_hears_the_queue_length(sqlite_db, always_open, dispatcher, domain):
    make_advisor()
    sign_in_now()
    ActionRequestHandoff().run(dispatcher, ask("user-1"), domain)
    dispatcher.messages.clear()
    ActionRequestHandoff().run(dispatcher, ask("user-2"), domain)
    assert "Det er 1 samtale foran deg i køen" in texts(dispatcher)[0]


def test_closed_offers_a_callback(sqlite_db, never_open, dispatcher, domain):
    make_advisor()
    sign_in_now()
    assert ActionRequestHandoff().run(dispatcher, ask(), domain) == []
    assert texts(dispatcher)[0].startswith("Chatten med veileder er stengt nå.")
    assert texts(dispatcher)[1] == "utter_request_human"


def test_only_the_web_chat_gets_a_live_handoff(sqlite_db, always_open, dispatcher, domain):
    make_advisor()
    sign_in_now()
    assert ActionRequestHandoff().run(dispatcher, ask(channel="rest"), domain) == []
    assert texts(dispatcher) == ["Du kan snakke med en veileder i chatten på nettsiden, men ikke her.",
                                 "utter_request_human"]
    with db.session() as s:
        assert s.query(Case).count() == 0


def test_open_but_nobody_signed_in_offers_a_callback(sqlite_db, always_open, dispatcher, domain):
    assert ActionRequestHandoff().run(dispatcher, ask(), domain) == []
    assert texts(dispatcher) == ["Ingen veileder er logget inn i chatten akkurat nå.", "utter_request_human"]


def form_tracker(text, intent="nlu_fallback", slot="callback_role", sender="user-1"):
    return make_tracker([user_event(text, intent)], slots={"requested_slot": slot},
                        active_loop="callback_form", sender_id=sender)


@pytest.mark.parametrize("text, role", [("Skole", "skole"), ("jeg jobber i barnevernet", "barnevern"),
                                        ("NAV", "nav"), ("blø", None)])
def test_role(dispatcher, domain, text, role):
    result = ValidateCallbackForm().validate_callback_role(text, dispatcher, form_tracker(text), domain)
    assert result == {"callback_role": role}


@pytest.mark.parametrize("text, name", [("Bergen", "Bergen"), ("Kristiansnad", "Kristiansand"), ("Herøy", None), ("ingen steder", None)])
def test_municipality(dispatcher, domain, text, name):
    result = ValidateCallbackForm().validate_callback_municipality(text, dispatcher, form_tracker(text), domain)
    assert result == {"callback_municipality": name}


def test_contact_comes_from_the_raw_text_hook_not_from_the_slot(sqlite_db, dispatcher, domain):
    validate = ValidateCallbackForm().validate_callback_contact
    tracker = form_tracker("[telefonnummer]", slot="callback_contact")
    assert validate("[telefonnummer]", dispatcher, tracker, domain) == {"callback_contact": None}
    cases.store_contact("user-1", "telefon", "+4791234567")
    assert validate("[telefonnummer]", dispatcher, tracker, domain) == {"callback_contact": "telefon"}


@pytest.mark.parametrize("intent, value", [("affirm", "ja"), ("deny", "nei"), ("greet", None)])
def test_consent(dispatcher, domain, intent, value):
    tracker = form_tracker("/" + intent, intent=intent, slot="callback_consent")
    assert ValidateCallbackForm().validate_callback_consent("/" + intent, dispatcher, tracker, domain) == {
        "callback_consent": value}


def filled(consent="ja"):
    return make_tracker([user_event("/affirm", "affirm")], sender_id="user-1", slots={
        "callback_role": "skole", "callback_municipality": "Bergen", "callback_contact": "telefon",
        "callback_time": "i morgen formiddag", "callback_description": "En elev har endret seg mye",
        "callback_consent": consent})


def test_submit_stores_notifies_and_shows_the_reference(sqlite_db, dispatcher, domain, monkeypatch):
    cases.store_contact("user-1", "telefon", "+4791234567")
    with SmtpSink() as sink:
        monkeypatch.setenv("VEIVISER_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("VEIVISER_SMTP_PORT", str(sink.port))
        monkeypatch.setenv("VEIVISER_SMTP_TO", "veiledere@example.no")
        monkeypatch.setenv("CONSOLE_PUBLIC_URL", "http://konsoll.example.no")
        events = ActionSubmitCallback().run(dispatcher, filled(), domain)
    with db.session() as s:
        [callback] = s.query(Callback).all()
    assert callback.status == "new"
    assert callback.reference in texts(dispatcher)[0]
    assert all(e["event"] == "slot" and e["value"] is None for e in events)
    [mail] = sink.messages
    assert callback.reference in mail["subject"]
    assert f"http://konsoll.example.no/callbacks/{callback.id}" in mail["body"]
    assert "91234567" not in mail["body"] and "endret seg" not in mail["body"]


def test_no_consent_deletes_the_draft(sqlite_db, dispatcher, domain):
    cases.store_contact("user-1", "telefon", "+4791234567")
    ActionSubmitCallback().run(dispatcher, filled(consent="nei"), domain)
    assert texts(dispatcher) == ["utter_callback_declined"]
    with db.session() as s:
        assert s.query(Callback).count() == 0
