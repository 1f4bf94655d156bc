#!/usr/bin/env bash
# Tests the packages that installer/build.sh makes, for real, on this machine (CI runs it as root; otherwise it
# uses sudo for dpkg and apt-get):
#   1. builds the app image and the .deb;
#   2. installs the .deb with dpkg -i (after apt-get installs any of its Depends that are missing);
#   3. from the installed copy, with an empty home folder: worldexplorer --version, worldexplorer doctor (also
#      on the embedded bundle) and a headless render of a short path to MP4; checks that nothing was written into the install
#      folder, nothing outside the XDG folders, nothing to the JVM's temp folder, and no ONNX Runtime telemetry;
#   4. removes the package with dpkg -r (then purges it) and checks that its files, the command and the menu
#      entry are gone;
#   5. opens the explorer from the app image's launcher under Xvfb, recording, and checks that a screenshot shows
#      a frame and that the recording is an MP4.
# Prints the package size, the install size and the time from launch to first frame.
#
# Usage: installer/test-install.sh [--no-build]   (--no-build: test the packages already in installer/target)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
installer="$root/installer"
out="$installer/target"
name=worldexplorer
install_dir=/opt/$name
build=true
[ "${1:-}" = "--no-build" ] && build=false

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
step() { printf '\n[%5ss] == %s\n' "$SECONDS" "$*"; }
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }

if $build; then
  step "build"
  "$installer/build.sh"
fi
deb_file="$(ls "$out"/${name}_*_amd64.deb 2>/dev/null | head -1)"
[ -f "$deb_file" ] || fail "no .deb in $out"
image="$out/app-image/$name"
[ -x "$image/bin/$name" ] || fail "no app image in $out/app-image"

if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'; then
  fail "$name is already installed here; remove it first (dpkg -r $name) so the test starts from nothing"
fi

