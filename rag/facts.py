"""The facts table: one typed record per Council document, built from the store's document cards.

Why a table and not retrieval: "how many resolutions in 2021", "which did Russia abstain on",
"who vetoed S/2024/835" are answered by counting and filtering records, never by the sentences a
retriever happens to rank. Sentence scoring over five passages can only guess a count.

Where it lives: in memory, rebuilt from the store's `document_card` chunks whenever the store's
generation changes (`FactsTable.from_chunks`, called at retriever refresh). The cards already
carry the whole typed `VoteRecord` (the store keeps each chunk's JSON), so the table needs no
second database that could drift from the index, and a store built by an older version is read
the same way: every record is cross-checked again here (`ingest.metadata.cross_check`), so even
an old card never yields a number its own row contradicts.

Coverage: the table knows only what the store holds, and says so (`coverage`), so an answer can
state "in the records I hold, 2020–2026" and a missing document is reported as missing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ingest.chunk import Chunk, VoteRecord
from ingest.country_names import chinese_name, display_name, name_key
from ingest.metadata import cross_check
from ingest.symbols import undocs_link

# Former and current names of one State: a vote cast as TURKEY and one cast as TÜRKİYE are the
# same member's (name keys, see ingest.country_names.name_key).
FORMER_NAMES = {
    "TURKEY": "TURKIYE",
    "CZECH REPUBLIC": "CZECHIA",
    "SWAZILAND": "ESWATINI",
    "THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA": "NORTH MACEDONIA",
    "LIBYAN ARAB JAMAHIRIYA": "LIBYA",
    "NETHERLANDS (KINGDOM OF THE)": "NETHERLANDS",
}

_RES_NUMBER = re.compile(r"S/RES/(\d+)\((\d{4})\)")


def state_key(name: str) -> str:
    """One key per State across spellings and former names."""
    key = name_key(name)
    return FORMER_NAMES.get(key, key)


@dataclass
class DocRecord:
    """One document as the facts table holds it (symbol shared by its language versions)."""

    symbol: str
    doc_kind: str
    date: str | None = None
    meeting: str | None = None
    meeting_record: str | None = None
    agenda_item: str | None = None
    title: str | None = None
    subjects: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    adoption_type: str | None = None
    in_favour_count: int | None = None
    against_count: int | None = None
    abstaining_count: int | None = None
    in_favour: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    abstaining: list[str] = field(default_factory=list)
    sponsors: list[str] = field(default_factory=list)
    draft: str | None = None
    vetoed_by: list[str] = field(default_factory=list)
    chapter_vii: bool = False
    outcome: str | None = None
    conflicts: list[str] = field(default_factory=list)
    conflicts_zh: list[str] = field(default_factory=list)
    cards: dict[str, Chunk] = field(default_factory=dict, repr=False)  # language → the card chunk (what answers cite)

    @property
    def card_ids(self) -> dict[str, str]:
        return {lang: c.id for lang, c in self.cards.items()}

    def card(self, lang: str) -> Chunk | None:
        """The card in `lang`, else any card."""
        return self.cards.get(lang) or next(iter(self.cards.values()), None)

    # ------------------------------------------------------------------ derived facts

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def number(self) -> int | None:
        m = _RES_NUMBER.fullmatch(self.symbol)
        return int(m.group(1)) if m else None

    @property
    def tally(self) -> str | None:
        """'12-0-3' only when all three counts are known and uncontradicted."""
        if None in (self.in_favour_count, self.against_count, self.abstaining_count):
            return None
        return f"{self.in_favour_count}-{self.against_count}-{self.abstaining_count}"

    @property
    def without_vote(self) -> bool:
        t = (self.adoption_type or "").lower()
        return "without vote" in t or "acclamation" in t

    @property
    def unanimous(self) -> bool | None:
        """True/False when the record says; None when it cannot be told."""
        t = (self.adoption_type or "").lower()
        if re.search(r"non[- ]?unanim", t):
            return False
        if "unanim" in t:
            return True
        if self.against_count is not None and self.abstaining_count is not None:
            return self.against_count == 0 and self.abstaining_count == 0
        return None

    @property
    def by_mail(self) -> bool:
        return "voting by mail" in f"{self.meeting or ''} {self.adoption_type or ''} {self.outcome or ''}".lower()

    def names_known(self, how: str) -> bool:
        """Whether the names of the members who voted `how` are known: listed, and as many as the count."""
        names, count = self.members(how), self.count(how)
        if count is None:
            return bool(names)
        return len(names) == count

    def members(self, how: str) -> list[str]:
        return {"in_favour": self.in_favour, "against": self.against, "abstaining": self.abstaining}[how]

    def count(self, how: str) -> int | None:
        return {"in_favour": self.in_favour_count, "against": self.against_count, "abstaining": self.abstaining_count}[how]

    def voted(self, state: str, how: str) -> bool:
        key = state_key(state)
        return any(state_key(n) == key for n in self.members(how))

    def link(self, lang: str) -> str:
        return undocs_link(self.symbol, lang)

    def haystack(self) -> str:
        """What a topic is matched against: agenda item, title and subjects."""
        return " | ".join([self.agenda_item or "", self.title or "", *self.subjects]).lower()


def names_in(names: Iterable[str], lang: str) -> list[str]:
    """State names in the answer's language (UN Chinese short names for Chinese)."""
    return [chinese_name(n) if lang == "zh" else display_name(n) for n in names]


