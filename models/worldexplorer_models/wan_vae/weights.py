"""Loads the published Wan2.2 VAE checkpoint (diffusers names) into our modules."""

import torch

from .. import checkpoint_keys
from ..checkpoint_keys import CheckpointMismatch  # noqa: F401 (re-exported for callers)

_WHAT = "the Wan2.2 VAE (AutoencoderKLWan: z_dim 48, base_dim 160, decoder_base_dim 256, patch_size 2)"
_HINT = ("pass the vae/ folder of Wan-AI/Wan2.2-TI2V-5B-Diffusers or its diffusion_pytorch_model.safetensors "
         "(the Wan2.1 VAE, z_dim 16, and the original Wan2.2_VAE.pth names do not fit)")


def check(model, checkpoint):
    return checkpoint_keys.check(model, checkpoint, _WHAT, _HINT)


def load(model, checkpoint, dtype=torch.float32, log=print):
    """Replace every parameter of `model` (which may sit on the meta device) with the checkpoint's, in `dtype`."""
    check(model, checkpoint)
    return checkpoint_keys.load(model, checkpoint, dtype, log, task="loading VAE weights")
