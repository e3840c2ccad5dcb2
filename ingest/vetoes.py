"""The veto list 1946 – 15 September 2022 (CSV) → one `veto` card per vetoed draft, in English and Chinese.

"Who vetoed the 1997 draft on the occupied Arab territories?" is answered by no resolution: a
vetoed draft was never adopted, and the failed-draft XML only starts in 2023. The Dag
Hammarskjöld Library's veto list, scraped by Carlos L. Yordan (MIT licence; data from the United
Nations), fills 1946–2022. Every card states that coverage, so an answer never implies the list
is complete beyond it.

The file is recognised by its header (`draft`, `meeting_record`, `member_veto1`), not its name,
so walking the corpus folder finds it. Its quirks, surveyed over all 214 rows, are handled rather
than trusted:

* early vetoes have no draft symbol: the `draft` column repeats the meeting record (`S/PV.49`);
  the card says the list gives no symbol and uses the meeting record as the document id;
* one row can name several documents (`S/471 and S/471/Add.1`, `S/3995 (incorporating the
  amendment)S/3998`, `S/552, S/PV.202`, `S/9696 and Corr.1 & 2`): all symbols are kept, the
  first draft is the id, and the row's own wording is quoted;
* one meeting can hold several vetoes (three rows for `S/PV.49`), so each card's id carries its
  row number, and the card says how many vetoes the list records at that meeting;
* the vetoing members are in `member_veto1..3`; the per-member 0/1 columns disagree with them in
  26 rows (e.g. France missing from the 1976–1981 triple vetoes): the named members are used
  and the disagreement is kept in `vote.conflicts`;
* in 2020 votes were taken in writing: `meeting_record` then holds the letters recording the vote
  (`S/2020/661\nS/2020/657`), not a meeting;
* short names (`USSR`, `USA`, `UK`, `Russia`) become the display names of the records.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as Date

from ingest.cards import CARD_LANGS, ByLang, CardRecord, build_cards, fact, join_and, on_date, ordinal, text_fact, zh_names
from ingest.chunk import Chunk, DocKind, VoteRecord
from ingest.country_names import display_name, join_en
from ingest.symbols import unique

DOC_KIND: DocKind = "veto"
REQUIRED_COLUMNS = {"draft", "meeting_record", "member_veto1"}
COVERAGE_EN = "The Dag Hammarskjöld Library's veto list used here covers 1946 to 15 September 2022."
COVERAGE_ZH = "此处使用的达格·哈马舍尔德图书馆否决清单涵盖1946年至2022年9月15日。"
SOURCE_EN = "Source: veto list compiled by Carlos L. Yordan from the United Nations Dag Hammarskjöld Library (MIT licence)."
SOURCE_ZH = "来源：Carlos L. Yordan根据联合国达格·哈马舍尔德图书馆资料整理的否决清单(MIT许可)。"

# Old symbols have no year (S/471, S/3713/Rev.1), so the project-wide symbol finder, which only
# accepts S/YYYY/N, does not see them; the list is the one place they occur.
_SYMBOL = re.compile(r"S/(?:PV\.\d+|\d+(?:/\d+)?(?:/(?:Rev|Add|Corr)\.\d+)*)")
_DUMMIES = {"China": "CHINA", "France": "FRANCE", "Russia": "RUSSIA", "USSR": "USSR", "USA": "USA", "UK": "UK"}


def is_veto_table(header: Sequence[str] | str) -> bool:
    """True for the veto list's header row (the columns that make a row a veto)."""
    if isinstance(header, str):
        header = next(csv.reader(io.StringIO(header)), [])
    return REQUIRED_COLUMNS <= {h.strip().lower() for h in header}


