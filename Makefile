# Two commands on a fresh machine (Python 3.11 + pip):
#   make        set up .venv, then run the main job on the embedded log (build/)
#   make test   the whole test suite (unit, integration, data, notebooks, browser)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: all setup run test test-fast browser-deps clean

all: run

$(BIN)/tadmur: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/tadmur

run: setup
	$(BIN)/tadmur demo --out build

# Debian's chromium for the browser tier; needs root (CI runs as root). Without it the
# browser tests skip with a message, except under CI=true where they fail.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	  || echo "could not install chromium: the browser tier will report it"; fi

test: setup browser-deps
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: setup
	$(BIN)/python -m pytest -n 2 tests/unit engine

clean:
	rm -rf build
