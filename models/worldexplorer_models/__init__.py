"""Builders of worldexplorer bundles (docs/bundle-format.md): torch modules exported to ONNX, manifests, golden files."""
