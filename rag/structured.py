"""Structured answers: questions that name a place in the records, or ask a fact, count or list.

Called before retrieval guesswork (rag.pipeline): when the question names the place (resolution
2538's paragraph 6, footnote 646) or asks what the document records hold (a vote, the sponsors,
how many resolutions in 2021, which ones Russia abstained on), the answer is read from that place
or from the facts table (rag.facts), never chosen by sentence scoring. Anything else returns
None and goes through retrieval and the extractive or LLM answer as before; in LLM mode these
answers are used as they are, so the model never recomputes a fact or a count.

Every answer cites what it states: the paragraph itself (both language versions), the passage
carrying the footnote, or the document card with its undocs.org link. A document or footnote
not in the store is answered as such, with what the store does hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from ingest.chunk import Chunk
from ingest.country_names import join_en
from ingest.text import date_en, date_zh
from rag import attribution
from rag.facts import Coverage, DocRecord, FactsTable, names_in, state_key
from rag.question import DocRef, Question, names_as_sponsor, state_forms, state_names, votes_in_favour
from rag.sentences import split_sentences
from rag.tokenize import dates_in
from rag.types import ScoredChunk

DOC_ASKS = {"date", "meeting", "tally", "in_favour", "against", "abstaining", "sponsors", "all_sponsors", "draft", "vetoed_by",
            "unanimous", "not_unanimous", "chapter_vii"}
LIST_SHOWN = 10  # documents listed (each a citation) before "and N more"
SPONSORS_SHOWN = 5


class Records(Protocol):
    """What structured answering reads: the facts table and a document's / footnote's chunks."""

    def facts(self) -> FactsTable: ...

    def chunks_of(self, doc_id: str) -> list[Chunk]: ...

    def chunks_with_footnote(self, number: str) -> list[Chunk]: ...

    def cites(self, symbol: str) -> bool:
        """Whether any passage held cites `symbol` (a Repertoire account of a resolution not itself held)."""
        ...


@dataclass
class Cited:
    chunk: Chunk
    highlights: list[str] = field(default_factory=list)


@dataclass
class StructuredAnswer:
    """Answer text with markers [n] numbered in the order of `cited`."""

    text: str
    cited: list[Cited]
    abstained: bool = False
    kind: str = ""  # paragraph | footnote | fact | count | list | missing | premise


# --------------------------------------------------------------------------- wording


def _zh(lang: str) -> bool:
    return lang == "zh"


def _doc_name(symbol: str, lang: str, doc_kind: str = "") -> str:
    if doc_kind in ("draft_not_adopted", "veto"):
        return f"决议草案{symbol}" if _zh(lang) else f"Draft resolution {symbol}"
    m = re.fullmatch(r"S/RES/(\d+)\((\d{4})\)", symbol)
    if m:
        return f"第{m.group(1)}({m.group(2)})号决议" if _zh(lang) else f"Resolution {m.group(1)} ({m.group(2)})"
    m = re.fullmatch(r"S/PRST/(\d{4})/(\d+)", symbol)
    if m:
        return f"主席声明{symbol}" if _zh(lang) else f"Presidential statement {symbol}"
    return (f"文件{symbol}" if _zh(lang) else f"Document {symbol}")


def _date(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    return date_zh(iso[:10]) if _zh(lang) else date_en(iso[:10])


def _join(items: list[str], lang: str) -> str:
    if _zh(lang):
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _meeting(rec: DocRecord, lang: str) -> str:
    """Where it was adopted: 'at the Council's 8700th meeting (S/PV.8700)' / '在安理会第8700次会议上(S/PV.8700)'."""
    if rec.by_mail:
        if _zh(lang):
            return "经安理会以书面程序(通信表决)" + (f"(表决结果载于信函{rec.meeting_record})" if rec.meeting_record else "")
        return "by voting by mail (written procedure)" + (f", recorded in letter {rec.meeting_record}" if rec.meeting_record else "")
    if not rec.meeting:
        return ""
    m = re.search(r"(\d+)", rec.meeting)
    if _zh(lang):
        return (f"在安理会第{m.group(1)}次会议上" + (f"({rec.meeting_record})" if rec.meeting_record else "")) if m else rec.meeting
    return f"at the Council's {rec.meeting}" + (f" ({rec.meeting_record})" if rec.meeting_record else "")


def _years(cov: Coverage, lang: str) -> str:
    y = cov.years
    if not y:
        return ""
    if y[0] == y[1]:
        return f"{y[0]}年" if _zh(lang) else str(y[0])
    return f"{y[0]}–{y[1]}年" if _zh(lang) else f"{y[0]}–{y[1]}"


def _coverage_text(cov: Coverage, lang: str) -> str:
    """'2 resolutions, from resolution 2518 (2020) to resolution 2538 (2020)' / '2项决议，从…到…'."""
    if not cov.count:
        return "没有此类文件" if _zh(lang) else "none of these documents"
    kind_zh = {"resolution": "项决议", "presidential_statement": "份主席声明", "veto": "份被否决的草案",
               "draft_not_adopted": "份未通过的决议草案"}.get(cov.doc_kind, "份文件")
    kind_en = {"resolution": "resolutions", "presidential_statement": "presidential statements", "veto": "vetoed drafts",
               "draft_not_adopted": "drafts not adopted"}.get(cov.doc_kind, "documents")
    if cov.first_symbol and cov.last_symbol and cov.doc_kind == "resolution" and cov.first_symbol != cov.last_symbol:
        if _zh(lang):
            return f"{cov.count}{kind_zh}，从{_doc_name(cov.first_symbol, lang)}到{_doc_name(cov.last_symbol, lang)}"
        return f"{cov.count} {kind_en}, from {_doc_name(cov.first_symbol, lang).lower()} to {_doc_name(cov.last_symbol, lang).lower()}"
    years = _years(cov, lang)
    if _zh(lang):
        return f"{cov.count}{kind_zh}" + (f"（{years}）" if years else "")
    return f"{cov.count} {kind_en}" + (f" ({years})" if years else "")


def _ref_name(ref: DocRef, lang: str) -> str:
    return ref.label(lang)


# --------------------------------------------------------------------------- entry point


def answer(q: Question, records: Records, ranked: Sequence[ScoredChunk] = ()) -> StructuredAnswer | None:
    """The structured answer to `q`, or None when the question is not about a named place or a recorded fact.

    `ranked` (the retrieved passages, when retrieval ran) lets a fact from a card be corroborated
    by the records' own narrative of it (a Repertoire paragraph stating the same adoption date).
    """
    facts = records.facts()
    lang = q.lang
    if q.footnotes and not q.documents:
        return _footnotes(q, records, lang)
    docs = _resolve(q, records, facts)
    if q.documents:
        missing = [ref for ref, found in docs if not found]
        if missing and len(missing) == len(docs):
            asks_facts = bool(set(q.asks) & DOC_ASKS) or bool(q.paragraphs)
            if not asks_facts and any(_cited(records, ref, facts) for ref in missing):
                return None  # a content question: passages held that cite it are the evidence
            return _missing(missing, facts, lang)
        found = [sym for _, syms in docs for sym in syms]
        if "presidency" in q.asks and not q.paragraphs:
            return _no_presidency(found, facts, records, lang)
        if "speech" in q.asks and not q.paragraphs:
            # a Repertoire account of the meeting may say it: the passages answer (or decline), never
            # the vote facts, which do not say what anyone said
            return None if _narrated(found, q.states, ranked) else _no_speech(found, facts, records, lang)
        if q.paragraphs:
            return _paragraphs(q, records, found, lang)
        if set(q.asks) & DOC_ASKS and not {"list", "reason"} & set(q.asks):
            recs = [r for r in (facts.get(s) for s in found) if r is not None]
            if recs:
                return _facts(q, recs, records, lang, ranked)
        return None
    if ({"count", "list"} & set(q.asks) or _asks_which_documents(q)) and "reason" not in q.asks:
        return _aggregate(q, facts, lang)
    if "vetoed_by" in q.asks and q.doc_kind == "veto" and "reason" not in q.asks and _asks_veto_fact(q):
        return _vetoes(q, facts, lang, records, ranked)  # "which member vetoed the draft on … in October 2023?"
    return None


