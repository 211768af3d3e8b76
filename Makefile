# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DOCUMENTS ?= documents
INDEX ?= index
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-slow lint index venv clean quality browser-deps audit

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# jieba's two hot loops, compiled (indexer/text/_jiebadag.c; gcc and the Python headers are on every machine
# here). Without it the same words come from jieba's Python, about twice as slowly. No -ffast-math and no
# contraction: the route scores must be Python's floats bit for bit.
EXT_SUFFIX := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
PY_INCLUDE := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
JIEBADAG := indexer/text/_jiebadag$(EXT_SUFFIX)

$(JIEBADAG): indexer/text/_jiebadag.c
	$(CC) -O2 -fPIC -shared -Wall -Werror -ffp-contract=off -I$(PY_INCLUDE) -o $@ $<

venv: $(VENV)/.installed $(JIEBADAG)

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser-deps:
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q chromium chromium-driver fonts-noto-cjk; }

# Builds only when documents changed (the build itself compares content hashes).
index: venv
	$(PY) -m indexer build --documents $(DOCUMENTS) --index $(INDEX)

run: index
	$(PY) -m webapp --index $(INDEX) --host $(HOST) --port $(PORT)

test: index browser-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

test-slow: venv
	$(PY) -m pytest -m slow

quality: venv
	$(PY) bench/quality.py ../shared/eval/dev-queries.jsonl

# Vulnerability audit of the pinned requirements. Needs the PyPI JSON API or OSV, which this
# workplace's network does not reach (every package comes back "could not be audited").
audit: venv
	$(PY) -m pip install --quiet pip-audit==2.10.1
	$(PY) -m pip_audit --strict -r requirements.txt -r requirements-dev.txt

clean:
	rm -rf $(INDEX) .pytest_cache .ruff_cache $(JIEBADAG)
