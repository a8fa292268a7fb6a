#!/bin/sh
# Adds Hearth to your desktop's application menu (current user only; nothing is copied).
# Run it from the unpacked folder; run it again if you move the folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/512x512/apps"
mkdir -p "$apps" "$icons"
cp "$here/hearth.png" "$icons/hearth.png"
# Exec needs an absolute path; quotes keep folders with spaces working
sed "s|^Exec=hearth|Exec=\"$here/hearth\"|" "$here/hearth.desktop" > "$apps/hearth.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "Hearth added to the application menu ($apps/hearth.desktop)"
