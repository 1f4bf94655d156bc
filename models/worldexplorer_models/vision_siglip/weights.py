"""Loads a SiglipVisionModel checkpoint (FLUX.1-Redux-dev's image_encoder) into SiglipVisionEncoder."""

import re

import torch

from .. import checkpoint_keys
from ..checkpoint_keys import CheckpointMismatch  # noqa: F401 (re-exported for callers)

PREFIX = "vision_model."
HEAD = PREFIX + "head."
_LAYER = "^" + re.escape(PREFIX) + r"encoder\.layers\.(\d+)\."
_WHAT = "the SigLIP so400m-patch14-384 vision encoder (HY-WorldPlay's vision_encoder/siglip/image_encoder)"
_HINT = ("pass HY-WorldPlay's vision_encoder/siglip folder, its image_encoder/ subfolder or the model.safetensors "
         "in it (FLUX.1-Redux-dev's SigLIP)")


def check(model, checkpoint):
    """Raise CheckpointMismatch unless the checkpoint holds every parameter of `model`. The pooling head (unused:
    upstream reads last_hidden_state) and encoder layers past the model's last one are skipped. Returns the number
    of skipped tensors."""
    beyond = checkpoint_keys.blocks_at_or_past(_LAYER, len(model.encoder.layers))

    def unused(key):
        return key.startswith(HEAD) or beyond(key)

    return checkpoint_keys.check(model, checkpoint, _WHAT, _HINT, prefix=PREFIX, skip=unused)


def load(model, checkpoint, dtype=torch.float32, log=print):
    skipped = check(model, checkpoint)
    log(f"vision encoder: {len(list(model.parameters()))} tensors used, {skipped} skipped (the pooling head "
        f"vision_model.head.*, encoder layers {len(model.encoder.layers)} and later)")
    return checkpoint_keys.load(model, checkpoint, dtype, log, prefix=PREFIX, task="loading the vision encoder")
