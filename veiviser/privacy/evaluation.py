"""Precision and recall of name redaction on a marked test set.

    .venv/bin/python -m veiviser.privacy.evaluation [tests/security/names_testset.txt]

Lines mark each person name as ``[[Name]]``. A gold name counts as found
when every character of it is inside a detected span; a detected span is
correct when it overlaps a gold name.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Tuple

from veiviser.privacy.names import find_names

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "security" / "names_testset.txt"
_MARK = re.compile(r"\[\[(.+?)\]\]")


@dataclass
class NameScores:
    gold: int = 0
    found: int = 0
    full_names: int = 0
    full_found: int = 0
    predicted: int = 0
    correct: int = 0
    misses: List[str] = field(default_factory=list)
    false_alarms: List[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def full_name_recall(self) -> float:
        return self.full_found / self.full_names if self.full_names else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


def parse_line(line: str) -> Tuple[str, List[Tuple[int, int]]]:
    text, spans, last = "", [], 0
    for match in _MARK.finditer(line):
        text += line[last: match.start()]
        spans.append((len(text), len(text) + len(match.group(1))))
        text += match.group(1)
        last = match.end()
    return text + line[last:], spans


def evaluate(path: Path = DEFAULT_SET) -> NameScores:
    scores = NameScores()
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        text, gold = parse_line(raw)
        predicted = find_names(text)
        for start, end in gold:
            covered = any(a <= start and end <= b for a, b in predicted)
            scores.gold += 1
            scores.found += covered
            if " " in text[start:end]:
                scores.full_names += 1
                scores.full_found += covered
            if not covered:
                scores.misses.append(f"{text[start:end]!r} in {text!r}")
        for a, b in predicted:
            scores.predicted += 1
            if any(a < end and start < b for start, end in gold):
                scores.correct += 1
            else:
                scores.false_alarms.append(f"{text[a:b]!r} in {text!r}")
    return scores


def main(argv: List[str]) -> None:
    scores = evaluate(Path(argv[0]) if argv else DEFAULT_SET)
    print(f"names: {scores.gold}, full names: {scores.full_names}, detected spans: {scores.predicted}")
    print(f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  "
          f"full-name recall {scores.full_name_recall:.3f}")
    for miss in scores.misses:
        print("  missed:", miss)
    for alarm in scores.false_alarms:
        print("  false alarm:", alarm)


if __name__ == "__main__":
    main(sys.argv[1:])
