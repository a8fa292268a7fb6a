#!/bin/sh
# Builds llama-cpp-python and llama.cpp's llama-server from ONE compile of the llama.cpp source pinned in
# requirements/llama-cpp-python.txt (the llama-cpp-python sdist, by version and sha256, taken from uv.lock),
# into a cache outside the checkout, then installs them into the venv.
# Usage: build_llama.sh VENV [auto|cpu|cuda|metal] [wheel|server]
#   wheel:  llama-cpp-python only (what the app needs to open its window)
#   server: the wheel, then llama-server in the same build tree (`hearth serve`)
#
# The cache ($HEARTH_BUILD_CACHE, default ~/.cache/hearth) keeps, per version, sha256 and backend: the source,
# the CMake build tree, the wheel and the server. A clean checkout, a new venv or CI reuses all of it.
#
# Linux: scripts/llama_server.cmake adds llama-server to the wheel's own CMake build (outside `all`), so ggml,
# llama, common and mtmd are compiled once and the server links the very libllama/libggml*/libmtmd the wheel
# ships (the bundle then holds llama.cpp once: packaging/README.md). Its runpath finds them from the bundle
# ($ORIGIN/llama_cpp/lib) and from a venv's bin/. Windows (the DLLs are not beside the server in the bundle)
# and macOS build a static server in a second tree from the same source.
set -eu
venv="$1"; backend="${2:-auto}"; want="${3:-server}"
here="$(cd "$(dirname "$0")" && pwd)"
pin="$here/../requirements/llama-cpp-python.txt"
bin="$venv/bin"; exe=""
[ -d "$venv/Scripts" ] && { bin="$venv/Scripts"; exe=".exe"; }  # a Windows venv
args="$(sh "$here/llama_backend.sh" "$backend")"
version="$(sed -n 's/^llama-cpp-python==\([^ ]*\).*/\1/p' "$pin")"
sha256="$(sed -n 's/.*--hash=sha256:\([0-9a-f]\{64\}\).*/\1/p' "$pin" | head -n 1)"
[ -n "$version" ] && [ -n "$sha256" ] || { echo "$pin names no llama-cpp-python version and sha256" >&2; exit 1; }
tag="$(printf '%s' "$args" | tr -c 'A-Za-z0-9=' '_')"
shared=no; [ "$(uname -s)" = "Linux" ] && shared=yes
key="llama-$version-$(printf '%s' "$sha256" | cut -c1-12)${tag:+-$tag}"
cache="${HEARTH_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth}/$key"
src="$cache/src"; build="$cache/build"; jobs="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
mkdir -p "$cache"

# the pinned sdist, checked against its sha256 by pip, unpacked and patched once
if [ ! -f "$src/.hearth-ready" ]; then
  echo "llama.cpp: fetching llama-cpp-python $version (sha256 $sha256)"
  rm -rf "$src" "$cache/download"
  "$bin/python" -m pip download --quiet --no-deps --no-binary :all: --require-hashes -r "$pin" --dest "$cache/download"
  mkdir -p "$src.tmp"
  tar -xzf "$cache/download/llama_cpp_python-$version.tar.gz" -C "$src.tmp" --strip-components 1
  rm -rf "$cache/download"
  if [ "$shared" = yes ]; then
    # the server needs only the wheel's libllama, libggml* and libmtmd: the two libraries the wheel does not
    # ship (llama-common, llama-server-impl: untyped, so shared in the wheel's shared build) become static,
    # and the server is not installed into the wheel
    for file in "$src.tmp/vendor/llama.cpp/common/CMakeLists.txt" "$src.tmp/vendor/llama.cpp/tools/server/CMakeLists.txt"; do
      grep -q '^add_library(${TARGET}$' "$file" || { echo "llama.cpp changed: no untyped add_library in $file" >&2; exit 1; }
      sed -i.orig 's/^add_library(${TARGET}$/add_library(${TARGET} STATIC/' "$file"
    done
    server_cmake="$src.tmp/vendor/llama.cpp/tools/server/CMakeLists.txt"
    grep -q '^install(TARGETS ${TARGET} RUNTIME)$' "$server_cmake" || { echo "llama.cpp changed: $server_cmake" >&2; exit 1; }
    sed -i.orig2 's/^install(TARGETS ${TARGET} RUNTIME)$//' "$server_cmake"
    # llama.cpp's common library stays out of the wheel's build (only the server links it, statically)
    top="$src.tmp/vendor/llama.cpp/CMakeLists.txt"
    grep -q '^    install(TARGETS llama-common LIBRARY)$' "$top" || { echo "llama.cpp changed: $top" >&2; exit 1; }
    sed -i.orig 's/^    install(TARGETS llama-common LIBRARY)$//' "$top"
    # llama-server joins the wheel's build tree at the end of llama.cpp's own CMakeLists.txt (llama_server.cmake)
    printf '\nif (HEARTH_LLAMA_SERVER)\n    include(${HEARTH_LLAMA_SERVER})\nendif()\n' >> "$src.tmp/vendor/llama.cpp/CMakeLists.txt"
  fi
  touch "$src.tmp/.hearth-ready"
  mv "$src.tmp" "$src"
