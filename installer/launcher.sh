#!/bin/sh
# worldexplorer: the installed command. build.sh puts this file in the app image as bin/worldexplorer, next to the
# jpackage launcher bin/worldexplorer-jvm, and the .deb links /usr/bin/worldexplorer to it.
# It exists because a jpackage launcher cannot set environment variables, and ONNX Runtime 1.29 reads its
# telemetry switch from the environment before any Java code could turn it off. Everything else the JVM needs
# (asset folder, native library folder, memory limit) is in lib/app/worldexplorer-jvm.cfg.
set -e
here="$(dirname "$(readlink -f "$0")")"
export ORT_DISABLE_TELEMETRY=1
# Same switch as the source checkout's ./worldexplorer: extra JVM options for one run.
if [ -n "${WORLDEXPLORER_JAVA_OPTS:-}" ]; then
  export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} $WORLDEXPLORER_JAVA_OPTS"
fi
exec "$here/worldexplorer-jvm" "$@"
