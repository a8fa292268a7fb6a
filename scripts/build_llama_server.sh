#!/bin/sh
# Builds llama.cpp's llama-server (the engine `hearth serve` runs) from the llama.cpp source vendored
# in the llama-cpp-python sdist of the version the venv has, once per version and backend, into a
# cache outside the checkout (a clean checkout or CI reuses it), then puts it into the venv's bin/.
# Usage: build_llama_server.sh VENV [auto|cpu|cuda|metal]
#
# On Linux the server is linked against llama-cpp-python's own shared libraries (libllama, libggml*,
# libmtmd in site-packages/llama_cpp/lib) instead of carrying a static copy of the same code: the
# bundle then holds llama.cpp once (packaging/README.md). They are ABI-compatible because both come
# from the same vendored source with the same backend flags (the version and the backend are in the
# cache key; packaging/build.py checks every symbol the server needs is in the wheel's libraries).
# The runpath finds them from the bundle ($ORIGIN/llama_cpp/lib: _internal/llama-server) and from
# the venv ($ORIGIN/../lib/pythonX.Y/site-packages/llama_cpp/lib: VENV/bin/llama-server, a copy,
# since $ORIGIN is the folder of the file itself, not of a link to it). Windows (the DLLs are not next
# to the server in the bundle) and macOS (not built yet) keep the static build.
set -eu
venv="$1"; backend="${2:-auto}"
here="$(cd "$(dirname "$0")" && pwd)"
version="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')"
args="$(sh "$here/llama_backend.sh" "$backend")"
tag="$(printf '%s' "$args" | tr -c 'A-Za-z0-9=' '_' )"
link="static"
if [ "$(uname -s)" = "Linux" ]; then
  # where the venv keeps llama_cpp/lib, relative to VENV/bin (has the Python version in it: part of the key)
  venvlib="$("$venv/bin/python" -c 'import os, sys, importlib.util as u; lib = os.path.join(os.path.dirname(u.find_spec("llama_cpp").origin), "lib"); print(os.path.relpath(lib, os.path.join(sys.prefix, "bin")))')"
  link="shared-$(printf '%s' "$venvlib" | tr -c 'A-Za-z0-9.' '_')"
fi
# the key changes with the link mode, so an older static build in the same cache is not reused
cache="${HEARTH_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth}/llama-server-$version${tag:+-$tag}-$link"
binary="$cache/llama-server"
if [ ! -x "$binary" ]; then
  echo "Building llama-server $version (backend: ${args:-CPU}, $link) once into $cache; this takes several minutes..."
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
  if [ "$link" = "static" ]; then
    set -- -DBUILD_SHARED_LIBS=OFF
  else
    # shared libraries, as llama-cpp-python's wheel is built (its CMakeLists.txt), GGML_NATIVE by default as there;
    # the two libraries the wheel does not ship (llama-common, llama-server-impl: no type in add_library, so shared
    # here) are made static, so the server needs only libllama, libggml* and libmtmd
    for file in "$source/common/CMakeLists.txt" "$source/tools/server/CMakeLists.txt"; do
      grep -q '^add_library(${TARGET}$' "$file" || { echo "llama.cpp changed: no untyped add_library in $file" >&2; exit 1; }
      sed -i 's/^add_library(${TARGET}$/add_library(${TARGET} STATIC/' "$file"
    done
    # no HTTPS client (model downloads with -hf, which Hearth does not use): the server would link the system's libssl
    set -- -DBUILD_SHARED_LIBS=ON -DLLAMA_OPENSSL=OFF -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON \
      "-DCMAKE_INSTALL_RPATH=\$ORIGIN/llama_cpp/lib;\$ORIGIN/$venvlib"
  fi
  # shellcheck disable=SC2086 # $args holds several cmake flags
  "$cmake" -S "$source" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF "$@" \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON $args >/dev/null
  "$cmake" --build "$work/build" --target llama-server --config Release -j "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
  if [ "$link" != "static" ]; then
    # every library the server links is the wheel's (by soname) or the system's: nothing of this build is left behind
    own=""
    for name in $(readelf -d "$work/build/bin/llama-server" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      case "$name" in libllama.so.0|libggml*.so.0|libmtmd.so.0) continue ;; esac
      [ -z "$(find "$work/build" -name "$name" -print -quit)" ] || own="$own $name"
    done
    [ -z "$own" ] || { echo "llama-server links libraries llama-cpp-python does not ship: $own" >&2; exit 1; }
  fi
  mkdir -p "$cache"
  cp "$work/build/bin/llama-server" "$binary.tmp" && mv "$binary.tmp" "$binary"
fi
if [ "$link" = "static" ]; then
  ln -sf "$binary" "$venv/bin/llama-server"
else
  rm -f "$venv/bin/llama-server"  # an older build's link into the cache: cp would write through it
  cp "$binary" "$venv/bin/llama-server.tmp" && mv "$venv/bin/llama-server.tmp" "$venv/bin/llama-server"
fi
