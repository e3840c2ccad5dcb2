"""User-facing strings of the answering stage, in Chinese and English.

Every phrase a user (or a tool comparing outputs) sees comes from here, so wording stays
consistent between the extractive answerer, the LLM prompt and the citation checker.
"""

from __future__ import annotations

import re

NOT_IN_SOURCES = {
    "zh": "我掌握的记录无法回答这个问题。",
    "en": "The records I have do not answer this question.",
}

_STRINGS: dict[str, dict[str, str]] = {
    "not_in_sources": NOT_IN_SOURCES,
    "closest": {"zh": "最接近的记录：", "en": "Closest records:"},
    "unsupported_flag": {"zh": " [未经核实]", "en": " [unsupported]"},
    # Cross-language quoting: the answer is in the question's language, the quote in the source's.
    "quote_zh_source": {"zh": "据中文文本：“{quote}”", "en": "According to the Chinese text: “{quote}”"},
    "quote_en_source": {"zh": "据英文文本：“{quote}”", "en": "According to the English text: “{quote}”"},
    "quote_other_source": {"zh": "据{language}文本：“{quote}”", "en": "According to the {language} text: “{quote}”"},
    "footnote": {"zh": "（脚注{number}：{text}）", "en": " (footnote {number}: {text})"},
    "paragraph": {"zh": "第{n}段", "en": "para. {n}"},
    "note_structured": {
        "zh": "此回答直接取自文件记录（表决、日期、段落或计数），未经语言模型改写。",
        "en": "This answer is read directly from the document records (vote, date, paragraph or count), "
              "not rephrased by the language model.",
    },
    "note_llm_fallback": {
        "zh": "语言模型的回答没有可核实的引用，已改用摘录式回答。",
        "en": "The language model's answer had no verifiable citations; showing an extractive answer instead.",
    },
    "note_llm_error": {
        "zh": "语言模型调用失败（{error}），已改用摘录式回答。",
        "en": "The language model call failed ({error}); showing an extractive answer instead.",
    },
    "note_invalid_markers": {
        "zh": "已删除指向未提供来源的引用标记：{markers}。",
        "en": "Removed citation markers that point to no given source: {markers}.",
    },
    "note_unsupported": {
        "zh": "有{count}句回答未能在所引来源中核实。",
        "en": "{count} answer sentence(s) could not be verified against the cited sources.",
    },
}

LANGUAGE_NAMES = {
    "zh": {"zh": "中文", "en": "英文", "fr": "法文", "es": "西班牙文", "ru": "俄文", "ar": "阿拉伯文"},
    "en": {"zh": "Chinese", "en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "ar": "Arabic"},
}



def ui_lang(lang: str | None) -> str:
    """The language messages are shown in: Chinese for 'zh', English for anything else."""
    return "zh" if (lang or "").startswith("zh") else "en"


def msg(key: str, lang: str | None, **kwargs) -> str:
    """The message `key` in the question's language, formatted with `kwargs`."""
    return _STRINGS[key][ui_lang(lang)].format(**kwargs)


def language_name(code: str, in_lang: str | None) -> str:
    return LANGUAGE_NAMES[ui_lang(in_lang)].get(code, code)


def detect_lang(text: str) -> str:
    """'zh' or 'en': the one rule of the app (ingest.lang), so a question never gets its retrieval
    language from one rule and its answer language from another."""
    from ingest.lang import detect_lang as detect

    return detect(text)


def is_not_in_sources(text: str) -> bool:
    """Whether `text` is (just) the "not in the sources" phrase, in either language."""
    t = re.sub(r"[\s\"“”'*_`]+", "", text or "").rstrip("。.!！")
    if not t:
        return False
    for phrase in NOT_IN_SOURCES.values():
        p = re.sub(r"\s+", "", phrase).rstrip("。.")
        if t == p or (t.startswith(p) and len(t) <= len(p) + 4):
            return True
    return False
