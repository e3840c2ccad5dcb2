"""Is an answer about what the question names? Each State, mission or subject, document, year or
period the question names must be supported by the quoted passage or by its document's record.

Why: lexical scores reward passages that share the question's common words ("sanctions", "the
Council decided", "2021"), so a question about Myanmar could be answered with a paragraph about
police components, cited and confident. What the question *names* is checked as such instead:
- a State: its English or Chinese name (the country table, `ingest.country_names`) in the passage,
  its official twin, or its document's record (agenda item, title, subjects, document card), or
  in at least `MIN_DOCUMENT_MENTIONS` passages of its document;
- a mission or subject (`Question.topics`, alternative spellings from the records' vocabulary): the same;
- a document: the passage is that document's, or cites it;
- a year or period: the passage's (or its document's) date falls in it, or the passage names the year.
Both languages count, so a question answered by a record in the other language is not declined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from ingest.chunk import Chunk
from ingest.country_names import all_states, name_key
from rag.question import NOT_ADOPTED, Question, asks_citing
from rag.question import state_forms as common_names

_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class Named:
    kind: str  # state | topic | document | period | record_kind
    label_en: str
    label_zh: str
    forms: tuple[str, ...] = ()
    period: tuple[date | None, date | None] = (None, None)
    # longer words holding a Chinese form that are other words ("青年党", al-Shabaab, holds "青年",
    # youth: rag.lexicon's shadows); an occurrence inside one does not support the thing
    shadows: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


@lru_cache(maxsize=1)
def _state_names() -> dict[str, tuple[str, str]]:
    return {name_key(en): (en, zh) for en, zh in all_states()}


def _short(en: str) -> str:
    """"Iran (Islamic Republic of)" → "Iran"; "Venezuela, Bolivarian Republic of" → "Venezuela"."""
    return re.split(r"\s*[(,]", en)[0].strip()


def named_things(q: Question, longer_words: Callable[[str], tuple[str, ...]] | None = None) -> list[Named]:
    """What the question names, as things an answer must be about; `longer_words` (the lexicon's
    shadows) gives, for a Chinese form, the longer words holding it that are other words."""
    things = _named_things(q)
    if longer_words is None:
        return things
    out = []
    for t in things:
        shadows = tuple(w for f in t.forms if not f.isascii() for w in longer_words(f))
        out.append(replace(t, shadows=shadows) if shadows else t)
    return out


def _named_things(q: Question) -> list[Named]:
    out: list[Named] = []
    names = _state_names()
    for key in q.states:
        en, zh = names.get(key, (key.title(), key.title()))
        state_forms = {en.lower(), _short(en).lower(), zh, key.lower(), *(f.lower() for f in common_names(key))}
        out.append(Named("state", en, zh, tuple(f for f in state_forms if f and len(f) >= 2)))
    for group in q.topics:
        forms = tuple(f.lower() for f in group if f and len(f) >= 2)
        if not forms:
            continue
        zh_form = next((f for f in group if not f.isascii()), group[0])
        en_form = next((f for f in group if f.isascii()), group[0])
        out.append(Named("topic", en_form, zh_form, forms))
    symbols = list(q.symbols) + [f"S/RES/{n}(" for n in q.resolution_numbers
                                 if not any(s.startswith(f"S/RES/{n}(") for s in q.symbols)]
    for s in symbols:
        label = s.rstrip("(")
        out.append(Named("document", label, label, (s,)))
    if q.doc_kind == "presidential_statement" and not symbols and not asks_citing(q.text):
        # "What did the presidential statement on Sudan in 2023 say?" is answered by a statement, not
        # by a resolution's preamble recalling "all its … presidential statements … concerning Sudan"
        out.append(Named("record_kind", "a presidential statement", "主席声明", ("presidential_statement",)))
    if q.date_from or q.date_to:
        lo, hi = q.date_from, q.date_to
        if lo and hi and lo.year == hi.year:
            en, zh = f"in {lo.year}", f"{lo.year}年"
        else:
            en = f"between {lo.year if lo else '…'} and {hi.year if hi else '…'}"
            zh = f"{lo.year if lo else '…'}年至{hi.year if hi else '…'}年"
        out.append(Named("period", en, zh, period=(lo, hi)))
    elif q.years:
        ys = sorted(set(q.years))
        out.append(Named("period", "in " + " or ".join(map(str, ys)), "或".join(f"{y}年" for y in ys),
                         period=(date(ys[0], 1, 1), date(ys[-1], 12, 31))))
    return out


def without_longer_words(hay: str, shadows: Sequence[str]) -> str:
    """`hay` with the longer words that are other words blanked ("青年党" when looking for "青年")."""
    for w in shadows:
        hay = hay.replace(w, " ")
    return hay


def _has(form: str, hay: str) -> bool:
    if form.isascii():
        return re.search(r"(?<![a-z0-9])" + re.escape(form) + r"(?![a-z])", hay) is not None
    return form in hay


def dated_elsewhere(things: list[Named], chunk: Chunk, record_date: str | None = None) -> bool:
    """Whether the passage's own record is dated outside the period the question names (it may
    still be about that period by citing a resolution of it: a later passage recalling it)."""
    when = chunk.date or record_date
    return bool(when) and any(t.kind == "period" and not _in_period(when, t.period) for t in things)


def _in_period(iso: str | None, period: tuple[date | None, date | None]) -> bool:
    if not iso or not re.match(r"\d{4}-\d{2}-\d{2}", iso):
        return False
    d = date.fromisoformat(iso[:10])
    lo, hi = period
    return (lo is None or d >= lo) and (hi is None or d <= hi)


# Passages of its document that must name a State or subject for the document to be about it when
# neither the passage nor the record does: a draft on "The situation in the Middle East" that names
# Syria in its preamble and its decisions is about Syria; a thematic text naming it once is not.
MIN_DOCUMENT_MENTIONS = 2


def supported(thing: Named, chunk: Chunk, context: str, record_date: str | None = None,
              document: Sequence[str] = ()) -> bool:
    """Whether `chunk` (with `context`: its twins' text and its document's record; `document`: the
    texts of its document's passages) supports `thing`."""
    if thing.kind == "document":
        sym = thing.forms[0]
        own = [chunk.doc_id, *chunk.symbols, *(f.symbol or "" for f in chunk.footnotes)]
        if sym.endswith("("):
            return any(s.startswith(sym) for s in own)
        return sym in own
    if thing.kind == "record_kind":
        # a record of that kind, or an account of the Council's practice saying what one said
        return chunk.doc_kind in thing.forms or (chunk.doc_kind == "repertoire" and _KIND_WORDS.search(chunk.evidence_text()) is not None)
    if thing.kind == "period":
        # The time a question names is when the Council acted ("In May 2022, until when did it
        # extend …"): a dated record must be dated in it. Only an undated passage (a Repertoire
        # paragraph) is placed by the years it names or its document's year.
        if _in_period(chunk.date, thing.period) or _in_period(record_date, thing.period):
            return True
        lo, hi = thing.period
        # a passage about a resolution of that time ("… extended by resolution 2727 (2024) until …")
        # (another resolution: the passage's own record is placed by its date, to the month)
        cited = {int(y) for y in re.findall(r"S/RES/\d+\s*\((\d{4})\)", " ".join(s for s in chunk.symbols if s != chunk.doc_id))}
        if any((lo is None or y >= lo.year) and (hi is None or y <= hi.year) for y in cited):
            return True
        if chunk.date or record_date:
            return False
        years = {int(y) for y in _YEAR.findall(chunk.evidence_text() + " " + chunk.doc_id)}
        return any((lo is None or y >= lo.year) and (hi is None or y <= hi.year) for y in years)
    hay = without_longer_words((chunk.evidence_text() + "\n" + (chunk.title or "") + "\n" + context).lower(), thing.shadows)
    if any(_has(f, hay) for f in thing.forms):
        return True
    mentions = 0
    for text in document:
        low = without_longer_words(text.lower(), thing.shadows)
        mentions += any(_has(f, low) for f in thing.forms)
        if mentions >= MIN_DOCUMENT_MENTIONS:
            return True
    return False


def context_of(chunk: Chunk, twins: list[Chunk], record) -> str:
    """What besides the passage vouches for it: its official twins and its document's record."""
    parts = [t.text for t in twins]
    if record is not None:
        parts.append(record.haystack())
        if getattr(record, "doc_kind", None) in NOT_ADOPTED:
            # a draft the Council did not adopt is known by who put it forward and who vetoed it
            # ("俄罗斯提出的草案"); an adopted resolution by what it is about, not by its sponsors
            parts.extend(n for attr in ("sponsors", "vetoed_by") for n in (getattr(record, attr, None) or []))
        for card in getattr(record, "cards", {}).values():
            parts.append(card.text)
    return "\n".join(parts)


def missing(things: list[Named], chunk: Chunk, context: str, record_date: str | None = None,
            document: Sequence[str] = ()) -> list[Named]:
    return [t for t in things if not supported(t, chunk, context, record_date, document)]


_KIND_WORDS = re.compile(r"presidential statement|statement by the president|主席声明", re.I)


def decline_text(missing_things: list[Named], lang: str, named: Sequence[Named] = ()) -> str:
    """"None of the records found is about Iran in 2020." / "找到的记录中没有关于2020年伊朗的内容。"

    When only the period is missing, the subjects the question names still frame it ("about Libya
    in 2024", not "about 2024")."""
    kinds = [t for t in missing_things if t.kind == "record_kind"]
    subjects = [t for t in missing_things if t.kind not in ("period", "record_kind")]
    periods = [t for t in missing_things if t.kind == "period"]
    if not subjects and (periods or kinds):
        subjects = [t for t in named if t.kind in ("state", "topic", "document")]
    if kinds:  # the period the question names frames the kind missing, as the subjects do
        periods = periods or [t for t in named if t.kind == "period"]
    zh = lang == "zh"
    what = ("、" if zh else " and ").join(t.label(lang) for t in subjects)
    when = ("、" if zh else " ").join(t.label(lang) for t in periods)
    # Said of the records found for the question (the retrieved ones), not of the whole store.
    if kinds:
        # "None of the records found is a presidential statement about Sudan in 2023."
        kind = kinds[0].label(lang)
        if zh:
            return f"找到的记录中没有{when}" + (f"关于{what}的" if what else "") + f"{kind}。"
        return f"None of the records found is {kind}" + (f" about {what}" if what else "") + (f" {when}" if when else "") + "."
    if zh:
        return f"找到的记录中没有关于{when}{what}的内容。" if what else f"找到的记录中没有{when}的相关内容。"
    if what:
        return f"None of the records found is about {what}" + (f" {when}" if when else "") + "."
    return f"None of the records found answers this {when}." if when else "None of the records found answers this."

__all__ = ["MIN_DOCUMENT_MENTIONS", "Named", "context_of", "dated_elsewhere", "decline_text", "missing", "named_things",
           "supported", "without_longer_words"]
