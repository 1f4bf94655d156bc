"""A second, independent reading of diffusers' AutoencoderKLWan (autoencoder_kl_wan.py v0.35.0, D below) that the
tests hold our modules against. It follows upstream's control flow step by step: a feat_cache list indexed by a
running counter, None for "nothing cached yet", the "Rep" marker of the temporal upsamplers, zero padding via
F.pad, 2D layers run frame by frame on [B T, C, H, W], repeat_interleave, torch.chunk. It only borrows the
weights of our modules, never their forward code.
"""

import torch
import torch.nn.functional as F

CACHE_T = 2


def causal_conv(conv, x, cache=None):
    """WanCausalConv3d.forward (D:169-176)."""
    pt = conv.weight.shape[2] - 1
    ph, pw = conv.weight.shape[3] // 2, conv.weight.shape[4] // 2
    padding = [pw, pw, ph, ph, pt, 0]
    if cache is not None and pt > 0:
        x = torch.cat([cache, x], dim=2)
        padding[4] -= cache.shape[2]
    return F.conv3d(F.pad(x, padding), conv.weight, conv.bias, conv.stride)


def rms_norm(norm, x):
    """WanRMS_norm.forward (D:201-202), with the gamma shape upstream has (images: (C, 1, 1))."""
    gamma = norm.gamma
    if x.dim() == 4:
        gamma = gamma.reshape(-1, 1, 1)
    return F.normalize(x, dim=1) * norm.scale * gamma


def cached_conv(conv, x, state):
    """The cache handling every cached conv repeats in upstream (e.g. D:351-360)."""
    cache, idx = state["cache"], state["idx"]
    cache_x = x[:, :, -CACHE_T:].clone()
    if cache_x.shape[2] < 2 and cache[idx] is not None:
        cache_x = torch.cat([cache[idx][:, :, -1:], cache_x], dim=2)
    y = causal_conv(conv, x, cache[idx])
    cache[idx] = cache_x
    state["idx"] += 1
    return y


def residual(block, x, state):
    """WanResidualBlock.forward (D:342-382)."""
    h = x if block.conv_shortcut is None else causal_conv(block.conv_shortcut, x)
    x = cached_conv(block.conv1, F.silu(rms_norm(block.norm1, x)), state)
    x = cached_conv(block.conv2, F.silu(rms_norm(block.norm2, x)), state)
    return x + h


def attention(block, x):
    """WanAttentionBlock.forward (D:402-427)."""
    identity = x
    b, c, t, h, w = x.size()
    x = x.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w)
    x = rms_norm(block.norm, x)
    qkv = F.conv2d(x, block.to_qkv.weight, block.to_qkv.bias)
    qkv = qkv.reshape(b * t, 1, c * 3, -1).permute(0, 1, 3, 2).contiguous()
    q, k, v = qkv.chunk(3, dim=-1)
    weights = torch.softmax(q @ k.transpose(-1, -2) / c ** 0.5, dim=-1)
    x = (weights @ v).squeeze(1).permute(0, 2, 1).reshape(b * t, c, h, w)
    x = F.conv2d(x, block.proj.weight, block.proj.bias)
    return x.view(b, t, c, h, w).permute(0, 2, 1, 3, 4) + identity


def mid(block, x, state):
    x = residual(block.resnets[0], x, state)
    return residual(block.resnets[1], attention(block.attentions[0], x), state)


def frames_2d(fn, x):
    b, c, t, h, w = x.size()
    y = fn(x.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w))
    return y.view(b, t, y.size(1), y.size(2), y.size(3)).permute(0, 2, 1, 3, 4)


def upsample(resample, x, state):
    """WanResample.forward, upsample modes (D:265-296)."""
    b, c, t, h, w = x.size()
    conv2d = resample.resample[1]
    if resample.mode == "upsample3d":
        cache, idx = state["cache"], state["idx"]
        if cache[idx] is None:
            cache[idx] = "Rep"
            state["idx"] += 1
        else:
            cache_x = x[:, :, -CACHE_T:].clone()
            if cache_x.shape[2] < 2 and not isinstance(cache[idx], str):
                cache_x = torch.cat([cache[idx][:, :, -1:], cache_x], dim=2)
            if cache_x.shape[2] < 2 and isinstance(cache[idx], str):
                cache_x = torch.cat([torch.zeros_like(cache_x), cache_x], dim=2)
            if isinstance(cache[idx], str):
                x = causal_conv(resample.time_conv, x)
            else:
                x = causal_conv(resample.time_conv, x, cache[idx])
            cache[idx] = cache_x
            state["idx"] += 1
            x = x.reshape(b, 2, c, t, h, w)
            x = torch.stack((x[:, 0], x[:, 1]), 3).reshape(b, c, t * 2, h, w)
    return frames_2d(lambda f: F.conv2d(F.interpolate(f, scale_factor=2.0, mode="nearest-exact"),
                                        conv2d.weight, conv2d.bias, padding=1), x)


