"""Fixture chunks (adapted from data/sample) and an in-memory `DenseIndex` for retrieval tests.

Independent of the parsers: ids, sections and card texts are plausible, not what ingest produces.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
import pytest

from ingest.chunk import Chunk, Footnote, Source, VoteRecord, chunk_id

REP = "Repertoire/2020/Part1/23"
REP_SECTION_ZH = "专题问题 > 23. 联合国维持和平行动"
REP_SECTION_EN = "Thematic issues > 23. United Nations peacekeeping operations"
R2518 = "S/RES/2518(2020)"
R2538 = "S/RES/2538(2020)"


def _fn(number, text, symbol=None, paragraphs=(), lang="zh"):
    link = f"https://undocs.org/{'ch' if lang == 'zh' else 'en'}/{symbol}" if symbol else None
    return Footnote(number=str(number), text=text, symbol=symbol, paragraphs=list(paragraphs), link=link)


def _rep(lang, para, text, footnotes=(), symbols=(), date=None, kind="paragraph", label=None, vote=None):
    fns = list(footnotes)
    syms = list(dict.fromkeys([*symbols, *(f.symbol for f in fns if f.symbol)]))
    return Chunk(
        id=chunk_id(REP, lang, kind, para),
        doc_id=REP,
        kind=kind,
        lang=lang,
        section=REP_SECTION_ZH if lang == "zh" else REP_SECTION_EN,
        paragraph=para if kind == "paragraph" else None,
        text=text,
        footnotes=fns,
        symbols=syms,
        source=Source(path=f"repertoire-2020-part1-s23.{lang}.txt", lines=(para * 10, para * 10 + 9)),
        title="联合国维持和平行动" if lang == "zh" else "United Nations peacekeeping operations",
        date=date,
        label=label,
        vote=vote,
    )


def _res(doc, lang, n, text, date):
    return Chunk(
        id=chunk_id(doc, lang, "resolution_paragraph", f"op{n}"),
        doc_id=doc,
        kind="resolution_paragraph",
        lang=lang,
        section="执行部分" if lang == "zh" else "Operative",
        paragraph=n,
        text=text,
        symbols=[],
        source=Source(path=f"{doc}.{lang}.xml"),
        title="第2518(2020)号决议" if lang == "zh" else "Resolution 2518 (2020)",
        date=date,
        label=f"operative {n}",
    )


VOTE_2518 = VoteRecord(
    adoption_date="2020-03-30", meeting="Voting by mail", adoption_type="Adopted unanimously; voting by mail",
    in_favour_count=15, against_count=0, abstaining_count=0, draft="S/2020/240", agenda_item="United Nations peacekeeping operations",
    sponsors=["ALGERIA", "ANGOLA", "ARMENIA", "CHINA"], title="Security Council resolution 2518 (2020) [on safety and security of "
                                                              "peacekeepers]",
)
VOTE_2538 = VoteRecord(
    adoption_date="2020-08-28", meeting="Voting by mail", adoption_type="Adopted unanimously", in_favour_count=15,
    against_count=0, abstaining_count=0, draft="S/2020/851", title="Security Council resolution 2538 (2020) [on women in peacekeeping]",
)


def _card(doc, lang, text, vote, date):
    return Chunk(
        id=chunk_id(doc, lang, "document_card", 0), doc_id=doc, kind="document_card", lang=lang, text=text,
        symbols=[doc, vote.draft], source=Source(path="data_extract/2020.json"), title=vote.title, date=date, vote=vote,
    )


def make_chunks() -> list[Chunk]:
    zh = [
        _rep("zh", 1, "在本文件所述期间，安理会没有就题为“联合国维持和平行动”的项目举行任何会议，但就该项目举行了六次公开视频会议。"
             "此外，安理会还通过了关于联合国维和人员安全和安保的第 2518(2020)号决议以及关于妇女在维和工作中作用的第 2538(2020)号决议。"
             "这些决议是根据COVID-19大流行疫情暴发后制定的程序在公开视频会议上宣布的。639",
             [_fn(639, "关于 COVID-19 大流行期间制定的程序和工作方法的更多信息，见第二部分。")], symbols=[R2518, R2538]),
        _rep("zh", 3, "3 月 30 日，安理会一致通过了第 2518(2020)号决议，其中特别指出必须确保特派团提高能力并完善机制，"
                      "以便在特定作业环境中保持敏捷和有效执行任务，"
             "以加强安全和安保及特派团保护，包括提供适足的医疗设施和关键能力。640 在这方面，安理会请秘书长继续采用一切适当措施，"
             "视情加强特派团态势感知。641",
             [_fn(640, "第 2518(2020)号决议，第 4 段。", R2518, [4]), _fn(641, "同上，第 5 段。", R2518, [5])], date="2020-03-30"),
        _rep("zh", 5, "6 月 4 日，安理会成员在公开视频会议646 上听取若干联合国维和行动部队指挥官进行年度通报。"
                      "主管和平行动副秘书长在视频会议开始时表示，"
             "维和行动、包括其军事部分展现了适应 COVID-19 大流行的能力。",
             [_fn(646, "见 S/2020/514。", "S/2020/514")], date="2020-06-04"),
        _rep("zh", 6, "马里稳定团和南苏丹特派团部队指挥官以及观察员部队副指挥官还在发言中重点介绍了各自特派团为防止疫情传播和确保任务行"
                      "动连续性而采取的步骤。"
             "马里稳定团部队指挥官指出，稳定团军事部分执行严格的隔离政策，严格将空中行动作为优先，并下达限制巡逻队与民众互动的具体指令。"),
        _rep("zh", 7, "观察员部队副指挥官向安理会成员通报了恢复对停火线阿尔法一侧和布拉沃一侧进行军事检查的计划和努力。"
             "她指出，主要的行动挑战在于，违反《以色列和叙利亚部队脱离接触协定》的事件持续不断。"),
        _rep("zh", 8, "7 月 7 日，在德国的倡议下，647 安理会成员举行了由德国联邦国防部长主持的关于和平行动与人权的公开视频会议。648 "
             "联合国人权事务高级专员向安理会成员通报情况时表示，其赞同这样一个观点，即人权是安理会维护国际和平与安全任务的核心。",
             [_fn(647, "安理会面前有 2020 年 6 月 26 日的信(S/2020/604)所附概念说明。", "S/2020/604"),
              _fn(648, "见 S/2020/674。", "S/2020/674")],
             date="2020-07-07"),
        _rep("zh", 11, "负责南苏丹问题秘书长特别代表兼南苏丹特派团团长指出，人权是特派团的核心业务。"
                       "南苏丹特派团将其人权工作方法划分为三个主要分支："
             "通过提出可靠报告和迅速开展调查，进行记录并追究施暴者责任；通过流动法院进行能力建设；通过行动计划与政府接触。"),
        _rep("zh", 12, "一些发言者对人权专题被政治化表示遗憾。650 中国和俄罗斯联邦代表强调指出，人权应服务和平行动的主要目标，"
             "即支持热点问题政治解决，以及促进和解与建设和平。651",
             [_fn(650, "俄罗斯联邦、南非和斯里兰卡。"), _fn(651, "中国和俄罗斯联邦。")]),
        _rep("zh", 14, "8月 28日，安理会一致通过第 2538(2020)号决议，其中促请会员国、秘书处和区域组织加强集体努力，"
             "促进女性军警和文职人员充分、有效和有意义地参与维和行动的各级工作并担任所有职务，包括高级领导职务。655",
             [_fn(655, "第 2538(2020)号决议，第 1 段。该决议由安理会所有成员提出。", R2538, [1])], date="2020-08-28"),
        _rep("zh", 16, "11 月 4 日，安理会成员通过公开视频会议与警务专员举行年度会议。660 "
                       "主管法治和安全机构助理秘书长在开幕词中概述并举例说明了和平行动警察部分的工作。",
             [_fn(660, "见 S/2020/1092。", "S/2020/1092")], date="2020-11-04"),
        _rep("zh", 18, "中非稳定团警务专员着重指出，为进一步提高联合国警察的业绩，有必要为其提供“关注、空间和余地”。"
             "在这方面，他指出稳定团警察部分取得的成绩，特别是在利用社区警务改善班吉 PK5 区的安全局势方面。"),
        _rep("zh", 19, "突尼斯代表代表安理会非洲成员国及圣文森特和格林纳丁斯发言，请秘书长向安理会提交一份关于 2021 "
                       "年联合国警务工作动态的报告，"
             "因为上一份关于联合国警务工作的报告是在 2018 年发布。"),
        _rep("zh", 1, "2020 年 3 月 30 日 a S/2020/268 2020 年 3 月 31 日安全理事会主席给秘书长和安全理事会成员国常驻代表的信 第 "
                      "2518(2020)号决议 15-0-0 S/2020/249",
             [_fn("a", "由于技术上的困难，没有举行公开视频会议宣布对第 2518(2020)号决议的表决情况，而是举行了非公开视频会议。")],
             symbols=["S/2020/268", R2518, "S/2020/249"], date="2020-03-30", kind="table_row", label="2020-03-30", vote=VOTE_2518),
        _rep("zh", 6, "2020 年 11 月 4 日 S/2020/1092 2020 年 11 月 6 日安全理事会主席给秘书长和安全理事会成员国常驻代表的信",
             symbols=["S/2020/1092"], date="2020-11-04", kind="table_row", label="2020-11-04"),
    ]
    en = [
        _rep("en", 3, "On 30 March, the Council unanimously adopted resolution 2518 (2020), in which it underscored the importance of "
                      "ensuring that missions "
             "evolve their capacities and systems to remain agile and effective in implementing their mandates, including by providing "
             "adequate medical facilities.640",
             [_fn(640, "Resolution 2518 (2020), para. 4.", R2518, [4], "en")], date="2020-03-30"),
        _rep("en", 8, "On 7 July, at the initiative of Germany, Council members held an open videoconference on peace operations and "
                      "human rights, "
             "chaired by the Federal Minister of Defence of Germany.648",
             [_fn(648, "See S/2020/674.", "S/2020/674", lang="en")], date="2020-07-07"),
    ]
    res = [
        _res(R2518, "zh", 8, "8. 请联合国维和行动加强与东道国政府、地方当局和民众的接触和沟通，以建立信任和相互理解，改善安全和安保；",
             "2020-03-30"),
        _res(R2518, "en", 8, "8. Requests United Nations peacekeeping operations to enhance engagements and communications with the "
                             "host governments, "
             "the local authorities and the population to build trust and mutual understanding and improve safety and security;",
             "2020-03-30"),
        _res(R2518, "zh", 9, "9. 呼吁采取措施增强职业健康支持，确保在特派团整个任务期部署适足的医疗设施及合格人员，"
                             "在任务区内随时提供必要的10-1-2响应；", "2020-03-30"),
        _res(R2518, "en", 9, "9. Calls for measures to enhance operational health support, ensure adequate medical facilities and "
                             "qualified personnel are deployed "
             "to provide the essential 10-1-2 response at all times in the mission area;", "2020-03-30"),
    ]
    cards = [
        _card(R2518, "en", "Resolution 2518 (2020) [on safety and security of peacekeepers]. Adopted by the Security Council on 30 "
                           "March 2020 (voting by mail). "
              "Vote: 15-0-0, adopted unanimously. Draft resolution: S/2020/240. Agenda item: United Nations peacekeeping operations.",
              VOTE_2518, "2020-03-30"),
        _card(R2518, "zh", "第2518(2020)号决议[关于维和人员的安全和安保]。安全理事会2020年3月30日通过(以通信方式表决)。表决结果："
                           "15-0-0，一致通过。决议草案：S/2020/240。",
              VOTE_2518, "2020-03-30"),
        _card(R2538, "en", "Resolution 2538 (2020) [on women in peacekeeping]. Adopted by the Security Council on 28 August 2020. Vote:"
                           " 15-0-0. Draft resolution: S/2020/851.",
              VOTE_2538, "2020-08-28"),
    ]
    return zh + en + res + cards


# ---------------------------------------------------------------- fake store


def hash_embed(text: str, dim: int = 256) -> np.ndarray:
    """Deterministic toy embedder: hashed character bigrams (and Latin words), L2-normalised."""
    t = unicodedata.normalize("NFKC", text).lower()
    feats = [t[i : i + 2] for i in range(len(t) - 1) if not t[i : i + 2].isspace()] + re.findall(r"[a-z0-9]+", t)
    v = np.zeros(dim, dtype=np.float32)
    for f in feats:
        v[int.from_bytes(hashlib.md5(f.encode()).digest()[:4], "little") % dim] += 1.0
    n = np.linalg.norm(v)
    return v / n if n else v


class FakeStore:
    """In-memory `DenseIndex`: numpy cosine over embeddings of the chunks' evidence text."""

    def __init__(self, chunks, embed_query=hash_embed, embed_passages=None):
        self.embed_query = embed_query
        self.embed_passages = embed_passages or (lambda texts: np.stack([hash_embed(t) for t in texts]))
        self._chunks: list[Chunk] = []
        self._vecs = np.zeros((0, 1), dtype=np.float32)
        self._gen = 0
        self.dense_calls = 0
        self.add(chunks)

    def add(self, chunks):
        chunks = list(chunks)
        if not chunks:
            return
        vecs = np.asarray(self.embed_passages([c.evidence_text() for c in chunks]), dtype=np.float32)
        self._vecs = vecs if not self._chunks else np.vstack([self._vecs, vecs])
        self._chunks.extend(chunks)
        self._gen += 1

    def all_chunks(self):
        return list(self._chunks)

    def generation(self):
        return str(self._gen)

    def dense_search(self, query, k, filters=None):
        self.dense_calls += 1
        if not self._chunks:
            return []
        q = np.asarray(self.embed_query(query), dtype=np.float32)
        sims = self._vecs @ q
        keep = np.ones(len(self._chunks), dtype=bool)
        if filters is not None:
            for i, c in enumerate(self._chunks):
                if filters.langs and c.lang not in filters.langs:
                    keep[i] = False
                if filters.kinds and c.kind not in filters.kinds:
                    keep[i] = False
                if filters.symbols and not ({c.doc_id, *c.symbols} & set(filters.symbols)):
                    keep[i] = False
        order = [i for i in np.argsort(-sims, kind="stable") if keep[i]][:k]
        return [(self._chunks[i].id, float(sims[i])) for i in order]


@pytest.fixture(scope="session")
def chunks() -> list[Chunk]:
    return make_chunks()


@pytest.fixture
def store(chunks) -> FakeStore:
    return FakeStore(chunks)


@pytest.fixture
def fake_store():
    """In-memory stores over chunks a test makes (the `FakeStore` class, as a factory)."""
    return FakeStore


@pytest.fixture(scope="session")
def store_factory():
    """FakeStore constructor, for tests that build their own stores."""
    return FakeStore
