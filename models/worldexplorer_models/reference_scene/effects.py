"""Prompt effects: the vocabulary of the `simple` tokenizer, its embedding table, and the styling of a view.

An embedding is a vector of EFFECTS strengths. The DiT sums the masked token vectors of a prompt, so synonyms
share an effect, repeated words do not stack past 1, "heavy"/"light" scale every effect, and a word like "stops"
cancels the prompt's effects ("the snow stops" gives the plain scene back).
"""

import torch

EFFECTS = ("fog", "night", "snow", "sunset", "storm", "rain", "sunny", "cancel", "intensity")
DIM = len(EFFECTS)

_WORDS = {
    "fog": ("fog", "foggy", "mist", "misty", "haze", "hazy", "smoke", "smoky", "steam"),
    "night": ("night", "nighttime", "dark", "darkness", "midnight", "moon", "moonlight", "moonlit", "stars",
              "starry", "nocturnal"),
    "snow": ("snow", "snowy", "snowing", "snows", "snowfall", "snowflakes", "snowflake", "winter", "wintry",
             "frost", "frosty", "ice", "icy", "hail"),
    "sunset": ("sunset", "sunrise", "dawn", "golden", "warm", "orange", "sundown", "twilight"),
    "storm": ("storm", "stormy", "thunder", "thunderstorm", "lightning", "clouds", "cloudy", "overcast",
              "gloomy", "grey", "gray"),
    "rain": ("rain", "rainy", "raining", "rains", "drizzle", "downpour", "shower", "showers", "wet", "rainfall"),
    "sunny": ("sunny", "sun", "sunshine", "sunlight", "bright", "clear", "daylight", "day", "noon", "summer"),
    "cancel": ("stop", "stops", "stopped", "end", "ends", "ended", "clears", "cleared", "no", "not", "without",
               "gone", "fades", "vanishes", "disappears", "normal"),
}
_MIXED = {  # words that mean a blend of effects
    "dusk": {"sunset": 0.7, "night": 0.35},
    "evening": {"sunset": 0.5, "night": 0.3},
    "blizzard": {"snow": 1.0, "storm": 0.6, "fog": 0.4},
    "thunderstorm": {"storm": 1.0, "rain": 0.8},
    "sleet": {"snow": 0.5, "rain": 0.6},
    "autumn": {"sunset": 0.4},
}
_INTENSITY = {
    "heavy": 0.5, "heavily": 0.5, "thick": 0.5, "dense": 0.5, "strong": 0.5, "very": 0.4, "deep": 0.4,
    "intense": 0.5, "hard": 0.4, "lots": 0.4, "light": -0.5, "lightly": -0.5, "slight": -0.5, "slightly": -0.5,
    "thin": -0.4, "soft": -0.3, "gentle": -0.4, "little": -0.4, "faint": -0.5, "bit": -0.3,
}


def vocabulary():
    """Token list (index 0 "<pad>", 1 "<unk>") and the matching [V, DIM] embedding table."""
    rows = {}
    for effect, words in _WORDS.items():
        for word in words:
            rows.setdefault(word, {})[effect] = 1.0
    for word, mix in _MIXED.items():
        rows[word] = dict(mix)
    for word, amount in _INTENSITY.items():
        rows[word] = {"intensity": amount}
    vocab = ["<pad>", "<unk>"] + sorted(rows)
    table = torch.zeros(len(vocab), DIM)
    for index, word in enumerate(vocab[2:], start=2):
        for effect, amount in rows[word].items():
            table[index, EFFECTS.index(effect)] = amount
    return vocab, table


def tokenize(prompt: str, vocab, max_tokens: int):
    """The `simple` tokenizer of docs/bundle-format.md: ids and mask, each a list of max_tokens ints."""
    import re
    index = {word: i for i, word in enumerate(vocab)}
    words = [w for w in re.split(r"[^0-9a-z]+", prompt.lower()) if w][:max_tokens]
    ids = [index.get(w, 1) for w in words]
    return ids + [0] * (max_tokens - len(ids)), [1] * len(ids) + [0] * (max_tokens - len(ids))


