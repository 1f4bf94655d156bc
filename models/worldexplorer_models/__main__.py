"""python3 -m worldexplorer_models build <bundle> --out DIR | start-images --out DIR | list"""

import argparse
import pathlib

from PIL import Image

BUNDLES = ("reference-scene", "reference-tiny")


def main():
    parser = argparse.ArgumentParser(prog="worldexplorer_models")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write a bundle folder")
    build.add_argument("bundle", choices=BUNDLES)
    build.add_argument("--out", required=True, type=pathlib.Path)
    build.add_argument("--image", type=pathlib.Path, help="start image for the golden files")
    images = commands.add_parser("start-images", help="render the procedural start images")
    images.add_argument("--out", required=True, type=pathlib.Path)
    commands.add_parser("list", help="print the bundles this package builds")
    args = parser.parse_args()

    if args.command == "list":
        print("\n".join(BUNDLES))
    elif args.command == "start-images":
        from .start_images import IMAGES
        args.out.mkdir(parents=True, exist_ok=True)
        for name, render in IMAGES.items():
            Image.fromarray(render()).save(args.out / name)
            print(args.out / name)
    elif args.bundle == "reference-tiny":
        from .reference_tiny import build as tiny
        tiny.build(args.out)
    else:
        from .reference_scene import build as scene
        scene.build(args.out, args.image or scene.DEFAULT_IMAGE)
        print(f"{args.bundle} written to {args.out}")


if __name__ == "__main__":
    main()
