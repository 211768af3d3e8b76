# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DOCUMENTS ?= documents
INDEX ?= index
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-slow lint index venv venv-run clean quality browser-deps audit

# Serving needs requirements.txt only; the test tools (pytest, Playwright, hypothesis, ruff) come with `make test`.
$(VENV)/.installed-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed: $(VENV)/.installed-run requirements-dev.txt
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

venv-run: $(VENV)/.installed-run $(JIEBADAG)

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser-deps:
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q chromium chromium-driver fonts-noto-cjk; }

# Builds only when documents changed (the build itself compares content hashes).
index: venv-run
	$(PY) -m indexer build --documents $(DOCUMENTS) --index $(INDEX)

# Serves documents/ with staff writes on: the admin token is made on first run (random, mode 0600, git-ignored).
ADMIN_TOKEN ?= .admin-token
run: index
	@test -s $(ADMIN_TOKEN) || (umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(32))' > $(ADMIN_TOKEN))
	@echo "admin token: $(ADMIN_TOKEN) (keep it secret) · admin page: http://$(HOST):$(PORT)/admin"
	$(PY) -m webapp --index $(INDEX) --documents $(DOCUMENTS) --admin-token-file $(ADMIN_TOKEN) --host $(HOST) --port $(PORT)

test: venv index browser-deps
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
