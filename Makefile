# Two commands on a fresh machine (Python 3.11 + pip):
#   make        set up a lean .venv (runtime only), then run the main job on the embedded log (build/)
#   make test   add the test extras to .venv and run the whole suite
#   (make lab   add JupyterLab and open the notebooks)
# Offline classroom: `make wheelhouse` on a connected machine collects every wheel into
# wheelhouse/; copy the clone with it, then `make WHEELHOUSE=wheelhouse` installs from it alone.
SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# every install takes its versions from constraints.txt: same versions, byte-identical charts.
# --no-compile: Python compiles only the modules it imports (about 30 MB), not all 100 MB.
CONSTRAINTS := constraints.txt
WHEELHOUSE ?=
FROM   := $(if $(WHEELHOUSE),--no-index --find-links $(abspath $(WHEELHOUSE)),)
PIP    := $(BIN)/python -m pip install --progress-bar off --no-compile -c $(CONSTRAINTS) $(FROM)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: all setup setup-test run lab test test-fast lint browser-deps tool-deps wheelhouse wheel clean

all: run

# one line per step; pip names each package as it goes (no silent minutes)
$(BIN)/tadmur: pyproject.toml $(CONSTRAINTS) setup.py
	@echo "[setup 1/2] creating $(VENV) with $$($(PYTHON) --version)"
	@$(PYTHON) -m venv $(VENV) && echo "    done in $$SECONDS s"
	@echo "[setup 2/2] installing tadmur and its runtime dependencies$(if $(WHEELHOUSE), from $(WHEELHOUSE) (offline),) ..."
	@$(PIP) -e . | grep --line-buffered -E '^(Collecting|Installing|Successfully|ERROR)' | sed -u 's/^/    /'; \
	  test $${PIPESTATUS[0]} -eq 0 && echo "    done in $$SECONDS s"
	@touch $@

$(VENV)/.test-extras: $(BIN)/tadmur
	@echo "[setup test] adding the test extras (pytest, xdist, hypothesis, playwright, atheris, ray, JupyterLab, ruff, mypy) ..."
	@$(PIP) -e '.[test]' | grep --line-buffered -E '^(Collecting|Installing|Successfully|ERROR)' | sed -u 's/^/    /'; \
	  test $${PIPESTATUS[0]} -eq 0 && echo "    done in $$SECONDS s"
	@touch $@

setup: $(BIN)/tadmur

setup-test: $(VENV)/.test-extras

# numba keeps compiled code on disk: compiling the replay's passes once here (8-20 s) means
# no notebook or large replay waits for it later (small logs never compile at all)
run: setup
	@echo "[run] compiling the replay's passes into numba's cache ..."
	@$(BIN)/python -c "from engine.domain.warm_up import compile_passes; compile_passes()" \
	  && echo "    done in $$SECONDS s"
	@echo "[run] tadmur demo --out build"
	@$(BIN)/tadmur demo --out build && echo "[run] done in $$SECONDS s"

# JupyterLab on the notebooks (the lab extra; `make` executes them without it)
$(VENV)/.lab: $(BIN)/tadmur
	@echo "[setup lab] adding JupyterLab ..."
	@$(PIP) -e '.[lab]' | grep --line-buffered -E '^(Collecting|Installing|Successfully|ERROR)' | sed -u 's/^/    /'; \
	  test $${PIPESTATUS[0]} -eq 0 && echo "    done in $$SECONDS s"
	@touch $@

lab: $(VENV)/.lab
	$(BIN)/jupyter lab notebooks/

# Debian's chromium for the browser tier; needs root (CI runs as root). Without it the
# browser tests skip with a message, except under CI=true where they fail.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "[deps] apt-get install chromium"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	  || echo "could not install chromium: the browser tier will report it"; fi

