# usmca-monitor — `make help` lists the targets.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 8000

.PHONY: help run build serve test bench snapshot messages clean shots

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,spark]'
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
	$(BIN)/python -m pytest -p no:cacheprovider -q --durations=25

bench: $(STAMP)  ## benchmarks (print ratios and peak memory; not tests)
	$(BIN)/python bench/trade_engine.py
	$(BIN)/python bench/build_site.py
	$(BIN)/python bench/report_pdf.py
	$(BIN)/python bench/import_memory.py
	$(BIN)/python bench/serve_load.py

shots: $(STAMP)  ## the PDF report and the home, goals, TDR and map pages in en/es/fr at 1366 and 390 px, for review (_report/shots/)
	for lang in en es fr; do $(BIN)/usmca report --lang $$lang --out _report/north-america-in-data.$$lang.pdf || exit 1; done
	$(BIN)/python tools/pdf_shots.py _report/north-america-in-data.*.pdf --pages 4 --out _report/shots
	$(BIN)/usmca build --out _report/site
	$(BIN)/python tools/site_shots.py --site _report/site --out _report/shots

snapshot: $(STAMP)  ## maintainers: rebuild the embedded snapshot from ../shared/data
	$(BIN)/usmca snapshot --from ../shared/data

messages:  ## maintainers: re-extract UI strings and update the es/fr catalogs (then translate)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k N_ -o /tmp/usmca-messages.pot .
	$(BIN)/pybabel update -i /tmp/usmca-messages.pot -d src/usmca_monitor/publish/i18n -D messages

clean:  ## remove the venv, the built site and the local store
	rm -rf $(VENV) _site .usmca
