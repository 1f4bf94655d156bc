"""Joins ONNX pieces into one graph by a plan (vae_graphs.plan), then gives it weights and the contract's signature.

Each piece is traced once without its weights (export_params=False): its own inputs are named in0, in1, ..., its
outputs out0, out1, ..., and its weights are extra inputs named as the module's parameters. Stitching copies a
piece's nodes once per use, renames its inputs and outputs to the plan's wires and its inner values apart per use,
and keeps the weight names, so every copy reads the same initializer.
"""

import onnx
from onnx import TensorProto, helper, numpy_helper


def piece_names(count, prefix):
    return [f"{prefix}{i}" for i in range(count)]


def stitch(steps, traced, weight_names):
    """One ModelProto running `steps` [(piece, input wires, output wires)] with the traced pieces {piece: model}.
    Its weights are left as names for attach_weights; inputs and outputs are set by pin_signature."""
    first = next(iter(traced.values()))
    model = helper.make_model(helper.make_graph([], "stitched", [], []), opset_imports=list(first.opset_import))
    model.ir_version = first.ir_version
    for index, (name, inputs, outputs) in enumerate(steps):
        wires = dict(zip(piece_names(len(inputs), "in"), inputs))
        wires.update(zip(piece_names(len(outputs), "out"), outputs))
        prefix = f"s{index}_{name}/"

        def rename(value):
            if not value or value in weight_names:
                return value
            return wires.get(value, prefix + value)

        for node in traced[name].graph.node:
            if any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for a in node.attribute):
                raise ValueError(f"piece {name} has a subgraph in node {node.name}; stitching copies flat graphs only")
            copy = model.graph.node.add()
            copy.CopyFrom(node)
            copy.name = prefix + node.name
            copy.input[:] = [rename(v) for v in node.input]
            copy.output[:] = [rename(v) for v in node.output]
        produced = {o for node in traced[name].graph.node for o in node.output}
        missing = [o.name for o in traced[name].graph.output if o.name not in produced]
        if missing:
            raise ValueError(f"piece {name} passes inputs straight to outputs {missing}; stitching needs nodes")
    return model


def attach_weights(model, parameters):
    """Add every weight the graph reads as a float32 initializer, from {name: tensor}. Returns the names used."""
    read = {v for node in model.graph.node for v in node.input}
    used = sorted(read & set(parameters))
    for name in used:
        model.graph.initializer.append(numpy_helper.from_array(parameters[name].detach().float().numpy(), name))
    return used


def pin_signature(model, spec):
    """Set the graph's inputs and outputs to the contract's, every size fixed, and drop traced value shapes."""
    dtypes = {"float32": TensorProto.FLOAT, "int64": TensorProto.INT64}
    del model.graph.input[:]
    del model.graph.output[:]
    model.graph.input.extend(helper.make_tensor_value_info(s["name"], dtypes[s["dtype"]], s["shape"])
                             for s in spec["inputs"])
    model.graph.output.extend(helper.make_tensor_value_info(s["name"], dtypes[s["dtype"]], s["shape"])
                              for s in spec["outputs"])
    del model.graph.value_info[:]
