#!/usr/bin/env bash
# Installs what building, running and testing Roadmap Planner needs, skipping what is present:
# Debian/Ubuntu packages (apt-get, with sudo when not root), the UI's npm packages (npm ci),
# tauri-driver and cargo-deny at pinned versions into ./.tools, and the Python iCalendar
# parsers the export is checked against into ./.tools/venv. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

TAURI_DRIVER_VERSION=2.1.0
CARGO_DENY_VERSION=0.20.2
# WebKitGTK and friends for Tauri; Xvfb, xauth and WebKitWebDriver for the end-to-end
# tests; ImageMagick's `import` for window screenshots; Python's venv for the iCalendar
# parsers and the test CalDAV servers; the locale sources, so the tests can run the window in
# British and US English; a session bus and gnome-keyring, the real Secret Service the CalDAV
# password goes to in the tests (scripts/with-keyring.sh starts both, privately).
APT_PACKAGES=(
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  xvfb xauth webkit2gtk-driver imagemagick
  python3 python3-venv locales
  dbus-daemon gnome-keyring
)

say() { printf '==> %s\n' "$*"; }

# --- System packages --------------------------------------------------------------------------
if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    say "installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
else
  say "not a Debian/Ubuntu system: install the equivalents of ${APT_PACKAGES[*]} yourself"
fi

# --- Locales for the end-to-end tests --------------------------------------------------------
# The window writes dates the system locale's way; the tests run it in en_GB and en_US. They
# are compiled into ./.tools/locale (used through LOCPATH), so nothing system-wide changes.
for loc in en_GB en_US; do
  if [ ! -e ".tools/locale/$loc.UTF-8/LC_TIME" ]; then
    say "compiling the $loc.UTF-8 locale into .tools/locale"
    mkdir -p .tools/locale
    localedef -i "$loc" -f UTF-8 ".tools/locale/$loc.UTF-8"
  fi
done

# --- Toolchains we do not install, but check ---------------------------------------------------
command -v cargo >/dev/null || { echo "error: Rust is not installed; see https://rustup.rs" >&2; exit 1; }
command -v node >/dev/null || { echo "error: Node.js (20.19 or newer) is not installed" >&2; exit 1; }
node -e '
  const [maj, min] = process.versions.node.split(".").map(Number);
  if (maj < 20 || (maj === 20 && min < 19)) {
    console.error(`error: Node.js ${process.versions.node} is too old; Vite needs 20.19 or newer`);
    process.exit(1);
  }'

# --- UI packages ---------------------------------------------------------------------------------
# `npm ci` is skipped when node_modules was installed from this very lock file.
lock_hash="$(sha256sum ui/package-lock.json | cut -d' ' -f1)"
if [ "$(cat ui/node_modules/.installed-from-lock 2>/dev/null)" != "$lock_hash" ]; then
  say "installing UI packages (npm ci)"
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > ui/node_modules/.installed-from-lock
fi

# --- tauri-driver, pinned ------------------------------------------------------------------------
# Both tools are built unoptimised (--debug): they run for seconds, and a debug build takes
# about half as long as a release build on a fresh machine (cargo-deny: 2.6 min here).
if [ "$(cat .tools/tauri-driver.version 2>/dev/null)" != "$TAURI_DRIVER_VERSION" ]; then
  say "installing tauri-driver $TAURI_DRIVER_VERSION into .tools/"
  cargo install --quiet --locked --debug --root .tools "tauri-driver@$TAURI_DRIVER_VERSION"
  echo "$TAURI_DRIVER_VERSION" > .tools/tauri-driver.version
fi

# --- cargo-deny, pinned: the dependency audit (deny.toml, scripts/audit.sh) ---------------------
if [ "$(cat .tools/cargo-deny.version 2>/dev/null)" != "$CARGO_DENY_VERSION" ]; then
  say "installing cargo-deny $CARGO_DENY_VERSION into .tools/ (a few minutes, once)"
  cargo install --quiet --locked --debug --root .tools "cargo-deny@$CARGO_DENY_VERSION"
  echo "$CARGO_DENY_VERSION" > .tools/cargo-deny.version
fi

# --- Python iCalendar parsers, pinned ------------------------------------------------------------
req_hash="$(sha256sum scripts/ics-check/requirements.txt | cut -d' ' -f1)"
if [ "$(cat .tools/venv/.installed-from 2>/dev/null)" != "$req_hash" ]; then
  say "installing the Python iCalendar parsers into .tools/venv"
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check -r scripts/ics-check/requirements.txt
  echo "$req_hash" > .tools/venv/.installed-from
fi

# --- Two CalDAV servers for the sync tests, pinned ------------------------------------------------
# Radicale and Xandikos, into .tools/caldav; the tests start them on the loopback interface with
# authentication and stop them (crates/roadmap-cli/tests/it/caldav.rs).
req_hash="$(sha256sum scripts/caldav-servers/requirements.txt | cut -d' ' -f1)"
if [ "$(cat .tools/caldav/.installed-from 2>/dev/null)" != "$req_hash" ]; then
  say "installing the test CalDAV servers (Radicale, Xandikos) into .tools/caldav"
  python3 -m venv .tools/caldav
  .tools/caldav/bin/pip install --quiet --disable-pip-version-check -r scripts/caldav-servers/requirements.txt
  echo "$req_hash" > .tools/caldav/.installed-from
fi
