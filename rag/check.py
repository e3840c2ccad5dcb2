"""Citation checking: does every answer sentence carry a marker of a given source that supports it?

Used for both answer modes. For every sentence of the answer (split quote- and marker-aware, a
marker right after a full stop belongs to the sentence before it):

1. Markers must name a source that was given (`[3]` with two sources is invalid; `clean_markers`
   removes such markers, the caller notes it).
2. The sentence must be supported by at least one of its cited sources. Evidence of a source is its
   text plus its footnotes (`Chunk.evidence_text`).
   - Numbers are hard facts: a number in the sentence that the source doesn't contain fails it.
   - A quotation (“…”) found verbatim in the source supports it (this is how cross-language
     extractive answers quote).
   - Same language: the share of the sentence's content tokens (CJK bigrams, jieba words, English
     stems, numbers) found in the evidence must reach `threshold`.
   - Cross-language (English sentence, Chinese source or vice versa): anchors (numbers, symbols,
     dates) must all match and the glossary-translated terms must overlap (`cross_threshold`), or
     the optional `semantic(sentence, evidence) -> similarity` callable (e.g. embedding cosine,
     supplied by the caller) must reach `semantic_threshold`.
3. A sentence without a marker is unsupported unless it is the "not in the sources" phrase or a
   short connective ("此外：", "In summary:").

Thresholds (calibrated in tests/rag/test_check.py on fixture paraphrases vs fabrications):
extractive answers score 1.0 (verbatim quotes); same-language paraphrases 0.69–1.0; fabricated
same-language sentences 0.16–0.62 or 0 on a number mismatch → SUPPORT_THRESHOLD 0.65 (narrow gap:
a sentence re-combining the source's names with an invented predicate can reach ~0.6; pass a
`semantic` callable for stricter checking). Cross-language: supported paraphrases 0.70–0.93,
fabricated ≤ 0.48 → CROSS_THRESHOLD 0.6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from ingest.chunk import Chunk
from ingest.symbols import symbols_in
from rag.messages import NOT_IN_SOURCES, detect_lang, is_not_in_sources, msg, ui_lang
from rag.sentences import _EN_ABBREV, compact, content_tokens, dates, en_terms, is_cjk, normalise, numbers, zh_words

SUPPORT_THRESHOLD = 0.65
CROSS_THRESHOLD = 0.6
SEMANTIC_THRESHOLD = 0.8

Semantic = Callable[[str, str], float]

MARKER = re.compile(r"\[\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*\]")
_MARKER_GROUP = re.compile(r"(?:\s*\[\s*\d+(?:\s*[,，、]\s*\d+)*\s*\])+")
_TOKEN = re.compile(
    r"“[^”\n]*”|（[^）\n]*）|\"[^\"\n]*\"|\[\s*\d+(?:\s*[,，、]\s*\d+)*\s*\]|\n+|[。！？!?]+[”’」』)）]*|\.(?=[\s\"”’)\]]|$)[”’\")]*"
)
_WRAPPERS = re.compile(
    r"According to the [A-Z][a-z]+ (?:record|text)(?: of [^:：“]*)?:\s*|据[\u4e00-\u9fff]{1,4}文本[，：][^：“]*：?"
    r"|[\u4e00-\u9fff]{1,4}记录称：|（脚注\s*\w+：|\(footnote \w+:\s*|脚注|footnote",
)
_CONNECTIVE = re.compile(
    r"^(?:此外|另外|总之|综上所述?|具体而言|如下|以下是?|根据(?:所给)?(?:来源|记录)|In addition|Additionally|In summary|Overall|"
    r"Specifically|Moreover|Furthermore|According to the (?:sources|records)|The sources say|Sources?)[\s,，:：.。]*$",
    re.I,
)
_FLAG_RE = re.compile(r"\s?\[(?:unsupported|未经核实)\]")
_ATTRIBUTED = re.compile(r"^(?P<lead>[^“\"\n]{2,160}?)[:：]\s*[“\"](?P<quote>.+)[”\"]\s*[.。]?$", re.S)


def normalise_markers(text: str) -> str:
    """Full-width/CJK brackets 【1】［1］ → [1]."""
    return re.sub(r"[【［]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[】］]", r"[\1]", text)


def markers_in(text: str) -> list[int]:
    out: list[int] = []
    for m in MARKER.finditer(text):
        for n in re.split(r"\s*[,，、]\s*", m.group(1)):
            if n and int(n) not in out:
                out.append(int(n))
    return out


def strip_markers(text: str) -> str:
    return _FLAG_RE.sub("", MARKER.sub("", text)).strip()


@dataclass
class AnswerSentence:
    text: str  # as written, markers included
    start: int
    end: int

    @property
    def markers(self) -> list[int]:
        return markers_in(self.text)

    @property
    def content(self) -> str:
        return strip_markers(self.text)


def split_answer(text: str) -> list[AnswerSentence]:
    """Sentences of an answer; markers following a sentence end stay with that sentence."""
    out: list[AnswerSentence] = []
    start = 0

    def close(end: int) -> None:
        nonlocal start
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            out.append(AnswerSentence(piece.strip(), start + lead, end - trail))
        start = end

    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if m.start() < start or tok[0] in "“\"（":
            continue
        if tok[0] == "[":
            g = _MARKER_GROUP.match(text, m.start())
            assert g is not None  # _TOKEN's marker alternative is a _MARKER_GROUP: it matches here
            rest = text[g.end():].lstrip(" \t")
            if rest and (rest[0] in ".。,，;；:：!?！？)）、" or rest[0].islower()):
                continue  # marker inside the sentence, or before its full stop
            close(g.end())
            continue
        if tok[0] == "\n":
            close(m.start())
            start = m.end()
            continue
        if tok[0] == ".":
            before = text[start:m.start()]
            word = re.search(r"([A-Za-z.]+)$", before)
            if word and word.group(1).lower().rstrip(".") in _EN_ABBREV:
                continue
            if re.fullmatch(r"\s*(?:[-*•]\s*)?\(?\w{1,3}\)?", before):
                continue  # enumerator "1." / "(a)."
            nxt = text[m.end():].lstrip(" ")
            if nxt[:1].islower():
                continue
        end = m.end()
        g = _MARKER_GROUP.match(text, end)
        if g:
            end = g.end()
        close(end)
    close(len(text))
    # pieces that are only punctuation (". " after "… [1]") join the previous sentence
    merged: list[AnswerSentence] = []
    for s in out:
        if merged and not re.search(r"[\w\u4e00-\u9fff]", MARKER.sub("", s.text)) and not s.markers:
            p = merged[-1]
            merged[-1] = AnswerSentence(text[p.start:s.end], p.start, s.end)
        else:
            merged.append(s)
    return merged


def clean_markers(text: str, valid: set[int]) -> tuple[str, list[int]]:
    """Remove markers (or marker numbers) that point to no given source; return text and the removed numbers."""
    removed: list[int] = []
    marker = re.compile(r"(\s*)" + MARKER.pattern)

    def fix(m: re.Match) -> str:
        nums = [int(n) for n in re.split(r"\s*[,，、]\s*", m.group(2)) if n]
        keep = [n for n in nums if n in valid]
        removed.extend(n for n in nums if n not in valid and n not in removed)
        return m.group(1) + "".join(f"[{n}]" for n in keep) if keep else ""

    return marker.sub(fix, normalise_markers(text)), removed


def check_evidence(chunk: Chunk) -> str:
    """What a citation of `chunk` can vouch for: text, footnotes, and its own identity (symbols,
    date, vote tally) — a resolution paragraph supports "resolution 2518 (2020) requests …"."""
    extra = list(chunk.symbols)
    if chunk.kind in ("resolution_paragraph", "document_card"):
        extra.append(chunk.doc_id)
    if chunk.date:
        extra.append(chunk.date)
    if chunk.vote is not None and chunk.vote.tally:
        extra.append(chunk.vote.tally)
    return chunk.evidence_text() + ("\n" + " ".join(extra) if extra else "")


def _quotes(text: str) -> list[str]:
    return [q for q in re.findall(r"“([^”]+)”|\"([^\"]+)\"", text) for q in q if q]


def _strip_wrappers(text: str) -> str:
    return _WRAPPERS.sub(" ", text)


def _anchors(text: str) -> set[str]:
    return {"#" + n for n in numbers(text)} | set(symbols_in(text)) | {f"@{m}-{d}" for m, d in dates(text)}


def _gloss_share(sentence: str, evidence: str) -> float:
    """Share of the sentence's glossary terms whose translation the evidence contains."""
    from rag.glossary import GLOSSARY_EN, GLOSSARY_ZH, match_phrases

    ev_c = compact(evidence)
    if is_cjk(sentence):
        ev_terms = set(en_terms(normalise(evidence, nfkc=True)))
        hits = total = 0
        for zh, keys in GLOSSARY_ZH.items():
            if zh in sentence:
                total += 1
                hits += any(all(p in ev_terms for p in k) for k in keys)
        return hits / total if total else 0.0
    words = [w for w in en_terms(sentence) if not w.isdigit()]
    hits = total = 0
    used: set[int] = set()
    for span, key in match_phrases(words):
        used.update(span)
        total += 1
        hits += any(z in ev_c for z in GLOSSARY_EN[key])
    # words the glossary can't translate count as unverified (names/numbers are anchors instead)
    total += sum(1 for i, w in enumerate(words) if i not in used and len(w) > 2)
    return hits / total if total else 0.0