@dataclass
class Veto:
    row: int  # 1-based data row: stable position of the card
    date: str | None
    draft_text: str
    drafts: list[str]
    meeting_records: list[str]
    agenda_item: str | None
    topic: str | None
    region: str | None
    members: list[str]  # display names
    conflicts: list[str] = field(default_factory=list)
    same_meeting: int = 1

    @property
    def doc_id(self) -> str:
        return (self.drafts or self.meeting_records or [f"veto-{self.row}"])[0]

    @property
    def meeting_number(self) -> int | None:
        for rec in self.meeting_records:
            m = re.fullmatch(r"S/PV\.(\d+)", rec)
            if m:
                return int(m.group(1))
        return None


def _iso(text: str) -> str | None:
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text or "")
    if not m:
        return None
    try:
        return Date(int(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
    except ValueError:
        return None


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def read_vetoes(text: str) -> list[Veto]:
    """Rows of the veto list as `Veto` records (ValueError when the header is not the list's)."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not is_veto_table(reader.fieldnames):
        raise ValueError("not the veto list (needs columns draft, meeting_record, member_veto1)")
    vetoes: list[Veto] = []
    for i, raw in enumerate(reader, start=1):
        row = {(k or "").strip().lower(): (v or "") for k, v in raw.items()}
        draft_text = _clean(row.get("draft"))
        found = _SYMBOL.findall(draft_text)
        records = unique(_SYMBOL.findall(row.get("meeting_record", "")))
        drafts = unique(s for s in found if not s.startswith("S/PV."))
        records = unique([*records, *(s for s in found if s.startswith("S/PV."))])
        names = [_clean(row.get(f"member_veto{k}")) for k in (1, 2, 3)]
        names = [n for n in names if n]
        conflicts: list[str] = []
        flagged = {col for col in _DUMMIES if _clean(row.get(col.lower())) == "1"}
        if flagged != set(names):
            conflicts.append(
                f"per-member columns mark {', '.join(sorted(flagged)) or 'no member'}; member_veto columns "
                f"name {', '.join(names)} (used)"
            )
        if _clean(row.get("single_veto")) == "1" and len(names) > 1:
            conflicts.append(f"marked as a single veto but {len(names)} members are named")
        vetoes.append(Veto(
            row=i,
            date=_iso(row.get("date", "")),
            draft_text=draft_text,
            drafts=drafts,
            meeting_records=records,
            agenda_item=_clean(row.get("agenda_item")) or None,
            topic=_clean(row.get("crisis_topic")) or None,
            region=_clean(row.get("region")) or None,
            members=[display_name(n) for n in names],
            conflicts=conflicts,
        ))
    per_meeting = Counter(v.meeting_records[0] for v in vetoes if v.meeting_records)
    for v in vetoes:
        if v.meeting_records:
            v.same_meeting = per_meeting[v.meeting_records[0]]
    return vetoes


def _what(v: Veto) -> ByLang[str]:
    """The vetoed document, named as the list names it."""
    if not v.drafts:
        return ByLang("A draft resolution (the list gives no document symbol, only the meeting record)",
                      "一项决议草案(清单未载文件编号，仅载会议记录)")
    draft = v.drafts[0]
    if len(v.drafts) == 1:
        return ByLang(f"Draft resolution {draft}", f"决议草案{draft}")
    return ByLang(f"Draft resolution {draft} (listed as “{v.draft_text}”)", f"决议草案{draft}(清单记为“{v.draft_text}”)")


def _where(v: Veto) -> ByLang[str]:
    """The meeting of the vote, or the letters recording a vote taken in writing (2020)."""
    if n := v.meeting_number:
        return ByLang(f" at the Security Council's {ordinal(n)} meeting (S/PV.{n})", f"在安全理事会第{n}次会议(S/PV.{n})上")
    if v.meeting_records:
        return ByLang(f" in the Security Council (vote recorded in {join_and(v.meeting_records)})",
                      f"在安全理事会(表决结果载于{'、'.join(v.meeting_records)})")
    return ByLang(" in the Security Council", "在安全理事会")


def _first_sentence(v: Veto, lang: str) -> str:
    what, where, when = _what(v).of(lang), _where(v).of(lang), on_date(v.date, lang)
    if lang == "zh":
        return f"{what}{when}{where}被{_vetoers_zh(v)}否决。"
    return f"{what} was vetoed by {join_en(v.members) or 'a permanent member (not named in the list)'}{where}{when}."


def _vetoers_zh(v: Veto) -> str:
    return zh_names(v.members) or "一个常任理事国(清单未载名称)"


_VETOED_BY = ByLang("Vetoed by", "否决国")
_AGENDA = ByLang("Agenda item", "议程项目")
_COVERAGE = ByLang(COVERAGE_EN, COVERAGE_ZH)
_SOURCE = ByLang(SOURCE_EN, SOURCE_ZH)


def card_sentences(v: Veto, lang: str) -> list[str]:
    """The veto card's facts in `lang` ('zh' or English), one sentence each, ending with the list's coverage and source.

    The Chinese card names the vetoing member even when the list does not ("a permanent member");
    the topic and region are English words of the list, so only the English card states them.
    """
    sentences = [_first_sentence(v, lang)]
    if lang == "zh":
        sentences.append(fact(lang, _VETOED_BY.of(lang), _vetoers_zh(v)))
    elif v.members:
        sentences.append(fact(lang, _VETOED_BY.of(lang), join_and(v.members)))
    if v.agenda_item:
        sentences.append(text_fact(lang, _AGENDA.of(lang), v.agenda_item.rstrip(".")))
    if v.topic and lang != "zh":
        sentences.append(f"Topic: {v.topic}" + (f" ({v.region})" if v.region else "") + ".")
    if v.same_meeting > 1 and v.meeting_records:
        sentences.append(f"清单记载该次会议共有{v.same_meeting}次否决。" if lang == "zh"
                         else f"The list records {v.same_meeting} vetoes at this meeting.")
    sentences.extend((_COVERAGE.of(lang), _SOURCE.of(lang)))
    return sentences


def veto_cards(v: Veto, path: str, line: int | None = None) -> list[Chunk]:
    """The English and the Chinese card of one veto (every row gets both: the list has no language versions)."""
    title = ByLang(
        f"Veto of {'draft resolution ' + v.drafts[0] if v.drafts else 'a draft resolution'} ({join_and(v.members)})",
        f"{'决议草案' + v.drafts[0] if v.drafts else '一项决议草案'}被否决({zh_names(v.members)})",
    )
    vote = VoteRecord(
        adoption_date=v.date,
        meeting=f"{ordinal(v.meeting_number)} meeting" if v.meeting_number else None,
        meeting_record=v.meeting_records[0] if v.meeting_records else None,
        draft=v.drafts[0] if v.drafts else None,
        agenda_item=v.agenda_item,
        title=title.en,
        outcome="vetoed",
        vetoed_by=list(v.members),
        subjects=[s for s in (v.topic, v.region) if s],
        conflicts=list(v.conflicts),
    )
    record = CardRecord(
        doc_id=v.doc_id,
        doc_kind=DOC_KIND,
        symbols=unique([*v.drafts, *v.meeting_records]),
        section=ByLang(f"{v.doc_id} — veto", f"{v.doc_id} — 否决"),
        title=title,
        date=v.date,
        vote=ByLang.same(vote),
        path=path,
        lines=(line, line) if line else None,
        label=ByLang("veto", "否决"),
        position=f"veto{v.row}",
    )
    return build_cards(record, CARD_LANGS, lambda lang: card_sentences(v, lang))


def parse_vetoes(text: str, path: str) -> list[Chunk]:
    """Every row of the veto list as an English and a Chinese card."""
    lines = _row_lines(text)
    chunks: list[Chunk] = []
    for v in read_vetoes(text):
        chunks.extend(veto_cards(v, path, lines.get(v.row)))
    return chunks


def _row_lines(text: str) -> dict[int, int]:
    """1-based file line on which each data row starts (rows can span lines inside quotes)."""
    reader = csv.reader(io.StringIO(text))
    starts: dict[int, int] = {}
    prev_end = 1
    for i, _ in enumerate(reader):
        if i > 0:
            starts[i] = prev_end + 1
        prev_end = reader.line_num
    return starts
