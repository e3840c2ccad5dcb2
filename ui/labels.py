"""Bilingual (Chinese / English) strings of the web UI.

Every label a user sees on the projector comes from here, shown as "中文 English" so a mixed
audience can read it. Answer wording itself (abstention phrase, unsupported flag) belongs to
`rag.messages`; these are only the UI's own labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

L: dict[str, str] = {
    "title": "安理会记录问答 · UN Security Council records",
    "subtitle": "回答均引用来源，请核对原文 · Every answer cites its sources — check them",
    "chat": "对话 Conversation",
    "question": "问题 Question",
    "question_placeholder": "用中文或英文提问… Ask in Chinese or English…",
    "ask": "提问 Ask",
    "clear": "清空 Clear",
    "examples": "示例问题 Example questions",
    "filters": "筛选 Filters",
    "f_lang": "来源语言 Source language",
    "f_kind": "文件类型 Document type",
    "f_symbol": "文件编号 Document symbol",
    "f_symbol_ph": "例如 e.g. S/RES/2518(2020)",
    "f_date_from": "起始年份或日期 From (YYYY or YYYY-MM-DD)",
    "f_date_to": "截止年份或日期 To (YYYY or YYYY-MM-DD)",
    "f_k": "来源数量 Number of sources",
    "any": "全部 All",
    "zh": "中文 Chinese",
    "en": "英文 English",
    "repertoire": "惯例汇编 Repertoire",
    "resolution": "决议 Resolutions",
    "presidential_statement": "主席声明 Presidential statements",
    "draft_not_adopted": "未通过的决议草案 Drafts not adopted",
    "veto": "否决 Vetoes",
    "sources": "来源 Sources",
    "link_lang": "链接语言 Link language",
    "link_zh": "中文 (ch)",
    "link_en": "English (en)",
    "no_sources_yet": "提问后，这里显示所引用的来源。 · The sources cited by an answer appear here.",
    "searching": "正在检索… · Searching…",
    "document": "文件 Document",
    "section": "章节 Section",
    "paragraph": "段 Para.",
    "footnotes": "脚注 Footnotes",
    "documents": "文件链接 Documents",
    "paras": "段 paras.",
    "abstained_title": "记录中没有找到答案 · The records do not answer this question",
    "abstained_note": "以下是检索到的最接近的记录，它们并不回答该问题。 · "
                      "Below are the closest records found. They do NOT answer the question.",
    "closest": "最接近的记录 Closest records",
    "score": "相关度 score",
    "unsupported_title": "未经核实的句子 · Unsupported sentences",
    "unsupported_note": "以下句子未能在所引来源中核实，请勿引用。 · "
                        "These sentences could not be verified against the cited sources — do not rely on them.",
    "notes": "说明 Notes",
    "feedback": "反馈 Feedback",
    "up": "✓ 有帮助 Helpful",
    "down": "✗ 无帮助 Not helpful",
    "comment": "意见（可选） Comment (optional)",
    "feedback_saved": "已记录反馈，谢谢。 · Feedback saved — thank you.",
    "feedback_none": "还没有可评价的回答。 · There is no answer to rate yet.",
    "export": "导出对话 Export (Markdown)",
    "status_corpus": "语料 Corpus",
    "status_docs": "份文件 documents",
    "status_chunks": "段 chunks",
    "status_embedder": "嵌入模型 Embedder",
    "status_mode": "回答模式 Mode",
    "mode_extractive": "摘录 extractive",
    "mode_llm": "语言模型 LLM",
    "store_unavailable": "索引暂时无法使用（向量数据库无法连接）。请稍后再试或联系管理员。 · "
                         "The index is unavailable (the vector database cannot be reached). Try again later or contact the administrator.",
    "error": "出错了，请重试。 · Something went wrong; please try again.",
    "bad_date": "日期格式应为 YYYY 或 YYYY-MM-DD · Dates must be YYYY or YYYY-MM-DD",
    "export_title": "安理会记录问答 · 对话导出 / UNSC chat · conversation export",
    "exported_at": "导出时间 Exported",
    "link_auto": "随问题 Question's language",
    "presentation": "演示模式 Presentation",
    "en_fallback": "记录中没有中文名称或标题，显示英文原文 · The record has no Chinese for this; the English is shown",
    "draft_warning": "此草案未获通过，不是安理会的决定。 · This draft was NOT adopted; it is not a decision of the Council.",
    "kind": "类型 Kind",
    "cites": "所援引的文件（本库所存） Documents it cites (held here)",
    "cites_open": "查看 show",
}

# Languages named by the one-language notice of a source card ("only the English text is held").
LANG_NAMES: dict[str, tuple[str, str]] = {"zh": ("中文", "Chinese"), "en": ("英文", "English"), "fr": ("法文", "French"),
                                          "es": ("西班牙文", "Spanish"), "ru": ("俄文", "Russian"), "ar": ("阿拉伯文", "Arabic")}
OFFICIAL_PAIR = ("zh", "en")  # the two official versions this tool shows side by side


def one_language_notice(held: str) -> str:
    """'Only the English text is held; no Chinese official version in the records', in both languages."""
    zh_name, en_name = LANG_NAMES.get(held, (held, held))
    missing = [x for x in OFFICIAL_PAIR if x != held]
    miss_zh = "或".join(LANG_NAMES[x][0] for x in missing)
    miss_en = " or ".join(LANG_NAMES[x][1] for x in missing)
    return (f"仅存{zh_name}文本，记录中没有{miss_zh}正式版本 · "
            f"Only the {en_name} text is held; no {miss_en} official version in the records")

# Example questions are drawn from the store (`store_examples`): a fixed list would point a new
# audience at documents the index may not hold. These templates ask what every resolution's
# document card answers (its adoption date and vote), in both languages.
EXAMPLE_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("zh", "第{n}({y})号决议是哪一天通过的？"),
    ("en", "When was resolution {n} ({y}) adopted?"),
    ("en", "How did the Council vote on resolution {n} ({y})?"),
    ("zh", "第{n}({y})号决议的表决结果如何？"),
)
_RES_SYMBOL = re.compile(r"^S/RES/(\d{1,4})\((\d{4})\)$")


def store_examples(chunks: Iterable[object], limit: int = 4) -> list[str]:
    """Example questions about resolutions the store actually holds (from its document cards).

    The most recent resolutions with a card come first, those with cards in both languages
    before the others, and each template names a different resolution where the store has
    several, so the examples show the range of the index. No cards → no examples.
    """
    langs: dict[tuple[int, int], set[str]] = {}
    dates: dict[tuple[int, int], str] = {}
    for c in chunks:
        if getattr(c, "kind", "") != "document_card" or getattr(c, "doc_kind", "resolution") not in ("resolution", "other"):
            continue
        m = _RES_SYMBOL.match(getattr(c, "doc_id", "") or "")
        if not m:
            continue
        key = (int(m.group(2)), int(m.group(1)))
        langs.setdefault(key, set()).add(getattr(c, "lang", "") or "")
        dates[key] = max(dates.get(key, ""), getattr(c, "date", None) or "")
    ranked = sorted(langs, key=lambda k: ({"zh", "en"} <= langs[k], dates[k], k), reverse=True)
    out: list[str] = []
    for i, (_, template) in enumerate(EXAMPLE_TEMPLATES[:limit]):
        if not ranked:
            break
        year, number = ranked[(i // 2) % len(ranked)]  # two questions (zh + en) per resolution
        out.append(template.format(n=number, y=year))
    return out


# Document type filter → record kinds (SearchFilters.doc_kinds, i.e. `Chunk.doc_kind`).
KIND_CHOICES: dict[str, list[str]] = {
    "any": [],
    "resolution": ["resolution"],
    "presidential_statement": ["presidential_statement"],
    "draft_not_adopted": ["draft_not_adopted"],
    "veto": ["veto"],
    "repertoire": ["repertoire"],
}


def t(key: str) -> str:
    return L[key]
