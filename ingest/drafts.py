"""Draft resolutions put to the vote and NOT adopted (`resolutions/Not adopted/`): vote facts → cards.

A failed draft has the paragraph structure of a resolution ("Demands…", "Decides…"), so the
only thing standing between its text and an answer that quotes it as a Council decision is the
labelling done here: every chunk of a draft carries `doc_kind="draft_not_adopted"`, a section,
title and label that say "draft resolution, NOT adopted" (and by whose veto), and the vote.

The facts come from the file's own metadata, surveyed over the 2023–2025 drafts:

* `<workflow><step outcome="draftResolution" by="Algeria"/>`: the sponsors (English names, also
  in the Chinese files; the Chinese sponsor list is the `docTitle` "阿尔及利亚：决议草案");
* `<step outcome="veto"|"Veto"|"notAdopted" as="S/PV.9609" by="The draft resolution was not
  adopted due to the negative vote of a permanent member … (United States)."/>`: the meeting
  record and the outcome in words;
* `<voting><count value="012" refersTo="inFavour"><akn4un:voters><organization>…`: counts
  (zero-padded) and members; a count of zero is left out entirely (S/2023/212 has no
  `against`), and one draft (S/2025/353) has no vote recorded at all.

`vetoed_by` is the permanent members that voted against when the record says the draft failed
by a veto (or had the nine votes it needed): a permanent member's negative vote on a draft that
lacked nine votes in favour is not a veto, and the card says so rather than call it one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET
from dataclasses import dataclass, field

from ingest.cards import ByLang, CardRecord, build_cards, card_langs, fact, join_and, on_date, ordinal, zh_names
from ingest.chunk import Chunk, DocKind, VoteRecord
from ingest.country_names import display_name, join_en, name_key, split_names
from ingest.symbols import unique

DOC_KIND: DocKind = "draft_not_adopted"
PERMANENT = {"CHINA", "FRANCE", "RUSSIAN FEDERATION", "UNITED KINGDOM", "UNITED STATES"}
REQUIRED_VOTES = 9

_COUNT_KEYS = {"infavour": "in_favour", "against": "against", "abstaining": "abstaining", "abstention": "abstaining"}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _int(value: str | None) -> int | None:
    value = _clean(value)
    return int(value) if value.isdigit() else None


@dataclass
class DraftFacts:
    symbol: str
    lang: str
    date: str | None = None
    meeting_record: str | None = None
    outcome_step: str | None = None  # veto | notadopted | None
    outcome_text: str | None = None
    sponsors: list[str] = field(default_factory=list)  # English names as the step gives them
    sponsors_title: str | None = None  # the docTitle's sponsor list, in the file's language
    in_favour: list[str] = field(default_factory=list)  # names as in the file (upper case)
    against: list[str] = field(default_factory=list)
    abstaining: list[str] = field(default_factory=list)
    in_favour_count: int | None = None
    against_count: int | None = None
    abstaining_count: int | None = None
    vetoed_by: list[str] = field(default_factory=list)  # display names
    permanent_against: list[str] = field(default_factory=list)  # display names
    conflicts: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ derived

    @property
    def failed(self) -> bool:
        return self.outcome_step in ("veto", "notadopted")

    @property
    def outcome(self) -> str:
        return "vetoed" if self.vetoed_by else "not adopted"

    @property
    def meeting_number(self) -> int | None:
        m = re.fullmatch(r"S/PV\.(\d+)", self.meeting_record or "")
        return int(m.group(1)) if m else None

    @property
    def has_vote(self) -> bool:
        return self.in_favour_count is not None or bool(self.in_favour or self.against or self.abstaining)

    def title(self, lang: str) -> str:
        """'Draft resolution S/2024/312 (NOT adopted, vetoed by the United States)': every chunk's title."""
        s = self.symbol
        if not self.failed:  # a draft whose file records no failed vote: say only what is known
            return ByLang(f"Draft resolution {s} (no vote outcome in the file)", f"决议草案{s}(文件未载表决结果)").of(lang)
        veto = ByLang(f", vetoed by {join_en(self.vetoed_by)}", f"，{zh_names(self.vetoed_by)}否决") if self.vetoed_by else _NO_VETO
        return ByLang(f"Draft resolution {s} (NOT adopted{veto.en})", f"决议草案{s}(未获通过{veto.zh})").of(lang)

    def section_head(self, lang: str) -> str:
        """'S/2024/312 — draft resolution, not adopted (vetoed by the United States)': the head of every section."""
        s = self.symbol
        if not self.failed:
            return ByLang(f"{s} — draft resolution", f"{s} — 决议草案").of(lang)
        veto = ByLang(f" (vetoed by {join_en(self.vetoed_by)})", f"({zh_names(self.vetoed_by)}投否决票)") if self.vetoed_by else _NO_VETO
        return ByLang(f"{s} — draft resolution, not adopted{veto.en}", f"{s} — 决议草案，未获通过{veto.zh}").of(lang)

    def label(self, lang: str, base: str) -> str:
        if not self.failed:
            return f"决议草案{base}" if lang == "zh" else f"draft {base}"
        if lang == "zh":
            return f"决议草案{base}(未获通过)"
        return f"draft {base} (not adopted)"

    def vote_record(self) -> VoteRecord:
        return VoteRecord(
            adoption_date=self.date,
            meeting=f"{ordinal(self.meeting_number)} meeting" if self.meeting_number else None,
            meeting_record=self.meeting_record,
            adoption_type=self.outcome_text,
            in_favour=[display_name(n) for n in self.in_favour],
            against=[display_name(n) for n in self.against],
            abstaining=[display_name(n) for n in self.abstaining],
            in_favour_count=self.in_favour_count,
            against_count=self.against_count,
            abstaining_count=self.abstaining_count,
            sponsors=list(self.sponsors),
            draft=self.symbol,
            title=self.title("en"),
            outcome=self.outcome,
            vetoed_by=list(self.vetoed_by),
            conflicts=list(self.conflicts),
        )

    # ------------------------------------------------------------------ cards

    def _first_sentence_en(self) -> str:
        name = f"Draft resolution {self.symbol}"
        when = on_date(self.date, "en")
        where = ""
        if self.meeting_number:
            where = f" at the Security Council's {ordinal(self.meeting_number)} meeting ({self.meeting_record})"
        elif self.meeting_record:
            where = f" in the Security Council ({self.meeting_record})"
        if self.vetoed_by:
            who = join_en(self.vetoed_by)
            many = "permanent members" if len(self.vetoed_by) > 1 else "a permanent member"
            return (f"{name} was NOT adopted: it was vetoed by {who} ({many} of the Council voting against) "
                    f"when put to the vote{where}{when}.")
        return f"{name} was NOT adopted: it failed to obtain the required number of votes when put to the vote{where}{when}."

    def _first_sentence_zh(self) -> str:
        name = f"决议草案{self.symbol}"
        when = on_date(self.date, "zh")
        where = f"在安全理事会第{self.meeting_number}次会议({self.meeting_record})上" if self.meeting_number else (
            f"在安全理事会({self.meeting_record})" if self.meeting_record else "")
        if self.vetoed_by:
            return f"{name}{when}{where}付诸表决，因常任理事国{zh_names(self.vetoed_by)}投反对票(否决)而未获通过。"
        return f"{name}{when}{where}付诸表决，因未获得所需票数而未获通过。"

    def _vote_sentence(self, lang: str) -> str:
        counts = (self.in_favour_count or 0, self.against_count or 0, self.abstaining_count or 0)
        if lang == "zh":
            return "表决结果：{}票赞成、{}票反对、{}票弃权。".format(*counts)
        return "Vote: {} in favour, {} against, {} abstaining.".format(*counts)

    def _not_a_veto(self, lang: str) -> str:
        """A permanent member against a draft that lacked nine votes: said, and said not to be a veto."""
        if lang == "zh":
            return f"投反对票的常任理事国：{zh_names(self.permanent_against)}(不构成否决：草案未获得所需的九票赞成)。"
        return (f"Permanent members voting against: {join_and(self.permanent_against)} (not a veto: the draft did not "
                f"obtain the nine votes in favour required).")

    def _sponsors(self, lang: str) -> str | None:
        """The sponsors in `lang`; a Chinese file's own sponsor title is the Chinese card's list."""
        if lang == "zh" and self.lang == "zh" and self.sponsors_title:
            return self.sponsors_title
        return _names(self.sponsors, lang) if self.sponsors else None

    def card_sentences(self, lang: str) -> list[str]:
        """The draft card's facts in `lang` ('zh' or English), one sentence each.

        The outcome as the record words it is English text, so only the English card quotes it.
        """
        sentences = [self._first_sentence_zh() if lang == "zh" else self._first_sentence_en()]
        if self.vetoed_by:
            sentences.append(fact(lang, _VETOED_BY.of(lang), _names(self.vetoed_by, lang)))
        if self.in_favour_count is not None or self.against_count is not None or self.abstaining_count is not None:
            sentences.append(self._vote_sentence(lang))
        if self.in_favour or self.against or self.abstaining:
            lists = (self.in_favour, self.against, self.abstaining)
            sentences.extend(fact(lang, label.of(lang), _members(names, lang) or _NONE.of(lang))
                             for label, names in zip(_VOTE_LABELS, lists, strict=True))
        if not self.has_vote:
            sentences.append(_NO_VOTE.of(lang))
        if self.permanent_against and not self.vetoed_by:
            sentences.append(self._not_a_veto(lang))
        if sponsors := self._sponsors(lang):
            sentences.append(fact(lang, _SPONSORS.of(lang), sponsors))
        if self.outcome_text and lang != "zh":
            sentences.append(f"Outcome as recorded: {self.outcome_text.rstrip('.')}.")
        return sentences

    def cards(self, langs: list[str], path: str, recovered: str | None = None) -> list[Chunk]:
        record = CardRecord(
            doc_id=self.symbol,
            doc_kind=DOC_KIND,
            symbols=unique(s for s in (self.symbol, self.meeting_record) if s),
            section=ByLang(self.section_head("en"), self.section_head("zh")),
            title=ByLang(self.title("en"), self.title("zh")),
            date=self.date,
            vote=ByLang.same(self.vote_record()),
            path=path,
            recovered=recovered,
        )
        return build_cards(record, card_langs(langs), self.card_sentences)


