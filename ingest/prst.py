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
from ingest.chunk import Chunk, Source, VoteRecord, chunk_id
from ingest.symbols import undocs_link, unique

if TYPE_CHECKING:  # pragma: no cover
    from ingest.akn import AknDocument

KIND = "document_card"
DOC_KIND = "presidential_statement"

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


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _iso_en(text: str) -> str | None:
    day, month, year = text.split()
    if month.lower() not in _MONTHS_EN:
        return None
    try:
        return Date(int(year), _MONTHS_EN.index(month.lower()) + 1, int(day)).isoformat()
    except ValueError:
        return None


def _iso_fr(day: str, month: str, year: str) -> str | None:
    if month.lower() not in _MONTHS_FR:
        return None
    try:
        return Date(int(year), _MONTHS_FR.index(month.lower()) + 1, int(day)).isoformat()
    except ValueError:
        return None


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


def card_text_en(f: StatementFacts) -> str:
    name = f"Presidential statement {f.symbol}"
    when = f" on {_date_en(f.date)}" if f.date else ""
    item = f", in connection with the item “{f.agenda_item}”" if f.agenda_item else ""
    if f.procedure == "meeting" and f.meeting:
        first = f"{name} was made by the President of the Security Council on behalf of the Council at its {f.meeting}{when}{item}."
    elif f.procedure == "written":
        ref = f" ({f.written_ref})" if f.written_ref else ""
        first = (f"{name} was issued by the President of the Security Council on behalf of the Council{when}{item}, "
                 f"without a meeting, under the procedure agreed in light of the COVID-19 pandemic{ref}.")
    elif f.procedure == "consultations":
        first = f"{name} was made by the President of the Security Council on behalf of the Council after consultations{when}{item}."
    else:
        first = f"{name} is a statement by the President of the Security Council on behalf of the Council" + (
            f", dated {_date_en(f.date)}" if f.date else "") + f"{item}."
    sentences = [first]
    if f.meeting_record:
        sentences.append(f"Meeting record: {f.meeting_record}.")
    if f.agenda_item:
        sentences.append(f"Agenda item: {f.agenda_item}.")
    if f.subjects:
        sentences.append(f"Subjects: {', '.join(s.title() if s.isupper() else s for s in f.subjects)}.")
    if f.lang in _LANG_NAMES:
        sentences.append(f"The text held here is the {_LANG_NAMES[f.lang][0]} version.")
    if f.editorial:
        sentences.append(f"Note on the document: {' '.join(f.editorial)}")
    if f.recovered:
        sentences.append("Its XML file was malformed; the text was recovered automatically.")
    return " ".join(s if s.endswith((".", "”")) else s + "." for s in sentences)


def card_text_zh(f: StatementFacts) -> str:
    name = f"主席声明{f.symbol}"
    when = f"于{_date_zh(f.date)}" if f.date else ""
    item = f"，涉及题为“{f.agenda_item}”的项目" if f.agenda_item else ""
    if f.procedure == "meeting" and f.meeting_number is not None:
        meeting = f"第{f.meeting_number}次会议" + ("(续会)" if f.resumed else "")
        first = f"{name}{when}在安全理事会{meeting}上由安理会主席代表安理会发表{item}。"
    elif f.procedure == "written":
        ref = f"({f.written_ref})" if f.written_ref else ""
        first = f"{name}{when}由安全理事会主席根据因2019冠状病毒病大流行而商定的程序{ref}代表安理会发表(未举行会议){item}。"
    elif f.procedure == "consultations":
        first = f"{name}{when}在安理会磋商后由安理会主席代表安理会发表{item}。"
    else:
        first = f"{name}是安全理事会主席代表安理会发表的声明" + (f"，日期为{_date_zh(f.date)}" if f.date else "") + f"{item}。"
    sentences = [first]
    if f.meeting_record:
        sentences.append(f"会议记录：{f.meeting_record}。")
    if f.agenda_item:
        sentences.append(f"议程项目：{f.agenda_item}。")
    if f.lang in _LANG_NAMES:
        sentences.append(f"此处所存文本为{_LANG_NAMES[f.lang][1]}本。")
    if f.recovered:
        sentences.append("其XML文件格式有误，文本系自动恢复。")
    return "".join(sentences)


def statement_cards(f: StatementFacts, langs: list[str], path: str) -> list[Chunk]:
    """One card per language (English and Chinese only; others get the English card)."""
    wanted = [lang for lang in unique(langs) if lang in ("en", "zh")]
    symbols = unique(s for s in (f.symbol, f.meeting_record, f.written_ref) if s)
    vote = VoteRecord(
        adoption_date=f.date, meeting=f.meeting, meeting_record=f.meeting_record,
        agenda_item=f.agenda_item, title=f.title, subjects=f.subjects, conflicts=f.notes,
    )
    return [
        Chunk(
            id=chunk_id(f.symbol, lang, KIND, "card"),
            doc_id=f.symbol,
            kind=KIND,
            doc_kind=DOC_KIND,
            lang=lang,
            section=f.symbol,
            text=card_text_zh(f) if lang == "zh" else card_text_en(f),
            symbols=symbols,
            links=[undocs_link(s, lang) for s in symbols],
            source=Source(path=path),
            title=f.title,
            date=f.date,
            label="文件信息" if lang == "zh" else "document card",
            vote=vote,
        )
        for lang in wanted
    ]
