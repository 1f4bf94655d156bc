"""The Wan2.2 VAE's configuration (Wan-AI/Wan2.2-TI2V-5B-Diffusers vae/config.json), as the exporter needs it.

Values from diffusers v0.35.0: vae22_diffusers_config in scripts/convert_wan_to_diffusers.py:584-695 (the script
that wrote the published config) and AutoencoderKLWan's constructor defaults it does not override
(src/diffusers/models/autoencoders/autoencoder_kl_wan.py:969-976). models/fixtures/wan22_vae.params lists the
parameters these sizes produce.
"""

import json
import pathlib
from dataclasses import dataclass

LATENTS_MEAN = (
    -0.2289, -0.0052, -0.1323, -0.2339, -0.2799, 0.0174, 0.1838, 0.1557,
    -0.1382, 0.0542, 0.2813, 0.0891, 0.1570, -0.0098, 0.0375, -0.1825,
    -0.2246, -0.1207, -0.0698, 0.5109, 0.2665, -0.2108, -0.2158, 0.2502,
    -0.2055, -0.0322, 0.1109, 0.1567, -0.0729, 0.0899, -0.2799, -0.1230,
    -0.0313, -0.1649, 0.0117, 0.0723, -0.2839, -0.2083, -0.0520, 0.3748,
    0.0152, 0.1957, 0.1433, -0.2944, 0.3573, -0.0548, -0.1681, -0.0667,
)
LATENTS_STD = (
    0.4765, 1.0364, 0.4514, 1.1677, 0.5313, 0.4990, 0.4818, 0.5013,
    0.8158, 1.0344, 0.5894, 1.0901, 0.6885, 0.6165, 0.8454, 0.4978,
    0.5759, 0.3523, 0.7135, 0.6804, 0.5833, 1.4146, 0.8986, 0.5659,
    0.7069, 0.5338, 0.4889, 0.4917, 0.4069, 0.4999, 0.6866, 0.4093,
    0.5709, 0.6065, 0.6415, 0.4944, 0.5726, 1.2042, 0.5458, 1.6887,
    0.3971, 1.0600, 0.3943, 0.5537, 0.5444, 0.4089, 0.7468, 0.7744,
)

LATENTS_PER_CHUNK = 4           # the 5B pipeline's chunk (wan/inference/helper.py:10, CHUNK_SIZE)
DEFAULT_SIZE = (1280, 704)      # width x height of the 5B pipeline (upstream-spec.md 1.5)


@dataclass(frozen=True)
class WanVaeConfig:
    base_dim: int = 160
    decoder_base_dim: int = 256
    z_dim: int = 48
    dim_mult: tuple = (1, 2, 4, 4)
    num_res_blocks: int = 2
    temperal_downsample: tuple = (False, True, True)
    patch_size: int = 2
    image_channels: int = 3
    latents_mean: tuple = LATENTS_MEAN
    latents_std: tuple = LATENTS_STD

    def __post_init__(self):
        if len(self.latents_mean) != self.z_dim or len(self.latents_std) != self.z_dim:
            raise ValueError(f"latents_mean and latents_std need {self.z_dim} values each (z_dim), got "
                             f"{len(self.latents_mean)} and {len(self.latents_std)}")
        if len(self.temperal_downsample) != len(self.dim_mult) - 1:
            raise ValueError("temperal_downsample needs one flag per downsampling level (len(dim_mult) - 1)")

    @property
    def io_channels(self):
        """Channels the encoder takes and the decoder gives: the image patchified, 3 x patch x patch (12)."""
        return self.image_channels * self.patch_size ** 2

    @property
    def encoder_dims(self):
        return [self.base_dim * m for m in (1,) + tuple(self.dim_mult)]

    @property
    def decoder_dims(self):
        return [self.decoder_base_dim * m for m in (self.dim_mult[-1],) + tuple(reversed(self.dim_mult))]

    @property
    def temperal_upsample(self):
        return tuple(reversed(self.temperal_downsample))

    @property
    def spatial_compression(self):
        return self.patch_size * 2 ** (len(self.dim_mult) - 1)

    @property
    def temporal_compression(self):
        return 2 ** sum(self.temperal_downsample)

    def latent_size(self, width, height):
        """(w, h) of the latent grid for a video of width x height; both must divide by the compression."""
        s = self.spatial_compression
        if width <= 0 or height <= 0 or width % s or height % s:
            raise ValueError(f"video size {width}x{height} must be a positive multiple of {s} in both directions")
        return width // s, height // s


# config.json keys and the values this exporter is built for (diffusers' names)
_PUBLISHED = {
    "base_dim": 160, "decoder_base_dim": 256, "z_dim": 48, "dim_mult": [1, 2, 4, 4], "num_res_blocks": 2,
    "attn_scales": [], "temperal_downsample": [False, True, True], "is_residual": True, "in_channels": 12,
    "out_channels": 12, "patch_size": 2, "latents_mean": list(LATENTS_MEAN), "latents_std": list(LATENTS_STD),
}


def check_config_json(checkpoint_path):
    """If a config.json lies beside the checkpoint (in its folder, or the file's folder), every value above that it
    states must agree; latents_mean and latents_std are in no weight, so this is their only check."""
    path = pathlib.Path(checkpoint_path)
    config = (path if path.is_dir() else path.parent) / "config.json"
    if not config.is_file():
        return False
    stated = json.loads(config.read_text())
    wrong = [f"{key}: {stated[key]!r} (expected {value!r})" for key, value in _PUBLISHED.items()
             if key in stated and stated[key] != value]
    if wrong:
        raise ValueError(f"{config} describes a different VAE than Wan2.2-TI2V-5B's: " + "; ".join(wrong))
    return True
