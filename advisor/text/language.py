"""Which language a description is written in: en, zh, mixed or unknown.

Chinese descriptions routinely carry English model names ("微调BERT做情感分类"), so a few Latin
words do not make a Chinese text mixed: the share is weighed with about two Han characters to
one English word, which is roughly how many characters a Chinese word takes.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "zh", "mixed", "unknown"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-zA-Z]{2,}")
_HAN_CHARS_PER_WORD = 2.0
#: At or above this share of English words a text is English; at or below the lower, Chinese.
_ENGLISH_SHARE = 0.8
_CHINESE_SHARE = 0.4


def detect_language(text: str) -> Language:
    han_words = len(_HAN.findall(text)) / _HAN_CHARS_PER_WORD
    latin_words = len(_LATIN_WORD.findall(text))
    if han_words == 0 and latin_words == 0:
        return "unknown"
    english_share = latin_words / (latin_words + han_words)
    if english_share >= _ENGLISH_SHARE:
        return "en"
    if english_share <= _CHINESE_SHARE:
        return "zh"
    return "mixed"
