#!/bin/sh
# Qt's X11 plugin needs X libraries that minimal Linux systems lack (libxcb-cursor0 since Qt 6.5; without it the
# window does not open). `make run` installs them with apt-get where this user may, and otherwise says what to install.
[ "$(uname -s)" = Linux ] || exit 0
packages="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0"
missing() {
  for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxkbcommon-x11.so.0; do
    ldconfig -p 2>/dev/null | grep -q "$lib" || return 0
  done
  return 1
}
missing || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y -q --no-install-recommends $packages >/dev/null 2>&1 || \
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $packages >/dev/null 2>&1; }
fi
missing && echo "Hearth's window needs these X libraries, which this system lacks: $packages (Debian/Ubuntu: sudo apt-get install $packages)."
exit 0
