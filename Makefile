# The two commands of the README. Everything else is detail.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test lint clean translations

run: $(VENV)/.installed
	$(BIN)/sequencer run

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev  ## style, the layering contracts (import-linter) and types
	$(BIN)/ruff check sequencer workers tests bench wsgi.py setup.py
	$(BIN)/lint-imports
	$(BIN)/mypy

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Sequencer needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) instance .pytest_cache

translations: $(VENV)/.installed  ## after changing UI text: re-extract, update every catalogue, compile (then translate the new entries)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k tr -k lazy_gettext -k _l -k gettext_in:2 -k ngettext_in:2,3 --no-location --sort-output \
		-o sequencer/translations/messages.pot .
	$(BIN)/pybabel --quiet update -i sequencer/translations/messages.pot -d sequencer/translations --no-fuzzy-matching \
		--ignore-obsolete --width 120
	$(BIN)/pybabel --quiet compile -d sequencer/translations
