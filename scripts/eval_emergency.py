"""Emergency recall and false alarms of a trained model on every measured set.

Each set in tests/emergency/ was written by a helper who had not seen the
detector, the training data or the other sets, and was measured once before
anything was tuned on it (those first measurements are in
docs/EMERGENCY.md; dev_* was written for tuning). The emergency scorer learns
from the sets listed in `scorer_sets` in config.yml; the report marks the
others as held out, and only those say how Veiviser does on new messages.

Usage: python scripts/eval_emergency.py --model models/veiviser-XXXX.tar.gz
(`make eval-emergency` trains if needed and passes the current model).
"""
from __future__ import annotations

import argparse
import json

from veiviser.nlu.evaluation import load_agent, load_messages, parse_all, score_emergency
from veiviser.safety.scorer import SETS_DIR, all_sets, trained_sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    agent = load_agent(args.model)
    trained = set(trained_sets())
    report = {"model": args.model}
    for name in sorted(all_sets(), key=lambda n: (n in trained, n)):
        emergencies = load_messages(SETS_DIR / f"{name}_emergency.yml")
        ordinary = load_messages(SETS_DIR / f"{name}_ordinary.yml")
        e_parses, _ = parse_all(agent, emergencies)
        o_parses, _ = parse_all(agent, ordinary)
        s = score_emergency(emergencies, e_parses, ordinary, o_parses)
        report[name] = {
            "held_out": name not in trained,
            "emergency_messages": len(emergencies),
            "ordinary_messages": len(ordinary),
            "recall": round(s.recall, 4),
            "false_alarm_rate": round(s.false_alarm_rate, 4),
            "rule_layer_recall": round(s.rule_layer_recall, 4),
            "scorer_only_recall": round(s.scorer_only_recall, 4),
            "missed": s.missed,
            "false_alarms": s.false_alarms,
        }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
