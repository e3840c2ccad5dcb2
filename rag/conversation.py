"""Follow-up questions → standalone retrieval queries, by deterministic rules (no LLM).

`rewrite_query(question, history)` where `history` is the list of (user question, answer) turns
before this one:
- "那第2538号决议呢？" / "and what about 2538?" / "What about resolution 2538 (2020)?": the question
  names a new entity (resolution number or symbol) and no predicate of its own → the previous
  (standalone) question with its resolution reference replaced by the new one.
- "它是哪天通过的？" / "When was it adopted?" / "该决议的表决结果如何？": a pronoun or "that
  resolution" → replaced by the resolution the previous question named.
- Anything else (a standalone question) is returned unchanged.
Earlier turns are rewritten first, so chains of follow-ups resolve to the last named resolution.
"""

from __future__ import annotations

import re
from typing import Sequence

from ingest.symbols import find_symbols, resolution_numbers_in

_ZH_RES_REF = re.compile(r"第?\s*\d{3,4}\s*(?:[(（]\s*\d{4}\s*[)）])?\s*号(?:决议)?")
_EN_RES_REF = re.compile(r"\b(?:[Rr]esolution|S/RES/)\s*(?:No\.?\s*)?\d{3,4}(?:\s*[(（]\s*\d{4}\s*[)）])?")
_ZH_FOLLOW = re.compile(r"^\s*(?:那么?|那|还有|再问一下|另外|以及)?\s*(.*?)\s*(?:呢|怎么样|又如何|如何呢|又怎样)?\s*[？?。]?\s*$")
_EN_FOLLOW = re.compile(r"^\s*(?:and\s+|but\s+|so\s+)?(?:what|how)\s+about\s+(.*?)\s*[?.!]?\s*$", re.I)
_ZH_PRONOUN = re.compile(r"该决议|这项决议|此项决议|这个决议|那项决议|此决议|这一决议|上述决议|该项决议|它")
_EN_PRONOUN = re.compile(r"\b(?:that|this|the same|the said|said)\s+resolution\b|\bit\b|\bits\b", re.I)


def _res_ref(question: str) -> tuple[str, int, int] | None:
    """The first resolution reference in a question: (text, start, end)."""
    spans = [(m.group(0), m.start(), m.end()) for m in _ZH_RES_REF.finditer(question)]
    spans += [(m.group(0), m.start(), m.end()) for m in _EN_RES_REF.finditer(question)]
    spans += [(question[m.start:m.end], m.start, m.end) for m in find_symbols(question) if m.symbol.startswith("S/RES/")]
    spans.sort(key=lambda s: s[1])
    return spans[0] if spans else None


def _new_number(question: str) -> tuple[int, str | None] | None:
    """Resolution number (and year) a follow-up names, including a bare '2538' or '2538(2020)'."""
    m = re.search(r"(?<![\d/])(\d{3,4})\s*(?:[(（]\s*(\d{4})\s*[)）])?", question)
    nums = resolution_numbers_in(question)
    if nums:
        y = re.search(rf"{nums[0]}\s*[(（]\s*(\d{{4}})\s*[)）]", question)
        return nums[0], (y.group(1) if y else None)
    if m and not re.fullmatch(r"(19|20)\d\d", m.group(1)) or (m and m.group(2)):
        return int(m.group(1)), m.group(2)
    return None


def _format_ref(number: int, year: str | None, zh: bool, like: str) -> str:
    if zh or re.search(r"[\u4e00-\u9fff]", like):
        return f"第{number}({year})号决议" if year else f"第{number}号决议"
    if like.upper().startswith("S/RES"):
        return f"S/RES/{number}({year})" if year else f"S/RES/{number}"
    return f"resolution {number} ({year})" if year else f"resolution {number}"


def _is_zh(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _rewrite_one(question: str, previous: str | None) -> str:
    q = question.strip()
    if not previous:
        return q
    prev_ref = _res_ref(previous)
    zh = _is_zh(q)
    # 1. "what about X?" — X a resolution (or another entity)
    follow = _EN_FOLLOW.match(q) if not zh else None
    zh_follow = None
    if zh:
        m = _ZH_FOLLOW.match(q)
        if m and (q.rstrip("？? ").endswith(("呢", "怎么样", "又如何", "又怎样")) or re.match(r"^\s*(那|还有)", q)):
            zh_follow = m
    target = follow.group(1) if follow else (zh_follow.group(1) if zh_follow else None)
    if target is not None and len(target) <= 40:
        new = _new_number(target)
        if new and prev_ref:
            ref_text, a, b = prev_ref
            return previous[:a] + _format_ref(new[0], new[1], False, ref_text) + previous[b:]
        if new:
            return f"{_format_ref(new[0], new[1], _is_zh(previous), previous)} {previous}"
        if target.strip():
            # another entity: keep the previous question's intent, add the new entity
            return f"{target.strip()} {previous}" if zh else f"{previous} ({target.strip()})"
    # 2. pronouns → the resolution the previous question named
    if prev_ref and not _res_ref(q):
        ref_text = prev_ref[0].strip()
        if zh and _ZH_PRONOUN.search(q):
            zh_ref = ref_text if _is_zh(ref_text) else _format_ref(*(_new_number(ref_text) or (0, None)), True, "决议")
            return _ZH_PRONOUN.sub(zh_ref, q, count=1)
        if not zh and _EN_PRONOUN.search(q):
            en_ref = ref_text if not _is_zh(ref_text) else _format_ref(*(_new_number(ref_text) or (0, None)), False, "")

            def sub(m: re.Match) -> str:
                return en_ref + ("'s" if m.group(0).lower() == "its" else "")

            return _EN_PRONOUN.sub(sub, q, count=1)
    return q


def rewrite_query(question: str, history: Sequence[tuple[str, str]] = ()) -> str:
    """A standalone retrieval query for `question` given the earlier (question, answer) turns."""
    previous: str | None = None
    for turn in history:
        user = turn[0] if isinstance(turn, (tuple, list)) else str(turn)
        if user and user.strip():
            previous = _rewrite_one(user, previous)
    return _rewrite_one(question, previous)
