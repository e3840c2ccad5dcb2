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
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from ingest.chunk import Chunk, infer_doc_kind
from ingest.symbols import canonical, undocs_link
from rag.answer import Answer, Citation
from ui.labels import one_language_notice, t

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


def _marker_html(n: int, cited: set[int] | None) -> str:
    if cited is None or n in cited:
        return f'<a class="cite" href="#src-{n}" title="{t("sources")} {n}"><sup>&#91;{n}&#93;</sup></a>'
    return md_text(f"[{n}]")


def sentences_html(answer: Answer) -> str:
    """The answer rendered from its typed sentences (no text parsed back): each sentence escaped,
    its markers linked to the source cards, an unsupported one flagged, a draft that was not
    adopted and a quote across languages marked as such."""
    cited = {c.n for c in answer.citations}
    zh = answer.lang == "zh"
    out: list[str] = []
    for i, s in enumerate(answer.sentences):
        piece = md_text(s.text)
        if s.draft_not_adopted:
            piece = '<span class="draft-flag">⚠</span> ' + piece
        cls = " cross-lang" if s.cross_language else ""
        piece = f'<span class="ans-sent{cls}" data-role="{esc(s.role)}">{piece}</span>'
        piece += "".join(_marker_html(n, cited) for n in s.markers)
        if s.unsupported:
            flag = UNSUPPORTED_FLAGS[1] if zh else UNSUPPORTED_FLAGS[0]
            piece += f' <mark class="flag">⚠ {md_text(flag.strip())}</mark>'
        if i:
            out.append("\n" if s.role in ("abstention", "line") else ("" if zh else " "))
        out.append(piece)
    return "".join(out)


def chat_answer(answer: Answer) -> str:
    """The final answer for the Chatbot: escaped text, markers linked to the source cards."""
    if answer.abstained and not answer.citations:
        return "⚠ " + md_text(answer.answer)
    if answer.abstained:  # a premise corrected from the records: flagged, with its sources
        return "⚠ " + (sentences_html(answer) if answer.sentences else _markers_and_flags(answer.answer, {c.n for c in answer.citations}))
    if answer.sentences:
        return sentences_html(answer)
    cited = {c.n for c in answer.citations}
    return _markers_and_flags(answer.answer, cited)


def chat_error(message: str) -> str:
    return "⚠ " + md_text(message)


# --- sources panel ---------------------------------------------------------------------------

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def _projection(text: str) -> tuple[str, list[int]]:
    """`text` as matching sees it, and the original index of each projected character.

    NFKC (full-width brackets, digits and commas become ASCII), curly quotes straightened,
    case folded and every whitespace character dropped: the Chinese Repertoire writes
    "3 月 30 日" and "第 2518(2020)号" where the answer's sentence may read "3月30日" and
    "第2518（2020）号", and both must still light up the same span of the original.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).translate(_QUOTES).casefold():
            if not c.isspace():
                out.append(c)
                index.append(i)
    return "".join(out), index


def highlight_spans(text: str, highlights: Iterable[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of `text` where a highlight sentence occurs, spacing and width ignored."""
    proj, index = _projection(text or "")
    spans: list[tuple[int, int]] = []
    for h in highlights or ():
        needle, _ = _projection((h or "").strip())
        if not needle:
            continue
        start = proj.find(needle)
        while start != -1:
            end = start + len(needle)
            spans.append((index[start], index[end - 1] + 1))
            start = proj.find(needle, end)
    spans.sort()
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def highlight(text: str, highlights: Iterable[str], render=None) -> str:
    """`text` escaped, with every occurrence of each highlight sentence wrapped in <mark>.

    Matching runs on a whitespace-free NFKC projection (`_projection`) and maps back to the
    original characters, so the card always shows the record exactly as written.
    `render` (default `esc`) turns a plain piece of text into HTML.
    """
    text = text or ""
    render = render or esc
    out, pos = [], 0
    for s, e in highlight_spans(text, highlights):
        out.append(render(text[pos:s]))
        out.append(f"<mark>{render(text[s:e])}</mark>")
        pos = e
    out.append(render(text[pos:]))
    return "".join(out)


