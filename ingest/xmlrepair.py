"""Safe parsing of untrusted XML, with recovery of the malformed files the UN publishes.

About one presidential statement in seven in the UN's AKN set is not well-formed: the markup of
the title block was cut and pasted into the body, leaving stray closing tags (`</docTitle></p>`
inside `<mainBody>`) and paragraphs that are never closed. Refusing those files would lose
the statements; guessing at them with a lenient HTML parser would lose the paragraph
boundaries. So recovery works in two steps, each of which keeps the guarantees of strict
parsing (no DTD, no entity expansion, no external references: the repaired text is parsed by
defusedxml again):

1. **Rebalance**: walk the tags with a stack; a closing tag that closes nothing open is dropped,
   one that closes an ancestor closes the elements left open inside it, unescaped `&` and `<`
   in text become `&amp;`/`&lt;`, HTML named references become characters, and whatever is
   still open at the end is closed. Block elements that ended up nested inside each other
   (`paragraph` inside an unclosed `paragraph`) are lifted back to siblings.
2. **Strip**: if that still does not parse, the text is cut at block boundaries (`</p>`,
   `</paragraph>`, ...) and rebuilt as a minimal Akoma Ntoso document with the symbol, date
   and language read from the raw markup, one paragraph per block.

Files that declare a DOCTYPE are never repaired: a DTD is where entity attacks live, so such a
file must parse strictly or not at all.
"""

from __future__ import annotations

import html.entities
import re
import xml.etree.ElementTree as StdET
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree as SafeET

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

# Elements that hold one block of a document; when one is found directly inside another (and
# not inside a `content`/`list` wrapper) the outer one was left unclosed by the markup.
BLOCKS = {"paragraph", "alinea", "container", "subdivision", "blockList"}

_TOKEN = re.compile(
    r"<!--.*?-->"  # comment
    r"|<\?.*?\?>"  # processing instruction / declaration
    r"|<!\[CDATA\[.*?\]\]>"  # CDATA
    r"|</\s*([A-Za-z_][\w.:-]*)\s*>"  # end tag
    r"|<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*)\s*(/?)>",  # start tag
    re.DOTALL,
)
_ATTR = re.compile(r"([A-Za-z_][\w.:-]*)\s*=\s*(\"[^\"<]*\"|'[^'<]*')")
_AMP = re.compile(r"&(?!(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)")
_NAMED_REF = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_REFS = {"amp", "lt", "gt", "quot", "apos"}


@dataclass
class Parsed:
    """A parsed document and, when it had to be recovered, what was done to it."""

    root: StdET.Element
    repairs: list[str] = field(default_factory=list)

    @property
    def recovered(self) -> bool:
        return bool(self.repairs)


def strict(data: bytes) -> StdET.Element:
    """Parse with defusedxml; every failure becomes a ValueError with a short reason."""
    if not data or not data.strip():
        raise ValueError("not XML: empty file")
    try:
        return SafeET.fromstring(data)
    except (defusedxml.EntitiesForbidden, defusedxml.DTDForbidden) as exc:
        raise ValueError("XML entity expansion refused") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise ValueError("XML external reference refused") from exc
    except StdET.ParseError as exc:
        raise ValueError(f"malformed XML: {exc}") from exc


def parse_untrusted(data: bytes) -> Parsed:
    """Strict parse, else rebalanced parse, else stripped rebuild; ValueError when nothing works."""
    try:
        return Parsed(strict(data))
    except ValueError as exc:
        if not str(exc).startswith("malformed XML"):
            raise
        first_error = str(exc)
    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:65536], re.IGNORECASE):
        raise ValueError(first_error + " (not repaired: the file declares a DTD)")
    text = data.decode("utf-8", errors="replace")
    repaired, notes = rebalance(text)
    try:
        root = strict(repaired.encode("utf-8"))
    except ValueError:
        root = None
    if root is not None:
        lifted = lift_nested_blocks(root)
        if lifted:
            notes.append(f"{lifted} block(s) lifted out of an unclosed paragraph")
        return Parsed(root, [first_error.replace("malformed XML: ", "malformed XML at ")] + notes)
    rebuilt = strip_to_blocks(text)
    if rebuilt is None:
        raise ValueError(first_error)
    return Parsed(rebuilt, [first_error.replace("malformed XML: ", "malformed XML at "), "rebuilt from its text blocks (markup discarded)"])


def _fix_text(chunk: str, counts: dict[str, int]) -> str:
    """Escape bare `&` and `<`, turn HTML named references into characters."""
    def named(m: re.Match) -> str:
        name = m.group(1)
        if name in _XML_REFS:
            return m.group(0)
        char = html.entities.html5.get(name + ";")
        counts["named references replaced"] += 1
        return char if char is not None else "&amp;" + name + ";"

    def bare_amp(_m: re.Match[str]) -> str:
        counts["bare & escaped"] += 1
        return "&amp;"

    fixed = _AMP.sub(bare_amp, chunk)
    fixed = _NAMED_REF.sub(named, fixed)
    if "<" in fixed or ">" in fixed:
        counts["bare < escaped"] += fixed.count("<")
        fixed = fixed.replace("<", "&lt;").replace(">", "&gt;")
    return fixed


def _fix_attrs(attrs: str, counts: dict[str, int]) -> str:
    seen: set[str] = set()
    out = []
    for name, value in _ATTR.findall(attrs):
        if name in seen:
            counts["duplicate attributes dropped"] += 1
            continue
        seen.add(name)
        quote = value[0]
        inner = _fix_text(value[1:-1], counts).replace(quote, "&quot;" if quote == '"' else "&apos;")
        out.append(f" {name}={quote}{inner}{quote}")
    return "".join(out)


