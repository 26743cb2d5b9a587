"""Knowledge actions, run with a CollectingDispatcher and a tracker built from events."""

import asyncio
import importlib
import json
from pathlib import Path

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.knowledge as knowledge_actions
from actions.knowledge import ASK_ROLE_RESPONSE, LAST_ENTRY_SLOT, ActionAnswerKnowledge, ActionAnswerMore
from tests.conftest import make_tracker, user_event
from veiviser.knowledge import ANSWERABLE_INTENTS, ContentError, load_knowledge
from veiviser.knowledge.render import LEGAL_NOTE, MENU_TEXT, NO_MORE_TEXT, UNSURE_TEXT

ROOT = Path(__file__).resolve().parents[1]
KB = load_knowledge(ROOT / "content" / "knowledge")


def user(intent, text="", **entities):
    return user_event(text, intent, [{"entity": name, "value": value} for name, value in entities.items()])


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def tracker_from(*events):
    """A tracker whose slots are replayed from the slot events, as Rasa does."""
    slots = {"role": None, LAST_ENTRY_SLOT: None}
    slots.update({e["name"]: e["value"] for e in events if e["event"] == "slot"})
    return make_tracker(list(events), slots=slots)


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def payloads(message):
    return [b["payload"] for b in message["buttons"]]


def test_action_names_match_the_domain():
    assert ActionAnswerKnowledge().name() == "action_answer_knowledge"
    assert ActionAnswerMore().name() == "action_answer_more"


@pytest.mark.parametrize("intent", [i for i in ANSWERABLE_INTENTS if i != "ask_measures_for_role"])
def test_each_intent_gets_its_general_answer_with_sources(intent):
    messages, events = run(ActionAnswerKnowledge(KB), tracker_from(user(intent)))
    entry = KB.general(intent)
    assert events == [SlotSet(LAST_ENTRY_SLOT, entry.id)]
    assert len(messages) == 1
    assert messages[0]["text"].startswith(entry.text)
    assert "Kilde" in messages[0]["text"]
    assert all(url in messages[0]["text"] for url in entry.sources)


def test_measures_without_role_answer_generally_then_ask_for_the_role():
    messages, events = run(ActionAnswerKnowledge(KB), tracker_from(user("ask_measures_for_role")))
    assert events == [SlotSet(LAST_ENTRY_SLOT, "tiltak_generelt")]
    assert len(messages) == 2
    assert messages[0]["text"].startswith(KB.by_id("tiltak_generelt").text)
    assert "Kilde" in messages[0]["text"] and messages[0]["buttons"] == []
    assert messages[1]["response"] == ASK_ROLE_RESPONSE


@pytest.mark.parametrize(
    "role, entry_id",
    [("skole", "tiltak_skole"), ("barnevern", "tiltak_barnevern"), ("nav", "tiltak_nav"), ("politi", "tiltak_politi")],
)
def test_measures_with_remembered_role_are_tailored(role, entry_id):
    tracker = tracker_from(slot("role", role), user("ask_measures_for_role", "hvilke tiltak finnes for oss?"))
    messages, events = run(ActionAnswerKnowledge(KB), tracker)
    assert events == [SlotSet(LAST_ENTRY_SLOT, entry_id)]
    assert len(messages) == 1
    assert messages[0]["text"].startswith(KB.by_id(entry_id).text)
    assert messages[0]["response"] is None


def test_role_button_after_general_measures_gives_the_tailored_answer():
    tracker = tracker_from(
        user("ask_measures_for_role"),
        slot(LAST_ENTRY_SLOT, "tiltak_generelt"),
        user("inform_role", '/inform_role{"role":"kriminalomsorg"}', role="kriminalomsorg"),
    )
    messages, events = run(ActionAnswerKnowledge(KB), tracker)
    assert events == [SlotSet(LAST_ENTRY_SLOT, "tiltak_kriminalomsorg")]
    assert messages[0]["text"].startswith("For kriminalomsorgen:")


def test_role_in_latest_message_wins_over_the_slot():
    tracker = tracker_from(slot("role", "skole"), user("ask_measures_for_role", role="helse"))
    _, events = run(ActionAnswerKnowledge(KB), tracker)
    assert events == [SlotSet(LAST_ENTRY_SLOT, "tiltak_helse")]


def test_role_as_the_user_wrote_it_is_normalised():
    tracker = tracker_from(user("ask_measures_for_role", "tiltak for meg som lærer", role="lærer"))
    _, events = run(ActionAnswerKnowledge(KB), tracker)
    assert events == [SlotSet(LAST_ENTRY_SLOT, "tiltak_skole")]


def test_unrecognised_role_gets_the_general_answer_and_the_role_question():
    tracker = tracker_from(slot("role", "astronaut"), user("ask_measures_for_role", role="astronaut"))
    messages, events = run(ActionAnswerKnowledge(KB), tracker)
    assert events == [SlotSet(LAST_ENTRY_SLOT, "tiltak_generelt")]
    assert messages[-1]["response"] == ASK_ROLE_RESPONSE


def test_role_annet_gets_the_general_answer_without_role_question():
    tracker = tracker_from(slot("role", "annet"), user("ask_measures_for_role"))
    messages, events = run(ActionAnswerKnowledge(KB), tracker)
    assert events == [SlotSet(LAST_ENTRY_SLOT, "tiltak_generelt")]
    assert len(messages) == 1 and messages[0]["buttons"]


