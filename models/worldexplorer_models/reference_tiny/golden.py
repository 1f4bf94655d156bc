"""The golden rollout of reference-tiny: a PyTorch run of the whole host loop that Java must reproduce.

The prompt changes at chunk SWITCH_CHUNK, as a text event does in the app: chunks before it see PROMPT, the
rest SWITCH_PROMPT. golden/index.json holds the seed, the prompts (text, first chunk, token ids, mask and the
text encoder's embeddings), start image, sigmas, tolerance and, per chunk, the actions, the cameras, the selected
memory (with which latents only retrieval chose) and the RoPE positions; tensors are raw little-endian float32
files named in it with their shapes: each chunk's noise, clean latents and decoded frames (float, before 8-bit
conversion; every `frame_stride`-th row and column), and from the switch on the latents of the same rollout
without the switch, so a reader can tell that the switch changed the world. Layout: models/README.md.
"""

import json

import numpy as np
import torch

from .. import noise
from ..reference_scene.effects import tokenize
from . import config as c
from . import host

SEED = 20260525
PROMPT = "a quiet forest path at dusk"
SWITCH_PROMPT = "cold rain at night in the old town"
SWITCH_CHUNK = 2
PROMPTS = ((0, PROMPT), (SWITCH_CHUNK, SWITCH_PROMPT))
TOLERANCE = 1e-4
FRAME_STRIDE = 2
STEP, TURN = 0.08, 6.0
# Per chunk: four (label, forward, right, yaw, pitch); the first action of chunk 0 is latent 0's (ignored).
# Walk forward, turn right 96 degrees, turn back to the start heading, step back: every view on the way back has
# been seen before, outside the 4-latent temporal window.
_W = (9, STEP, 0.0, 0.0, 0.0)
_S = (18, -STEP, 0.0, 0.0, 0.0)
_R = (1, 0.0, 0.0, TURN, 0.0)
_L = (2, 0.0, 0.0, -TURN, 0.0)
WALK = [[(0, 0.0, 0.0, 0.0, 0.0), _W, _W, _W]] + [[_R] * 4] * 4 + [[_L] * 4] * 4 + [[_S] * 4]


