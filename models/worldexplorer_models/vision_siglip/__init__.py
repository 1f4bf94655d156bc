"""The HY-WorldPlay 8B's vision encoder: SigLIP so400m-patch14-384, the image_encoder of FLUX.1-Redux-dev that
HY-WorldPlay ships as vision_encoder/siglip, as the bundle graph image_encoder.onnx (docs/bundle-format.md),
exported by export.export_siglip. Read from upstream hyvideo/models/vision_encoder/__init__.py and
worldplay_video_pipeline.py (_load_vision_encoder, _prepare_vision_states) at commit da2d0c2. That folder is a
snapshot of black-forest-labs/FLUX.1-Redux-dev (download_models.py:187-230): the exporter reads
image_encoder/model.safetensors (tensor names "vision_model.<name>") and feature_extractor/preprocessor_config.json,
and ignores the Redux embedder files beside them.

The graph: pixels float32 [1, 3, 384, 384], RGB in [-1, 1] -> vision_tokens float32 [1, 729, 1152] (the token axis
is named n_vision in the signature), SiglipVisionModel's last_hidden_state: 27 encoder layers, then
post_layernorm. The pooling head the checkpoint carries (vision_model.head.*) is skipped. Upstream runs it in fp16.

Upstream's image path (worldplay_video_pipeline.py:760-770): the start image (8-bit RGB) is resized to cover the
bucket size (h, w) of the video with PIL LANCZOS and centre-cropped to it (hyvideo/utils/data_utils.py:21-36, the
same bucket the VAE image uses, e.g. 480 x 848), then the checkpoint's SiglipImageProcessor
(feature_extractor/preprocessor_config.json) resizes that crop to 384 x 384 without keeping the aspect ratio
(PIL BICUBIC, resample 3), multiplies by 1/255 and normalises with mean = std = 0.5. So the host passes the bucket
crop resized to 384 x 384 bicubically, scaled to [-1, 1] as 8-bit value / 127.5 - 1: (v/255 - 0.5)/0.5 is the
same number, and the graph needs no input scaling. If a checkpoint's preprocessor_config.json says otherwise, the
exporter folds the difference into the graph.
"""
