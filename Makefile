# usmca-monitor — `make help` lists the targets.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 8000

.PHONY: help run build serve test bench snapshot messages clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## set up, build everything from the embedded data, serve on http://127.0.0.1:8000
	$(BIN)/usmca build
	$(BIN)/usmca serve --port $(PORT)

build: $(STAMP)  ## build the site into _site/
	$(BIN)/usmca build

test: $(STAMP)  ## install test dependencies and run the whole suite (lint, types, tests)
	$(BIN)/pybabel compile --use-fuzzy -d src/usmca_monitor/publish/i18n -D messages --statistics
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -p no:cacheprovider -q

bench: $(STAMP)  ## benchmarks (print ratios and peak memory; not tests)
	$(BIN)/python bench/trade_engine.py
	$(BIN)/python bench/build_site.py

snapshot: $(STAMP)  ## maintainers: rebuild the embedded snapshot from ../shared/data
	$(BIN)/usmca snapshot --from ../shared/data

messages:  ## maintainers: re-extract UI strings and update the es/fr catalogs (then translate)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k N_ -o /tmp/usmca-messages.pot .
	$(BIN)/pybabel update -i /tmp/usmca-messages.pot -d src/usmca_monitor/publish/i18n -D messages

clean:  ## remove the venv, the built site and the local store
	rm -rf $(VENV) _site .usmca
