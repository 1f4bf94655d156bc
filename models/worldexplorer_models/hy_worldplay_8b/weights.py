"""Loads an upstream 8B transformer checkpoint (by upstream's parameter names) into the full-size modules."""

from .. import checkpoint_keys
from ..checkpoint_keys import CheckpointMismatch  # noqa: F401 (re-exported for callers)

# A transformer block's keys; group 1 is its number.
BLOCK = r"^double_blocks\.(\d+)\."
_WHAT = "hy-worldplay-8b (the 480p_i2v transformer with action parameters)"
_HINT = "pass the folder or file of an HY-WorldPlay 8B checkpoint, e.g. ar_distilled_action_model/"

# check(model, checkpoint, blocks) and load(model, checkpoint, blocks, dtype=torch.float32, log=print): later blocks
# in the checkpoint are expected (a narrow export keeps only the first ones).
check, load = checkpoint_keys.narrow_transformer(BLOCK, _WHAT, _HINT)
