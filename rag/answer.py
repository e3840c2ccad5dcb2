"""Answers with checked citations: the models tools and the UI read, and the `Answerer` facade.

`Answerer(llm=None)` answers extractively (rag.extractive): quoted sentences of the retrieved
chunks, each ending with its marker. `Answerer(llm="openai:…" | "llamacpp:…" | BaseChatModel)`
asks the chat model (rag.llm) and checks its citations (rag.check).

Mode and fallback (tools read `mode`):
- `mode == "llm"` only when the LLM's answer was kept: it has at least one sentence with a valid,
  supported citation (and those sentences share key terms with the question: MIN_RELEVANCE),
  or it is the "not in the sources" phrase (then `abstained=True`). Sentences
  that fail the check stay in the text, flagged ` [unsupported]`/` [未经核实]`, and are listed in
  `unsupported`; markers pointing at sources not given are removed (noted in `notes`).
- otherwise (no valid citation, empty/garbage reply, model error) the answer is the extractive
  one, `mode == "extractive"`, with a note explaining the fallback.

The answer is a typed record: `Answer.sentences` (text, markers, source chunks and language, the
quote's attribution, flags unsupported / cross-language / draft-not-adopted) and `Answer.citations`
(record kind, language, place, and the official twin in the other language). `Answer.answer`, the
flat text with markers, is built from the sentences (`answer_text`); the chat, the source cards,
the Markdown export, the JSON contract and the citation checker (`check_sentences`) read the
records, never the text. Only text written by others (a structured answer, a model's reply) is
split into sentences, once, at that boundary (`sentences_of_text`, `check_answer`).

Abstention is grounded in what the question names (rag.grounding); a question presuming a decision
answered from a draft that was not adopted is corrected and flagged `abstained`.

`stream()` yields `AnswerEvent(type="delta", text=…)` while the model generates, then exactly one
`AnswerEvent(type="answer", answer=…)`. The final answer is authoritative: after a fallback its
text differs from the streamed deltas, and the UI should replace what it showed.
"""

from __future__ import annotations

import re
import time
from typing import Iterator, Literal, Sequence

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field

from ingest.chunk import Chunk, Footnote
from rag import attribution, extractive, grounding
from rag.conversation import rewrite_query
from rag.check import Semantic, check_answer, check_sentences, markers_in, split_answer, strip_markers
from rag.llm import build_messages, make_chat_model, stream_text
from rag.messages import detect_lang, is_not_in_sources, msg, ui_lang
from rag.sentences import _jieba, chunk_sentences, content_tokens
from rag.parallel import NoParallel, Parallel
from rag.facts import names_in, state_key
from rag.question import (NOT_ADOPTED, asks_adopted, asks_version, defined_names, definition_pattern, names_as_sponsor,
                          says_not_adopted, version_names)
from rag.types import AnswerSentence, CitedDocument, CitedParagraph, ScoredChunk


class Citation(BaseModel):
    n: int
    chunk_id: str
    doc_id: str
    kind: str
    section: str = ""
    paragraph: int | None = None
    text: str
    symbols: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    highlights: list[str] = Field(default_factory=list, description="Sentences of this source that support the answer.")
    doc_kind: str = Field(default="other", description="Record kind (Chunk.doc_kind): resolution, presidential_statement, "
                                                       "draft_not_adopted, veto, repertoire, other.")
    lang: str = ""
    label: str | None = None
    where: str = Field(default="", description="Where the source sits, in the question's language (rag.attribution.where).")
    date: str | None = None
    title: str | None = None
    outcome: str | None = Field(default=None, description="A draft's outcome from its record ('not adopted', 'vetoed').")
    vetoed_by: list[str] = Field(default_factory=list)
    twin_chunk_id: str | None = Field(default=None, description="The same paragraph in the document's other official language.")
    twin_lang: str | None = None
    twin_text: str | None = None
    followed: dict[str, list[CitedParagraph]] = Field(
        default_factory=dict, description="Footnote number → the paragraphs it cites, as the store holds them.")
    doc_langs: list[str] = Field(default_factory=list, description="Languages the store holds the document's text in, cards "
                                                                   "aside (one: no other official version in the records).")
    cites: list[CitedDocument] = Field(default_factory=list, description="Documents a resolution passage names, "
                                                                         "with their held card when in the store.")

    @classmethod
    def of(cls, n: int, chunk: Chunk, highlights: list[str], twins: Sequence[Chunk] = (), lang: str | None = None,
           followed: dict[str, list[CitedParagraph]] | None = None) -> "Citation":
        symbols = list(chunk.symbols)
        links = list(chunk.links)
        vote = chunk.vote
        twins = [t for t in twins if t.id != chunk.id]
        return cls(n=n, chunk_id=chunk.id, doc_id=chunk.doc_id, kind=chunk.kind, section=chunk.section,
                   paragraph=chunk.paragraph, text=chunk.text, symbols=symbols, links=links,
                   footnotes=list(chunk.footnotes), highlights=highlights, doc_kind=chunk.doc_kind,
                   lang=chunk.lang, label=chunk.label, where=attribution.where(chunk, lang or chunk.lang),
                   date=chunk.date, title=chunk.title,
                   outcome=vote.outcome if vote is not None else None,
                   vetoed_by=list(vote.vetoed_by) if vote is not None else [],
                   twin_chunk_id=twins[0].id if twins else None, twin_lang=twins[0].lang if twins else None,
                   twin_text=" ".join(t.text for t in twins) if twins else None, followed=followed or {})


