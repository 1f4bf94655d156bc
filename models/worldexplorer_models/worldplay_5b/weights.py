"""Loads the 5B's published weights (by upstream's parameter names) into the full-size modules."""

import torch

from .. import checkpoint_keys
from ..checkpoint_keys import CheckpointMismatch  # noqa: F401 (re-exported for callers)

# A transformer block's keys; group 1 is its number.
BLOCK = r"^blocks\.(\d+)\."
_WHAT = "hy-worldplay-5b (the Wan2.2-TI2V-5B transformer with WorldPlay's action embedder and PRoPE projections)"
_HINT = ("pass wan_distilled_model/model.pt of tencent/HY-WorldPlay (wan_transformer/ is the base model without the "
         "action and PRoPE weights)")


def check(model, checkpoint, blocks):
    """Raise CheckpointMismatch listing missing, unexpected and mis-shaped keys. Blocks at or past `blocks` in the
    checkpoint are expected and skipped (a narrow export keeps only the first ones)."""
    return checkpoint_keys.check(model, checkpoint, _WHAT, _HINT, skip=checkpoint_keys.blocks_at_or_past(BLOCK, blocks))


def load(model, checkpoint, blocks, dtype=torch.float32, log=print):
    """Replace every parameter of `model` (which may sit on the meta device) with the checkpoint's, in `dtype`."""
    check(model, checkpoint, blocks)
    return checkpoint_keys.load(model, checkpoint, dtype, log)