def support_score(sentence: str, chunk: Chunk, semantic: Semantic | None = None) -> tuple[float, str]:
    """How well `chunk` supports `sentence` (markers stripped) in [0, 1], with a reason."""
    evidence = check_evidence(chunk)
    ev_c = compact(evidence)
    body = strip_markers(sentence)
    # An attributed quote ("Resolution 2538 (2020), operative paragraph 6: “…”"): the lead names
    # the record's place, so its numbers must be the chunk's own (symbol, year, paragraph, section);
    # the quoted words are then checked as the sentence.
    lead = _ATTRIBUTED.match(body)
    if lead:
        own = numbers(" ".join([evidence, chunk.doc_id, chunk.section or "", str(chunk.paragraph or ""),
                                chunk.label or "", chunk.id.rsplit("|", 1)[-1]]))
        if numbers(lead.group("lead")) - own:
            return 0.0, f"attribution names another place: {lead.group('lead')}"
        body = lead.group("quote")
    # Verbatim text (the whole sentence, or a quotation in it) supports itself; composed footnote
    # content ("（脚注650：…）") must be the source's too.
    for q in [body] + _quotes(body):
        notes = re.findall(r"（脚注\s*\w+：([^）]*)）|\(footnote \w+:\s*([^)]*)\)", q)
        core = re.sub(r"（脚注\s*\w+：[^）]*）|\(footnote \w+:[^)]*\)", "", q)
        core = re.sub(r"^.*?(?:record:|记录称：)\s*“", "", core) if q is body else core
        core_c = compact(core).strip("“”\"").rstrip("。.;；").rstrip("…").rstrip("，,;；")
        if len(core_c) >= 8 and core_c in ev_c and all(compact(a or b).rstrip("。.…") in ev_c for a, b in notes):
            return 1.0, "quote"
    text = _strip_wrappers(body)
    s_nums = numbers(text)
    missing = s_nums - numbers(evidence)
    if missing:
        return 0.0, f"numbers not in source: {', '.join(sorted(missing))}"
    same_lang = ui_lang(detect_lang(text)) == ui_lang(chunk.lang)
    if same_lang:
        toks = content_tokens(text)
        if not toks:
            return 0.0, "no content"
        ev_toks = content_tokens(evidence)
        if is_cjk(text):
            # words (jieba) and CJK bigrams must both be mostly found; a token counts as found as
            # a substring too, since jieba may split the source differently.
            def share(ts: set[str]) -> float:
                return sum(1 for t in ts if t in ev_toks or t.lstrip("#").lower() in ev_c) / len(ts) if ts else 1.0
            words = {t for t in toks if t.startswith("#") or len(t) != 2 or not is_cjk(t)} | set(zh_words(normalise(text)))
            grams = {t for t in toks if t.startswith("#") or is_cjk(t) and len(t) == 2} | {t for t in toks if not is_cjk(t)}
            score = min(share(words), share(grams))
        else:
            score = len(toks & ev_toks) / len(toks)
        reason = "lexical"
    else:
        anchors = _anchors(text)
        anchor_ok = bool(anchors) and anchors <= _anchors(evidence)
        gloss = _gloss_share(text, evidence)
        score = 0.4 * anchor_ok + 0.6 * gloss if anchors else 0.8 * gloss
        reason = "cross-language"
    if semantic is not None and score < 1.0:
        try:
            sim = float(semantic(text, evidence))
        except Exception:  # noqa: BLE001 - a failing embedder must not break answering
            sim = 0.0
        if sim >= SEMANTIC_THRESHOLD:
            return max(score, 1.0 if sim >= SEMANTIC_THRESHOLD else score), "semantic"
    return score, reason


