"""Loads the 5B's published weights (by upstream's parameter names) into the full-size modules."""

from .. import checkpoint_keys
from ..checkpoint_keys import CheckpointMismatch  # noqa: F401 (re-exported for callers)

# A transformer block's keys; group 1 is its number.
BLOCK = r"^blocks\.(\d+)\."
_WHAT = "hy-worldplay-5b (the Wan2.2-TI2V-5B transformer with WorldPlay's action embedder and PRoPE projections)"
_HINT = ("pass wan_distilled_model/model.pt of tencent/HY-WorldPlay (wan_transformer/ is the base model without the "
         "action and PRoPE weights)")

# check(model, checkpoint, blocks) and load(model, checkpoint, blocks, dtype=torch.float32, log=print): later blocks
# in the checkpoint are expected (a narrow export keeps only the first ones).
check, load = checkpoint_keys.narrow_transformer(BLOCK, _WHAT, _HINT)