def _para_label(paragraph: int | None) -> str:
    return f'{t("paragraph")} {paragraph}' if paragraph is not None else ""


def effective_link_lang(choice: str | None, question_lang: str | None) -> str:
    """The links' language: the toggle's choice, else ("auto") the question's (Chinese → /ch/, else /en/)."""
    if choice in LINK_LANGS:
        return choice  # type: ignore[return-value]
    return "zh" if question_lang == "zh" else "en"


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


def _is_symbol(doc_id: str) -> bool:
    return canonical(doc_id or "").startswith("S/")


def doc_kind_of(c: Citation | Chunk, chunk: object | None = None) -> str:
    """The record kind of a source: the citation's or stored chunk's `doc_kind`, else what its symbol proves.

    The citation record may not carry `doc_kind` yet, so the web panel passes the stored chunk;
    "other" from either is only a default, so the symbol still decides between resolution and statement.
    """
    for obj in (c, chunk):
        dk = getattr(obj, "doc_kind", None) if obj is not None else None
        if dk and dk != "other":
            return str(dk)
    if c.kind in ("paragraph", "table_row"):  # only the Repertoire parser makes these without saying
        return "repertoire"
    return infer_doc_kind(c.doc_id or "", c.kind or "")


def source_lang(c: Citation, chunk: object | None = None) -> str:
    """Language of a source's text: the record's field, else the language part of its stable chunk id."""
    for obj in (c, chunk):
        lang = getattr(obj, "lang", None) if obj is not None else None
        if lang:
            return str(lang)
    parts = (c.chunk_id or "").split("|")
    return parts[1] if len(parts) >= 4 else ""


# Badge text per record kind (document cards and table rows refine it). A draft that was not
# adopted must never read as a decision: its badge says so in both languages and is styled as a warning.
DOC_KIND_LABELS = {
    "repertoire": "惯例汇编 Repertoire",
    "resolution": "决议 Resolution",
    "presidential_statement": "主席声明 Presidential statement",
    "draft_not_adopted": "⚠ 未获通过的草案 Draft — not adopted",
    "veto": "否决 Veto",
    "other": "文件 Document",
}
KIND_LABELS = {"paragraph": "惯例汇编 Repertoire", "table_row": "惯例汇编表格 Repertoire table",
               "resolution_paragraph": "决议段落 Resolution", "document_card": "决议概况 Resolution record"}


def kind_badge(c: Citation | Chunk, chunk: object | None = None) -> str:
    dk = doc_kind_of(c, chunk)
    if dk == "repertoire":
        label = KIND_LABELS["table_row"] if c.kind == "table_row" else DOC_KIND_LABELS["repertoire"]
    elif dk == "resolution":
        label = KIND_LABELS["document_card"] if c.kind == "document_card" else DOC_KIND_LABELS["resolution"]
    else:
        label = DOC_KIND_LABELS.get(dk, DOC_KIND_LABELS["other"])
    return f'<span class="kind kind-{esc(dk)}" data-doc-kind="{esc(dk)}">{esc(label)}</span>'


def _part_of(c: Citation) -> str:
    """The part of a document the source sits in ("执行部分", "Operative > Heading"), without the symbol again."""
    section = (c.section or "").strip()
    if not section or c.kind == "document_card":
        return ""
    prefix = (c.doc_id or "").strip()
    if prefix and section == prefix:
        return ""
    if prefix and section.startswith(prefix + " > "):
        return section[len(prefix) + 3:]
    return section


