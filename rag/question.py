"""One analysis of a question, used by retrieval, structured answering and checking.

`analyse(question, history=())` returns a typed `Question`: the cleaned text and language, the
documents it names in every spelling (S/RES/2518(2020), 第2518(2020)号决议, resolution 2518,
2518号决议, S/PRST/2021/5, S/2024/312, and "it"/"this resolution"/"该决议" in a follow-up),
paragraph and footnote references, the period it asks about, the States it names (both
languages, from ingest.country_names), the topics it names (mission acronyms and the records'
own agenda items and subjects, given as a vocabulary by the caller), and what it asks: a
document's content, date, meeting, vote, the members in favour / against / abstaining,
sponsors, draft symbol, who vetoed, a count or a list.

Follow-ups: the document, period and States of the previous turn carry over when the new
question names none of its own and needs one ("Who abstained on it?", "那2022年呢？"), and an
elliptical question ("and in 2022?") keeps the previous question's ask. The document of an
earlier turn may be named only in its answer ("Resolution 1973 (2011), adopted on …"), so
earlier answers are read too.

The fields the retriever used from the old `rag.query.Query` keep their names (`symbols`,
`resolution_numbers`, `dates`, `terms`, `tokens`, `asks_document_facts`, `asks_when`).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date

from pydantic import BaseModel, Field

from ingest.country_names import all_states, name_key
from ingest.lang import detect_lang as _detect
from ingest.errors import QuestionError
from ingest.symbols import canonical, find_symbols, resolution_numbers_in, symbols_in
from rag.acts import Act, asked_acts
from rag.sentences import zh_words
from rag.tokenize import STOPWORDS, cjk_words, dates_in, stem, tokens

DEFAULT_MAX_CHARS = 2000


class QueryError(QuestionError):
    """The question cannot be searched; the message is meant for the asker."""


class DocRef(BaseModel):
    """A document the question names. `symbol` is canonical when the year (or the whole symbol) is given."""

    symbol: str | None = None
    number: int | None = None  # resolution number when the year is left out
    kind: str = "resolution"  # resolution | presidential_statement | other
    carried: bool = Field(default=False, description="Taken from an earlier turn (pronoun or ellipsis).")

    def matches(self, symbol: str) -> bool:
        if self.symbol:
            return self.symbol == symbol
        m = re.fullmatch(r"S/RES/(\d+)\(\d{4}\)", symbol)
        return bool(m and self.number is not None and int(m.group(1)) == self.number)

    def label(self, lang: str) -> str:
        if self.symbol:
            m = re.fullmatch(r"S/RES/(\d+)\((\d{4})\)", self.symbol)
            if m:
                return f"第{m.group(1)}({m.group(2)})号决议" if lang == "zh" else f"Resolution {m.group(1)} ({m.group(2)})"
            return self.symbol
        return f"第{self.number}号决议" if lang == "zh" else f"Resolution {self.number}"


class ParagraphRef(BaseModel):
    number: int
    part: str | None = Field(default=None, description="'operative', 'preambular' or None (a bare paragraph number means operative).")


class Question(BaseModel):
    text: str = Field(description="Cleaned question: control characters removed, NFKC, whitespace collapsed.")
    lang: str = Field(description="'zh' if CJK-dominant, else 'en'.")
    # --- what the retriever keys on (names kept from rag.query.Query)
    symbols: list[str] = Field(default_factory=list, description="Canonical symbols named (or carried from the conversation).")
    resolution_numbers: list[int] = Field(default_factory=list, description="Resolution numbers named, with or without year.")
    dates: list[tuple[int, int]] = Field(default_factory=list, description="(month, day) of dates mentioned.")
    terms: list[str] = Field(default_factory=list, description="Key terms (words without stop-words).")
    tokens: list[str] = Field(default_factory=list, description="BM25 query tokens (rag.tokenize.tokens).")
    asks_document_facts: bool = Field(default=False, description="Asks for adoption date / vote / draft / sponsors.")
    asks_when: bool = Field(default=False, description="Asks for a date.")
    # --- structure
    documents: list[DocRef] = Field(default_factory=list)
    paragraphs: list[ParagraphRef] = Field(default_factory=list)
    footnotes: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    states: list[str] = Field(default_factory=list, description="Name keys (ingest.country_names.name_key) of States named.")
    topics: list[list[str]] = Field(default_factory=list, description="Groups of alternative spellings of each topic named.")
    asks: list[str] = Field(default_factory=list,
                            description="reason, date, meeting, tally, in_favour, against, abstaining, sponsors, "
                                        "all_sponsors, draft, vetoed_by, count, list, chapter_vii, not_unanimous, by_mail")
    doc_kind: str | None = Field(default=None, description="Kind of record asked about: resolution, presidential_statement, veto.")
    carried: list[str] = Field(default_factory=list, description="What came from earlier turns: document, period, states, asks.")
    intents: list[str] = Field(default_factory=list, description="Coarse fact intents for sentence scoring (INTENT_PATTERNS).")
    asks_who: bool = Field(default=False, description="Asks who/which (names or a list are the answer).")
    answer_type: list[str] = Field(default_factory=list,
                                   description="Nouns a wh-phrase asks for ('which cities' → cities, '什么样的区域' → 区域): "
                                               "the kind of answer, which the answering passage need not say.")
    main_clause: str = Field(default="", description="The question proper, when a leading clause only says which act or "
                                                     "record is meant ('Under the resolution adopted after …, how quickly must "
                                                     "States …?' → 'how quickly must States …?'); empty otherwise.")
    acts: list[Act] = Field(default_factory=list,
                            description="Addressed acts it asks about ('要求秘书长…' → request/demand, secretary-general; "
                                        "rag.acts): answered by a paragraph opening with one of them.")

    @property
    def has_period(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def asks_any(self, *names: str) -> bool:
        return any(n in self.asks for n in names)


# --------------------------------------------------------------------------- language versions


_ASKS_VERSION = re.compile(
    r"\b(Chinese|English)\s+(?:text|version|wording|translation|title|name|term|designation|abbreviation|rendering)"
    r"|\bin\s+(Chinese|English)\b|(中文|英文)(?:文本|本|版本|措辞|译文|标题|名称|译名|简称)", re.I)



def defined_names(defines: re.Pattern, text: str) -> int:
    """How many of the names a question asks about `text` defines (`definition_pattern`)."""
    return len({m.group(1) for m in defines.finditer(text)})


def asks_version(question: str) -> bool:
    """Whether the question asks how one language version words something ("Under what Chinese
    title does resolution 2535 (2020) cite …", "中文本如何简称…")."""
    return _ASKS_VERSION.search(question or "") is not None


def version_names(question: str) -> list[str]:
    """The acronyms a question about how a language version names something asks about ("…refer to
    ATMIS and to its predecessor AMISOM?" → ATMIS, AMISOM); none for any other question."""
    if not _ASKS_VERSION.search(question or ""):
        return []
    return list(dict.fromkeys(a for a in re.findall(r"\b[A-Z][A-Z0-9-]{2,}\b", question) if not a.startswith("S/")))


def definition_pattern(question: str) -> re.Pattern | None:
    """For a question about how a language version names something by its acronym, the pattern of
    the text defining it ("… (COVAX)", the acronym captured); None for any other question."""
    acronyms = version_names(question)
    if not acronyms:
        return None
    return re.compile(r"[(（]\s*(" + "|".join(re.escape(a) for a in acronyms) + r")\s*[)）]")


def asked_version(question: str) -> str | None:
    """The language version a question asks about ("How does the Chinese text of resolution 2717
    abbreviate MONUSCO?" → "zh"); None when it asks about none."""
    m = _ASKS_VERSION.search(question or "")
    if not m:
        return None
    word = (m.group(1) or m.group(2) or m.group(3) or "").lower()
    return "zh" if word in ("chinese", "中文") else "en"


# --------------------------------------------------------------------------- cleaning


_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def strip_markup(text: str) -> str:
    """A question pasted or typed with HTML, without it: tags out, and what a script or style element
    holds ("<script>alert('x')</script><b>When</b> was …?" asks "When was …?"). Markup's words are no
    words of the question: the record has none of them, and the coverage gate would decline for them."""
    return _TAG.sub(" ", _SCRIPT.sub(" ", text))


def clean(question: str) -> str:
    """Markup, control and format characters out, NFKC, runs of white space to one space, trimmed."""
    s = unicodedata.normalize("NFKC", strip_markup(question))
    chars = []
    for ch in s:
        cat = unicodedata.category(ch)
        if ch.isspace():
            chars.append(" ")
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            chars.append(ch)
    return re.sub(r"\s+", " ", "".join(chars)).strip()


def detect_lang(text: str) -> str:
    return _detect(text)


def _error(lang: str, zh: str, en: str) -> QueryError:
    return QueryError(zh if lang == "zh" else en)


# --------------------------------------------------------------------------- patterns

_CARD_EN = re.compile(
    r"\b(adopt\w*|vot(?:e|es|ed|ing)|abstain\w*|abstention\w*|draft\w*|sponsor\w*|co-?sponsor\w*|in favou?r|"
    r"against|unanimous\w*|tally|meeting record|veto\w*)\b", re.I)
_CARD_ZH = re.compile(r"何时通过|哪一?天通过|通过日期|通过的|表决|投票|弃权|赞成|反对|草案|提案国|提案|共同提案|一致通过|提出决议|否决")
# "when" asks for a date where it opens the question, is followed by the verb ("when was it adopted")
# or follows a preposition ("by when"); "What strength was authorized when it was set up?" asks a
# strength, the "when" clause only says which act is meant.
_WHEN_EN = (r"^\s*when\b|\bwhen\s+(?:did|was|were|is|are|does|do|will|has|have|had|should|must|would|could|can)\b"
            r"|\b(?:by|until|till|since|from) when\b")
_WHEN = re.compile(rf"何时|哪一?天|哪日|什么时候|几月几日|日期|{_WHEN_EN}|\bwhat date\b|\bon what day\b|\bwhich day\b", re.I)
_LATIN_WORD = re.compile(r"[A-Za-z]+")

_ASKS: list[tuple[str, re.Pattern]] = [
    ("date", _WHEN),
    ("meeting", re.compile(r"\bmeeting\b|第几次会议|哪次会议|哪一次会议|什么会议|几次会议", re.I)),
    ("tally", re.compile(r"\bvote[sd]?\b|\bvoting\b|\btally\b|vote count|how many votes|表决|票数|投票|多少票"
                         r"|以什么方式通过|以何种方式通过|如何通过|怎么通过|怎样通过"
                         r"|\bhow (?:was|were) (?:it|they|\w+ \d+(?: \(\d{4}\))?) adopted", re.I)),
    ("in_favour", re.compile(r"in favou?r|voted for\b|赞成", re.I)),
    ("against", re.compile(r"voted against|vote against|votes against|against it\b|against the (?:resolution|draft)"
                           r"|反对票|投反对|反对", re.I)),
    ("abstaining", re.compile(r"abstain\w*|abstention\w*|弃权", re.I)),
    ("all_sponsors", re.compile(r"(?:all|full list of|list (?:all )?(?:the )?)\s*(?:the )?(?:co-?)?sponsors"
                                r"|所有提案国|全部提案国|提案国名单", re.I)),
    ("sponsors", re.compile(r"(?:co-?)?sponsor\w*|提案国|共同提案|提出(?:了)?(?:该|这项)?决议"
                            r"|由(?:哪些|哪个|哪几个|什么)(?:国家|成员|代表团)?提出", re.I)),
    ("draft", re.compile(r"\bdraft (?:resolution )?(?:symbol|number)|\bwhich draft\b|\bwhat draft\b|\bdraft\b.*\bsymbol\b"
                         r"|决议草案.*(?:文号|编号|是哪)|草案(?:文号|编号)|哪份草案|草案是", re.I)),
    ("vetoed_by", re.compile(r"\bveto\w*|否决", re.I)),
    # counts and lists of documents (not "how many sponsors", not "哪些措施")
    ("count", re.compile(r"\bhow many\b(?:\s+\w+){0,3}?\s+"
                         r"(?:resolutions|presidential statements|statements|drafts|vetoes|times)\b"
                         r"|\bon how many\b|\bnumber of (?:resolutions|presidential statements|statements|drafts|vetoes)\b"
                         r"|多少(?:项|份|次)|多少(?:个)?(?:决议|主席声明|草案|否决)|几(?:项|份|次)|否决(?:了)?(?:多少|几)次", re.I)),
    ("list", re.compile(r"\bwhich (?:\w+ ){0,2}(?:resolutions|presidential statements|statements|drafts)\b"
                        # "Did the Council adopt any resolution on Myanmar in 2022?": answered by the list
                        r"|\b(?:did|has|have|had) the (?:security )?council (?:adopt|pass|issue|make)(?:ed)? "
                        r"(?:a|an|any)(?: \w+)? (?:resolutions?|presidential statements?)\b"
                        r"|(?:是否|有没有|有无)[^？?，,]{0,16}?(?:通过|发表)(?:了|过)?[^？?，,]{0,16}?(?:决议|主席声明)(?!草案)"
                        r"|\blist (?:all |the )*(?:resolutions|statements|drafts)\b"
                        r"|哪些(?:\w{0,6})?(?:决议|主席声明|草案)|哪几(?:项|份)(?:决议|主席声明|草案)"
                        r"|列出(?:所有)?(?:决议|主席声明)", re.I)),
    # "why was the vote not announced?" asks for the records' account, not for the vote itself
    ("reason", re.compile(r"\bwhy\b|\bfor what reason\b|\bhow come\b|为什么|为何|什么原因|原因是", re.I)),
    ("chapter_vii", re.compile(r"chapter vii|第七章", re.I)),
    ("unanimous", re.compile(r"(?<!not )(?<!non-)(?<!non)\bunanimous(?:ly)?\b|(?<![未非不])(?<!不是)一致通过", re.I)),
    ("not_unanimous", re.compile(r"not (?:\w+ ){0,2}unanimous\w*|non-?unanimous\w*|without unanimity"
                                 r"|未(?:获)?一致|非一致|不是一致", re.I)),
    ("by_mail", re.compile(r"voting by mail|written procedure|by mail|书面程序|通信表决", re.I)),
    # who held the Council's monthly presidency: not in any record this product holds
    ("presidency", re.compile(r"\bpresidency\b|\bpresided\b|轮值主席|主席国", re.I)),
    # what a delegation said at a meeting ("how did the United States representative explain the veto"):
    # the words of a meeting are in its verbatim record (S/PV), not in the documents it adopted
    ("speech", re.compile(r"\b(?:representative|delegation|ambassador|delegate|speaker|minister)s?\b.{0,60}?"
                          r"\b(?:explain\w*|explanation|said|say|says|argu\w*|justif\w*|stat(?:e|ed))\b"
                          r"|\b(?:explain\w*|explanation|justif\w*)\b.{0,40}?\b(?:representative|delegation|ambassador)"
                          r"|(?:代表|大使|代表团|发言者|部长).{0,12}?(?:如何|怎样|怎么)?(?:解释|阐述|辩解|说明理由|发言|表示)", re.I)),
]

# The answer-selection intents (rag.extractive scores sentences carrying the asked fact): which
# fact a question asks for, in the coarse form sentence scoring needs. Kept beside `_ASKS` so
# the two readings of a question are made in one place.
INTENT_PATTERNS: dict[str, re.Pattern] = {
    "date": re.compile(rf"何时|哪一?天|什么时候|日期|哪年|{_WHEN_EN}|\bdate\b|what day", re.I),
    "vote": re.compile(r"表决|投票|票数|\bvot(?:e|es|ed|ing)\b|tally|unanim", re.I),
    "abstain": re.compile(r"弃权|abstain|abstention", re.I),
    "against": re.compile(r"反对|voted against|against", re.I),
    # "是由哪些国家提出的", "谁提出了这项决议"; not "第1701(2006)号决议提出，…" (what a resolution
    # sets out) nor "俄罗斯提出的草案" (the proposer describes the draft the question is about)
    "sponsor": re.compile(r"提案国|共同提案|sponsor|提出(?:了)?(?:该|这项)?决议|由(?:谁|哪些|哪个|哪几个|什么)(?:国家|成员|代表团)?提出"
                          r"|(?:谁|哪些国家|哪个国家|哪国|哪几个国家)[^，,。？?]{0,8}提出", re.I),
    "draft": re.compile(r"草案|\bdraft\b", re.I),
    "document": re.compile(r"哪份|哪一份|文件|文号|文件号|\bsymbol\b|which document|what document|document symbol"
                           r"|\brecord(?:ed)? in\b", re.I),
    # "作出了什么决定", "what did the Council decide": answered by what the Council decided, a paragraph
    # whose operative verb is "Decides" (not one mentioning a decision in passing)
    "decision": re.compile(r"[作做]出了?(?:什么|何种|哪些)决定|决定了什么|有何决定|\bwhat did (?:the )?(?:Security )?Council decide\b"
                           r"|\bwhat (?:was|were) (?:the )?(?:Council's )?decisions?\b|\bwhat decisions?\b", re.I),
    # "how many people were displaced?", "最多可部署多少名军事人员": a count of people or things, not of
    # documents (those are rag.structured's aggregate questions, answered before sentences are scored)
    "duration": re.compile(r"\bhow long\b|\bfor what (?:period|length of time)\b|\bwithin what (?:time|period)\b"
                           r"|\bhow often\b|多长时间|多久|多长的?期限|期限(?:是|为)?多长|多少(?:个月|年|天)|每隔多久|几年|几个月", re.I),
    "quantity": re.compile(r"\bhow many\b|\bhow much\b|\bup to how\b|\bmaximum (?:\w+ )?(?:number|strength|size)\b"
                           r"|多少(?:名|人|个|万)?|几(?:名|个|万|千|百)", re.I),
}
_WHO = re.compile(r"哪些|哪个|哪几|哪两|哪国|谁|\bwho\b|\bwhich\b|\bwhom\b|名单|\blist\b", re.I)

_KIND_PRST = re.compile(r"presidential statements?|statements? by the president|\bPRST\b|主席声明", re.I)
_KIND_VETO = re.compile(r"\bveto\w*|否决|not adopted|未获通过|未通过", re.I)
_KIND_RES = re.compile(r"\bresolutions?\b|决议", re.I)
# A draft the Council did not adopt (vetoed or short of nine votes): "failed", "not adopted" (but
# "not adopted unanimously" is a way of adopting), "未获通过"
_KIND_FAILED = re.compile(r"\bfail(?:ed|s|ing)?\b|\b(?:not|n't) (?:been )?adopted\b(?! (?:unanimously|by consensus|without a vote))"
                          r"|\brejected\b|\bdefeated\b|未获通过|未通过|没有通过|未能通过|未获得?通过", re.I)
_DRAFT_OR_RESOLUTION = re.compile(r"\bdrafts?\b|草案|\bresolutions?\b|决议", re.I)
_ASKS_DRAFT = re.compile(r"\bdrafts?\b|\bveto\w*|\bput to the vote\b|草案|否决", re.I)
NOT_ADOPTED = ("draft_not_adopted", "veto")  # record kinds of drafts the Council did not adopt


# "Which resolutions recalled resolution 2231?", "哪些决议援引了…", "what does the Repertoire say about
# resolution 2518?": passages citing the named document are what is asked for
_ASKS_CITING = re.compile(r"\brecall\w*|\breaffirm\w*|\bcit(?:e|es|ed|ing)\b|\brefer\w*|\bmention\w*|\brepertoire\b"
                          r"|回顾|重申|援引|提及|提到|引用|汇辑", re.I)


def asks_citing(text: str) -> bool:
    """Whether the question asks what cites, recalls or narrates a document it names (then passages of
    other records citing it answer, not only the document's own text)."""
    return _ASKS_CITING.search(text) is not None


def asks_adopted(text: str) -> bool:
    """The question is about a resolution the Council adopted, not a draft, a veto or a failed vote:
    "安理会2024年通过的关于加沙的决议要求什么？" is answered by resolution 2728 (2024), not by the
    vetoed drafts on Gaza that share its words."""
    return bool(_KIND_RES.search(text)) and not _ASKS_DRAFT.search(text) and not _KIND_FAILED.search(text)

def says_not_adopted(text: str) -> bool:
    """The question itself says the draft failed ("俄罗斯提出但未获通过的决议草案", "the vetoed draft"):
    answering from that draft presumes no decision, so there is no premise to correct."""
    return bool(_KIND_FAILED.search(text) or re.search(r"\bveto\w*|否决", text, re.I))


# Paragraph references: 第6段 / 执行部分第6段 / 序言部分第3段 / operative paragraph 6 / para. 6 / paragraph 6 / preambular paragraph 3
_PARA_ZH = re.compile(r"(执行部分|序言部分)?\s*第\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*段")
# "the first operative paragraph", "its third preambular paragraph": an ordinal with the part named
# (without it, "the first paragraph" of a resolution would be its first preambular one: left alone)
_ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_PARA_ORD_EN = re.compile(rf"\b({'|'.join(list(_ORDINALS)[1:])})\s+(operative|preambular)\s+paragraph\b", re.I)
_PARA_EN = re.compile(r"\b(operative|preambular)?\s*(?:paragraph|para\.?|paras?\.?|OP|PP)\s*(\d{1,3})\b", re.I)
_FOOTNOTE = re.compile(r"脚注\s*(\d{1,4})|\bfootnotes?\s*(?:no\.?\s*)?(\d{1,4})\b|\bnote\s+(\d{1,4})\b", re.I)

# Pronouns and "that resolution": the question is about the document of the previous turn.
_REF_ZH = re.compile(r"该决议|这项决议|此项决议|这个决议|那项决议|此决议|这一决议|上述决议|该项决议"
                     r"|该文件|这份文件|该草案|这份草案|该声明|这项声明|它|其")
_REF_EN = re.compile(r"\b(?:that|this|the same|the said|said|the above)\s+(?:resolution|draft|statement|document|text)\b"
                     r"|\bit\b|\bits\b", re.I)

_YEAR = r"(19[4-9]\d|20\d\d)"
_RANGE_EN = re.compile(rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|until|through)\s+{_YEAR}\b|\b{_YEAR}\s*(?:-|–|to)\s*{_YEAR}\b", re.I)
_RANGE_ZH = re.compile(rf"{_YEAR}\s*年?\s*(?:至|到|—|-|–|~)\s*{_YEAR}\s*年?")
_MONTHS_EN = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS_EN.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH_YEAR_EN = re.compile(rf"\b({'|'.join(sorted(_MONTHS_EN, key=len, reverse=True))})\.?\s+(?:of\s+)?{_YEAR}\b", re.I)
_MONTH_YEAR_ZH = re.compile(rf"{_YEAR}\s*年\s*(\d{{1,2}})\s*月(?!\s*\d{{1,2}}\s*[日号])")
_HALF = re.compile(r"上半年|first half|下半年|second half", re.I)
# A date the Council set as a deadline or an end ("until 10 July 2021", "延长到2021年7月10日") is
# not when it acted: it must not become the period the question is about.
_DAY_MONTH_EN = rf"(?:\d{{1,2}}\s+)?(?:{'|'.join(sorted(_MONTHS_EN, key=len, reverse=True))})\.?\s+(?:\d{{1,2}},?\s+)?"
_DEADLINE_EN = re.compile(rf"\b(?:until|till|through|by|to|expir\w*\s+on)\s+(?:{_DAY_MONTH_EN})?{_YEAR}\b", re.I)
_DEADLINE_ZH = re.compile(rf"(?:到|至|截至|延至|为止到)\s*{_YEAR}\s*年(?:\s*\d{{1,2}}\s*月)?(?:\s*\d{{1,2}}\s*[日号])?")

# Common names of States that differ from the table's official short names (both languages).
_STATE_ALIASES: dict[str, str] = {
    "russia": "RUSSIAN FEDERATION", "俄罗斯": "RUSSIAN FEDERATION", "俄国": "RUSSIAN FEDERATION",
    "uk": "UNITED KINGDOM", "britain": "UNITED KINGDOM", "great britain": "UNITED KINGDOM", "英国": "UNITED KINGDOM",
    "united kingdom of great britain and northern ireland": "UNITED KINGDOM",
    "usa": "UNITED STATES", "u.s.": "UNITED STATES", "us": "UNITED STATES", "united states of america": "UNITED STATES",
    "america": "UNITED STATES", "美利坚合众国": "UNITED STATES",
    "syria": "SYRIAN ARAB REPUBLIC", "叙利亚": "SYRIAN ARAB REPUBLIC",
    "iran": "IRAN (ISLAMIC REPUBLIC OF)", "伊朗": "IRAN (ISLAMIC REPUBLIC OF)",
    "north korea": "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "dprk": "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA",
    "朝鲜": "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "朝鲜民主主义人民共和国": "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA",
    "south korea": "REPUBLIC OF KOREA", "韩国": "REPUBLIC OF KOREA",
    "venezuela": "VENEZUELA (BOLIVARIAN REPUBLIC OF)", "委内瑞拉": "VENEZUELA (BOLIVARIAN REPUBLIC OF)",
    "bolivia": "BOLIVIA (PLURINATIONAL STATE OF)", "玻利维亚": "BOLIVIA (PLURINATIONAL STATE OF)",
    "tanzania": "UNITED REPUBLIC OF TANZANIA", "drc": "DEMOCRATIC REPUBLIC OF THE CONGO", "刚果(金)": "DEMOCRATIC REPUBLIC OF THE CONGO",
    "turkey": "TURKIYE", "türkiye": "TURKIYE", "turkiye": "TURKIYE",
    "vietnam": "VIET NAM", "moldova": "REPUBLIC OF MOLDOVA", "czech republic": "CZECHIA",
    "ivory coast": "COTE D'IVOIRE", "palestine": "STATE OF PALESTINE", "巴勒斯坦": "STATE OF PALESTINE",
}
# Display names the table may not hold (topics rather than Council members).
_EXTRA_STATES: dict[str, tuple[str, str]] = {
    "IRAN (ISLAMIC REPUBLIC OF)": ("Iran", "伊朗"),
    "DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA": ("Democratic People's Republic of Korea", "朝鲜民主主义人民共和国"),
    "STATE OF PALESTINE": ("State of Palestine", "巴勒斯坦国"),
    "YEMEN": ("Yemen", "也门"), "SOMALIA": ("Somalia", "索马里"), "LEBANON": ("Lebanon", "黎巴嫩"),
    "CYPRUS": ("Cyprus", "塞浦路斯"), "MYANMAR": ("Myanmar", "缅甸"),
}


def _state_table() -> list[tuple[str, str]]:
    """(pattern text, name key) pairs, longest first so 'Guinea-Bissau' wins over 'Guinea'."""
    pairs: dict[str, str] = {}
    for en, zh in all_states():
        key = name_key(en)
        pairs[en.lower()] = key
        pairs[zh] = key
    for key, (en, zh) in _EXTRA_STATES.items():
        pairs.setdefault(en.lower(), key)
        pairs.setdefault(zh, key)
    pairs.update({k: name_key(v) for k, v in _STATE_ALIASES.items()})
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


_STATES = _state_table()
_STATE_KEYS = {key for _, key in _STATES}


def state_forms(key: str) -> list[str]:
    """Every name the question analysis knows a State by: its official names in both languages and
    the common ones ("Syria", "叙利亚", "Russia"), short upper-case aliases ("US") left out, since in
    running text they are ordinary words."""
    return [pat for pat, k in _STATES if k == key and (len(pat) > 3 or re.search(r"[\u3400-\u9fff]", pat))]


def state_names(key: str) -> tuple[str, str]:
    """(English, Chinese) names of a State key, for topic matching and answers."""
    for en, zh in all_states():
        if name_key(en) == key:
            return en, zh
    return _EXTRA_STATES.get(key, (key.title(), key.title()))


def _state_regex(pat: str) -> re.Pattern:
    if re.search(r"[\u3400-\u9fff]", pat):
        return re.compile(re.escape(pat))
    if len(pat) <= 3:  # short upper-case aliases ("US", "UK") only as written in capitals
        return re.compile(r"(?<![A-Za-z])" + re.escape(pat.upper()) + r"(?![A-Za-z])")
    return re.compile(r"(?<![a-z])" + re.escape(pat) + r"(?![a-z])")


# (pattern text, key, compiled regex, searched in lower case?) compiled once
_STATE_RX = [(pat, key, _state_regex(pat), not re.search(r"[\u3400-\u9fff]", pat) and len(pat) > 3) for pat, key in _STATES]


def states_in(text: str) -> list[str]:
    """Name keys of the States a text names (longest names first, so 'Guinea-Bissau' is not also 'Guinea')."""
    found: list[str] = []
    low = text.lower()
    taken = [False] * len(low)
    for pat, key, rx, lower in _STATE_RX:
        hay = low if lower else text
        if pat.lower() not in low:  # cheap prefilter before the regex
            continue
        for m in rx.finditer(hay):
            if any(taken[m.start():m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            if key not in found:
                found.append(key)
    return found


# --------------------------------------------------------------------------- references


def _documents(text: str) -> list[DocRef]:
    refs: list[DocRef] = []
    for m in find_symbols(text):
        kind = "resolution" if m.symbol.startswith("S/RES/") else ("presidential_statement" if m.symbol.startswith("S/PRST/") else "other")
        if m.symbol.startswith(("S/PV.",)):
            continue
        refs.append(DocRef(symbol=m.symbol, kind=kind))
    # Documents of other series the question names by number: General Assembly resolutions and
    # press statements ("SC/14430") are documents too, so one not held is reported as missing.
    for ga in re.finditer(r"General Assembly resolution\s+((?:ES-\d+/)?\d+(?:/\d+)?)"
                          r"|大会第?\s*((?:ES-\d+/)?\d+/\d+)\s*号?决议", text, re.I):
        sym = f"A/RES/{ga.group(1) or ga.group(2)}"
        if not any(r.symbol == sym for r in refs):
            refs.append(DocRef(symbol=sym, kind="other"))
    for press in re.finditer(r"(?<![\w/])(SC/\d{4,5})\b", text):
        refs.append(DocRef(symbol=press.group(1), kind="other"))
    named = {int(r.symbol.split("/")[2].split("(")[0]) for r in refs if r.symbol and r.symbol.startswith("S/RES/")}
    for n in resolution_numbers_in(text):
        if n not in named:
            refs.append(DocRef(number=n))
            named.add(n)
    return refs


def _paragraphs(text: str) -> list[ParagraphRef]:
    out: list[ParagraphRef] = []
    for m in _PARA_ZH.finditer(text):
        part = {"执行部分": "operative", "序言部分": "preambular"}.get(m.group(1) or "")
        n = _zh_int(m.group(2))
        if n:
            out.append(ParagraphRef(number=n, part=part))
    for m in _PARA_ORD_EN.finditer(text):
        out.append(ParagraphRef(number=_ORDINALS[m.group(1).lower()], part=m.group(2).lower()))
    for m in _PARA_EN.finditer(text):
        word = (m.group(1) or "").lower()
        raw = m.group(0).lower()
        part = "operative" if word == "operative" or raw.startswith("op") else (
            "preambular" if word == "preambular" or raw.startswith("pp") else None)
        out.append(ParagraphRef(number=int(m.group(2)), part=part))
    seen: set[tuple[int, str | None]] = set()
    unique: list[ParagraphRef] = []
    for p in out:  # the first mention of each (number, part), in the question's order
        if (p.number, p.part) not in seen:
            seen.add((p.number, p.part))
            unique.append(p)
    return unique


def _footnotes(text: str) -> list[str]:
    return list(dict.fromkeys(next(g for g in m.groups() if g) for m in _FOOTNOTE.finditer(text)))


def _period(text: str, symbol_spans: list[tuple[int, int]]) -> tuple[list[int], date | None, date | None]:
    """Years named outside symbols, and the period they make (a range, a month, a half-year, years)."""
    masked = list(text)
    for a, b in symbol_spans:
        for i in range(a, b):
            masked[i] = " "
    t = "".join(masked)
    m = _RANGE_EN.search(t) or _RANGE_ZH.search(t)
    if m:
        ys = [int(g) for g in m.groups() if g]
        lo, hi = min(ys), max(ys)
        return list(range(lo, hi + 1)), date(lo, 1, 1), date(hi, 12, 31)
    t = _DEADLINE_ZH.sub(lambda d: " " * len(d.group(0)), _DEADLINE_EN.sub(lambda d: " " * len(d.group(0)), t))
    m = _MONTH_YEAR_EN.search(t)
    if m:
        y, mo = int(m.group(2)), _MONTHS_EN[m.group(1).lower()]
        return [y], date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    m = _MONTH_YEAR_ZH.search(t)
    if m and 1 <= int(m.group(2)) <= 12:
        y, mo = int(m.group(1)), int(m.group(2))
        return [y], date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    m = re.search(rf"\bsince\s+{_YEAR}\b|(?:自|从){_YEAR}\s*年?(?:以来|起)|{_YEAR}\s*年以来", t, re.I)
    if m:
        y = int(next(g for g in m.groups() if g))
        return [y], date(y, 1, 1), None
    years = sorted({int(y) for y in re.findall(rf"(?<!\d){_YEAR}(?!\d)", t)})
    if not years:
        return [], None, None
    h = _HALF.search(t)
    if h and len(years) == 1:
        first = h.group(0) in ("上半年",) or h.group(0).lower().startswith("first")
        y = years[0]
        return years, (date(y, 1, 1) if first else date(y, 7, 1)), (date(y, 6, 30) if first else date(y, 12, 31))
    return years, date(years[0], 1, 1), date(years[-1], 12, 31)


_CONTEXT_EN = re.compile(r"\b(?:during|amid|amidst|throughout)\s+(?:the\s+)?$", re.I)
_CONTEXT_ZH = re.compile(r"^\S{0,4}?(?:期间|之际|时期)")


def _topics(text: str, lang: str, vocabulary: Sequence[Sequence[str]], states: Sequence[str] = ()) -> list[list[str]]:
    """Vocabulary entries (groups of alternative names: acronym, English and Chinese names) the question names.

    Not topics: a State the question already names (it is read as a State: a voter or a subject),
    and a name that only dates the question ("the procedure used during the COVID-19 pandemic",
    "疫情期间"): time context, not what the documents are about.
    """
    out: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    low = text.lower()
    state_keys = set(states)
    for group in vocabulary:
        for name in group:
            if not name or name.lower() not in low:  # cheap prefilter before the regex
                continue
            span: tuple[int, int] | None = None
            if name.isascii():
                if len(name) <= 12 and name.isupper():  # an acronym: as written
                    hit = re.search(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", text)
                else:
                    hit = re.search(r"(?<![a-z])" + re.escape(name.lower()) + r"(?![a-z])", low)
                span = hit.span() if hit else None
            elif name in text:
                span = (text.find(name), text.find(name) + len(name))
            if span is not None:
                if _CONTEXT_EN.search(text[: span[0]]) or _CONTEXT_ZH.search(text[span[1]:]):
                    break
                if any(name_key(n) in state_keys for n in group if n) \
                        or any(name_key(n) in _STATE_KEYS for n in group if n):
                    break
                if span in spans:  # one word naming two subjects ("海盗": piracy, armed robbery at sea)
                    i = spans.index(span)
                    out[i] = out[i] + [n for n in group if n not in out[i]]
                else:
                    spans.append(span)
                    out.append(list(group))
                break
    return out


_ADOPTION = re.compile(r"adopt\w*|通过|表决|\bvot\w*|put to the vote|付诸表决", re.I)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split())}
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_VOTES_FOR_EN = re.compile(r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:votes?\s+)?in\s+favou?r\b", re.I)
_VOTES_FOR_ZH = re.compile(r"([\d]{1,2}|十[一二三四五]?|[一二三四五六七八九])\s*票赞成")


def _zh_int(w: str) -> int | None:
    """'12' → 12, '六' → 6, '十二' → 12, '二十' → 20, '二十三' → 23 (up to 99)."""
    if w.isdigit():
        return int(w)
    if not w or any(c not in _ZH_DIGITS and c != "十" for c in w):
        return None
    if "十" not in w:
        return _ZH_DIGITS[w] if len(w) == 1 else None
    tens, _, ones = w.partition("十")
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)


def votes_in_favour(text: str) -> int | None:
    """'with only nine votes in favour' → 9; '9票赞成' → 9: a vote-count condition of a list question."""
    m = _VOTES_FOR_EN.search(text)
    if m:
        w = m.group(1).lower()
        return int(w) if w.isdigit() else _NUMBER_WORDS[w]
    m = _VOTES_FOR_ZH.search(text)
    if m:
        return _zh_int(m.group(1))
    return None


# "When the Council referred Darfur to the ICC in 2005, who would bear the costs?" asks who, not
# when: a leading "When …," clause followed by the question proper only says which act is meant.
# what the question proper opens with, after a leading clause
_QUESTION_OPENING = (r"(?=(?:who|whom|whose|what|which|how|where|why|when|did|does|do|was|were|is|are|has|have|had|"
                     r"could|would|can|must|should|shall|will|by|until|in|on|from|to)\b)")
_TEMPORAL_CLAUSE = re.compile(r"^\s*when\b[^,?]{3,},\s*" + _QUESTION_OPENING, re.I)


# "Under the counter-terrorism resolution the Council adopted after the 11 September 2001 attacks,
# how quickly must States freeze the funds …?": a leading clause naming a record by what it is
# ("resolution", "statement", "draft") says which record is meant; the question proper, after it,
# says which of its passages answers. "俄罗斯2023年8月提出但未获通过的马里制裁决议草案，打算如何处理…"
# is the same in Chinese.
_RECORD_CLAUSE_EN = re.compile(r"^\s*(?:under|in|by|through|according to|pursuant to|with)\s+(?:the|its|a|an|that)\b"
                               r"[^,?]*?\b(?:resolution|statement|draft)\b[^,?]*,\s*" + _QUESTION_OPENING, re.I)
_RECORD_CLAUSE_ZH = re.compile(r"^[^，,？?。]{4,}?(?:决议|声明|草案)(?:草案)?[，,]\s*"
                               r"(?=[^？?]*(?:什么|哪|如何|多少|几|怎样|怎么|何时|是否|吗))")


def _main_clause(text: str) -> str:
    """The question without a leading temporal clause (see `_TEMPORAL_CLAUSE`) or a leading clause
    saying which record is meant (see `_RECORD_CLAUSE_EN`)."""
    text = _TEMPORAL_CLAUSE.sub("", text, count=1)
    return _RECORD_CLAUSE_ZH.sub("", _RECORD_CLAUSE_EN.sub("", text, count=1), count=1)


def _asks(text: str) -> list[str]:
    """What the question proper (`_main_clause`, computed by the caller) asks for."""
    asks = [name for name, rx in _ASKS if rx.search(text)]
    # a date or meeting question about a document's adoption (not "from what date was its mandate terminated")
    if not _ADOPTION.search(text):
        asks = [a for a in asks if a not in ("date", "meeting")]
    if "not_unanimous" in asks and "unanimous" in asks:
        asks.remove("unanimous")
    if votes_in_favour(text) is not None and "list" not in asks and re.search(r"\bwhich\b|哪(?:一|个)?项?决议|哪些决议", text, re.I):
        asks.append("list")  # "which resolution was adopted with only nine votes in favour?"
    if "all_sponsors" in asks and "sponsors" not in asks:
        asks.append("sponsors")
    # "against" inside a topic ("violence against women") is not a vote question
    if "against" in asks and not re.search(r"vot|反对票|投反对|反对", text, re.I):
        asks.remove("against")
    if "draft" not in asks and re.search(r"\bdraft\b|草案", text, re.I) \
            and re.search(r"symbol|number|which|what|哪|编号|文号", text, re.I) and not _KIND_VETO.search(text):
        asks.append("draft")
    return asks


# --------------------------------------------------------------------------- analysis


def analyse(question: str, max_chars: int = DEFAULT_MAX_CHARS, history: Sequence = (),
            vocabulary: Sequence[Sequence[str]] = (), describes: Callable[[str], str] | None = None) -> Question:
    """Analyse a user question (and the conversation before it); raises `QueryError` for bad input.

    `describes(symbol)` gives what the records say a document is about (agenda item, title,
    subjects: rag.facts), so a follow-up naming only what the previous turn's document is about
    keeps that document (see `_carry`)."""
    if question is None:
        question = ""
    if not isinstance(question, str):
        raise QueryError(f"The question must be text, not {type(question).__name__}.")
    text = clean(question)
    lang = detect_lang(text or question)
    if not text:
        raise _error(lang, "问题为空，请输入一个问题。", "The question is empty. Please type a question.")
    if len(text) > max_chars:
        raise _error(
            lang,
            f"问题过长（{len(text)} 个字符），上限为 {max_chars} 个字符，请缩短问题。",
            f"The question is too long ({len(text)} characters); the limit is {max_chars} characters. Please shorten it.",
        )
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise _error(lang, "问题只包含标点或符号，请用文字提出问题。",
                     "The question contains only punctuation or symbols. Please ask it in words.")
    q = _analyse_text(text, lang, vocabulary)
    previous: Question | None = None
    for turn in history or ():
        user = turn[0] if isinstance(turn, (tuple, list)) else str(turn)
        answer = turn[1] if isinstance(turn, (tuple, list)) and len(turn) > 1 else ""
        if not user or not str(user).strip():
            continue
        prev = _analyse_text(clean(str(user)), detect_lang(str(user)), vocabulary)
        if previous is not None:
            prev = _carry(prev, previous, describes)
        if not prev.documents and answer:
            # the document an earlier turn was about may be named only in its answer
            docs = _documents(clean(str(answer)))[:1]
            if docs:
                prev.documents = docs
        previous = prev
    if previous is not None:
        q = _carry(q, previous, describes)
    return q


def _analyse_text(text: str, lang: str, vocabulary: Sequence[Sequence[str]]) -> Question:
    spans = [(m.start, m.end) for m in find_symbols(text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"(?:第\s*)?\d{3,4}\s*(?:[(（]\s*\d{4}\s*[)）])?\s*号决议"
                                                        r"|\b[Rr]esolutions?\s+\d{3,4}\s*(?:\(\d{4}\))?", text)]
    # "Which two February 2020 documents did the Council welcome …": a date inside the asked phrase
    # dates what is asked for (the documents welcomed), not the Council's act; "Which 2025 resolution
    # was adopted …" dates the record itself
    spans += [(m.start(), m.end(1)) for m in _ASKED_NOUN_EN.finditer(text) if not _RECORD_NOUN.match(m.group(1))]
    years, d_from, d_to = _period(text, spans)
    latin_terms = [stem(w.lower()) for w in _LATIN_WORD.findall(text) if len(w) > 1 and w.lower() not in STOPWORDS]
    terms = list(dict.fromkeys(cjk_words(text) + latin_terms))
    doc_kind = None
    if _KIND_PRST.search(text):
        doc_kind = "presidential_statement"
    elif re.search(r"\bveto\w*|否决", text, re.I):
        doc_kind = "veto"
    elif _KIND_FAILED.search(text) and _DRAFT_OR_RESOLUTION.search(text):
        doc_kind = "draft_not_adopted"
    elif _KIND_RES.search(text):
        doc_kind = "resolution"
    docs = _documents(text)
    states = states_in(text)
    main = _main_clause(text)
    return Question(
        text=text,
        lang=lang,
        symbols=symbols_in(text),
        resolution_numbers=resolution_numbers_in(text),
        dates=dates_in(text),
        terms=terms,
        tokens=tokens(text),
        asks_document_facts=bool(_CARD_EN.search(main) or _CARD_ZH.search(main)),
        asks_when=bool(_WHEN.search(text)),
        documents=docs,
        paragraphs=_paragraphs(text),
        footnotes=_footnotes(text),
        years=years,
        date_from=d_from,
        date_to=d_to,
        states=states,
        topics=_topics(text, lang, vocabulary, states),
        asks=_asks(main),
        doc_kind=doc_kind,
        intents=[name for name, rx in INTENT_PATTERNS.items() if rx.search(main)],
        main_clause=main if main != text else "",
        asks_who=bool(_WHO.search(text)),
        answer_type=answer_type_words(text),
        acts=sorted(asked_acts(text)),
    )


# "from which cities did …", "Which two February 2020 documents did …", "what inspection arrangement
# did it set up": the noun before the verb heads the asked phrase ("What did …" has none). "What kind
# of area", "哪类武装团体", "什么样的区域" ask for a kind of it, which the answer restates ("armed groups
# designated for obstructing MONUSCO"): those are no answer type.
_ASKED_NOUN_EN = re.compile(
    r"\b(?:which|what)\s+(?!kind\b|type\b|sort\b|kinds\b|types\b)(?:[\w-]+\s+){0,3}?([A-Za-z][\w-]+?)\s+"
    r"(?:did|does|do|was|were|is|are|has|have|had|will|would|should|must|can|could|shall)\b", re.I)
_ASKED_NOUN_ZH = re.compile(r"(?:哪(?:些|个|几个|几|两个|两|一个|一|项|份|位)?|什么(?!样))([\u4e00-\u9fff]{1,6})")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
# The Council's own records and acts: a date in "which 2025 resolution" is the record's
_RECORD_NOUN = re.compile(r"(?:resolution|statement|draft|decision|meeting|vote|text)s?$", re.I)
_NOT_A_NOUN_EN = frozenset("did does do was were is are has have had will would should must can could shall "
                           "the a an its their council security".split())


def answer_type_words(text: str) -> list[str]:
    """The nouns the question's wh-phrases ask for: "from which cities did the Council demand …" asks
    for cities, and the paragraph answering names them ("withdraw from Goma, Bukavu") without the
    word. Such a word says what kind of answer is wanted, so sentence scoring weighs it less than the
    words the answer must share (rag.extractive)."""
    words = [m.group(1).lower() for m in _ASKED_NOUN_EN.finditer(text) if m.group(1).lower() not in _NOT_A_NOUN_EN]
    if _HAS_CJK.search(text):
        for m in _ASKED_NOUN_ZH.finditer(text):  # the noun: jieba's first word after the question word
            first = next(iter(zh_words(m.group(1))), "")
            if len(first) >= 2 and first[0] not in "类种样" and not m.group(1).startswith(("时候", "时间", "地方", "原因")):
                words.append(first)
    return list(dict.fromkeys(words))


_DOC_ASKS = {"date", "meeting", "tally", "in_favour", "against", "abstaining", "sponsors", "all_sponsors", "draft", "vetoed_by"}


def _is_elliptical(q: Question) -> bool:
    """'and in 2022?', 'what about 2538?', '那2022年呢？': a new slot, no predicate of its own."""
    t = q.text.strip()
    if re.match(r"^\s*(?:and|but|so|what about|how about)\b", t, re.I) and len(t) <= 60 and not q.asks:
        return True
    return bool(re.search(r"(?:呢|怎么样|又如何|又怎样)\s*[？?。]?\s*$", t) and len(t) <= 25 and not q.asks)


def _about_previous_document(q: Question, prev: Question, describes: Callable[[str], str] | None) -> bool:
    """The new question names States or topics, and the previous turn's document is about all of
    them: "混合行动最迟应在什么时候从非盟驻苏丹特派团手中接管权力？" after "2007年设立达尔富尔混合行动的是
    哪项决议？" (answered: resolution 1769 (2007), on the Sudan) names the Sudan, and asks about 1769."""
    if describes is None or q.documents or not prev.documents or not (q.states or q.topics) or q.has_period:
        return False
    about = " ".join(describes(d.symbol) for d in prev.documents if d.symbol).lower()
    if not about:
        return False
    states = all(any(f.lower() in about for f in state_forms(k)) for k in q.states)
    topics = all(any(f and f.lower() in about for f in t) for t in q.topics)
    return states and topics


def _carry(q: Question, prev: Question, describes: Callable[[str], str] | None = None) -> Question:
    """The previous turn's document, period and States where the new question needs them and names
    none, or names only what that document is about (`_about_previous_document`)."""
    update: dict = {}
    carried: list[str] = []
    elliptical = _is_elliptical(q)
    refers = bool(_REF_ZH.search(q.text) if q.lang == "zh" else _REF_EN.search(q.text)) \
        or _about_previous_document(q, prev, describes)
    if elliptical and prev.asks:
        update["asks"] = list(prev.asks)
        carried.append("asks")
        if not q.doc_kind and prev.doc_kind:
            update["doc_kind"] = prev.doc_kind
    if elliptical and not q.documents and prev.documents:
        # "and what about 2538?" / "那2538呢？": a bare number in a follow-up about a resolution is another resolution
        m = re.search(r"(?<![\d/])(\d{3,4})(?:\s*[(（]\s*(\d{4})\s*[)）])?(?!\d)", q.text)
        if m and not (re.fullmatch(r"(?:19|20)\d\d", m.group(1)) and not m.group(2)):
            ref = DocRef(symbol=f"S/RES/{int(m.group(1))}({m.group(2)})" if m.group(2) else None,
                         number=None if m.group(2) else int(m.group(1)))
            q = q.model_copy(update={"documents": [ref], "resolution_numbers": [int(m.group(1))],
                                     "symbols": [ref.symbol] if ref.symbol else [], "years": [], "date_from": None, "date_to": None})
    asks = update.get("asks", q.asks)
    needs_doc = refers or (set(asks) & _DOC_ASKS and not {"count", "list"} & set(asks)) or q.paragraphs or q.footnotes
    if not q.documents and prev.documents and (needs_doc or elliptical) and not (elliptical and q.has_period):
        docs = [d.model_copy(update={"carried": True}) for d in prev.documents]
        update["documents"] = docs
        update["symbols"] = list(dict.fromkeys([*q.symbols, *(d.symbol for d in docs if d.symbol)]))
        update["resolution_numbers"] = list(dict.fromkeys([*q.resolution_numbers, *(d.number for d in docs if d.number)]))
        if set(asks) & _DOC_ASKS:
            update["asks_document_facts"] = True
        carried.append("document")
    if not q.has_period and prev.has_period and not update.get("documents") and not q.documents:
        update.update(years=prev.years, date_from=prev.date_from, date_to=prev.date_to)
        carried.append("period")
    if not q.states and prev.states and (elliptical or refers) and not q.documents:
        update["states"] = list(prev.states)
        carried.append("states")
    if not q.topics and prev.topics and (elliptical or refers) and not q.documents:
        update["topics"] = [list(t) for t in prev.topics]
        carried.append("topics")
    if not carried:
        return q
    update["carried"] = carried
    return q.model_copy(update=update)


def retrieval_text(q: Question) -> str:
    """The text to search with: the question plus the documents it carries from the conversation."""
    extra = [d.symbol or f"resolution {d.number}" for d in q.documents if d.carried]
    return q.text if not extra else f"{q.text} {' '.join(extra)}"


def canonical_symbol(text: str) -> str:
    return canonical(text)


def names_as_sponsor(q: Question, key: str) -> bool:
    """Whether a State the question names (not as the voter) is a draft's sponsor rather than its
    subject: "submitted by Russia", "Brazil's draft", "the Russian Federation draft", "俄罗斯提出的"
    name a sponsor; "any draft on Syria" names what the draft is about."""
    text = q.text
    for form in state_forms(key):
        for m in re.finditer(re.escape(form), text, re.I):
            after = text[m.end():m.end() + 40]
            before = text[max(0, m.start() - 30):m.start()]
            if re.match(r"(?:'s)?\s+(?:[\w-]+\s+){0,3}?drafts?\b", after, re.I):  # "Brazil's October 2023 draft"
                return True
            if re.search(r"\b(?:submitted|sponsored|co-?sponsored|put forward|tabled|proposed|introduced|drafted) by"
                         r"\s+(?:the\s+)?$", before, re.I):
                return True
            # "俄罗斯2023年8月提出", "俄罗斯等国提出"; not "突尼斯代表请秘书长提交" (someone else submits)
            if re.match(r"(?!代表)(?:[^，,。？?请要求促呼]{0,16}?)(?:单独|独自)?(?:等国)?(?:提出|提交|起草)", after):
                return True
    return False
