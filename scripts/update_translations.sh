#!/usr/bin/env bash
# Re-extract the UI strings into the .ts files and compile them to the .qm files the app loads.
# New strings come in as type="unfinished": translate them (pyside6-linguist, or by hand), then re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_BIN="${VENV_BIN:-.venv/bin}"
mapfile -t sources < <(find desktop_app/ui desktop_app/core -name "*.py" | sort)
for lang in zh_CN; do
    ts="desktop_app/i18n/hearth_${lang}.ts"
    "$VENV_BIN/pyside6-lupdate" -no-obsolete -target-language "$lang" "${sources[@]}" -ts "$ts"
    "$VENV_BIN/pyside6-lrelease" "$ts" -qm "desktop_app/i18n/hearth_${lang}.qm"
done
