# make run / make test set themselves up on a fresh machine: venv, project, store.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  := data/events.parquet

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(STORE): $(STAMP) seeds/events.yaml geo/places.geojson
	$(BIN)/eventmap build

run: $(STAMP) $(STORE)
	$(BIN)/streamlit run app.py

test: $(STAMP) $(STORE)
	$(BIN)/pytest

bench: $(STAMP) $(STORE)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check src app.py tests bench

clean:
	rm -rf $(VENV) data .pytest_cache