def card_header(c: Citation, link_lang: str, chunk: object | None = None) -> str:
    """The one header of a card: number, document (linked once), part, paragraph, kind badge."""
    pieces: list[str] = []
    if _is_symbol(c.doc_id) and doc_kind_of(c, chunk) != "repertoire":
        pieces.append(link_html(c.doc_id, link_lang))
        part = _part_of(c)
        if part:
            pieces.append(f'<span class="src-section">{esc(part)}</span>')
    elif c.section:
        pieces.append(f'<span class="src-section">{esc(c.section)}</span>')
    para = _para_label(c.paragraph)
    if para:
        pieces.append(f'<span class="src-para">{esc(para)}</span>')
    return (f'<div class="src-head"><span class="src-n">[{c.n}]</span> ' + " · ".join(pieces)
            + f" {kind_badge(c, chunk)}</div>")


# A run of English words inside Chinese text (a State, agenda item or title the record has no
# Chinese for). Symbols (S/PV.8700, S/RES/2518(2020)) have no lower-case word and are not runs.
_LATIN_RUN = re.compile(r"[A-Za-z](?:[^\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]*[A-Za-z0-9)\]])?")
_WORD = re.compile(r"[a-z]{2,}")


def english_fallback(text: str) -> str:
    """Escaped Chinese text in which every English run is labelled as English ("EN" tag, lang="en").

    Chinese document cards are generated from records that sometimes have only English names,
    agenda items or titles; the card must not pass them off as the Chinese record's wording.
    """
    out, pos = [], 0
    for m in _LATIN_RUN.finditer(text or ""):
        if not _WORD.search(m.group(0)):
            continue
        out.append(esc(text[pos:m.start()]))
        out.append(f'<span class="en-fallback" lang="en" title="{esc(t("en_fallback"))}">{esc(m.group(0))}'
                   f'<sup class="en-tag">EN</sup></span>')
        pos = m.end()
    out.append(esc((text or "")[pos:]))
    return "".join(out)


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
        items.append(f'<li><span class="fn-num">{esc(f.number)}</span> {text}{target}{followed_html(c, f.number)}</li>')
    return f'<div class="src-fn"><div class="src-sub">{t("footnotes")}</div><ul>{"".join(items)}</ul></div>'


def followed_html(c: Citation, number: str) -> str:
    """The paragraphs a footnote cites, quoted from the store under the footnote (each labelled)."""
    paras = c.followed.get(number) or []
    if not paras:
        return ""
    quotes = "".join(
        f'<blockquote class="fn-cited" data-chunk-id="{esc(p.chunk_id)}" lang="{"zh" if p.lang.startswith("zh") else "en"}">'
        f'<div class="src-sub">{esc(p.symbol)} · {esc(p.label or p.paragraph)}</div>{esc(p.text)}</blockquote>'
        for p in paras)
    return f'<div class="fn-followed">{quotes}</div>'


def source_card(c: Citation, link_lang: str, answer_text: str = "", chunk: object | None = None,
                on_panel: Mapping[str, int] | None = None) -> str:
    """One source card: a single header, the text with its supporting sentences marked and, beside it,
    the other official version (or the notice that the records hold none), footnotes, the held
    documents it cites, links. `on_panel` (document → source number) links a cited document that
    is itself one of the answer's sources to its card."""
    dk = doc_kind_of(c, chunk)
    head = card_header(c, link_lang, chunk)
    warn = f'<div class="draft-warn">⚠ {t("draft_warning")}</div>' if dk == "draft_not_adopted" else ""
    render_piece = english_fallback if (c.kind == "document_card" and source_lang(c, chunk) == "zh") else esc
    text = f'<div class="src-text">{highlight(c.text, c.highlights, render_piece)}</div>'
    body = f'<div class="src-parallel">{text}{twin_html(c) or one_language_html(c)}</div>'
    own = canonical(c.doc_id) if _is_symbol(c.doc_id) and dk != "repertoire" else None
    shown = {canonical(d.symbol) for d in c.cites if d.in_store}  # opened in the "cites" block instead
    syms = [s for s in citation_symbols(c) if s != own and s not in shown]  # the header links the document itself
    links = (f'<div class="src-links"><span class="src-sub">{t("documents")}</span> '
             + " ".join(link_html(s, link_lang) for s in syms) + "</div>") if syms else ""
    return (f'<div class="src-card kind-{esc(dk)}" id="src-{c.n}" data-n="{c.n}">{head}{warn}{body}'
            f"{footnotes_html(c, link_lang, _cited_footnotes(answer_text))}{cites_html(c, link_lang, on_panel)}{links}</div>")


