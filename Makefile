# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_DB := build/demo.db

.PHONY: demo test lint bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## make demo: install, ingest the bundled demo corpus, write build/demo-report.md
demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storyline ingest examples/demo/corpus --db $(DEMO_DB)
	$(BIN)/storyline report --db $(DEMO_DB) --out build/demo-report.md
	@echo "open build/demo-report.md, or explore with: $(BIN)/storyline articles --db $(DEMO_DB)"

## make test: install and run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

## make bench: ingest benchmarks on ../shared/data (figures go to BENCHMARKS.md)
bench: $(STAMP)
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/copies_bench.py
	$(BIN)/python bench/web_bench.py --write
	$(BIN)/python bench/understand_bench.py --json build/understand_bench.json
	$(BIN)/python bench/analysis_bench.py --json build/analysis_bench.json
	$(BIN)/pip install -q matplotlib && $(BIN)/python bench/events_bench.py
	$(BIN)/python bench/events_replay.py features && $(BIN)/python bench/events_replay.py run
	$(BIN)/python bench/events_bound.py

clean:
	rm -rf build $(VENV) .pytest_cache .mypy_cache .ruff_cache
