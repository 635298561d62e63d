# Everything a fresh machine with Python 3.11+ needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK := $(VENV)/.spark-installed

.PHONY: demo test test-long lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

# The [spark] extra (pyspark, pyarrow) for the Spark scan test; Spark also needs Java 17 or newer.
$(SPARK): $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[spark]'
	touch $(SPARK)

demo: $(STAMP)
	$(BIN)/python -m detector.demo

# Includes the Spark local[2] scan test, so the [spark] extra is installed first.
test: $(SPARK)
	DETECTOR_REQUIRE_SPARK=1 $(BIN)/python -m pytest -q

# The long suites.
test-long: $(SPARK)
	$(BIN)/python -m pytest -q -m long

lint: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt ruff mypy
	$(BIN)/ruff check .
	$(BIN)/mypy fingerprints detector

bench: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[bench]'
	@echo "run the scripts in bench/ by hand, e.g. $(BIN)/python bench/bench_match.py"

clean:
	rm -rf $(VENV) demo-out *.egg-info
