# Two commands do everything on a fresh machine with Python and pip: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := data/sample
PROCESSED := data/processed
REPORTS := reports

.PHONY: run test lint bench lab processed clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps "rapidocr-onnxruntime>=1.4.4"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# Ingest the bundled sample (incremental: a second run only checks hashes).
processed: $(STAMP)
	$(BIN)/govstats ingest $(SAMPLE) --out $(PROCESSED)

run: processed
	$(BIN)/govstats render --all --data $(PROCESSED) --out $(REPORTS)
	@echo "Open $(abspath $(REPORTS))/index.html"

lint: $(STAMP)
	$(BIN)/ruff check govstats tests benchmarks

test: lint processed
	MPLBACKEND=Agg $(BIN)/python -m pytest -n 2 --dist loadfile tests
	MPLBACKEND=Agg $(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax -p no:cacheprovider notebooks

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; MPLBACKEND=Agg $(BIN)/python $$b || exit 1; done

lab: processed
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(PROCESSED) $(REPORTS) bench-out