# jq for tools/verify_chain.sh (the hash chain checked without Python)
tool-deps:
	@if ! command -v jq >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "[deps] apt-get install jq"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null) \
	  || echo "could not install jq: tests/integration/test_verify_chain_sh.py will report it"; fi

test: setup-test browser-deps tool-deps
	@echo "[test] pytest -n 2 --dist loadgroup"
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: setup-test
	$(BIN)/python -m pytest -n 2 tests/unit engine

# format and type checks, on the modules that are already clean (the list grows as files are cleaned)
CLEAN_FILES := setup.py engine/__init__.py engine/interop engine/cli engine/terminal.py \
               engine/packaged_data.py engine/provenance.py tests/unit/test_packaging.py \
               tests/unit/test_interop.py tests/integration/test_wheel.py \
               tests/integration/test_verify_chain_sh.py tests/integration/test_interop_cli.py \
               engine/domain/weighing.py engine/domain/replay_weighed.py engine/domain/explain.py \
               engine/extract/claims_import.py bench/devcorpus_replay.py \
               tests/unit/test_weighing_rules.py tests/integration/test_claims_import_and_explain.py \
               engine/domain/codes.py engine/domain/revisions.py tests/unit/test_event_registry.py \
               tests/unit/test_import_direction.py engine/domain/passes.py bench/small_logs.py \
               tests/properties/strategies.py tests/properties/test_compiled_passes.py \
               tests/properties/test_encoding_properties.py \
               tests/properties/test_incremental_properties.py \
               tests/properties/test_replay_agrees_with_reference_fold.py tests/unit/test_front_door.py \
               bench/cli_startup.py tests/unit/test_cli_imports.py tests/integration/test_cli_options.py \
               engine/version.py engine/domain/warm_up.py \
               tests/unit/test_extract_generalise.py engine/domain/weighing_passes.py \
               tests/properties/test_weighed_fold_agrees.py bench/baselines/eventsourcing_sites.py \
               engine/store/checked_lines.py engine/store/fast_index.py bench/read_path.py \
               tests/unit/test_checked_lines.py tests/integration/test_checked_read.py \
               engine/store/blocks.py engine/store/head.py bench/replay_weighed_stages.py \
               engine/store/result_cache.py engine/domain/timelines.py engine/project.py \
               tests/integration/test_result_cache_hostile.py \
               tests/properties/test_result_cache_properties.py \
               engine/domain/weighed_tables.py tests/properties/test_weighed_incremental.py tests/builders.py
lint: setup-test
	@echo "[lint] ruff format --check, ruff check, mypy on $(words $(CLEAN_FILES)) clean paths"
	$(BIN)/ruff format --check $(CLEAN_FILES)
	$(BIN)/ruff check $(CLEAN_FILES)
	$(BIN)/mypy --ignore-missing-imports --follow-imports=silent $(CLEAN_FILES)

# every wheel the runtime and the tests need (and the build backend), for offline installs;
# written to wheelhouse/ (or WHEELHOUSE_OUT=DIR), then `make WHEELHOUSE=DIR` installs from it
WHEELHOUSE_OUT ?= wheelhouse
wheelhouse: $(BIN)/tadmur
	@echo "[wheelhouse] collecting wheels into $(WHEELHOUSE_OUT)/ ..."
	@$(BIN)/python -m pip wheel --progress-bar off -c $(CONSTRAINTS) -w $(WHEELHOUSE_OUT) \
	  '.[test]' 'setuptools>=77' | grep --line-buffered -E '^(Collecting|Saved|ERROR)' | sed -u 's/^/    /'; \
	  test $${PIPESTATUS[0]} -eq 0
	@echo "[wheelhouse] $$(ls $(WHEELHOUSE_OUT) | wc -l) wheels, $$(du -sh $(WHEELHOUSE_OUT) | cut -f1)"

# the package alone (dist/tadmur-*.whl), with the embedded log and notebooks inside
wheel: setup-test
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation -w dist .

clean:
	rm -rf build dist
