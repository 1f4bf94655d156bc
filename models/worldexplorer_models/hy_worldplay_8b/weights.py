"""Loads an upstream checkpoint (by upstream's parameter names) into the full-size modules, tensor by tensor."""

import re

import torch
from torch import nn

from ..progress import Progress
from .params import shapes

_BLOCK = re.compile(r"^double_blocks\.(\d+)\.")


class CheckpointMismatch(ValueError):
    """The checkpoint's keys or shapes are not those of the model being exported."""


def check(model, checkpoint, blocks):
    """Raise CheckpointMismatch listing missing, unexpected and mis-shaped keys. Blocks at or past `blocks` in the
    checkpoint are expected and skipped (a narrow export keeps only the first ones)."""
    expected = shapes(model)
    present = set(checkpoint.keys())
    skipped = {k for k in present if _BLOCK.match(k) and int(_BLOCK.match(k).group(1)) >= blocks}
    missing = sorted(set(expected) - present)
    unexpected = sorted(present - set(expected) - skipped)
    wrong = [f"{k}: checkpoint {list(checkpoint.shape(k))}, model {list(expected[k])}"
             for k in sorted(set(expected) & present) if tuple(checkpoint.shape(k)) != expected[k]]
    if missing or unexpected or wrong:
        lines = ["the checkpoint does not fit hy-worldplay-8b (the 480p_i2v transformer with action parameters):"]
        for title, items in (("missing", missing), ("unexpected", unexpected), ("wrong shape", wrong)):
            if items:
                lines.append(f"  {len(items)} {title} key(s):")
                lines.extend(f"    {item}" for item in items)
        lines.append("pass the folder or file of an HY-WorldPlay 8B checkpoint, e.g. ar_distilled_action_model/")
        raise CheckpointMismatch("\n".join(lines))
    return len(skipped)


def load(model, checkpoint, blocks, dtype=torch.float32, log=print):
    """Replace every parameter of `model` (which may sit on the meta device) with the checkpoint's, in `dtype`."""
    check(model, checkpoint, blocks)
    names = [name for name, _ in model.named_parameters()]
    progress = Progress("loading weights", len(names), log)
    for name in names:
        owner, leaf = _owner(model, name)
        owner._parameters[leaf] = nn.Parameter(checkpoint.tensor(name).to(dtype), requires_grad=False)
        progress.step()
    return model


def _owner(model, name):
    path = name.split(".")
    module = model
    for part in path[:-1]:
        module = getattr(module, part)
    return module, path[-1]
