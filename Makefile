# Two commands do everything on a fresh machine with Python and pip: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LAB_STAMP := $(VENV)/.lab-stamp
# Jupyter refuses to run as root (CI, containers) unless told to.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
SAMPLE := data/sample
PROCESSED := data/processed
REPORTS := reports

.PHONY: run test lint bench bench-national lab processed clean

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

# Every benchmark, then one summary table with the national projection (also in bench-out/results.txt).
bench: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python benchmarks/suite.py

# Ingest, load and render at 300,000 synthetic reports (long; not in CI). KEEP=1 keeps bench-out/national.
bench-national: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python benchmarks/suite.py --national $(if $(KEEP),--keep)

# JupyterLab is installed once (again only when pyproject.toml changes).
$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	touch $(LAB_STAMP)

lab: processed $(LAB_STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/

clean:
	rm -rf $(PROCESSED) $(REPORTS) bench-out
