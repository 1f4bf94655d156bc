"""Space-to-depth between RGB images and latent grids: channel (c*16 + i)*16 + j holds pixel (16y + i, 16x + j).

Reshapes keep every size fixed except one -1, so they stay valid in ONNX when a dynamic size is 0.
"""

import torch

from .config import LATENT_HEIGHT as LH, LATENT_WIDTH as LW, PATCH as P, VIDEO_HEIGHT as H, VIDEO_WIDTH as W


def latents_to_images(view: torch.Tensor) -> torch.Tensor:
    """[768, T, h, w] -> [T, 3, H, W]."""
    x = view.reshape(3, P, P, -1, LH, LW).permute(3, 0, 4, 1, 5, 2)
    return x.reshape(-1, 3, H, W)


def latents_to_channel_first_images(view: torch.Tensor) -> torch.Tensor:
    """[768, T, h, w] -> [3, T, H, W], the layout of decoded frames."""
    x = view.reshape(3, P, P, -1, LH, LW).permute(0, 3, 4, 1, 5, 2)
    return x.reshape(3, -1, H, W)


def images_to_latents(images: torch.Tensor) -> torch.Tensor:
    """[T, 3, H, W] -> [768, T, h, w]."""
    x = images.reshape(-1, 3, LH, P, LW, P).permute(1, 3, 5, 0, 2, 4)
    return x.reshape(3 * P * P, -1, LH, LW)