def _resolve(q: Question, records: Records, facts: FactsTable) -> list[tuple[DocRef, list[str]]]:
    """Each named document with the symbols in the store it denotes (a year-less number may match one)."""
    out = []
    for ref in q.documents:
        if ref.symbol:
            held = facts.get(ref.symbol) is not None or bool(records.chunks_of(ref.symbol))
            out.append((ref, [ref.symbol] if held else []))
        else:
            out.append((ref, [s for s in facts.records if ref.matches(s)]))
    return out


def _cited(records: Records, ref: DocRef, facts: FactsTable) -> bool:
    cites = getattr(records, "cites", None)
    if cites is None:
        return False
    if ref.symbol:
        return bool(cites(ref.symbol))
    return bool(ref.number is not None and cites(ref.number))


def _asks_veto_fact(q: Question) -> bool:
    """A question describing a vetoed draft asks what its record holds (who vetoed it, which draft,
    the vote, when), not what the draft said ("…否决的决议草案，打算对朝鲜原油进口设定什么上限？"):
    that is the passages' to answer, or to decline."""
    return bool(_ASKS_VETOER.search(q.text) or _asks_which_documents(q)
                or re.search(r"\bwhich (?:draft|one)\b|哪(?:一)?份|哪项|^\s*(?:did|has|have|had|was|were)\b|是否|有没有", q.text, re.I)
                or set(q.asks) & {"tally", "in_favour", "against", "abstaining", "date", "meeting"})


def _asks_which_documents(q: Question) -> bool:
    return bool(re.search(r"\bwhich (?:of the )?(?:(?:draft|failed|vetoed) )?(?:resolutions|presidential statements|drafts)\b"
                          r"|哪些(?:决议|主席声明|草案)|哪几(?:项|份)(?:决议|草案)", q.text, re.I))


# --------------------------------------------------------------------------- missing documents


def _missing(refs: list[DocRef], facts: FactsTable, lang: str) -> StructuredAnswer:
    names = _join([_ref_name(r, lang) for r in refs], lang)
    if names and not names[0].isupper() and not _zh(lang):
        names = names[0].upper() + names[1:]
    kind = refs[0].kind if refs[0].kind in ("resolution", "presidential_statement") else "resolution"
    cov = facts.coverage(kind)
    if _zh(lang):
        text = f"{names}不在我掌握的记录中（这些记录包含{_coverage_text(cov, lang)}）。"
    else:
        text = f"{names} {'is' if len(refs) == 1 else 'are'} not in the records I have (they hold {_coverage_text(cov, lang)})."
    return StructuredAnswer(text, [], abstained=True, kind="missing")


# --------------------------------------------------------------------------- paragraphs


def _position(chunk: Chunk) -> str:
    return chunk.id.rsplit("|", 1)[-1]


def _paragraph_chunks(chunks: list[Chunk], number: int, part: str | None) -> list[Chunk]:
    prefixes = ("op",) if part in (None, "operative") else ("pre",)
    out = []
    for c in chunks:
        if c.kind != "resolution_paragraph":
            continue
        pos = _position(c)
        for p in prefixes:
            m = re.fullmatch(rf"{p}(\d+)(?:\D.*)?", pos)
            if m and int(m.group(1)) == number:
                out.append(c)
    if not out and part is None:
        # documents without the operative/preambular split number their paragraphs plainly
        out = [c for c in chunks if c.kind != "document_card" and c.paragraph == number]
    return out


def _paragraphs(q: Question, records: Records, symbols: list[str], lang: str) -> StructuredAnswer | None:
    lines: list[str] = []
    cited: list[Cited] = []
    missing: list[str] = []
    for sym in symbols:
        chunks = records.chunks_of(sym)
        if not any(c.kind == "resolution_paragraph" for c in chunks):
            return None  # the document's text is not held (only its card): retrieval over what cites it
        for ref in q.paragraphs:
            found = _paragraph_chunks(chunks, ref.number, ref.part)
            part_zh = "序言部分" if ref.part == "preambular" else "执行部分"
            part_en = "preambular" if ref.part == "preambular" else "operative"
            where = (f"{_doc_name(sym, lang)}{part_zh}第{ref.number}段" if _zh(lang)
                     else f"{_doc_name(sym, lang)}, {part_en} paragraph {ref.number}")
            if not found:
                missing.append(where)
                continue
            found.sort(key=lambda c: (c.lang != lang, c.id))
            main = [c for c in found if c.lang == found[0].lang]
            twins = [c for c in found if c.lang != found[0].lang]
            # where the paragraph found is, as its record places it: paragraph 50 of resolution 2231
            # (2015) is in its annex (the JCPOA), never "operative paragraph 50"
            where = attribution.where(main[0], lang)
            markers = []
            for c in main + twins:
                cited.append(Cited(c, [c.text]))
                markers.append(f"[{len(cited)}]")
            body = " ".join(c.text.strip() for c in main)
            if main[0].lang != lang:
                note = "（英文记录）" if _zh(lang) else " (Chinese record)"
                body += note
            twin_note = ""
            if twins:
                twin_note = ("；另一语言版本" if _zh(lang) else "; the other language version ") + markers[-1]
                markers = markers[: len(main)]
            sep = "：" if _zh(lang) else ": "
            lines.append(f"{where}{sep}“{body}” {''.join(markers)}{twin_note}")
    if missing:
        text = ("；".join(missing) + "不在我掌握的记录中。") if _zh(lang) else (_join(missing, lang) + " is not in the records I have.")
        if not lines:
            return StructuredAnswer(text, [], abstained=True, kind="missing")
        lines.append(text)
    return StructuredAnswer("\n".join(lines), cited, kind="paragraph")


# --------------------------------------------------------------------------- footnotes


def _footnotes(q: Question, records: Records, lang: str) -> StructuredAnswer:
    lines: list[str] = []
    cited: list[Cited] = []
    for number in q.footnotes:
        holders = records.chunks_with_footnote(number)
        if not holders:
            lines.append(f"脚注{number}不在我掌握的记录中。" if _zh(lang) else f"Footnote {number} is not in the records I have.")
            continue
        holders.sort(key=lambda c: (c.lang != lang, c.id))
        for c in holders[:2]:
            note = next(f for f in c.footnotes if f.number == str(number))
            cited.append(Cited(c, [note.text]))
            n = len(cited)
            where = c.section or c.doc_id
            if c.paragraph is not None:
                where += f" 第{c.paragraph}段" if _zh(lang) else f", paragraph {c.paragraph}"
            cites = [s for s in ([note.symbol] if note.symbol else []) + [s for s in c.symbols if s in note.text] if s]
            cites = list(dict.fromkeys(cites))
            other = "" if c.lang == lang else ("（英文记录）" if _zh(lang) else " (Chinese record)")
            if _zh(lang):
                line = f"脚注{number}（{where}）：“{note.text.strip()}”{other}"
                if cites:
                    line += f"，指的是{_join(cites, lang)}"
                    if note.paragraphs:
                        line += f"第{_join([str(p) for p in note.paragraphs], lang)}段"
                lines.append(line + f"。[{n}]")
            else:
                line = f"Footnote {number} ({where}): “{note.text.strip()}”{other}"
                if cites:
                    line += f", which refers to {_join(cites, lang)}"
                    if note.paragraphs:
                        line += f", paragraph{'s' if len(note.paragraphs) > 1 else ''} {_join([str(p) for p in note.paragraphs], lang)}"
                lines.append(line.rstrip(".") + f". [{n}]")
    abstained = not cited
    return StructuredAnswer("\n".join(lines), cited, abstained=abstained, kind="footnote" if cited else "missing")


