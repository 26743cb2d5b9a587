"""Train each candidate NLU pipeline on data/nlu and score it on the held-out
set tests/nlu/heldout_nlu.yml (never trained on).

Candidates: config.yml (the pipeline in use) and experiments/pipelines/*.yml.
Prints a Markdown table (intent macro-F1, accuracy, training time, inference
time per message) and writes results/pipelines.json.

Usage: python scripts/compare_pipelines.py   (or `make compare-pipelines`)
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from veiviser.nlu.evaluation import load_agent, load_nlu_examples, parse_all, score_intents

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = [ROOT / "config.yml", *sorted((ROOT / "experiments" / "pipelines").glob("*.yml"))]


def train_nlu(config: Path, out_dir: str) -> float:
    # Rasa rewrites a config it auto-completes (assistant_id, policies), so
    # it trains on a copy and the tracked candidate files stay as written.
    copy = Path(out_dir) / "config.yml"
    shutil.copyfile(config, copy)
    start = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "rasa"), "train", "nlu", "--config", str(copy),
         "--nlu", str(ROOT / "data" / "nlu"), "--out", out_dir, "--fixed-model-name", "candidate"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    examples = load_nlu_examples(str(ROOT / "tests" / "nlu" / "heldout_nlu.yml"))
    texts, gold = [t for t, _ in examples], [i for _, i in examples]
    rows = []
    for config in CANDIDATES:
        with tempfile.TemporaryDirectory() as out_dir:
            train_seconds = train_nlu(config, out_dir)
            agent = load_agent(str(Path(out_dir) / "candidate.tar.gz"))
            parses, per_message = parse_all(agent, texts)
        scores = score_intents(gold, [p["intent"]["name"] for p in parses], texts)
        rows.append({"config": str(config.relative_to(ROOT)), "macro_f1": round(scores.macro_f1, 4),
                     "accuracy": round(scores.accuracy, 4), "train_seconds": round(train_seconds, 1),
                     "ms_per_message": round(per_message * 1000, 1)})
        print(f"done: {rows[-1]}", file=sys.stderr)
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "pipelines.json").write_text(json.dumps(rows, indent=2))
    print(f"Held-out examples: {len(texts)}; intents: {len(set(gold))}\n")
    print("| pipeline | intent macro-F1 | accuracy | training (s) | inference (ms/message) |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| `{r['config']}` | {r['macro_f1']:.3f} | {r['accuracy']:.3f} | "
              f"{r['train_seconds']} | {r['ms_per_message']} |")


if __name__ == "__main__":
    main()
