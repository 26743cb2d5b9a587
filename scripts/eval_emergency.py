"""Emergency recall and false alarms of a trained model on the held-out sets.

Sets: tests/emergency/heldout_* (first held-out set), fresh_* (written after
the first round of development) and fresh2_* (written before the second
round); none is trained on, fresh_* and fresh2_* were never tuned against.

Usage: python scripts/eval_emergency.py --model models/veiviser-XXXX.tar.gz
(`make eval-emergency` trains if needed and passes the current model).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from veiviser.nlu.evaluation import load_agent, load_messages, parse_all, score_emergency

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "emergency"
SETS = ("heldout", "fresh", "fresh2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    agent = load_agent(args.model)
    report = {"model": args.model}
    for name in SETS:
        emergencies = load_messages(HELDOUT / f"{name}_emergency.yml")
        ordinary = load_messages(HELDOUT / f"{name}_ordinary.yml")
        e_parses, _ = parse_all(agent, emergencies)
        o_parses, _ = parse_all(agent, ordinary)
        s = score_emergency(emergencies, e_parses, ordinary, o_parses)
        report[name] = {
            "emergency_messages": len(emergencies),
            "ordinary_messages": len(ordinary),
            "recall": round(s.recall, 4),
            "false_alarm_rate": round(s.false_alarm_rate, 4),
            "rule_layer_recall": round(s.rule_layer_recall, 4),
            "classifier_recall": round(s.classifier_recall, 4),
            "missed": s.missed,
            "false_alarms": s.false_alarms,
        }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
