"""Parameter fixtures: the committed lists of upstream's parameter names and shapes, and our modules' shapes
taken without allocating any weights."""

import pathlib
import re

import torch
from torch.overrides import TorchFunctionMode

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures"
_RANGE = re.compile(r"\{(\d+)-(\d+)\}")
_FACTORIES = {torch.empty, torch.zeros, torch.ones, torch.full, torch.randn, torch.rand, torch.tensor,
              torch.arange, torch.eye}


def read_fixture(name):
    """{parameter name: shape tuple} from models/fixtures/<name>.params, expanding "{a-b}" index ranges."""
    params = {}
    for number, line in enumerate((FIXTURES / f"{name}.params").read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 2:
            raise ValueError(f"{name}.params line {number}: expected 'name shape', got {line!r}")
        pattern, shape = fields
        dims = tuple(int(d) for d in shape.split("x"))
        for expanded in _expand(pattern):
            if expanded in params:
                raise ValueError(f"{name}.params line {number}: {expanded} is listed twice")
            params[expanded] = dims
    return params


def _expand(pattern):
    match = _RANGE.search(pattern)
    if match is None:
        return [pattern]
    first, last = int(match.group(1)), int(match.group(2))
    return [e for i in range(first, last + 1)
            for e in _expand(pattern[:match.start()] + str(i) + pattern[match.end():])]


class _MetaDevice(TorchFunctionMode):
    """Puts every tensor a constructor makes on the meta device: shapes without storage."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func in _FACTORIES:
            kwargs["device"] = "meta"
        return func(*args, **kwargs)


def build_on_meta(factory):
    """factory() built with every parameter on the meta device (torch 1.13 has no device context manager)."""
    with _MetaDevice():
        return factory()


def shapes(module):
    return {name: tuple(p.shape) for name, p in module.named_parameters()}


def parameter_count(shapes_):
    """The number of values in parameters of the given shapes."""
    total = 0
    for shape in shapes_:
        n = 1
        for d in shape:
            n *= d
        total += n
    return total
