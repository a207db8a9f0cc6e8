# make site   build the page into site/      make test   every test, browser ones included
# make single one self-contained HTML file    make bench  figures from real browsers
# make single LANG=de  the single file in another language (dist/neural-network-de.html)
# make catalogs  the texts extracted into site_src/locale/messages.pot, each catalog updated and compiled
# BROWSERS: the engines the cross-browser tests and make bench use (installed if missing)
PYTHON ?= python3
BROWSERS ?= chromium firefox webkit
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= site
# The single file's language: only as `make single LANG=de`; the environment's LANG is the locale.
PAGE_LANG := $(if $(filter command line,$(origin LANG)),$(LANG),en)
SINGLE := dist/neural-network$(if $(filter-out en,$(PAGE_LANG)),-$(PAGE_LANG)).html

.PHONY: site single catalogs test bench lighthouse clean
.DEFAULT_GOAL := site

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

site: $(VENV)/installed node_modules/installed
	LANG=C.UTF-8 $(PY) -m generator --out $(OUT)

single: site
	LANG=C.UTF-8 $(PY) -m generator --out $(OUT) --single $(SINGLE) --lang $(PAGE_LANG)

# pybabel extract, update and compile (the build runs them too, generator/catalogs.py)
catalogs: $(VENV)/installed
	LANG=C.UTF-8 $(PY) -m generator.catalogs

test: single
	scripts/install-browsers $(BROWSERS)
	BROWSERS="$(BROWSERS)" CHROMIUM="$$(scripts/find-chromium $(PY))" $(PY) -m pytest -q

bench: single
	$(PY) -m pytest -q tests/test_bench_core.py --benchmark-enable --benchmark-columns=min,median,mean,rounds
	scripts/install-browsers $(BROWSERS)
	BROWSERS="$(BROWSERS)" CHROMIUM="$$(scripts/find-chromium $(PY))" $(PY) -m benchmarks

lighthouse: site
	$(PY) -m benchmarks.lighthouse

clean:
	rm -rf site dist $(VENV) node_modules
