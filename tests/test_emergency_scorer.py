"""The emergency scorer (veiviser/safety/scorer.py): training, scoring,
storage and the corpus it learns from. Its recall and false alarms on
held-out sets are measured with the model in tests/test_emergency.py."""
from __future__ import annotations

import json

import pytest

from veiviser.safety.scorer import EmergencyScorer, load_corpus, load_set, trained_sets

DANGER = [
    "han står med kniv i gangen nå",
    "det brenner i gymsalen og noen er inne",
    "eleven sier han skal skyte læreren i morgen",
    "en mann slår en elev i skolegården akkurat nå",
    "ho har ein pistol i sekken og seier ho skal bruke han i dag",
]
ORDINARY = [
    "hvem kontakter jeg i bergen",
    "hva er varseltegn på radikalisering",
    "kan jeg drøfte en sak anonymt med rvts",
    "takk for hjelpen",
    "hva sier handlingsplanen om skolen",
    "eleven har begynt å dele konspirasjonsteorier",
]


@pytest.fixture(scope="module")
def scorer() -> EmergencyScorer:
    return EmergencyScorer.fit(DANGER, ORDINARY, c=256.0)


def test_scores_are_probabilities_that_separate_the_training_classes(scorer):
    for text in DANGER:
        assert 0.5 < scorer.score(text) < 1.0
    for text in ORDINARY:
        assert 0.0 < scorer.score(text) < 0.5


def test_unknown_and_empty_text_get_a_probability(scorer):
    for text in ("", "   ", "🙂", "xyzzy qwerty"):
        assert 0.0 < scorer.score(text) < 1.0


def test_case_accents_and_ascii_spelling_do_not_change_the_score(scorer):
    assert scorer.score("Han står med KNIV i gangen nå!") == pytest.approx(scorer.score("han star med kniv i gangen na"))


def test_save_and_load_give_the_same_scores_and_store_plain_json(scorer, tmp_path):
    path = tmp_path / "scorer.json"
    scorer.save(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert set(doc) == {"intercept", "char", "word"}
    loaded = EmergencyScorer.load(path)
    for text in DANGER + ORDINARY + ["noe helt annet"]:
        assert loaded.score(text) == pytest.approx(scorer.score(text), abs=1e-12)


def test_training_needs_both_classes():
    with pytest.raises(ValueError):
        EmergencyScorer.fit(DANGER, [], c=256.0)


def test_a_broken_set_fails_loudly(tmp_path):
    (tmp_path / "bad_emergency.yml").write_text("messages: []\n")
    (tmp_path / "bad_ordinary.yml").write_text("messages: ['hei']\n")
    with pytest.raises(ValueError):
        load_set(tmp_path, "bad")


def test_the_corpus_holds_the_nlu_examples_and_the_configured_sets():
    trained_on = trained_sets()
    corpus = load_corpus(trained_on)
    assert sorted(corpus.sets) == sorted(trained_on)
    assert len(corpus.nlu_emergencies) >= 100 and len(corpus.nlu_others) >= 1000
    assert len(corpus.emergencies) > 1500 and len(corpus.others) > 4000
    assert "i morgen formiddag" in corpus.replies and set(corpus.replies) <= set(corpus.others)
