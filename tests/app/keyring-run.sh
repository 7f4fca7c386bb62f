#!/bin/sh
# keyring-run.sh — Copyright 2026 The Vitalscan authors, GPL-3.0-or-later.
# Runs "$@" on a private D-Bus session bus with a fresh, unlocked gnome-keyring (Secret
# Service) in a throw-away home, so tests store keys for real without touching the user's.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
dbus-run-session -- sh -c '
  printf "vitalscan-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' keyring-run "$@"