def pooled_strengths(text: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """[1, n, DIM] embeddings and [1, n] mask -> [7] effect strengths in [0, 1.5], cancel and intensity applied."""
    total = (text * mask[:, :, None]).sum(1)[0]
    effects = torch.clamp(total[:7], 0.0, 1.0)
    cancel = torch.clamp(total[7], 0.0, 1.0)
    intensity = torch.clamp(total[8], -0.6, 0.6)
    return torch.clamp(effects * (1.0 + intensity) * (1.0 - cancel), 0.0, 1.5)


_LUMA = torch.tensor([[0.299, 0.587, 0.114]]).repeat(3, 1)  # p -> its luma in every channel
_EYE = torch.eye(3)


def _rgb(r, g, b):
    return torch.tensor([r, g, b])


def _then(first, second):
    """Compose affine colour maps (M, b): p -> M p + b; `second` applies after `first`."""
    return torch.matmul(second[0], first[0]), torch.matmul(second[0], first[1]) + second[1]


def _towards(target_matrix, target_bias, amount):
    """p -> lerp(p, T p + t, amount)."""
    return _EYE + amount * (target_matrix - _EYE), amount * target_bias


def _colour_maps(strengths):
    """The per-pixel-independent part of the effects, as one affine map for sky and one for ground.

    Every such effect (brightness, saturation, tint, blending toward a colour) is affine in the colour, so the
    chain folds into a 3x3 matrix and an offset, and the full-size image is touched only once.
    """
    fog, night, snow, sunset, storm, rain, sunny = [strengths[i] for i in range(7)]
    zero = torch.zeros(3)
    unit = (0.5 * _EYE, torch.full((3,), 0.5))  # [-1, 1] -> [0, 1]
    sunny_map = ((1.0 + 0.12 * sunny) * (_EYE + 0.3 * sunny * (_EYE - _LUMA)), zero)
    sunset_map = (_EYE * (1.0 + sunset * _rgb(0.16, -0.06, -0.32))[None, :], zero)
    storm_tint = _towards(_rgb(0.82, 0.86, 0.95)[:, None] * _LUMA, zero, 0.6 * storm)
    rain_map = _towards(_rgb(0.85, 0.9, 1.0)[:, None] * _LUMA, zero, 0.35 * rain)
    rain_map = ((1.0 - 0.2 * rain) * rain_map[0], zero)
    shared = _then(_then(_then(_then(unit, sunny_map), sunset_map), storm_tint), rain_map)
    sky = _then(shared, ((1.0 - 0.65 * storm) * _EYE, zero))
    sky = _then(sky, _towards(torch.zeros(3, 3), _rgb(0.86, 0.9, 0.96), 0.35 * snow))
    ground = _then(shared, ((1.0 - 0.4 * storm) * _EYE, zero))
    ground = _then(ground, _towards(0.22 * _LUMA, torch.full((3,), 0.78), 0.65 * snow))
    return sky, ground


def stylise(base, strengths, depth, on_ground, up, noise):
    """The styled view.

    base [T, 3, H, W] in [-1, 1]; strengths [7]; depth, on_ground, up [T, 1, H, W] (ray length to the proxy,
    1 where the ray meets the ground, how far the ray points up); noise [T, 3, H, W], the chunk's seeded noise
    per pixel, which places snowflakes and raindrops.
    """
    fog, night, snow, sunset, storm, rain, sunny = [strengths[i] for i in range(7)]
    sky_map, ground_map = _colour_maps(strengths)
    frames, _, height, width = base.shape
    flat = base.reshape(frames, 3, -1)
    as_ground = torch.matmul(ground_map[0], flat) + ground_map[1][:, None]
    as_sky = torch.matmul(sky_map[0], flat) + sky_map[1][:, None]
    sky = (1.0 - on_ground).reshape(frames, 1, -1)
    p = as_ground + sky * (as_sky - as_ground)

    glow = torch.exp(-6.0 * torch.abs(up)).reshape(frames, 1, -1) * sky
    p = p + (sunset * 0.3 * _rgb(1.0, 0.45, 0.1))[None, :, None] * glow

    drops = (noise[:, 1:2] > 2.6).to(base.dtype)
    streaks = torch.clamp(torch.nn.functional.avg_pool2d(drops, (13, 1), 1, (6, 0)) * 6.0, 0.0, 1.0)
    flakes = torch.nn.functional.max_pool2d((noise[:, 0:1] > 2.75).to(base.dtype), 3, 1, 1)
    rain_amount = (0.45 * rain * streaks).reshape(frames, 1, -1)
    snow_amount = (0.9 * torch.clamp(snow, max=1.0) * flakes).reshape(frames, 1, -1)
    p = p + rain_amount * (_rgb(0.75, 0.8, 0.88)[None, :, None] - p)
    p = p + snow_amount * (_rgb(0.98, 0.98, 1.0)[None, :, None] - p)

    haze = torch.clamp(fog * (0.1 + 0.6 * (1.0 - torch.exp(-depth / 3.0))), max=0.9).reshape(frames, 1, -1)
    p = p + haze * (_rgb(0.78, 0.8, 0.83)[None, :, None] - p)

    night_gain = 1.0 + torch.clamp(night, max=1.0) * (_rgb(0.2, 0.27, 0.42) - 1.0)
    styled = torch.clamp(p * (2.0 * night_gain)[None, :, None] - 1.0, -1.0, 1.0)
    return styled.reshape(frames, 3, height, width)