def rebalance(text: str) -> tuple[str, list[str]]:
    """Well-formed version of `text`: stray end tags dropped, open tags closed, bare `&`/`<` escaped."""
    counts: dict[str, int] = {k: 0 for k in (
        "stray closing tags dropped", "unclosed elements closed", "bare & escaped",
        "bare < escaped", "named references replaced", "duplicate attributes dropped")}
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    root_closed = False
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            between = text[pos:m.start()]
            if not root_closed or between.strip() == "":
                out.append(_fix_text(between, counts) if stack else (between if not between.strip() else ""))
        pos = m.end()
        token = m.group(0)
        end_name, start_name = m.group(1), m.group(2)
        if end_name:
            if stack and stack[-1] == end_name:
                stack.pop()
                out.append(f"</{end_name}>")
            elif end_name in stack:
                while stack[-1] != end_name:
                    out.append(f"</{stack.pop()}>")
                    counts["unclosed elements closed"] += 1
                stack.pop()
                out.append(f"</{end_name}>")
            else:
                counts["stray closing tags dropped"] += 1
            if not stack:
                root_closed = True
        elif start_name:
            if root_closed:
                continue  # content after the root element cannot be kept in XML
            attrs = _fix_attrs(m.group(3) or "", counts)
            if m.group(4):
                out.append(f"<{start_name}{attrs}/>")
            else:
                out.append(f"<{start_name}{attrs}>")
                stack.append(start_name)
        elif token.startswith(("<!--", "<?")):
            out.append(token if not token.startswith("<?") or not out else "")
        else:  # CDATA
            out.append(token if stack else "")
    tail = text[pos:]
    if stack and tail:
        out.append(_fix_text(tail, counts))
    while stack:
        out.append(f"</{stack.pop()}>")
        counts["unclosed elements closed"] += 1
    notes = [f"{n} {what}" for what, n in counts.items() if n]
    return "".join(out), notes


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def lift_nested_blocks(root: StdET.Element) -> int:
    """Move block elements nested directly in another block out to follow it; returns how many moved.

    `<paragraph>title<paragraph>1</paragraph><paragraph>2</paragraph></paragraph>` (the shape an
    unclosed paragraph leaves after rebalancing) becomes three sibling paragraphs, in order.
    """
    moved = 0
    for parent in list(root.iter()):
        if _local(parent.tag) in BLOCKS:
            continue
        i = 0
        while i < len(parent):
            child = parent[i]
            if _local(child.tag) in BLOCKS:
                nested = [c for c in child if _local(c.tag) in BLOCKS]
                if nested:
                    for k, c in enumerate(nested, start=1):
                        child.remove(c)
                        parent.insert(i + k, c)
                        moved += 1
                    if c.tail is None:
                        c.tail = child.tail
            i += 1
    return moved


_BLOCK_END = re.compile(r"</\s*(?:p|paragraph|alinea|heading|subheading|point|item|li|div|container)\s*>|<br\s*/?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_INLINE_TAG = re.compile(r"</?(?:\w+:)?(?:i|b|u|span|a|sup|sub|inline|term|ref|date|docDate|noteRef)\b[^>]*>")
_META = re.compile(r"<meta\b.*?</meta\s*>", re.DOTALL | re.IGNORECASE)


def strip_to_blocks(text: str) -> StdET.Element | None:
    """Last resort: a minimal AKN tree holding the document's text blocks, markup discarded.

    The document type, symbol, date and language are read from the raw markup with patterns (no
    parser is involved), so the rebuilt tree identifies the same document.
    """
    name = re.search(r"<(?:\w+:)?(?:statement|resolution|doc)\b[^>]*\bname=\"([^\"]+)\"", text)
    number = re.search(r"<(?:\w+:)?docNumber[^>]*>([^<]*)<", text)
    lang = re.search(r"<(?:\w+:)?FRBRlanguage[^>]*language=\"([^\"]+)\"", text)
    dates = re.search(r"<(?:\w+:)?FRBRdate[^>]*date=\"(\d{4}-\d{2}-\d{2})\"[^>]*name=\"(?:adoption|voting)\"", text)
    body_start = re.search(r"<(?:\w+:)?(?:preamble|mainBody)\b", text)
    body = _META.sub(" ", text[body_start.start():] if body_start else text)
    blocks = []
    for piece in _BLOCK_END.split(body):
        plain = html.unescape(_ANY_TAG.sub(" ", _INLINE_TAG.sub("", piece)))
        plain = re.sub(r"\s+", " ", plain).strip()
        if plain:
            blocks.append(plain)
    if not blocks:
        return None
    ns = "{" + AKN_NS + "}"
    root = StdET.Element(ns + "akomaNtoso")
    doc = StdET.SubElement(root, ns + "statement", name=name.group(1) if name else "statement")
    meta = StdET.SubElement(doc, ns + "meta")
    ident = StdET.SubElement(meta, ns + "identification")
    work = StdET.SubElement(ident, ns + "FRBRWork")
    if dates:
        StdET.SubElement(work, ns + "FRBRdate", date=dates.group(1), name="adoption")
    expr = StdET.SubElement(ident, ns + "FRBRExpression")
    if lang:
        StdET.SubElement(expr, ns + "FRBRlanguage", language=lang.group(1))
    if number and number.group(1).strip():
        cover = StdET.SubElement(doc, ns + "coverPage")
        p = StdET.SubElement(cover, ns + "p")
        StdET.SubElement(p, ns + "docNumber").text = number.group(1).strip()
    main = StdET.SubElement(doc, ns + "mainBody")
    for i, block in enumerate(blocks, start=1):
        para = StdET.SubElement(main, ns + "paragraph", eId=f"recovered_{i}")
        content = StdET.SubElement(para, ns + "content")
        StdET.SubElement(content, ns + "p").text = block
    return root
