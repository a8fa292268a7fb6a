"""llama-server as `make setup` installs it (scripts/build_llama.sh): on Linux it links llama-cpp-python's
own libllama/libggml*/libmtmd instead of carrying a static copy, and finds them from the venv's bin/ and from
the bundle's _internal/ through its runpath. (The frozen side: tests/packaging/test_bundle.py.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import llama_cpp
from desktop_app.core import paths

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the shared llama-server is Linux only")
WHEEL_LIB = Path(llama_cpp.__file__).resolve().parent / "lib"


@pytest.fixture(scope="module")
def server() -> Path:
    found = paths.llama_server_binary()
    if found is None:
        pytest.fail("no llama-server in this venv: make setup builds it")
    return found


def loaded_objects(binary: Path) -> dict[str, str]:
    """{soname: the file the loader picks}, as ldd prints it, without running the program."""
    done = subprocess.run([str(binary)], env={"LD_TRACE_LOADED_OBJECTS": "1"}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return dict(re.findall(r"^\s*(\S+) => (\S+)", done.stdout, re.MULTILINE))


def test_llama_server_uses_the_wheels_llama_cpp_libraries(server):
    loaded = loaded_objects(server)
    assert "libllama.so.0" in loaded, f"{server} is not linked against libllama.so.0 (a static build?): {loaded}"
    for name in ("libllama.so.0", "libggml.so.0", "libggml-base.so.0", "libggml-cpu.so.0", "libmtmd.so.0"):
        assert Path(loaded[name]).resolve().parent == WHEEL_LIB, (name, loaded[name])
    assert not [name for name in loaded if name.startswith(("libllama-common", "libllama-server"))]


def test_llama_server_binds_every_symbol_against_the_wheel(server):
    """LD_BIND_NOW resolves every function at start: a server built from another llama.cpp than the wheel's fails."""
    done = subprocess.run([str(server), "--version"], env={"LD_BIND_NOW": "1", "PATH": os.defpath}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "version:" in done.stdout + done.stderr


def test_the_runpath_also_finds_the_libraries_from_the_bundles_layout(server):
    runpath = subprocess.run(["readelf", "-d", str(server)], capture_output=True, text=True, check=True).stdout
    assert "[$ORIGIN/llama_cpp/lib:" in runpath  # _internal/llama-server next to _internal/llama_cpp/lib
