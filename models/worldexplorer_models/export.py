"""python3 -m worldexplorer_models.export hy-worldplay-8b --checkpoint DIR --out BUNDLE
[--dtype bf16|fp16|fp32] [--size 848x480] [--blocks N]

Reads a published checkpoint (safetensors, by upstream's parameter names) and writes the bundle's graphs.
"""

import argparse
import pathlib
import sys

VARIANTS = ("hy-worldplay-8b",)


def parse_size(text):
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT, for example 848x480") from None
    if width <= 0 or height <= 0 or width % 16 or height % 16:
        raise argparse.ArgumentTypeError(f"size {text}: width and height must be positive multiples of 16")
    return width, height


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m worldexplorer_models.export", description=__doc__.split("\n")[3])
    parser.add_argument("variant", choices=VARIANTS)
    parser.add_argument("--checkpoint", required=True, type=pathlib.Path,
                        help="checkpoint folder or .safetensors file (e.g. HY-WorldPlay/ar_distilled_action_model)")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="bundle folder to write")
    parser.add_argument("--dtype", default="bf16", choices=("bf16", "fp16", "fp32"))
    parser.add_argument("--size", default="848x480", type=parse_size, help="video width x height (default 848x480)")
    parser.add_argument("--blocks", type=int, default=None,
                        help="export only the first N double blocks (narrow exports for parity checks)")
    args = parser.parse_args(argv)

    from .hy_worldplay_8b import config
    from .hy_worldplay_8b.export import export
    from .hy_worldplay_8b.weights import CheckpointMismatch
    log = lambda line: print(line, file=sys.stderr, flush=True)
    try:
        export(args.checkpoint, args.out, args.dtype, args.size, args.blocks or config.DOUBLE_BLOCKS, log)
    except (CheckpointMismatch, FileNotFoundError, ValueError) as error:
        print(f"export failed: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