def twin_html(c: Citation) -> str:
    """The same paragraph in the document's other official language, opened beside the quoted one."""
    if not c.twin_text:
        return ""
    label = "中文正式文本 Official Chinese text" if (c.twin_lang or "").startswith("zh") else "英文正式文本 Official English text"
    lang = "zh" if (c.twin_lang or "").startswith("zh") else "en"
    return (f'<details class="src-twin" data-chunk-id="{esc(c.twin_chunk_id)}"><summary class="src-sub">{esc(label)}</summary>'
            f'<div class="src-text" lang="{lang}">{esc(c.twin_text)}</div></details>')


def one_language_html(c: Citation) -> str:
    """Where the other official version would be: the notice that the records hold the document in
    one language only (pre-2020 resolutions and statements in English, a Chinese Repertoire part).

    Only when the store's holdings of the document are known (`doc_langs`) and are one language:
    a paragraph of a bilingual document that found no twin says nothing rather than something false.
    """
    if len(c.doc_langs) != 1:
        return ""
    return f'<div class="src-onelang" data-lang="{esc(c.doc_langs[0])}">{esc(one_language_notice(c.doc_langs[0]))}</div>'


def cites_html(c: Citation, link_lang: str, on_panel: Mapping[str, int] | None = None) -> str:
    """The held documents a resolution passage names, each opening (offline, no script) its card or
    first paragraph; one that is also a source of the answer links to that source's card too."""
    held = [d for d in c.cites if d.in_store and d.text]
    if not held:
        return ""
    items = []
    for d in held:
        n = (on_panel or {}).get(canonical(d.symbol))
        jump = f' <a class="cite" href="#src-{n}">[{n}]</a>' if n is not None and n != c.n else ""
        lang = "zh" if (d.lang or "").startswith("zh") else "en"
        what = KIND_LABELS["document_card"] if d.kind == "document_card" else (d.label or "")
        items.append(
            f'<details class="cite-doc" data-symbol="{esc(canonical(d.symbol))}" data-chunk-id="{esc(d.card_chunk_id)}">'
            f'<summary><span class="cite-sym">{esc(canonical(d.symbol))}</span> <span class="src-sub">{t("cites_open")}</span>'
            f'{jump}</summary>'
            f'<div class="cite-card"><div class="src-sub">{link_html(d.symbol, link_lang)} · {esc(what)}</div>'
            f'<div class="src-text" lang="{lang}">{esc(d.text)}</div></div></details>')
    return f'<div class="src-cites"><span class="src-sub">{t("cites")}</span>{"".join(items)}</div>'


# --- the one JSON contract ------------------------------------------------------------------