@dataclass
class SentenceCheck:
    text: str
    markers: list[int]
    invalid: list[int]
    supported: bool
    score: float
    reason: str
    supporting: list[int] = field(default_factory=list)  # markers whose source supports the sentence


@dataclass
class CheckResult:
    sentences: list[SentenceCheck]
    invalid_markers: list[int]
    text: str  # answer with invalid markers removed and unsupported sentences flagged

    @property
    def unsupported(self) -> list[str]:
        return [strip_markers(s.text) for s in self.sentences if not s.supported]

    @property
    def cited(self) -> list[int]:
        """Markers used by the answer (valid ones), in order of first use."""
        out: list[int] = []
        for s in self.sentences:
            for n in s.markers:
                if n not in out and n not in s.invalid:
                    out.append(n)
        return out

    @property
    def has_valid_citation(self) -> bool:
        return any(s.supported and s.supporting for s in self.sentences)

    @property
    def ok(self) -> bool:
        return not self.invalid_markers and all(s.supported for s in self.sentences)


def _is_connective(text: str) -> bool:
    t = strip_markers(text).strip()
    if not t or is_not_in_sources(t) or any(compact(p) in compact(t) for p in NOT_IN_SOURCES.values()):
        return True
    if _CONNECTIVE.match(t) or (t.endswith((":", "：")) and len(t) <= 40):
        return True
    return False


