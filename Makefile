# procmap: the two commands are `make demo` and `make test`; both set everything up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PROCMAP := $(VENV)/bin/procmap
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench docs clean

$(STAMP): pyproject.toml
	@# the browser tests drive Debian's Chromium (never a downloaded browser)
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(PROCMAP) check examples/
	$(PROCMAP) analyze examples/customer-onboarding.yaml
	$(PROCMAP) discover ../shared/corpus/logs/running-example.xes

test: $(STAMP)
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/load.py
	$(PY) benchmarks/analyze.py
	$(PY) benchmarks/merge.py
	$(PY) benchmarks/mining.py

# regenerate what is generated: the rule reference and the JSON Schema
docs: $(STAMP)
	$(PROCMAP) rules --format markdown > docs/rules.md
	$(PROCMAP) schema -o src/procmap/schema/procmap-1.schema.json

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
