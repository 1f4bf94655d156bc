#!/usr/bin/python3
"""Writes a variant's checkpoints in the published folder layout, with seeded random weights at full width and
narrow depth, so the complete exporter can run end to end without the published weights.

  /usr/bin/python3 models/tools/make_synthetic_checkpoints.py hy-worldplay-8b --out DIR [--blocks 1]
      [--encoder-layers 1] [--seed 0] [--dtype bf16|fp32]

hy-worldplay-8b writes
  DIR/HY-WorldPlay/ar_distilled_action_model/diffusion_pytorch_model.safetensors   (first --blocks double blocks)
  DIR/HunyuanVideo-1.5/vae/{config.json, diffusion_pytorch_model.safetensors}       (the whole VAE)
  DIR/HunyuanVideo-1.5/text_encoder/llm/{config.json, model-0000N-of-00005.safetensors, tokenizer.json}
  DIR/HunyuanVideo-1.5/text_encoder/Glyph-SDXL-v2/checkpoints/byt5_model.pt
  DIR/HunyuanVideo-1.5/vision_encoder/siglip/{image_encoder/..., feature_extractor/preprocessor_config.json}
worldplay-5b writes
  DIR/HY-WorldPlay/wan_distilled_model/model.pt                                      ({"generator": ...})
  DIR/Wan2.2-TI2V-5B-Diffusers/vae/{config.json, diffusion_pytorch_model.safetensors}
  DIR/Wan2.2-TI2V-5B-Diffusers/text_encoder/{config.json, model-0000N-of-00002.safetensors, index}
  DIR/Wan2.2-TI2V-5B-Diffusers/tokenizer/tokenizer.json
and prints the export command. Encoders keep their full vocabulary and width but only the first --encoder-layers
layers; the tokenizers are small hand-written ones (worldexplorer_models.synthetic_tokenizers). Weights default to
bf16, as published; the exporter converts them to the bundle's dtype.
"""

import argparse
import json
import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from worldexplorer_models import synthetic_tokenizers  # noqa: E402
from worldexplorer_models.hy_worldplay_8b import synthetic as dit8b_synthetic  # noqa: E402
from worldexplorer_models.hy_worldplay_8b import vae_synthetic  # noqa: E402
from worldexplorer_models.hy_worldplay_8b.bundle import PARTS as PARTS_8B  # noqa: E402
from worldexplorer_models.hy_worldplay_8b.params import read_fixture  # noqa: E402
from worldexplorer_models.progress import peak_memory_gib  # noqa: E402
from worldexplorer_models.text_qwen import synthetic as qwen_synthetic  # noqa: E402
from worldexplorer_models.text_qwen.config import QWEN25_VL_7B  # noqa: E402
from worldexplorer_models.text_t5 import synthetic as t5_synthetic  # noqa: E402
from worldexplorer_models.text_t5.config import BYT5_GLYPH, UMT5_XXL  # noqa: E402
from worldexplorer_models.vision_siglip import synthetic as siglip_synthetic  # noqa: E402
from worldexplorer_models.vision_siglip.config import SO400M_PATCH14_384  # noqa: E402
from worldexplorer_models.wan_vae import synthetic as wan_vae_synthetic  # noqa: E402
from worldexplorer_models.worldplay_5b import synthetic as dit5b_synthetic  # noqa: E402
from worldexplorer_models.worldplay_5b.bundle import PARTS as PARTS_5B  # noqa: E402

DTYPES = {"bf16": torch.bfloat16, "fp32": torch.float32}
VARIANTS = ("hy-worldplay-8b", "worldplay-5b")


def first_blocks(fixture, layers):
    """The fixture's T5 parameters without the encoder blocks from `layers` on (and without a decoder)."""
    def kept(name):
        if not name.startswith(("shared.", "encoder.")):
            return False
        parts = name.split(".")
        return parts[1] != "block" or int(parts[2]) < layers
    return {name: shape for name, shape in read_fixture(fixture).items() if kept(name)}


