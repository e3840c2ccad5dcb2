"""A conversation as Markdown: each question, its answer with markers, and the numbered sources
with their undocs.org links (in the chosen link language).

Record text is untrusted: Markdown punctuation is backslash-escaped and `<`/`>`/`&` are
HTML-escaped, so a record's `[x](javascript:…)` or `<img …>` stays literal text in any viewer.
The only links are undocs.org autolinks rebuilt from symbols (`ui.render.doc_link`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime, timezone

from rag.answer import Answer
from ui.labels import t
from ui.render import citation_symbols, doc_link

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:])")


def md_escape(text: str) -> str:
    """Literal text in Markdown: HTML-escaped, then Markdown punctuation backslash-escaped."""
    text = html.escape(text or "", quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in md_escape(text).splitlines() or [""])


def conversation_markdown(turns: Sequence[Answer], link_lang: str = "zh", now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    out = [f"# {t('export_title')}", "", f"_{now.isoformat(timespec='seconds')}_", ""]
    for i, ans in enumerate(turns, 1):
        out += [f"## {i}. {md_escape(ans.question)}", ""]
        out += [md_escape(ans.answer), ""]
        if ans.unsupported:
            out += [f"**⚠ {t('unsupported_title')}:**", ""] + [f"- {md_escape(s)}" for s in ans.unsupported] + [""]
        if ans.abstained:
            out += [f"**⚠ {t('abstained_title')}**", ""]
            continue
        if ans.citations:
            out += [f"### {t('sources')}", ""]
        for c in ans.citations:
            where = c.doc_id if c.kind in ("resolution_paragraph", "document_card") else c.section
            para = f", {t('paragraph')} {c.paragraph}" if c.paragraph is not None else ""
            out += [f"**[{c.n}]** {md_escape(where)}{md_escape(para)}", "", _quote(c.text), ""]
            for f in c.footnotes:
                link = doc_link(f.symbol, link_lang) if f.symbol else None
                out.append(f"- {t('footnotes')} {md_escape(f.number)}: {md_escape(f.text)}" + (f" → <{link}>" if link else ""))
            for sym in citation_symbols(c):
                link = doc_link(sym, link_lang)
                if link:
                    out.append(f"- {md_escape(sym)}: <{link}>")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
