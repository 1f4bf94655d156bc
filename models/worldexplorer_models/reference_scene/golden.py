"""Golden files: inputs and outputs of every reference-scene graph, for checking ONNX Runtime against torch.

Layout (also in models/README.md): golden/index.json lists cases; each names its graph and maps every input and
output to a .npy file in golden/. An input may instead be {"concat": [files], "axis": k} (the files joined along
axis k) or {"seeded_noise": {"seed": s, "first_latent": t}} (the host's chunk noise, docs/bundle-format.md).
Float tensors of more than 100,000 elements are stored as float16: inputs hold exactly the values torch was run
on; outputs are rounded and compared with the tolerance in the index. An output with an entry in the case's
"every" map, {"axis": step, ...}, holds only every step-th index along those axes.
"""

import json

import numpy as np
import torch

from .. import noise
from . import config as c
from . import poses
from .dit import DitChunk
from .effects import tokenize
from .signatures import GRAPHS
from .text_encoder import TextEncoder
from .vae import VaeDecoder, VaeDecoderFirst, VaeEncoder

SEED = 20260523
POSE = "w-3, right-4, d-4"
PROMPT = "light snow at dusk"
BIG = 100_000


def _stored(array):
    """The array as it is written: float16 when big. Returns (array to save, values as float32 torch tensor)."""
    if array.dtype == np.float32 and array.size > BIG:
        array = array.astype(np.float16)
        return array, torch.from_numpy(array.astype(np.float32))
    return array, torch.from_numpy(array)


class _Writer:
    def __init__(self, folder):
        self.folder = folder
        self.files = {}

    def put(self, name, value):
        """Save a tensor once; returns the file name and the exact values a consumer of the file will read."""
        array = value.detach().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
        array, exact = _stored(np.ascontiguousarray(array))
        file = f"{name}.npy"
        np.save(self.folder / file, array)
        self.files[name] = exact
        return file, exact


def write(folder, image):
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.npy"):
        old.unlink()
    out = _Writer(folder)
    cases = []

    def case(name, graph, inputs, outputs, every=None, **extra):
        cases.append({"name": name, "graph": graph, "inputs": inputs, "outputs": outputs, "every": every or {},
                      **extra})

    with torch.no_grad():
        image_file, image = out.put("image", image)
        latent_file, image_latent = out.put("image_latent", VaeEncoder()(image))
        case("encode", "vae_encoder", {"image": image_file}, {"image_latent": latent_file})

        text = TextEncoder()
        ids, mask = tokenize(PROMPT, text.vocab, c.MAX_TOKENS)
        ids, mask = torch.tensor([ids]), torch.tensor([mask])
        embeds = text(ids, mask)
        case("text", f"text_encoder_scene",
             {"input_ids": out.put("input_ids", ids)[0], "attention_mask": out.put("attention_mask", mask)[0]},
             {"embeds": out.put("text_scene", embeds)[0]})
        text_inputs = {"text_scene": "text_scene.npy", "text_scene_mask": out.put("text_scene_mask", mask.float())[0]}

        w2c, labels = poses.trajectory(POSE)
        k = poses.intrinsics(len(w2c))
        sig_file, sigmas = out.put("sigmas", poses.sigmas(c.STEPS, c.SHIFT))
        ts_file, timestep = out.put("context_timestep", np.array([c.CONTEXT_TIMESTEP], dtype=np.float32))
        dit = DitChunk()
        chunks, chunk_files = [], []
        for index in range(3):
            start = 4 * index
            ctx = list(range(start))
            chunk_noise = torch.from_numpy(noise.chunk_noise(SEED, start, c.CHANNELS, c.LATENTS_PER_CHUNK,
                                                             c.LATENT_HEIGHT, c.LATENT_WIDTH))
            noise_input = {"seeded_noise": {"seed": SEED, "first_latent": start}}
            parts = {
                "context_w2c": w2c[ctx], "context_intrinsics": k[ctx], "context_action": labels[ctx],
                "context_rope_t": np.arange(len(ctx), dtype=np.int64),
                "context_cond_mask": (np.array(ctx, dtype=np.int64) == 0).astype(np.float32),
                "chunk_w2c": w2c[start:start + 4], "chunk_intrinsics": k[start:start + 4],
                "chunk_action": labels[start:start + 4],
                "chunk_rope_t": np.arange(len(ctx), len(ctx) + 4, dtype=np.int64),
                "chunk_cond_mask": (np.arange(start, start + 4) == 0).astype(np.float32),
            }
            files, tensors = {}, {}
            for name, value in parts.items():
                if index == 1:  # chunk 1 is no case; its latents only feed chunk 2's context
                    tensors[name] = torch.from_numpy(np.ascontiguousarray(value))
                else:
                    files[name], tensors[name] = out.put(f"chunk{index}_{name}", value)
            context = (torch.cat(chunks, 2) if chunks
                       else torch.zeros(1, c.CHANNELS, 0, c.LATENT_HEIGHT, c.LATENT_WIDTH))
            result = dit(context, tensors["context_w2c"], tensors["context_intrinsics"], tensors["context_action"],
                         tensors["context_rope_t"], tensors["context_cond_mask"], chunk_noise,
                         tensors["chunk_w2c"], tensors["chunk_intrinsics"], tensors["chunk_action"],
                         tensors["chunk_rope_t"], tensors["chunk_cond_mask"], image_latent, sigmas, timestep,
                         embeds, mask.float())
            if index == 2:  # an output only: every 4th channel is enough to catch a difference anywhere
                result_file, _ = out.put(f"chunk{index}_latents_every4", result[:, ::4])
            else:
                result_file, result = out.put(f"chunk{index}_latents", result)
            if index == 0:
                files["context_latents"] = out.put("empty_context", context)[0]
            else:
                files["context_latents"] = {"concat": list(chunk_files), "axis": 2}
            inputs = {**files, "chunk_noise": noise_input, "image_latent": latent_file, "sigmas": sig_file,
                      "context_timestep": ts_file, **text_inputs}
            if index != 1:
                inputs = {spec["name"]: inputs[spec["name"]] for spec in GRAPHS["dit_chunk"]["inputs"]}
                case(f"dit_chunk{index}", "dit_chunk", inputs, {"chunk_latents": result_file},
                     first_latent=start, n_ctx=len(ctx), every={"chunk_latents": {"1": 4}} if index == 2 else {})
            chunks.append(result)
            chunk_files.append(result_file)

        frames, cache = VaeDecoderFirst()(chunks[0])
        cache_file, cache = out.put("decoder0_cache", cache)
        case("decode_first", "vae_decoder_first", {"latents": chunk_files[0]},
             {"frames": out.put("decoder0_frames_every4", frames[..., ::4, ::4])[0], "cache_out": cache_file},
             every={"frames": {"3": 4, "4": 4}})
        frames, cache1 = VaeDecoder()(chunks[1], cache)
        case("decode_later", "vae_decoder", {"latents": chunk_files[1], "cache_in": cache_file},
             {"frames": out.put("decoder1_frames_every4", frames[..., ::4, ::4])[0],
              "cache_out": out.put("decoder1_cache", cache1)[0]},
             every={"frames": {"3": 4, "4": 4}})

    index = {"format": "npy", "seed": SEED, "pose": POSE, "prompt": PROMPT,
             "tolerance": {"abs": 5e-3, "note": "float16-rounded outputs; graph arithmetic order may differ"},
             "cases": cases}
    (folder / "index.json").write_text(json.dumps(index, indent=2) + "\n")
