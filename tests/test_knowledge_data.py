"""Domain, training data, rules and conversation tests of the knowledge capability agree."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

from actions.knowledge import ASK_ROLE_RESPONSE, LAST_ENTRY_SLOT, ActionAnswerKnowledge, ActionAnswerMore
from veiviser.knowledge import ANSWERABLE_INTENTS, KNOWLEDGE_INTENTS, ROLES

MIN_EXAMPLES = 40
ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")
NYNORSK = re.compile(r"\b(kva|korleis|kven|eg|ikkje|kor|finst|gjeld|frå|meir|vere|noko|dei|teieplikta|gjer|seier)\b")


def load(relative):
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def examples_by_intent():
    result = {}
    for block in load("data/nlu/knowledge.yml")["nlu"]:
        lines = [l[2:].strip() for l in block["examples"].splitlines() if l.startswith("- ")]
        result[block["intent"]] = lines
    return result


def plain(example):
    return ANNOTATION.sub(r"\1", example).strip().lower()


def steps_of(story):
    """(kind, name) pairs of user intents and actions, ignoring slot events."""
    steps = []
    for step in story["steps"]:
        if "intent" in step:
            steps.append(("intent", step["intent"]))
        elif "action" in step:
            steps.append(("action", step["action"]))
    return steps


def contains(sequence, part):
    return any(sequence[i : i + len(part)] == part for i in range(len(sequence) - len(part) + 1))


def test_domain_declares_the_knowledge_intents_actions_and_bookkeeping_slot():
    domain = load("domain/knowledge.yml")
    assert domain["intents"] == list(KNOWLEDGE_INTENTS)
    assert domain["actions"] == [ActionAnswerKnowledge().name(), ActionAnswerMore().name()]
    slot = domain["slots"][LAST_ENTRY_SLOT]
    assert slot["influence_conversation"] is False
    assert slot["mappings"] == [{"type": "custom"}]
    assert "role" not in domain.get("slots", {}), "the role slot belongs to domain/profile.yml"


def test_training_data_covers_exactly_the_knowledge_intents():
    assert set(examples_by_intent()) == set(KNOWLEDGE_INTENTS)


@pytest.mark.parametrize("intent", KNOWLEDGE_INTENTS)
def test_each_intent_has_varied_examples(intent):
    examples = examples_by_intent()[intent]
    assert len(examples) >= MIN_EXAMPLES
    texts = [plain(e) for e in examples]
    assert sum(bool(NYNORSK.search(t)) for t in texts) >= 4, "Nynorsk examples"
    assert sum(t.isascii() and t == t.lower() and not re.search("[æøå]", t) for t in texts) >= 4, "ASCII examples"
    assert sum(bool(re.search(r"\b(ka|kossen|åssen|koss|æ)\b", t)) for t in texts) >= 3, "dialect examples"


def test_no_example_is_repeated_within_or_across_intents():
    seen = {}
    for intent, examples in examples_by_intent().items():
        for example in examples:
            key = plain(example)
            assert key not in seen, f"{example!r} in {intent} and {seen[key]}"
            seen[key] = intent


def test_annotations_use_only_the_shared_entities():
    for examples in examples_by_intent().values():
        for example in examples:
            for _, entity in ANNOTATION.findall(example):
                assert entity in ("role", "municipality"), example


def test_every_answerable_intent_has_a_rule_to_the_answer_action():
    rules = load("data/rules/knowledge.yml")["rules"]
    single = {tuple(steps_of(r)) for r in rules}
    for intent in ANSWERABLE_INTENTS:
        assert (("intent", intent), ("action", "action_answer_knowledge")) in single, intent
    assert (("intent", "ask_more"), ("action", "action_answer_more")) in single
    # One user turn per rule: the answer that asked for the role comes first.
    follow_up = (
        ("action", "action_answer_knowledge"),
        ("intent", "inform_role"),
        ("action", "action_set_role"),
        ("action", "action_answer_knowledge"),
    )
    assert follow_up in single


def test_rules_only_use_knowledge_actions_and_known_intents():
    allowed_intents = set(KNOWLEDGE_INTENTS) | {"inform_role"}
    for rule in load("data/rules/knowledge.yml")["rules"]:
        for kind, name in steps_of(rule):
            if kind == "intent":
                assert name in allowed_intents, rule["rule"]
            else:
                assert name in ("action_answer_knowledge", "action_answer_more", "action_set_role"), rule["rule"]


def test_conversation_tests_cover_every_knowledge_rule():
    stories = [steps_of(s) for s in load("tests/conversations/test_knowledge.yml")["stories"]]
    for rule in load("data/rules/knowledge.yml")["rules"]:
        assert any(contains(story, steps_of(rule)) for story in stories), rule["rule"]


def test_conversation_tests_cover_roles_nynorsk_and_places():
    text = (ROOT / "tests/conversations/test_knowledge.yml").read_text(encoding="utf-8")
    for marker in ("- role: skole", "- role: barnevern", "- role: barnehage", "(municipality)", "korleis", "kva"):
        assert marker in text, marker


def test_conversation_texts_are_not_training_examples():
    training = {plain(e) for examples in examples_by_intent().values() for e in examples}
    for story in load("tests/conversations/test_knowledge.yml")["stories"]:
        for step in story["steps"]:
            if "user" in step and not step["user"].startswith("/"):
                assert plain(step["user"]) not in training, step["user"]


def test_project_domain_holds_the_knowledge_capability_and_what_it_uses(domain):
    assert set(KNOWLEDGE_INTENTS) <= set(domain["intents"])
    assert {"action_answer_knowledge", "action_answer_more", "action_set_role"} <= set(domain["actions"])
    assert domain["slots"][LAST_ENTRY_SLOT]["influence_conversation"] is False
    assert {"inform_role", "request_human"} <= set(domain["intents"])
    assert "role" in domain["entities"]


def test_contacts_intent_and_entity_offered_by_answers_are_declared(domain):
    # Answers offer /ask_contact quick replies and read the `municipality` entity
    # (both owned by the contacts capability).
    assert "ask_contact" in domain["intents"]
    assert "municipality" in domain["entities"]


def test_content_roles_are_the_role_slot_values(domain):
    assert list(domain["slots"]["role"]["values"]) == list(ROLES)


def test_role_question_comes_from_the_profile_with_inform_role_buttons(domain):
    buttons = domain["responses"][ASK_ROLE_RESPONSE][0]["buttons"]
    assert buttons and all(b["payload"].startswith("/inform_role{") for b in buttons)


def test_no_training_example_is_in_the_heldout_set():
    heldout_file = ROOT / "tests" / "nlu" / "heldout_nlu.yml"
    if not heldout_file.is_file():
        pytest.skip("no held-out set yet")
    heldout = set()
    for block in yaml.safe_load(heldout_file.read_text(encoding="utf-8"))["nlu"]:
        heldout |= {plain(l[2:]) for l in block.get("examples", "").splitlines() if l.startswith("- ")}
    leaked = [e for examples in examples_by_intent().values() for e in examples if plain(e) in heldout]
    assert not leaked