def start_image():
    """A 64x64 RGB picture (uint8 [H, W, 3]): sky gradient, hills, a path and a few stones."""
    h, w = c.VIDEO_HEIGHT, c.VIDEO_WIDTH
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    image = np.zeros((h, w, 3))
    sky = y < 26 + 4 * np.sin(x / 7.0)
    image[..., 0] = np.where(sky, 110 + 2 * y, 60 + 40 * np.sin(x / 5.0) ** 2)
    image[..., 1] = np.where(sky, 150 + 2 * y, 120 + 30 * np.cos(y / 4.0))
    image[..., 2] = np.where(sky, 230 - y, 50 + 20 * np.sin((x + y) / 6.0))
    path = (~sky) & (np.abs(x - 32) < (y - 24) * 0.6)
    image[path] = (180, 160, 120)
    for cx, cy, r in ((12, 44, 4), (50, 52, 5), (40, 36, 3)):
        image[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = (90, 90, 95)
    return np.clip(image, 0, 255).astype(np.uint8)


def image_tensor(pixels):
    return torch.from_numpy(pixels.astype(np.float32) / 127.5 - 1.0).permute(2, 0, 1)[None].contiguous()


def encode_prompts(text, vocab, prompts):
    """(first chunk, text) pairs -> one entry per prompt: first chunk, text, ids and mask [1, n] and embeddings."""
    encoded = []
    with torch.no_grad():
        for first_chunk, prompt in prompts:
            ids, mask = tokenize(prompt, vocab, c.MAX_TOKENS)
            ids, mask = torch.tensor([ids]), torch.tensor([mask])
            encoded.append({"first_chunk": first_chunk, "text": prompt, "ids": ids, "mask": mask,
                            "embeddings": text(ids, mask)})
    return encoded


def prompt_at(encoded, chunk):
    """The prompt in effect at `chunk`: the last one whose first chunk is not after it."""
    return [p for p in encoded if p["first_chunk"] <= chunk][-1]


def rollout(modules, vocab, pixels=None, seed=SEED, prompts=PROMPTS, walk=WALK):
    """Runs the host loop in torch. Returns the golden description (without files), the tensors per chunk and
    the encoded prompts (see encode_prompts)."""
    dit, encoder, first_decoder, later_decoder, text = modules
    pixels = start_image() if pixels is None else pixels
    if not prompts or prompts[0][0] != 0:
        raise ValueError(f"the first prompt must start at chunk 0, got {prompts}")
    encoded = encode_prompts(text, vocab, prompts)
    track, selector = host.CameraTrack(), host.MemorySelector()
    labels, latents = [], []
    sig = torch.from_numpy(host.sigmas())
    chunks, tensors = [], []
    cache = None
    with torch.no_grad():
        image_latent = encoder(image_tensor(pixels))
        for index, actions in enumerate(walk):
            first = index * c.LATENTS_PER_CHUNK
            prompt = prompt_at(encoded, index)
            for l, (label, forward, right, yaw, pitch) in enumerate(actions):
                if first + l > 0:
                    track.append(forward, right, yaw, pitch)
                    computed = host.label(track.c2w[-2], track.c2w[-1])
                    if computed != label:
                        raise ValueError(f"walk action {actions[l]} is labelled {computed}, not {label}")
                labels.append(label if first + l > 0 else 0)
            w2c = [track.w2c(i) for i in range(len(track.c2w))]
            selected, retrieved = selector.select(w2c, first) if first > 0 else ([], [])
            context_t, chunk_t = host.rope_positions(len(selected))
            chunk_noise = noise.chunk_noise(seed, first, c.CHANNELS, c.LATENTS_PER_CHUNK, c.LATENT_HEIGHT,
                                            c.LATENT_WIDTH)
            n = len(selected)
            context = (torch.cat([latents[i] for i in selected], dim=2) if n
                       else torch.zeros(1, c.CHANNELS, 0, c.LATENT_HEIGHT, c.LATENT_WIDTH))
            chunk_range = range(first, first + c.LATENTS_PER_CHUNK)
            out = dit(context,
                      torch.from_numpy(np.stack([w2c[i] for i in selected]) if n else np.zeros((0, 4, 4), np.float32)),
                      torch.from_numpy(host.intrinsics(n)),
                      torch.tensor([labels[i] for i in selected], dtype=torch.int64),
                      torch.tensor(context_t, dtype=torch.int64),
                      torch.tensor([1.0 if i == 0 else 0.0 for i in selected]),
                      torch.from_numpy(chunk_noise),
                      torch.from_numpy(np.stack([w2c[i] for i in chunk_range])),
                      torch.from_numpy(host.intrinsics(c.LATENTS_PER_CHUNK)),
                      torch.tensor([labels[i] for i in chunk_range], dtype=torch.int64),
                      torch.tensor(chunk_t, dtype=torch.int64),
                      torch.tensor([1.0 if i == 0 else 0.0 for i in chunk_range]),
                      image_latent, sig, torch.tensor([c.CONTEXT_TIMESTEP]), prompt["embeddings"],
                      prompt["mask"].float())
            latents.extend(out[:, :, l: l + 1] for l in range(c.LATENTS_PER_CHUNK))
            frames, cache = first_decoder(out) if index == 0 else later_decoder(out, cache)
            chunks.append({
                "chunk": index, "first_latent": first, "prompt": prompt["text"],
                "actions": [{"label": a[0], "forward": a[1], "right": a[2], "yaw_degrees": a[3],
                             "pitch_degrees": a[4]} for a in actions],
                "w2c_row_major": [[float(v) for v in w2c[i].reshape(-1)] for i in chunk_range],
                "labels": [labels[i] for i in chunk_range],
                "selected": selected, "retrieved": retrieved, "context_rope_t": context_t, "chunk_rope_t": chunk_t,
            })
            tensors.append({"noise": chunk_noise, "latents": out.numpy(),
                            "frames": frames[0, :, :, ::FRAME_STRIDE, ::FRAME_STRIDE].numpy()})
    return chunks, tensors, encoded


def write(folder, modules, vocab):
    from PIL import Image
    folder.mkdir(parents=True, exist_ok=True)
    for old in list(folder.glob("*.f32")) + list(folder.glob("*.json")):
        old.unlink()
    pixels = start_image()
    Image.fromarray(pixels).save(folder / "start_image.png")
    chunks, tensors, encoded = rollout(modules, vocab, pixels)
    _, unswitched, _ = rollout(modules, vocab, pixels, prompts=PROMPTS[:1])

    def save(name, array):
        np.ascontiguousarray(array, dtype="<f4").tofile(folder / name)
        return {"file": name, "shape": list(array.shape)}

    for chunk, arrays, plain in zip(chunks, tensors, unswitched):
        for key, array in arrays.items():
            chunk[key] = save(f"chunk{chunk['chunk']:02d}_{key}.f32", array)
        if chunk["chunk"] >= SWITCH_CHUNK:
            chunk["latents_without_switch"] = save(f"chunk{chunk['chunk']:02d}_latents_without_switch.f32",
                                                   plain["latents"])
    prompts = [{"first_chunk": p["first_chunk"], "text": p["text"], "ids": p["ids"][0].tolist(),
                "mask": p["mask"][0].tolist(), "embeddings": save(f"prompt{i}_embeddings.f32", p["embeddings"].numpy())}
               for i, p in enumerate(encoded)]
    index = {
        "bundle": "reference-tiny", "seed": SEED, "prompts": prompts, "switch_chunk": SWITCH_CHUNK,
        "start_image": "start_image.png", "tolerance": {"abs": TOLERANCE}, "frame_stride": FRAME_STRIDE,
        "sigmas": [float(s) for s in host.sigmas()], "context_timestep": c.CONTEXT_TIMESTEP,
        "temporal_latents": c.TEMPORAL_LATENTS, "chunks": chunks,
    }
    (folder / "index.json").write_text(json.dumps(index, indent=1) + "\n")
