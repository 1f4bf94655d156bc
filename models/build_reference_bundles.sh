#!/usr/bin/env bash
# Rebuilds every reference bundle from scratch into assets/bundles/<name>/ (graphs, manifest, golden files),
# and the procedural start images they are built from. Needs Debian's python3 with torch 1.13, onnx and numpy.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=/usr/bin/python3
"$PYTHON" -m worldexplorer_models start-images --out ../assets/images
for bundle in $("$PYTHON" -m worldexplorer_models list); do
  rm -rf "../assets/bundles/$bundle"
  "$PYTHON" -m worldexplorer_models build "$bundle" --out "../assets/bundles/$bundle"
done
