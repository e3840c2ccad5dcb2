"""HTML for the chat and the sources panel: pure functions of an `Answer`, unit-tested.

Safety rules (records are untrusted text — a paragraph may contain `<img onerror=…>` or a
Markdown link to `javascript:`):
- every piece of record, question or answer text goes through `esc` (html.escape) before it
  reaches HTML; text shown in the Markdown-rendering Chatbot goes through `md_text`, which also
  turns every ASCII punctuation character into a numeric entity so Markdown cannot build links,
  images, emphasis or autolinks out of it;
- the only hrefs generated are `#src-N` anchors and undocs.org links rebuilt from symbols with
  `ingest.symbols.undocs_link`; `safe_href` refuses anything not starting with
  `https://undocs.org/`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from ingest.symbols import canonical, undocs_link
from rag.answer import Answer, Citation
from ui.labels import t

UNDOCS_PREFIX = "https://undocs.org/"
LINK_LANGS = ("zh", "en")  # toggle values; undocs.org codes are `ch` and `en`
RESOLUTION_KINDS = ("resolution_paragraph", "document_card")
MARKER_RE = re.compile(r"\[(\d{1,3})\]")
UNSUPPORTED_FLAGS = (" [unsupported]", " [未经核实]")
_FLAG_RE = re.compile("(" + "|".join(re.escape(f) for f in UNSUPPORTED_FLAGS) + ")")


# --- escaping --------------------------------------------------------------------------------

def esc(text: object) -> str:
    """HTML-escape any text (quotes too: it may end up in an attribute)."""
    return html.escape("" if text is None else str(text), quote=True)


def md_text(text: object) -> str:
    """Text that renders literally in a Markdown + HTML renderer (the Chatbot).

    All ASCII punctuation becomes a numeric character reference: `<`, `&`, `"` can't open a tag,
    and `[`, `]`, `(`, `)`, `*`, `_`, `` ` ``, `#`, `!`, `:`, `@`, `.`, `~`, `|`, `$` can't form
    Markdown links, images, emphasis, headings, autolinks (`http://`, `www.`, e-mail) or maths.
    Newlines are kept (the Chatbot renders them as line breaks).
    """
    out = []
    for ch in "" if text is None else str(text):
        if ch.isascii() and not ch.isalnum() and ch not in " \n\t":
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def safe_href(url: str | None) -> str | None:
    """`url` if it is an undocs.org link (percent-encoded, attribute-safe), else None."""
    if not url:
        return None
    url = quote(url.strip(), safe=":/()-._~,")
    if not url.startswith(UNDOCS_PREFIX) or "\\" in url or ".." in url:
        return None
    return url


def doc_link(symbol: str, link_lang: str) -> str | None:
    """The undocs.org link of `symbol` in the chosen language (`zh` → /ch/, `en` → /en/)."""
    lang = link_lang if link_lang in LINK_LANGS else "zh"
    sym = canonical(symbol or "")
    if not sym:
        return None
    return safe_href(undocs_link(sym, lang))


def link_html(symbol: str, link_lang: str) -> str:
    href = doc_link(symbol, link_lang)
    if href is None:
        return f'<span class="doc-sym">{esc(symbol)}</span>'
    return (f'<a class="doc-link" href="{esc(href)}" target="_blank" rel="noopener noreferrer nofollow">'
            f"{esc(canonical(symbol))}</a>")


# --- chat ------------------------------------------------------------------------------------

def _markers_and_flags(text: str, cited: set[int] | None) -> str:
    parts: list[str] = []
    for piece in _FLAG_RE.split(text or ""):
        if piece in UNSUPPORTED_FLAGS:
            parts.append(f' <mark class="flag">⚠ {md_text(piece.strip())}</mark>')
            continue
        pos = 0
        for m in MARKER_RE.finditer(piece):
            parts.append(md_text(piece[pos:m.start()]))
            n = int(m.group(1))
            if cited is None or n in cited:
                parts.append(f'<a class="cite" href="#src-{n}" title="{t("sources")} {n}"><sup>&#91;{n}&#93;</sup></a>')
            else:
                parts.append(md_text(m.group(0)))
            pos = m.end()
        parts.append(md_text(piece[pos:]))
    return "".join(parts)


def chat_question(question: str) -> str:
    return md_text(question)


def chat_streaming(text: str) -> str:
    """The answer text received so far (escaped; markers shown as superscripts)."""
    return _markers_and_flags(text, None) + " ▍"


def chat_answer(answer: Answer) -> str:
    """The final answer for the Chatbot: escaped text, markers linked to the source cards."""
    if answer.abstained:
        return "⚠ " + md_text(answer.answer)
    cited = {c.n for c in answer.citations}
    return _markers_and_flags(answer.answer, cited)


def chat_error(message: str) -> str:
    return "⚠ " + md_text(message)


# --- sources panel ---------------------------------------------------------------------------

def highlight(text: str, highlights: Iterable[str]) -> str:
    """`text` escaped, with every occurrence of each highlight sentence wrapped in <mark>."""
    text = text or ""
    spans: list[tuple[int, int]] = []
    for h in highlights or ():
        h = (h or "").strip()
        if not h:
            continue
        start = text.find(h)
        while start != -1:
            spans.append((start, start + len(h)))
            start = text.find(h, start + len(h))
    spans.sort()
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def _para_label(paragraph: int | None) -> str:
    return f'{t("paragraph")} {paragraph}' if paragraph is not None else ""


def citation_symbols(c: Citation) -> list[str]:
    """Every document symbol of a source: its own (resolutions), those it cites, its footnotes'."""
    syms: list[str] = []
    if c.kind in RESOLUTION_KINDS and c.doc_id:
        syms.append(c.doc_id)
    syms.extend(c.symbols)
    syms.extend(f.symbol for f in c.footnotes if f.symbol)
    seen: dict[str, None] = {}
    for s in syms:
        seen.setdefault(canonical(s), None)
    return [s for s in seen if s]