# --------------------------------------------------------------------------- facts of named documents


def _card(records: Records, rec: DocRecord, lang: str) -> Chunk | None:
    return rec.card(lang)


def _vote_sentence(rec: DocRecord, how: str, lang: str) -> str | None:
    label_zh = {"in_favour": "投赞成票的", "against": "投反对票的", "abstaining": "投弃权票的"}[how]
    label_en = {"in_favour": "Voting in favour", "against": "Voting against", "abstaining": "Abstaining"}[how]
    count = rec.count(how)
    if not rec.names_known(how):
        if count == 0:
            return (f"没有成员{label_zh[1:-1]}。" if _zh(lang) else f"{label_en}: none.")
        if count is not None:
            return (f"{label_zh}有{count}个成员，但记录中的名单与票数不符，无法列出名称。" if _zh(lang)
                    else f"{label_en}: {count} members; the record's member lists do not match the vote, so their names cannot be given.")
        return None
    names = names_in(rec.members(how), lang)
    if not names:
        return (f"没有成员{label_zh[1:-1]}。" if _zh(lang) else f"{label_en}: none.")
    return f"{label_zh}成员：{_join(names, lang)}。" if _zh(lang) else f"{label_en}: {_join(names, lang)}."


_VALUE = re.compile(r"\d{1,4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|\d{1,2} [A-Z][a-z]+ \d{4}|S/[A-Z./\d()]+\d")


def _card_sentences_stating(card: Chunk, parts: list[str]) -> list[str]:
    """The card's sentences that state a value the answer states (a date, a tally, a symbol): its highlights."""
    values = {v for part in parts for v in _VALUE.findall(part)}
    return [s for s in split_sentences(card.text, card.lang) if any(v in s for v in values)]


def _corroboration(rec: DocRecord, asks: set[str], ranked: Sequence[ScoredChunk], lang: str) -> tuple[Chunk, str] | None:
    """A retrieved passage (not a card) about `rec` whose sentence states the same date or vote.

    A narrative paragraph is preferred to a table row stating the same thing: quoted as "the
    records' narrative", a sentence reads as one, a row of cells does not.
    """
    if not ranked or not asks & {"date", "tally"}:
        return None
    found = list(_corroborating(rec, asks, ranked))
    return next((hit for hit in found if hit[0].kind != "table_row"), found[0] if found else None)


def _corroborating(rec: DocRecord, asks: set[str], ranked: Sequence[ScoredChunk]) -> Iterator[tuple[Chunk, str]]:
    """Every (passage, sentence) among the top retrieved that states `rec`'s date or vote, in rank order."""
    number = str(rec.number or "")
    want_date = None
    if rec.date and "date" in asks:
        y, m, d = (int(x) for x in rec.date.split("-"))
        want_date = (m, d)
    for sc in list(ranked)[:10]:
        c = sc.chunk
        if c.kind == "document_card" or (rec.symbol not in c.symbols and c.doc_id != rec.symbol):
            continue
        for sent in split_sentences(c.text, c.lang):
            if number and number not in sent:
                continue
            if want_date and want_date in dates_in(sent):
                yield c, sent
                break
            if "tally" in asks and (rec.tally and rec.tally in sent or (rec.unanimous and re.search(r"一致|unanimous", sent))):
                yield c, sent
                break


def _facts(q: Question, recs: list[DocRecord], records: Records, lang: str,
           ranked: Sequence[ScoredChunk] = ()) -> StructuredAnswer | None:
    lines: list[str] = []
    cited: list[Cited] = []
    asks = set(q.asks)
    for rec in recs:
        card = _card(records, rec, lang)
        if card is None:
            continue
        cited.append(Cited(card))
        marker = f"[{len(cited)}]"
        name = _doc_name(rec.symbol, lang, rec.doc_kind)
        parts = _when_parts(rec, name, asks, lang)
        if asks & {"unanimous", "not_unanimous"}:
            asks = asks | {"tally"}
        parts += _vote_parts(rec, name, asks, lang)
        parts += _veto_parts(rec, name, asks, lang)
        parts += _sponsor_parts(rec, name, asks, lang)
        parts += _chapter_vii_parts(rec, asks, lang)
        parts += _draft_parts(rec, name, asks, lang)
        if (rec.conflicts or rec.conflicts_zh) and asks & {"tally", "in_favour", "against", "abstaining"}:
            parts.append(("注意：" + "".join(rec.conflicts_zh)) if _zh(lang) else "Note: " + " ".join(rec.conflicts))
        if not parts:
            cited.pop()
            continue
        first = parts[0]
        if not first.startswith(name) and not first.startswith(name.lower()):
            parts[0] = (f"{name}：" if _zh(lang) else f"{name}: ") + first
        sep = "" if _zh(lang) else " "
        lines.append(sep.join(parts) + f" {marker}")
        cited[-1].highlights = _card_sentences_stating(cited[-1].chunk, parts)
        extra = _corroboration(rec, asks, ranked, lang)
        if extra is not None:
            chunk, sent = extra
            cited.append(Cited(chunk, [sent]))
            lines.append(_account_line(chunk, sent, len(cited), lang))
    if not lines:
        return None
    # "How many members voted in favour of the draft China and Russia vetoed?" of a record without
    # the count: what it does hold is given, and the answer is flagged like a decline
    counted = asks & {"tally", "in_favour", "against", "abstaining"} and re.search(r"\bhow many\b|多少|几票", q.text, re.I)
    if counted and all(_lacks_count(r) for r in recs):
        return StructuredAnswer("\n".join(lines), cited, abstained=True, kind="missing")
    return StructuredAnswer("\n".join(lines), cited, kind="fact")


def _when_parts(rec: DocRecord, name: str, asks: set[str], lang: str) -> list[str]:
    """When and where it was adopted (or put to the vote): asked for, or standing in for a tally the record lacks."""
    if not (asks & {"date", "meeting"} or (asks & {"tally"} and not rec.tally)):
        return []
    when = _date(rec.date, lang)
    where = _meeting(rec, lang)
    at = f" {where}" if where else ""
    if rec.doc_kind in ("veto", "draft_not_adopted"):
        return [f"{name}于{when}付诸表决，未获通过{where}。" if _zh(lang) else f"{name} was put to the vote on {when} and not adopted{at}."]
    if _zh(lang):
        return [f"{name}于{when}{where}通过。"]
    return [f"{name} was adopted on {when}{at}."]


def _vote_parts(rec: DocRecord, name: str, asks: set[str], lang: str) -> list[str]:
    """How the vote went, who voted each asked way, and the veto that defeated a draft.

    Members are named only for the ways the question asks about; a bare "what was the vote?" on a
    divided vote also names those against and abstaining, since the tally alone hides who they were.
    """
    if not asks & {"tally", "in_favour", "against", "abstaining"}:
        return []
    parts = _tally_parts(rec, name, lang)
    if _lacks_count(rec):
        parts.append("记录中没有这次表决的票数。" if _zh(lang) else "The record does not give the number of votes.")
    asked_hows = [h for h in ("in_favour", "against", "abstaining") if h in asks]
    if not asked_hows and "tally" in asks and rec.tally and not rec.unanimous:
        asked_hows = [h for h in ("against", "abstaining") if (rec.count(h) or 0) > 0]
    for how in asked_hows:
        s = _vote_sentence(rec, how, lang)
        if s:
            parts.append(s)
    if rec.vetoed_by:
        vb = _vetoers(rec, lang)
        parts.append(f"因{vb}投反对票而未获通过。" if _zh(lang) else f"It was not adopted because of the negative vote of {vb}.")
    return parts


