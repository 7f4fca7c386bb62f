#!/bin/sh
# test-install.sh — Copyright 2026 The Vitalscan authors, GPL-3.0-or-later.
# The installed tree, not the build tree: `meson install` into a throw-away DESTDIR, then what
# a packager's scripts and a desktop do with it — compile the schemas, validate the desktop
# file, find the icon it names, read the translations next to the binary, and start the app
# from its desktop file (gio launch) until its window shows. TAP output.
# Usage: test-install.sh BUILD_DIR PREFIX
set -u
build_dir=$1
prefix=$2
app_id=io.github.vitalscan.Vitalscan
n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check () { desc=$1; shift; if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc"; fi; }

tmp=$(mktemp -d)
app_pid=
cleanup () {
  touch "$tmp/stop"
  [ -n "$app_pid" ] && wait "$app_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
dest=$tmp/dest
root=$dest$prefix
# Nothing of the build or test environment may help the installed app find its files.
unset GSETTINGS_SCHEMA_DIR G_TEST_SRCDIR G_TEST_BUILDDIR
export HOME=$tmp/home XDG_DATA_HOME=$tmp/home/data XDG_CONFIG_HOME=$tmp/home/config
export XDG_CACHE_HOME=$tmp/home/cache XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

if meson install -C "$build_dir" --destdir "$dest" --no-rebuild --quiet >"$tmp/install.log" 2>&1
then ok "meson install into a DESTDIR"
else not_ok "meson install into a DESTDIR"; sed 's/^/# /' "$tmp/install.log"; echo "1..$n"; exit 1
fi

for f in bin/vitalscan bin/vitalscan-cli bin/vitalscan-server \
         share/applications/$app_id.desktop share/metainfo/$app_id.metainfo.xml \
         share/glib-2.0/schemas/$app_id.gschema.xml \
         share/icons/hicolor/scalable/apps/$app_id.svg \
         share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg \
         share/locale/de/LC_MESSAGES/vitalscan.mo; do
  check "installed: $f" test -s "$root/$f"
done

# what the distribution's triggers do (meson skips them for a DESTDIR install)
check "the schemas compile" glib-compile-schemas --strict "$root/share/glib-2.0/schemas"
desktop=$root/share/applications/$app_id.desktop
if command -v desktop-file-validate >/dev/null; then
  check "the desktop file is valid" desktop-file-validate "$desktop"
fi
icon=$(sed -n 's/^Icon=//p' "$desktop")
check "the desktop file's icon ($icon) is installed" \
  test -s "$root/share/icons/hicolor/scalable/apps/$icon.svg"
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
check "the desktop file starts the installed binary ($exec_line)" \
  test -x "$root/bin/${exec_line%% *}"

# translations are found next to the binary, not in the build tree
LANGUAGE=de LANG=C.UTF-8 "$root/bin/vitalscan" --help >"$tmp/help.txt" 2>&1
if grep -q "Die Demo-Person statt einer Kamera verwenden" "$tmp/help.txt"
then ok "the installed app speaks German"
else not_ok "the installed app speaks German"; sed 's/^/# /' "$tmp/help.txt"
fi

# started from its launcher, as a desktop does: the window shows and the app keeps running
if [ -z "${DISPLAY:-}" ] || ! command -v xdotool >/dev/null; then
  echo "ok $((n + 1)) # SKIP starting it needs a display and xdotool (the runner uses Xvfb)"
  n=$((n + 1))
else
  export PATH="$root/bin:$PATH" GDK_BACKEND=x11
  # a private session bus for the app; it lives until the test touches $tmp/stop
  dbus-run-session -- sh -c 'gio launch "$1"; while [ ! -e "$2" ]; do sleep 0.2; done' \
    launch "$desktop" "$tmp/stop" >"$tmp/app.log" 2>&1 &
  app_pid=$!
  window=$(timeout 30 xdotool search --sync --onlyvisible --name '^Vitalscan$' 2>/dev/null)
  if [ -n "$window" ]
  then ok "started from its desktop file, the window shows"
  else not_ok "started from its desktop file, the window shows"; sed 's/^/# /' "$tmp/app.log"
  fi
  # the installed binary, whatever its name in the process list
  for pid in $(pgrep -x vitalscan); do
    [ "$(readlink "/proc/$pid/exe")" = "$root/bin/vitalscan" ] && kill "$pid"
  done
  touch "$tmp/stop"
  if grep -q "not installed\|Trace/breakpoint\|CRITICAL" "$tmp/app.log"
  then not_ok "no schema error or critical warning"; sed 's/^/# /' "$tmp/app.log"
  else ok "no schema error or critical warning"
  fi
fi
echo "1..$n"
exit $failed