def _doc_label(c: Citation, link_lang: str) -> str:
    if c.kind in RESOLUTION_KINDS:
        return link_html(c.doc_id, link_lang)
    return f'<span class="src-section">{esc(c.section)}</span>'


def _cited_footnotes(answer_text: str) -> set[str]:
    """Footnote numbers the answer quotes ("脚注651" / "footnote 651")."""
    return set(re.findall(r"(?:脚注|[Ff]ootnote\s*)([0-9A-Za-z]{1,6})", answer_text or ""))


def footnotes_html(c: Citation, link_lang: str, cited: set[str] | None = None) -> str:
    if not c.footnotes:
        return ""
    items = []
    cited = cited or set()
    for f in c.footnotes:
        target = ""
        if f.symbol:
            paras = f' · {t("paras")} {esc(", ".join(map(str, f.paragraphs)))}' if f.paragraphs else ""
            target = f' <span class="fn-target">→ {link_html(f.symbol, link_lang)}{paras}</span>'
        text = f"<mark>{esc(f.text)}</mark>" if f.number in cited else esc(f.text)
        items.append(f'<li><span class="fn-num">{esc(f.number)}</span> {text}{target}</li>')
    return f'<div class="src-fn"><div class="src-sub">{t("footnotes")}</div><ul>{"".join(items)}</ul></div>'


KIND_LABELS = {"paragraph": "惯例汇编 Repertoire", "table_row": "惯例汇编表格 Repertoire table",
               "resolution_paragraph": "决议段落 Resolution", "document_card": "决议概况 Resolution record"}


