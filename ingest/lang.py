"""Language detection for extracted text: Chinese or English.

The corpus holds only Chinese and English editions, and the two are told apart reliably by how
much of the text is CJK ideographs. A ratio (not "any CJK at all") is used because English
documents quote Chinese names now and then, and Chinese documents are full of Latin symbols
(`S/2020/514`, `COVID-19`).
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")

# Share of CJK among letters above which the text is Chinese. Chinese Repertoire text sits
# around 0.9; English text with a stray Chinese name stays far below 0.1.
ZH_THRESHOLD = 0.3


def detect_lang(text: str) -> str:
    """Return 'zh' when CJK ideographs make up a real share of the letters, else 'en'."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk == 0:
        return "en"
    return "zh" if cjk / (cjk + latin) >= ZH_THRESHOLD else "en"
