#!/bin/sh
# Installs llama-cpp-python for the chosen backend. pip caches the built wheel, so a
# rebuild happens only when the backend changes (then the cache is bypassed once).
set -eu
venv="$1"; backend="${2:-auto}"
args="$(sh "$(dirname "$0")/llama_backend.sh" "$backend")"
stamp="$venv/.llama-backend"
bin="$venv/bin"
[ -d "$venv/Scripts" ] && bin="$venv/Scripts"  # a Windows venv
requirement="llama-cpp-python>=0.3.36,<0.4"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$args" ] && "$bin/python" -c "import llama_cpp" 2>/dev/null; then
  exit 0
fi
echo "Installing llama-cpp-python (backend: ${args:-CPU}); a first build takes several minutes..."
if [ -z "$args" ]; then
  "$bin/pip" install "$requirement"
else
  CMAKE_ARGS="$args" "$bin/pip" install --force-reinstall --no-deps --no-cache-dir "$requirement"
  "$bin/pip" install "$requirement"
fi
printf '%s' "$args" > "$stamp"