def _lacks_count(rec: DocRecord) -> bool:
    """The record gives no count of the vote (the vetoes list names who vetoed, not the tally)."""
    return not (rec.tally or rec.without_vote or rec.unanimous or rec.conflicts)


def _tally_parts(rec: DocRecord, name: str, lang: str) -> list[str]:
    """The outcome of the vote as the record gives it: without a vote, the tally, unanimous, or conflicting data."""
    if rec.without_vote:
        return [f"{name}未经表决通过。" if _zh(lang) else f"{name} was adopted without a vote."]
    if rec.tally:
        if _zh(lang):
            counts = f"{rec.in_favour_count}票赞成、{rec.against_count}票反对、{rec.abstaining_count}票弃权"
            return [f"表决结果：{counts}({rec.tally})" + ("，一致通过。" if rec.unanimous else "。")]
        counts = f"{rec.in_favour_count} in favour, {rec.against_count} against, {rec.abstaining_count} abstaining"
        return [f"The vote was {rec.tally} ({counts})" + (", unanimous." if rec.unanimous else ".")]
    if rec.unanimous:
        return [f"{name}获一致通过。" if _zh(lang) else f"{name} was adopted unanimously."]
    if rec.conflicts:
        return ["记录中的表决数据互相矛盾，无法给出表决结果。" if _zh(lang)
                else "The record's vote data disagree, so no tally can be given."]
    return []


def _vetoers(rec: DocRecord, lang: str) -> str:
    return _join(names_in(rec.vetoed_by, lang), lang) if _zh(lang) else join_en(names_in(rec.vetoed_by, lang))


def _veto_parts(rec: DocRecord, name: str, asks: set[str], lang: str) -> list[str]:
    """Who vetoed it, asked on its own (with a tally asked, `_vote_parts` already says so)."""
    if "vetoed_by" not in asks or "tally" in asks:
        return []
    if rec.vetoed_by:
        vb = _vetoers(rec, lang)
        return [f"{name}因{vb}投反对票（否决）而未获通过。" if _zh(lang) else f"{name} was vetoed by {vb}."]
    return [f"记录中没有{name}被否决的信息。" if _zh(lang) else f"The records show no veto of {name}."]


def _sponsor_parts(rec: DocRecord, name: str, asks: set[str], lang: str) -> list[str]:
    """Its sponsors: all of a short list (or when all are asked for), else the count and the first few."""
    if not asks & {"sponsors", "all_sponsors"}:
        return []
    sp = names_in(rec.sponsors, lang)
    if not sp:
        return [f"记录中没有{name}的提案国。" if _zh(lang) else f"The record lists no sponsors for {name}."]
    if "all_sponsors" in asks or len(sp) <= SPONSORS_SHOWN + 2:
        return [f"提案国（{len(sp)}个）：{_join(sp, lang)}。" if _zh(lang) else f"Sponsors ({len(sp)}): {_join(sp, lang)}."]
    shown = _join(sp[:SPONSORS_SHOWN], lang)
    return [f"共有{len(sp)}个提案国，包括{shown}等；完整名单见来源。" if _zh(lang)
            else f"It had {len(sp)} sponsors, including {shown}; the full list is in the source."]


def _chapter_vii_parts(rec: DocRecord, asks: set[str], lang: str) -> list[str]:
    """Whether the record marks it as adopted under Chapter VII (an unmarked record is said to be unmarked, not denied)."""
    if "chapter_vii" not in asks:
        return []
    if rec.chapter_vii:
        return ["记录标明该决议根据《宪章》第七章通过。" if _zh(lang)
                else "The record marks it as adopted under Chapter VII of the Charter."]
    return ["记录未标明该决议根据《宪章》第七章通过。" if _zh(lang) else "The record does not mark it as adopted under Chapter VII."]


def _draft_parts(rec: DocRecord, name: str, asks: set[str], lang: str) -> list[str]:
    """The symbol of the draft it was adopted from, or that the record gives none."""
    if "draft" not in asks:
        return []
    if rec.draft:
        return [f"决议草案文号：{rec.draft}。" if _zh(lang) else f"The draft resolution was {rec.draft}."]
    return [f"记录中没有{name}的草案文号。" if _zh(lang) else f"The record gives no draft symbol for {name}."]


def _account_line(chunk: Chunk, sent: str, n: int, lang: str) -> str:
    """The records' own narrative of the fact, quoted with its marker (and its language when not the answer's)."""
    if _zh(lang):
        return f"记录中的叙述：“{sent.strip()}”" + ("" if chunk.lang == "zh" else "（英文记录）") + f" [{n}]"
    return f"The records' account: “{sent.strip()}”" + ("" if chunk.lang == "en" else " (Chinese record)") + f" [{n}]"


# --------------------------------------------------------------------------- counts and lists

_UNKNOWN_TOPIC_EN = re.compile(r"\b(?:on|about|concerning|regarding|relating to|related to)\s+(?:the\s+)?((?:[A-Za-z\-']+\s*){1,6})", re.I)
_UNKNOWN_TOPIC_ZH = re.compile(r"(?:关于|就|有关|涉及)(.{2,14}?)(?:的|问题|局势|通过|做出|作出|举行|\s|$)")
_GENERIC = re.compile(r"^(?:the )?(?:security )?council|^resolutions?$|^(?:it|them|this|that)$|^average|^record|^adopt", re.I)


def _unrecognised_subject(q: Question) -> bool:
    """The question restricts to a subject the records' vocabulary does not name (so a count would ignore it)."""
    names = [n.lower() for key in q.states for n in (*state_names(key), *state_forms(key))] + [t.lower() for g in q.topics for t in g]
    if q.lang == "zh":
        for m in _UNKNOWN_TOPIC_ZH.finditer(q.text):
            phrase = m.group(1)
            if not any(n and n in phrase.lower() for n in names) and not re.fullmatch(r"[\d年月至到\-–上下半]+", phrase):
                return True
        return False
    for m in _UNKNOWN_TOPIC_EN.finditer(q.text):
        phrase = m.group(1).strip()
        if re.match(r"(?:\d|how|which|what|in\b|during|between|from|average)", phrase, re.I) or _GENERIC.search(phrase):
            continue
        if not any(n and n in phrase.lower() for n in names):
            return True
    return False


def _kind_of(q: Question) -> str:
    if q.doc_kind == "presidential_statement":
        return "presidential_statement"
    if q.doc_kind == "veto":
        return "veto"
    if q.doc_kind == "draft_not_adopted":
        return "draft_not_adopted"
    return "resolution"


def _aggregate(q: Question, facts: FactsTable, lang: str) -> StructuredAnswer | None:
    if not len(facts):
        return None
    kind = _kind_of(q)
    if _unrecognised_subject(q) or _SUPERLATIVE.search(q.text):
        return None  # "the closest vote", "the first resolution": not a count or a filter of the table
    if kind == "veto":
        return _vetoes(q, facts, lang)
    if kind == "draft_not_adopted":
        return _failed(q, facts, lang)
    cov = facts.coverage(kind)
    uncovered = _uncovered(q, cov, kind, lang)
    if uncovered is not None:
        return uncovered
    sel = _Selection(facts.select(kind, q.date_from, q.date_to))
    vote_hows = _vote_hows(q)
    topic_states = _filter_voter(q, facts, sel, vote_hows)
    _filter_subjects(q, facts, sel, topic_states)
    _filter_adoption(q, facts, sel, vote_hows)
    if _unread_vote_condition(q, _filter_vote_counts(q, sel), vote_hows):
        return None  # a condition on the vote this reading does not understand: no count that ignores it
    _filter_unanimity_and_procedure(q, facts, sel)
    return _list_answer(q, sel.recs, cov, kind, sel.en, sel.zh, lang)