def source_card(c: Citation, link_lang: str, answer_text: str = "") -> str:
    para = _para_label(c.paragraph)
    section = ""
    if c.kind in RESOLUTION_KINDS and c.section and c.section != c.doc_id:
        section = f' · <span class="src-section">{esc(c.section)}</span>'
    head = (f'<div class="src-head"><span class="src-n">[{c.n}]</span> {_doc_label(c, link_lang)}{section}'
            + (f' · <span class="src-para">{esc(para)}</span>' if para else "")
            + f' <span class="kind">{esc(KIND_LABELS.get(c.kind, c.kind))}</span></div>')
    body = f'<div class="src-text">{highlight(c.text, c.highlights)}</div>'
    syms = citation_symbols(c)
    links = (f'<div class="src-links"><span class="src-sub">{t("documents")}</span> '
             + " ".join(link_html(s, link_lang) for s in syms) + "</div>") if syms else ""
    return (f'<div class="src-card" id="src-{c.n}" data-n="{c.n}">{head}{body}'
            f"{footnotes_html(c, link_lang, _cited_footnotes(answer_text))}{links}</div>")


def unsupported_html(answer: Answer) -> str:
    if not answer.unsupported:
        return ""
    items = "".join(f"<li>{esc(s)}</li>" for s in answer.unsupported)
    return (f'<div class="unsupported"><div class="unsupported-title">⚠ {t("unsupported_title")}</div>'
            f'<div class="unsupported-note">{t("unsupported_note")}</div><ul>{items}</ul></div>')


def notes_html(answer: Answer) -> str:
    if not answer.notes:
        return ""
    return f'<div class="notes">{t("notes")}: ' + " ".join(f"<span>{esc(n)}</span>" for n in answer.notes) + "</div>"


def abstention_html(answer: Answer, link_lang: str, chunks: Mapping[str, object] | None = None, limit: int = 5) -> str:
    """The closest records, clearly labelled as NOT answering the question."""
    chunks = chunks or {}
    cards = []
    for i, ref in enumerate(answer.retrieved[:limit], 1):
        ch = chunks.get(ref.chunk_id)
        head, links = "", ""
        if ch is not None:
            kind = getattr(ch, "kind", "")
            doc = link_html(ch.doc_id, link_lang) if kind in RESOLUTION_KINDS else f'<span class="src-section">{esc(ch.section)}</span>'
            para = _para_label(getattr(ch, "paragraph", None))
            head = doc + (f' · <span class="src-para">{esc(para)}</span>' if para else "")
            syms = list(dict.fromkeys(canonical(s) for s in getattr(ch, "symbols", []) or []))
            if syms:
                links = f'<div class="src-links"><span class="src-sub">{t("documents")}</span> ' + " ".join(link_html(s, link_lang) for s in syms) + "</div>"
        else:
            head = f'<span class="src-section">{esc(ref.chunk_id)}</span>'
        cards.append(
            f'<div class="src-card closest" data-rank="{i}"><div class="src-head"><span class="src-n">#{i}</span> {head}'
            f' <span class="score">{t("score")} {ref.score:.3f}</span></div>'
            f'<div class="src-text">{esc(ref.text)}</div>{links}</div>')
    return (f'<div class="abstained"><div class="abstained-title">⚠ {t("abstained_title")}</div>'
            f'<div class="abstained-note">{t("abstained_note")}</div></div>'
            f'<div class="src-sub closest-title">{t("closest")}</div>' + "".join(cards))


def sources_html(answer: Answer | None, link_lang: str = "zh", chunks: Mapping[str, object] | None = None) -> str:
    """The whole sources panel for one answer."""
    if answer is None:
        return placeholder_html(t("no_sources_yet"))
    if answer.abstained:
        body = abstention_html(answer, link_lang, chunks)
    else:
        body = "".join(source_card(c, link_lang, answer.answer) for c in answer.citations)
    return (f'<div class="unsc-sources" data-link-lang="{esc(link_lang)}">'
            f'<div class="src-question">{esc(answer.question)}</div>'
            f"{unsupported_html(answer)}{body}{notes_html(answer)}</div>")


def placeholder_html(message: str) -> str:
    return f'<div class="unsc-sources empty"><div class="placeholder">{esc(message)}</div></div>'