def answer_json(ans: Answer, link_lang: str = "auto", closest: int = 5) -> dict:
    """The JSON of an answer, the same for `unsc ask --json` and the `/ask` API (see README).

    Every field of the `Answer` record (question, answer, abstained, mode, lang, id, citations,
    retrieved, unsupported, notes, timings, sentences), with each citation's and footnote's links
    rebuilt from symbols in the chosen links language, and, for an abstention, the `closest`
    records. `answer` is the text with markers, kept for tools that read text.
    """
    link_lang = effective_link_lang(link_lang, ans.lang)
    out = ans.model_dump(mode="json")
    for c, data in zip(ans.citations, out["citations"], strict=True):
        data["links"] = [u for u in (doc_link(s, link_lang) for s in citation_symbols(c)) if u]
        data["where"] = c.where
        followed = data.pop("followed", {})  # shown on each footnote as `cited_paragraphs`
        for f, fd in zip(c.footnotes, data["footnotes"], strict=True):
            fd["link"] = doc_link(f.symbol, link_lang) if f.symbol else None
            fd["cited_paragraphs"] = [{**cp, "link": doc_link(cp["symbol"], link_lang)} for cp in followed.get(f.number, [])]
        for cd in data["cites"]:
            cd["link"] = doc_link(cd["symbol"], link_lang)
    if ans.abstained:
        out["closest"] = [{"chunk_id": r.chunk_id, "text": r.text, "score": r.score} for r in ans.retrieved[:closest]]
    return out


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


def abstention_html(answer: Answer, link_lang: str, chunks: Mapping[str, Chunk] | None = None, limit: int = 5) -> str:
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
                links = (f'<div class="src-links"><span class="src-sub">{t("documents")}</span> '
                         + " ".join(link_html(s, link_lang) for s in syms) + "</div>")
        else:
            head = f'<span class="src-section">{esc(ref.chunk_id)}</span>'
        cards.append(
            f'<div class="src-card closest" data-rank="{i}"><div class="src-head"><span class="src-n">#{i}</span> {head}'
            f'{kind_badge(ch) if isinstance(ch, Chunk) else ""}'
            f' <span class="score">{t("score")} {ref.score:.3f}</span></div>'
            f'<div class="src-text">{esc(ref.text)}</div>{links}</div>')
    return (f'<div class="abstained"><div class="abstained-title">⚠ {t("abstained_title")}</div>'
            f'<div class="abstained-note">{t("abstained_note")}</div></div>'
            f'<div class="src-sub closest-title">{t("closest")}</div>' + "".join(cards))


def sources_html(answer: Answer | None, link_lang: str = "auto", chunks: Mapping[str, Chunk] | None = None) -> str:
    """The whole sources panel for one answer.

    `link_lang` is the toggle's value: "zh", "en", or "auto" (the question's language).
    `chunks` (chunk id → stored chunk) adds what the citation record does not carry
    (record kind, language) and the closest records' details when the answer abstains.
    """
    if answer is None:
        return placeholder_html(t("no_sources_yet"))
    link_lang = effective_link_lang(link_lang, answer.lang)
    chunks = chunks or {}
    on_panel: dict[str, int] = {}
    for c in answer.citations:  # a recalled document that is also a source links to its first card
        on_panel.setdefault(canonical(c.doc_id), c.n)
    if answer.abstained and not answer.citations:
        body = abstention_html(answer, link_lang, chunks)
    elif answer.abstained:  # the question's premise is contradicted by the cited records
        body = (f'<div class="abstained"><div class="abstained-title">⚠ {t("abstained_title")}</div></div>'
                + "".join(source_card(c, link_lang, answer.answer, chunks.get(c.chunk_id), on_panel) for c in answer.citations))
    else:
        body = "".join(source_card(c, link_lang, answer.answer, chunks.get(c.chunk_id), on_panel) for c in answer.citations)
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


