"""Runs a text-encoder graph (fp32, or fp16 inside) in numpy, so Python tests can compare an exported graph with
PyTorch on a machine without ONNX Runtime for Python (the Java tests run the same graphs through ONNX Runtime).

Only the operators the T5 export emits at opset 17 are known; any other one stops with its name.
"""

import numpy as np
import onnx
from onnx import numpy_helper

_NUMPY = {onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.FLOAT16: np.float16, onnx.TensorProto.INT64: np.int64,
          onnx.TensorProto.INT32: np.int32, onnx.TensorProto.BOOL: np.bool_, onnx.TensorProto.DOUBLE: np.float64}


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def _reshape(x, shape, allowzero):
    shape = [x.shape[i] if (d == 0 and not allowzero) else d for i, d in enumerate(shape)]
    return x.reshape(shape)


def _clip(x, low=None, high=None):
    return np.clip(x, low, high).astype(x.dtype)


def _op(node, args, a):
    kind = node.op_type
    if kind == "Constant":
        return numpy_helper.to_array(a["value"])
    if kind in ("Add", "Sub", "Mul", "Div", "Pow"):
        x, y = args
        result = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide, "Pow": np.power}[kind](x, y)
        return result.astype(x.dtype) if x.dtype != result.dtype else result
    if kind == "MatMul":
        return np.matmul(*args)
    if kind == "Sqrt":
        return np.sqrt(args[0])
    if kind == "Tanh":
        return np.tanh(args[0])
    if kind == "Softmax":
        return _softmax(args[0], a.get("axis", -1))
    if kind == "ReduceMean":
        return args[0].mean(axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1))).astype(args[0].dtype)
    if kind == "Transpose":
        return np.transpose(args[0], a.get("perm"))
    if kind == "Unsqueeze":
        return np.expand_dims(args[0], tuple(int(i) for i in args[1]))
    if kind == "Reshape":
        return _reshape(args[0], [int(d) for d in args[1]], a.get("allowzero", 0))
    if kind == "Shape":
        return np.array(args[0].shape, dtype=np.int64)
    if kind == "Gather":
        return np.take(args[0], args[1], axis=a.get("axis", 0))
    if kind == "Concat":
        return np.concatenate(args, axis=a["axis"])
    if kind == "Cast":
        return args[0].astype(_NUMPY[a["to"]])
    if kind == "Range":
        start, limit, delta = (v.item() for v in args)
        return np.arange(start, limit, delta, dtype=args[0].dtype)
    if kind == "Clip":
        return _clip(*args)
    raise NotImplementedError(f"operator {kind} (node {node.name}) is not known to this numpy runner")


def run(model, feeds):
    """Outputs {name: array} of `model` (an onnx ModelProto with its weights) for {input name: array}."""
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values.update(feeds)
    for node in model.graph.node:
        args = [values[name] if name else None for name in node.input]
        while args and args[-1] is None:
            args.pop()
        result = _op(node, args, _attrs(node))
        values[node.output[0]] = result
    return {o.name: values[o.name] for o in model.graph.output}
