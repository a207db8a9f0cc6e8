# make site   build the page into site/      make test   every test, browser ones included
# make single one self-contained HTML file    make bench  figures from real browsers
# BROWSERS: the engines the cross-browser tests and make bench use (installed if missing)
PYTHON ?= python3
BROWSERS ?= chromium firefox webkit
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= site

.PHONY: site single test bench lighthouse clean
.DEFAULT_GOAL := site

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

site: $(VENV)/installed node_modules/installed
	$(PY) -m generator --out $(OUT)

single: site
	$(PY) -m generator --out $(OUT) --single dist/neural-network.html

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
