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
#   lib/app/native/       the Linux x64 natives of ONNX Runtime, LWJGL (with GLFW), imgui-java, DJL tokenizers,
#                         JNA and FFmpeg (JavaCPP), unpacked once here so that nothing is extracted at each start; the other platforms'
#                         natives are left out
#   lib/app/assets/       the embedded reference-scene bundle and the start images
#   bin/worldexplorer     installer/launcher.sh: sets ORT_DISABLE_TELEMETRY=1, then runs bin/worldexplorer-jvm
#   lib/app/legal/        LICENSE, THIRD-PARTY-NOTICES, ONNX Runtime's own notices, the jars' LICENSE/NOTICE files
#   lib/worldexplorer.desktop, lib/worldexplorer.png   menu entry (installer/worldexplorer.desktop) and icon
#
# Needs: JDK 17 (jpackage, jlink, jdeps, jar), Maven; for the .deb also fakeroot, dpkg-deb and objcopy
# (Debian: openjdk-17-jdk-headless maven fakeroot binutils).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
installer="$root/installer"
out="$installer/target"   # --cuda: installer/target-cuda, so that both variants can sit side by side
name=worldexplorer       # the .deb installs to /opt/worldexplorer, which resources/* and worldexplorer.desktop name

cuda=false
deb=true
for arg in "$@"; do
  case "$arg" in
    --cuda) cuda=true; out="$installer/target-cuda" ;;
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

