"""python3 -m worldexplorer_models.worldplay_5b export --checkpoint wan_distilled_model/model.pt --out DIR
[--dtype bf16|fp16|fp32] [--size 1280x704] [--blocks N]
python3 -m worldexplorer_models.worldplay_5b cost [--size 1280x704] [--context 16]

export writes DIR/dit_chunk.onnx (+ .onnx.data) and DIR/export.json; cost prints the FLOP and memory estimate of one
chunk as JSON.
"""

import argparse
import json
import pathlib
import sys

from . import config as c


def _size(text):
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT, for example 1280x704") from None
    return width, height


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m worldexplorer_models.worldplay_5b")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the dit_chunk graph of a 5B checkpoint")
    export.add_argument("--checkpoint", required=True, type=pathlib.Path,
                        help="wan_distilled_model/model.pt, or a safetensors file or folder with the same weights")
    export.add_argument("--out", required=True, type=pathlib.Path, help="folder to write")
    export.add_argument("--dtype", default="bf16", choices=("bf16", "fp16", "fp32"))
    export.add_argument("--size", default="1280x704", type=_size, help="video width x height (default 1280x704)")
    export.add_argument("--blocks", type=int, default=c.LAYERS,
                        help="export only the first N blocks (narrow exports for parity checks)")
    cost = commands.add_parser("cost", help="print the FLOPs and memory of one chunk")
    cost.add_argument("--size", default="1280x704", type=_size)
    cost.add_argument("--context", type=int, default=c.CONTEXT_LATENTS)
    args = parser.parse_args(argv)

    if args.command == "cost":
        from .cost import summary
        print(json.dumps(summary(*args.size, args.context), indent=2))
        return 0
    from .export import export as run_export
    from .weights import CheckpointMismatch
    log = lambda line: print(line, file=sys.stderr, flush=True)
    try:
        run_export(args.checkpoint, args.out, args.dtype, args.size, args.blocks, log)
    except (CheckpointMismatch, FileNotFoundError, ValueError) as error:
        print(f"export failed: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
