"""Stores an fp32 ONNX graph's weights in fp16 or bf16 and runs every computation that touches them in that dtype.

Nodes fed only by graph inputs and constants (timestep sinusoids, RoPE tables, PRoPE matrices, key biases) stay
fp32, as upstream computes them; a Cast joins them to the low-precision part where they meet it. Graph inputs and
outputs stay float32, so the host passes and receives the same tensors whatever the bundle's dtype.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

TARGETS = {"fp16": TensorProto.FLOAT16, "bf16": TensorProto.BFLOAT16}
_FP16_MAX = 65504.0


def _to_low(array, target):
    array = np.asarray(array, dtype=np.float32)
    if target == TensorProto.FLOAT16:
        return np.clip(array, -_FP16_MAX, _FP16_MAX).astype(np.float16)
    # bf16 keeps fp32's exponent: round to nearest even on the upper 16 bits.
    bits = array.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    return rounded


def _low_initializer(tensor, target):
    array = numpy_helper.to_array(tensor)
    low = _to_low(array, target)
    result = TensorProto()
    result.name = tensor.name
    result.data_type = target
    result.dims.extend(array.shape)
    result.raw_data = low.tobytes()
    return result


def _without_weights(model):
    """The model's graph with float initializers declared as typed inputs instead: the same element types come
    out of shape inference, which serialises the model and so fails on weights past protobuf's 2 GiB."""
    skeleton = onnx.ModelProto()
    skeleton.ir_version = model.ir_version
    skeleton.opset_import.extend(model.opset_import)
    graph = skeleton.graph
    graph.node.extend(model.graph.node)
    graph.input.extend(model.graph.input)
    graph.output.extend(model.graph.output)
    declared = {value.name for value in model.graph.input}
    for tensor in model.graph.initializer:
        if tensor.data_type == TensorProto.FLOAT:
            if tensor.name not in declared:
                graph.input.append(helper.make_tensor_value_info(tensor.name, tensor.data_type,
                                                                 list(tensor.dims)))
        else:
            graph.initializer.append(tensor)
    return skeleton


def convert(model, dtype):
    """Return `model` with float weights in `dtype` ("fp16" or "bf16"); the model must hold its weight data."""
    target = TARGETS[dtype]
    graph = model.graph
    typed = onnx.shape_inference.infer_shapes(_without_weights(model))
    types = {v.name: v.type.tensor_type.elem_type
             for v in list(typed.graph.value_info) + list(typed.graph.input) + list(typed.graph.output)}
    low = set()
    initializers = []
    for tensor in graph.initializer:
        types[tensor.name] = tensor.data_type
        if tensor.data_type == TensorProto.FLOAT:
            initializers.append(_low_initializer(tensor, target))
            low.add(tensor.name)
        else:
            initializers.append(tensor)
    del graph.initializer[:]
    graph.initializer.extend(initializers)

    casts = {}
    nodes = []

    def lowered(name):
        if name not in casts:
            casts[name] = f"{name}__to_{dtype}"
            nodes.append(helper.make_node("Cast", [name], [casts[name]], to=target, name=f"{name}__cast_{dtype}"))
        return casts[name]

    for node in graph.node:
        if any(i in low for i in node.input):
            for position, name in enumerate(node.input):
                if name and name not in low and types.get(name) == TensorProto.FLOAT:
                    node.input[position] = lowered(name)
            if node.op_type == "Cast" and helper.get_attribute_value(node.attribute[0]) == TensorProto.FLOAT:
                node.attribute[0].i = target
            for name in node.output:
                # Contrib ops (fused attention) have no shape inference: their float outputs are untyped.
                if types.get(name, TensorProto.FLOAT) == TensorProto.FLOAT:
                    low.add(name)
                    types[name] = target
        nodes.append(node)

    for output in graph.output:
        if output.name in low:
            inner = f"{output.name}__{dtype}"
            for node in nodes:
                node.output[:] = [inner if o == output.name else o for o in node.output]
                node.input[:] = [inner if i == output.name else i for i in node.input]
            nodes.append(helper.make_node("Cast", [inner], [output.name], to=TensorProto.FLOAT,
                                          name=f"{output.name}__cast_float"))
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]
    return model