# 2. Class path without natives; natives for Linux x64 only, unpacked into one folder. Each library is told where
#    that folder is (see the java options in step 5), so none of them extracts anything at start.
step "staging jars and Linux x64 natives (version $version)"
cp "$app_jar" "$input/"
native_files=( -name '*.so' -o -name '*.so.*' -o -name '*.dll' -o -name '*.dylib' -o -name '*.jnilib' -o -name '*.a' )
# repack JAR DIR: copies the Linux x64 libraries in the jar's folder DIR to lib/app/native, then writes the jar
# to lib/app/lib without any native library (a jar that held nothing else is left out).
repack() {
  local jar="$1" dir="$2" tmp
  tmp="$(mktemp -d "$out/repack.XXXX")"
  (cd "$tmp" && jar xf "$jar")
  [ -n "$(find "$tmp/$dir" -maxdepth 1 -type f -name '*.so' 2>/dev/null)" ] \
    || { echo "build.sh: no Linux x64 library in $dir of $jar" >&2; exit 1; }
  find "$tmp/$dir" -maxdepth 1 -type f \( -name '*.so' -o -name '*.so.*' \) -exec cp {} "$native/" \;
  find "$tmp" -depth -name '*.dSYM' -exec rm -rf {} +
  find "$tmp" -type f \( "${native_files[@]}" \) -delete
  find "$tmp" -depth -type d -empty -delete
  if [ -f "$tmp/ThirdPartyNotices.txt" ]; then
    local b; b="$(basename "$jar")"
    cp "$tmp/ThirdPartyNotices.txt" "$out/legal/${b%%-[0-9]*}-ThirdPartyNotices.txt"
  fi
  if [ -n "$(find "$tmp" -type f ! -path "$tmp/META-INF/*" -print -quit)" ]; then
    if [ -f "$tmp/META-INF/MANIFEST.MF" ]; then
      (cd "$tmp" && jar --create --file "$input/lib/$(basename "$jar")" --manifest META-INF/MANIFEST.MF -C . .)
    else
      (cd "$tmp" && jar --create --file "$input/lib/$(basename "$jar")" --no-manifest -C . .)
    fi
  fi
  rm -rf "$tmp"
}
notices="$root/THIRD-PARTY-NOTICES"
for jar in "$root"/app/target/lib/*.jar; do
  base="$(basename "$jar")"
  artifact="$(echo "$base" | sed -E 's/-[0-9].*\.jar$//')"
  if [[ "$artifact" != worldexplorer-* ]]; then
    grep -Eq "^ *artifacts:.* $artifact( |\$)" "$notices" \
      || { echo "build.sh: $base is not named on an 'artifacts:' line in THIRD-PARTY-NOTICES: add it" >&2; exit 1; }
    # Keep every licence and notice file the jar carries.
    entries="$(jar tf "$jar" | grep -Ei '^META-INF/[^/]*(LICEN[CS]E|NOTICE|AL2\.0|LGPL)[^/]*$' || true)"
    if [ -n "$entries" ]; then
      mkdir -p "$out/legal/licenses/${base%.jar}"
      (cd "$out/legal/licenses/${base%.jar}" && jar xf "$jar" $entries && mv META-INF/* . && rmdir META-INF)
    fi
  fi
  case "$base" in
    lwjgl*-natives-linux.jar) repack "$jar" linux/x64/org/lwjgl/"$(echo "$artifact" | sed -n 's/^lwjgl-//p')" ;;
    imgui-java-natives-linux-*.jar) repack "$jar" io/imgui/java/native-bin ;;
    onnxruntime-*.jar|onnxruntime_gpu-*.jar) repack "$jar" ai/onnxruntime/native/linux-x64 ;;
    tokenizers-*.jar) repack "$jar" native/lib/linux-x86_64/cpu ;;
    jna-*.jar) repack "$jar" com/sun/jna/linux-x86-64 ;;
    javacpp-*-linux-x86_64.jar) repack "$jar" org/bytedeco/javacpp/linux-x86_64 ;;
    ffmpeg-*-linux-x86_64.jar) repack "$jar" org/bytedeco/ffmpeg/linux-x86_64 ;;
    *)
      if [ -n "$(jar tf "$jar" | grep -E '\.(so|dll|dylib|jnilib)$')" ]; then
        echo "build.sh: $base carries native libraries: teach repack (above) where its Linux x64 ones are" >&2; exit 1
      fi
      cp "$jar" "$input/lib/" ;;
  esac
done

# The recorder uses FFmpeg's avformat, avcodec, avutil and swscale only. libavdevice (capture devices: PulseAudio,
# ALSA, XCB and some 30 more packages through them) and libavfilter stay out.
rm -f "$native"/libavdevice.so.* "$native"/libjniavdevice.so "$native"/libavfilter.so.* "$native"/libjniavfilter.so

# The default bundle and the start images; golden/ folders are test data.
mkdir -p "$input/assets/bundles"
cp -r "$root/assets/images" "$input/assets/images"
cp -r "$root/assets/bundles/reference-scene" "$input/assets/bundles/reference-scene"
rm -rf "$input/assets/bundles/reference-scene/golden"
cp "$root/LICENSE" "$out/legal/LICENSE"
cp "$root/THIRD-PARTY-NOTICES" "$out/legal/THIRD-PARTY-NOTICES"

# 3. Icon, drawn by a single-file Java program (installer/MakeIcon.java).
step "icon"
java -Djava.awt.headless=true "$installer/MakeIcon.java" "$out/$name.png" 256

# 4. Runtime: the modules jdeps finds in the app and its libraries, nothing else.
step "jdeps + jlink"
# -R from the app jar over the class path: naming every jar instead makes jdeps resolve the modular ones as
# modules, and commons-compress's module requires commons-lang3, which is not on the run-time class path.
modules="$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 -R \
  --class-path "$input/lib/*" "$input/$name-app.jar")"
echo "  modules: $modules"
# No CDS archive (--generate-cds-archive): it adds 22 MB and made no measurable difference to the start here.
jlink --add-modules "$modules" --output "$out/runtime" \
  --strip-debug --no-header-files --no-man-pages --strip-native-commands

# 5. App image. jpackage's launcher bin/worldexplorer becomes bin/worldexplorer-jvm (a jpackage launcher reads
#    lib/app/<its own name>.cfg, so the .cfg is renamed with it), and launcher.sh takes its place.
#    JVM options ($APPDIR is lib/app): where the assets and each library's natives are (JavaCPP looks in
#    java.library.path first with pathsFirst, instead of unpacking to ~/.javacpp/cache); DJL offline with its
#    usage reporting off; its "native library overridden" line kept quiet; AWT headless (images only, the window
#    is GLFW's); the heap, and with it the direct buffers for frames and latents, may take half the memory.
step "jpackage app-image"
description="Play an interactive video world model live on your own machine."
common=(--name "$name" --app-version "$version" --vendor "worldexplorer" --description "$description"
  --copyright "worldexplorer authors, Apache-2.0")
jpackage --type app-image "${common[@]}" --dest "$out/app-image" \
  --input "$input" --main-jar "$name-app.jar" --main-class org.worldexplorer.app.WorldExplorer \
  --runtime-image "$out/runtime" --icon "$out/$name.png" \
  --java-options '-Dworldexplorer.home=$APPDIR' \
  --java-options '-Donnxruntime.native.path=$APPDIR/native' \
  --java-options '-Dorg.lwjgl.librarypath=$APPDIR/native' \
  --java-options '-Dimgui.library.path=$APPDIR/native' \
  --java-options '-DRUST_LIBRARY_PATH=$APPDIR/native/libtokenizers.so' \
  --java-options '-Djna.boot.library.path=$APPDIR/native' --java-options '-Djna.nounpack=true' \
  --java-options '-Djava.library.path=$APPDIR/native' --java-options '-Dorg.bytedeco.javacpp.pathsFirst=true' \
  --java-options '-Dai.djl.offline=true' --java-options '-DOPT_OUT_TRACKING=true' \
  --java-options '-Dorg.slf4j.simpleLogger.log.ai.djl.huggingface.tokenizers.jni.LibUtils=warn' \
  --java-options '-Djava.awt.headless=true' \
  --java-options '-XX:MaxRAMPercentage=50'
image="$out/app-image/$name"
mv "$image/bin/$name" "$image/bin/$name-jvm"
mv "$image/lib/app/$name.cfg" "$image/lib/app/$name-jvm.cfg"
install -m 755 "$installer/launcher.sh" "$image/bin/$name"
cp "$installer/$name.desktop" "$image/lib/$name.desktop"
# jpackage's .deb takes only its own layout (bin/, lib/) from an app image, so the notices live under lib/app.
mkdir -p "$image/lib/app/legal"
cp -r "$out"/legal/* "$image/lib/app/legal/"

app_bytes="$(du -sb "$image" | cut -f1)"
step "app image: $image ($((app_bytes / 1048576)) MiB; runtime $(du -sm "$image/lib/runtime" | cut -f1) MiB, natives $(du -sm "$image/lib/app/native" | cut -f1) MiB)"
$deb || exit 0

# 6. The .deb. LWJGL opens libGL and GLFW opens the X11 libraries with dlopen, so jpackage's ldd scan cannot see
#    them: they are named here; jpackage adds what ldd finds (libc6, libstdc++6, the AWT image libraries).
#    The menu entry is lib/worldexplorer.desktop, linked by resources/postinst; jpackage's own --linux-shortcut
#    would run xdg-desktop-menu, which fails where there is no menu folder (servers, CI).
step "jpackage deb"
gl_deps="libgl1, libx11-6, libxrandr2, libxcursor1, libxi6, libxinerama1, libxext6"
jpackage --type deb "${common[@]}" --dest "$out" --app-image "$image" \
  --resource-dir "$installer/resources" \
  --linux-package-name "$name" --linux-deb-maintainer "worldexplorer@users.noreply.github.com" \
  --linux-app-category games \
  --linux-package-deps "$gl_deps" --license-file "$root/LICENSE"
deb_file="$(ls "$out"/${name}_*.deb)"
step "deb: $deb_file ($(($(stat -c %s "$deb_file") / 1048576)) MiB; installed size $(dpkg-deb -f "$deb_file" Installed-Size) KiB)"
echo "  Depends: $(dpkg-deb -f "$deb_file" Depends)"
