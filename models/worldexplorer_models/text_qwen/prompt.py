"""The text the host tokenises around a prompt, and where the prompt's tokens start.

Upstream (hyvideo/models/text_encoders/__init__.py) renders the chat [system: PROMPT_TEMPLATE_ENCODE_VIDEO_JSON's
instruction, user: prompt] with Qwen's chat template and add_generation_prompt=True (lines 421-428), pads and
truncates it on the right to 1000 + crop_start tokens (lines 406-411, max_length=1000 from
worldplay_video_pipeline.py:2208), and drops the first crop_start hidden states and mask entries (lines 493-497).
"""

# The system instruction of upstream's PROMPT_TEMPLATE_ENCODE_VIDEO_JSON (text_encoders/__init__.py:62-73). Its
# Python source continues the string over lines with a backslash, so each numbered item is preceded by the next
# line's 8-space indentation: after every ". " come 8 more spaces. These are the exact characters upstream sends.
_GAP = " " * 8
SYSTEM_PROMPT = ("You are a helpful assistant. Describe the video by detailing the following aspects: "
                 + _GAP + "1. The main content and theme of the video. "
                 + _GAP + "2. The color, shape, size, texture, quantity, text, and spatial relationships of the "
                          "objects. "
                 + _GAP + "3. Actions, events, behaviors temporal relationships, physical movement changes of the "
                          "objects. "
                 + _GAP + "4. background environment, light, style and atmosphere. "
                 + _GAP + "5. camera angles, movements, and transitions used in the video.")

# Qwen2.5-VL's chat template for a system and a user message with string content, plus the generation prompt.
CHAT_PREFIX = "<|im_start|>system\n" + SYSTEM_PROMPT + "<|im_end|>\n<|im_start|>user\n"
CHAT_SUFFIX = "<|im_end|>\n<|im_start|>assistant\n"

# "<|im_start|>user\n" in Qwen2's vocabulary; upstream's crop_start is the index right after it (lines 312-321).
USER_MARKER_IDS = (151644, 872, 198)
PAD_ID = 151643              # <|endoftext|>, the tokenizer's pad token (padded keys are masked, so any id works)
MAX_PROMPT_TOKENS = 1000     # worldplay_video_pipeline.py:2208, max_length=1000


def chat_text(prompt):
    """The string to tokenise for `prompt`; an empty prompt becomes a single space, as upstream does (line 292)."""
    return CHAT_PREFIX + (prompt if prompt else " ") + CHAT_SUFFIX


def crop_start(ids):
    """The number of leading positions (system part and the user marker) the host drops from the graph's output."""
    ids = list(ids)
    n = len(USER_MARKER_IDS)
    for i in range(len(ids) - n + 1):
        if tuple(ids[i:i + n]) == USER_MARKER_IDS:
            return i + n
    raise ValueError(f"the token ids hold no '<|im_start|>user\\n' marker {list(USER_MARKER_IDS)}: the text was not "
                     "made by chat_text() or the tokenizer is not Qwen2's")


def max_tokens(crop):
    """The padded length upstream tokenises to: the prompt budget plus the template in front of it."""
    return MAX_PROMPT_TOKENS + crop
