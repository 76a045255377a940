# procmap: the two commands are `make demo` and `make test`; both set everything up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PROCMAP := $(VENV)/bin/procmap
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-installed-stamp
# the shared corpus of real BPMN files and event logs, beside the checkout
CORPUS ?= $(or $(PROCMAP_CORPUS),../shared/corpus)

.PHONY: demo test bench docs screenshots clean

# procmap itself: all that make demo needs (no browser, no npm)
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $(STAMP)

# and what the tests use besides
$(TEST_STAMP): $(STAMP) tests/js/package-lock.json
	@# the browser tests drive Debian's Chromium (never a downloaded browser)
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }
	@# the fonts diagrams are set in, so that the PNG tests draw every script: DejaVu Sans
	@# (Latin, Greek, Cyrillic, Arabic, Hebrew) and Noto (CJK; Arabic, Hebrew)
	dpkg -s fonts-dejavu-core fonts-noto-core fonts-noto-cjk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core fonts-noto-core fonts-noto-cjk >/dev/null; }
	@# the workshop server's tests start a throwaway PostgreSQL from Debian's package
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@# bpmn-js, bpmnlint and bpmn-auto-layout for the BPMN export tests, as locked
	npm ci --prefix tests/js --no-audit --no-fund
	touch $(TEST_STAMP)

demo: $(STAMP)
	$(PROCMAP) check examples/
	$(PROCMAP) analyze examples/customer-onboarding.yaml
	mkdir -p build
	$(PROCMAP) report examples/customer-onboarding.yaml -o build/customer-onboarding.html
	$(PROCMAP) render examples/customer-onboarding.yaml -o build/customer-onboarding.svg
	@# German and Japanese names: without the Noto CJK fonts, render says which characters are boxes
	$(PROCMAP) render docs/examples/kreditantrag.yaml -o build/kreditantrag.png
	$(PROCMAP) discover examples/logs/customer-onboarding.csv --coverage 0.8 -o build/customer-onboarding-asis.yaml
	$(PROCMAP) conform examples/customer-onboarding.yaml examples/logs/customer-onboarding.csv
	$(PROCMAP) analyze examples/customer-onboarding.yaml --log examples/logs/customer-onboarding.csv --format markdown -o build/customer-onboarding-scorecard.md
	@if [ -f $(CORPUS)/logs/receipt.csv ]; then \
	  set -x; \
	  $(PROCMAP) discover $(CORPUS)/logs/receipt.csv --coverage 0.8 -o build/receipt-asis.yaml && \
	  $(PROCMAP) report build/receipt-asis.yaml -o build/receipt-asis.html; \
	else echo "No corpus at $(CORPUS): the discovery of a real log (receipt.csv) is left out."; fi
	@echo "The report is in build/customer-onboarding.html: open it in a browser."
	@echo "The as-is map discovered from the example log is in build/customer-onboarding-asis.yaml."
	@echo "The scorecard weighed by the example log is in build/customer-onboarding-scorecard.md."
	@if [ -f build/receipt-asis.html ]; then echo "The as-is map of receipt.csv is in build/receipt-asis.yaml, its report in build/receipt-asis.html."; fi

test: $(TEST_STAMP)
	$(PY) -m ruff check src tests benchmarks tools
	@# the layers of pyproject.toml's [tool.importlinter]: no floor imports one above it
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

# PM4Py's Rust XES reader (rustxes, with polars) for the mining benchmark only: installed
# beside the venv and put on PM4Py's path by benchmarks/mining.py, so that the tests'
# PM4Py keeps its own reader
BENCH_SITE := $(VENV)/bench-site
$(BENCH_SITE)/.installed-stamp: $(TEST_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --target $(BENCH_SITE) \
	  rustxes==0.2.11 polars==2.1.0 polars-runtime-32==2.1.0
	touch $@

bench: $(TEST_STAMP) $(BENCH_SITE)/.installed-stamp
	$(PY) benchmarks/load.py
	$(PY) benchmarks/analyze.py
	$(PY) benchmarks/merge.py
	$(PY) benchmarks/render.py
	$(PY) benchmarks/text.py
	$(PY) benchmarks/bpmn.py
	$(PY) benchmarks/mining.py
	$(PY) benchmarks/simulate.py

# regenerate what is generated: the rule reference and the JSON Schema
docs: $(STAMP)
	$(PROCMAP) rules --format markdown > docs/rules.md
	$(PROCMAP) schema -o src/procmap/schema/procmap-1.schema.json

# the screenshots in docs/img, taken in headless Chromium: the reports, and the
# examples' BPMN export as bpmn-js draws it (docs/img/bpmn-*.png)
screenshots: $(TEST_STAMP)
	$(PY) tools/screenshots.py
	$(PY) tests/js/screenshots.py

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
