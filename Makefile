# Two commands do all the set-up on a fresh machine (Python 3.11+):
#   make chat   - the console chat on a demo database (embedded SQLite)
#   make test   - the whole test suite
# Both create .venv and install the project into it the first time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= sqlite:///demo.db
CHAT_USER ?= morgan

.PHONY: chat demo test lint bench install

$(BIN)/crmbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/crmbot

install: $(BIN)/crmbot

demo.db: | $(BIN)/crmbot
	$(BIN)/crmbot demo --db $(DEMO_DB)

chat: $(BIN)/crmbot demo.db
	$(BIN)/crmbot chat --db $(DEMO_DB) --user $(CHAT_USER)

# Four workers on two cores: most tests wait on real `crmbot serve` processes and fake APIs.
# --dist worksteal: the default hands each worker a first chunk of ~1/16 of the suite in
# collection order, so one worker got every slow serve test (tests/adapters) and ran them alone
# for minutes after the others had finished; idle workers now take pending tests from busy ones.
test: $(BIN)/crmbot
	$(BIN)/python -m pytest -n 4 --dist worksteal

# What CI checks before the tests: lint, formatting and types, each with zero findings.
lint: $(BIN)/crmbot
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(BIN)/crmbot
	$(BIN)/pip install --quiet -e ".[test,bench]"  # scikit-learn: the parser's baseline
	$(BIN)/python bench/run.py
