"""Leave-one-set-out estimate for the emergency scorer (veiviser/safety/scorer.py).

Each set in tests/emergency/ was written by a different writer. Holding one
set out and training on the others (plus the NLU training data) estimates how
the scorer does on a writer it has never seen. Printed per threshold: the
scorer alone, and the scorer's vote as the guard uses it (vetoed by a past,
topic or figurative context), joined with the rule layer.

The rule layer was tuned on all of these sets, so "rules + scorer" is
optimistic; what carries over is what the scorer adds (its catches and its
false alarms).

Usage: PYTHONPATH=. .venv/bin/python experiments/emergency_scorer/loso.py [C]
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from veiviser.safety.scorer import EmergencyScorer, load_corpus, scorer_vote
from veiviser.safety.emergency import assess

ROOT = Path(__file__).resolve().parents[2]
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def main(c: float) -> None:
    # Only the sets the scorer is configured to learn from: the held-out
    # sets (fresh11 on) must stay unseen.
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    guard = next(c for c in config["pipeline"] if c["name"].endswith("EmergencyGuard"))
    corpus = load_corpus(guard["scorer_sets"])
    names = sorted(corpus.sets)
    results = {t: [0, 0, 0, 0, 0, 0] for t in THRESHOLDS}  # alone miss/fa, vote miss/fa, totals
    for held in names:
        emergencies, ordinary = corpus.sets[held]
        rest = corpus.without(held)
        scorer = EmergencyScorer.fit(rest.emergencies, rest.others, c=c)
        for kind, messages in (("e", emergencies), ("o", ordinary)):
            for text in messages:
                p = scorer.score(text)
                rule = assess(text).is_emergency
                for t in THRESHOLDS:
                    r = results[t]
                    alone = p >= t
                    vote = rule or scorer_vote(text, p, t)
                    if kind == "e":
                        r[0] += not alone
                        r[2] += not vote
                        r[4] += 1
                    else:
                        r[1] += alone
                        r[3] += vote
                        r[5] += 1
        print(f"held out {held}", flush=True)
    for t, (am, af, vm, vf, ne, no) in results.items():
        print(f"C={c} t={t}: scorer alone missed {am}/{ne}, false alarms {af}/{no} ({af / no:.3%}); "
              f"rules + scorer vote missed {vm}/{ne}, false alarms {vf}/{no} ({vf / no:.3%})")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 4.0)
