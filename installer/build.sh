#!/usr/bin/env bash
# Builds worldexplorer's desktop packages with the JDK's own jpackage (no Maven plugin, no Python at run time).
#
# Usage: installer/build.sh [--cuda] [--app-image-only]
#   --cuda            package the ONNX Runtime GPU build (Maven profile -Pcuda); see "GPU variant" in README.md
#   --app-image-only  stop after the app image (skips the .deb, which takes most of the time)
#   MVN_ARGS="-o"     extra Maven arguments (for example offline)
#
# Output, under installer/target/:
#   app-image/worldexplorer/           the app image: bin/worldexplorer starts it from wherever it is unpacked
#   worldexplorer_<version>_amd64.deb  installs that image to /opt/worldexplorer, links /usr/bin/worldexplorer,
#                                      adds the desktop entry and icon
#
# What goes in:
#   lib/runtime/          a Java runtime trimmed by jlink to the modules jdeps reports for the app's class path
#   lib/app/*.jar         the app and its libraries, with no native code left inside them
#   lib/app/native/       the Linux x64 natives of ONNX Runtime, LWJGL and imgui-java, unpacked once here so that
#                         nothing is extracted to /tmp at each start (the other platforms' natives stay out)
#   lib/app/assets/       the embedded reference-scene bundle and the start images
#   bin/worldexplorer     installer/launcher.sh: sets ORT_DISABLE_TELEMETRY=1, then runs bin/worldexplorer-jvm
#   share/doc/            LICENSE, THIRD-PARTY-NOTICES, ONNX Runtime's own notices
#
# Needs: JDK 17 (jpackage, jlink, jdeps, jar), Maven; for the .deb also fakeroot, dpkg-deb and objcopy
# (Debian: openjdk-17-jdk-headless maven fakeroot binutils).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
installer="$root/installer"
out="$installer/target"
name=worldexplorer
install_dir=/opt/$name   # fixed: resources/postinst, prerm and worldexplorer.desktop name this folder

cuda=false
deb=true
for arg in "$@"; do
  case "$arg" in
    --cuda) cuda=true ;;
    --app-image-only) deb=false ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

step() { printf '[%5ss] %s\n' "$SECONDS" "$*"; }

for tool in jpackage jlink jdeps jar java mvn; do
  command -v "$tool" >/dev/null || { echo "build.sh: '$tool' not found: install a JDK 17 and Maven" >&2; exit 1; }
done
if $deb; then
  for tool in fakeroot dpkg-deb objcopy; do
    command -v "$tool" >/dev/null || { echo "build.sh: '$tool' not found: apt-get install fakeroot binutils" >&2; exit 1; }
  done
fi

# 1. The jars. lib/ is emptied first so that a jar left by an earlier build (CPU vs GPU ONNX Runtime) cannot
#    end up beside the other one.
step "maven package $($cuda && echo '-Pcuda')"
rm -rf "$root/app/target/lib"
profile=()
$cuda && profile=(-Pcuda)
(cd "$root" && mvn -B -q ${MVN_ARGS:-} "${profile[@]}" -DskipTests package)

app_jar="$root/app/target/$name-app.jar"
rm -rf "$out"
input="$out/input"
native="$input/native"
mkdir -p "$input/lib" "$native" "$out/legal"
(cd "$out" && jar xf "$app_jar" META-INF/MANIFEST.MF)
version="$(sed -n 's/^Implementation-Version: *\([0-9.]*\).*/\1/p' "$out/META-INF/MANIFEST.MF" | tr -d '\r')"
rm -rf "$out/META-INF"
[ -n "$version" ] || { echo "build.sh: no Implementation-Version in $app_jar" >&2; exit 1; }

