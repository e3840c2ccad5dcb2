"""The Council's acts: what an operative paragraph does, and to whom, and which act a question asks about.

An operative paragraph of a resolution or statement opens with its act and, for most acts, the one
it is addressed to: "Requests the Secretary-General to incorporate reporting on this resolution
within his biennial report …", "请秘书长…", "The Security Council urges all parties …". A question
naming an act and its addressee ("安理会…的决议，要求秘书长把该决议的执行情况纳入哪一份报告中？",
"What did resolution 2538 ask the Secretary-General to do?") is answered by a paragraph performing
that act on that addressee, not by one that mentions the Secretary-General's reports in passing
("Decides to continue … the Secretary-General's reports …"), however many words the two share.

Acts addressed to someone are read with an addressee both sides name: one of a short list held in
both languages (the Secretary-General, Member States, the parties), or in English any capitalised
name ("Calls on the Rwanda Defence Forces …"), matched by its words. A verb alone ("请", "要求",
"calls for") is too common in questions and texts to say what is asked, except where the question
asks what the act itself was ("What did the Council demand in resolution 2728 (2024)?",
"安理会…要求什么？"): that is a bare act (addressee `ANY`), performed by every paragraph opening with
the verb, whoever it addresses ("Demands an immediate ceasefire …"). Chinese 要求 is both "Requests"
and "Demands" in the official texts, so it stands for both.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# act: (English verbs as a question writes them, English paragraph openings, Chinese verbs)
_VERBS: dict[str, tuple[str, str, str]] = {
    "request": (r"request(?:s|ed|ing)?|ask(?:s|ed|ing)?", r"requests?", r"请|要求|请求"),
    "demand": (r"demand(?:s|ed|ing)?", r"demands?", r"要求"),
    "call": (r"call(?:s|ed|ing)?\s+(?:(?:up)?on|for)", r"calls?\s+(?:(?:up)?on|for)", r"吁请|呼吁|促请"),
    "urge": (r"urg(?:e|es|ed|ing)", r"urges?", r"敦促"),
    "encourage": (r"encourag(?:e|es|ed|ing)", r"encourages?", r"鼓励"),
    "authorize": (r"authori[sz](?:e|es|ed|ing)", r"authori[sz]es?", r"授权"),
}
# addressee: (English, Chinese)
_ADDRESSEES: dict[str, tuple[str, str]] = {
    "secretary-general": (r"(?:the\s+)?Secretary[- ]General", r"秘书长"),
    "member states": (r"(?:all\s+)?Member\s+States", r"(?:所有|各)?会员国"),
    "parties": (r"(?:all\s+)?(?:the\s+)?parties", r"(?:所有|冲突)?各方"),
}


ANY = ""  # the addressee of a bare act: whoever the paragraph addresses, or nobody


class Act(NamedTuple):
    """One act: its verb class ("request", "urge" …) and its addressee ("secretary-general" …)."""

    verb: str
    addressee: str


def _group(addressee: str) -> str:
    """The regex group name of an addressee ("secretary-general" → "secretary_general")."""
    return addressee.replace("-", "_").replace(" ", "_")


def _alternation(parts: dict[str, str]) -> str:
    return "|".join(f"(?P<{_group(k)}>{v})" for k, v in parts.items())


_ADDRESSEE_EN = _alternation({k: v[0] for k, v in _ADDRESSEES.items()})
_ADDRESSEE_ZH = _alternation({k: v[1] for k, v in _ADDRESSEES.items()})
# an operative paragraph's opening: a sub-paragraph letter, "The Security Council", an adverb, the
# verb, an adverb again ("Requests further the Secretary-General"), the addressee
_ADVERB_EN = r"(?:(?:also|further|again|once again|strongly|further also|in this regard|in particular),?\s+)"
# what may precede the verb: a sub-paragraph letter, "The Security Council", an adverb
_LEAD_EN = r"^\W{0,3}(?:\(?[a-z0-9]{1,3}[.)]\s*)?(?:The\s+(?:Security\s+)?Council\s+)?" + _ADVERB_EN + "?"
_LEAD_ZH = r"^\W{0,3}(?:\(?[a-z0-9]{1,3}[.)）]\s*)?(?:安全理事会|安理会)?(?:又|还|并|再次|进一步|强烈|也|为此|在这方面|在此方面){0,2}"
_OPENING_EN = re.compile(
    _LEAD_EN + r"(?P<verb>" + "|".join(v[1] for v in _VERBS.values()) + r")\s+" + _ADVERB_EN + "?"
    r"(?:" + _ADDRESSEE_EN + r")\b", re.I)
_OPENING_ZH = re.compile(
    _LEAD_ZH + r"(?P<verb>" + "|".join(v[2] for v in _VERBS.values()) + r")(?:" + _ADDRESSEE_ZH + r")")
_ASKED_EN = re.compile(
    r"\b(?P<verb>" + "|".join(v[0] for v in _VERBS.values()) + r")\s+(?:" + _ADDRESSEE_EN + r")\b", re.I)
# "the Secretary-General was requested to", "was the Secretary-General asked to"
_ASKED_EN_PASSIVE = re.compile(
    r"\b(?:(?:" + _ADDRESSEE_EN + r")\s+(?:is|was|were|are|has been|have been)"
    r"|(?:is|was|were|are|has|have)\s+(?:" + _ADDRESSEE_EN.replace("?P<", "?P<p_") + r")\s+(?:been\s+)?)\s*(?P<verb>"
    + "|".join(v[0] for v in _VERBS.values()) + r")\b", re.I)
# any other addressee an English text names: a capitalised name ("Calls on the Rwanda Defence
# Forces to cease support to the M23"), matched by its words
_NAMED_EN = r"(?:the\s+)?(?P<named>[A-Z][\w’'-]+(?:\s+(?:of\s+|and\s+|for\s+|the\s+)*[A-Z][\w’'-]+){0,5})"
_OPENING_NAMED_EN = re.compile(
    r"^\W{0,3}(?:\(?[a-z0-9]{1,3}[.)]\s*)?(?:The\s+(?:Security\s+)?Council\s+)?(?i:" + _ADVERB_EN + "?"
    r"(?P<verb>" + "|".join(v[1] for v in _VERBS.values()) + r")\s+" + _ADVERB_EN + "?)" + _NAMED_EN)
_ASKED_NAMED_EN = re.compile(r"\b(?i:(?P<verb>" + "|".join(v[0] for v in _VERBS.values()) + r"))\s+" + _NAMED_EN)
_ASKED_ZH = re.compile(r"(?P<verb>" + "|".join(v[2] for v in _VERBS.values()) + r")(?:" + _ADDRESSEE_ZH + r")")

# a paragraph opening with a verb, whatever follows ("Demands an immediate ceasefire", "要求立即停火")
_BARE_OPENING_EN = re.compile(_LEAD_EN + r"(?P<verb>" + "|".join(v[1] for v in _VERBS.values()) + r")\b", re.I)
_BARE_OPENING_ZH = re.compile(_LEAD_ZH + r"(?P<verb>" + "|".join(v[2] for v in _VERBS.values()) + r")")
# a question asking what the act was: "What did the Council demand (in …)?", "What did resolution
# 2728 (2024) call for?", "安理会在第2728(2024)号决议中要求什么？", "…要求了哪些事项"
_ASKED_BARE_EN = re.compile(
    r"\bwhat\s+(?:did|does|do|has|have|had)\s+(?:it|they|the\s+(?:Security\s+)?Council|the\s+resolution|the\s+statement|"
    r"(?:resolution|statement)\s+[\w/()., ]{1,25}?)\s+(?P<verb>" + "|".join(v[0] for v in _VERBS.values()) + r")"
    r"\s*(?:\?|$|\b(?:in|of|from|regarding|about|concerning|on|with|when|after|under|for)\b)", re.I)
_ASKED_BARE_ZH = re.compile(r"(?P<verb>" + "|".join(v[2] for v in _VERBS.values()) + r")(?:了)?(?:什么|哪些|何事|哪几)")


# an act narrated by an account of the Council's practice (the Repertoire): "安理会一致通过第2538(2020)号
# 决议，其中促请会员国…", "此外，安理会还促请会员国…", "in which it called upon Member States …"
_NARRATED_ZH = re.compile(r"(?:其中|安理会|安全理事会)(?:还|也|又|并|再次|进一步)?(?P<verb>"
                          + "|".join(v[2] for v in _VERBS.values()) + r")(?:" + _ADDRESSEE_ZH + r")")
_NARRATED_EN = re.compile(r"\b(?:it|the (?:Security )?Council)\s+(?:also\s+|further\s+|again\s+)?(?P<verb>"
                          + "|".join(v[0] for v in _VERBS.values()) + r")\s+(?:" + _ADDRESSEE_EN + r")\b", re.I)


def _verbs_of(word: str, zh: bool, question: bool) -> set[str]:
    """The verb classes a matched verb stands for."""
    w = word.lower()
    out = set()
    for verb, (asked, opening, chinese) in _VERBS.items():
        pattern = chinese if zh else (asked if question else opening)
        if re.fullmatch(pattern, w, re.I):
            out.add(verb)
    return out


def _addressee_of(m: re.Match) -> str:
    if m.groupdict().get("named"):
        return " ".join(m.group("named").lower().split())
    groups = {g.removeprefix("p_") for g, v in m.groupdict().items() if v and g != "verb"}
    return next(k for k in _ADDRESSEES if _group(k) in groups)


def opening_acts(text: str) -> frozenset[Act]:
    """The acts a paragraph (or sentence) opens with: "Requests the Secretary-General to …" →
    {request, secretary-general} and the bare {request, ANY}; "要求各方…" → {request, parties},
    {demand, parties} and both bare; none for a paragraph that does not open with an act."""
    out: set[Act] = set()
    for pattern, zh in ((_OPENING_EN, False), (_OPENING_ZH, True), (_OPENING_NAMED_EN, False)):
        m = pattern.match(text or "")
        if m:
            addressee = _addressee_of(m)
            out.update(Act(v, addressee) for v in _verbs_of(m.group("verb"), zh, question=False))
            break
    for pattern, zh in ((_BARE_OPENING_EN, False), (_BARE_OPENING_ZH, True)):
        m = pattern.match(text or "")
        if m:
            out.update(Act(v, ANY) for v in _verbs_of(m.group("verb"), zh, question=False))
            break
    return frozenset(out)


def asked_acts(question: str) -> frozenset[Act]:
    """The addressed acts a question asks about: "要求秘书长把…纳入哪一份报告中" → {request,
    secretary-general} and {demand, secretary-general}; "What did the Council urge all parties to
    do?" → {urge, parties}; "What did the Council demand in resolution 2728 (2024)?" → the bare
    {demand, ANY}. Empty when it names no act with an addressee and does not ask what the act was."""
    out: set[Act] = set()
    for pattern, zh in ((_ASKED_EN, False), (_ASKED_EN_PASSIVE, False), (_ASKED_ZH, True), (_ASKED_NAMED_EN, False)):
        if pattern is _ASKED_NAMED_EN and out:
            break
        for m in pattern.finditer(question or ""):
            addressee = _addressee_of(m)
            out.update(Act(v, addressee) for v in _verbs_of(m.group("verb"), zh, question=True))
    if not out:
        for pattern, zh in ((_ASKED_BARE_EN, False), (_ASKED_BARE_ZH, True)):
            for m in pattern.finditer(question or ""):
                out.update(Act(v, ANY) for v in _verbs_of(m.group("verb"), zh, question=True))
    return frozenset(out)


def narrated_acts(text: str) -> frozenset[Act]:
    """The acts an account of the Council's practice says the Council performed: "…通过第2538(2020)号
    决议，其中促请会员国…" → {call, member states}."""
    out: set[Act] = set()
    for pattern, zh in ((_NARRATED_ZH, True), (_NARRATED_EN, False)):
        for m in pattern.finditer(text or ""):
            out.update(Act(v, _addressee_of(m)) for v in _verbs_of(m.group("verb"), zh, question=True))
    return frozenset(out)


def acts_in(text: str, doc_kind: str = "") -> frozenset[Act]:
    """The acts a passage performs: those it opens with and, for an account of the Council's
    practice (a Repertoire passage, `doc_kind` "repertoire", which tells what the Council did),
    those it says the Council performed. A record's own paragraph recalling an earlier act
    ("回顾…第2242(2015)号决议，其中请秘书长…") does not perform it."""
    opening = opening_acts(text)
    return opening | narrated_acts(text) if doc_kind == "repertoire" else opening


def performs(paragraph: str, acts: frozenset[Act], doc_kind: str = "") -> bool:
    """Whether the passage performs one of `acts` (`acts_in`)."""
    return bool(acts) and bool(acts_in(paragraph, doc_kind) & acts)
