"""ByT5's byte-level tokenisation as upstream calls it (padding="max_length", truncation, eos appended): the rule
the host implements for the glyph stream, written out for golden inputs and tests."""

PAD, EOS, OFFSET = 0, 1, 3


def byt5_tokens(text, max_tokens):
    """(ids, mask) lists of length max_tokens: UTF-8 bytes + 3, cut so eos (1) still fits, then padding (0)."""
    ids = [b + OFFSET for b in text.encode("utf-8")][:max_tokens - 1] + [EOS]
    mask = [1] * len(ids) + [0] * (max_tokens - len(ids))
    return ids + [PAD] * (max_tokens - len(ids)), mask


def glyph_prompt(texts):
    """Upstream's MultilingualPromptFormat with no colour or font: 'Text "<t>". ' per quoted piece."""
    return "".join(f'Text "{t}". ' for t in texts)