def check_answer(
    text: str,
    sources: Mapping[int, Chunk] | Sequence[Chunk],
    lang: str | None = None,
    semantic: Semantic | None = None,
    threshold: float = SUPPORT_THRESHOLD,
    cross_threshold: float = CROSS_THRESHOLD,
    flag: bool = True,
) -> CheckResult:
    """Check every sentence of `text` against the numbered `sources` (a list is numbered from 1)."""
    if not isinstance(sources, Mapping):
        sources = {i + 1: c for i, c in enumerate(sources)}
    lang = lang or detect_lang(text)
    cleaned, removed = clean_markers(text, set(sources))
    # Remember which sentence lost its markers: re-run the split on the original text for that.
    original = split_answer(normalise_markers(text))
    pieces = split_answer(cleaned)
    invalid_by_content = {compact(s.content): [n for n in s.markers if n not in sources] for s in original}
    checks: list[SentenceCheck] = []
    for p in pieces:
        invalid = invalid_by_content.get(compact(p.content), [])
        markers = [n for n in p.markers if n in sources]
        if not markers:
            if not invalid and _is_connective(p.text):
                checks.append(SentenceCheck(p.text, [], [], True, 1.0, "connective"))
            else:
                checks.append(SentenceCheck(p.text, [], invalid, False, 0.0, "no valid marker" if invalid else "no marker"))
            continue
        best, reason, supporting = 0.0, "", []
        for n in markers:
            score, why = support_score(p.content, sources[n], semantic)
            cross = ui_lang(detect_lang(p.content)) != ui_lang(sources[n].lang) and why == "cross-language"
            if score >= (cross_threshold if cross else threshold):
                supporting.append(n)
            if score > best or not reason:
                best, reason = max(best, score), why
        checks.append(SentenceCheck(p.text, markers, invalid, bool(supporting), round(best, 3), reason, supporting))
    out = cleaned
    if flag:
        suffix = msg("unsupported_flag", lang)
        for p, c in sorted(zip(pieces, checks, strict=True), key=lambda x: -x[0].end):
            if not c.supported and not _FLAG_RE.search(p.text):
                out = out[: p.end] + suffix + out[p.end:]
    return CheckResult(checks, removed, out)


def check_sentences(sentences, sources: Mapping[int, Chunk], semantic: Semantic | None = None,
                    threshold: float = SUPPORT_THRESHOLD, cross_threshold: float = CROSS_THRESHOLD) -> list[SentenceCheck]:
    """Check typed answer sentences (rag.types.AnswerSentence) against the numbered sources.

    No text is parsed back: each sentence says which markers back it. A quote is checked as the
    record's words (`quote`), its attribution (built from the same chunk's fields) is not; a
    "lead" sentence naming a document is built from the cited chunk's own record and holds when
    that chunk is the document's. Sets `unsupported` on each sentence and returns the checks.
    """
    out: list[SentenceCheck] = []
    for s in sentences:
        markers = [n for n in s.markers if n in sources]
        invalid = [n for n in s.markers if n not in sources]
        if s.role in ("abstention", "connective"):
            out.append(SentenceCheck(s.text, markers, invalid, True, 1.0, s.role))
            continue
        if not markers:
            s.unsupported = True
            out.append(SentenceCheck(s.text, [], invalid, False, 0.0, "no valid marker" if invalid else "no marker"))
            continue
        best, reason, supporting = 0.0, "", []
        for n in markers:
            chunk = sources[n]
            if s.role == "lead":
                score, why = (1.0, "record") if chunk.id in s.chunk_ids else (0.0, "other record")
            else:
                score, why = support_score(s.quote or s.text, chunk, semantic)
            cross = ui_lang(detect_lang(s.quote or s.text)) != ui_lang(chunk.lang) and why == "cross-language"
            if score >= (cross_threshold if cross else threshold):
                supporting.append(n)
            if score > best or not reason:
                best, reason = max(best, score), why
        s.unsupported = not supporting
        out.append(SentenceCheck(s.text, markers, invalid, bool(supporting), round(best, 3), reason, supporting))
    return out