def write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_8b(out, blocks, layers, seed, dtype, log):
    transformer = out / "HY-WorldPlay" / "ar_distilled_action_model"
    base = out / "HunyuanVideo-1.5"
    folder = {part: base.joinpath(*path) for part, path in PARTS_8B.items()}
    transformer.mkdir(parents=True, exist_ok=True)
    step(log, "DiT", lambda: dit8b_synthetic.write(transformer / "diffusion_pytorch_model.safetensors", blocks,
                                                   seed, dtype))
    step(log, "VAE", lambda: vae_synthetic.write(folder["vae"], seed + 1, dtype))
    step(log, "Qwen2.5-VL language model", lambda: qwen_synthetic.write_folder(
        folder["llm"], QWEN25_VL_7B, layers=layers, seed=seed + 2, dtype=dtype, files=5))
    write_json(folder["llm"] / "tokenizer.json", synthetic_tokenizers.qwen_chat())

    def byt5():
        weights = t5_synthetic.tensors(first_blocks("byt5_small_encoder", layers), BYT5_GLYPH, seed + 3, dtype)
        (folder["byt5"] / "checkpoints").mkdir(parents=True, exist_ok=True)
        t5_synthetic.write_glyph_pt(folder["byt5"] / "checkpoints" / "byt5_model.pt", weights)
    step(log, "byT5 glyph encoder", byt5)
    step(log, "SigLIP image encoder", lambda: siglip_synthetic.write_folder(
        folder["siglip"], SO400M_PATCH14_384, layers=layers, seed=seed + 4, dtype=dtype))
    return transformer, base


def write_5b(out, blocks, layers, seed, dtype, log):
    transformer = out / "HY-WorldPlay" / "wan_distilled_model" / "model.pt"
    base = out / "Wan2.2-TI2V-5B-Diffusers"
    path = {part: base.joinpath(*p) for part, p in PARTS_5B.items()}
    transformer.parent.mkdir(parents=True, exist_ok=True)
    step(log, "DiT", lambda: dit5b_synthetic.write_torch(transformer, blocks, seed, dtype))

    def vae():
        path["vae"].mkdir(parents=True, exist_ok=True)
        wan_vae_synthetic.write(path["vae"] / "diffusion_pytorch_model.safetensors", seed + 1, dtype)
        write_json(path["vae"] / "config.json", wan_vae_synthetic.config_json())
    step(log, "Wan2.2 VAE", vae)

    def umt5():
        weights = t5_synthetic.tensors(first_blocks("umt5_xxl_encoder", layers), UMT5_XXL, seed + 2, dtype)
        t5_synthetic.write_hf_folder(path["text_encoder"], weights)
        write_json(path["text_encoder"] / "config.json", t5_synthetic.config_json(UMT5_XXL, "UMT5EncoderModel"))
    step(log, "UMT5 text encoder", umt5)
    write_json(path["tokenizer"], synthetic_tokenizers.umt5())
    return transformer, base


def step(log, what, action):
    start = time.monotonic()
    action()
    log(f"{what}: {time.monotonic() - start:.0f} s, peak memory {peak_memory_gib():.2f} GiB")


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("variant", choices=VARIANTS)
    p.add_argument("--out", required=True, type=pathlib.Path, help="folder to write the checkpoints into")
    p.add_argument("--blocks", type=int, default=1, help="transformer blocks to write (default 1)")
    p.add_argument("--encoder-layers", type=int, default=1, help="layers of each encoder to write (default 1)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", choices=DTYPES, default="bf16", help="stored weight dtype (default bf16)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if args.blocks < 1 or args.encoder_layers < 1:
        print("--blocks and --encoder-layers must be at least 1", file=sys.stderr)
        return 2
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    write = write_8b if args.variant == "hy-worldplay-8b" else write_5b
    transformer, base = write(args.out, args.blocks, args.encoder_layers, args.seed, DTYPES[args.dtype], log)
    log(f"wrote synthetic {args.variant} checkpoints under {args.out}; export with")
    print(f"python3 -m worldexplorer_models.export {args.variant} --checkpoint {transformer} --base {base} "
          f"--blocks {args.blocks} --encoder-layers {args.encoder_layers} --out BUNDLE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