def test_confidentiality_is_tailored_for_kindergartens_and_offers_a_human():
    tracker = tracker_from(slot("role", "barnehage"), user("ask_confidentiality"))
    messages, events = run(ActionAnswerKnowledge(KB), tracker)
    assert events == [SlotSet(LAST_ENTRY_SLOT, "taushetsplikt_barnehage")]
    assert "private og offentlige barnehager" in messages[0]["text"]
    assert LEGAL_NOTE in messages[0]["text"]
    assert payloads(messages[0])[-1] == "/request_human"


@pytest.mark.parametrize(
    "intent", ["ask_steps_when_worried", "ask_confidentiality", "ask_duty_to_avert", "ask_duty_to_report_cps"]
)
def test_complex_situations_offer_a_human_advisor(intent):
    messages, _ = run(ActionAnswerKnowledge(KB), tracker_from(user(intent)))
    assert "/request_human" in payloads(messages[0])


def test_answer_with_continuation_offers_les_mer_first():
    messages, _ = run(ActionAnswerKnowledge(KB), tracker_from(user("ask_action_plan")))
    assert messages[0]["buttons"][0] == {"title": "Les mer", "payload": "/ask_more"}


def test_topic_and_place_get_a_contact_quick_reply():
    tracker = tracker_from(user("ask_anonymous_discussion", "drøfte en sak i Bergen", municipality="Bergen"))
    messages, _ = run(ActionAnswerKnowledge(KB), tracker)
    contact = messages[0]["buttons"][-1]
    assert contact["title"] == "Hvem kontakter jeg i Bergen?"
    assert json.loads(contact["payload"][len("/ask_contact"):]) == {"municipality": "Bergen"}


def test_injected_place_text_gets_no_button():
    tracker = tracker_from(user("ask_rvts", municipality='x"}/restart'))
    messages, _ = run(ActionAnswerKnowledge(KB), tracker)
    assert not any("ask_contact{" in p for p in payloads(messages[0]))


@pytest.mark.parametrize("intent", ["greet", "nlu_fallback", None])
def test_non_knowledge_intent_gets_the_topic_menu(intent):
    tracker = tracker_from(user(intent)) if intent else tracker_from()
    messages, events = run(ActionAnswerKnowledge(KB), tracker)
    assert events == []
    assert messages[0]["text"] == UNSURE_TEXT
    assert "/ask_warning_signs" in payloads(messages[0])


def test_more_shows_the_continuation_and_clears_the_bookkeeping_slot():
    tracker = tracker_from(slot(LAST_ENTRY_SLOT, "rvts_veiledning"), user("ask_more", "les mer"))
    messages, events = run(ActionAnswerMore(KB), tracker)
    entry = KB.by_id("rvts_veiledning")
    assert events == [SlotSet(LAST_ENTRY_SLOT, None)]
    assert messages[0]["text"].startswith(entry.les_mer)
    assert "Kilde" in messages[0]["text"]
    assert "/ask_more" not in payloads(messages[0])


def test_more_follows_the_role_tailored_entry():
    tracker = tracker_from(slot(LAST_ENTRY_SLOT, "tiltak_skole"), user("ask_more"))
    messages, _ = run(ActionAnswerMore(KB), tracker)
    assert "Dembra ble opprettet i 2012" in messages[0]["text"]


def test_more_without_continuation_points_to_the_source_and_keeps_the_slot():
    tracker = tracker_from(slot(LAST_ENTRY_SLOT, "avvergingsplikt"), user("ask_more"))
    messages, events = run(ActionAnswerMore(KB), tracker)
    assert events == []
    assert messages[0]["text"].startswith(NO_MORE_TEXT)
    assert "https://lovdata.no/lov/2005-05-20-28/§196" in messages[0]["text"]
    assert "/request_human" in payloads(messages[0])


@pytest.mark.parametrize("last", [None, "no_such_entry"])
def test_more_without_a_known_last_answer_offers_topics(last):
    tracker = tracker_from(slot(LAST_ENTRY_SLOT, last), user("ask_more"))
    messages, events = run(ActionAnswerMore(KB), tracker)
    assert events == []
    assert messages[0]["text"] == MENU_TEXT
    assert len(messages[0]["buttons"]) == 5


def test_actions_use_the_content_loaded_at_import():
    assert ActionAnswerKnowledge().knowledge is knowledge_actions.KNOWLEDGE
    assert {e.id for e in knowledge_actions.KNOWLEDGE.entries} == {e.id for e in KB.entries}


def test_action_server_refuses_to_start_on_broken_content(tmp_path, monkeypatch):
    (tmp_path / "broken.yaml").write_text("entries:\n  - id: x\n", encoding="utf-8")
    monkeypatch.setenv(knowledge_actions.CONTENT_DIR_ENV, str(tmp_path))
    try:
        with pytest.raises(ContentError, match="missing field 'sources'"):
            importlib.reload(knowledge_actions)
    finally:
        monkeypatch.delenv(knowledge_actions.CONTENT_DIR_ENV)
        importlib.reload(knowledge_actions)
    assert knowledge_actions.KNOWLEDGE.by_id("pst_tips") is not None