def _uncovered(q: Question, cov: Coverage, kind: str, lang: str) -> StructuredAnswer | None:
    """The decline when the records hold no document of the kind asked, or none of the period asked.

    Said as what the records hold, so a count of zero is never given for a period they do not cover.
    """
    if not cov.count:
        what = {"presidential_statement": ("主席声明", "presidential statements")}.get(kind, ("决议", "resolutions"))
        return StructuredAnswer(f"我掌握的记录中没有{what[0]}。" if _zh(lang) else f"The records I have contain no {what[1]}.", [],
                                abstained=True, kind="missing")
    years = cov.years
    if q.has_period and years and (q.date_to and q.date_to.year < years[0] or q.date_from and q.date_from.year > years[1]):
        held = _coverage_text(cov, lang)
        if _years(cov, lang) not in held:
            held += ("，" if _zh(lang) else ", ") + _years(cov, lang)
        text = (f"我掌握的记录不包括这一时期（这些记录包含{held}）。" if _zh(lang)
                else f"The records I have do not cover that period (they hold {held}).")
        return StructuredAnswer(text, [], abstained=True, kind="missing")
    return None


@dataclass
class _Selection:
    """The records a count or list keeps, with the words (both languages) describing each filter applied.

    Each filter step narrows `recs` and says what it kept, so the answer's sentence names every
    condition the count obeyed, in the order applied.
    """

    recs: list[DocRecord]
    en: list[str] = field(default_factory=list)
    zh: list[str] = field(default_factory=list)

    def keep(self, recs: list[DocRecord], en: str, zh: str) -> None:
        self.recs = recs
        self.en.append(en)
        self.zh.append(zh)


def _vote_hows(q: Question) -> list[str]:
    """The ways of voting a count or list question filters by, in the order the filters apply."""
    return [h for h in ("against", "abstaining", "in_favour") if h in q.asks]


def _unread_vote_condition(q: Question, conditions: list, vote_hows: list[str]) -> bool:
    """The question sets a condition on the vote ("with more than one negative vote") that
    `vote_conditions` did not read: a count ignoring it would be wrong, so there is none."""
    return not conditions and bool(_VOTE_CONDITION_WORDS.search(q.text)) and not (vote_hows and q.states)


_VOTED_EN = {"against": "on which {} voted against", "abstaining": "on which {} abstained", "in_favour": "for which {} voted"}
_VOTED_ZH = {"against": "{}投反对票的", "abstaining": "{}投弃权票的", "in_favour": "{}投赞成票的"}


def _filter_voter(q: Question, facts: FactsTable, sel: _Selection, vote_hows: list[str]) -> list[str]:
    """Keep the records on which the first State named voted the way asked; returns the States left as subjects.

    "Which resolutions did Russia abstain on about Syria?": the first State is the voter, any other
    is what the resolutions are about.
    """
    if not (vote_hows and q.states):
        return list(q.states)
    voter = q.states[0]
    en, zh = state_names(voter)
    for how in vote_hows[:1]:
        sel.keep(facts.by_vote(sel.recs, voter, how), _VOTED_EN[how].format(en), _VOTED_ZH[how].format(zh))
    return q.states[1:]


def _filter_subjects(q: Question, facts: FactsTable, sel: _Selection, states: list[str]) -> None:
    """Keep the records about each State (any of its names) and each topic the question names."""
    for key in states:
        en, zh = state_names(key)
        alts = [en, key.lower(), re.sub(r"\s*\(.*\)$", "", en)]
        sel.keep(facts.about(sel.recs, [alts]), f"about {en}", f"关于{zh}的")
    for group in q.topics:
        sel.keep(facts.about(sel.recs, [group]), f"about {group[0]}", f"关于{group[-1]}的")


def _filter_adoption(q: Question, facts: FactsTable, sel: _Selection, vote_hows: list[str]) -> None:
    """Keep the records adopted under Chapter VII, or unanimously, when asked.

    "Unanimously" is not applied as a filter when the question asks about a way of voting (in
    favour, against, abstaining), which the vote filters read, nor when it also asks about ones
    not adopted unanimously.
    """
    if "chapter_vii" in q.asks:
        sel.keep(facts.chapter_vii(sel.recs), "adopted under Chapter VII", "根据《宪章》第七章通过的")
    if "unanimous" in q.asks and "not_unanimous" not in q.asks and not vote_hows:
        sel.keep([r for r in sel.recs if r.unanimous], "adopted unanimously", "一致通过的")


def _filter_vote_counts(q: Question, sel: _Selection) -> list[tuple[str, str, int]]:
    """Keep the records whose vote meets each condition the question sets ("more than one negative vote"); returns them.

    A record whose count is unknown meets no condition: it is not counted on a guess.
    """
    conditions = vote_conditions(q.text)
    wanted = votes_in_favour(q.text)
    if wanted is not None and not any(c[0] == "in_favour" for c in conditions):
        conditions.append(("in_favour", "==", wanted))
    for how, op, n in conditions:
        sel.keep([r for r in sel.recs if _meets(r.count(how), op, n)],
                 f"with {_OP_EN[op]}{n} {_HOW_EN[how]}", f"{_HOW_ZH[how]}{_OP_ZH[op]}{n}票的")
    return conditions


def _filter_unanimity_and_procedure(q: Question, facts: FactsTable, sel: _Selection) -> None:
    """Keep the records not adopted unanimously, or adopted by voting by mail, when asked."""
    if "not_unanimous" in q.asks:
        sel.keep(facts.not_unanimous(sel.recs), "not adopted unanimously", "未获一致通过的")
    if "by_mail" in q.asks:
        sel.keep([r for r in sel.recs if r.by_mail], "adopted by voting by mail", "以书面程序(通信表决)通过的")


_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
_NUM = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r"|[一二三四五六七八九十]{1,2})"
_WORDS = {w: i for i, w in enumerate(_NUMBER_WORDS)}
_HOW_EN = {"against": "votes against", "abstaining": "abstentions", "in_favour": "votes in favour"}
_HOW_ZH = {"against": "反对票", "abstaining": "弃权票", "in_favour": "赞成票"}
_OP_EN = {">": "more than ", ">=": "at least ", "<": "fewer than ", "==": ""}
_OP_ZH = {">": "多于", ">=": "至少", "<": "少于", "==": ""}
_COND_EN = re.compile(r"(more than|over|at least|fewer than|less than|exactly|only)?\s*" + _NUM +
                      r"\s+(negative votes?|votes? against|abstentions?|votes? in favou?r)", re.I)
_COND_ZH = re.compile(r"(超过|多于|至少|少于|仅|只有)?\s*" + _NUM + r"\s*(?:票|张)?\s*(反对票|弃权票|赞成票|反对|弃权|赞成)")
_ANY_EN = re.compile(r"\b(?:with|had|received|drew|any)\s+(?:an?\s+)?(negative votes?|votes? against|abstentions?)\b", re.I)
_ANY_ZH = re.compile(r"有(反对票|弃权票|弃权|反对)")
_VOTE_CONDITION_WORDS = re.compile(r"negative votes?|votes? against|abstentions?\b|votes? in favou?r|反对票|弃权票|赞成票", re.I)


