"""Finds the language model inside a Qwen2.5-VL checkpoint and loads the layers the bundle uses."""

import re

import torch

from .. import checkpoint_keys
from ..checkpoint_keys import CheckpointMismatch

# Older transformers (the published Qwen2.5-VL-7B-Instruct files) name the text model "model.<name>"; transformers
# 4.52 and later save it as "model.language_model.<name>". The vision tower ("visual." or "model.visual.") and
# lm_head lie outside both prefixes.
PREFIXES = ("model.language_model.", "model.")
_WHAT = "the Qwen2.5-VL-7B-Instruct language model (HY-WorldPlay's text_encoder/llm)"
_HINT = ("pass the text_encoder/llm folder of the HY-WorldPlay download (Qwen2.5-VL-7B-Instruct: config.json, "
         "model-0000N-of-00005.safetensors, tokenizer.json)")


def language_model_prefix(checkpoint):
    """The key prefix of the text model's tensors in this checkpoint."""
    keys = set(checkpoint.keys())
    for prefix in PREFIXES:
        if prefix + "embed_tokens.weight" in keys:
            return prefix
    sample = ", ".join(sorted(keys)[:5])
    raise CheckpointMismatch(f"the checkpoint does not fit {_WHAT}: it has neither "
                             + " nor ".join(p + "embed_tokens.weight" for p in PREFIXES)
                             + f" (its first keys: {sample}).\n{_HINT}")


def check(model, checkpoint, prefix=None):
    """Raise CheckpointMismatch unless the checkpoint holds every parameter of `model`. Decoder layers past the
    model's last one and the final norm are expected and skipped: the graph ends at hidden state -3. Returns
    (prefix, number of skipped tensors)."""
    prefix = prefix or language_model_prefix(checkpoint)
    beyond = checkpoint_keys.blocks_at_or_past("^" + re.escape(prefix) + r"layers\.(\d+)\.", len(model.layers))

    def unused(key):
        return key == prefix + "norm.weight" or beyond(key)

    return prefix, checkpoint_keys.check(model, checkpoint, _WHAT, _HINT, prefix=prefix, skip=unused)


def load(model, checkpoint, dtype=torch.float32, log=print):
    """Check, then replace every parameter of `model` (which may sit on the meta device) by the checkpoint's."""
    prefix, skipped = check(model, checkpoint)
    log(f"language model under '{prefix}': {len(list(model.parameters()))} tensors used, {skipped} skipped "
        f"(decoder layers {len(model.layers)} and later, the final norm)")
    return checkpoint_keys.load(model, checkpoint, dtype, log, prefix=prefix, task="loading the language model")
