"""Matching a checkpoint's tensors to a module's parameters by name, for every exporter.

A mismatch lists the missing, unexpected and mis-shaped keys and says what checkpoint was expected, so a wrong
folder or a different model version is obvious from the message alone.
"""

import re

import torch
from torch import nn

from .progress import Progress


class CheckpointMismatch(ValueError):
    """The checkpoint's keys or shapes are not those of the model being exported."""


def _shapes(model):
    return {name: tuple(p.shape) for name, p in model.named_parameters()}


def check(model, checkpoint, what, hint, prefix="", skip=lambda key: False):
    """Raise CheckpointMismatch unless every parameter of `model` is in `checkpoint` as `prefix + name` with the
    same shape, and every checkpoint key under `prefix` is a parameter. Keys for which `skip(key)` is true are
    expected extras (a narrow export, a head the bundle does not use). Returns the number of skipped keys.
    `what` names the model in the message, `hint` says which checkpoint to pass instead."""
    expected = {prefix + name: shape for name, shape in _shapes(model).items()}
    present = {k for k in checkpoint.keys() if k.startswith(prefix)}
    skipped = {k for k in present if skip(k)}
    missing = sorted(set(expected) - present)
    unexpected = sorted(present - set(expected) - skipped)
    wrong = [f"{k}: checkpoint {list(checkpoint.shape(k))}, model {list(expected[k])}"
             for k in sorted(set(expected) & present) if tuple(checkpoint.shape(k)) != expected[k]]
    if missing or unexpected or wrong:
        lines = [f"the checkpoint does not fit {what}:"]
        for title, items in (("missing", missing), ("unexpected", unexpected), ("wrong shape", wrong)):
            if items:
                lines.append(f"  {len(items)} {title} key(s):")
                lines.extend(f"    {item}" for item in items)
        lines.append(hint)
        raise CheckpointMismatch("\n".join(lines))
    return len(skipped)


def blocks_at_or_past(pattern, blocks):
    r"""A `skip` for `check`: true for keys in a numbered block at or past `blocks`, the ones a narrow export of the
    first `blocks` blocks leaves unused. `pattern` (a regex or its text) matches a key's start, group 1 the block
    number, e.g. r"^double_blocks\.(\d+)\."."""
    pattern = re.compile(pattern)

    def beyond(key):
        match = pattern.match(key)
        return match is not None and int(match.group(1)) >= blocks
    return beyond


def narrow_transformer(block_pattern, what, hint):
    """The (check, load) pair for a transformer whose narrow exports keep only its first blocks; `block_pattern` is
    as in `blocks_at_or_past`, `what` and `hint` as in `check`.

    check(model, checkpoint, blocks) raises CheckpointMismatch listing missing, unexpected and mis-shaped keys;
    blocks at or past `blocks` in the checkpoint are expected and skipped. Returns the number of skipped keys.
    load(model, checkpoint, blocks, dtype=torch.float32, log=print) checks, then replaces every parameter of
    `model` (which may sit on the meta device) with the checkpoint's, in `dtype`."""

    def check_blocks(model, checkpoint, blocks):
        return check(model, checkpoint, what, hint, skip=blocks_at_or_past(block_pattern, blocks))

    def load_blocks(model, checkpoint, blocks, dtype=torch.float32, log=print):
        check_blocks(model, checkpoint, blocks)
        return load(model, checkpoint, dtype, log)

    return check_blocks, load_blocks


def load(model, checkpoint, dtype, log=print, prefix="", task="loading weights"):
    """Replace every parameter of `model` (which may sit on the meta device) with the checkpoint's
    `prefix + name`, converted to `dtype`. Call `check` first."""
    names = [name for name, _ in model.named_parameters()]
    progress = Progress(task, len(names), log)
    for name in names:
        owner, leaf = _owner(model, name)
        owner._parameters[leaf] = nn.Parameter(checkpoint.tensor(prefix + name).to(dtype), requires_grad=False)
        progress.step()
    return model


def _owner(model, name):
    path = name.split(".")
    module = model
    for part in path[:-1]:
        module = getattr(module, part)
    return module, path[-1]
