"""fp16/bf16 graphs of the VAE: onnx_precision.convert, then two kinds of float32 islands.

- Every RMS normalisation. The norm over up to 1024 channels squares activations that can reach hundreds, which
  overflows fp16; diffusers computes F.normalize in float32 for half-precision inputs since commit 5fc2bd2c8f
  (#13316, "Stabilize low-precision custom autoencoder RMS normalization"). Each ReduceL2 -> Clip -> Div(x, .)
  group runs on a float32 copy of x, and its result is cast back.
- Resize's scales, which ONNX requires in float32.
- In bf16 only, every Conv: ONNX Conv accepts bfloat16 only from opset 22, and torch 1.13 exports opset 17. The
  weights stay stored in bf16 (half the size) and the convolutions compute in float32.

onnx_precision.convert runs ONNX shape inference on the whole model, which serialises it, and protobuf cannot
serialise the 2.2 GB float32 decoder. Its types do not depend on the weights' values, so during the call shape
inference sees a copy whose initializers have their types and sizes but no data.
"""

import contextlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .. import onnx_precision

_EPS = "wan_vae_norm_eps_fp32"


def convert(model, dtype):
    low = onnx_precision.TARGETS[dtype]
    with _shape_inference_without_weight_data():
        model = onnx_precision.convert(model, dtype)
    _resize_scales_in_fp32(model.graph, low)
    _normalise_in_fp32(model.graph, low)
    if low == TensorProto.BFLOAT16:
        _convs_in_fp32(model.graph, low)
    _drop_unused_casts(model.graph)
    return model


@contextlib.contextmanager
def _shape_inference_without_weight_data():
    original = onnx.shape_inference.infer_shapes

    def infer(model, *args, **kwargs):
        stub = onnx.ModelProto()
        stub.ir_version = model.ir_version
        stub.opset_import.extend(model.opset_import)
        graph = stub.graph
        graph.name = model.graph.name
        for field in ("node", "input", "output", "value_info"):
            getattr(graph, field).extend(getattr(model.graph, field))
        for tensor in model.graph.initializer:
            shell = graph.initializer.add()
            shell.name, shell.data_type = tensor.name, tensor.data_type
            shell.dims.extend(tensor.dims)
        return original(stub, *args, **kwargs)

    onnx.shape_inference.infer_shapes = infer
    try:
        yield
    finally:
        onnx.shape_inference.infer_shapes = original


def _cast(name, to, suffix):
    out = f"{name}__{suffix}"
    return helper.make_node("Cast", [name], [out], to=to, name=f"{out}__cast"), out


def _rebuild(graph, before, after):
    """before/after map a node's position to the nodes to put around it (protobuf hands out a new Python object
    for every access to a node, so positions, not objects, identify them)."""
    nodes = []
    for position, node in enumerate(graph.node):
        nodes.extend(before.get(position, []))
        nodes.append(node)
        nodes.extend(after.get(position, []))
    del graph.node[:]
    graph.node.extend(nodes)


def _resize_scales_in_fp32(graph, low):
    """Resize's roi and scales are float32 whatever the data's type; convert cast them along with the data."""
    sources = {n.output[0]: n.input[0] for n in graph.node
               if n.op_type == "Cast" and helper.get_attribute_value(n.attribute[0]) == low}
    for node in graph.node:
        if node.op_type == "Resize":
            for slot in (1, 2):
                if slot < len(node.input) and node.input[slot] in sources:
                    node.input[slot] = sources[node.input[slot]]


def _normalise_in_fp32(graph, low):
    nodes = list(graph.node)
    consumers = {}
    for position, node in enumerate(nodes):
        for name in node.input:
            consumers.setdefault(name, []).append(position)
    before, after = {}, {}
    for position, reduce in enumerate(nodes):
        if reduce.op_type != "ReduceL2":
            continue
        x = reduce.input[0]
        (clip,) = [p for p in consumers[reduce.output[0]] if nodes[p].op_type == "Clip"]
        (div,) = [p for p in consumers[nodes[clip].output[0]]
                  if nodes[p].op_type == "Div" and nodes[p].input[0] == x]
        cast, wide = _cast(x, TensorProto.FLOAT, f"fp32_{len(before)}")
        before[position] = [cast]
        reduce.input[0] = wide
        nodes[div].input[0] = wide
        nodes[clip].input[1] = _EPS
        narrow = nodes[div].output[0]
        nodes[div].output[0] = f"{narrow}__fp32"
        after[div] = [helper.make_node("Cast", [nodes[div].output[0]], [narrow], to=low, name=f"{narrow}__cast")]
    if before:
        _rebuild(graph, before, after)
        graph.initializer.append(numpy_helper.from_array(np.array(1e-12, dtype=np.float32), _EPS))


def _convs_in_fp32(graph, low):
    before, after = {}, {}
    for position, conv in enumerate(graph.node):
        if conv.op_type != "Conv":
            continue
        casts = []
        for slot, name in enumerate(conv.input):
            if name:
                cast, wide = _cast(name, TensorProto.FLOAT, f"conv{position}_fp32")
                casts.append(cast)
                conv.input[slot] = wide
        before[position] = casts
        narrow = conv.output[0]
        conv.output[0] = f"{narrow}__fp32"
        after[position] = [helper.make_node("Cast", [conv.output[0]], [narrow], to=low, name=f"{narrow}__cast")]
    _rebuild(graph, before, after)


def _drop_unused_casts(graph):
    """The low-precision copies of constants that the islands no longer read."""
    while True:
        used = {name for n in graph.node for name in n.input} | {o.name for o in graph.output}
        keep = [n for n in graph.node if n.op_type != "Cast" or any(o in used for o in n.output)]
        if len(keep) == len(graph.node):
            return
        del graph.node[:]
        graph.node.extend(keep)
