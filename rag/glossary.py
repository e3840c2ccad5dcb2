"""A general en↔zh glossary of Security Council terminology, for matching across languages without MT.

Questions come in Chinese or English and the records in either; an offline system has no
translation model, so lexical matching across languages goes through this dictionary: Council and
peace-operations terms as UN Chinese documents translate them, and every Member State name of
`ingest.country_names`. It is deliberately general (never tuned to particular questions): a term
missing here only weakens lexical matching; the multilingual embedder still relates the texts.
"""

from __future__ import annotations

import re

from rag.sentences import en_terms, stem, zh_words

# Security Council and peace-operations terminology as UN Chinese documents translate it, plus every
# Member State name from ingest.country_names. It is deliberately general: a term missing here
# only weakens lexical cross-language matching; the dense similarity of the passage still counts.
_GLOSSARY_RAW: dict[str, tuple[str, ...]] = {
    "security council": ("安理会", "安全理事会"), "council": ("安理会",), "resolution": ("决议",),
    "presidential statement": ("主席声明",), "adopt": ("通过",), "vote": ("表决", "投票"),
    "voting": ("表决",), "unanimous": ("一致",), "unanimously": ("一致",), "abstain": ("弃权",),
    "abstention": ("弃权",), "against": ("反对",), "in favour": ("赞成",), "draft": ("草案",),
    "sponsor": ("提案国", "提出"), "chair": ("主持", "主席"), "preside": ("主持",), "president": ("主席",),
    "videoconference": ("视频会议",), "meeting": ("会议",), "agenda": ("议程",), "brief": ("通报",),
    "briefing": ("通报",), "peacekeeping": ("维和", "维持和平"), "peacekeeper": ("维和人员",),
    "peacekeeping operation": ("维和行动", "维持和平行动"), "peace operation": ("和平行动",),
    "peacebuilding": ("建设和平",), "human rights": ("人权",), "police": ("警察", "警务"),
    "police commissioner": ("警务专员",), "force commander": ("部队指挥官",), "commander": ("指挥官",),
    "special representative": ("特别代表",), "envoy": ("特使",), "mission": ("特派团", "稳定团"),
    "secretary-general": ("秘书长",), "under-secretary-general": ("副秘书长",),
    "assistant secretary-general": ("助理秘书长",), "secretariat": ("秘书处",),
    "member state": ("会员国",), "troop-contributing": ("部队派遣国",), "police-contributing": ("警察派遣国",),
    "women": ("妇女", "女性"), "woman": ("妇女", "女性"), "gender": ("性别",), "safety": ("安全",),
    "security": ("安全", "安保"), "host": ("东道国",), "government": ("政府",), "civilian": ("平民", "文职"),
    "protection": ("保护",), "report": ("报告",), "letter": ("信",), "record": ("记录",),
    "document": ("文件",), "mandate": ("任务", "授权"), "sanction": ("制裁",), "embargo": ("禁运",),
    "ceasefire": ("停火",), "election": ("选举",), "general assembly": ("大会",), "member": ("成员",),
    "request": ("请", "要求"), "call": ("呼吁", "促请"), "urge": ("敦促", "促请"), "encourage": ("鼓励",),
    "decide": ("决定",), "condemn": ("谴责",), "welcome": ("欢迎",), "stress": ("强调", "着重指出"),
    "endorse": ("核可", "赞同"), "demand": ("要求",), "authorize": ("授权",),
    "emphasize": ("强调",), "underscore": ("强调", "着重指出"), "reaffirm": ("重申",), "recall": ("回顾",),
    "express": ("表示",), "concern": ("关切",), "regret": ("遗憾",), "speaker": ("发言者",),
    "representative": ("代表",), "statement": ("发言", "声明"), "united nations": ("联合国",), "un": ("联合国",),
    "training": ("培训",), "medical": ("医疗",), "pandemic": ("大流行",), "covid-19": ("COVID-19",),
    "accountability": ("问责",), "performance": ("业绩", "绩效"), "political": ("政治",),
    "conflict": ("冲突",), "humanitarian": ("人道主义",), "terrorism": ("恐怖主义",), "budget": ("预算",),
    "minister": ("部长",), "foreign minister": ("外交部长",), "prime minister": ("总理",),
    "defence": ("国防",), "defense": ("国防",), "federal": ("联邦",), "ambassador": ("大使",),
    "delegation": ("代表团",), "permanent representative": ("常驻代表",), "high commissioner": ("高级专员",),
    "deputy": ("副",), "head": ("团长", "负责人"), "initiative": ("倡议",), "open": ("公开",),
    "annual": ("年度",), "reform": ("改革",), "action for peacekeeping": ("以行动促维和",),
    "sexual exploitation and abuse": ("性剥削和性虐待",), "civil society": ("民间社会",),
    "regional organization": ("区域组织",), "african union": ("非洲联盟", "非盟"),
    "include": ("纳入", "列入", "包括"), "incorporate": ("纳入",), "integrate": ("纳入", "融入"),
    "disaggregated": ("分列",), "food insecurity": ("粮食不安全",), "famine": ("饥荒",), "starvation": ("饥饿",),
    "country-specific": ("国别",),
}


def _with_states(glossary: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Add every State the country table knows, under its English display name."""
    from ingest.country_names import all_states

    merged = dict(glossary)
    for english, chinese in all_states():
        merged.setdefault(english.lower(), (chinese,))
    return merged


_GLOSSARY_RAW = _with_states(_GLOSSARY_RAW)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in re.findall(r"[A-Za-z][A-Za-z\-]*", phrase))


GLOSSARY_EN: dict[tuple[str, ...], tuple[str, ...]] = {_key(k): v for k, v in _GLOSSARY_RAW.items()}
GLOSSARY_ZH: dict[str, set[tuple[str, ...]]] = {}
for _k, _v in GLOSSARY_EN.items():
    for _z in _v:
        GLOSSARY_ZH.setdefault(_z, set()).add(_k)



def translate(text: str, lang: str) -> list[str]:
    """Other-language renderings of the glossary terms found in `text` (written in `lang`).

    English phrases are matched on stems, longest first ("police commissioner" before "police");
    Chinese terms by jieba words.
    """
    out: list[str] = []
    if lang == "zh":
        for w in zh_words(text):
            for key in GLOSSARY_ZH.get(w, ()):
                out.append(" ".join(key))
        return list(dict.fromkeys(out))
    for _, key in match_phrases(en_terms(text)):
        out.extend(GLOSSARY_EN[key])
    return list(dict.fromkeys(out))


def match_phrases(words: list[str]) -> list[tuple[range, tuple[str, ...]]]:
    """Glossary phrases among stemmed `words`, longest first, never overlapping: (positions, key)."""
    found: list[tuple[range, tuple[str, ...]]] = []
    used: set[int] = set()
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            span = range(i, i + n)
            key = tuple(words[i:i + n])
            if key in GLOSSARY_EN and not used.intersection(span):
                used.update(span)
                found.append((span, key))
    return found
