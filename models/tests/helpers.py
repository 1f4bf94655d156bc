"""What several test modules need: the slow-test switch, a stand-in checkpoint, parameter counts, graph shapes, the
checks every fp16/bf16 graph must pass, and running the package's command lines."""

import os
import pathlib
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto

from worldexplorer_models import onnx_precision

MODELS = pathlib.Path(__file__).resolve().parents[1]
# Full-width exports take minutes and gigabytes: only when asked for, and always in CI.
# Opt-in: minutes and many GB each; CI (WORLDEXPLORER_REQUIRE_ALL_TESTS) runs the narrow and tiny ones instead.
SLOW = bool(os.environ.get("WORLDEXPLORER_SLOW_TESTS"))
QUIET = lambda line: None  # noqa: E731 (a log that drops every line)
LOW_PRECISIONS = (("fp16", TensorProto.FLOAT16), ("bf16", TensorProto.BFLOAT16))


class ShapesOnly:
    """A checkpoint of which only names and shapes are known."""

    def __init__(self, shapes):
        self.shapes = shapes

    def keys(self):
        return list(self.shapes)

    def shape(self, name):
        return self.shapes[name]


def count(shape):
    """The number of values in a tensor of this shape."""
    n = 1
    for d in shape:
        n *= d
    return n


def dims(value):
    """An ONNX graph input's or output's shape: numbers, and names for symbolic sizes."""
    return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]


def float_elements(graph):
    """How many floating-point weight values an ONNX graph holds, whatever their precision."""
    return sum(int(np.prod(t.dims)) for t in graph.graph.initializer
               if t.data_type in (TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.BFLOAT16))


def check_lowered(test, path, dtype, code):
    """Convert the fp32 graph at `path` to `dtype` and assert what every lowered graph holds: it passes the checker
    and strict type inference, its weights are all `code` (int64 aside), its inputs keep their types and its output
    stays float32. Returns the lowered graph."""
    original = onnx.load(str(path))
    low = onnx_precision.convert(onnx.load(str(path)), dtype)
    onnx.checker.check_model(low, full_check=True)
    onnx.shape_inference.infer_shapes(low, check_type=True, strict_mode=True)
    floats = {t.data_type for t in low.graph.initializer} - {TensorProto.INT64}
    test.assertEqual(floats, {code}, dtype)
    test.assertEqual([i.type.tensor_type.elem_type for i in low.graph.input],
                     [i.type.tensor_type.elem_type for i in original.graph.input], dtype)
    test.assertEqual(low.graph.output[0].type.tensor_type.elem_type, TensorProto.FLOAT)
    return low


def run_module(module, *args):
    """Run `python3 -m module args...` in models/ as a user would; returns the finished process (text output)."""
    return subprocess.run([sys.executable, "-m", module, *args], cwd=MODELS, capture_output=True, text=True)
