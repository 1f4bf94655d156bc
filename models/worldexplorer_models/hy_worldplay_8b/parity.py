"""python3 -m worldexplorer_models.hy_worldplay_8b.parity --out DIR

Writes a narrow 8B export for the Java parity test: a synthetic full-width checkpoint, its fp32 dit_chunk graph
(DIR/bundle), and golden files (DIR/golden): every graph input and the PyTorch output as .npy, plus index.json.
The checkpoint is deleted afterwards; only the graph and golden files stay.
"""

import pathlib

import torch

from .. import parity_files
from ..safetensors_io import Checkpoint
from . import synthetic, weights
from .dit_chunk import DitChunk8B
from .export import example_inputs, export
from .params import build_on_meta
from .signatures import dit_chunk
from .transformer import WorldPlay8BTransformer

SIZE = (32, 32)
BLOCKS = 1
TOLERANCE = 1e-4  # relative: max |java - torch| / max |torch|


def write(out, blocks=BLOCKS, size=SIZE, log=print):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    checkpoint_path = out / "checkpoint.safetensors"
    synthetic.write(checkpoint_path, blocks)
    try:
        # Weights go to external data as they must over 2 GiB, so the Java side loads that layout too.
        export(checkpoint_path, out / "bundle", "fp32", size, blocks, log, external_threshold=0)
        checkpoint = Checkpoint(checkpoint_path)
        model = weights.load(build_on_meta(lambda: WorldPlay8BTransformer(depth=blocks)), checkpoint, blocks, log=log)
        checkpoint.close()
    finally:
        checkpoint_path.unlink()
    # Other token counts than the traced example, so the dynamic axes are exercised too.
    args = example_inputs(*size, context=3, llm=7, byt5=2, vision=5, seed=11)
    with torch.no_grad():
        expected = DitChunk8B(model).eval()(*args)
    golden = out / "golden"
    golden.mkdir(exist_ok=True)
    spec = dit_chunk(*size)
    parity_files.save_inputs(golden, spec, args)
    parity_files.save_arrays(golden, {"chunk_latents": expected})
    parity_files.write_index(golden / "index.json", {
        "graph": "bundle/dit_chunk.onnx", "inputs": [s["name"] for s in spec["inputs"]],
        "output": "chunk_latents", "tolerance": {"relative": TOLERANCE}, "blocks": blocks,
        "video": {"width": size[0], "height": size[1]}})
    return golden


def main():
    parity_files.main("python3 -m worldexplorer_models.hy_worldplay_8b.parity", write)


if __name__ == "__main__":
    main()
