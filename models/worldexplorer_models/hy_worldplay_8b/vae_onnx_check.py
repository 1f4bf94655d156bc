"""Runs an exported VAE graph with PyTorch operations, node by node, for tests on machines without onnxruntime
(Debian has no Python package of it). It covers the ONNX operators (opset 17) that the VAE graphs use and refuses
any other; the Java parity test runs the same graphs through ONNX Runtime itself.
"""

import pathlib
import warnings

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

_DTYPES = {onnx.TensorProto.FLOAT: torch.float32, onnx.TensorProto.INT64: torch.int64,
           onnx.TensorProto.BOOL: torch.bool, onnx.TensorProto.FLOAT16: torch.float16,
           onnx.TensorProto.BFLOAT16: torch.bfloat16, onnx.TensorProto.INT32: torch.int32}


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _tensor(proto, base_dir=None):
    """The tensor's values without copying them: a view of its raw bytes, or a read-only map of its external
    data file, so a full-width graph does not need its weights twice in memory."""
    storage = {onnx.TensorProto.BFLOAT16: np.int16}.get(proto.data_type)
    if proto.data_location == onnx.TensorProto.EXTERNAL:
        info = {entry.key: entry.value for entry in proto.external_data}
        dtype = np.dtype(storage or helper_dtype(proto.data_type))
        count = int(np.prod(proto.dims, dtype=np.int64))
        array = np.memmap(pathlib.Path(base_dir) / info["location"], dtype=dtype, mode="r",
                          offset=int(info.get("offset", 0)), shape=(count,)).reshape(tuple(proto.dims))
    elif proto.HasField("raw_data") and proto.raw_data:
        dtype = np.dtype(storage or helper_dtype(proto.data_type))
        array = np.frombuffer(proto.raw_data, dtype=dtype).reshape(tuple(proto.dims))
    else:
        array = numpy_helper.to_array(proto)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # read-only memory is fine: nothing writes into weights
        result = torch.from_numpy(array) if array.ndim else torch.tensor(array)
    return result.view(torch.bfloat16) if storage is np.int16 else result


def helper_dtype(data_type):
    return onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[data_type]


def _ints(t):
    return [int(v) for v in t.reshape(-1).tolist()]


def _reshape(x, shape):
    dims = [x.shape[i] if d == 0 else d for i, d in enumerate(_ints(shape))]
    return x.reshape(dims)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = _ints(axes) if axes is not None else list(range(len(_ints(starts))))
    steps = _ints(steps) if steps is not None else [1] * len(axes)
    for axis, start, end, step in zip(axes, _ints(starts), _ints(ends), steps):
        size = x.shape[axis]
        start, end = (v + size if v < 0 else v for v in (start, end))
        if step > 0:
            start, end = min(max(start, 0), size), min(max(end, 0), size)
        else:  # ONNX clamps a backward slice to [-1, size - 1]
            start, end = min(max(start, -1), size - 1), min(max(end, -1), size - 1)
        index = torch.arange(start, end, step, dtype=torch.int64)
        x = torch.index_select(x, axis, index)
    return x


