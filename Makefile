# Veiviser: the two commands are `make run` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

setup: ## Create .venv from requirements.lock and build the Norwegian spaCy pipeline
	@scripts/setup.sh

train: setup ## Train a model if the data changed (and only then)
	@scripts/train.sh >/dev/null

run: setup ## Start the action server and Rasa (REST and socket.io) on localhost
	@scripts/run.sh

run-scaled: setup ## Two Rasa processes on PostgreSQL + Redis behind nginx (docs/PERFORMANCE.md)
	@scripts/run_scaled.sh

test: setup ## Run every test: data validation, pytest, NLU and conversation tests
	@scripts/test.sh

advisor: ## Create an advisor account for the console: make advisor USERNAME=kari NAME="Kari Nordmann"
	@PYTHONPATH=. .venv/bin/python -m veiviser.console.accounts create "$(USERNAME)" --name "$(NAME)"

retention: setup ## Delete conversations and closed cases older than VEIVISER_RETENTION_DAYS (default 30)
	@PYTHONPATH=. .venv/bin/python -m veiviser.retention

compare-pipelines: setup ## Train and score the candidate NLU pipelines (docs/NLU_PIPELINES.md)
	@PYTHONPATH=. .venv/bin/python scripts/compare_pipelines.py

eval-emergency: train ## Emergency recall and false alarms on the held-out sets (docs/EMERGENCY.md)
	@PYTHONPATH=. .venv/bin/python scripts/eval_emergency.py --model "$$(scripts/train.sh)"

bench: train ## Load benchmark, single process vs scaled (docs/PERFORMANCE.md; not part of make test)
	@PYTHONPATH=. .venv/bin/python -m bench --model "$$(scripts/train.sh)"

lock: ## Regenerate requirements.lock from requirements.in in a throwaway venv
	@scripts/lock.sh

.PHONY: help setup train run run-scaled test retention advisor compare-pipelines eval-emergency bench lock
