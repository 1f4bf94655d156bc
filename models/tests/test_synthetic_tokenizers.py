"""The hand-written tokenizer.json files of synthetic checkpoints: the exporter accepts the Qwen one, the byte
symbols sit at GPT-2's ids, and no id leaves the embedding tables. (SyntheticTokenizersTest loads them in DJL.)"""

import json
import pathlib
import tempfile
import unittest

from worldexplorer_models import synthetic_tokenizers as tokenizers
from worldexplorer_models.text_qwen.config import QWEN25_VL_7B
from worldexplorer_models.text_qwen.export import _checked_tokenizer
from worldexplorer_models.text_t5.config import UMT5_XXL


class SyntheticTokenizersTest(unittest.TestCase):

    def test_byte_symbols_are_gpt2s(self):
        symbols = tokenizers.byte_symbols()
        self.assertEqual(256, len(set(symbols)))
        self.assertEqual((0, 64, 198, 220), (symbols.index("!"), symbols.index("a"), symbols.index("Ċ"),
                                             symbols.index("Ġ")))

    def test_the_qwen_exporter_accepts_the_chat_tokenizer(self):
        data = tokenizers.qwen_chat()
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "tokenizer.json"
            path.write_text(json.dumps(data))
            self.assertEqual(path, _checked_tokenizer(pathlib.Path(tmp)))
        vocab = data["model"]["vocab"]
        self.assertEqual(len(vocab), len(set(vocab.values())), "one token per id")
        for token in data["added_tokens"]:
            self.assertEqual(token["id"], vocab[token["content"]], "added tokens keep their id in the model")
        self.assertEqual(151645, tokenizers.largest_id(data))
        self.assertLess(tokenizers.largest_id(data), QWEN25_VL_7B.vocab)

    def test_the_umt5_tokenizer_stays_inside_the_table(self):
        data = tokenizers.umt5()
        pieces = [piece for piece, _ in data["model"]["vocab"]]
        self.assertEqual(["<pad>", "</s>", "<unk>"], pieces[:3])
        self.assertEqual(len(pieces), len(set(pieces)))
        self.assertEqual(len(pieces) - 1, tokenizers.largest_id(data))
        self.assertLess(tokenizers.largest_id(data), UMT5_XXL.vocab_size)


if __name__ == "__main__":
    unittest.main()
