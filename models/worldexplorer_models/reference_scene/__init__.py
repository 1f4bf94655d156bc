"""reference-scene: the embedded default bundle. Hand-built geometric graphs, no training.

The latent of a view is a lossless space-to-depth of two RGB images: the base view (the scene as seen) and the
styled view (the base view with the prompt's effects). The DiT predicts each new view by warping the start image
and the retrieved context views over a simple scene proxy, and re-styles the base view with the current prompt,
so effects never compound across chunks while memory keeps the scene.
"""