# 2. Class path without natives; natives for Linux x64 only, unpacked into one folder.
step "staging jars and Linux x64 natives (version $version)"
cp "$app_jar" "$input/"
unpack() { # jar, folder inside it (natives)
  local tmp
  tmp="$(mktemp -d "$out/unpack.XXXX")"
  (cd "$tmp" && jar xf "$1" "$2")
  [ -n "$(ls -A "$tmp/$2" 2>/dev/null)" ] || { echo "build.sh: no $2 in $1" >&2; exit 1; }
  find "$tmp/$2" -maxdepth 1 -type f \( -name '*.so' -o -name '*.so.*' \) -exec cp {} "$native/" \;
  rm -rf "$tmp"
}
notices="$root/THIRD-PARTY-NOTICES"
for jar in "$root"/app/target/lib/*.jar; do
  base="$(basename "$jar")"
  artifact="$(echo "$base" | sed -E 's/-[0-9][^-]*(-SNAPSHOT)?(-natives-[a-z0-9-]+)?\.jar$//')"
  if [[ "$artifact" != worldexplorer-* ]]; then
    grep -Eq "^ *artifacts:.* $artifact( |\$)" "$notices" \
      || { echo "build.sh: $base is not named on an 'artifacts:' line in THIRD-PARTY-NOTICES: add it" >&2; exit 1; }
    # Keep every licence and notice file the jar carries.
    entries="$(jar tf "$jar" | grep -Ei '^META-INF/[^/]*(LICENSE|NOTICE)[^/]*$' || true)"
    if [ -n "$entries" ]; then
      mkdir -p "$out/legal/licenses/${base%.jar}"
      (cd "$out/legal/licenses/${base%.jar}" && jar xf "$jar" $entries && mv META-INF/* . && rmdir META-INF)
    fi
  fi
  case "$base" in
    lwjgl*-natives-linux.jar) unpack "$jar" linux/x64/org/lwjgl; continue ;;
    imgui-java-natives-linux-*.jar) unpack "$jar" io/imgui/java/native-bin; continue ;;
    onnxruntime-*.jar|onnxruntime_gpu-*.jar)
      unpack "$jar" ai/onnxruntime/native/linux-x64
      # Repack without any native folder: the libraries load from lib/app/native (onnxruntime.native.path).
      tmp="$(mktemp -d "$out/ort.XXXX")"
      (cd "$tmp" && jar xf "$jar" && rm -rf ai/onnxruntime/native && cp ThirdPartyNotices.txt "$out/legal/onnxruntime-ThirdPartyNotices.txt" \
        && jar --create --file "$input/lib/$base" --manifest META-INF/MANIFEST.MF -C . .)
      rm -rf "$tmp"
      continue ;;
    *-natives-*.jar) echo "build.sh: $base carries natives this script does not know how to place" >&2; exit 1 ;;
  esac
  cp "$jar" "$input/lib/"
done
# No non-Linux or non-x64 binary may have slipped in.
if find "$input" -name '*.jar' -exec sh -c 'jar tf "$1" | grep -E "\.(so|dll|dylib|jnilib)$" | sed "s|^|$1: |"' _ {} \; | grep .; then
  echo "build.sh: native libraries left inside jars (above)" >&2; exit 1
fi

cp -r "$root/assets" "$input/assets"
cp "$root/LICENSE" "$out/legal/LICENSE"
cp "$root/THIRD-PARTY-NOTICES" "$out/legal/THIRD-PARTY-NOTICES"

# 3. Icon, drawn by a single-file Java program (installer/MakeIcon.java).
step "icon"
java -Djava.awt.headless=true "$installer/MakeIcon.java" "$out/$name.png" 256

# 4. Runtime: the modules jdeps finds in the app and its libraries, nothing else.
step "jdeps + jlink"
modules="$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 \
  "$input/$name-app.jar" "$input"/lib/*.jar)"
echo "  modules: $modules"
# No CDS archive (--generate-cds-archive): it adds 22 MB and made no measurable difference to the start here.
jlink --add-modules "$modules" --output "$out/runtime" \
  --strip-debug --no-header-files --no-man-pages --strip-native-commands

# 5. App image. The main launcher is replaced by launcher.sh below; it runs the second launcher, worldexplorer-jvm,
#    which reads the same options from lib/app/worldexplorer-jvm.cfg ($APPDIR is lib/app).
step "jpackage app-image"
printf '%s\n' "linux-shortcut=false" > "$out/jvm-launcher.properties"
description="Play an interactive video world model live on your own machine."
common=(--name "$name" --app-version "$version" --vendor "worldexplorer" --description "$description"
  --copyright "worldexplorer authors, Apache-2.0")
jpackage --type app-image "${common[@]}" --dest "$out/app-image" \
  --input "$input" --main-jar "$name-app.jar" --main-class org.worldexplorer.app.WorldExplorer \
  --runtime-image "$out/runtime" --icon "$out/$name.png" \
  --add-launcher "$name-jvm=$out/jvm-launcher.properties" \
  --java-options '-Dworldexplorer.home=$APPDIR' \
  --java-options '-Donnxruntime.native.path=$APPDIR/native' \
  --java-options '-Dorg.lwjgl.librarypath=$APPDIR/native' \
  --java-options '-Dimgui.library.path=$APPDIR/native' \
  --java-options '-Djava.awt.headless=true' \
  --java-options '-XX:MaxRAMPercentage=50'
image="$out/app-image/$name"
install -m 755 "$installer/launcher.sh" "$image/bin/$name"
mkdir -p "$image/share/doc"
cp -r "$out"/legal/* "$image/share/doc/"

app_bytes="$(du -sb "$image" | cut -f1)"
step "app image: $image ($((app_bytes / 1048576)) MiB; runtime $(du -sm "$image/lib/runtime" | cut -f1) MiB, natives $(du -sm "$image/lib/app/native" | cut -f1) MiB)"
$deb || exit 0

# 6. The .deb. LWJGL opens libGL and GLFW opens the X11 libraries with dlopen, so jpackage's ldd scan cannot see
#    them: they are named here. jpackage adds what ldd finds (libc6, libstdc++6, ...) and xdg-utils for the menu.
step "jpackage deb"
gl_deps="libgl1, libx11-6, libxrandr2, libxcursor1, libxi6, libxinerama1, libxext6"
jpackage --type deb "${common[@]}" --dest "$out" --app-image "$image" \
  --resource-dir "$installer/resources" --icon "$out/$name.png" \
  --linux-package-name "$name" --linux-deb-maintainer "worldexplorer <worldexplorer@users.noreply.github.com>" \
  --linux-menu-group "Game;Simulation;Graphics;" --linux-app-category games --linux-shortcut \
  --linux-package-deps "$gl_deps" --license-file "$root/LICENSE"
deb_file="$(ls "$out"/${name}_*.deb)"
step "deb: $deb_file ($(($(stat -c %s "$deb_file") / 1048576)) MiB; installed size $(dpkg-deb -f "$deb_file" Installed-Size) KiB)"
echo "  Depends: $(dpkg-deb -f "$deb_file" Depends)"