# Everything the test creates, and a cleanup that removes the package even when a check fails.
work="$(mktemp -d /tmp/worldexplorer-test-install.XXXXXX)"
cleanup() {
  local status
  status="$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null || true)"
  if [ -n "$status" ] && [[ "$status" != *not-installed* ]]; then
    "${sudo_cmd[@]}" dpkg -P "$name" >/dev/null 2>&1 || echo "test-install: could not purge $name ($status)" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step "install with dpkg -i"
missing=()
IFS=',' read -ra depends <<< "$(dpkg-deb -f "$deb_file" Depends)"
for dep in "${depends[@]}"; do
  dep="$(echo "$dep" | sed 's/([^)]*)//; s/[[:space:]]//g')"
  [ -n "$dep" ] || continue
  dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q 'install ok installed' || missing+=("$dep")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing the package's missing dependencies: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"${sudo_cmd[@]}" dpkg -i "$deb_file"
dpkg-query -W -f='${Status}\n' "$name" | grep -q 'install ok installed' || fail "dpkg does not list $name as installed"
[ "$(readlink /usr/bin/$name)" = "$install_dir/bin/$name" ] || fail "/usr/bin/$name is not a link to $install_dir/bin/$name"
desktop=/usr/share/applications/$name.desktop
[ -f "$desktop" ] || fail "no desktop entry $desktop"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop" || fail "$desktop is not valid"; fi
grep -q "^Exec=$install_dir/bin/$name explore" "$desktop" || fail "$desktop does not start '$name explore'"
icon="$(sed -n 's/^Icon=//p' "$desktop")"
[ "$(head -c 8 "$icon" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "icon $icon is not a PNG"
for doc in LICENSE THIRD-PARTY-NOTICES onnxruntime-ThirdPartyNotices.txt; do
  [ -s "$install_dir/lib/app/legal/$doc" ] || fail "$doc missing from $install_dir/lib/app/legal"
done
if find "$install_dir" \( -name '*.dll' -o -name '*.dylib' -o -name '*.jnilib' \) | grep .; then
  fail "non-Linux natives installed (above)"
fi

# Run as a new user would: empty home, no XDG variables, a private JVM temp folder to prove nothing is extracted.
home="$work/home"
jvm_tmp="$work/jvm-tmp"
mkdir -p "$home" "$jvm_tmp"
stamp="$work/stamp"
touch "$stamp"
sleep 1
as_user() {
  (cd "$home" && env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 \
    WORLDEXPLORER_JAVA_OPTS="-Djava.io.tmpdir=$jvm_tmp" "$@")
}

step "installed: worldexplorer --version"
version_line="$(as_user $name --version 2>&1 | grep -v '^Picked up JAVA_TOOL_OPTIONS')"
echo "$version_line"
[[ "$version_line" == "$name "* ]] || fail "unexpected --version output: $version_line"

step "installed: worldexplorer doctor"
as_user $name doctor || fail "doctor reported a failure"
as_user $name doctor --bundle "$install_dir/lib/app/assets/bundles/reference-scene" | tail -3 \
  || fail "doctor failed on the embedded bundle"

step "installed: headless render of a short path"
as_user $name render --image "$install_dir/lib/app/assets/images/meadow.png" --path "w-3, right-1" \
  --out "$home/walk.mp4" || fail "render failed"
# An MP4 starts with an ftyp box: 4 bytes of size, then "ftyp".
[ "$(head -c 8 "$home/walk.mp4" 2>/dev/null | tail -c 4)" = "ftyp" ] || fail "render wrote no MP4"
[ -s "$home/walk.ndjson" ] || fail "render wrote no session log"
if command -v ffprobe >/dev/null; then
  frames="$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$home/walk.mp4")"
  echo "ffprobe: $frames frames"
  [ "${frames:-0}" -gt 0 ] || fail "the MP4 has no decodable frames"
fi

step "installed: nothing written where it should not be"
if find "$install_dir" -newer "$stamp" | grep .; then fail "files written into $install_dir (above)"; fi
unexpected="$(cd "$home" && find . -mindepth 1 ! -path './walk.*' ! -path './.config' ! -path './.config/worldexplorer*' \
  ! -path './.cache' ! -path './.cache/worldexplorer*')"
[ -z "$unexpected" ] || fail "written outside the XDG folders of the home folder: $unexpected"
[ -z "$(ls -A "$jvm_tmp")" ] || fail "natives or files extracted to the JVM temp folder: $(ls -A "$jvm_tmp")"
echo "ok: install folder untouched, home folder holds only walk.* and XDG folders, JVM temp folder empty"

deb_bytes="$(stat -c %s "$deb_file")"
installed_bytes="$(du -sb "$install_dir" | cut -f1)"

step "remove with dpkg -r"
"${sudo_cmd[@]}" dpkg -r "$name"
[ ! -e "$install_dir" ] || fail "$install_dir is still there after dpkg -r: $(find "$install_dir" | head)"
[ ! -e "/usr/bin/$name" ] && [ ! -L "/usr/bin/$name" ] || fail "/usr/bin/$name is still there"
[ ! -e "$desktop" ] && [ ! -L "$desktop" ] || fail "$desktop is still there"
# dpkg -r keeps a removed package's maintainer scripts ("config-files") until it is purged.
status="$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null || true)"
[[ -z "$status" || "$status" == *not-installed* || "$status" == *config-files* ]] \
  || fail "dpkg still lists $name as installed after dpkg -r: $status"
"${sudo_cmd[@]}" dpkg -P "$name" >/dev/null
status="$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null || true)"
[[ -z "$status" || "$status" == *not-installed* ]] || fail "dpkg still knows $name after dpkg -P: $status"
echo "ok: package, command, menu entry and $install_dir gone (dpkg -r, then dpkg -P)"

step "app image: explore under Xvfb, screenshot of the first frame"
shots="$work/shots"
log="$work/explore.log"
# The clock starts after Xvfb is up (inside xvfb-run) and stops when the first frame's screenshot is on disk.
xvfb-run -a -s "-screen 0 1280x720x24" env -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u XDG_PICTURES_DIR HOME="$home" \
  WORLDEXPLORER_JAVA_OPTS="-Djava.io.tmpdir=$jvm_tmp" IMAGE="$image" SHOTS="$shots" LOG="$log" bash -c '
    start=$(date +%s%N)
    "$IMAGE/bin/worldexplorer" explore --frames 48 --screenshot-at 0 --screenshot-dir "$SHOTS" \
        --record --record-dir "$SHOTS/recording" 2>&1 |
      while IFS= read -r line; do
        echo "$line"
        case "$line" in "Screenshot saved"*) echo "first-frame-ms $(( ($(date +%s%N) - start) / 1000000 ))" ;; esac
      done > "$LOG"
    exit "${PIPESTATUS[0]}"' || { cat "$log"; fail "explore from the app image exited with an error"; }
grep -v '^Picked up JAVA_TOOL_OPTIONS' "$log"
shot="$(ls "$shots"/*.png 2>/dev/null | head -1)"
[ -n "$shot" ] || fail "explore saved no screenshot"
java -Djava.awt.headless=true "$installer/CheckFrame.java" "$shot" || fail "the screenshot shows no frame"
[ -z "$(ls -A "$jvm_tmp")" ] || fail "explore extracted files to the JVM temp folder: $(ls -A "$jvm_tmp")"
recording="$(ls "$shots"/recording/*.mp4 2>/dev/null | head -1)"
[ "$(head -c 8 "$recording" 2>/dev/null | tail -c 4)" = "ftyp" ] || fail "explore --record wrote no MP4"
echo "ok: recorded $(basename "$recording") ($(stat -c %s "$recording") bytes)"
first_frame_ms="$(sed -n 's/^first-frame-ms //p' "$log")"

step "numbers"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "package $(basename "$deb_file"): $(mib "$deb_bytes")"
echo "installed size ($install_dir): $(mib "$installed_bytes")"
echo "app image: $(mib "$(du -sb "$image" | cut -f1)")"
echo "launch to first frame (app image, Xvfb + Mesa llvmpipe, CPU): $first_frame_ms ms"
echo "test-install: all checks passed"
