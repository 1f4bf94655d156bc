"""python3 -m worldexplorer_models.vision_siglip.parity --out DIR

Writes image_encoder exports for the Java parity test (QwenSiglipParityTest), each from a synthetic checkpoint
folder: "tiny" (width 32, 3 layers, 18 x 18 images, a processor normalisation other than 0.5 so the folded input
scaling is exercised) and "narrow" (full width and the full 384 x 384 -> 729 token grid, one of 27 layers).
Each case gets DIR/<case>/image_encoder.onnx and golden input and PyTorch output as .npy; DIR/golden.json lists
the cases. Checkpoints are deleted afterwards.
"""

import pathlib
import shutil

import torch

from .. import parity_files
from ..hy_worldplay_8b.params import build_on_meta
from ..safetensors_io import Checkpoint
from . import synthetic, weights
from .config import SO400M_PATCH14_384, read_preprocessing
from .export import GRAPH_KEY, export_siglip, locate
from .model import SiglipVisionEncoder

TOLERANCE = 1e-4  # relative: max |java - torch| / max |torch|
TINY = SO400M_PATCH14_384.with_(hidden=32, layers=3, heads=2, intermediate=48, patch=4, image=18)
# name: (config, layers in the checkpoint, layers exported, processor mean, std, checkpoint dtype)
CASES = {"tiny": (TINY, 3, 3, (0.48, 0.46, 0.41), (0.27, 0.26, 0.28), torch.float32),
         "narrow": (SO400M_PATCH14_384, 2, 1, (0.5,) * 3, (0.5,) * 3, torch.bfloat16)}


def write_case(out, name, log=print):
    config, stored, layers, mean, std, dtype = CASES[name]
    case = pathlib.Path(out) / name
    source = case / "checkpoint"
    synthetic.write_folder(source, config, layers=stored, dtype=dtype, mean=mean, std=std, seed=len(name))
    try:
        export_siglip(source, case, "fp32", log, layers=layers, config=config)
        path, _, preprocessor = locate(source)
        scale, shift = read_preprocessing(preprocessor).from_bundle_pixels()
        checkpoint = Checkpoint(path)
        model = build_on_meta(lambda: SiglipVisionEncoder(config, layers, scale, shift))
        model = weights.load(model, checkpoint, log=log).eval()
        checkpoint.close()
    finally:
        shutil.rmtree(source)
    g = torch.Generator().manual_seed(5)
    pixels = torch.rand(1, 3, config.image, config.image, generator=g) * 2 - 1
    with torch.no_grad():
        expected = model(pixels)
    parity_files.save_arrays(case, {"pixels": pixels, "vision_tokens": expected})
    return {"name": f"{GRAPH_KEY} {name}", "graph": f"{name}/{GRAPH_KEY}.onnx",
            "inputs": {"pixels": f"{name}/pixels.npy"}, "output": {"vision_tokens": f"{name}/vision_tokens.npy"},
            "tolerance": {"relative": TOLERANCE}, "layers": layers, "hidden": config.hidden}


def write(out, log=print):
    return parity_files.write_cases(out, CASES, write_case, log)


def main():
    parity_files.main("python3 -m worldexplorer_models.vision_siglip.parity", write)


if __name__ == "__main__":
    main()
