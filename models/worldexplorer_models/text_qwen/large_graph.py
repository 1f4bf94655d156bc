"""Reads a traced graph whose weights may exceed protobuf's 2 GiB, and lowers it with onnx_precision.convert.

torch.onnx.export writes the weights of a graph over 2 GiB (the 26-layer LLM is 26 GB in fp32) to files beside
it. Loaded whole, such a graph cannot be serialised for the shape inference convert runs. So the graph is read
without its weights; convert then reads each weight from its file as it lowers it (numpy_helper resolves external
locations against the working directory, hence the chdir), and whatever is left external is read in at the end.
"""

import contextlib
import pathlib

import onnx
from onnx.external_data_helper import load_external_data_for_model

from .. import onnx_precision


def load_lowered(traced, dtype, prepare=lambda graph: None):
    """The graph at `traced` with every weight in memory, converted to `dtype` ("fp32" keeps it). `prepare(graph)`
    runs first, on the graph without its weights (for signature fixes)."""
    traced = pathlib.Path(traced).resolve()
    graph = onnx.load(str(traced), load_external_data=False)
    prepare(graph)
    with contextlib.chdir(traced.parent):
        if dtype != "fp32":
            graph = onnx_precision.convert(graph, dtype)
        load_external_data_for_model(graph, ".")
    return graph
