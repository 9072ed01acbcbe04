#!/usr/bin/env bash
# Runs a command with a real Secret Service (gnome-keyring) on a private D-Bus session bus, so
# the CalDAV password can go to the system keyring as it does on a desktop. The keyring lives
# in a temporary home, is unlocked with a throwaway password, and ends with the command.
#   scripts/with-keyring.sh cargo test --workspace
set -euo pipefail
if [ "${ROADMAP_KEYRING_READY:-}" = 1 ]; then
  exec "$@"
fi
command -v dbus-run-session >/dev/null || { echo "error: dbus-run-session is missing; run scripts/install-deps.sh" >&2; exit 1; }
command -v gnome-keyring-daemon >/dev/null || { echo "error: gnome-keyring-daemon is missing; run scripts/install-deps.sh" >&2; exit 1; }
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
export ROADMAP_KEYRING_HOME="$keyring_home"
exec dbus-run-session -- bash -c '
  set -euo pipefail
  export XDG_DATA_HOME="$ROADMAP_KEYRING_HOME/data" XDG_RUNTIME_DIR="$ROADMAP_KEYRING_HOME/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
  # --unlock reads the new login keyring'"'"'s password from standard input.
  printf "throwaway" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  export ROADMAP_KEYRING_READY=1
  exec "$@"
' with-keyring "$@"
