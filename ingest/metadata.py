"""UN `data_extract/YYYY.json` rows → `ResolutionMeta` → "document card" chunks.

Questions like "When was resolution 2518 (2020) adopted?" or "第2504(2020)号决议谁投了弃权票？"
are answered by no paragraph of the resolution itself: the facts live in the UN's metadata rows.
A document card turns one row into a short text with one fact per sentence, in English and in
Chinese, so the same sentence-extraction that quotes paragraphs can quote the vote.

The rows are hand-made and messy (non-breaking spaces in dates, `S/PV9261`, `CÔTE.` +
`D'IVOIRE` split in two, counts as "014" or ""), so normalisation happens here, once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from ingest.cards import ByLang, CardRecord, build_cards, card_langs, fact, on_date, text_fact, zh_names
from ingest.chunk import Chunk, VoteRecord
from ingest.country_names import display_name, name_key
from ingest.symbols import canonical, symbols_in, unique


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_DMY = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s*,?\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TALLY = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{1,2})")
_MEETING = re.compile(r"(\d+)\s*(?:st|nd|rd|th)\b\s*(.*?)\s*meeting", re.I)
_UNANIMOUS = re.compile(r"(?<!non-)(?<!non)(?<!non )\bunanim", re.I)
_NON_UNANIMOUS = re.compile(r"non[- ]?unanim", re.I)
_ABSENT = re.compile(r"(\d{1,2})\s+absent", re.I)
COUNCIL_SIZE = 15


class ResolutionMeta(BaseModel):
    """One resolution's procedural metadata, normalised."""

    symbol: str = Field(description="Canonical symbol, e.g. 'S/RES/2504(2020)'.")
    copies: int = Field(default=1, description="Rows of its file that listed this symbol (merged into this one), for the report.")
    resolution_number: int | None = None
    adoption_date: str | None = Field(default=None, description="ISO yyyy-mm-dd.")
    meeting: str | None = Field(default=None, description="'8700th meeting' or 'Voting by mail'.")
    meeting_record: str | None = Field(default=None, description="S/PV.8700, or the letter recording a vote by mail.")
    adoption_type: str | None = None
    draft_resolution: str | None = None
    agenda_item: str | None = None
    title: str | None = Field(default=None, description="DHL title: 'Security Council resolution 2504 (2020) [on ...]'.")
    document_title: str | None = None
    outcome: str | None = None
    chapter_vii: bool = False
    in_favour_count: int | None = None
    against_count: int | None = None
    abstaining_count: int | None = None
    in_favour: list[str] = Field(default_factory=list, description="Names as in the row, upper case, repaired.")
    against: list[str] = Field(default_factory=list)
    abstaining: list[str] = Field(default_factory=list)
    sponsors: list[str] = Field(default_factory=list, description="sponsors + additional_sponsors.")
    subjects: list[str] = Field(default_factory=list, description="UNBIS thesaurus and DHL authority subjects.")
    conflicts: list[str] = Field(default_factory=list, description="Cross-check disagreements, English sentences.")
    conflicts_zh: list[str] = Field(default_factory=list, description="The same disagreements in Chinese.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ResolutionMeta:
        """Build from one raw data_extract row; raises ValueError when it names no symbol."""
        raw_symbol = _s(row.get("symbol")) or _s(row.get("sc_symbol"))
        if not raw_symbol:
            raise ValueError("row has no symbol")
        symbol = canonical(raw_symbol)
        number = re.search(r"S/RES/(\d+)", symbol)
        in_favour, against, abstaining = (clean_names(row.get(k)) for k in ("MS_in_favour", "MS_against", "MS_abstaining"))
        adoption_type = _s(row.get("adoption_type"))
        raw_counts = _triple(_raw_count(row.get(k)) for k in ("MS_in_favour_count", "MS_against_count", "MS_abstaining_count"))
        check = cross_check(adoption_type, raw_counts, (in_favour, against, abstaining))
        counts = list(check.counts)
        in_favour, against, abstaining = check.lists
        return cls(
            symbol=symbol,
            resolution_number=int(number.group(1)) if number else None,
            adoption_date=parse_date(_s(row.get("adoption_date"))),
            meeting=_s(row.get("adoption_meeting")),
            meeting_record=_record_symbol(_s(row.get("outcome_letter")) or _s(row.get("pv"))),
            adoption_type=adoption_type,
            draft_resolution=_symbol_or_none(_s(row.get("draft_resolution"))),
            agenda_item=_s(row.get("agenda_item_name")) or _s(row.get("agenda_item")),
            title=_s(row.get("resolution_title")) or _s(row.get("title")),
            document_title=_s(row.get("document_title")),
            outcome=_s(row.get("outcome")),
            chapter_vii=_s(row.get("chapter_VII")) == "Chapter VII",
            in_favour_count=counts[0],
            against_count=counts[1],
            abstaining_count=counts[2],
            in_favour=in_favour,
            against=against,
            abstaining=abstaining,
            sponsors=[n for n in clean_names([*(row.get("sponsors") or []), *(row.get("additional_sponsors") or [])])
                      if "SECRETARY-GENERAL" not in n.upper()],
            subjects=subjects_of(row.get("subjects")),
            conflicts=[c.en for c in check.conflicts],
            conflicts_zh=[c.zh for c in check.conflicts],
        )

    @property
    def by_mail(self) -> bool:
        """Adopted by written procedure (2020–2021 COVID period): no meeting, a letter records it."""
        text = f"{self.meeting or ''} {self.adoption_type or ''} {self.outcome or ''}".lower()
        return "voting by mail" in text

    @property
    def without_vote(self) -> bool:
        text = (self.adoption_type or "").lower()
        return "without vote" in text or "acclamation" in text

    @property
    def unanimous(self) -> bool:
        """Every member voting voted in favour ("Adopted unanimously", typos included; not "non-unanimously")."""
        if _UNANIMOUS.search(self.adoption_type or ""):
            return True
        if _NON_UNANIMOUS.search(self.adoption_type or ""):
            return False
        return (self.in_favour_count or 0) > 0 and self.against_count == 0 and self.abstaining_count == 0 \
            and self.in_favour_count == 15

    @property
    def tally(self) -> str | None:
        return self.vote_record().tally

    def vote_record(self) -> VoteRecord:
        """The vote in the shared `VoteRecord` shape, with display (title-case) State names."""
        in_favour_count = self.in_favour_count
        if in_favour_count is None and self.unanimous and not self.without_vote:
            in_favour_count = len(self.in_favour) or None
        return VoteRecord(
            adoption_date=self.adoption_date,
            meeting=self.meeting,
            meeting_record=self.meeting_record,
            adoption_type=self.adoption_type,
            in_favour=[display_name(n) for n in self.in_favour],
            against=[display_name(n) for n in self.against],
            abstaining=[display_name(n) for n in self.abstaining],
            in_favour_count=in_favour_count,
            against_count=self.against_count,
            abstaining_count=self.abstaining_count,
            sponsors=[display_name(n) for n in self.sponsors],
            draft=self.draft_resolution,
            agenda_item=self.agenda_item,
            title=self.title,
            subjects=list(self.subjects),
            chapter_vii=self.chapter_vii,
            outcome=self.outcome or None,
            conflicts=list(self.conflicts),
        )


# --------------------------------------------------------------------------- row normalisation


def _s(value: Any) -> str | None:
    """Stripped string (NBSP and tabs included) or None for empty/missing values."""
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def parse_date(text: str | None) -> str | None:
    """'30 March 2020' / '27\xa0June\xa02024' / '2021-07-09 00:00:00' / '19 November 2004 in Nairobi' → ISO."""
    if not text:
        return None
    m = _ISO.search(text)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    m = _DMY.search(text)
    if m and m.group(2).lower() in _MONTHS:
        return date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
    try:
        return datetime.strptime(text, "%B %d, %Y").date().isoformat()
    except ValueError:
        return None


def _count(value: Any, names: list[str]) -> int | None:
    text = _s(value)
    if text and text.isdigit():
        return int(text)
    return len(names) if names else None


def _raw_count(value: Any) -> int | None:
    """A count field as written: '014' → 14; blank or not a number → None (unknown, not zero)."""
    text = _s(value)
    return int(text) if text and text.isdigit() else None


_SUBJECT_SOURCES = ("UNBIS Thesaurus", "DHLAUTH")


def subjects_of(value: Any) -> list[str]:
    """UNBIS thesaurus terms and DHL authority names of a row (`[["YEMEN", "UNBIS Thesaurus"], ...]`).

    The other entries are catalogue codes ("[58]", "X") or the title again, which are not subjects.
    """
    out: list[str] = []
    for item in value or []:
        if isinstance(item, (list, tuple)) and item:
            term, source = _s(item[0]), (_s(item[1]) if len(item) > 1 else None)
            if term and source in _SUBJECT_SOURCES:
                out.append(term)
        elif isinstance(item, str) and (term := _s(item)):
            out.append(term)
    return unique(out)


# --------------------------------------------------------------------------- vote cross-check

Triple = tuple[int | None, int | None, int | None]
_SOURCE_EN = {"tally": "its adoption type", "lists": "its member lists", "counts": "its vote counts"}
_SOURCE_ZH = {"tally": "通过方式", "lists": "成员名单", "counts": "票数字段"}
_CATEGORY_EN = ("in favour", "against", "abstaining")
_CATEGORY_ZH = ("赞成", "反对", "弃权")


@dataclass
class Conflict:
    """One disagreement inside a row, in both card languages."""

    en: str
    zh: str


@dataclass
class VoteCheck:
    """The vote a row supports once its three versions are compared.

    `counts` holds only numbers no version of the row contradicts (None = not stated); `lists`
    holds a category's names only when their number matches that count (otherwise the names
    are withheld: an extraction that lost or misplaced a name cannot say who voted how).
    """

    counts: Triple
    lists: tuple[list[str], list[str], list[str]]
    conflicts: list[Conflict] = field(default_factory=list)
    consistent: bool = True


def tally_of(adoption_type: str | None) -> Triple | None:
    """The vote `adoption_type` states: 'Adopted 12-0-3' → (12, 0, 3); 'unanimously' → (None, 0, 0)."""
    text = adoption_type or ""
    m = _TALLY.search(text)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    if _UNANIMOUS.search(text):
        return None, 0, 0
    return None


def _agree(a: Triple, b: Triple) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


def _triple(values: Iterable[int | None]) -> Triple:
    a, b, c = values
    return a, b, c


def _fill(a: Triple, b: Triple) -> Triple:
    return _triple(x if x is not None else y for x, y in zip(a, b, strict=True))


def _fmt(t: Triple) -> str:
    return "-".join("?" if x is None else str(x) for x in t)


def _total(t: Triple) -> int:
    return sum(x or 0 for x in t)


Lists = tuple[list[str], list[str], list[str]]
Version = tuple[str, Triple]  # ("tally" | "lists" | "counts", the vote it gives)


def cross_check(adoption_type: str | None, counts: Triple, lists: Lists) -> VoteCheck:
    """Compare the row's tally (`adoption_type`), its three counts and its three member lists.

    Why: the rows are hand-made; an in-favour count of 15 sits beside 12 names and "Adopted
    12-0-3", or the tally says 13-0-2 where the lists name 12 and 2 and one member did not take
    part. The value at least two versions agree on wins; a single version wins only against the
    counts (the tally and the lists are authoritative over the count fields); a tally that states
    absences ("14-0-0, 1 absent") is taken as written. A version adding up to more than 15 is
    impossible and never used. When nothing is consistent no tally is kept at all, so a card can
    never state a number the row contradicts. Every disagreement becomes a sentence for the card.
    """
    tally = tally_of(adoption_type)
    versions = _versions(tally, counts, lists)
    valid, conflicts = _possible(versions)
    winner = _winner(valid, tally, adoption_type)
    if winner is None:
        if len(valid) > 1 or conflicts:
            conflicts.append(_no_tally(versions))
            return VoteCheck((None, None, None), ([], [], []), conflicts, consistent=False)
        return VoteCheck((None, None, None), lists, conflicts)
    value = _settle(winner, valid, conflicts)
    return VoteCheck(value, _withhold(value, lists, conflicts), conflicts)


def _versions(tally: Triple | None, counts: Triple, lists: Lists) -> list[Version]:
    """The versions of the vote the row states, in priority order: tally, lists, counts."""
    versions: list[Version] = []
    if tally is not None:
        versions.append(("tally", tally))
    if any(lists):
        versions.append(("lists", _triple(len(x) for x in lists)))
    if any(c is not None for c in counts):
        versions.append(("counts", counts))
    return versions


def _possible(versions: list[Version]) -> tuple[list[Version], list[Conflict]]:
    """The versions that fit a Council of 15; each that does not is reported and never used."""
    valid: list[Version] = []
    conflicts: list[Conflict] = []
    for name, t in versions:
        if _total(t) > COUNCIL_SIZE:
            conflicts.append(Conflict(
                f"The record's vote data disagree: {_SOURCE_EN[name]} give {_fmt(t)}, {_total(t)} votes for a Council "
                f"of {COUNCIL_SIZE}, so they are not used.",
                f"记录中的表决数据不一致：{_SOURCE_ZH[name]}为{_fmt(t)}，共{_total(t)}票，超过安理会{COUNCIL_SIZE}个成员，因此不予采用。"))
        else:
            valid.append((name, t))
    return valid, conflicts


def _winner(valid: list[Version], tally: Triple | None, adoption_type: str | None) -> Version | None:
    """The version the vote is taken from (see `cross_check`), or None when none can be trusted."""
    if tally is not None and _ABSENT.search(adoption_type or "") and ("tally", tally) in valid:
        return "tally", tally  # absences stated in words: taken as written
    winner: Version | None = None
    best_support = 0
    for name, t in valid:  # priority order: tally, lists, counts
        support = sum(1 for _, u in valid if _agree(t, u))
        if support > best_support:
            winner, best_support = (name, t), support
    if winner is not None and best_support == 1:
        # alone: it wins only if what contradicts it is the count fields
        others = [n for n, u in valid if n != winner[0] and not _agree(winner[1], u)]
        if any(n != "counts" for n in others):
            return None
    return winner


def _no_tally(versions: list[Version]) -> Conflict:
    described_en = ", ".join(f"{_SOURCE_EN[n]} give{'s' if n == 'tally' else ''} {_fmt(t)}" for n, t in versions)
    described_zh = "，".join(f"{_SOURCE_ZH[n]}为{_fmt(t)}" for n, t in versions)
    return Conflict(
        f"The record's vote data disagree ({described_en}), so no tally is stated.",
        f"记录中的表决数据互相矛盾（{described_zh}），因此不列出表决结果。")


def _settle(winner: Version, valid: list[Version], conflicts: list[Conflict]) -> Triple:
    """The winning vote completed by the versions agreeing with it; each version contradicting it is reported.

    A vote whose known numbers already make 15 has its unknown categories at zero.
    """
    name, value = winner
    for _other, t in valid:
        if _agree(value, t):
            value = _fill(value, t)
    for other, t in valid:
        if other != name and not _agree(value, t):
            verb = "gives" if other == "tally" else "give"
            conflicts.append(Conflict(
                f"The record's vote data disagree: {_SOURCE_EN[other]} {verb} {_fmt(t)}, but {_SOURCE_EN[name]} "
                f"{'gives' if name == 'tally' else 'give'} {_fmt(value)}; {_fmt(value)} is used.",
                f"记录中的表决数据不一致：{_SOURCE_ZH[other]}为{_fmt(t)}，而{_SOURCE_ZH[name]}为{_fmt(value)}；此处采用{_fmt(value)}。"))
    first = value[0]
    if first is not None and None in value[1:] and first + sum(x or 0 for x in value[1:]) == COUNCIL_SIZE:
        value = _triple(0 if x is None else x for x in value)
    return value


def _withhold(value: Triple, lists: Lists, conflicts: list[Conflict]) -> Lists:
    """The member lists whose length matches the vote; the others are emptied and the withholding reported."""
    kept: list[list[str]] = []
    withheld: list[int] = []
    for i, names in enumerate(lists):
        if any(lists) and value[i] is not None and len(names) != value[i]:
            withheld.append(i)
            kept.append([])
        else:
            kept.append(names)
    if withheld:
        cats_en = " and ".join(_CATEGORY_EN[i] for i in withheld)
        cats_zh = "、".join(_CATEGORY_ZH[i] for i in withheld)
        conflicts.append(Conflict(
            f"The member lists do not match the vote ({_fmt(value)}), so the names of the members {cats_en} are not shown.",
            f"成员名单与表决结果({_fmt(value)})不符，因此不列出投{cats_zh}票的成员。"))
    return kept[0], kept[1], kept[2]


def _symbol_or_none(text: str | None) -> str | None:
    if not text:
        return None
    found = symbols_in(text)
    return found[0] if found else canonical(text)


def _record_symbol(text: str | None) -> str | None:
    """Meeting record or letter symbol; repairs 'S/PV9261' → 'S/PV.9261'."""
    if not text:
        return None
    text = re.sub(r"^S/PV(?=\d)", "S/PV.", text.strip())
    return _symbol_or_none(text)


def clean_names(names: Any) -> list[str]:
    """Strip, drop blanks and rejoin names the extraction split ('CÔTE.' + "D'IVOIRE")."""
    out: list[str] = []
    for raw in names or []:
        name = _s(raw)
        if not name:
            continue
        if out and name_key(name) in ("D'IVOIRE", "DIVOIRE") and name_key(out[-1]).startswith("COTE"):
            out[-1] = "CÔTE D'IVOIRE"
            continue
        if name.endswith(".") and name_key(name) == "COTE.":
            name = "CÔTE"
        out.append(name)
    return unique(out)


# --------------------------------------------------------------------------- reading


def read_metadata(data: bytes, path: str) -> list[tuple[int, ResolutionMeta]]:
    """Rows of one data_extract file as (line number, meta); JSON lines or a JSON array.

    A malformed line raises ValueError naming `path` and the line, so a broken file is fixed
    rather than silently half-ingested.
    """
    text = data.decode("utf-8-sig")
    rows: list[tuple[int, Any]] = []
    if text.lstrip().startswith("["):
        rows = _array_rows(text, path)
    else:
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rows.append((line_no, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{line_no}: malformed JSON line ({exc.msg})") from exc
    out: list[tuple[int, ResolutionMeta]] = []
    for line_no, row in rows:
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{line_no}: expected a JSON object, got {type(row).__name__}")
    copies = Counter(canonical(s) for _, r in rows if (s := _s(r.get("symbol")) or _s(r.get("sc_symbol"))))
    for line_no, row in merge_duplicate_rows(rows):
        try:
            meta = ResolutionMeta.from_row(row)
            meta.copies = copies.get(meta.symbol, 1)
            out.append((line_no, meta))
        except ValueError as exc:
            raise ValueError(f"{path}:{line_no}: {exc}") from exc
    return out


def merge_duplicate_rows(rows: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
    """One row per symbol: a row listed twice (2026.json lists 2820–2822 twice, once half empty)
    becomes its most complete copy with blanks filled from the other, at the first copy's line.

    Merging the raw rows (before the vote cross-check) means the check sees all the data once,
    and no later copy can silently replace a complete one.
    """
    order: list[str] = []
    groups: dict[str, list[tuple[int, dict]]] = {}
    for line_no, row in rows:
        raw = _s(row.get("symbol")) or _s(row.get("sc_symbol"))
        key = canonical(raw) if raw else f"#{line_no}"
        if key not in groups:
            order.append(key)
            groups[key] = []
        groups[key].append((line_no, row))
    merged: list[tuple[int, dict]] = []
    for key in order:
        copies = groups[key]
        if len(copies) == 1:
            merged.append(copies[0])
            continue
        best = max((r for _, r in copies), key=lambda r: sum(1 for v in r.values() if _filled_value(v)))
        row = dict(best)
        for _, other in copies:
            for k, v in other.items():
                if not _filled_value(row.get(k)) and _filled_value(v):
                    row[k] = v
        merged.append((copies[0][0], row))
    return merged


def _filled_value(v: Any) -> bool:
    return v not in (None, "", [], {}) and not (isinstance(v, str) and not v.strip())


def _array_rows(text: str, path: str) -> list[tuple[int, Any]]:
    """Elements of a JSON array with the line each starts on (for Source.lines)."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    rows: list[tuple[int, Any]] = []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise ValueError(f"{path}: unterminated JSON array")
        if text[pos] == "]":
            return rows
        line_no = text.count("\n", 0, pos) + 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{line_no}: malformed JSON ({exc.msg})") from exc
        rows.append((line_no, value))


def index_by_symbol(rows: list[tuple[int, ResolutionMeta]] | list[ResolutionMeta]) -> dict[str, ResolutionMeta]:
    """Rows keyed by canonical symbol; of duplicated rows the most complete one wins."""
    index: dict[str, ResolutionMeta] = {}
    for item in rows:
        meta = item[1] if isinstance(item, tuple) else item
        old = index.get(meta.symbol)
        if old is None or _filled(meta) > _filled(old):
            index[meta.symbol] = meta
    return index


def _filled(meta: ResolutionMeta) -> int:
    return sum(1 for v in meta.model_dump().values() if v not in (None, "", [], False))


# --------------------------------------------------------------------------- cards


def _res_name_en(meta: ResolutionMeta) -> str:
    m = re.fullmatch(r"S/RES/(\d+)\((\d{4})\)", meta.symbol)
    return f"Resolution {m.group(1)} ({m.group(2)})" if m else meta.symbol


def _res_name_zh(meta: ResolutionMeta) -> str:
    m = re.fullmatch(r"S/RES/(\d+)\((\d{4})\)", meta.symbol)
    return f"第{m.group(1)}({m.group(2)})号决议" if m else meta.symbol




def _meeting_zh(meeting: str) -> str:
    """'8700th meeting' → '第8700次会议'; '4129th (Resumption 1) meeting' → '第4129次会议(续1)'."""
    m = _MEETING.search(meeting)
    if not m:
        return meeting
    extra = m.group(2).strip("() ").lower()
    if extra.startswith("resum"):
        part = re.sub(r"\D", "", extra)
        return f"第{m.group(1)}次会议(续{part})"
    if extra == "closed":
        return f"第{m.group(1)}次(闭门)会议"
    return f"第{m.group(1)}次会议"


def _first_sentence_en(meta: ResolutionMeta) -> str:
    """'Resolution 2518 (2020) was adopted unanimously by the Security Council on … at its 8700th meeting (S/PV.8700).'"""
    how = " unanimously" if meta.unanimous else (" without a vote" if meta.without_vote else "")
    first = f"{_res_name_en(meta)} was adopted{how} by the Security Council"
    first += on_date(meta.adoption_date, "en")
    if meta.by_mail:
        first += " by voting by mail (written procedure)"
        if meta.meeting_record:
            first += f"; the vote is recorded in letter {meta.meeting_record}"
    elif meta.meeting:
        first += f" at its {meta.meeting}"
        if meta.meeting_record:
            first += f" ({meta.meeting_record})"
    return first + "."


def _first_sentence_zh(meta: ResolutionMeta) -> str:
    """'第2518(2020)号决议于2020年3月30日在安全理事会第8700次会议上一致通过(S/PV.8700)。'"""
    name = _res_name_zh(meta)
    when = on_date(meta.adoption_date, "zh")
    how = "一致" if meta.unanimous else ("未经表决" if meta.without_vote else "")
    if meta.by_mail:
        first = f"{name}{when}经安全理事会以书面程序(通信表决){how}通过"
        if meta.meeting_record:
            first += f"(表决结果载于信函{meta.meeting_record})"
    elif meta.meeting:
        first = f"{name}{when}在安全理事会{_meeting_zh(meta.meeting)}上{how}通过"
        if meta.meeting_record:
            first += f"({meta.meeting_record})"
    else:
        first = f"{name}{when}经安全理事会{how}通过"
    return first + "。"


def _vote_sentence(vote: VoteRecord, lang: str) -> str:
    if lang == "zh":
        return (f"表决结果：{vote.in_favour_count}票赞成、{vote.against_count}票反对、"
                f"{vote.abstaining_count}票弃权({vote.tally})。")
    return (f"Vote: {vote.tally} ({vote.in_favour_count} in favour, {vote.against_count} against, "
            f"{vote.abstaining_count} abstaining).")


def _names(names: list[str], lang: str) -> str:
    """Row names (upper case) as the card's language writes a list of States."""
    if lang == "zh":
        return zh_names(names) or "无"
    return ", ".join(display_name(n) for n in names) or "none"


_VOTE_LABELS = (ByLang("In favour", "投赞成票的国家"), ByLang("Against", "投反对票的国家"), ByLang("Abstaining", "弃权的国家"))
_DRAFT = ByLang("Draft resolution", "决议草案")
_SPONSORS = ByLang("Sponsors", "提案国")
_AGENDA = ByLang("Agenda item", "议程项目")
_CHAPTER_VII = ByLang("Adopted under Chapter VII of the Charter.", "根据《宪章》第七章通过。")
_TITLE = ByLang("Title", "标题")
_SUBJECTS = ByLang("Subjects", "主题")
_SUBJECT_SEP = ByLang("; ", "；")


def _member_lists(meta: ResolutionMeta, vote: VoteRecord, lang: str) -> list[str]:
    """Who voted how, a category left out when its count says members voted that way but the names were withheld."""
    if not (meta.in_favour or meta.against or meta.abstaining):
        return []
    counts = (vote.in_favour_count, vote.against_count, vote.abstaining_count)
    categories = zip(_VOTE_LABELS, (meta.in_favour, meta.against, meta.abstaining), counts, strict=True)
    return [fact(lang, label.of(lang), _names(names, lang))
            for label, names, count in categories if names or count == 0 or count is None]


def card_sentences(meta: ResolutionMeta, lang: str) -> list[str]:
    """The resolution card's facts in `lang` ('zh' or English), one sentence each."""
    vote = meta.vote_record()
    sentences = [_first_sentence_zh(meta) if lang == "zh" else _first_sentence_en(meta)]
    if _complete(vote) and not meta.without_vote:
        sentences.append(_vote_sentence(vote, lang))
    sentences.extend(_member_lists(meta, vote, lang))
    if meta.draft_resolution:
        sentences.append(fact(lang, _DRAFT.of(lang), meta.draft_resolution))
    if meta.sponsors:
        sentences.append(fact(lang, _SPONSORS.of(lang), _names(meta.sponsors, lang)))
    if meta.agenda_item:
        sentences.append(text_fact(lang, _AGENDA.of(lang), meta.agenda_item.rstrip(".")))
    if meta.chapter_vii:
        sentences.append(_CHAPTER_VII.of(lang))
    if meta.title:
        sentences.append(text_fact(lang, _TITLE.of(lang), meta.title))
    if meta.subjects:
        sentences.append(fact(lang, _SUBJECTS.of(lang), _SUBJECT_SEP.of(lang).join(meta.subjects)))
    sentences.extend(meta.conflicts_zh if lang == "zh" else meta.conflicts)
    return sentences


def _complete(vote: VoteRecord) -> bool:
    """All three counts are known (a partial tally is never printed with guessed zeros)."""
    return None not in (vote.in_favour_count, vote.against_count, vote.abstaining_count)


def document_cards(meta: ResolutionMeta, langs: list[str], path: str, line: int) -> list[Chunk]:
    """One document card per language of `langs` (English when none of them has a card text).

    Only English and Chinese card texts exist; other languages get the English card rather than
    an English text under a wrong language tag. Each language version of a resolution carries
    the card in its own language, so the en and zh files never produce the same card twice.
    """
    vote = meta.vote_record()
    record = CardRecord(
        doc_id=meta.symbol,
        doc_kind=None,  # inferred from the symbol: S/RES/… is a resolution
        symbols=unique(s for s in (meta.symbol, meta.draft_resolution, meta.meeting_record) if s),
        section=ByLang.same(meta.symbol),
        title=ByLang.same(meta.title),
        date=meta.adoption_date,
        vote=ByLang(vote, vote.model_copy(update={"conflicts": list(meta.conflicts_zh)})),
        path=path,
        lines=(line, line),
    )
    return build_cards(record, card_langs(langs, fallback=("en",)), lambda lang: card_sentences(meta, lang))
