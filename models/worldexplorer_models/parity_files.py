"""What every parity writer (python3 -m worldexplorer_models.<model>.parity --out DIR) shares: the golden .npy files
and the JSON index that runtime's parity tests read, and the command line."""

import argparse
import json
import pathlib

import numpy as np


def save_arrays(folder, tensors, dtype=None):
    """Save each {name: tensor} as folder/<name>.npy, cast to the numpy `dtype` when one is given."""
    for name, tensor in tensors.items():
        value = tensor.numpy()
        np.save(pathlib.Path(folder) / f"{name}.npy", value if dtype is None else value.astype(dtype))


def save_inputs(folder, spec, args):
    """Save a graph's example inputs under the names its signature `spec` gives them, in the same order."""
    save_arrays(folder, {tensor_spec["name"]: value for tensor_spec, value in zip(spec["inputs"], args)})


def write_index(path, index):
    """Write `index` as indented JSON ending in a newline; returns the path."""
    path = pathlib.Path(path)
    path.write_text(json.dumps(index, indent=2) + "\n")
    return path


def write_cases(out, names, write_case, log=print):
    """Write each case with write_case(out, name, log) and list the entries it returns in out/golden.json."""
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return write_index(out / "golden.json", {"cases": [write_case(out, name, log) for name in names]})


def parser(prog):
    """The writers' command line, --out DIR; a writer with more options adds them."""
    p = argparse.ArgumentParser(prog=prog)
    p.add_argument("--out", required=True, type=pathlib.Path)
    return p


def main(prog, write):
    """Run `python3 -m <prog> --out DIR`: write(DIR), then print what it returns (the index it wrote)."""
    print(write(parser(prog).parse_args().out))