_NO_VETO = ByLang.same("")
_VETOED_BY = ByLang("Vetoed by", "否决国")
_VOTE_LABELS = (ByLang("In favour", "投赞成票的国家"), ByLang("Against", "投反对票的国家"), ByLang("Abstaining", "弃权的国家"))
_NONE = ByLang("none", "无")
_NO_VOTE = ByLang("The record gives no vote counts or member lists.", "记录中没有表决票数或成员名单。")
_SPONSORS = ByLang("Sponsors", "提案国")


def _names(names: list[str], lang: str) -> str:
    """Display (or English) names as the card's language lists States."""
    return zh_names(names) if lang == "zh" else join_and(names)


def _members(names: list[str], lang: str) -> str:
    """Member names as the file gives them (upper case) as the card's language lists States."""
    return zh_names(names) if lang == "zh" else join_and([display_name(n) for n in names])


_PAREN = re.compile(r"\(([^()]*)\)")


def _vetoers_in(text: str) -> list[str]:
    """Permanent members named in "… negative vote of 2 permanent members … (China and Russian Federation)"."""
    found: list[str] = []
    for group in _PAREN.findall(text or ""):
        for name in split_names(group):
            if name_key(name) in PERMANENT:
                found.append(name_key(name))
    return unique(found)


def _resolve_double_listing(facts: DraftFacts) -> None:
    """A member listed under two votes (S/2023/638 lists China in favour and abstaining, 13 in favour
    counted, 14 listed) is kept only where the recorded counts have room for it; otherwise both
    listings stay and the conflict is reported."""
    keys = ("in_favour", "against", "abstaining")
    for name in unique(n for k in keys for n in getattr(facts, k)):
        where = [k for k in keys if name in getattr(facts, k)]
        if len(where) < 2:
            continue
        over = [k for k in where if getattr(facts, f"{k}_count") is not None
                and len(getattr(facts, k)) > getattr(facts, f"{k}_count")]
        if over and len(over) < len(where):
            for k in over:
                setattr(facts, k, [n for n in getattr(facts, k) if n != name])
            kept = [k for k in where if k not in over]
            facts.conflicts.append(
                f"{display_name(name)} is listed as {' and '.join(k.replace('_', ' ') for k in where)}; the counts "
                f"leave room only under {' and '.join(k.replace('_', ' ') for k in kept)}, where it is kept"
            )
        else:
            facts.conflicts.append(f"{display_name(name)} is listed as {' and '.join(k.replace('_', ' ') for k in where)}")


