"""python3 -m worldexplorer_models.worldplay_5b.parity --out DIR

Writes the 5B dit_chunk graphs the Java parity test runs, with PyTorch's outputs for them:

- tiny: the 5B's structure at config.TINY (2 blocks, width 64, 8 latent channels), seeded weights;
- narrow: full width (24 heads of 128, 48 channels, 4096-wide text), one block, exported by export() from a synthetic
  checkpoint shaped like upstream's model.pt (state dict under "generator", keys prefixed "model."), which is
  deleted afterwards.

Both graphs keep their weights in external data (dit_chunk.onnx.data), as full-size exports do. Each graph has two
cases: a later chunk with 3 context latents (the first one the image latent), and chunk 0 (no
context, the image in the chunk's latent 0). DIR/index.json lists the graphs, their cases (folders of .npy files
named after the graph's inputs, plus chunk_latents.npy), the input names in contract order and the tolerance.
"""

import pathlib

import torch

from .. import parity_files
from . import config as c
from . import synthetic
from .dit_chunk import DitChunk5B
from .export import example_inputs, export, load_transformer, trace
from .signatures import dit_chunk
from .transformer import WorldPlay5BTransformer
from ..hy_worldplay_8b.export import write_graph

SIZE = (96, 64)        # latent 6 x 4: 3 x 2 patches, not square, so rows and columns cannot be swapped unnoticed
TOLERANCE = 1e-4       # relative: max |java - torch| / max |torch|


def cases(channels, text_dim):
    """Inputs of the two cases; token and context counts differ from the traced example (dynamic axes)."""
    return {
        "context": example_inputs(*SIZE, context=3, text=7, seed=11, channels=channels, text_dim=text_dim),
        "first_chunk": example_inputs(*SIZE, context=0, text=4, seed=12, channels=channels, text_dim=text_dim,
                                      image_at_chunk_start=True),
    }


def _golden(module, spec, folder, channels, text_dim):
    written = []
    for name, args in cases(channels, text_dim).items():
        case = folder / name
        case.mkdir(parents=True, exist_ok=True)
        with torch.no_grad():
            expected = module(*args)
        parity_files.save_inputs(case, spec, args)
        parity_files.save_arrays(case, {"chunk_latents": expected})
        written.append({"name": name, "folder": str(case.relative_to(folder.parent.parent))})
    return written


def write_tiny(out, log=print):
    tiny = c.TINY
    model = synthetic.initialise(WorldPlay5BTransformer(**tiny), seed=5)
    module = DitChunk5B(model).eval()
    spec = dit_chunk(*SIZE, channels=tiny["channels"], text_dim=tiny["text_dim"])
    folder = out / "tiny"
    folder.mkdir(parents=True, exist_ok=True)
    graph = trace(module, spec, example_inputs(*SIZE, channels=tiny["channels"], text_dim=tiny["text_dim"]),
                  folder, log)
    # Weights in external data, as every full-size export has them, so the Java side loads that layout.
    write_graph(graph, folder / spec["file"], external_threshold=0)
    return {"name": "tiny", "graph": f"tiny/{spec['file']}", "inputs": [s["name"] for s in spec["inputs"]],
            "cases": _golden(module, spec, folder / "golden", tiny["channels"], tiny["text_dim"])}


def write_narrow(out, log=print):
    folder = out / "narrow"
    folder.mkdir(parents=True, exist_ok=True)
    checkpoint = out / "model.pt"
    synthetic.write_torch(checkpoint, blocks=1, seed=7, dtype=torch.bfloat16)
    try:
        record = export(checkpoint, folder, "fp32", SIZE, 1, log, external_threshold=0)
        module = DitChunk5B(load_transformer(checkpoint, 1, log)).eval()
    finally:
        checkpoint.unlink()
    spec = record["graphs"]["dit_chunk"]
    return {"name": "narrow", "graph": f"narrow/{spec['file']}", "inputs": [s["name"] for s in spec["inputs"]],
            "cases": _golden(module, spec, folder / "golden", c.CHANNELS, c.TEXT_DIM)}


WRITERS = {"tiny": write_tiny, "narrow": write_narrow}


def write(out, graphs=tuple(WRITERS), log=print):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    graphs = [WRITERS[name](out, log) for name in graphs]
    index = {"output": "chunk_latents", "tolerance": {"relative": TOLERANCE},
             "video": {"width": SIZE[0], "height": SIZE[1]}, "graphs": graphs}
    return parity_files.write_index(out / "index.json", index)


def main():
    parser = parity_files.parser("python3 -m worldexplorer_models.worldplay_5b.parity")
    parser.add_argument("--graphs", default=",".join(WRITERS),
                        help=f"comma-separated, of {', '.join(WRITERS)} (default: both; narrow takes minutes)")
    args = parser.parse_args()
    graphs = args.graphs.split(",")
    unknown = [g for g in graphs if g not in WRITERS]
    if unknown:
        parser.error(f"unknown graph(s) {', '.join(unknown)}; choose from {', '.join(WRITERS)}")
    print(write(args.out, graphs))


if __name__ == "__main__":
    main()
