"""Presidential statements (S/PRST/…): the facts of their opening sentence → document cards.

"When was S/PRST/2021/5 made, and at which meeting?" is answered by no paragraph the Council
adopted but by the statement's opening sentence, which the UN writes in a few set forms
(surveyed over all 771 files of 2000–2026):

* "At the 4119th meeting of the Security Council, held on 23 March 2000, in connection with the
  Council's consideration of the item entitled "…", the President … made the following statement";
* "On 10 March 2021, in connection with … the item entitled "…", in accordance with the procedure
  agreed in light of … the COVID-19 pandemic and set out in S/2020/372, the President … issued …"
  (no meeting: the written procedure of 2020–2021);
* "After/Following consultations of the Security Council held on 4 August 2000, …";
* the French form "À la 4174e séance du Conseil de sécurité, tenue le 20 juillet 2000, au sujet
  de la question intitulée « … »".

The card states the facts one per sentence so that the answer can quote it; what the sentence
does not give is left out rather than guessed (the metadata's agenda keyword fills the item
when the sentence names none).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET
from dataclasses import dataclass, field
from datetime import date as Date
from typing import TYPE_CHECKING

from ingest.text import date_en as _date_en, date_zh as _date_zh
from ingest.cards import ByLang, CardRecord, build_cards, card_langs, fact, foreign_label, on_date, ordinal, text_fact
from ingest.chunk import Chunk, DocKind, VoteRecord
from ingest.symbols import unique

if TYPE_CHECKING:  # pragma: no cover
    from ingest.akn import AknDocument

DOC_KIND: DocKind = "presidential_statement"

_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december"]
_MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
              "octobre", "novembre", "décembre"]
_DATE_EN = r"(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"
_MEETING_EN = re.compile(r"\b[Aa]t (?:the|its) (\d{2,5})(?:st|nd|rd|th)\s*(\((?:resumed|[Rr]esumption[^)]*)\)\s*)?meeting")
_HELD_ON = re.compile(r"\bheld on " + _DATE_EN)
_ON_DATE = re.compile(r"^\W*On " + _DATE_EN)
# Curly quotes close unambiguously; straight quotes need what follows to tell the end.
_ENTITLED = re.compile(
    r"\b(?:item|topic|question)s? entitled\s*(?:“(.+?)”|[\"'‘](.+?)[\"'’]\s*(?=,|\.|;|\s+(?:the President|and|at|in)\b|$))")
_WRITTEN = re.compile(r"in accordance with the procedure agreed", re.IGNORECASE)
_WRITTEN_REF = re.compile(r"set out in\s+(S/\d{4}/\d+)")
_CONSULTATIONS = re.compile(r"\b(?:After|Following) consultations\b")
_MEETING_FR = re.compile(r"\bÀ la (\d{2,5})e séance")
_HELD_FR = re.compile(r"\btenue le (\d{1,2})(?:er)?\s+([a-zéû]+)\s+(\d{4})")
_ENTITLED_FR = re.compile(r"intitulée\s*«\s*(.+?)\s*»")


@dataclass
class StatementFacts:
    symbol: str
    lang: str
    date: str | None = None
    meeting_number: int | None = None
    resumed: bool = False
    procedure: str | None = None  # meeting | written | consultations
    written_ref: str | None = None
    agenda_item: str | None = None
    title: str | None = None
    subjects: list[str] = field(default_factory=list)
    editorial: list[str] = field(default_factory=list)
    recovered: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def meeting(self) -> str | None:
        if self.meeting_number is None:
            return None
        return f"{ordinal(self.meeting_number)}{' (resumed)' if self.resumed else ''} meeting"

    @property
    def meeting_record(self) -> str | None:
        """S/PV.<meeting>: the verbatim record of the meeting (a resumed meeting's part is not known)."""
        return f"S/PV.{self.meeting_number}" if self.meeting_number is not None and not self.resumed else None


def _iso(day: str, month: str, year: str, months: list[str]) -> str | None:
    """ISO date of a day, a month name of `months` and a year; None when it is no date."""
    if month.lower() not in months:
        return None
    try:
        return Date(int(year), months.index(month.lower()) + 1, int(day)).isoformat()
    except ValueError:
        return None


def _iso_en(text: str) -> str | None:
    day, month, year = text.split()
    return _iso(day, month, year, _MONTHS_EN)


def _iso_fr(day: str, month: str, year: str) -> str | None:
    return _iso(day, month, year, _MONTHS_FR)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _keywords(doc: StdET.Element) -> tuple[str | None, list[str]]:
    """Agenda item (the `S/` dictionary keyword) and UNBIS subjects from the classification."""
    agenda = None
    subjects: list[str] = []
    for node in doc.iter():
        if _local(node.tag) != "keyword":
            continue
        show = re.sub(r"\s+", " ", node.get("showAs") or "").strip()
        if node.get("refersTo") == "agenda" and node.get("dictionary") == "S/" and show and agenda is None:
            agenda = show.rstrip(".")
        elif node.get("dictionary") == "UNBIS Thesaurus" and show:
            subjects.append(show)
    return agenda, unique(subjects)[:12]


def parse_opening(text: str) -> dict:
    """Date, meeting, procedure and agenda item stated by a statement's opening sentence."""
    out: dict = {}
    if m := _MEETING_EN.search(text):
        out["meeting_number"] = int(m.group(1))
        out["resumed"] = bool(m.group(2))
        out["procedure"] = "meeting"
    elif m := _MEETING_FR.search(text):
        out["meeting_number"] = int(m.group(1))
        out["procedure"] = "meeting"
    if m := _HELD_ON.search(text) or _ON_DATE.search(text):
        out["date"] = _iso_en(m.group(1))
    elif m := _HELD_FR.search(text):
        out["date"] = _iso_fr(*m.groups())
    if _WRITTEN.search(text) and "procedure" not in out:
        out["procedure"] = "written"
        if m := _WRITTEN_REF.search(text):
            out["written_ref"] = m.group(1)
    elif _CONSULTATIONS.search(text) and "procedure" not in out:
        out["procedure"] = "consultations"
    if m := _ENTITLED.search(text) or _ENTITLED_FR.search(text):
        item = next(g for g in m.groups() if g)
        out["agenda_item"] = re.sub(r"\s+", " ", item).strip().rstrip(".")
    return out


def statement_facts(doc: StdET.Element, parsed: AknDocument, paras_text: list[str]) -> StatementFacts:
    """Facts of one statement: its opening sentence first, the file's metadata for what it lacks."""
    agenda, subjects = _keywords(doc)
    facts = StatementFacts(
        symbol=parsed.symbol, lang=parsed.lang, date=parsed.date, title=parsed.title, subjects=subjects,
        editorial=list(parsed.editorial), recovered=parsed.recovered, notes=list(parsed.notes),
    )
    for text in paras_text:
        found = parse_opening(text)
        if "procedure" in found or "agenda_item" in found:
            for key, value in found.items():
                setattr(facts, key, value)
            break
    if facts.date is None:  # the opening sentence dates the meeting; else the file's own date
        facts.date = parsed.date
    if not facts.agenda_item and agenda:
        facts.agenda_item = agenda
    return facts




_LANG_NAMES = {"fr": ("French", "法文"), "es": ("Spanish", "西班牙文"), "ru": ("Russian", "俄文"), "ar": ("Arabic", "阿拉伯文")}


def _first_sentence_en(f: StatementFacts) -> str:
    name = f"Presidential statement {f.symbol}"
    when = on_date(f.date, "en")
    item = f", in connection with the item “{f.agenda_item}”" if f.agenda_item else ""
    if f.procedure == "meeting" and f.meeting:
        return f"{name} was made by the President of the Security Council on behalf of the Council at its {f.meeting}{when}{item}."
    if f.procedure == "written":
        ref = f" ({f.written_ref})" if f.written_ref else ""
        return (f"{name} was issued by the President of the Security Council on behalf of the Council{when}{item}, "
                f"without a meeting, under the procedure agreed in light of the COVID-19 pandemic{ref}.")
    if f.procedure == "consultations":
        return f"{name} was made by the President of the Security Council on behalf of the Council after consultations{when}{item}."
    return f"{name} is a statement by the President of the Security Council on behalf of the Council" + (
        f", dated {_date_en(f.date)}" if f.date else "") + f"{item}."


def _first_sentence_zh(f: StatementFacts) -> str:
    name = f"主席声明{f.symbol}"
    when = on_date(f.date, "zh")
    item = f"，涉及题为“{f.agenda_item}”{foreign_label(f.agenda_item)}的项目" if f.agenda_item else ""
    if f.procedure == "meeting" and f.meeting_number is not None:
        meeting = f"第{f.meeting_number}次会议" + ("(续会)" if f.resumed else "")
        return f"{name}{when}在安全理事会{meeting}上由安理会主席代表安理会发表{item}。"
    if f.procedure == "written":
        ref = f"({f.written_ref})" if f.written_ref else ""
        return f"{name}{when}由安全理事会主席根据因2019冠状病毒病大流行而商定的程序{ref}代表安理会发表(未举行会议){item}。"
    if f.procedure == "consultations":
        return f"{name}{when}在安理会磋商后由安理会主席代表安理会发表{item}。"
    return f"{name}是安全理事会主席代表安理会发表的声明" + (f"，日期为{_date_zh(f.date)}" if f.date else "") + f"{item}。"


_MEETING_RECORD = ByLang("Meeting record", "会议记录")
_AGENDA = ByLang("Agenda item", "议程项目")
_RECOVERED = ByLang("Its XML file was malformed; the text was recovered automatically.", "其XML文件格式有误，文本系自动恢复。")


def card_sentences(f: StatementFacts, lang: str) -> list[str]:
    """The statement card's facts in `lang` ('zh' or English), one sentence each.

    The subjects (UNBIS terms) and the editorial notes are English text, so only the English card
    states them.
    """
    sentences = [_first_sentence_zh(f) if lang == "zh" else _first_sentence_en(f)]
    if f.meeting_record:
        sentences.append(fact(lang, _MEETING_RECORD.of(lang), f.meeting_record))
    if f.agenda_item:
        sentences.append(text_fact(lang, _AGENDA.of(lang), f.agenda_item))
    if f.subjects and lang != "zh":
        sentences.append(f"Subjects: {', '.join(s.title() if s.isupper() else s for s in f.subjects)}.")
    if f.lang in _LANG_NAMES:
        en, zh = _LANG_NAMES[f.lang]
        sentences.append(f"此处所存文本为{zh}本。" if lang == "zh" else f"The text held here is the {en} version.")
    if f.editorial and lang != "zh":
        note = f"Note on the document: {' '.join(f.editorial)}"
        sentences.append(note if note.endswith((".", "”")) else note + ".")
    if f.recovered:
        sentences.append(_RECOVERED.of(lang))
    return sentences


def statement_cards(f: StatementFacts, langs: list[str], path: str) -> list[Chunk]:
    """One card per language (English and Chinese only; others get the English card)."""
    vote = VoteRecord(
        adoption_date=f.date, meeting=f.meeting, meeting_record=f.meeting_record,
        agenda_item=f.agenda_item, title=f.title, subjects=f.subjects, conflicts=f.notes,
    )
    record = CardRecord(
        doc_id=f.symbol,
        doc_kind=DOC_KIND,
        symbols=unique(s for s in (f.symbol, f.meeting_record, f.written_ref) if s),
        section=ByLang.same(f.symbol),
        title=ByLang.same(f.title),
        date=f.date,
        vote=ByLang.same(vote),
        path=path,
    )
    return build_cards(record, card_langs(langs), lambda lang: card_sentences(f, lang))