@dataclass
class Coverage:
    """What the table holds of one kind of record: how many, first and last date and symbol."""

    doc_kind: str
    count: int
    first_date: str | None
    last_date: str | None
    first_symbol: str | None
    last_symbol: str | None

    @property
    def years(self) -> tuple[int, int] | None:
        if not self.first_date or not self.last_date:
            return None
        return int(self.first_date[:4]), int(self.last_date[:4])


class FactsTable:
    """Document records keyed by symbol, with the counting and listing queries answers need."""

    def __init__(self, records: Iterable[DocRecord] = (), missions: Iterable[tuple[str, ...]] = ()):
        self.records: dict[str, DocRecord] = {r.symbol: r for r in records}
        self.missions: list[tuple[str, ...]] = list(missions)
        self._vocabulary: list[list[str]] | None = None
        self._place_heads: dict[str, str] = {}  # short place name → the head it was named without

    def __len__(self) -> int:
        return len(self.records)

    def get(self, symbol: str) -> DocRecord | None:
        return self.records.get(symbol)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_chunks(cls, chunks: Iterable[Chunk]) -> "FactsTable":
        """Records from the cards among `chunks`; languages from all the document's chunks."""
        chunks = list(chunks)
        langs: dict[str, set[str]] = defaultdict(set)
        cards: dict[str, list[Chunk]] = defaultdict(list)
        for c in chunks:
            langs[c.doc_id].add(c.lang)
            if c.kind == "document_card" and c.vote is not None:
                cards[c.doc_id].append(c)
        records = []
        for symbol, versions in cards.items():
            versions.sort(key=lambda c: c.lang != "en")  # the English card first (names as the rows spell them)
            records.append(_record(symbol, versions, sorted(langs[symbol])))
        return cls(records, mission_names(chunks))

    # ------------------------------------------------------------------ queries

    def select(self, doc_kind: str | None = "resolution", date_from: date | None = None, date_to: date | None = None) -> list[DocRecord]:
        """Records of a kind in a period (inclusive), in date then symbol order."""
        out = []
        for r in self.records.values():
            if doc_kind and r.doc_kind != doc_kind:
                continue
            if date_from or date_to:
                if not r.date:  # undated: outside any period
                    continue
                if date_from and r.date < date_from.isoformat():
                    continue
                if date_to and r.date > date_to.isoformat():
                    continue
            out.append(r)
        return sorted(out, key=_order)

    def not_unanimous(self, records: list[DocRecord]) -> list[DocRecord]:
        return [r for r in records if r.unanimous is False]

    def by_vote(self, records: list[DocRecord], state: str, how: str) -> list[DocRecord]:
        """Records on which `state` voted `how` ('in_favour', 'against', 'abstaining')."""
        return [r for r in records if r.voted(state, how)]

    def about(self, records: list[DocRecord], terms: list[list[str]]) -> list[DocRecord]:
        """Records whose agenda item, title or subjects match every group of alternative terms."""
        out = []
        for r in records:
            hay = r.haystack()
            if all(any(_term_in(t, hay) for t in group) for group in terms):
                out.append(r)
        return out

    def chapter_vii(self, records: list[DocRecord]) -> list[DocRecord]:
        return [r for r in records if r.chapter_vii]

    def per_year(self, records: list[DocRecord]) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for r in records:
            if r.year:
                out[r.year] += 1
        return dict(sorted(out.items()))

    def vetoes_by(self, state: str | None = None, date_from: date | None = None, date_to: date | None = None) -> list[DocRecord]:
        """Drafts defeated by a permanent member's negative vote (optionally by one member)."""
        out = []
        for r in self.records.values():
            if not r.vetoed_by:
                continue
            if state and not any(state_key(v) == state_key(state) for v in r.vetoed_by):
                continue
            if date_from and (not r.date or r.date < date_from.isoformat()):
                continue
            if date_to and (not r.date or r.date > date_to.isoformat()):
                continue
            out.append(r)
        return sorted(out, key=_order)

    def vetoes_per_member(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for r in self.records.values():
            for v in r.vetoed_by:
                out[state_key(v)] += 1
        return dict(out)

    def coverage(self, doc_kind: str = "resolution") -> Coverage:
        recs = self.select(doc_kind)
        dated = [r for r in recs if r.date]
        numbered = sorted((r for r in recs if r.number is not None), key=lambda r: r.number or 0)  # never None here
        return Coverage(
            doc_kind=doc_kind,
            count=len(recs),
            first_date=dated[0].date if dated else None,
            last_date=dated[-1].date if dated else None,
            first_symbol=(numbered[0].symbol if numbered else (recs[0].symbol if recs else None)),
            last_symbol=(numbered[-1].symbol if numbered else (recs[-1].symbol if recs else None)),
        )

    def topic_vocabulary(self) -> list[list[str]]:
        """Groups of alternative names of the topics a question can restrict a count or list to.

        Derived from the records themselves, never from a hand list: each mission acronym with its
        English name (from the texts' "United Nations Mission in South Sudan (UNMISS)") and its
        Chinese short name (from the Chinese twin paragraph's "（南苏丹特派团）"), and every
        agenda item and subject that picks out less than a fifth of the records (a subject on
        every resolution says nothing about any).
        """
        if self._vocabulary is not None:
            return self._vocabulary
        groups: list[list[str]] = [list(g) for g in self.missions]
        n = len(self.records) or 1
        freq: dict[str, int] = defaultdict(int)
        for r in self.records.values():
            for t in {(r.agenda_item or "").strip().rstrip("."), *r.subjects}:
                if t:
                    freq[t] += 1
        for t, k in freq.items():
            if k <= max(1, n // 5) and len(t) >= 4:
                groups.append([t])
                # "GAZA STRIP" is also named "Gaza" ("the resolution on Gaza", "关于加沙的决议"): a place
                # is named without its generic head; as a one-word name it also gets its Chinese
                head = _PLACE_HEAD.search(t)
                short = t[: head.start()].strip() if head else t
                if head and len(short) >= 4:
                    groups.append([short])
                    self._place_heads[short] = head.group(1).lower()
        self._vocabulary = groups
        return groups

    def place_head(self, name: str) -> str | None:
        """The generic head a place name in the topic vocabulary was named without ("GAZA" → "strip",
        from the subject "GAZA STRIP"), or None for a name as the records give it."""
        self.topic_vocabulary()
        return self._place_heads.get(name)

    def kinds(self) -> list[str]:
        return sorted({r.doc_kind for r in self.records.values()})

    def vocabulary(self) -> list[str]:
        """Agenda items and subjects the records use: the topics a question can name."""
        seen: dict[str, None] = {}
        for r in self.records.values():
            for t in (r.agenda_item, *r.subjects):
                if t:
                    seen.setdefault(t.strip().rstrip("."), None)
        return list(seen)


_PLACE_HEAD = re.compile(r"\s+(STRIP|REGION|PROVINCE|PENINSULA|HEIGHTS|VALLEY|BASIN)$", re.I)
_EN_DEFINED = re.compile(r"((?:United Nations|African Union|European Union|UN)\b[A-Za-z ,'\-]{5,120}?)\s*\(([A-Z][A-Z\-]{3,11})\)")
_ZH_DEFINED = re.compile(r"[（(]([\u4e00-\u9fff]{2,10}(?:团|部队|办事处|行动|中心|支助办|特派团))[）)]")


def mission_names(chunks: list[Chunk]) -> list[tuple[str, ...]]:
    """(acronym, English name, Chinese short name) of the missions and offices the texts define.

    The English text defines "United Nations Mission in South Sudan (UNMISS)"; the same paragraph
    of the Chinese version defines "（南苏丹特派团）". A pairing is kept when twin paragraphs each
    define exactly one name and the pairing is the acronym's clear majority (seen twice, or the only one seen).
    """
    by_key: dict[tuple, dict[str, Chunk]] = defaultdict(dict)
    for c in chunks:
        if c.kind in ("resolution_paragraph", "paragraph") and c.lang in ("en", "zh"):
            by_key[(c.doc_id, c.id.rsplit("|", 1)[-1])][c.lang] = c
    english: dict[str, str] = {}
    pairs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for twins in by_key.values():
        en = twins.get("en")
        if en is None:
            continue
        defs = {a: _clean_name(name) for name, a in _EN_DEFINED.findall(en.text)}
        for a, name in defs.items():
            english.setdefault(a, name)
        zh = twins.get("zh")
        if zh is None or len(defs) != 1:
            continue
        zdefs = set(_ZH_DEFINED.findall(zh.text))
        if len(zdefs) == 1:
            pairs[next(iter(defs))][next(iter(zdefs))] += 1
    # the Chinese name's own most frequent acronym must be this one too (a paragraph whose English
    # defines "UNCT" while its Chinese defines "南苏丹特派团" must not pair the two)
    by_zh: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a, cands in pairs.items():
        for z, k in cands.items():
            by_zh[z][a] += k
    out: list[tuple[str, ...]] = []
    for a, name in english.items():
        group = [a, name]
        zh_names = pairs.get(a)
        if zh_names:
            best, k = max(zh_names.items(), key=lambda kv: kv[1])
            back, kb = max(by_zh[best].items(), key=lambda kv: kv[1])
            if k * 2 > sum(zh_names.values()) and (k >= 2 or len(zh_names) == 1) and back == a and kb * 2 > sum(by_zh[best].values()):
                group.append(best)
        out.append(tuple(group))
    return out


def _clean_name(name: str) -> str:
    """'United Nations, together with its assistance mission, the United Nations Assistance Mission in
    Afghanistan' → 'United Nations Assistance Mission in Afghanistan': the name is what follows the last comma."""
    name = name.strip()
    if "," in name:
        name = name.rsplit(",", 1)[1].strip()
    return re.sub(r"^(?:the|and|of)\s+", "", name)


def _order(r: DocRecord) -> tuple:
    return (r.date or "9999", r.number or 0, r.symbol)


_UN = re.compile(r"\bunited nations\b")


def _term_in(term: str, hay: str) -> bool:
    """Whether a topic's name is in a record's haystack. The records' subjects shorten "United
    Nations" to "UN" ("UN Disengagement Observer Force") where the texts spell it out."""
    t = _UN.sub("un", term.lower().strip())
    if not t:
        return False
    hay = _UN.sub("un", hay)
    if re.fullmatch(r"[a-z0-9 .'\-()]+", t):
        return re.search(r"(?<![a-z])" + re.escape(t) + r"(?![a-z])", hay) is not None
    return t in hay


def _record(symbol: str, cards: list[Chunk], langs: list[str]) -> DocRecord:
    """One record from a document's cards, cross-checked again (old cards were not)."""
    vote: VoteRecord = cards[0].vote  # type: ignore[assignment]
    counts = (vote.in_favour_count, vote.against_count, vote.abstaining_count)
    check = cross_check(vote.adoption_type, counts, (list(vote.in_favour), list(vote.against), list(vote.abstaining)))
    conflicts = list(dict.fromkeys([*vote.conflicts, *(c.en for c in check.conflicts)]))
    zh_vote = next((c.vote for c in cards if c.lang == "zh" and c.vote is not None), None)
    conflicts_zh = list(dict.fromkeys([*(zh_vote.conflicts if zh_vote is not None else []), *(c.zh for c in check.conflicts)]))
    if conflicts and not conflicts_zh:
        conflicts_zh = conflicts  # a card written before Chinese conflict sentences existed
    in_favour, against, abstaining = check.lists
    f, a, b = check.counts
    return DocRecord(
        symbol=symbol,
        doc_kind=cards[0].doc_kind,
        date=vote.adoption_date or cards[0].date,
        meeting=vote.meeting,
        meeting_record=vote.meeting_record,
        agenda_item=vote.agenda_item,
        title=vote.title or cards[0].title,
        subjects=list(vote.subjects),
        languages=langs,
        adoption_type=vote.adoption_type,
        in_favour_count=f, against_count=a, abstaining_count=b,
        in_favour=in_favour, against=against, abstaining=abstaining,
        sponsors=list(vote.sponsors),
        draft=vote.draft,
        vetoed_by=list(vote.vetoed_by),
        chapter_vii=bool(vote.chapter_vii),
        outcome=vote.outcome,
        conflicts=conflicts,
        conflicts_zh=conflicts_zh,
        cards={c.lang: c for c in cards},
    )
