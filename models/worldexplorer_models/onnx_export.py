"""Exports a torch module to an ONNX graph whose signature is exactly the bundle contract's."""

import onnx
import torch
from onnx import TensorProto, helper

_DTYPES = {"float32": TensorProto.FLOAT, "int64": TensorProto.INT64}


def export(module, args, path, inputs, outputs, opset=17):
    """Export `module(*args)` to `path`.

    inputs and outputs are lists of {"name", "dtype", "shape"} (a shape entry is an int or a symbol name).
    Inputs the computation ignores are dropped by the tracer; they are put back, so every graph carries the
    contract's full signature in its order. Fixed output sizes are stated in the graph.
    """
    dynamic = {}
    for spec in list(inputs) + list(outputs):
        axes = {i: s for i, s in enumerate(spec["shape"]) if isinstance(s, str)}
        if axes:
            dynamic[spec["name"]] = axes
    with torch.no_grad():
        torch.onnx.export(module, tuple(args), str(path), input_names=[s["name"] for s in inputs],
                          output_names=[s["name"] for s in outputs], dynamic_axes=dynamic, opset_version=opset,
                          do_constant_folding=True)
    model = onnx.load(str(path))
    fix_signature(model, inputs, outputs)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))
    return model


def fix_signature(model, inputs, outputs):
    """Put back inputs the tracer dropped, in the contract's order, and state fixed output sizes."""
    present = {i.name: i for i in model.graph.input}
    ordered = [present.get(s["name"]) or _value_info(s) for s in inputs]
    del model.graph.input[:]
    model.graph.input.extend(ordered)
    by_name = {o.name: o for o in model.graph.output}
    for spec in outputs:
        dims = by_name[spec["name"]].type.tensor_type.shape.dim
        for dim, size in zip(dims, spec["shape"]):
            if isinstance(size, int):
                dim.ClearField("dim_param")
                dim.dim_value = size
            else:
                dim.dim_param = size


def _value_info(spec):
    return helper.make_tensor_value_info(spec["name"], _DTYPES[spec["dtype"]], list(spec["shape"]))