# Projector layout (1280×720 first): a one-line header, then the chat and the sources side by side,
# both as tall as the window allows (--unsc-pane-h), so the title, the question, the top of the
# latest answer and source [1] fit on one screen. Below ~800 px the columns stack (Gradio's
# min_width): the answer, then its sources (growing with their content instead of scrolling inside
# themselves), then the filters, feedback and export, which sit in their own row (#below-row).
CSS = """
/* Gradio scopes every rule under its container (inside @media only the scoped copy exists), so the
   pane height lives on #main-row, not :root. These are first guesses; SCRIPT measures and sets it. */
#main-row { --unsc-pane-h: max(260px, calc(100vh - 208px)); }
@media (max-width: 1100px) { #main-row { --unsc-pane-h: max(260px, calc(100vh - 254px)); } }
@media (max-width: 820px) {
  #main-row { --unsc-pane-h: max(260px, calc(100vh - 417px)); }
  #unsc-header #unsc-title h1, #unsc-header #unsc-title .sub { white-space: normal; }
}
.gradio-container { max-width: 1500px !important; font-size: 16px; padding-top: 6px !important; }
#unsc-header { align-items: center; gap: .3rem .8rem; flex-wrap: wrap; }
#unsc-header > *, #sources-bar > * { min-width: 0 !important; }
#unsc-title { flex: 0 1 540px !important; }
#unsc-title h1, #unsc-title .sub { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#unsc-title h1 { font-size: 1.35rem; margin: 0; line-height: 1.25; }
#unsc-title .sub { color: var(--body-text-color-subdued); margin: 0; font-size: .88rem; }
#status { flex: 1 1 300px !important; }
#present, #sources-title { flex: 0 0 auto !important; width: auto !important; }
.status { font-size: .85rem; padding: .25rem .6rem; border-radius: 6px; background: var(--background-fill-secondary); }
.status.error { background: #fdecea; color: #8a1c1c; }
#sources-bar { align-items: center; gap: .4rem; flex-wrap: wrap; }
#sources-title h3 { margin: 0; font-size: 1.05rem; }
#link-lang { flex: 1 1 auto !important; width: auto !important; }
#link-lang .wrap { gap: .2rem .6rem; }
#link-lang label { padding: .15rem .45rem; font-size: .85rem; }
.unsc-sources { max-height: var(--unsc-src-h, calc(var(--unsc-pane-h) - 20px)); overflow-y: auto;
                padding-right: .3rem; font-size: 1rem; line-height: 1.55; }
.unsc-sources .placeholder { color: var(--body-text-color-subdued); padding: 2rem 1rem; text-align: center; }
@media (max-width: 820px) {
  .unsc-sources { max-height: none; overflow-y: visible; }
}
.src-question { font-weight: 600; margin-bottom: .5rem; }
.src-card { border: 1px solid var(--border-color-primary); border-left: 4px solid #1f5fa8; border-radius: 6px;
            padding: .6rem .8rem; margin-bottom: .7rem; background: var(--background-fill-primary); scroll-margin-top: 1rem; }
.src-card:target { box-shadow: 0 0 0 3px #9ec5f0; }
.src-card.closest { border-left-color: #9a9a9a; opacity: .92; }
.src-card.kind-draft_not_adopted { border-left-color: #b3261e; }
.src-card.kind-veto { border-left-color: #7a3ea8; }
.src-card.kind-presidential_statement { border-left-color: #2e7d32; }
.src-head { font-weight: 600; margin-bottom: .35rem; }
.src-n { color: #1f5fa8; margin-right: .25rem; }
.src-text { white-space: pre-wrap; }
.src-text mark, .flag { background: #fff1a8; color: inherit; padding: 0 .1rem; border-radius: 2px; }
.src-sub { font-size: .85rem; color: var(--body-text-color-subdued); margin-right: .3rem; }
.src-fn ul { margin: .2rem 0 .2rem 1.1rem; padding: 0; font-size: .92rem; }
.fn-num { font-weight: 600; margin-right: .25rem; }
.src-links { margin-top: .35rem; font-size: .92rem; }
.doc-link { margin-right: .6rem; white-space: nowrap; }
.src-head .doc-link { margin-right: .1rem; }
.kind { font-weight: 400; font-size: .78rem; color: var(--body-text-color-subdued); border: 1px solid var(--border-color-primary);
        border-radius: 999px; padding: 0 .45rem; margin-left: .4rem; white-space: nowrap; }
.kind.kind-draft_not_adopted { font-weight: 700; color: #fff; background: #b3261e; border-color: #b3261e; }
.kind.kind-veto { color: #5b2a80; border-color: #7a3ea8; }
.draft-warn { background: #fdecea; color: #5f1410; border-radius: 4px; padding: .2rem .5rem; margin-bottom: .35rem;
              font-weight: 600; font-size: .92rem; }
.en-fallback { font-style: italic; }
.en-tag { font-style: normal; font-size: .62rem; font-weight: 700; color: #6b4e00; background: #fff4cc; border-radius: 3px;
          padding: 0 .2rem; margin-left: .1rem; vertical-align: super; }
.src-twin { margin: .3rem 0; font-size: .95rem; }
.src-twin summary, .cite-doc summary { cursor: pointer; }
/* The other official version opens beside the quoted paragraph where the panel is wide enough. */
@media (min-width: 821px) {
  .src-parallel:has(> .src-twin[open]) { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; align-items: start; }
  .src-parallel:has(> .src-twin[open]) > .src-twin { margin: 0; border-left: 2px solid var(--border-color-primary); padding-left: .6rem; }
}
.src-onelang { margin: .3rem 0; font-size: .85rem; color: var(--body-text-color-subdued); font-style: italic; }
.src-cites { margin-top: .35rem; font-size: .92rem; }
.cite-doc { display: inline-block; margin-right: .6rem; vertical-align: top; }
.cite-doc[open] { display: block; }
.cite-sym { color: #1f5fa8; text-decoration: underline dotted; }
.cite-card { border-left: 3px solid #9ec5f0; padding: .2rem .6rem; margin: .2rem 0 .4rem; }
.draft-flag { color: #b3261e; font-weight: 700; }
.src-fn mark { background: #fff1a8; color: inherit; }
.score { font-weight: 400; font-size: .85rem; color: var(--body-text-color-subdued); margin-left: .4rem; }
.abstained { border: 2px solid #c77700; background: #fff6e5; color: #5c3700; border-radius: 6px; padding: .6rem .8rem;
              margin-bottom: .7rem; }
.abstained-title, .unsupported-title { font-weight: 700; }
.unsupported { border: 2px solid #b3261e; background: #fdecea; color: #5f1410; border-radius: 6px; padding: .6rem .8rem;
               margin-bottom: .7rem; }
.unsupported ul { margin: .3rem 0 0 1.1rem; padding: 0; }
.notes { font-size: .9rem; color: var(--body-text-color-subdued); margin-top: .4rem; }
a.cite { text-decoration: none; font-weight: 700; }
.flag { background: #fdecea !important; color: #8a1c1c !important; font-weight: 600; }
/* Presentation mode (PRESENT_JS puts .unsc-present on the header, the main row and the row below it:
   Gradio scopes custom CSS inside its container, where <body> classes never match): larger type,
   only the conversation and its sources, side by side (filters, feedback and export hidden).
   Gradio outranks plain selectors, hence !important. */
#main-row.unsc-present { font-size: 20px !important; }
#main-row.unsc-present #chat .message, #main-row.unsc-present #chat .prose {
  font-size: 1.25rem !important; line-height: 1.55 !important; }
#main-row.unsc-present .unsc-sources { font-size: 1.2rem !important; }
#unsc-header.unsc-present #unsc-title .sub, #unsc-header.unsc-present #status, #main-row.unsc-present #examples,
#below-row.unsc-present { display: none !important; }
@media (min-width: 700px) {
  #main-row.unsc-present { flex-wrap: nowrap !important; }
  #main-row.unsc-present #chat-col, #main-row.unsc-present #sources-col { flex: 1 1 0 !important; min-width: 0 !important; }
}
"""