def status_html(stats, llm: str | None, error: str | None = None) -> str:
    """Status line: corpus size, embedder and answer mode (or why the store is unavailable)."""
    mode = f'{t("mode_llm")} ({esc(llm)})' if llm else t("mode_extractive")
    if stats is None:
        return (f'<div class="status error">⚠ {esc(error or t("store_unavailable"))} · '
                f'{t("status_mode")}: {mode}</div>')
    return (f'<div class="status"><span>{t("status_corpus")}: <b>{stats.documents}</b> {t("status_docs")} · '
            f'<b>{stats.chunks}</b> {t("status_chunks")}</span> · <span>{t("status_embedder")}: '
            f'<code>{esc(stats.embedder)}</code></span> · <span>{t("status_mode")}: <b>{mode}</b></span></div>')


CSS = """
.gradio-container { max-width: 1500px !important; font-size: 16px; }
#unsc-header h1 { font-size: 1.6rem; margin: 0 0 .2rem 0; }
#unsc-header .sub { color: var(--body-text-color-subdued); margin: 0 0 .4rem 0; }
.status { font-size: .95rem; padding: .35rem .7rem; border-radius: 6px; background: var(--background-fill-secondary); }
.status.error { background: #fdecea; color: #8a1c1c; }
.unsc-sources { max-height: 72vh; overflow-y: auto; padding-right: .3rem; font-size: 1rem; line-height: 1.55; }
.unsc-sources .placeholder { color: var(--body-text-color-subdued); padding: 2rem 1rem; text-align: center; }
.src-question { font-weight: 600; margin-bottom: .5rem; }
.src-card { border: 1px solid var(--border-color-primary); border-left: 4px solid #1f5fa8; border-radius: 6px;
            padding: .6rem .8rem; margin-bottom: .7rem; background: var(--background-fill-primary); scroll-margin-top: 1rem; }
.src-card:target { box-shadow: 0 0 0 3px #9ec5f0; }
.src-card.closest { border-left-color: #9a9a9a; opacity: .92; }
.src-head { font-weight: 600; margin-bottom: .35rem; }
.src-n { color: #1f5fa8; margin-right: .25rem; }
.src-text { white-space: pre-wrap; }
.src-text mark, .flag { background: #fff1a8; color: inherit; padding: 0 .1rem; border-radius: 2px; }
.src-sub { font-size: .85rem; color: var(--body-text-color-subdued); margin-right: .3rem; }
.src-fn ul { margin: .2rem 0 .2rem 1.1rem; padding: 0; font-size: .92rem; }
.fn-num { font-weight: 600; margin-right: .25rem; }
.src-links { margin-top: .35rem; font-size: .92rem; }
.doc-link { margin-right: .6rem; white-space: nowrap; }
.kind { font-weight: 400; font-size: .78rem; color: var(--body-text-color-subdued); border: 1px solid var(--border-color-primary);
        border-radius: 999px; padding: 0 .45rem; margin-left: .4rem; white-space: nowrap; }
.src-fn mark { background: #fff1a8; color: inherit; }
.score { font-weight: 400; font-size: .85rem; color: var(--body-text-color-subdued); margin-left: .4rem; }
.abstained { border: 2px solid #c77700; background: #fff6e5; color: #5c3700; border-radius: 6px; padding: .6rem .8rem; margin-bottom: .7rem; }
.abstained-title, .unsupported-title { font-weight: 700; }
.unsupported { border: 2px solid #b3261e; background: #fdecea; color: #5f1410; border-radius: 6px; padding: .6rem .8rem; margin-bottom: .7rem; }
.unsupported ul { margin: .3rem 0 0 1.1rem; padding: 0; }
.notes { font-size: .9rem; color: var(--body-text-color-subdued); margin-top: .4rem; }
a.cite { text-decoration: none; font-weight: 700; }
.flag { background: #fdecea !important; color: #8a1c1c !important; font-weight: 600; }
"""
