"""Leave-one-set-out estimate for the emergency net (scorer + rule layer).

Each set in tests/emergency/ was written by a different writer. Holding one
set out and training the scorer on the others (plus the NLU training data)
estimates how the net does on a writer it has never seen. Printed per
setting: the scorer alone, and the guard's decision (`decide` in
veiviser/nlu/emergency_guard.py: the scorer, or a rule hit the scorer does
not find very unlikely).

The rule layer was tuned on the older sets, so its share is optimistic there;
the newest sets in the corpus show it more honestly.

Usage: PYTHONPATH=. .venv/bin/python experiments/emergency_scorer/loso.py [C]
"""
from __future__ import annotations

import sys

from veiviser.nlu.emergency_guard import decide
from veiviser.safety.emergency import assess
from veiviser.safety.scorer import EmergencyScorer, load_corpus, trained_sets

SETTINGS = [(t, lo) for t in (0.15, 0.2, 0.25, 0.3) for lo in (0.05, 0.1, 0.2)]


def main(c: float) -> None:
    # Only the sets the scorer is configured to learn from: the held-out
    # sets must stay unseen.
    corpus = load_corpus(trained_sets())
    rows = []  # (text, is_emergency, probability, assessment)
    for held in sorted(corpus.sets):
        emergencies, ordinary = corpus.sets[held]
        rest = corpus.without(held)
        scorer = EmergencyScorer.fit(rest.emergencies, rest.others, c=c)
        rows += [(t, True, scorer.score(t), assess(t)) for t in emergencies]
        rows += [(t, False, scorer.score(t), assess(t)) for t in ordinary]
        print(f"held out {held}", file=sys.stderr, flush=True)
    n_e = sum(1 for _, e, _, _ in rows if e)
    n_o = len(rows) - n_e
    for t in sorted({t for t, _ in SETTINGS}):
        missed = sum(1 for _, e, p, _ in rows if e and p < t)
        alarms = sum(1 for _, e, p, _ in rows if not e and p >= t)
        print(f"C={c:g} scorer alone t={t}: missed {missed}/{n_e}, false alarms {alarms}/{n_o} ({alarms / n_o:.2%})")
    for t, lo in SETTINGS:
        missed = sum(1 for x, e, p, a in rows if e and decide(x, a, p, t, lo) is None)
        alarms = sum(1 for x, e, p, a in rows if not e and decide(x, a, p, t, lo) is not None)
        print(f"C={c:g} guard t={t} rule_min={lo}: missed {missed}/{n_e}, "
              f"false alarms {alarms}/{n_o} ({alarms / n_o:.2%})")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 256.0)