PRESENT_JS = """(on) => { for (const id of ['#unsc-header', '#main-row', '#below-row']) {
  const el = document.querySelector(id); if (el) el.classList.toggle('unsc-present', !!on); } }"""

# Runs once on page load (Gradio `js=`). Whenever the conversation changes, the chat is scrolled
# so that the latest question sits at its top: the answer streams in below it and its first
# screen stays in view (Gradio's autoscroll would pin the last line instead). A new sources panel
# starts at source [1]. The window itself is never scrolled, so nothing jumps on load.
SCRIPT = """
() => {
  const scroller = (el, stop) => {
    for (let n = el && el.parentElement; n && n !== stop; n = n.parentElement) {
      const oy = getComputedStyle(n).overflowY;
      if ((oy === 'auto' || oy === 'scroll') && n.scrollHeight > n.clientHeight + 1) return n;
    }
    return null;
  };
  let lastKey = '';
  const pinLatest = () => {
    const chat = document.querySelector('#chat');
    if (!chat) return;
    const users = chat.querySelectorAll('[data-testid="user"]');
    const q = users[users.length - 1];
    if (!q) return;
    const box = scroller(q, chat.parentElement);
    if (!box) return;
    // 40 px below the top edge: clear of the chat's label and buttons, which overlay it
    const top = q.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 40;
    if (Math.abs(box.scrollTop - top) > 2) box.scrollTop = top;
  };
  const watch = () => {
    const chat = document.querySelector('#chat');
    const sources = document.querySelector('#sources');
    if (!chat || !sources) { setTimeout(watch, 200); return; }
    new MutationObserver(() => {
      const n = chat.querySelectorAll('[data-testid="user"], [data-testid="bot"]').length;
      const bots = chat.querySelectorAll('[data-testid="bot"]');
      const key = n + ':' + (bots.length ? bots[bots.length - 1].textContent.length : 0);
      if (key !== lastKey) { lastKey = key; requestAnimationFrame(pinLatest); }
    }).observe(chat, {childList: true, subtree: true, characterData: true});
    new MutationObserver(() => {
      const panel = sources.querySelector('.unsc-sources');
      if (panel) panel.scrollTop = 0;
    }).observe(sources, {childList: true, subtree: true});
  };
  // Fit both panes to the window: the chat ends with its input row at the bottom edge, the
  // sources panel ends level with it. CSS gives a static first guess (--unsc-pane-h); this
  // measures the real header, which wraps differently at every width.
  const fit = () => {
    const chat = document.querySelector('#chat'), ask = document.querySelector('#ask-row');
    const panel = document.querySelector('#sources .unsc-sources');
    const root = document.querySelector('#main-row');
    if (!chat || !ask || !root) return;
    const stacked = panel && panel.getBoundingClientRect().top >= chat.getBoundingClientRect().bottom - 1;
    const top = chat.getBoundingClientRect().top + window.scrollY;
    const h = Math.max(260, Math.floor(window.innerHeight - top - ask.getBoundingClientRect().height - 22));
    root.style.setProperty('--unsc-pane-h', h + 'px');
    if (panel && !stacked) {
      const ptop = panel.getBoundingClientRect().top + window.scrollY;
      root.style.setProperty('--unsc-src-h', Math.max(200, Math.floor(top + h + ask.getBoundingClientRect().height + 6 - ptop)) + 'px');
    }
  };
  window.addEventListener('resize', () => requestAnimationFrame(fit));
  const sources = () => document.querySelector('#sources');
  const fitWhenReady = () => {
    if (!document.querySelector('#ask-row') || !sources()) { setTimeout(fitWhenReady, 100); return; }
    fit();
    new MutationObserver(() => requestAnimationFrame(fit)).observe(sources(), {childList: true});
    // the header, the input row and the sources bar change height with width, mode and input
    const ro = new ResizeObserver(() => requestAnimationFrame(fit));
    for (const sel of ['#unsc-header', '#ask-row', '#sources-bar']) {
      const el = document.querySelector(sel);
      if (el) ro.observe(el);
    }
  };
  fitWhenReady();
  document.body.addEventListener('change', () => setTimeout(fit, 50));
  watch();
}
"""