def dup_up(x, cout, factor_t, factor_s, first):
    """DupUp3D.forward (D:109-131)."""
    repeats = cout * factor_t * factor_s * factor_s // x.size(1)
    x = x.repeat_interleave(repeats, dim=1)
    x = x.view(x.size(0), cout, factor_t, factor_s, factor_s, x.size(2), x.size(3), x.size(4))
    x = x.permute(0, 1, 5, 2, 6, 3, 7, 4).contiguous()
    x = x.view(x.size(0), cout, x.size(2) * factor_t, x.size(4) * factor_s, x.size(6) * factor_s)
    return x[:, :, factor_t - 1:] if first else x


def decoder_step(vae, z, state, first):
    """WanDecoder3d.forward (D:874-909) after post_quant_conv (D:1207), for one latent."""
    decoder = vae.decoder
    state["idx"] = 0
    x = cached_conv(decoder.conv_in, causal_conv(vae.post_quant_conv, z), state)
    x = mid(decoder.mid_block, x, state)
    for block in decoder.up_blocks:
        x_copy = x.clone()
        for resnet in block.resnets:
            x = residual(resnet, x, state)
        if block.upsampler is not None:
            x = upsample(block.upsampler, x, state)
            cout = block.resnets[-1].conv2.out_channels
            temporal = 2 if block.upsampler.mode == "upsample3d" else 1
            x = x + dup_up(x_copy, cout, temporal, 2, first)
    x = F.silu(rms_norm(decoder.norm_out, x))
    return cached_conv(decoder.conv_out, x, state)


def unpatchify(x, p):
    """D:935-952."""
    b, cpp, f, h, w = x.shape
    x = x.view(b, cpp // (p * p), p, p, f, h, w).permute(0, 1, 4, 5, 3, 6, 2).contiguous()
    return x.view(b, cpp // (p * p), f, h * p, w * p)


def patchify(x, p):
    """D:912-932."""
    b, c, f, h, w = x.shape
    x = x.view(b, c, f, h // p, p, w // p, p).permute(0, 1, 6, 4, 2, 3, 5).contiguous()
    return x.view(b, c * p * p, f, h // p, w // p)


def decode_streaming(vae, latents, chunk_starts_video):
    """HY-WorldPlay's MyVAE._decode (wan/inference/helper.py:25-70) called once per latent, as
    decode_next_latent does (pipeline_wan_w_mem_relative_rope.py:406-465): raw latents [B, z, T, h, w] ->
    clamped frames. `chunk_starts_video` clears the cache first; otherwise `vae._reference_cache` goes on."""
    if chunk_starts_video or not hasattr(vae, "_reference_cache"):
        vae._reference_cache = [None] * 64
    state = {"cache": vae._reference_cache, "idx": 0}
    out = []
    for i in range(latents.shape[2]):
        first = chunk_starts_video and i == 0
        out.append(decoder_step(vae, latents[:, :, i: i + 1], state, first))
    frames = unpatchify(torch.cat(out, dim=2), vae.config.patch_size)
    return frames.clamp(-1.0, 1.0)


def avg_down(x, cout, factor_t, factor_s):
    """AvgDown3D.forward (D:55-87)."""
    pad_t = (factor_t - x.shape[2] % factor_t) % factor_t
    x = F.pad(x, (0, 0, 0, 0, pad_t, 0))
    b, c, t, h, w = x.shape
    x = x.view(b, c, t // factor_t, factor_t, h // factor_s, factor_s, w // factor_s, factor_s)
    x = x.permute(0, 1, 3, 5, 7, 2, 4, 6).contiguous()
    factor = factor_t * factor_s * factor_s
    x = x.view(b, c * factor, t // factor_t, h // factor_s, w // factor_s)
    x = x.view(b, cout, c * factor // cout, t // factor_t, h // factor_s, w // factor_s)
    return x.mean(dim=2)


def encode_mean(vae, image):
    """AutoencoderKLWan._encode (D:1145-1168) of one frame, then the posterior's mean (vae.py
    DiagonalGaussianDistribution: torch.chunk(parameters, 2, dim=1))."""
    encoder = vae.encoder
    state = {"cache": [None] * 64, "idx": 0}
    x = patchify(image[:, :, None], vae.config.patch_size)
    x = cached_conv(encoder.conv_in, x, state)
    for block in encoder.down_blocks:
        x_copy = x.clone()
        for resnet in block.resnets:
            x = residual(resnet, x, state)
        if block.downsampler is not None:
            conv2d = block.downsampler.resample[1]
            x = frames_2d(lambda f: F.conv2d(F.pad(f, (0, 1, 0, 1)), conv2d.weight, conv2d.bias, stride=2), x)
            if block.downsampler.mode == "downsample3d":
                # first call: the frame is stored, time_conv does not run (D:297-303)
                state["cache"][state["idx"]] = x.clone()
                state["idx"] += 1
        cout = block.resnets[-1].conv2.out_channels
        temporal = 2 if block.downsampler is not None and block.downsampler.mode == "downsample3d" else 1
        x = x + avg_down(x_copy, cout, temporal, 2 if block.downsampler is not None else 1)
    x = mid(encoder.mid_block, x, state)
    x = cached_conv(encoder.conv_out, F.silu(rms_norm(encoder.norm_out, x)), state)
    moments = causal_conv(vae.quant_conv, x)
    mean, _ = torch.chunk(moments, 2, dim=1)
    return mean[:, :, 0]