fi

# the wheel: one CMake build tree kept in the cache (scikit-build-core's build-dir)
wheel="$(find "$cache/wheel" -name 'llama_cpp_python-*.whl' 2>/dev/null | head -n 1)"
if [ -z "$wheel" ]; then
  echo "llama.cpp: building llama-cpp-python $version (backend: ${args:-CPU}) into $cache; this takes several minutes..."
  rm -rf "$cache/wheel.tmp"
  # no web UI fetched from Hugging Face during the build, no HTTPS client (model downloads with -hf, unused: it
  # would link the system's libssl): nothing leaves the machine, and llama-server serves its API
  cmake_args="$args -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF"
  [ "$shared" = yes ] && cmake_args="$cmake_args -DHEARTH_LLAMA_SERVER=$here/llama_server.cmake"
  CMAKE_ARGS="$cmake_args" CMAKE_BUILD_PARALLEL_LEVEL="$jobs" "$bin/python" -m pip wheel --quiet --no-deps \
    --no-build-isolation --wheel-dir "$cache/wheel.tmp" --config-settings=build-dir="$build" "$src"
  rm -rf "$cache/wheel"; mv "$cache/wheel.tmp" "$cache/wheel"
  wheel="$(find "$cache/wheel" -name 'llama_cpp_python-*.whl' | head -n 1)"
fi
if [ "$(cat "$venv/.llama-build" 2>/dev/null)" != "$key" ] || ! "$bin/python" -c "import llama_cpp" 2>/dev/null; then
  "$bin/python" -m pip install --quiet --no-deps --force-reinstall "$wheel"
  printf '%s' "$key" > "$venv/.llama-build"
fi
[ "$want" = server ] || exit 0

server="$cache/llama-server$exe"
# `make run` builds the server in the background: one build at a time, and the app can tell it is under way
marker="$venv/.llama-server-building"
if [ -f "$marker" ] && kill -0 "$(cat "$marker")" 2>/dev/null; then
  echo "llama.cpp: waiting for the llama-server build already under way (process $(cat "$marker"))..."
  while [ -f "$marker" ] && kill -0 "$(cat "$marker")" 2>/dev/null; do sleep 5; done
fi
echo $$ > "$marker"
trap 'rm -f "$marker"' EXIT
if [ ! -x "$server" ]; then
  echo "llama.cpp: building llama-server $version (backend: ${args:-CPU}) in the same tree..."
  cmake="$bin/cmake$exe"; [ -x "$cmake" ] || cmake="$(command -v cmake)"  # the locked CMake the wheel was configured with
  if [ "$shared" = yes ]; then
    "$cmake" --build "$build" --target llama-server --config Release -j "$jobs"
    built="$build/hearth-bin/llama-server"
    # every library the server links is the wheel's (by soname) or the system's: nothing of this build is left out
    own=""
    for name in $(readelf -d "$built" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      case "$name" in libllama.so.0|libggml*.so.0|libmtmd.so.0) continue ;; esac
      [ -z "$(find "$build" -name "$name" -print -quit)" ] || own="$own $name"
    done
    [ -z "$own" ] || { echo "llama-server links libraries llama-cpp-python does not ship: $own" >&2; exit 1; }
  else
    # shellcheck disable=SC2086 # $args holds several cmake flags
    "$cmake" -S "$src/vendor/llama.cpp" -B "$cache/build-server" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
      -DBUILD_SHARED_LIBS=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
      -DLLAMA_BUILD_SERVER=ON $args >/dev/null
    "$cmake" --build "$cache/build-server" --target llama-server --config Release -j "$jobs"
    built="$(find "$cache/build-server/bin" -name "llama-server$exe" | head -n 1)"
  fi
  cp "$built" "$server.tmp" && mv "$server.tmp" "$server"
fi
# a copy, not a link: $ORIGIN in the runpath is the folder of the file itself
rm -f "$bin/llama-server$exe"
cp "$server" "$bin/llama-server$exe.tmp" && mv "$bin/llama-server$exe.tmp" "$bin/llama-server$exe"
