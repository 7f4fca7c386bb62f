#!/bin/sh
# a11y-run.sh — Copyright 2026 The Vitalscan authors, GPL-3.0-or-later.
# Runs test-a11y.py against the app with its accessibility bridge on: a private D-Bus session
# bus, on which the AT-SPI bus and registry start by D-Bus activation (at-spi2-core), in a
# throw-away home. The suite's environment turns the bridge off for the other tests
# (GTK_A11Y=none, NO_AT_BRIDGE=1): this one needs it.
# Usage: a11y-run.sh TEST-A11Y.PY APP
set -eu
if [ -z "${DISPLAY:-}" ]; then
  echo "1..0 # SKIP no X display (run the app suite under xvfb-run)"
  exit 0
fi
tmp=$(mktemp -d)
xprop_pid=
cleanup() {
  [ -n "$xprop_pid" ] && kill "$xprop_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export GDK_BACKEND=x11 GSK_RENDERER=cairo GSETTINGS_BACKEND=memory
unset GTK_A11Y NO_AT_BRIDGE
# Xvfb resets when its last client leaves (xvfb-run does not pass -noreset): the AT-SPI bus
# launcher's short X connection would then race the app's. One client stays for the run.
xprop -root -spy >/dev/null 2>&1 &
xprop_pid=$!
# The AT-SPI daemons write to their stdout, which is the TAP stream: only the test keeps it.
exec 3>&1
dbus-run-session -- sh -c 'exec "$@" >&3 3>&-' a11y-run "$@" >&2
