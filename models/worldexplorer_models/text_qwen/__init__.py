"""The HY-WorldPlay 8B's text LLM: the language model of Qwen2.5-VL-7B-Instruct, text only, as the bundle graph
text_encoder_llm.onnx (docs/bundle-format.md), exported by export.export_llm from HY-WorldPlay's text_encoder/llm
folder, which upstream's download_models.py:77-117 fills with a snapshot of Qwen/Qwen2.5-VL-7B-Instruct (config.json,
model-0000N-of-00005.safetensors with the vision tower and lm_head too, tokenizer.json). Read from upstream
hyvideo/models/text_encoders/__init__.py and worldplay_video_pipeline.py (_load_text_encoders, encode_prompt) at
commit da2d0c2. The published files name the text model "model.<name>"; transformers 4.52+ re-saves it as
"model.language_model.<name>": the exporter detects either prefix (weights.language_model_prefix).

The graph: input_ids int64 [1, n_tokens], attention_mask int64 [1, n_tokens] -> embeds float32
[1, n_tokens, 3584], the output of decoder layer 26 of 28 (upstream's hidden state -3, no final norm) at every
position. Attention is causal, and keys whose mask is 0 are ignored; positions are 0 ... n_tokens-1 whatever the
mask (text-only multimodal RoPE). Only 26 layers are in the graph. Upstream runs the model in fp16.

What the host feeds, per prompt (constants in prompt.py):
1. Text: prompt.chat_text(p) = CHAT_PREFIX + p + CHAT_SUFFIX, an empty prompt replaced by " ". That is Qwen's chat
   template applied to [system: SYSTEM_PROMPT, user: p] with the assistant header appended:
   "<|im_start|>system\\n" + SYSTEM_PROMPT + "<|im_end|>\\n<|im_start|>user\\n" + p +
   "<|im_end|>\\n<|im_start|>assistant\\n". SYSTEM_PROMPT is the system content of upstream's
   PROMPT_TEMPLATE_ENCODE_VIDEO_JSON ("You are a helpful assistant. Describe the video by detailing the following
   aspects: ..." with five numbered aspects), character for character: its source breaks the string with
   backslash line continuations, so every numbered item is preceded by 9 spaces (one after the previous ". ",
   eight of indentation). Upstream uses the video template because the pipeline encodes with data_type="video".
2. Tokens: tokenizer_llm.json (the checkpoint's tokenizer.json, copied), no special tokens added (Qwen has no
   BOS). Pad on the right or cut the end to max_tokens = 1000 + crop_start ids; attention_mask is 1 for real
   tokens. A long prompt loses its end, the closing "<|im_end|>\\n<|im_start|>assistant\\n" first, as upstream's
   truncation does. Upstream pads with <|endoftext|> (151643); any id gives the same embeds at real tokens.
3. crop_start: the index right after the first "<|im_start|>user\\n" (ids 151644, 872, 198) in the tokenised
   text, i.e. the length of the tokenised CHAT_PREFIX. It depends only on the fixed template, so the host computes
   it once (prompt.crop_start). The host drops the first crop_start positions of embeds and of the mask and passes
   the remaining 1000 to dit_chunk as text_llm / text_llm_mask.
"""