class RetrievedRef(BaseModel):
    chunk_id: str
    text: str
    score: float


class Answer(BaseModel):
    question: str
    answer: str
    abstained: bool = False
    premise_corrected: bool = Field(
        default=False, description="The abstention corrects a false premise from the records (it is `abstained` too): "
        "the question as asked has no answer, and what the records show instead is the reply.")
    mode: Literal["extractive", "llm"] = "extractive"
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[RetrievedRef] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    id: str | None = None
    notes: list[str] = Field(default_factory=list)
    lang: str = "en"
    sentences: list[AnswerSentence] = Field(
        default_factory=list,
        description="The answer as typed sentences; `answer` is their text with markers (rag.answer.answer_text).")


class AnswerEvent(BaseModel):
    type: Literal["delta", "answer"]
    text: str = ""
    answer: Answer | None = None


def answer_text(sentences: Sequence[AnswerSentence], lang: str) -> str:
    """The flat answer text (`Answer.answer`) of typed sentences: each with its markers, unsupported
    ones flagged; lines of an abstention and of a structured answer keep their line breaks."""
    zh = ui_lang(lang) == "zh"
    parts: list[str] = []
    for s in sentences:
        marks = "".join(f"[{n}]" for n in s.markers)
        body = s.text + (("" if zh else " ") + marks if marks else "")
        if s.unsupported:
            body += msg("unsupported_flag", lang)
        parts.append(body)
    out = ""
    for s, p in zip(sentences, parts, strict=True):
        if not out:
            out = p
        elif s.role in ("abstention", "line"):
            out += "\n" + p
        else:
            out += ("" if zh else " ") + p
    return out


def sentences_of_text(text: str, chunks: dict[int, Chunk], role: str = "statement") -> list[AnswerSentence]:
    """Typed sentences of an answer that exists only as text (a structured answer's lines, an LLM reply).

    This is the one place text is split back into sentences, at the boundary with producers that
    write text (rag.structured, the chat model); everything downstream reads the records.
    """
    out: list[AnswerSentence] = []
    for li, line in enumerate((text or "").split("\n")):
        for si, piece in enumerate(split_answer(line)):
            marks = [n for n in markers_in(piece.text) if n in chunks]
            srcs = [chunks[n] for n in marks]
            plain = strip_markers(piece.text)
            out.append(AnswerSentence(
                text=plain, markers=marks, chunk_ids=[c.id for c in srcs],
                source_lang=srcs[0].lang if srcs else None, role="line" if li and not si else role,
                cross_language=bool(srcs) and all(ui_lang(c.lang) != ui_lang(detect_lang(plain)) for c in srcs),
                draft_not_adopted=any(c.doc_kind in ("draft_not_adopted", "veto") for c in srcs)))
    return out


# An LLM answer whose supported sentences share none of the question's key terms/symbols/dates
# is not an answer to it (e.g. an injected "HACKED" quoted from the injecting source).
MIN_RELEVANCE = 0.15
# Paragraphs of the top record given a second look for a count or period the top passages lack.
MAX_SECOND_LOOK = 12
# Records of the top passages whose own paragraphs get a second look (in retrieval order).
MAX_LOOKED_RECORDS = 2


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)


