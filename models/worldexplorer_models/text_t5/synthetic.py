"""Synthetic checkpoints in the published layouts, with seeded random weights at Hugging Face's initial scales, for
testing the exporter without the published weights."""

import json
import pathlib

import torch

from .. import safetensors_io
from ..synthetic_weights import near_one, seeded
from .checkpoint import GLYPH_PREFIX


def tensors(shapes, config, seed=0, dtype=torch.float32):
    """{our name: tensor} for {our name: shape}. Scales follow T5's initialisation (factor 1): embeddings N(0, 1),
    q N(0, (d_model d_kv)^-1/2), k/v N(0, d_model^-1/2), o N(0, (heads d_kv)^-1/2), wi N(0, d_model^-1/2),
    wo N(0, d_ff^-1/2), bias tables N(0, 1); layer norms 1 + N(0, 0.1) so they matter."""
    c = config
    scales = {"q.weight": (c.d_model * c.d_kv) ** -0.5, "k.weight": c.d_model ** -0.5, "v.weight": c.d_model ** -0.5,
              "o.weight": c.inner_dim ** -0.5, "wi_0.weight": c.d_model ** -0.5, "wi_1.weight": c.d_model ** -0.5,
              "wo.weight": c.d_ff ** -0.5}

    def scale(name, shape, draw):
        if name.endswith("layer_norm.weight"):
            return near_one(draw)
        return draw * scales.get(".".join(name.split(".")[-2:]), 1.0)
    return seeded(shapes, scale, seed, dtype)


def glyph_key(name):
    """Our name -> the T5Stack key Glyph-SDXL-v2's byt5_model.pt uses."""
    return "embed_tokens.weight" if name == "shared.weight" else name[len("encoder."):]


def write_glyph_pt(path, weights, training_layout=False):
    """A byt5_model.pt: a flat T5Stack state dict, or (training_layout) {"state_dict": ...} whose encoder keys
    carry module.text_tower.encoder. next to other towers' keys, as upstream's create_byt5 handles."""
    stack = {glyph_key(name): value for name, value in weights.items()}
    if training_layout:
        nested = {GLYPH_PREFIX + key: value for key, value in stack.items()}
        nested["module.text_tower.proj.weight"] = torch.zeros(2, 2)
        stack = {"state_dict": nested, "epoch": 3}
    torch.save(stack, path)


def write_hf_folder(folder, weights, shards=2, tied_copy=True):
    """A Hugging Face text_encoder folder: model-0000i-of-0000n.safetensors shards and their index, our names,
    plus (tied_copy) the duplicate encoder.embed_tokens.weight some exports store."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    weights = dict(weights)
    if tied_copy:
        weights["encoder.embed_tokens.weight"] = weights["shared.weight"].clone()
    names = sorted(weights)
    index = {}
    for i in range(shards):
        part = {n: weights[n] for n in names[i::shards]}
        file = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        safetensors_io.write(folder / file, part, {"format": "pt"})
        index.update({n: file for n in part})
    total = sum(t.numel() * t.element_size() for t in weights.values())
    (folder / "model.safetensors.index.json").write_text(
        json.dumps({"metadata": {"total_size": total}, "weight_map": index}, indent=2) + "\n")


def config_json(config, architecture):
    """A Hugging Face config.json for `config` (the published text_encoder folders carry one; the exporter reads
    the sizes from its own configuration)."""
    model_type = "umt5" if architecture.startswith("UMT5") else "t5"
    return {"architectures": [architecture], "model_type": model_type, "vocab_size": config.vocab_size,
            "d_model": config.d_model, "d_kv": config.d_kv, "d_ff": config.d_ff, "num_heads": config.num_heads,
            "num_layers": config.num_layers, "feed_forward_proj": "gated-gelu",
            "relative_attention_num_buckets": config.relative_attention_num_buckets,
            "relative_attention_max_distance": config.relative_attention_max_distance,
            "layer_norm_epsilon": config.layer_norm_epsilon}
