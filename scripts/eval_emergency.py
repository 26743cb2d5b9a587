"""Emergency recall and false alarms of a trained model on the held-out sets.

Sets: tests/emergency/heldout_*, fresh_* and fresh2_* to fresh10_*, each written
by a helper who had not seen the detector, the training data or the other
sets, and measured once before it was tuned on (the first measurements are
in docs/EMERGENCY.md); dev_* was written for tuning. None is trained on.

Usage: python scripts/eval_emergency.py --model models/veiviser-XXXX.tar.gz
(`make eval-emergency` trains if needed and passes the current model).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from veiviser.nlu.evaluation import load_agent, load_messages, parse_all, score_emergency

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "emergency"
SETS = ("fresh10", "fresh9", "fresh8", "fresh7", "fresh6", "fresh5", "fresh4", "fresh3", "fresh2", "fresh", "heldout", "dev")


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
