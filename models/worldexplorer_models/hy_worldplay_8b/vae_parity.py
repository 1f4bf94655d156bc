"""python3 -m worldexplorer_models.hy_worldplay_8b.vae_parity --out DIR [--size WxH]

Writes the full-width 8B VAE graphs for the Java parity test: a synthetic checkpoint, its fp32 graphs at a small
video size (DIR/bundle), and golden files (DIR/golden): each graph's inputs and PyTorch's outputs as .npy, listed
in index.json. The later decoder's cache_in is PyTorch's cache_out of the first decoder, so each graph is compared
on its own. The checkpoint is deleted afterwards.
"""

import pathlib
import shutil

import numpy as np
import torch

from ..safetensors_io import Checkpoint
from .. import checkpoint_keys, parity_files
from . import vae_synthetic
from .params import build_on_meta
from .vae import FULL, AutoencoderKLConv3D
from .vae_export import export_vae
from .vae_graphs import VaeDecoderFirstGraph, VaeDecoderLaterGraph, VaeEncoderGraph, latent_grid

SIZE = (32, 48)  # 2 x 3 latents: the traced 3 x 2 grid transposed, so a width/height mix-up shows
TOLERANCE = 1e-4  # relative: max |java - torch| / max |torch|, per output


def reference_inputs(size, seed=7):
    """A start image in [-1, 1] and two chunks of latents at about the DiT's output scale."""
    width, height = size
    w, h = latent_grid(width, height, FULL)
    g = torch.Generator().manual_seed(seed)
    image = torch.rand(1, 3, height, width, generator=g) * 2 - 1
    first = torch.randn(1, FULL.latent_channels, 4, h, w, generator=g)
    later = torch.randn(1, FULL.latent_channels, 4, h, w, generator=g)
    return image, first, later


def load_all(folder):
    model = build_on_meta(AutoencoderKLConv3D)
    checkpoint = Checkpoint(pathlib.Path(folder) / vae_synthetic.WEIGHTS_FILE)
    checkpoint_keys.load(model, checkpoint, torch.float32, log=lambda line: None)
    checkpoint.close()
    return model.eval()


def write(out, size=SIZE, log=print):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    checkpoint = vae_synthetic.write(out / "vae")
    try:
        record = export_vae(checkpoint, out / "bundle", "fp32", size, log)
        model = load_all(checkpoint)
    finally:
        shutil.rmtree(checkpoint)
    image, first, later = reference_inputs(size)
    with torch.no_grad():
        latent = VaeEncoderGraph(model.encoder, FULL)(image)
        frames_first, cache_first = VaeDecoderFirstGraph(model.decoder)(first)
        frames_later, cache_later = VaeDecoderLaterGraph(model.decoder)(later, cache_first)
    golden = out / "golden"
    golden.mkdir(exist_ok=True)
    tensors = {"image": image, "image_latent": latent, "latents_first": first, "frames_first": frames_first,
               "cache_first": cache_first, "latents_later": later, "frames_later": frames_later,
               "cache_later": cache_later}
    parity_files.save_arrays(golden, tensors, np.float32)
    cases = [
        {"graph": "vae_encoder", "inputs": {"image": "image"}, "outputs": {"image_latent": "image_latent"}},
        {"graph": "vae_decoder_first", "inputs": {"latents": "latents_first"},
         "outputs": {"frames": "frames_first", "cache_out": "cache_first"}},
        {"graph": "vae_decoder", "inputs": {"latents": "latents_later", "cache_in": "cache_first"},
         "outputs": {"frames": "frames_later", "cache_out": "cache_later"}},
    ]
    for case in cases:
        spec = record["graphs"][case["graph"]]
        case["file"] = "bundle/" + spec["file"]
        case["input_order"] = [s["name"] for s in spec["inputs"]]
    parity_files.write_index(golden / "index.json", {
        "cases": cases, "tolerance": {"relative": TOLERANCE}, "cache_size": record["cache_size"],
        "video": {"width": size[0], "height": size[1]}})
    return golden


def main():
    parser = parity_files.parser("python3 -m worldexplorer_models.hy_worldplay_8b.vae_parity")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}", help="video WIDTHxHEIGHT, multiples of 16")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    print(write(args.out, (width, height)))


if __name__ == "__main__":
    main()
