"""A dedicated emergency-or-not text scorer.

Logistic regression over character n-grams (2-5, inside words, so
inflections, Nynorsk, dialect and typos share features) and word unigrams and
bigrams of the folded text, each block weighted tf-idf with sublinear term
frequency and normalised to unit length. It is trained on one question only,
"is someone in danger now or soon?", from the `report_emergency` examples of
the NLU data and the measured emergency sets (docs/EMERGENCY.md), so it learns
how people describe danger without a listed word ("han har en liste med navn
og sier fredag er dagen").

The featuriser is ours, not scikit-learn's, so the trained scorer is stored
as plain JSON (n-gram -> idf and weight) and loading it never unpickles
anything. scikit-learn only fits the weights.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import yaml

from veiviser.safety.emergency import EMERGENCY_INTENT
from veiviser.text import fold

ROOT = Path(__file__).resolve().parents[2]
SETS_DIR = ROOT / "tests" / "emergency"
NLU_DIR = ROOT / "data" / "nlu"
# Short replies (times, "ikke nå", form answers) the scorer must not read as danger.
REPLIES_FILE = ROOT / "data" / "emergency_scorer" / "ordinary_replies.yml"
CONFIG = ROOT / "config.yml"

CHAR_NGRAMS = (2, 5)
WORD_NGRAMS = (1, 2)
MIN_CHAR_DF = 2  # a character n-gram seen in one message only is noise
_WORD = re.compile(r"[a-z0-9]+")


def _char_grams(words: Sequence[str]) -> Counter:
    grams: Counter = Counter()
    low, high = CHAR_NGRAMS
    for word in words:
        padded = f" {word} "
        for n in range(low, high + 1):
            for start in range(0, len(padded) - n + 1):
                grams[padded[start:start + n]] += 1
    return grams


def _word_grams(words: Sequence[str]) -> Counter:
    grams: Counter = Counter()
    low, high = WORD_NGRAMS
    for n in range(low, high + 1):
        for start in range(0, len(words) - n + 1):
            grams[" ".join(words[start:start + n])] += 1
    return grams


def _blocks(text: str) -> Tuple[Counter, Counter]:
    words = _WORD.findall(fold(text))
    return _char_grams(words), _word_grams(words)


def _weighted(counts: Counter, idf: Dict[str, float]) -> Dict[str, float]:
    """Sublinear tf-idf of the known n-grams, scaled to unit length."""
    values = {g: (1.0 + math.log(c)) * idf[g] for g, c in counts.items() if g in idf}
    norm = math.sqrt(sum(v * v for v in values.values()))
    return {g: v / norm for g, v in values.items()} if norm else {}


def _idf(documents: List[Counter], min_df: int) -> Dict[str, float]:
    df: Counter = Counter()
    for counts in documents:
        df.update(counts.keys())
    n = len(documents)
    # Smoothed idf, as if one extra document held every n-gram.
    return {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items() if d >= min_df}


@dataclass
class EmergencyScorer:
    """Probability that a message describes acute danger."""

    intercept: float
    char_idf: Dict[str, float]
    char_weights: Dict[str, float]
    word_idf: Dict[str, float]
    word_weights: Dict[str, float]

    @classmethod
    def fit(cls, emergencies: Iterable[str], others: Iterable[str], c: float) -> "EmergencyScorer":
        """Fit on the two classes; `c` is the inverse regularisation strength."""
        # Imported here: scikit-learn and SciPy are needed to train, not to score.
        import numpy as np
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression

        positives, negatives = list(emergencies), list(others)
        if not positives or not negatives:
            raise ValueError("the scorer needs emergencies and other messages to train on")
        blocks = [_blocks(text) for text in positives + negatives]
        char_idf = _idf([b[0] for b in blocks], MIN_CHAR_DF)
        word_idf = _idf([b[1] for b in blocks], 1)
        columns = {("c", g): i for i, g in enumerate(sorted(char_idf))}
        columns.update({("w", g): len(char_idf) + i for i, g in enumerate(sorted(word_idf))})
        rows, cols, data = [], [], []
        for row, (chars, words) in enumerate(blocks):
            for kind, counts, idf in (("c", chars, char_idf), ("w", words, word_idf)):
                for gram, value in _weighted(counts, idf).items():
                    rows.append(row)
                    cols.append(columns[(kind, gram)])
                    data.append(value)
        matrix = csr_matrix((data, (rows, cols)), shape=(len(blocks), len(columns)))
        labels = np.array([1] * len(positives) + [0] * len(negatives))
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
        model.fit(matrix, labels)
        weights = model.coef_[0]
        return cls(
            intercept=float(model.intercept_[0]),
            char_idf=char_idf,
            char_weights={g: float(weights[columns[("c", g)]]) for g in char_idf},
            word_idf=word_idf,
            word_weights={g: float(weights[columns[("w", g)]]) for g in word_idf},
        )

    def score(self, text: str) -> float:
        chars, words = _blocks(text)
        z = self.intercept
        z += sum(v * self.char_weights[g] for g, v in _weighted(chars, self.char_idf).items())
        z += sum(v * self.word_weights[g] for g, v in _weighted(words, self.word_idf).items())
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path) -> None:
        doc = {
            "intercept": self.intercept,
            "char": {g: [self.char_idf[g], self.char_weights[g]] for g in sorted(self.char_idf)},
            "word": {g: [self.word_idf[g], self.word_weights[g]] for g in sorted(self.word_idf)},
        }
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "EmergencyScorer":
        doc = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            intercept=float(doc["intercept"]),
            char_idf={g: float(v[0]) for g, v in doc["char"].items()},
            char_weights={g: float(v[1]) for g, v in doc["char"].items()},
            word_idf={g: float(v[0]) for g, v in doc["word"].items()},
            word_weights={g: float(v[1]) for g, v in doc["word"].items()},
        )


@dataclass
class Corpus:
    """What the scorer learns from: NLU examples, short ordinary replies and
    measured sets."""

    nlu_emergencies: List[str]
    nlu_others: List[str]
    sets: Dict[str, Tuple[List[str], List[str]]]  # name -> (emergencies, ordinary)
    replies: List[str] = field(default_factory=list)

    @property
    def emergencies(self) -> List[str]:
        return self.nlu_emergencies + [m for e, _ in self.sets.values() for m in e]

    @property
    def others(self) -> List[str]:
        return self.nlu_others + self.replies + [m for _, o in self.sets.values() for m in o]

    def without(self, name: str) -> "Corpus":
        rest = {k: v for k, v in self.sets.items() if k != name}
        return Corpus(self.nlu_emergencies, self.nlu_others, rest, self.replies)


def _message_list(path: Path) -> List[str]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = doc.get("messages") if isinstance(doc, dict) else None
    if not found or not all(isinstance(m, str) and m.strip() for m in found):
        raise ValueError(f"{path.name}: expected a non-empty list of messages")
    return found


def load_replies(path: Path = REPLIES_FILE) -> List[str]:
    return _message_list(path)


def load_set(directory: Path, name: str) -> Tuple[List[str], List[str]]:
    return (_message_list(directory / f"{name}_emergency.yml"),
            _message_list(directory / f"{name}_ordinary.yml"))


def split_examples(examples: Iterable[Tuple[str, str]]) -> Tuple[List[str], List[str]]:
    """(text, intent) pairs -> (emergencies, others)."""
    emergencies, others = [], []
    for text, intent in examples:
        (emergencies if intent == EMERGENCY_INTENT else others).append(text)
    return emergencies, others


def all_sets(sets_dir: Path = SETS_DIR) -> List[str]:
    """Every measured set in `sets_dir`, by name."""
    return sorted(p.name[: -len("_emergency.yml")] for p in sets_dir.glob("*_emergency.yml"))


def trained_sets(config_path: Path = CONFIG) -> List[str]:
    """The sets the scorer learns from (`scorer_sets` of the guard in config.yml);
    every other set is held out."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    guard = next(step for step in config["pipeline"] if step["name"].endswith("EmergencyGuard"))
    return list(guard["scorer_sets"])


def load_corpus(set_names: Sequence[str] | None = None, sets_dir: Path = SETS_DIR) -> Corpus:
    """The NLU training data and the named sets (default: every set there)."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(NLU_DIR), language="nb")
    nlu = split_examples((m.get("text"), m.get("intent")) for m in data.intent_examples)
    if set_names is None:
        set_names = all_sets(sets_dir)
    return Corpus(nlu[0], nlu[1], {name: load_set(sets_dir, name) for name in set_names}, load_replies())
