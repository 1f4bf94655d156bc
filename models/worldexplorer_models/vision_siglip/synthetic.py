"""Synthetic SigLIP checkpoint folders laid out like HY-WorldPlay's vision_encoder/siglip (image_encoder/ with
config.json and model.safetensors, feature_extractor/preprocessor_config.json), with seeded random weights."""

import json
import pathlib

import torch

from .. import safetensors_io
from ..synthetic_weights import fan_in, near_one, seeded


def published_shapes(config, layers=None):
    """{name: shape} of a SiglipVisionModel checkpoint for `config` (the first `layers` encoder layers, default all),
    pooling head included. At the published sizes this is models/fixtures/siglip_so400m.params."""
    h, f, p = config.hidden, config.intermediate, "vision_model."
    shapes = {p + "embeddings.patch_embedding.weight": (h, 3, config.patch, config.patch),
              p + "embeddings.patch_embedding.bias": (h,),
              p + "embeddings.position_embedding.weight": (config.tokens, h),
              p + "post_layernorm.weight": (h,), p + "post_layernorm.bias": (h,),
              p + "head.probe": (1, 1, h), p + "head.attention.in_proj_weight": (3 * h, h),
              p + "head.attention.in_proj_bias": (3 * h,), p + "head.attention.out_proj.weight": (h, h),
              p + "head.attention.out_proj.bias": (h,), p + "head.layernorm.weight": (h,),
              p + "head.layernorm.bias": (h,), p + "head.mlp.fc1.weight": (f, h), p + "head.mlp.fc1.bias": (f,),
              p + "head.mlp.fc2.weight": (h, f), p + "head.mlp.fc2.bias": (h,)}
    for i in range(config.layers if layers is None else layers):
        q = f"{p}encoder.layers.{i}."
        for norm in ("layer_norm1", "layer_norm2"):
            shapes.update({q + norm + ".weight": (h,), q + norm + ".bias": (h,)})
        for proj in ("k_proj", "v_proj", "q_proj", "out_proj"):
            shapes.update({q + f"self_attn.{proj}.weight": (h, h), q + f"self_attn.{proj}.bias": (h,)})
        shapes.update({q + "mlp.fc1.weight": (f, h), q + "mlp.fc1.bias": (f,), q + "mlp.fc2.weight": (h, f),
                       q + "mlp.fc2.bias": (h,)})
    return shapes


def _scale(name, shape, draw):
    if "norm" in name and name.endswith(".weight"):
        return near_one(draw)
    if len(shape) == 1:
        return 0.1 * draw
    if name.endswith("position_embedding.weight"):
        return draw
    return fan_in(shape) ** -0.5 * draw


def tensors(config, layers=None, seed=0, dtype=torch.float32):
    return seeded(published_shapes(config, layers), _scale, seed, dtype)


def config_json(config):
    return {"architectures": ["SiglipVisionModel"], "model_type": "siglip_vision_model",
            "hidden_size": config.hidden, "num_hidden_layers": config.layers,
            "num_attention_heads": config.heads, "intermediate_size": config.intermediate,
            "patch_size": config.patch, "image_size": config.image, "num_channels": 3,
            "layer_norm_eps": config.eps, "hidden_act": "gelu_pytorch_tanh"}


def preprocessor_json(size, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)):
    return {"do_convert_rgb": None, "do_normalize": True, "do_rescale": True, "do_resize": True,
            "image_mean": list(mean), "image_processor_type": "SiglipImageProcessor", "image_std": list(std),
            "processor_class": "SiglipProcessor", "resample": 3, "rescale_factor": 1 / 255,
            "size": {"height": size, "width": size}}


def write_folder(folder, config, layers=None, seed=0, dtype=torch.float32, mean=(0.5,) * 3, std=(0.5,) * 3):
    """folder/image_encoder/{config.json, model.safetensors} and folder/feature_extractor/preprocessor_config.json."""
    folder = pathlib.Path(folder)
    (folder / "image_encoder").mkdir(parents=True, exist_ok=True)
    (folder / "feature_extractor").mkdir(exist_ok=True)
    safetensors_io.write(folder / "image_encoder" / "model.safetensors", tensors(config, layers, seed, dtype),
                         {"format": "pt", "note": "synthetic test weights"})
    (folder / "image_encoder" / "config.json").write_text(json.dumps(config_json(config), indent=2))
    (folder / "feature_extractor" / "preprocessor_config.json").write_text(
        json.dumps(preprocessor_json(config.image, mean, std), indent=2))
    return folder
