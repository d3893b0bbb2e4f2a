# Mrezha: `make run` sets up and starts the platform; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
RUNTIME := $(VENV)/.runtime-$(SUM)
TESTING := $(VENV)/.testing-$(SUM)
NPM_TOOLS := tests/npm/node_modules/.installed

.PHONY: run test bench messages clean chromium java screenshots

# `make run` installs what the platform needs to run, nothing more; `make test` adds the test extras.
$(RUNTIME): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) is needed (set PYTHON=...)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@rm -f $(VENV)/.runtime-* $(VENV)/.installed-*
	@touch $@

$(TESTING): $(RUNTIME)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.testing-*
	@touch $@

run: $(RUNTIME)
	$(BIN)/mrezha run

# Browser tests drive Debian's chromium; install it when it is missing.
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "make: installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

# The W3C Nu HTML checker runs on Java; install Debian's headless JRE when java is missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "make: installing Debian's headless Java runtime for the W3C Nu checker"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; fi; }

# Node tools the tests run (the official AsyncAPI parser), pinned in tests/npm/package-lock.json.
$(NPM_TOOLS): tests/npm/package.json tests/npm/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make: npm (Node.js 18+) is needed for the contract tests"; exit 1; }
	cd tests/npm && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

test: $(TESTING) chromium java $(NPM_TOOLS)
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(TESTING)
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

# Screenshots of the main pages at 390 px and 1366 px into docs/screenshots/ (linked from the README).
screenshots: $(TESTING) chromium
	$(BIN)/python -m tests.screenshots

# Re-extract the UI strings and merge them into the Bulgarian and English catalogs.
messages: $(TESTING)
	$(BIN)/pybabel extract -F babel.cfg -o web/locales/messages.pot --no-location --omit-header -k _ -k gettext -k N_ .
	$(BIN)/pybabel update -i web/locales/messages.pot -d web/locales -D messages --width 100

clean:
	rm -rf $(VENV) var .pytest_cache
