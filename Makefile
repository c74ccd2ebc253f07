# make run / make test set themselves up on a fresh machine: venv, project, store.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  := data/events.parquet
ASSETS := static/vendor/.fetched

.PHONY: run test bench lint clean import

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(STORE): $(STAMP) seeds/events.yaml geo/places.geojson
	$(BIN)/eventmap build

# Leaflet and plugins, pinned and checksummed, from the npm registry (src/eventmap/assets.py).
$(ASSETS): $(STAMP) src/eventmap/assets.py
	$(BIN)/python -m eventmap.assets
	touch $(ASSETS)

run: $(STAMP) $(STORE) $(ASSETS)
	$(BIN)/eventmap serve

test: $(STAMP) $(STORE) $(ASSETS)
	node --test tests/js
	$(BIN)/pytest

# Another dataset's file into the store: make import FILE=acled-export.csv (then make run).
import: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make import FILE=path/to/events.csv"; exit 2; }
	$(BIN)/eventmap import "$(FILE)"

bench: $(STAMP) $(STORE)
	$(BIN)/python -m bench
bench-load: $(STAMP) ; $(BIN)/python -m bench load
bench-import: $(STAMP) ; $(BIN)/python -m bench import

lint: $(STAMP)
	$(BIN)/ruff check src app.py tests bench

clean:
	rm -rf $(VENV) data .pytest_cache
