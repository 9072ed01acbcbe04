#!/usr/bin/env bash
# Builds target/debian/roadmap-planner_<version>_<arch>.deb: the app (size-optimised release
# build, UI embedded) and the `roadmap` CLI, a desktop entry and icons. Then checks it: the
# package's metadata and contents, and, when a display or Xvfb is at hand, that the binary
# unpacked from it starts, renders with data and exits (ROADMAP_PLANNER_EXIT_ON_READY=1).
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
arch="$(dpkg --print-architecture)"
npm --prefix ui run build >/dev/null
cargo build --profile release-small -p roadmap-planner -p roadmap-cli

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
pkg="$root/pkg"
install -D -m 0755 target/release-small/roadmap-planner "$pkg/usr/bin/roadmap-planner"
install -D -m 0755 target/release-small/roadmap "$pkg/usr/bin/roadmap"
install -D -m 0644 src-tauri/icons/32x32.png "$pkg/usr/share/icons/hicolor/32x32/apps/roadmap-planner.png"
install -D -m 0644 src-tauri/icons/128x128.png "$pkg/usr/share/icons/hicolor/128x128/apps/roadmap-planner.png"
install -D -m 0644 /dev/stdin "$pkg/usr/share/applications/roadmap-planner.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Roadmap Planner
Comment=Plan your path to backend developer
Exec=roadmap-planner
Icon=roadmap-planner
Terminal=false
Categories=Education;Office;
DESKTOP
install -D -m 0644 /dev/stdin "$pkg/usr/share/doc/roadmap-planner/copyright" <<COPYRIGHT
Roadmap Planner $version
License: MIT
COPYRIGHT
size_kb="$(du -sk "$pkg/usr" | cut -f1)"
install -D -m 0644 /dev/stdin "$pkg/DEBIAN/control" <<CONTROL
Package: roadmap-planner
Version: $version
Architecture: $arch
Maintainer: Roadmap Planner developers <dev@roadmap-planner.invalid>
Installed-Size: $size_kb
Depends: libc6 (>= 2.36), libgtk-3-0 (>= 3.24), libwebkit2gtk-4.1-0 (>= 2.40), libjavascriptcoregtk-4.1-0 (>= 2.40), libsoup-3.0-0
Section: education
Priority: optional
Description: study planner for self-taught backend developers
 Schedules a backend-developer roadmap as study sessions in your week, tracks
 progress, replans when you fall behind and exports the plan to your calendar.
CONTROL

mkdir -p target/debian
deb="target/debian/roadmap-planner_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$pkg" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1))"

# Check what was built.
info="$(dpkg-deb --info "$deb")"
grep -q "Package: roadmap-planner" <<<"$info" || { echo "error: $deb has no package name" >&2; exit 1; }
contents="$(dpkg-deb --contents "$deb")"
for f in ./usr/bin/roadmap-planner ./usr/bin/roadmap ./usr/share/applications/roadmap-planner.desktop; do
  grep -q " $f\$" <<<"$contents" || { echo "error: $deb lacks $f" >&2; exit 1; }
done
unpacked="$root/unpacked"
dpkg-deb -x "$deb" "$unpacked"
"$unpacked/usr/bin/roadmap" --version
if command -v xvfb-run >/dev/null; then
  data="$root/data"
  ROADMAP_PLANNER_DATA_DIR="$data" "$unpacked/usr/bin/roadmap" plan --start 2027-01-04 --months 12 --save >/dev/null
  ROADMAP_PLANNER_DATA_DIR="$data" ROADMAP_PLANNER_EXIT_ON_READY=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 \
    timeout 60 xvfb-run -a env -u DBUS_SESSION_BUS_ADDRESS "$unpacked/usr/bin/roadmap-planner"
  echo "the packaged app started, rendered its plan and exited"
fi
