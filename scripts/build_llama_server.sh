#!/bin/sh
# Builds llama.cpp's llama-server (the engine `hearth serve` runs) from the llama.cpp source vendored
# in the llama-cpp-python sdist of the version the venv has, once per version and backend, into a
# cache outside the checkout (a clean checkout or CI reuses it), then links it into the venv's bin/.
# Usage: build_llama_server.sh VENV [auto|cpu|cuda|metal]
set -eu
venv="$1"; backend="${2:-auto}"
here="$(cd "$(dirname "$0")" && pwd)"
version="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')"
args="$(sh "$here/llama_backend.sh" "$backend")"
tag="$(printf '%s' "$args" | tr -c 'A-Za-z0-9=' '_' )"
cache="${HEARTH_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth}/llama-server-$version${tag:+-$tag}"
binary="$cache/llama-server"
if [ ! -x "$binary" ]; then
  echo "Building llama-server $version (backend: ${args:-CPU}) once into $cache; this takes several minutes..."
  cmake="$(command -v cmake || true)"
  if [ -z "$cmake" ]; then  # a fresh machine: pip's cmake (llama-cpp-python's own build used an isolated one)
    "$venv/bin/pip" install --quiet "cmake>=3.21,<5"
    cmake="$venv/bin/cmake"
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  "$venv/bin/pip" download --quiet --no-deps --no-binary :all: --dest "$work" "llama-cpp-python==$version"
  tar -xzf "$work"/llama_cpp_python-"$version".tar.gz -C "$work"
  source="$work/llama_cpp_python-$version/vendor/llama.cpp"
  # shellcheck disable=SC2086 # $args holds several cmake flags
  "$cmake" -S "$source" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON $args >/dev/null
  "$cmake" --build "$work/build" --target llama-server --config Release -j "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
  mkdir -p "$cache"
  cp "$work/build/bin/llama-server" "$binary.tmp" && mv "$binary.tmp" "$binary"
fi
ln -sf "$binary" "$venv/bin/llama-server"
