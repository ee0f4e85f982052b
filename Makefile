# Two commands on a fresh machine: `make run` (dashboard on the sample data), `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test load lint sample bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# The load itself notices when nothing changed and then writes nothing.
load: $(VENV)/.runtime
	$(BIN)/python -m etl load || [ $$? -eq 1 ]

run: load
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

sample: $(VENV)/.runtime
	$(BIN)/python -m etl.sample --out data/raw --reference data/reference

bench: $(VENV)/.dev
	$(BIN)/python bench/etl.py

clean:
	rm -rf $(VENV) data/parquet
