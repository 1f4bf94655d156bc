"""The byT5 byte-level tokenisation the glyph stream's host applies (text_t5 package docstring)."""

import unittest

from worldexplorer_models.text_t5.byte_tokens import byt5_tokens, glyph_prompt


class ByteTokensTest(unittest.TestCase):
    def test_bytes_are_offset_by_three_and_closed_by_eos(self):
        ids, mask = byt5_tokens("Hi", 6)
        self.assertEqual(ids, [ord("H") + 3, ord("i") + 3, 1, 0, 0, 0])
        self.assertEqual(mask, [1, 1, 1, 0, 0, 0])

    def test_multibyte_characters_give_one_token_per_utf8_byte(self):
        ids, mask = byt5_tokens("é世", 8)
        self.assertEqual(ids, [0xC3 + 3, 0xA9 + 3, 0xE4 + 3, 0xB8 + 3, 0x96 + 3, 1, 0, 0])
        self.assertEqual(sum(mask), 6)

    def test_a_long_text_is_cut_so_the_eos_still_fits(self):
        ids, mask = byt5_tokens("x" * 300, 256)
        self.assertEqual(len(ids), 256)
        self.assertEqual(ids[254:], [ord("x") + 3, 1])
        self.assertEqual(sum(mask), 256)

    def test_glyph_prompt_matches_upstreams_format(self):
        self.assertEqual(glyph_prompt(["OPEN", "café"]), 'Text "OPEN". Text "café". ')


if __name__ == "__main__":
    unittest.main()