def _num(w: str) -> int:
    if w.isdigit():
        return int(w)
    if w.lower() in _WORDS:
        return _WORDS[w.lower()]
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if w.startswith("十"):
        return 10 + (digits[w[1]] if len(w) > 1 else 0)
    return digits.get(w[0], 0) * (10 if len(w) > 1 and w[1] == "十" else 1)


def _how(word: str) -> str:
    w = word.lower()
    if "against" in w or "negative" in w or "反对" in w:
        return "against"
    if "abstain" in w or "abstention" in w or "弃权" in w:
        return "abstaining"
    return "in_favour"


def vote_conditions(text: str) -> list[tuple[str, str, int]]:
    """Conditions on a vote a list question sets: 'more than one negative vote' → ('against', '>', 1)."""
    out: list[tuple[str, str, int]] = []
    for m in _COND_EN.finditer(text):
        op = {"more than": ">", "over": ">", "at least": ">=", "fewer than": "<", "less than": "<"}.get((m.group(1) or "").lower(), "==")
        out.append((_how(m.group(3)), op, _num(m.group(2))))
    for m in _COND_ZH.finditer(text):
        op = {"超过": ">", "多于": ">", "至少": ">=", "少于": "<"}.get(m.group(1) or "", "==")
        out.append((_how(m.group(3)), op, _num(m.group(2))))
    if not out:
        for m in list(_ANY_EN.finditer(text)) + list(_ANY_ZH.finditer(text)):
            out.append((_how(m.group(1)), ">", 0))
    return out


def _compare(value: int, op: str, n: int) -> bool:
    return {">": value > n, ">=": value >= n, "<": value < n, "==": value == n}[op]


def _meets(value: int | None, op: str, n: int) -> bool:
    """Whether a vote count meets a condition; an unknown count (None) meets none."""
    return value is not None and _compare(value, op, n)


