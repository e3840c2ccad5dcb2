"""Document cards: one factory for the card `Chunk` of every record kind.

A document card states a record's facts one per sentence (when, where, how the vote went, who
vetoed), in English and in Chinese, so the sentence extraction that quotes paragraphs can quote
the facts. Four builders make them (resolutions from their metadata rows, presidential
statements, drafts not adopted, vetoes); what the builders know differs, but what makes a card a
card must not: its id scheme, `kind`, which languages get one, how each language joins its
sentences, the label, and links in the card's language for every symbol. Those live here once,
so a fifth record kind, or a change to what every card carries, is written in one place rather
than copied four times and drifting.

A builder turns its typed record into a `CardRecord` (the per-record metadata, with the values
that differ by language as `ByLang`) and a function giving the sentence list of a language.
"""

from __future__ import annotations

import re

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ingest.chunk import Chunk, ChunkKind, DocKind, Source, VoteRecord, chunk_id
from ingest.country_names import chinese_name
from ingest.symbols import undocs_link, unique
from ingest.text import date_en, date_zh

KIND: ChunkKind = "document_card"
# Only English and Chinese card texts exist: a card in another language would be an English text
# under a wrong language tag.
CARD_LANGS = ("en", "zh")

T = TypeVar("T", covariant=True)  # a ByLang[str] is a ByLang[str | None]
V = TypeVar("V")


@dataclass(frozen=True)
class ByLang(Generic[T]):
    """A value that differs between the English and the Chinese card (a title, a section head)."""

    en: T
    zh: T

    @classmethod
    def same(cls, value: V) -> ByLang[V]:
        """The same value in both languages (a symbol, a title the record gives once)."""
        return ByLang(value, value)

    def of(self, lang: str) -> T:
        return self.zh if lang == "zh" else self.en


CARD_LABEL = ByLang("document card", "文件信息")


@dataclass(frozen=True)
class CardRecord:
    """What every card of one record carries, whatever the language.

    `doc_kind` None leaves the kind to `Chunk`'s inference from the symbol (a resolution card is
    a resolution because its symbol is `S/RES/…`); `position` keeps several cards of one document
    apart (one per veto of a meeting record).
    """

    doc_id: str
    doc_kind: DocKind | None
    symbols: list[str]
    section: ByLang[str]
    title: ByLang[str | None]
    date: str | None
    vote: ByLang[VoteRecord]
    path: str
    lines: tuple[int, int] | None = None
    recovered: str | None = None
    label: ByLang[str] = CARD_LABEL
    position: str = "card"


def card_langs(langs: Iterable[str], fallback: tuple[str, ...] = ()) -> list[str]:
    """The languages of `langs` that have card texts, in order, once each (`fallback` when none has)."""
    return [lang for lang in unique(langs) if lang in CARD_LANGS] or list(fallback)


def card_text(lang: str, sentences: Iterable[str]) -> str:
    """Sentences joined as the language writes them: spaced in English, run together in Chinese."""
    return ("" if lang == "zh" else " ").join(sentences)


def fact(lang: str, label: str, value: str) -> str:
    """One labelled fact as a sentence: 'Sponsors: Algeria.' / '提案国：阿尔及利亚。'."""
    return f"{label}：{value}。" if lang == "zh" else f"{label}: {value}."


def text_fact(lang: str, label: str, value: str) -> str:
    """A labelled text (agenda item, title) as a sentence; in a Chinese card, text the record holds
    only in English says so ('议程项目（英文）：Peacebuilding and sustaining peace。'), so a reader
    never takes it for the official Chinese wording."""
    return fact(lang, f"{label}{foreign_label(value)}" if lang == "zh" else label, value)


def foreign_label(value: str) -> str:
    """'（英文）' for text a Chinese card quotes in English ('（法文）' for the one statement whose record
    is French), '' when no label is needed."""
    if english_only_ok(value):
        return ""
    return "（法文）" if re.search(r"[éèêàâùûôîç]|\b(?:du|des|le|la|les)\b", value) else "（英文）"


def english_only_ok(value: str) -> bool:
    """True when `value` needs no language label in a Chinese card: it has Chinese text, or is a
    symbol or number with no words."""
    return bool(re.search(r"[\u4e00-\u9fff]", value)) or not re.search(r"[A-Za-z]{3,}", value)


def zh_names(names: Iterable[str]) -> str:
    """States by their UN Chinese short names, in the Chinese list punctuation."""
    return "、".join(chinese_name(n) for n in names)


def join_and(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' (names as given, no article added)."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def on_date(iso: str | None, lang: str) -> str:
    """' on 30 March 2020' / '于2020年3月30日': the date phrase of a card's first sentence ('' without a date)."""
    if not iso:
        return ""
    return f"于{date_zh(iso)}" if lang == "zh" else f" on {date_en(iso)}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 4129th: meetings are named by their English ordinal."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def build_card(record: CardRecord, lang: str, sentences: Iterable[str]) -> Chunk:
    """The card of `record` in `lang`, its text the given sentences."""
    card = Chunk(
        id=chunk_id(record.doc_id, lang, KIND, record.position),
        doc_id=record.doc_id,
        kind=KIND,
        lang=lang,
        section=record.section.of(lang),
        paragraph=None,
        text=card_text(lang, sentences),
        symbols=list(record.symbols),
        links=[undocs_link(s, lang) for s in record.symbols],
        source=Source(path=record.path, lines=record.lines, recovered=record.recovered),
        title=record.title.of(lang),
        date=record.date,
        label=record.label.of(lang),
        vote=record.vote.of(lang),
    )
    if record.doc_kind is not None:  # otherwise the kind `Chunk` inferred from the symbol stands
        card.doc_kind = record.doc_kind
    return card


def build_cards(record: CardRecord, langs: Iterable[str], sentences: Callable[[str], list[str]]) -> list[Chunk]:
    """One card per language of `langs`, each from that language's sentences."""
    return [build_card(record, lang, sentences(lang)) for lang in langs]
