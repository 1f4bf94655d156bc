"""Small tokenizer.json files in the Hugging Face format, written by hand, for synthetic checkpoints: the Java host
loads them with DJL's tokenizers like the published ones, and every id they make lies inside the synthetic
embedding tables.

qwen_chat(): a byte-level BPE as Qwen2's (the 256 byte symbols at GPT-2's ids, so "\\n" is "Ċ" = 198) with a few
merges that make "user" = 872, and the special tokens of the chat template at Qwen2's ids. The exporter checks those
ids (text_qwen.export._checked_tokenizer), and the host counts crop_start up to "<|im_start|>user\\n".

umt5(): a Unigram model with a Metaspace pre-tokenizer and "</s>" appended, as T5's and UMT5's tokenizers are built,
over letters, digits, punctuation and a few whole words; anything else is <unk>.
"""

import string

from .text_qwen import prompt as qwen_prompt

QWEN_SPECIAL = {"<|endoftext|>": qwen_prompt.PAD_ID, "<|im_start|>": qwen_prompt.USER_MARKER_IDS[0],
                "<|im_end|>": qwen_prompt.USER_MARKER_IDS[0] + 1}
# Merge results and their ids: "user" and "Ċ" are Qwen2's (the exporter insists on them); the others are free ids.
_QWEN_MERGES = (("u", "s", 355), ("e", "r", 261), ("us", "er", qwen_prompt.USER_MARKER_IDS[1]))

UMT5_PAD, UMT5_EOS, UMT5_UNK = 0, 1, 2
UMT5_WORDS = ("a", "the", "of", "and", "in", "to", "on", "with", "storm", "snow", "sea", "forest", "city", "night",
              "light", "rolls", "starts", "village", "mountain", "river", "sky", "over", "at", "sunset")


def byte_symbols():
    """GPT-2's byte symbols in id order: the printable bytes as themselves, then the other bytes, in byte order, as
    U+0100 and up (byte 10 is "Ċ" at id 198)."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    others = [b for b in range(256) if b not in printable]
    return [chr(b) for b in printable] + [chr(256 + i) for i in range(len(others))]


def qwen_chat():
    """A tokenizer.json for the 8B's LLM stream."""
    vocab = {symbol: i for i, symbol in enumerate(byte_symbols())}
    for left, right, index in _QWEN_MERGES:
        vocab[left + right] = index
    # In the model's vocabulary too: the library numbers an added token that is not there after the last id.
    vocab.update(QWEN_SPECIAL)
    added = [{"id": index, "content": token, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for token, index in QWEN_SPECIAL.items()]
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": True}
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": {"type": "NFC"}, "pre_tokenizer": byte_level,
            "post_processor": dict(byte_level, use_regex=False), "decoder": dict(byte_level, use_regex=False),
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                      "vocab": vocab, "merges": [f"{left} {right}" for left, right, _ in _QWEN_MERGES]}}


def umt5():
    """A tokenizer.json for the 5B's UMT5 stream."""
    specials = ["<pad>", "</s>", "<unk>"]
    pieces = [[token, 0.0] for token in specials] + [["▁", -2.0]]
    pieces += [[c, -5.0] for c in string.ascii_letters + string.digits + string.punctuation]
    pieces += [["▁" + word, -3.0] for word in UMT5_WORDS]
    added = [{"id": index, "content": token, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for index, token in enumerate(specials)]
    metaspace = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}
    eos = {"SpecialToken": {"id": "</s>", "type_id": 0}}
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
            "pre_tokenizer": metaspace,
            "post_processor": {"type": "TemplateProcessing",
                               "single": [{"Sequence": {"id": "A", "type_id": 0}}, eos],
                               "pair": [{"Sequence": {"id": "A", "type_id": 0}}, eos,
                                        {"Sequence": {"id": "B", "type_id": 0}}, eos],
                               "special_tokens": {"</s>": {"id": "</s>", "ids": [UMT5_EOS], "tokens": ["</s>"]}}},
            "decoder": metaspace,
            "model": {"type": "Unigram", "unk_id": UMT5_UNK, "vocab": pieces, "byte_fallback": False}}


def largest_id(tokenizer):
    """The largest id a tokenizer.json can produce."""
    model = tokenizer["model"]
    ids = list(model["vocab"].values()) if isinstance(model["vocab"], dict) else [len(model["vocab"]) - 1]
    return max(ids + [t["id"] for t in tokenizer["added_tokens"]])


def main(argv=None):
    """python3 -m worldexplorer_models.synthetic_tokenizers --out DIR: writes DIR/qwen_chat.json and DIR/umt5.json."""
    import argparse
    import json
    import pathlib
    p = argparse.ArgumentParser(description="Write the synthetic tokenizer.json files.")
    p.add_argument("--out", required=True, type=pathlib.Path)
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in (("qwen_chat", qwen_chat), ("umt5", umt5)):
        (args.out / f"{name}.json").write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