def _period_text(q: Question, lang: str) -> str:
    """The period a count covers, in words: "in 2021", "from 2019 to 2022", "since 15 March 2021", ""."""
    a, b = q.date_from, q.date_to
    if a is None:
        if b is None:
            return ""
        return f"截至{_date(b.isoformat(), lang)}" if _zh(lang) else f"until {_date(b.isoformat(), lang)}"
    if b is None:
        if (a.month, a.day) == (1, 1):
            return f"自{a.year}年以来" if _zh(lang) else f"since {a.year}"
        return f"自{_date(a.isoformat(), lang)}以来" if _zh(lang) else f"since {_date(a.isoformat(), lang)}"
    if a.year == b.year and (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
        return f"{a.year}年" if _zh(lang) else f"in {a.year}"
    if a.month == 1 and a.day == 1 and b.month == 12 and b.day == 31:
        return f"{a.year}年至{b.year}年" if _zh(lang) else f"from {a.year} to {b.year}"
    start, end = _date(a.isoformat(), lang), _date(b.isoformat(), lang)
    return f"{start}至{end}" if _zh(lang) else f"from {start} to {end}"


def _list_answer(q: Question, recs: list[DocRecord], cov: Coverage, kind: str, filters_en: list[str], filters_zh: list[str],
                 lang: str, records_cards: bool = True) -> StructuredAnswer:
    n = len(recs)
    period = _period_text(q, lang)
    years = cov.years
    scope_en = f"in the records I hold ({_years(cov, lang)})" if years else "in the records I hold"
    scope_zh = f"在我掌握的记录中（{_years(cov, lang)}）" if years else "在我掌握的记录中"
    noun_en = {"resolution": "resolution", "presidential_statement": "presidential statement",
               "draft": "draft resolution", "failed": "draft resolution"}.get(kind, "document")
    noun_zh = {"resolution": "项决议", "presidential_statement": "份主席声明", "draft": "份决议草案",
               "failed": "份决议草案"}.get(kind, "份文件")
    verb_en = {"presidential_statement": "issued", "draft": "vetoed", "failed": "not adopted"}.get(kind, "adopted")
    verb_zh = {"presidential_statement": "发表的", "draft": "" if filters_zh else "被否决的",
               "failed": "未获通过的"}.get(kind, "通过的")
    plural = "" if n == 1 else "s"
    what_en = " ".join(filters_en)
    what_zh = "".join(filters_zh)
    if _zh(lang):
        head = f"{scope_zh}，安理会{period}{verb_zh}{what_zh}{noun_zh[1:]}共有{n}{noun_zh[0]}。"
    else:
        verb = "was" if n == 1 else "were"
        when = f" {period}" if period else ""
        if kind == "draft":  # "3 draft resolutions were vetoed by the Russian Federation since 2020"
            head = f"{scope_en}, {n} {noun_en}{plural} {verb} {verb_en}{(' ' + what_en) if what_en else ''}{when}."
        else:
            head = f"{scope_en}, {n} {noun_en}{plural} {what_en + ' ' if what_en else ''}{verb} {verb_en}{when}."
        head = head[0].upper() + head[1:]
    if n == 0:
        if q.has_period and q.date_from is not None and cov.first_date and q.date_from.isoformat() < cov.first_date:
            begin = _date(cov.first_date, lang)
            head += f"（记录始于{begin}。）" if _zh(lang) else f" (The records begin on {begin}.)"
        return StructuredAnswer(head, [], abstained=True, kind="count")
    shown = recs[:LIST_SHOWN]
    cited: list[Cited] = []
    items: list[str] = []
    for r in shown:
        chunk = r.card(lang)
        if chunk is None:
            continue
        cited.append(Cited(chunk))
        title = _failure(r, lang) if kind == "failed" else _short_title(r, lang)
        name = (f"决议草案{r.symbol}" if _zh(lang) else f"Draft {r.symbol}") if kind in ("draft", "failed") else _doc_name(r.symbol, lang)
        items.append(f"{name}（{_date(r.date, lang)}{('，' + title) if title else ''}）[{len(cited)}]" if _zh(lang)
                     else f"{name} ({_date(r.date, lang)}{(', ' + title) if title else ''}) [{len(cited)}]")
    more = n - len(shown)
    body = ("；".join(items) + (f"；另有{more}{noun_zh[0]}。" if more > 0 else "。")) if _zh(lang) else \
        ("; ".join(items) + (f"; and {more} more." if more > 0 else "."))
    if _PER_YEAR.search(q.text) and n:
        by_year = FactsTable().per_year(recs)
        body += ("\n按年份：" + "；".join(f"{y}年{k}{noun_zh[0]}" for y, k in by_year.items()) + "。") if _zh(lang) else \
            ("\nBy year: " + "; ".join(f"{y}: {k}" for y, k in by_year.items()) + ".")
    partial = q.has_period and years and q.date_to and q.date_to.year >= years[1] and (cov.last_date or "") < q.date_to.isoformat()
    early = q.has_period and q.date_from is not None and cov.first_date and q.date_from.isoformat() < cov.first_date
    tail = ""
    if early:  # a count over a period the records only partly hold says so
        tail += (f"（记录始于{_date(cov.first_date, lang)}，此前的文件未计入。）" if _zh(lang)
                 else f" (The records begin on {_date(cov.first_date, lang)}; earlier documents are not counted.)")
    if partial:
        tail += (f"（记录截至{_date(cov.last_date, lang)}。）" if _zh(lang) else f" (The records end on {_date(cov.last_date, lang)}.)")
    return StructuredAnswer(f"{head}\n{body}{tail}", cited, kind="list" if "list" in q.asks else "count")


_SUPERLATIVE = re.compile(r"\b(?:most|least|closest|narrowest|largest|highest|lowest|first(?! half)|last(?! (?:half|year|month))"
                          r"|latest|earliest|longest|shortest)\b|最", re.I)
_PERMANENT = {"CHINA", "FRANCE", "RUSSIAN FEDERATION", "UNITED KINGDOM", "UNITED STATES"}
_PER_YEAR = re.compile(r"\bper year\b|\beach year\b|\bby year\b|\byear by year\b|每年|各年|逐年|按年", re.I)
_PER_MEMBER = re.compile(r"\beach (?:permanent )?member\b|\bper member\b|\bby member\b|\bwhich members?\b"
                         r"|各常任理事国|每个常任理事国|各理事国|哪些(?:常任)?理事国", re.I)


def _short_title(r: DocRecord, lang: str) -> str:
    t = r.title or ""
    m = re.search(r"\[(?:on )?(.*?)\]", t)
    if m:
        return m.group(1)
    return (r.agenda_item or "").rstrip(".") if lang != "zh" else (r.agenda_item or "").rstrip(".")


# "Which permanent member vetoed …", "who vetoed …", "被哪个常任理事国否决": the question asks for the
# vetoing member (so a permanent member it names is a sponsor); "Which draft did the United States
# veto?" asks for the draft, and names the vetoing member.
_ASKS_VETOER = re.compile(r"\bwho\b|\bwhich (?:(?:permanent|P5) )?(?:members?|countr(?:y|ies)|states?|P5)\b"
                          r"|\bwhat (?:(?:permanent|P5) )?(?:members?|countr(?:y|ies))\b"
                          r"|哪个|哪些(?:常任)?(?:理事国|成员|国家)|哪几个|谁", re.I)


def _vetoes(q: Question, facts: FactsTable, lang: str, records: Records | None = None,
            ranked: Sequence[ScoredChunk] = ()) -> StructuredAnswer | None:
    """Vetoed drafts a question describes: by a member, in a period, of a sponsor.

    When the description picks out a draft (or up to three) and the question asks who vetoed it or
    how the vote went ("Which permanent member vetoed Brazil's October 2023 draft on Gaza, and what was the
    vote?"), the answer is that draft's facts, as if the question had named it; otherwise a list.
    """
    # "Which permanent members vetoed the United States draft …?": a question asking which member
    # vetoed does not name the vetoing member; every State it names is a sponsor.
    asks_which = q.asks_who and not {"count", "list"} & set(q.asks) and bool(_ASKS_VETOER.search(q.text))
    permanent = [] if asks_which else [k for k in q.states if k in _PERMANENT]
    others = [k for k in q.states if k not in permanent]
    vetoed = [r for r in facts.records.values() if r.vetoed_by]
    if not vetoed:
        corrected = _not_vetoed(q, facts, others, records, lang, ranked) if asks_which and records is not None else None
        if corrected is not None:
            return corrected
        text = "我掌握的记录中没有否决票的记录。" if _zh(lang) else "The records I hold contain no record of vetoes."
        return StructuredAnswer(text, [], abstained=True, kind="missing")
    state = permanent[0] if permanent else None
    recs = facts.vetoes_by(state, q.date_from, q.date_to)
    subjects = [k for k in others if not names_as_sponsor(q, k)]
    others = [k for k in others if k not in subjects]
    for key in others:  # "Brazil's draft", "阿尔及利亚提出的草案": a sponsor, not a vetoing member
        recs = [r for r in recs if any(state_key(sp) == key for sp in r.sponsors)]
    for key in subjects:  # "any draft on Syria": what the vetoed drafts were about, where their records say
        if any(not (r.agenda_item or r.subjects) for r in recs):
            return None  # a draft whose record names no subject cannot be counted in or out: the passages answer
        en, zh = state_names(key)
        recs = facts.about(recs, [[en, key.lower(), re.sub(r"\s*\(.*\)$", "", en), *state_forms(key)]])
    if 1 <= len(recs) <= 3 and records is not None and not {"count", "list"} & set(q.asks) and not _PER_MEMBER.search(q.text):
        single = _facts(q, recs, records, lang, ranked)
        if single is not None:
            return single
    if not recs and asks_which and records is not None:
        corrected = _not_vetoed(q, facts, others, records, lang, ranked)
        if corrected is not None:
            return corrected
    dates = sorted(r.date for r in vetoed if r.date)
    cov = Coverage("veto", len(vetoed), dates[0] if dates else None, dates[-1] if dates else None, None, None)
    fen: list[str] = []
    sponsors_zh = "".join(f"由{state_names(key)[1]}提出、" for key in others)
    sponsors_zh += "".join(f"关于{state_names(key)[1]}的、" for key in subjects)
    fzh = [f"{sponsors_zh}被否决的"] if others or subjects else []
    if state:
        en, zh = state_names(state)
        fen, fzh = [f"by {en}"], [f"{sponsors_zh}被{zh}否决的"]
    # a count or list narrowed by sponsor or subject says so ("0 … (submitted by Brazil)", never a bare "0 …")
    fen += [f"(submitted by {state_names(key)[0]})" for key in others]
    fen += [f"(about {state_names(key)[0]})" for key in subjects]
    res = _list_answer(q, recs, cov, "draft", fen, fzh, lang)
    res.text += _veto_gap(q, list(facts.records.values()), lang)
    if not state and _PER_MEMBER.search(q.text) and recs:
        per: dict[str, int] = {}
        for r in recs:
            for v in r.vetoed_by:
                name = names_in([v], lang)[0]
                per[name] = per.get(name, 0) + 1
        by_member = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
        res.text += ("\n按常任理事国：" + "；".join(f"{k}{v}次" for k, v in by_member) + "。") if _zh(lang) else \
            ("\nBy member: " + "; ".join(f"{k} {v}" for k, v in by_member) + ".")
    return res


_ALONE = re.compile(r"\balone\b|\bsole(?:ly)?\b|\bon (?:its|their) own\b|\bonly by\b|单独|独自|独家", re.I)


def _failed(q: Question, facts: FactsTable, lang: str) -> StructuredAnswer | None:
    """Drafts the Council did not adopt (vetoed, or short of nine votes) that a question describes:
    in a period, by their sponsors ("submitted by the Russian Federation alone"), by how a member
    voted, by their vote.

    Only the failed drafts' own records count (`draft_not_adopted`), so the count is of the period
    they cover and says so; the vetoes list holds vetoed drafts only, not those short of votes, and
    is the veto questions'. A draft's record names no subject: a question about drafts on a subject
    ("on Syria") is left to the passages rather than counted by a filter that would drop them all.
    """
    cov = facts.coverage("draft_not_adopted")
    if not cov.count:
        text = ("我掌握的记录中没有未获通过的决议草案。" if _zh(lang)
                else "The records I hold contain no draft resolutions that were not adopted.")
        return StructuredAnswer(text, [], abstained=True, kind="missing")
    uncovered = _uncovered(q, cov, "draft_not_adopted", lang)
    if uncovered is not None:
        return uncovered
    sel = _Selection(facts.select("draft_not_adopted", q.date_from, q.date_to))
    vote_hows = _vote_hows(q)
    others = _filter_voter(q, facts, sel, vote_hows)
    if q.topics or any(not names_as_sponsor(q, key) for key in others):
        return None  # a draft's record names no subject to filter by
    alone = bool(_ALONE.search(q.text))
    for key in others:
        en, zh = state_names(key)
        if alone and len(others) == 1:
            sel.keep([r for r in sel.recs if [state_key(sp) for sp in r.sponsors] == [key]],
                     f"submitted by {en} alone", f"由{zh}单独提出的")
        else:
            sel.keep([r for r in sel.recs if any(state_key(sp) == key for sp in r.sponsors)],
                     f"submitted by {en}", f"由{zh}提出的")
    if _unread_vote_condition(q, _filter_vote_counts(q, sel), vote_hows):
        return None
    return _list_answer(q, sel.recs, cov, "failed", sel.en, sel.zh, lang)


def _failure(r: DocRecord, lang: str) -> str:
    """How a draft failed, as its record says: vetoed by whom, or short of the votes; with the tally."""
    if r.vetoed_by:
        who = _join(names_in(r.vetoed_by, lang), lang)
        how = f"被{who}否决" if _zh(lang) else f"vetoed by {who}"
    else:
        how = "未获得所需票数" if _zh(lang) else "short of the required votes"
    tally = r.tally
    return how + (("，" if _zh(lang) else ", ") + tally if tally else "")


def _veto_gap(q: Question, records: list[DocRecord], lang: str) -> str:
    """The caveat when a question's period reaches between the vetoes list's last veto and the first
    of the not-adopted drafts' own records: the two sources do not meet (the list ends in September
    2022, the draft records begin in 2023), so a veto cast between them is not counted."""
    listed = sorted(r.date for r in records if r.doc_kind == "veto" and r.date)
    drafts = sorted(r.date for r in records if r.doc_kind == "draft_not_adopted" and r.date)
    if not listed or not drafts or listed[-1] >= drafts[0]:
        return ""
    lo = q.date_from.isoformat() if q.date_from else "0000"
    hi = q.date_to.isoformat() if q.date_to else "9999"
    if hi <= listed[-1] or lo >= drafts[0]:
        return ""
    a, b = _date(listed[-1], lang), _date(drafts[0], lang)
    return (f"（我掌握的否决清单最后一条记录为{a}，未获通过的决议草案记录始于{b}：其间的否决未计入。）" if _zh(lang)
            else f" (The vetoes list I hold ends with a veto of {a} and the records of drafts not adopted begin on {b}: "
                 "vetoes cast between them are not counted.)")


def _declined_with_records(first: str, symbols: list[str], facts: FactsTable, records: Records, lang: str,
                           line: Callable[[DocRecord, Chunk, int], str | None]) -> StructuredAnswer:
    """A decline that says what the records do not hold (`first`), then what they do hold about each
    named document: `line(record, card, n)` (None: nothing to say), citing its card as [n]."""
    cited: list[Cited] = []
    lines = [first]
    for rec in [r for r in (facts.get(s) for s in symbols) if r is not None][:3]:
        card = _card(records, rec, lang)
        text = line(rec, card, len(cited) + 1) if card is not None else None
        if card is None or text is None:
            continue
        cited.append(Cited(card, []))
        lines.append(text)
    return StructuredAnswer("\n".join(lines), cited, abstained=True, kind="missing")


def _dated_line(lang: str) -> Callable[[DocRecord, Chunk, int], str | None]:
    """"The record of Resolution 2518 (2020) gives its date, 30 March 2020, …. [n]": what a named
    document's record holds about its meeting, for a decline about that meeting."""
    def line(rec: DocRecord, card: Chunk, n: int) -> str | None:
        if not rec.date:
            return None
        name = _doc_name(rec.symbol, lang, rec.doc_kind)
        when, where = _date(rec.date, lang), _meeting(rec, lang)
        return (f"{name}的记录显示其日期为{when}" + (f"，{where}" if where else "") + f"。[{n}]" if _zh(lang)
                else f"The record of {name} gives its date, {when}" + (f", {where}" if where else "") + f". [{n}]")
    return line


def _no_presidency(symbols: list[str], facts: FactsTable, records: Records, lang: str) -> StructuredAnswer:
    """Which member presided when a named document was adopted: no record held says (the records are
    the documents, their votes and the Repertoire, not the Council's monthly presidencies), so the
    answer declines, says so, and gives the date and meeting the record does hold."""
    first = ("我掌握的记录没有说明当时由哪个成员担任安理会主席。" if _zh(lang)
             else "The records I hold do not say which member held the Council's presidency at the time.")
    return _declined_with_records(first, symbols, facts, records, lang, _dated_line(lang))


def _narrated(symbols: list[str], states: Sequence[str], ranked: Sequence[ScoredChunk]) -> bool:
    """A retrieved Repertoire paragraph gives an account of one of these documents' meetings that
    names the delegation asked about (any, when the question names none): only such an account
    can say what was said."""
    forms = [f.lower() for key in states for f in state_forms(key)]
    for r in ranked:
        c = r.chunk
        if c.kind != "paragraph" or not set(symbols) & {c.doc_id, *c.symbols}:
            continue
        text = c.evidence_text().lower()
        if not forms or any(f in text for f in forms):
            return True
    return False


def _no_speech(symbols: list[str], facts: FactsTable, records: Records, lang: str) -> StructuredAnswer:
    """What a delegation said at the meeting of a named document: the words spoken are in the
    meeting's verbatim record, which the store does not hold (it holds the documents, their votes and
    the Repertoire's accounts), so the answer declines, says so, and gives the date and meeting the
    document's record does hold."""
    first = ("我掌握的记录不包含会议上的发言（见会议逐字记录），无法说明代表如何解释。" if _zh(lang)
             else "The records I hold do not contain what was said at the meeting (that is in its verbatim record).")
    return _declined_with_records(first, symbols, facts, records, lang, _dated_line(lang))


def _not_vetoed(q: Question, facts: FactsTable, sponsors: list[str], records: Records, lang: str,
                ranked: Sequence[ScoredChunk]) -> StructuredAnswer | None:
    """A false premise corrected from the records: "which member vetoed X?" where the drafts the
    question describes (its period, its sponsors) failed without a veto (fewer than nine votes in
    favour). The records' account of those drafts is given, flagged like a decline (`abstained`)
    since the question as asked has no answer; None when no such draft is held."""
    failed = [r for r in facts.select("draft_not_adopted", q.date_from, q.date_to)
              if not r.vetoed_by and all(any(state_key(sp) == key for sp in r.sponsors) for key in sponsors)]
    if not failed or len(failed) > 3:
        return None
    asks = q.asks if "tally" in q.asks else [*q.asks, "tally"]
    account = _facts(q.model_copy(update={"asks": asks}), failed, records, lang, ranked)
    if account is None:
        return None
    head = ("我掌握的记录中没有符合这一描述的被否决的决议草案：以下草案未获通过，是因为未获得所需票数（九票赞成），而不是因为否决。"
            if _zh(lang) else "No draft of that description was vetoed in the records I hold: the draft below was not "
            "adopted because it did not obtain the required number of votes (nine in favour), not because of a veto.")
    return StructuredAnswer(head + "\n" + account.text, account.cited, abstained=True, kind="premise")


class ChunkRecords:
    """`Records` over a list of chunks, without a store (tools, tests, a parsed folder)."""

    def __init__(self, chunks: Sequence[Chunk]):
        self._chunks = list(chunks)
        self._facts = FactsTable.from_chunks(self._chunks)
        self._by_doc: dict[str, list[Chunk]] = {}
        self._by_note: dict[str, list[Chunk]] = {}
        for c in self._chunks:
            self._by_doc.setdefault(c.doc_id, []).append(c)
            for f in c.footnotes:
                self._by_note.setdefault(f.number, []).append(c)

    def facts(self) -> FactsTable:
        return self._facts

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return list(self._by_doc.get(doc_id, []))

    def chunks_with_footnote(self, number: str) -> list[Chunk]:
        return list(self._by_note.get(str(number), []))

    def cites(self, symbol: str | int) -> bool:
        """`symbol` a canonical symbol, or a resolution number (any year)."""
        for c in self._chunks:
            for s in c.symbols:
                if s == symbol or (isinstance(symbol, int) and s.startswith(f"S/RES/{symbol}(")):
                    return True
        return False