def draft_facts(doc: StdET.Element, symbol: str, lang: str, date: str | None) -> DraftFacts:
    """Vote, outcome, meeting record and sponsors of one draft, with the disagreements between them."""
    facts = DraftFacts(symbol=symbol, lang=lang, date=date)
    for node in doc.iter():
        name = _local(node.tag)
        if name == "step":
            _read_step(facts, node)
        elif name == "count":
            _read_count(facts, node)
        elif name == "docTitle" and node.get("refersTo") == "sponsors":
            title = _clean("".join(node.itertext()))
            title = re.sub(r"\s*[:：]\s*(draft resolution|决议草案)\s*$", "", title, flags=re.IGNORECASE)
            facts.sponsors_title = title or None
    facts.sponsors = unique(facts.sponsors)
    _resolve_double_listing(facts)
    if facts.has_vote:
        _check_counts(facts)
    _decide_veto(facts)
    return facts


def _read_step(facts: DraftFacts, node: StdET.Element) -> None:
    """A workflow step: the sponsors (draftResolution steps) or the outcome, its record and date (veto / notAdopted)."""
    outcome = _clean(node.get("outcome")).lower()
    by = _clean(node.get("by"))
    if outcome == "draftresolution" or outcome == "draftresolutionadditionalsponsors" and by:
        facts.sponsors.extend(split_names(by))
    elif outcome in ("veto", "notadopted"):
        facts.outcome_step = outcome
        facts.outcome_text = by or None
        record = _clean(node.get("as"))
        if record:
            facts.meeting_record = record
        if node.get("date") and not node.get("date", "").startswith("0001") and not facts.date:
            facts.date = node.get("date")


