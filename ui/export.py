"""A conversation as Markdown that also reads cleanly as plain text: each question, its answer
with markers, and the numbered sources with their undocs.org links.

Record text is untrusted, but escaping every punctuation mark made the export unreadable when
pasted as text ("2538 \\(2020\\)"). `md_escape` therefore escapes only what a Markdown renderer
would actually misread: a tag or entity (`<img …>`, `&amp;`), link and image syntax (`](`, `][`),
emphasis and code marks, and block syntax at a line start (headings, quotes, rules, fences,
indented code). Parentheses, full stops, hyphens and citation markers like `[1]` stay as written.
The only links are undocs.org autolinks rebuilt from symbols (`ui.render.doc_link`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone

from rag.answer import Answer, Citation
from ui.labels import one_language_notice, t
from ui.render import DOC_KIND_LABELS, citation_symbols, doc_kind_of, doc_link, effective_link_lang

# Inline constructs, in order of the alternatives:
#   a tag, comment, declaration or autolink start; an entity or character reference;
#   `]` that would close link text ("](", "]["); emphasis, code and strikethrough marks;
#   a backslash before punctuation (it would escape it).
_INLINE = re.compile(
    r"<(?=[A-Za-z/!?])|&(?=#?[0-9A-Za-z]+;)|\](?=[(\[])|[*`]"
    r"|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|~(?=~)|\\(?=[!-/:-@\[-`{-~])"
)
# Block constructs that only matter at the start of a line (after the line is stripped).
_BLOCK = re.compile(r"^(#{1,6}(\s|$)|>|[-+]\s|```|~~~)")
_RULE = re.compile(r"^\s*([-=_*])(\s*\1){2,}\s*$")


def md_escape(text: str) -> str:
    """Text that renders as written in Markdown and stays readable as plain text.

    Line-leading whitespace is dropped (four spaces would start a code block) and trailing spaces
    too (two would force a line break).
    """
    lines = []
    for line in (text or "").splitlines() or [""]:
        line = line.strip()
        line = _INLINE.sub(lambda m: "\\" + m.group(0), line)
        if _RULE.match(line) or _BLOCK.match(line):
            line = "\\" + line
        lines.append(line)
    return "\n".join(lines)


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in md_escape(text).splitlines() or [""])


def _where(c: Citation) -> str:
    """The card header as text: document (or Repertoire section), part, paragraph, kind."""
    dk = doc_kind_of(c)
    parts: list[str] = []
    if c.kind in ("resolution_paragraph", "document_card") or c.doc_id.startswith("S/"):
        parts.append(c.doc_id)
        section = c.section or ""
        if section.startswith(c.doc_id + " > "):
            parts.append(section[len(c.doc_id) + 3:])
    elif c.section:
        parts.append(c.section)
    if c.paragraph is not None:
        parts.append(f"{t('paragraph')} {c.paragraph}")
    label = DOC_KIND_LABELS.get(dk, "")
    return " · ".join(parts) + (f" ({label})" if label and dk != "resolution" else "")


def answer_markdown(ans: Answer) -> str:
    """The answer from its typed sentences: each escaped, then its markers and, if the check found
    no support, the flag (the same record the chat and the JSON render)."""
    if not ans.sentences:
        return md_escape(ans.answer)
    zh = ans.lang == "zh"
    flag = " [未经核实]" if zh else " [unsupported]"
    out = ""
    for i, s in enumerate(ans.sentences):
        piece = ("⚠ " if s.draft_not_adopted else "") + md_escape(s.text)
        piece += ("" if zh else " ") + "".join(f"[{n}]" for n in s.markers) if s.markers else ""
        piece += flag if s.unsupported else ""
        if i:
            out += "\n" if s.role in ("abstention", "line") else ("" if zh else " ")
        out += piece
    return out


def conversation_markdown(turns: Sequence[Answer], link_lang: str = "auto", now: datetime | None = None) -> str:
    """The export; `link_lang` "auto" gives each turn's links in that question's language."""
    now = now or datetime.now(timezone.utc)
    out = [f"# {t('export_title')}", "", f"{t('exported_at')}: {now.isoformat(timespec='seconds')}", ""]
    for i, ans in enumerate(turns, 1):
        lang = effective_link_lang(link_lang, ans.lang)
        out += [f"## {i}. {md_escape(ans.question)}", ""]
        out += [answer_markdown(ans), ""]
        if ans.unsupported:
            out += [f"**⚠ {t('unsupported_title')}:**", ""] + [f"- {md_escape(s)}" for s in ans.unsupported] + [""]
        if ans.abstained:
            out += [f"**⚠ {t('abstained_title')}**", ""]
            if not ans.citations:
                continue  # a decline; a corrected premise keeps its sources below
        if ans.citations:
            out += [f"### {t('sources')}", ""]
        for c in ans.citations:
            out += [f"**[{c.n}]** {md_escape(_where(c))}", "", _quote(c.text), ""]
            if c.twin_text:
                zh_twin = (c.twin_lang or "").startswith("zh")
                other = "中文正式文本 Official Chinese text" if zh_twin else "英文正式文本 Official English text"
                out += [f"*{other}:*", "", _quote(c.twin_text), ""]
            elif len(c.doc_langs) == 1:  # as on the card: the records hold no other official version
                out += [f"*{md_escape(one_language_notice(c.doc_langs[0]))}*", ""]
            for f in c.footnotes:
                link = doc_link(f.symbol, lang) if f.symbol else None
                out.append(f"- {t('footnotes')} {md_escape(f.number)}: {md_escape(f.text)}" + (f" → <{link}>" if link else ""))
            for sym in citation_symbols(c):
                link = doc_link(sym, lang)
                if link:
                    out.append(f"- {md_escape(sym)}: <{link}>")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
