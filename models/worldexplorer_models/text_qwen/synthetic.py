"""Synthetic Qwen2.5-VL checkpoint folders (safetensors, config.json, tokenizer.json) with seeded random weights,
laid out as the published files are, for testing the exporter without the published weights."""

import json
import pathlib

import torch

from .. import safetensors_io
from ..synthetic_weights import near_one, seeded

LAYOUTS = {"published": "model.", "transformers-4.52": "model.language_model."}


def published_shapes(config, layers=None, layout="published"):
    """{name: shape} of the checkpoint's language model tensors for `config` (the first `layers` decoder layers,
    default all). At the published sizes this is models/fixtures/qwen25vl_7b_llm.params."""
    p = LAYOUTS[layout]
    h, kv, f = config.hidden, config.kv_heads * config.head_dim, config.intermediate
    shapes = {p + "embed_tokens.weight": (config.vocab, h), p + "norm.weight": (h,),
              "lm_head.weight": (config.vocab, h)}
    for i in range(config.layers if layers is None else layers):
        q = f"{p}layers.{i}."
        shapes.update({
            q + "input_layernorm.weight": (h,), q + "post_attention_layernorm.weight": (h,),
            q + "self_attn.q_proj.weight": (h, h), q + "self_attn.q_proj.bias": (h,),
            q + "self_attn.k_proj.weight": (kv, h), q + "self_attn.k_proj.bias": (kv,),
            q + "self_attn.v_proj.weight": (kv, h), q + "self_attn.v_proj.bias": (kv,),
            q + "self_attn.o_proj.weight": (h, h),
            q + "mlp.gate_proj.weight": (f, h), q + "mlp.up_proj.weight": (f, h), q + "mlp.down_proj.weight": (h, f),
        })
    return shapes


def _scale(name, shape, draw):
    if name.endswith("norm.weight"):
        return near_one(draw)
    if len(shape) == 1:
        return 0.1 * draw
    if name.endswith("embed_tokens.weight"):
        return draw
    return shape[1] ** -0.5 * draw


def tensors(config, layers=None, layout="published", seed=0, dtype=torch.float32):
    return seeded(published_shapes(config, layers, layout), _scale, seed, dtype)


def config_json(config):
    """The keys of a Qwen2.5-VL config.json that the exporter checks."""
    return {"architectures": ["Qwen2_5_VLForConditionalGeneration"], "model_type": "qwen2_5_vl",
            "vocab_size": config.vocab, "hidden_size": config.hidden, "num_hidden_layers": config.layers,
            "num_attention_heads": config.heads, "num_key_value_heads": config.kv_heads,
            "intermediate_size": config.intermediate, "rms_norm_eps": config.rms_eps,
            "rope_theta": config.rope_theta,
            "rope_scaling": {"type": "mrope", "mrope_section": list(config.mrope_section)}}


def tokenizer_json():
    """A stand-in tokenizer.json with the entries the exporter checks (the marker and pad tokens)."""
    return {"version": "1.0", "added_tokens": [{"id": 151643, "content": "<|endoftext|>", "special": True},
                                                {"id": 151644, "content": "<|im_start|>", "special": True},
                                                {"id": 151645, "content": "<|im_end|>", "special": True}],
            "model": {"type": "BPE", "vocab": {"user": 872, "\u010a": 198}, "merges": []}}


def write_folder(folder, config, layers=None, layout="published", seed=0, dtype=torch.float32, files=2):
    """A checkpoint folder like text_encoder/llm: the tensors split over `files` safetensors files, config.json
    and tokenizer.json."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    items = sorted(tensors(config, layers, layout, seed, dtype).items())
    for index in range(files):
        part = dict(items[index::files])
        safetensors_io.write(folder / f"model-{index + 1:05d}-of-{files:05d}.safetensors", part,
                             {"format": "pt", "note": "synthetic test weights"})
    (folder / "config.json").write_text(json.dumps(config_json(config), indent=2))
    (folder / "tokenizer.json").write_text(json.dumps(tokenizer_json()))
    return folder