def _read_count(facts: DraftFacts, node: StdET.Element) -> None:
    """One `<count>` of the vote: its number (zero-padded in the files) and the members it names."""
    key = _COUNT_KEYS.get(_clean(node.get("refersTo")).lower().lstrip("#"))
    if key is None:
        return
    voters = [_clean("".join(o.itertext())) for o in node.iter() if _local(o.tag) == "organization"]
    setattr(facts, key, [v for v in voters if v])
    setattr(facts, f"{key}_count", _int(node.get("value")))


def _check_counts(facts: DraftFacts) -> None:
    """A count left out is the number of members listed (a zero count is omitted from the files);
    a count that disagrees with its list is reported."""
    for key in ("in_favour", "against", "abstaining"):
        names, count = getattr(facts, key), getattr(facts, f"{key}_count")
        if count is None:
            setattr(facts, f"{key}_count", len(names))
        elif names and count != len(names):
            facts.conflicts.append(f"{key.replace('_', ' ')} count {count} but {len(names)} members listed")


def _decide_veto(facts: DraftFacts) -> None:
    """Who vetoed: the permanent members voting against a draft the record says was vetoed (or that had
    nine votes in favour); a permanent member against a draft short of nine votes did not veto it."""
    permanent_against = [n for n in facts.against if name_key(n) in PERMANENT]
    facts.permanent_against = [display_name(n) for n in permanent_against]
    stated = _vetoers_in(facts.outcome_text or "")
    if facts.outcome_step == "veto":
        chosen = [name_key(n) for n in permanent_against] or stated
        if permanent_against and stated and set(stated) != {name_key(n) for n in permanent_against}:
            facts.conflicts.append(
                f"outcome names {', '.join(display_name(n) for n in stated)} as vetoing, the vote lists "
                f"{', '.join(facts.permanent_against)} against"
            )
        facts.vetoed_by = [display_name(n) for n in chosen]
        if not chosen:
            facts.conflicts.append("outcome says veto but no permanent member is named or listed against")
    elif permanent_against and (facts.in_favour_count or 0) >= REQUIRED_VOTES:
        facts.vetoed_by = list(facts.permanent_against)
        facts.conflicts.append("recorded as not adopted for lack of votes, but it had nine votes in favour and a "
                               "permanent member against: counted as a veto")
