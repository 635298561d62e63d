# Everything a fresh machine with Python 3.11+ needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-long lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m detector.demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The long suites, and the Spark scan test (it needs the [spark] extra and Java 17).
test-long: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[spark]'
	$(BIN)/python -m pytest -q -m long
	$(BIN)/python -m pytest -q tests/test_scan_spark.py

lint: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt ruff mypy
	$(BIN)/ruff check .
	$(BIN)/mypy fingerprints detector

bench: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[bench]'
	@echo "run the scripts in bench/ by hand, e.g. $(BIN)/python bench/bench_match.py"

clean:
	rm -rf $(VENV) demo-out *.egg-info