def _split(x, split=None, axis=0, outputs=1):
    sizes = _ints(split) if split is not None else [x.shape[axis] // outputs] * outputs
    return tuple(torch.split(x, sizes, dim=axis))


def _pad(x, pads, value=None, mode="constant"):
    pads = _ints(pads)
    rank = x.dim()
    begins, ends = pads[:rank], pads[rank:]
    torch_pads = []
    for axis in reversed(range(rank)):
        torch_pads += [begins[axis], ends[axis]]
    if mode == "edge":
        if any(torch_pads[2 * (rank - 2):]):
            raise ValueError(f"edge padding of the batch or channel axis ({pads}) is not used by the VAE graphs")
        return F.pad(x, torch_pads[: 2 * (rank - 2)], mode="replicate")
    if mode != "constant":
        raise ValueError(f"Pad mode {mode} is not used by the VAE graphs")
    return F.pad(x, torch_pads, value=float(value) if value is not None else 0.0)


def _div(a, b):
    if a.dtype.is_floating_point:
        return a / b
    return torch.div(a, b, rounding_mode="trunc")


def _conv(x, w, b=None, pads=None, strides=None, dilations=None, group=1, **_):
    dims = w.dim() - 2
    pads = pads or [0] * (2 * dims)
    if pads[:dims] != pads[dims:]:
        raise ValueError(f"asymmetric Conv pads {pads} are not used by the VAE graphs")
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[dims]
    return conv(x, w, b, stride=strides or 1, padding=pads[:dims], dilation=dilations or 1, groups=group)


def _run_node(node, args, a):
    op = node.op_type
    if op == "Constant":
        return _tensor(a["value"])
    if op == "Identity":
        return args[0]
    if op == "Shape":
        shape = torch.tensor(list(args[0].shape), dtype=torch.int64)
        return shape[a.get("start", 0): a.get("end", None)]
    if op == "Gather":
        axis = a.get("axis", 0) % args[0].dim()
        index = args[1].reshape(-1)
        index = torch.where(index < 0, index + args[0].shape[axis], index)
        return torch.index_select(args[0], axis, index).reshape(
            args[0].shape[:axis] + args[1].shape + args[0].shape[axis + 1:])
    if op == "Unsqueeze":
        x = args[0]
        for axis in sorted(_ints(args[1])):
            x = x.unsqueeze(axis if axis >= 0 else axis + x.dim() + 1)
        return x
    if op == "Squeeze":
        return args[0].squeeze(dim=tuple(_ints(args[1]))) if len(args) > 1 else args[0].squeeze()
    if op == "Concat":
        return torch.cat(args, dim=a["axis"])
    if op == "Reshape":
        return _reshape(args[0], args[1])
    if op == "Slice":
        return _slice(*args)
    if op == "Split":
        return _split(args[0], args[1] if len(args) > 1 else None, a.get("axis", 0), len(node.output))
    if op == "Transpose":
        return args[0].permute(a["perm"])
    if op == "Expand":
        shape = _ints(args[1])
        return args[0].expand(torch.broadcast_shapes(tuple(args[0].shape), tuple(shape)))
    if op == "ConstantOfShape":
        value = _tensor(a["value"]) if "value" in a else torch.zeros(1)
        return value.reshape(-1)[0].repeat(_ints(args[0])) if args[0].numel() else value.reshape(-1)[0].clone()
    if op == "Cast":
        return args[0].to(_DTYPES[a["to"]])
    binary = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": _div, "Equal": torch.eq,
              "MatMul": torch.matmul, "Pow": torch.pow}
    if op in binary:
        return binary[op](args[0], args[1])
    unary = {"Sigmoid": torch.sigmoid, "Sqrt": torch.sqrt, "Neg": torch.neg, "Reciprocal": torch.reciprocal}
    if op in unary:
        return unary[op](args[0])
    if op == "Where":
        return torch.where(args[0], args[1], args[2])
    if op == "Softmax":
        return torch.softmax(args[0], dim=a.get("axis", -1))
    if op in ("ReduceL2", "ReduceMean"):
        axes = a.get("axes") or list(range(args[0].dim()))
        keep = bool(a.get("keepdims", 1))
        if op == "ReduceL2":
            return torch.sqrt((args[0] * args[0]).sum(dim=axes, keepdim=keep))
        return args[0].mean(dim=axes, keepdim=keep)
    if op == "Clip":
        x = args[0]
        low = args[1] if len(args) > 1 and args[1] is not None else None
        high = args[2] if len(args) > 2 and args[2] is not None else None
        return torch.clamp(x, min=low, max=high)
    if op == "Pad":
        return _pad(args[0], args[1], args[2] if len(args) > 2 else None, a.get("mode", b"constant").decode())
    if op == "Conv":
        return _conv(*args, **a)
    raise ValueError(f"operator {op} (node {node.name}) is not one the VAE graphs use")


def run(model, feeds, base_dir=None):
    """{output name: tensor} of `model` for {input name: tensor}. A model loaded with load_external_data=False
    reads its weights from `base_dir` (the graph file's folder)."""
    values = {t.name: _tensor(t, base_dir) for t in model.graph.initializer}
    values.update(feeds)
    uses = {}
    for node in model.graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1
    outputs = {o.name for o in model.graph.output}
    with torch.no_grad():
        for node in model.graph.node:
            args = [values[name] if name else None for name in node.input]
            result = _run_node(node, args, _attrs(node))
            results = result if isinstance(result, tuple) else (result,)
            values.update(zip(node.output, results))
            for name in node.input:  # free what no later node reads, so full-width graphs fit in memory
                uses[name] -= 1
                if uses[name] == 0 and name not in outputs and name not in feeds:
                    values.pop(name, None)
    return {name: values[name] for name in outputs}
