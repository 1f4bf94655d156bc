"""The T5-family text encoders of the two HY-WorldPlay variants, as one module with Hugging Face's parameter names,
exported to the bundle's text_encoder_<stream>.onnx: input_ids int64 [1, n_tokens], attention_mask int64
[1, n_tokens] -> embeds float32 [1, n_tokens, d].

| variant | upstream use | checkpoint | d | tokens | position bias | padded rows |
|---|---|---|---|---|---|---|
| byt5 | 8B glyph stream | Glyph-SDXL-v2/checkpoints/byt5_model.pt | 1472 | 256 | block 0's, shared | as computed |
| umt5 | 5B text stream | Wan2.2-TI2V-5B-Diffusers/text_encoder | 4096 | 512 | one per layer | zeros |

Both graphs return the encoder's last hidden state after the final layer norm: upstream takes `byt5_model(...)[0]`
of a T5Stack (hyvideo/pipelines/worldplay_video_pipeline.py:652-653) and `text_encoder(...).last_hidden_state` of
a UMT5EncoderModel, whose rows past the prompt it replaces with zeros
(wan/inference/pipeline_wan_w_mem_relative_rope.py:145-155). Upstream runs byT5 in float32 (loaded without a
dtype, no autocast around it) and UMT5 in bfloat16 (wan/generate.py:118-119). Export umt5 as bf16 or fp32: T5
v1.1-style XXL activations are known to overflow fp16, which Hugging Face papers over by clamping infinities in
fp16 only; the fp16 graph does not clamp.

What the host must do before each graph:

byt5, stream for the 8B's glyph text (upstream `_process_single_byt5_prompt`, pipeline :620-656):
  1. Take the text between straight "..." or curly “...” quotes in the prompt; with more than one, drop repeats
     keeping first occurrences. With none, do not run the graph: the stream's embeds and mask are all zeros.
  2. Join the pieces as `Text "<piece>". ` each (note the trailing space), in order.
  3. Tokenise byte by byte (ByT5Tokenizer; google/byt5-small ships no tokenizer.json): id = UTF-8 byte + 3
     (0 pad, 1 eos </s>, 2 unk), then append eos 1. Keep at most 255 bytes so the eos still fits in 256.
     Pad with 0 to 256 tokens; attention_mask is 1 for the bytes and the eos, 0 for padding.
     Upstream's tokenizer also knows 1126 added tokens, `<color-0>`...`<color-137>` (ids 384-521) and
     `<xx-font-N>` (ids 522-1509), matched before bytes like its `</s>`, `<pad>`, `<unk>` and `<extra_id_N>`;
     upstream's own formatting never produces them, so a byte-level host differs only when the quoted text
     itself spells one of them.
  The manifest's tokenizer for this stream therefore cannot be a tokenizer.json; the host implements the rule
  above.

umt5, stream for the 5B's prompt (upstream `_get_t5_prompt_embeds`, pipeline :118-165):
  1. Clean the prompt: ftfy's fix_text, HTML-unescape twice, strip, collapse every run of whitespace to one
     space (`prompt_clean`, :57-71). An empty prompt stays empty (the negative prompt is "").
  2. Tokenise with Wan2.2-TI2V-5B-Diffusers/tokenizer/tokenizer.json (T5TokenizerFast of google/umt5-xxl, a
     SentencePiece Unigram model; copy it into the bundle as the stream's tokenizer file). It appends eos </s> (id 1); a
     longer prompt keeps its first 511 tokens and the eos. Pad with 0 (<pad>) to 512; attention_mask is 1 for
     the prompt's tokens and the eos.
  The graph zeroes the embeds of padded positions, as upstream does.
"""