class Answerer:
    """Answer a question from retrieved chunks, extractively or with a chat model, citations checked."""

    def __init__(self, llm: BaseChatModel | str | None = None, k: int = 5,
                 abstain_threshold: float = extractive.DEFAULT_ABSTAIN_THRESHOLD,
                 min_coverage: float = extractive.MIN_COVERAGE, semantic: Semantic | None = None,
                 temperature: float = 0.0, max_tokens: int = 512, base_url: str | None = None,
                 api_key: str | None = None, parallel: Parallel | NoParallel | None = None):
        self.k = k
        self.parallel = parallel or NoParallel()
        self.records = None  # with `facts()`: the document records grounding checks read
        self.abstain_threshold = abstain_threshold
        self.min_coverage = min_coverage
        self.semantic = semantic
        _jieba()  # load the dictionary now, not during the first question (~0.4 s)
        self.llm: BaseChatModel | None = (
            make_chat_model(llm, base_url=base_url, api_key=api_key, temperature=temperature, max_tokens=max_tokens)
            if llm is not None else None
        )

    def use_records(self, records) -> None:
        """Quote official twins from these records (anything with `chunks_of(doc_id)`, e.g. the retriever)."""
        if hasattr(records, "chunks_of"):
            self.parallel = Parallel(records)
        self.records = records

    def _followed(self, chunk: Chunk, lang: str) -> dict[str, list[CitedParagraph]]:
        """The paragraphs `chunk`'s footnotes cite, read from the store (operative, in `lang` when held).

        A footnote's paragraph numbers ("paras. 10 and 12") are operative paragraphs of the
        document it names; each is shown in the question's language when that version is held,
        else in the other. Nothing is shown for a document or paragraph the store lacks.
        """
        chunks_of = getattr(self.records, "chunks_of", None)
        out: dict[str, list[CitedParagraph]] = {}
        if chunks_of is None:
            return out
        for f in chunk.footnotes:
            if not f.symbol or not f.paragraphs:
                continue
            try:
                held = [c for c in chunks_of(f.symbol) if c.kind == "resolution_paragraph" and c.paragraph in f.paragraphs
                        and c.id.rsplit("|", 1)[-1].startswith("op")]
            except Exception:  # following a footnote is a courtesy: a failure must not cost the answer
                continue
            for number in f.paragraphs:
                pieces = [c for c in held if c.paragraph == number]
                mine = [c for c in pieces if ui_lang(c.lang) == ui_lang(lang)] or pieces
                if mine:
                    first = mine[0]
                    same = [c for c in mine if c.lang == first.lang]
                    out.setdefault(f.number, []).append(CitedParagraph(
                        symbol=f.symbol, paragraph=number, chunk_id=first.id, lang=first.lang, label=first.label,
                        text=" ".join(c.text for c in same)))
        return out

    def _linked(self, citations: list[Citation], lang: str) -> list[Citation]:
        """The citations with the languages their documents are held in and the held documents they name.

        Why: a card must say when its document has no other official version in the records, and a
        resolution's "Recalling its resolutions 2165 (2014) …" opens the recalled resolution's card
        from the store. Only resolution-type passages (paragraphs, cards) get `cites`: a Repertoire
        paragraph's references are followed through its footnotes.
        """
        chunks_of = getattr(self.records, "chunks_of", None)
        if chunks_of is None:
            return citations
        for c in citations:
            try:
                held = chunks_of(c.doc_id)
            except Exception:  # the notice and links are a courtesy: a failure must not cost the answer
                held = []
            # the document's own text: cards are generated in both languages from the metadata row,
            # so a Chinese card of an English-only resolution is no Chinese official version
            c.doc_langs = sorted({ch.lang.split("-")[0] for ch in held if ch.lang and ch.kind != "document_card"})
            if c.kind in ("resolution_paragraph", "document_card"):
                c.cites = [self._cited_document(s, lang, chunks_of) for s in dict.fromkeys(c.symbols) if s and s != c.doc_id]
        return citations

    @staticmethod
    def _cited_document(symbol: str, lang: str, chunks_of) -> CitedDocument:
        """`symbol` with its card (else its first paragraph), in the question's language when held."""
        try:
            held = list(chunks_of(symbol))
        except Exception:
            held = []
        if not held:
            return CitedDocument(symbol=symbol)
        mine = [c for c in held if ui_lang(c.lang) == ui_lang(lang)] or held
        cards = [c for c in mine if c.kind == "document_card"]
        first = (cards or [c for c in mine if c.kind == "resolution_paragraph"] or mine)[0]
        return CitedDocument(symbol=symbol, in_store=True, card_chunk_id=first.id, kind=first.kind, lang=first.lang,
                             label=first.label, text=first.text)

    def _twins(self, chunk: Chunk) -> list[Chunk]:
        try:
            return self.parallel.twins_of(chunk)
        except Exception:  # pairing is a courtesy: a failure must not cost the answer
            return []

    def _in_language(self, scored: ScoredChunk, lang: str) -> ScoredChunk:
        """The source as the model sees it: the official version in the question's language when
        the paragraph has one (one twin piece), so the model quotes and cites that version."""
        if ui_lang(scored.chunk.lang) == ui_lang(lang):
            return scored
        try:
            twins = self.parallel.twins_of(scored.chunk, ui_lang(lang))
        except Exception:
            twins = []
        return scored.model_copy(update={"chunk": twins[0]}) if len(twins) == 1 else scored

    def selection(self, question: str, retrieved: list[ScoredChunk], lang: str, analysed=None,
                  threshold: float | None = None, min_coverage: float | None = None
                  ) -> tuple[extractive.Selection | None, list[ScoredChunk], list]:
        """The extractive answer's sentence selection, as `answer` makes it: (selection, the passages
        it was made from, what the question names that no passage supports). The selection is None
        when grounding declines before any sentence is scored. The gates default to this answerer's;
        the calibration (scripts/calibrate_abstention.py) opens them to record where each question falls.
        """
        things = self._named_things(analysed)
        candidates = retrieved
        if things:
            # What the question names filters before sentences are scored: passages about it come
            # first (in retrieval order), so a passage ranked 7th about the right mission and year
            # is preferred to the top one about another year; none at all is a decline saying what.
            gaps = [self._gaps(things, r.chunk) for r in retrieved]
            grounded = [r for r, g in zip(retrieved, gaps, strict=True) if not g]
            if not grounded:
                missing = [t for t in things if all(t in g for g in gaps)] or (gaps[0] if gaps else things)
                return None, retrieved, missing
            # a passage of the period's own records before one of a later record recalling them
            later = [r for r in grounded if grounding.dated_elsewhere(things, r.chunk, getattr(self._record(r.chunk), "date", None))]
            candidates = [r for r in grounded if r not in later] + later + \
                [r for r, g in zip(retrieved, gaps, strict=True) if g]
        if asks_adopted(question):
            # a question about a resolution names what the Council adopted: its passages come before
            # those of drafts it did not adopt (which remain, for a premise to be corrected from)
            adopted = [r for r in candidates if r.chunk.doc_kind not in NOT_ADOPTED]
            candidates = adopted + [r for r in candidates if r.chunk.doc_kind in NOT_ADOPTED]
        candidates = self._sponsored_first(analysed, candidates)
        passages = self._official_versions(candidates, lang)
        gate = self.abstain_threshold if threshold is None else threshold
        cover = self.min_coverage if min_coverage is None else min_coverage
        # a passage lacking what the question names still counts in the gates (its words are the
        # question's), but is no answer, nor a second quote beside one: "关于青年与和平与安全的决议…"
        # is not answered by the Somalia sanctions resolution's "青年党"
        gapped = {r.chunk.id for r in passages if self._gaps(things, r.chunk)} if things else set()
        # a question singling out a record by its period and subject ("安理会2025年12月关于青年与和平与
        # 安全的决议…") is answered from that record: another record's paragraph is no answer to it,
        # even where that record's long text mentions youth somewhere (the Repertoire, no record of
        # its own, narrates records and stays quotable)
        singled = self._singled_out(analysed)
        if singled:
            gapped |= {r.chunk.id for r in passages if r.chunk.doc_id not in singled and r.chunk.doc_kind != "repertoire"}
        sel = extractive.select(question, passages, k=self.k, threshold=gate, min_coverage=cover, lang=lang,
                                context=self.record_context, lexicon=self.lexicon(),
                                stats=self.term_stats(), quotable=lambda c: c.id not in gapped)
        # a second look weighs its record's paragraphs against the top passages about what the
        # question names only: one that grounding would drop must not outrank them
        top = [r for r in passages[: self.k] if r.chunk.id not in gapped]
        return self._second_look(question, sel, top, lang, gate, cover), candidates, []

    def _second_look(self, question: str, sel: extractive.Selection, top: list[ScoredChunk], lang: str,
                     gate: float, cover: float) -> extractive.Selection:
        """The selection again with more of the top record's own paragraphs, when the first one lacks
        what the question asks for: the count or period, a name's definition, or (for a preamble or
        annexed letter chosen for what the Council did) the record's operative part.

        Why: the record retrieved first is usually right where its paragraph is not, and its structure
        says where to look. "第2535(2020)号决议要求秘书长多长时间提交一次报告？" retrieves the preamble
        noting the first report (more shared words), while "每两年" is in an operative paragraph ranked
        sixth; "What name does the Chinese version of resolution 2565 (2021) use for the COVAX
        facility?" retrieves a paragraph mentioning "its COVAX Facility", while the full name is where
        the text defines it ("… Vaccine Global Access (COVAX) facility"); "What did the Council offer
        Iraq in its November 2002 resolution?" retrieves the letter annexed to resolution 1441, while
        what the Council decided is in its operative part."""

        def again(extra: list[ScoredChunk]) -> extractive.Selection:
            return extractive.select(question, top + extra, k=len(top) + len(extra), threshold=gate, min_coverage=cover,
                                     lang=lang, context=self.record_context, lexicon=self.lexicon(),
                                     stats=self.term_stats())

        q = sel.question
        if extractive.asks_fact(q) and top and not (sel.chosen and extractive.carries_asked_fact(q, sel.chosen[0])):
            extra: list[ScoredChunk] = []
            for doc in self._looked_records(q, top)[:MAX_LOOKED_RECORDS]:
                extra += self._own_paragraphs(doc, top + extra, lang, lambda c: extractive.states_asked_fact(q, c.text),
                                              question)
            second = again(extra) if extra else None
            if second is not None and second.chosen and extractive.carries_asked_fact(q, second.chosen[0]):
                return second
        defines = definition_pattern(question)
        if defines is not None and top and not (sel.chosen and defines.search(sel.chosen[0].sentence.evidence())):
            second = again(self._own_paragraphs(top[0].chunk.doc_id, top, lang, lambda c: defines.search(c.text) is not None))
            # the definition answers when it defines every name asked about ("…refer to ATMIS and to
            # its predecessor AMISOM?": the paragraph defining both), or matches the question, among
            # these candidates, as well as the passage chosen ("What Chinese designation does
            # resolution 2773 (2025) use for the M23 when it calls on the Rwanda Defence Forces to
            # stop supporting the group?" describes the passage whose version is asked, which the
            # selection keeps first)
            best = second.chosen[0] if second.chosen else None
            if best is not None and defines.search(best.sentence.evidence()) and (
                    not sel.chosen or best.match >= sel.chosen[0].match
                    or defined_names(defines, best.sentence.evidence()) == len(version_names(question))):
                return second
        if not sel.chosen and not extractive.asks_card_fact(q):
            # Nothing among the top passages answers: the records they belong to may, elsewhere in their
            # text. First the records found by their cards only (a Chinese card of an English-only
            # statement matches a Chinese question better than the statement's paragraphs), then those
            # of the top passages: "how quickly must States freeze the funds …" under "the counter-
            # terrorism resolution adopted after the 11 September 2001 attacks" retrieves resolution
            # 1373's preamble on the attacks, while point (c) of its first operative paragraph answers.
            carded = [r.chunk.doc_id for r in top if r.chunk.kind == "document_card"
                      and not any(o.chunk.doc_id == r.chunk.doc_id and o.chunk.kind != "document_card" for o in top)]
            texts_of = [r.chunk.doc_id for r in top if r.chunk.kind == "resolution_paragraph"]
            extra = []
            for doc in list(dict.fromkeys(carded + texts_of))[:MAX_LOOKED_RECORDS]:
                extra += self._own_paragraphs(doc, top + extra, lang, lambda c: True, question)
            texts = again(extra) if extra else None
            if texts is not None and texts.chosen:
                return texts
        first = sel.chosen[0] if sel.chosen else (sel.candidates[0] if sel.candidates else None)
        # (how a language version words something is answered wherever it does, in whatever part)
        if first is not None and extractive.off_place(first.chunk, question) and not asks_version(question):
            decided = self._own_paragraphs(first.chunk.doc_id, top, lang, lambda c: attribution.is_operative(c)
                                           and not extractive.off_place(c, question), question)
            # the operative paragraphs compete with the passages retrieved, ranked as usual (a
            # preamble or letter still pays its place): the best supported answer wins
            operative = again(decided) if decided else None
            if operative is not None and operative.chosen and not extractive.off_place(operative.chosen[0].chunk, question) \
                    and extractive.carries_asked_fact(q, operative.chosen[0]):
                return operative
            if sel.chosen and attribution.is_annexed(first.chunk) and self._COUNCIL_ACTS.search(question):
                # what "the Council" did is not answered by a letter annexed to its resolution (a
                # third party's words): with no decision of the record answering, this is a decline
                return extractive.Selection([], sel.candidates, sel.best, sel.coverage, q)
        return sel

    _COUNCIL_ACTS = re.compile(r"\b(?:the )?(?:Security )?Council\b|安理会|安全理事会", re.I)

    def _looked_records(self, q: extractive.QuestionInfo, top: list[ScoredChunk]) -> list[str]:
        """The records whose paragraphs get a second look, in the top passages' order: each passage's
        own record, and the resolutions it cites. With a period named, only records dated in it: in
        "2025年12月，观察员部队的任务被延长了多久？" the top passage, of 2026, recalls "the most recent
        resolution, 2811 (2025)", of December 2025, which holds the answer."""
        period = (q.question.date_from, q.question.date_to) if q.question is not None else (None, None)

        def in_period(doc: str, fallback: str | None = None) -> bool:
            if period == (None, None):
                return True
            rec = self._record_of(doc)
            when = (getattr(rec, "date", None) or fallback or "")[:10]
            return bool(when) and (period[0] is None or when >= period[0].isoformat()) \
                and (period[1] is None or when <= period[1].isoformat())

        out: list[str] = []
        for r in top:
            docs = [r.chunk.doc_id, *(s for s in r.chunk.symbols if s.startswith("S/RES/") and s != r.chunk.doc_id)]
            for i, doc in enumerate(docs):
                if doc not in out and in_period(doc, r.chunk.date if i == 0 else None):
                    out.append(doc)
        return out

    def _record_of(self, doc_id: str):
        facts = getattr(self.records, "facts", None)
        try:
            return facts().get(doc_id) if facts is not None else None
        except Exception:  # a store that cannot give its records: only the passage vouches
            return None

    def _singled_out(self, analysed) -> set[str]:
        """The records the question singles out by its period, States and topics (the retriever's
        `singled_out`), if the records can tell."""
        single = getattr(self.records, "singled_out", None)
        if analysed is None or single is None:
            return set()
        try:
            return set(single(analysed))
        except Exception:  # a store that cannot give its records: nothing singled out
            return set()

    def _named_things(self, analysed) -> list:
        """What the question names (rag.grounding), with the lexicon's shadows: an occurrence of
        "青年" inside "青年党" does not make a passage about youth."""
        if analysed is None:
            return []
        lexicon = self.lexicon()
        return grounding.named_things(analysed, lexicon.longer_words if lexicon is not None else None)

    def _own_paragraphs(self, doc_id: str, top: list[ScoredChunk], lang: str, keep,
                        ranked_by: str | None = None) -> list[ScoredChunk]:
        """Up to MAX_SECOND_LOOK paragraphs of `doc_id` not among `top` that `keep`, in the question's
        language where the record has it (else as held), in record order or, given `ranked_by` (the
        question), those sharing most of its key terms; as retrieval results ranked after `top`."""
        chunks_of = getattr(self.records, "chunks_of", None)
        if chunks_of is None:
            return []
        held = {r.chunk.id for r in top}
        try:
            own = [c for c in chunks_of(doc_id) if c.kind != "document_card" and c.id not in held and keep(c)]
        except Exception:  # a store that cannot list the record: no second look
            return []
        mine = [c for c in own if ui_lang(c.lang) == ui_lang(lang)] or own
        picked = (extractive.most_overlapping(ranked_by, mine, MAX_SECOND_LOOK, lang) if ranked_by is not None
                  else mine[:MAX_SECOND_LOOK])
        return [ScoredChunk(chunk=c, score=0.0, rank=len(top) + i + 1) for i, c in enumerate(picked)]

    def _sponsored_first(self, analysed, candidates: list[ScoredChunk]) -> list[ScoredChunk]:
        """A question naming a draft's sponsor ("俄罗斯2023年8月提出的马里制裁决议草案") is about the
        draft that State put forward: passages of records listing it among their sponsors come first.
        Two drafts on Mali sanctions were voted on that day, with the same preamble; the record's
        sponsors tell them apart, where their words cannot."""
        if analysed is None:
            return candidates
        sponsors = [k for k in analysed.states if names_as_sponsor(analysed, k)]
        if not sponsors:
            return candidates

        def listed(r: ScoredChunk) -> set[str]:
            rec = self._record(r.chunk)
            return {state_key(s) for s in (getattr(rec, "sponsors", None) or [])}

        lists = [listed(r) for r in candidates]
        theirs = [bool(ls) and all(state_key(k) in ls for k in sponsors) for ls in lists]
        if not any(theirs):
            return candidates
        # another sponsor's draft is not the one asked about; a record without a sponsor list may be
        return [r for r, t in zip(candidates, theirs, strict=True) if t] + \
            [r for r, ls in zip(candidates, lists, strict=True) if not ls]

    def _official_versions(self, retrieved: list[ScoredChunk], lang: str) -> list[ScoredChunk]:
        """The top passages as the asker reads them: a paragraph held in both official versions is
        weighed in the question's language (its twin), so an English question is matched against the
        English text of a 2020+ resolution rather than against translations of its words, and only a
        record with no version in that language is weighed across languages (rag.extractive). A
        paragraph retrieved in both versions is weighed once."""
        out: list[ScoredChunk] = []
        seen: set[str] = set()
        for i, r in enumerate(retrieved):
            mine = self._in_language(r, lang) if i < 2 * self.k else r
            if mine.chunk.id not in seen:
                seen.add(mine.chunk.id)
                out.append(mine)
        return out

    # --- public API ------------------------------------------------------------------------

    @staticmethod
    def rewrite(question: str, history: Sequence[tuple[str, str]] = ()) -> str:
        """The standalone retrieval query for a follow-up (rag.conversation.rewrite_query).

        Call it before retrieval; `answer`/`stream` take the already retrieved chunks. `history`
        given to `answer`/`stream` only reaches the LLM prompt (earlier questions, as context).
        """
        return rewrite_query(question, history)

    def answer(self, question: str, retrieved: Sequence[ScoredChunk], history: Sequence[tuple[str, str]] = (),
               question_id: str | None = None, analysed=None) -> Answer:
        final = None
        for event in self.stream(question, retrieved, history, question_id, analysed):
            if event.type == "answer":
                final = event.answer
        assert final is not None
        return final

    def stream(self, question: str, retrieved: Sequence[ScoredChunk], history: Sequence[tuple[str, str]] = (),
               question_id: str | None = None, analysed=None) -> Iterator[AnswerEvent]:
        """`analysed` is the pipeline's `rag.question.Question` (with the conversation and the
        records' topic vocabulary): what the question names, which the answer must be about."""
        t_all = time.perf_counter()
        retrieved = list(retrieved)
        lang = ui_lang(detect_lang(question))
        if self.llm is None:
            ans = self._extractive(question, retrieved, lang, question_id, analysed)
            ans.timings["total_ms"] = _ms(t_all)
            yield AnswerEvent(type="delta", text=ans.answer)
            yield AnswerEvent(type="answer", answer=ans)
            return
        sources = [self._in_language(s, lang) for s in retrieved[: self.k]]
        t0 = time.perf_counter()
        messages = build_messages(question, sources, lang, history)
        timings = {"prompt_ms": _ms(t0)}
        parts: list[str] = []
        error: str | None = None
        t0 = time.perf_counter()
        first: float | None = None
        try:
            for delta in stream_text(self.llm, messages):
                if first is None:
                    first = _ms(t0)
                parts.append(delta)
                yield AnswerEvent(type="delta", text=delta)
        except Exception as e:  # noqa: BLE001 - any model/server failure falls back to extractive
            error = f"{type(e).__name__}: {e}"[:200]
        timings["llm_ms"] = _ms(t0)
        if first is not None:
            timings["llm_first_token_ms"] = first
        ans = self._finish_llm(question, "".join(parts), sources, retrieved, lang, question_id, error, analysed)
        ans.timings = {**timings, **ans.timings, "total_ms": _ms(t_all)}
        yield AnswerEvent(type="answer", answer=ans)

    # --- structured ------------------------------------------------------------------------

    def from_structured(self, question: str, result, retrieved: Sequence[ScoredChunk], lang: str,
                        question_id: str | None = None) -> Answer:
        """The `Answer` of a structured result (rag.structured): its text and the chunks it cites, as they are.

        Used in both modes: a fact, count or exact place read from the records is never handed to
        a model to rephrase or recompute.
        """
        citations = [Citation.of(i, c.chunk, c.highlights, self._twins(c.chunk), lang, self._followed(c.chunk, lang))
                     for i, c in enumerate(result.cited, 1)]
        notes = [msg("note_structured", lang)] if result.cited and self.llm is not None else []
        chunks = {i: c.chunk for i, c in enumerate(result.cited, 1)}
        sentences = sentences_of_text(result.text, chunks, "abstention" if result.abstained else "statement")
        return self._base(question, list(retrieved), lang, question_id, answer=result.text, abstained=result.abstained,
                          premise_corrected=result.abstained and result.kind == "premise",
                          mode="extractive", citations=citations, notes=notes, sentences=sentences)

    # --- extractive ------------------------------------------------------------------------

    def _base(self, question: str, retrieved: list[ScoredChunk], lang: str, question_id: str | None, **kw) -> Answer:
        refs = [RetrievedRef(chunk_id=r.chunk.id, text=r.chunk.text, score=float(r.score)) for r in retrieved[:10]]
        if kw.get("citations"):
            kw["citations"] = self._linked(kw["citations"], lang)
        return Answer(question=question, retrieved=refs, id=question_id, lang=lang, **kw)

    def _abstain(self, question: str, retrieved: list[ScoredChunk], lang: str, question_id: str | None,
                 timings: dict, text: str | None = None, mode: str = "extractive") -> Answer:
        text = text or extractive.abstention_text(retrieved, lang)
        sentences = [AnswerSentence(text=line, role="abstention") for line in text.split("\n") if line.strip()]
        return self._base(question, retrieved, lang, question_id, answer=text, abstained=True, mode=mode,
                          timings=timings, sentences=sentences)

    def _record(self, chunk: Chunk):
        return self._record_of(chunk.doc_id)

    def lexicon(self):
        """The records' learned zh↔en lexicon (rag.lexicon), when the store can give one."""
        learn = getattr(self.records, "lexicon", None)
        if learn is None:
            return None
        try:
            return learn()
        except Exception:  # a store that cannot give its passages: the glossary alone translates
            return None

    def term_stats(self):
        """The whole record's term statistics (rag.retrieve.HybridRetriever.term_stats), when the
        store can give them: the coverage gate weighs the question's words by them."""
        stats = getattr(self.records, "term_stats", None)
        if stats is None:
            return None
        try:
            return stats()
        except Exception:  # a store that cannot give its passages: words are weighed among the candidates
            return None

    def record_context(self, chunk: Chunk) -> str:
        """The passage's record text the sentence scoring counts key terms in (extractive.record_context)."""
        return extractive.record_context(chunk, self._record(chunk))

    def _grounded(self, sel, things: list, lang: str, retrieved: list[ScoredChunk]):
        """Keep the chosen sentences whose passage (or its twin, or its document's record) supports
        everything the question names; else the best such candidate that clears the support gate.
        Returns (chosen, decline text or None)."""
        memo: dict[str, list] = {}

        def gaps(chunk: Chunk) -> list:
            if chunk.id not in memo:
                memo[chunk.id] = self._gaps(things, chunk)
            return memo[chunk.id]

        kept = [c for c in sel.chosen if not gaps(c.chunk)]
        if not kept:  # (a count, period or deadline asked for is still the answer itself)
            kept = [c for c in sel.candidates if c.support >= self.abstain_threshold and not gaps(c.chunk)
                    and extractive.carries_asked_fact(sel.question, c)][:1]
        if kept:
            return kept, None
        top = [r.chunk for r in retrieved[: self.k]]
        nowhere = [t for t in things if all(t in gaps(ch) for ch in top)]
        return [], grounding.decline_text(nowhere or gaps(sel.chosen[0].chunk), lang, things)

    def _gaps(self, things: list, chunk: Chunk) -> list:
        """What the question names that `chunk` does not support (rag.grounding): checked against
        the passage, its official twins, its document's record and its document's other passages."""
        rec = self._record(chunk)
        ctx, when = grounding.context_of(chunk, self._twins(chunk), rec), getattr(rec, "date", None)
        gaps = grounding.missing(things, chunk, ctx, when)
        if any(t.kind in ("state", "topic") for t in gaps):  # the document's other passages, only when needed
            gaps = grounding.missing(gaps, chunk, ctx, when, self._document_texts(chunk))
        return gaps

    def _document_texts(self, chunk: Chunk) -> list[str]:
        """The texts of the passages of `chunk`'s document in its language (cards aside; one language,
        so a paragraph and its official twin are not two mentions), when the store can give them."""
        chunks_of = getattr(self.records, "chunks_of", None)
        if chunks_of is None or not chunk.doc_id:
            return []
        try:
            return [c.text for c in chunks_of(chunk.doc_id) if c.kind != "document_card" and c.lang == chunk.lang]
        except Exception:  # a store that cannot list a document: the passage and its record vouch alone
            return []

    def _decline(self, question: str, retrieved: list[ScoredChunk], lang: str, question_id: str | None,
                 timings: dict, missing: list, things: list) -> Answer:
        closest = extractive.abstention_text(retrieved, lang).split("\n", 1)
        text = grounding.decline_text(missing, lang, things) + ("\n" + closest[1] if len(closest) > 1 else "")
        return self._abstain(question, retrieved, lang, question_id, timings, text=text)

    def _extractive(self, question: str, retrieved: list[ScoredChunk], lang: str, question_id: str | None,
                    analysed=None) -> Answer:
        t0 = time.perf_counter()
        things = self._named_things(analysed)
        sel, candidates, missing = self.selection(question, retrieved, lang, analysed)
        if sel is None:
            return self._decline(question, retrieved, lang, question_id, {"select_ms": _ms(t0)}, missing, things)
        timings = {"select_ms": _ms(t0)}
        if sel.abstain:
            return self._abstain(question, retrieved, lang, question_id, timings)
        if things:
            chosen, decline = self._grounded(sel, things, lang, candidates)
            if decline is not None:
                closest = extractive.abstention_text(retrieved, lang).split("\n", 1)
                text = decline + ("\n" + closest[1] if len(closest) > 1 else "")
                return self._abstain(question, retrieved, lang, question_id, timings, text=text)
            sel.chosen = chosen
        t0 = time.perf_counter()
        sentences, used, highlights = extractive.compose_sentences(sel, lang, self.parallel)
        chunks = dict(used)
        corrected = self._correct_draft_premise(question, sentences, chunks, lang)
        checks = check_sentences(sentences, chunks, semantic=self.semantic)
        timings["check_ms"] = _ms(t0)
        citations = [Citation.of(n, chunks[n], highlights.get(chunks[n].id, []), self._twins(chunks[n]), lang,
                                 self._followed(chunks[n], lang))
                     for n in sorted(chunks)]
        unsupported = [c.text for c in checks if not c.supported]
        notes = [msg("note_unsupported", lang, count=len(unsupported))] if unsupported else []
        return self._base(question, retrieved, lang, question_id, answer=answer_text(sentences, lang), abstained=corrected,
                          premise_corrected=corrected,
                          mode="extractive", citations=citations, unsupported=unsupported,
                          timings=timings, notes=notes, sentences=sentences)

    _ASKS_DECISION = re.compile(r"\b(?:decid|decision|adopt|impos|authori[sz]|establish|extend)|决定|通过|授权|设立|实施|延长", re.I)

    def _correct_draft_premise(self, question: str, sentences: list[AnswerSentence], chunks: dict[int, Chunk],
                               lang: str) -> bool:
        """A question presuming the Council decided something, answered from a draft it did not adopt:
        the premise is corrected first ("Draft resolution S/2024/312 was not adopted (vetoed by …): the
        Council decided nothing by it.") and the answer is flagged like a decline (`abstained`), so
        no reader takes the draft's words for a decision. Returns whether it corrected."""
        if not self._ASKS_DECISION.search(question or "") or says_not_adopted(question or ""):
            return False
        drafts = [s for s in sentences if s.draft_not_adopted and s.role == "quote"]
        if not drafts or len(drafts) != len([s for s in sentences if s.role == "quote"]):
            return False  # an adopted text answers it; the draft quotes are labelled as drafts
        n = drafts[0].markers[0]
        chunk = chunks[n]
        rec = self._record(chunk)
        vetoed = names_in(getattr(rec, "vetoed_by", []) or (chunk.vote.vetoed_by if chunk.vote else []), lang)
        name = attribution.doc_name(chunk, lang).split("（")[0].split(" (")[0]
        if ui_lang(lang) == "zh":
            by = f"（被{'、'.join(vetoed)}否决）" if vetoed else ""
            text = f"{name}未获通过{by}，安理会并未据此作出任何决定。草案的案文如下："
        else:
            by = f" (vetoed by {', '.join(vetoed)})" if vetoed else ""
            text = f"{name} was not adopted{by}: the Council decided nothing by it. The draft's text reads:"
        sentences.insert(0, AnswerSentence(text=text, markers=[n], chunk_ids=[chunk.id], source_lang=chunk.lang,
                                           attribution=name, role="lead", draft_not_adopted=True))
        return True

    # --- LLM -------------------------------------------------------------------------------

    def _finish_llm(self, question: str, raw: str, sources: list[ScoredChunk], retrieved: list[ScoredChunk],
                    lang: str, question_id: str | None, error: str | None, analysed=None) -> Answer:
        t0 = time.perf_counter()
        text = (raw or "").strip()
        text = re.sub(r"^<think>.*?</think>\s*", "", text, flags=re.S)  # reasoning models
        if error is None and is_not_in_sources(strip_markers(text)):
            return self._abstain(question, retrieved, lang, question_id, {"check_ms": _ms(t0)}, mode="llm")
        notes: list[str] = []
        if error is None:
            chunks = {i + 1: s.chunk for i, s in enumerate(sources)}
            result = check_answer(text, chunks, lang, semantic=self.semantic)
            if result.invalid_markers:
                notes.append(msg("note_invalid_markers", lang, markers=", ".join(f"[{n}]" for n in result.invalid_markers)))
            kept = " ".join(strip_markers(c.text) for c in result.sentences if c.supported and c.supporting)
            relevant = extractive.question_overlap(question, kept, lang) >= MIN_RELEVANCE if kept else False
            things = self._named_things(analysed)
            if things and relevant:
                # the same grounding rule as the extractive answer: a cited source must be about
                # what the question names (else the extractive path declines and says what is missing)
                backed = {n for c in result.sentences if c.supported for n in c.supporting}
                relevant = any(not self._gaps(things, chunks[n]) for n in backed)
            if result.has_valid_citation and relevant:
                used = result.cited
                renumber = {old: new for new, old in enumerate(used, 1)}
                final = re.sub(r"\[(\d+)\]", lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", result.text)
                citations = [Citation.of(renumber[n], chunks[n], self._highlights(result, n, chunks[n]),
                                         self._twins(chunks[n]), lang, self._followed(chunks[n], lang)) for n in used]
                renumbered = {renumber[n]: chunks[n] for n in used}
                sentences = []
                for chk in result.sentences:
                    marks = [renumber[n] for n in chk.markers if n in renumber]
                    srcs = [renumbered[n] for n in marks]
                    plain = strip_markers(chk.text)
                    sentences.append(AnswerSentence(
                        text=plain, markers=marks, chunk_ids=[c.id for c in srcs],
                        source_lang=srcs[0].lang if srcs else None, role="statement", unsupported=not chk.supported,
                        cross_language=bool(srcs) and all(ui_lang(c.lang) != ui_lang(detect_lang(plain)) for c in srcs),
                        draft_not_adopted=any(c.doc_kind in ("draft_not_adopted", "veto") for c in srcs)))
                if result.unsupported:
                    notes.append(msg("note_unsupported", lang, count=len(result.unsupported)))
                return self._base(question, retrieved, lang, question_id, answer=final, abstained=False, mode="llm",
                                  citations=citations, unsupported=result.unsupported, sentences=sentences,
                                  timings={"check_ms": _ms(t0)}, notes=notes)
            notes.append(msg("note_llm_fallback", lang))
        else:
            notes.append(msg("note_llm_error", lang, error=error))
        ans = self._extractive(question, retrieved, lang, question_id, analysed)
        ans.notes = notes + ans.notes
        ans.timings["check_ms"] = _ms(t0)
        return ans

    @staticmethod
    def _highlights(result, n: int, chunk: Chunk) -> list[str]:
        """Sentences of the source that best match the answer sentences citing it."""
        out: list[str] = []
        sents = chunk_sentences(chunk)
        for s in result.sentences:
            if n not in s.supporting:
                continue
            toks = content_tokens(strip_markers(s.text))
            best, best_score = None, 0.0
            for cand in sents:
                ctoks = content_tokens(cand.evidence())
                score = len(toks & ctoks) / (len(toks) or 1)
                if score > best_score:
                    best, best_score = cand.text, score
            if best and best not in out:
                out.append(best)
        return out


__all__ = ["Answer", "AnswerEvent", "AnswerSentence", "Answerer", "Citation", "RetrievedRef", "answer_text", "sentences_of_text"]
