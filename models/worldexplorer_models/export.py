"""python3 -m worldexplorer_models.export VARIANT --checkpoint PATH --base DIR --out BUNDLE
[--dtype bf16|fp16|fp32] [--size WIDTHxHEIGHT] [--blocks N] [--encoder-layers N] [--dit-only] [--manifest-only]

Reads a published checkpoint (by upstream's parameter names) and writes a complete worldexplorer bundle.
"""

import argparse
import pathlib
import sys

VARIANTS = ("hy-worldplay-8b", "worldplay-5b")
DEFAULT_SIZES = {"hy-worldplay-8b": "848x480", "worldplay-5b": "1280x704"}
BASE_HELP = ("hy-worldplay-8b: the HunyuanVideo-1.5 folder of upstream's download_models.py (vae/, text_encoder/, "
             "vision_encoder/); worldplay-5b: the Wan2.2-TI2V-5B-Diffusers folder (vae/, text_encoder/, tokenizer/)")


def parse_size(text):
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT, for example 848x480") from None
    if width <= 0 or height <= 0 or width % 16 or height % 16:
        raise argparse.ArgumentTypeError(f"size {text}: width and height must be positive multiples of 16")
    return width, height


def parser():
    p = argparse.ArgumentParser(prog="python3 -m worldexplorer_models.export", description=__doc__.split("\n")[3])
    p.add_argument("variant", choices=VARIANTS)
    p.add_argument("--checkpoint", type=pathlib.Path,
                   help="the WorldPlay transformer: HY-WorldPlay/ar_distilled_action_model (8B) or "
                        "HY-WorldPlay/wan_distilled_model/model.pt (5B)")
    p.add_argument("--base", type=pathlib.Path, help=BASE_HELP)
    p.add_argument("--out", required=True, type=pathlib.Path, help="bundle folder to write")
    p.add_argument("--dtype", default="bf16", choices=("bf16", "fp16", "fp32"))
    p.add_argument("--size", type=parse_size, help="video width x height (8B 848x480, 5B 1280x704)")
    p.add_argument("--blocks", type=int, default=None,
                   help="export only the first N transformer blocks (narrow exports for parity checks)")
    p.add_argument("--encoder-layers", type=int, default=None,
                   help="export only the first N layers of each text and image encoder (narrow test exports)")
    p.add_argument("--dit-only", action="store_true", help="write only dit_chunk.onnx (no --base needed)")
    p.add_argument("--manifest-only", action="store_true",
                   help="write only manifest.json, with weight sizes estimated from the parameter fixtures, to see "
                        "what the bundle needs (no checkpoint needed)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    size = args.size or parse_size(DEFAULT_SIZES[args.variant])
    log = lambda line: print(line, file=sys.stderr, flush=True)
    if not args.manifest_only and args.checkpoint is None:
        print("export failed: --checkpoint is required (or --manifest-only)", file=sys.stderr)
        return 2
    if not (args.manifest_only or args.dit_only) and args.base is None:
        print(f"export failed: --base is required for a complete bundle ({BASE_HELP}); --dit-only writes just the "
              "DiT graph", file=sys.stderr)
        return 2
    from .checkpoint_keys import CheckpointMismatch
    try:
        run(args, size, log)
    except (CheckpointMismatch, FileNotFoundError, ValueError) as error:
        print(f"export failed: {error}", file=sys.stderr)
        return 2
    return 0


def run(args, size, log):
    """The variant's whole bundle, its DiT graph alone, or its manifest alone."""
    if args.variant == "hy-worldplay-8b":
        from .hy_worldplay_8b import bundle
        from .hy_worldplay_8b.config import DOUBLE_BLOCKS as blocks
        from .hy_worldplay_8b.export import export as export_dit
    else:
        from .worldplay_5b import bundle
        from .worldplay_5b.config import LAYERS as blocks
        from .worldplay_5b.export import export as export_dit
    blocks = args.blocks or blocks
    if args.manifest_only:
        args.out.mkdir(parents=True, exist_ok=True)
        bundle.write_manifest(args.out, *size, args.dtype, bundle.estimated_weight_bytes(args.dtype),
                              "Manifest only, written to show what an exported bundle needs; it has no graphs.")
        log(f"wrote {args.out / 'manifest.json'}")
    elif args.dit_only:
        export_dit(args.checkpoint, args.out, args.dtype, size, blocks, log)
    else:
        bundle.export_bundle(args.checkpoint, args.base, args.out, args.dtype, size, blocks, log,
                             args.encoder_layers)


if __name__ == "__main__":
    sys.exit(main())
