"""Fixture chunks and retrieval results for the answering tests (tests/rag/test_extractive.py etc.).

Adapted from data/sample: the Chinese Repertoire section 23 (paragraphs with their footnotes, as
the parser emits them: footnote markers kept in the text, `Footnote.offset` at the marker), the
table row of 30 March, resolution 2518 (2020) operative paragraphs in English and Chinese, and the
document cards of resolutions 2518 and 2538 in both languages.

`RETRIEVED[qid]` imitates what the hybrid retriever returns for each dev question (answering
passages where the corpus has the answer, related-but-non-answering peacekeeping passages for the
unanswerable d16/d17). Run `python -m tests.rag.conftest_answers` (or this file directly) to
print the abstention calibration table.
"""

from __future__ import annotations

from collections.abc import Sequence

import json
import re
from pathlib import Path

from ingest.chunk import Chunk, Footnote, Source, VoteRecord
from ingest.symbols import symbols_in, undocs_link
from rag.types import ScoredChunk

REP = "Repertoire-2020-Part1-S23"
SECTION = "专题问题 > 23. 联合国维持和平行动"
R2518, R2538 = "S/RES/2518(2020)", "S/RES/2538(2020)"
DEV = Path("/work/shared/eval/dev.jsonl")


def _note(number: str, text: str, symbol: str | None = None, paragraphs=(), lang: str = "zh") -> Footnote:
    syms = symbols_in(text)
    symbol = symbol or (syms[0] if syms else None)
    return Footnote(number=number, text=text, symbol=symbol, paragraphs=list(paragraphs),
                    link=undocs_link(symbol, lang) if symbol else None)


def zh_par(n: int, marked: str, notes: dict[str, Footnote] | None = None, keep_markers: bool = True) -> Chunk:
    """A Repertoire paragraph; `{650}` in `marked` places footnote 650's marker."""
    notes = notes or {}
    text, footnotes = "", []
    for part in re.split(r"(\{\w+\})", marked):
        m = re.fullmatch(r"\{(\w+)\}", part)
        if m:
            f = notes[m.group(1)].model_copy(update={"offset": len(text)})
            footnotes.append(f)
            if keep_markers:
                text += f.number
        else:
            text += part
    syms = []
    for s in symbols_in(text) + [f.symbol for f in footnotes if f.symbol]:
        if s not in syms:
            syms.append(s)
    return Chunk(id=f"{REP}|zh|paragraph|{n}", doc_id=REP, kind="paragraph", lang="zh", section=SECTION,
                 paragraph=n, text=text, footnotes=footnotes, symbols=syms,
                 links=[undocs_link(s, "zh") for s in syms],
                 source=Source(path="data/sample/repertoire/repertoire-2020-part1-s23-peacekeeping.zh.txt"),
                 title="安全理事会惯例汇编 2020 第一部分")


F = {
    "639": _note("639", "关于 COVID-19 大流行期间制定的程序和工作方法的更多信息，见第二部分。"),
    "640": _note("640", "第 2518(2020)号决议，第 4 段。", R2518, [4]),
    "641": _note("641", "同上，第 5 段。", R2518, [5]),
    "642": _note("642", "同上，第 9 段。", R2518, [9]),
    "643": _note("643", "同上，第 10 和 12 段。", R2518, [10, 12]),
    "644": _note("644", "同上，第 13 段。", R2518, [13]),
    "645": _note("645", "同上，第 6 段。", R2518, [6]),
    "646": _note("646", "见 S/2020/514。"),
    "647": _note("647", "安理会面前有 2020 年 6 月 26 日的信(S/2020/604)所附概念说明。"),
    "648": _note("648", "见 S/2020/674。"),
    "649": _note("649", "中国、爱沙尼亚、法国、越南、巴西、加拿大、哥斯达黎加、厄瓜多尔、印度、爱尔兰、列支敦士登、尼泊尔和秘鲁。"),
    "650": _note("650", "俄罗斯联邦、南非和斯里兰卡。"),
    "651": _note("651", "中国和俄罗斯联邦。"),
    "652": _note("652", "中国、圣文森特和格林纳丁斯和印度。"),
    "653": _note("653", "中国、俄罗斯联邦、圣文森特和格林纳丁斯和越南。"),
    "654": _note("654", "印度尼西亚、联合王国、法国、突尼斯和摩洛哥。"),
    "655": _note("655", "第 2538(2020)号决议，第 1 段。该决议由安理会所有成员提出。关于提出决议的更多信息，见第二部分，第九.B 节。",
                 R2538, [1]),
    "656": _note("656", "第 2538(2020)号决议，第 2 段。", R2538, [2]),
    "659": _note("659", "见 S/2020/911。"),
    "660": _note("660", "见 S/2020/1092。"),
}

P = {}
P[1] = zh_par(1, "在本文件所述期间，安理会没有就题为“联合国维持和平行动”的项目举行任何会议，但就该项目举行了六次公开视频会议。"
                 "下表列有关于这些视频会议的更多信息。此外，安理会还通过了关于联合国维和人员安全和安保的第 "
                 "2518(2020)号决议以及关于妇女在维和工作中作用的第 2538(2020)号决议。"
                 "这些决议是根据COVID-19大流行疫情暴发后制定的程序在公开视频会议上宣布的。{639}", F)
P[2] = zh_par(2, "2020 年，安理会成员讨论了人权在联合国维和行动中的作用，举行了关于维和改革的年度通报会，"
                 "并与若干部队指挥官和警务专员举行会议。主管和平行动副秘书长两次向安理会成员通报情况，以下人员各通报一次："
                 "主管法治和安全机构助理秘书长、联合国马里多层面综合稳定团(马里稳定团)部队指挥官、"
                 "联合国南苏丹特派团(南苏丹特派团)部队指挥官、联合国脱离接触观察员部队(观察员部队)副指挥官、"
                 "联合国海地综合办事处(联海综合办)警务专员、联合国中非共和国多层面综合稳定团(中非稳定团)警务专员、马里稳定团警务专员，"
                 "以及刚果民主共和国一个非政府组织的代表。")
P[3] = zh_par(3, "3 月 30 日，安理会一致通过了第 2518(2020)号决议，其中特别指出必须确保特派团提高能力并完善机制，"
                 "以便在特定作业环境中保持敏捷和有效执行任务，以加强安全和安保及特派团保护，包括提供适足的医疗设施和关键能力。{640} "
                 "在这方面，安理会请秘书长继续采用一切适当措施，视情加强特派团态势感知，采取措施改善特派团的信息获取和分析能力。{641} "
                 "安理会呼吁采取措施增强职业健康支持，确保提供适足的医疗设施并部署合格人员。{642} "
                 "安理会请秘书长审查联合国培训和绩效标准并确保其一致性，并促请联合国进一步推行轻协调机制，"
                 "推动和进一步协调改进会员国之间的培训和能力建设活动。{643} 此外，"
                 "安理会还鼓励部队和警察派遣国及外地特派团支持注重实地、可靠和具有成本效益的新技术。{644} "
                 "该决议还促请会员国和联合国确保维和行动中的妇女有一个安全、有利和对性别问题敏感的工作环境，解决针对她们的威胁和暴力。"
                 "{645}", F)
P[4] = zh_par(4, "6 月 4 日，安理会成员在公开视频会议{646} 上听取若干联合国维和行动部队指挥官进行年度通报。"
                 "主管和平行动副秘书长在视频会议开始时表示，维和行动、包括其军事部分展现了适应 COVID-19 大流行的能力，"
                 "保护人员及其继续开展关键行动的能力，遏制和减缓病毒传播，支持各国当局开展应对工作，并保护弱势群体。鉴于疫情，"
                 "秘书处调整了在“以行动促维和”倡议中加强维和工作的各项活动的优先次序，以确保侧重于能够在接下来几个月内实现的具体目标。", F)
P[5] = zh_par(5, "马里稳定团和南苏丹特派团部队指挥官以及观察员部队副指挥官除了说明各自行动区的主要挑战外，"
                 "还在发言中重点介绍了各自特派团为防止疫情传播和确保任务行动连续性而采取的步骤。马里稳定团部队指挥官指出，"
                 "稳定团军事部分执行严格的隔离政策，严格将空中行动作为优先，并下达限制巡逻队与民众互动的具体指令。他说，"
                 "尽管采取了这些措施，但他已明确表示，现在不是部队后退的时候。相反，他说，稳定团将继续侧重于任务授权中的核心优先事项，"
                 "同时为调整创造条件，侧重点是找到目的、方式和手段之间适当的平衡点。他还指出，"
                 "稳定团在保护维和人员的安全与安保方面作出了大量改进，伤亡人数大大少于前一年。"
                 "南苏丹特派团部队指挥官向安理会成员通报了特派团军事部分的调整情况，"
                 "特派团减少了在保护平民营地执行静态保护任务的部队人数，并将其重新部署到冲突区。"
                 "观察员部队副指挥官向安理会成员通报了恢复对停火线阿尔法一侧和布拉沃一侧进行军事检查的计划和努力。她指出，"
                 "主要的行动挑战在于，违反《以色列和叙利亚部队脱离接触协定》的事件持续不断，"
                 "阿拉伯叙利亚共和国德拉省的安全局势不断恶化，安全事件越来越靠近部队的行动区。")
P[6] = zh_par(6, "7 月 7 日，在德国的倡议下，{647} 安理会成员举行了由德国联邦国防部长主持的关于和平行动与人权的公开视频会议。{648} "
                 "联合国人权事务高级专员向安理会成员通报情况时表示，其赞同这样一个观点，即人权是安理会维护国际和平与安全任务的核心。"
                 "六个维和行动和六个特别政治任务设有人权部分，有助于实现特派团支持政治与和平进程的总体目标。", F)
P[7] = zh_par(7, "负责南苏丹问题秘书长特别代表兼南苏丹特派团团长指出，人权是特派团的核心业务，"
                 "因为它对和平与安全以及保护平民都至关重要。南苏丹特派团将其人权工作方法划分为三个主要分支："
                 "通过提出可靠报告和迅速开展调查，进行记录并追究施暴者责任；通过流动法院进行能力建设，并加强警察和司法系统，"
                 "从而终止有罪不罚现象并确保问责；通过与国家军事和警察部队以及与苏丹人民解放运动反对派部队的行动计划与政府接触，"
                 "在这些部队中营造尊重人权的条件。")
P[8] = zh_par(8, "安理会成员和其他会员国强调人权在实现联合国维和行动总体目标方面的重要作用。安理会成员和其他会员国指出，"
                 "需要制定明确且可实现的维和任务，提供充足的资源、专门知识和培训，并增加妇女的部署，增进其有意义地参与各级决策，"
                 "这些是有效执行人权任务的关键要素。一些发言还着重指出，必须防止维和人员侵犯人权，包括实施性剥削和性虐待，"
                 "并确保追究维和人员这方面的责任。{649} 一些发言者对人权专题被政治化表示遗憾。{650} 中国和俄罗斯联邦代表强调指出，"
                 "人权应服务和平行动的主要目标，即支持热点问题政治解决，以及促进和解与建设和平。{651} 一些安理会成员还认为，"
                 "应根据具体情况履行人权授权，要考虑到国家和任务的具体状况以及当地的习俗和价值观。{652} "
                 "几位发言者呼吁在人权背景下尊重维和的基本原则，包括主权和国家对人权进程的自主权。{653} 一些发言者还重点指出，"
                 "需要与东道国开展更密切的合作，特别是在人权能力建设工作方面。{654}", F)
P[9] = zh_par(9, "8月 28日，安理会一致通过第 2538(2020)号决议，其中促请会员国、秘书处和区域组织加强集体努力，"
                 "促进女性军警和文职人员充分、有效和有意义地参与维和行动的各级工作并担任所有职务，包括高级领导职务。{655} "
                 "该决议请会员国为此目的执行若干战略和措施，包括：(a) 传播信息并为部署提供机会；(b) 提供培训机会；(c) "
                 "建立经过培训的女性人员国家数据库。{656}", F)
P[10] = zh_par(10, "9 月 14 日，主管和平行动副秘书长根据第 2378(2017)号决议，在公开视频会议{659} 上向安理会成员作了年度通报，"
                   "介绍了在“以行动促维和”倡议中加强维和工作的努力。他指出，维和特派团并未因 COVID-19 "
                   "所致的艰难形势而停止为政治进程与和平协议的执行工作提供有效支持。安理会成员在发言中欢迎维和改革取得的进展。"
                   "讨论还涉及充足资源和能力(包括培训和装备)的必要性、进一步改善安全和安保、加强与部队和警察派遣国及区域组织的合作，"
                   "以及增加妇女人员人数等问题。", F)
P[11] = zh_par(11, "11 月 4 日，安理会成员通过公开视频会议与警务专员举行年度会议。{660} "
                   "主管法治和安全机构助理秘书长在开幕词中概述并举例说明了和平行动警察部分在以下方面的工作：与区域组织的伙伴关系、"
                   "保护平民、执行考绩标准和开展培训、促进性别平等的警务、加大妇女参与力度，以及强化对性剥削和性虐待的零容忍政策。", F)
P[12] = zh_par(12, "中非稳定团警务专员着重指出，为进一步提高联合国警察的业绩，有必要为其提供“关注、空间和余地”。在这方面，"
                   "他指出稳定团警察部分取得的成绩，特别是在利用社区警务改善班吉 PK5 区的安全局势、支持选举和在 COVID-19 "
                   "大流行期间保持复原力方面。马里稳定团警务专员特别指出，"
                   "警察部分为促进从维持和平转向建设和平和撤离战略取得成功作出重要贡献。"
                   "安理会成员在发言中谈到警察部分职能的各个方面(包括在保护平民方面的作用)、分配充足和可持续的财政、"
                   "业务和人力资源的必要性，以及需要进一步改善警察部分业绩和问责制等问题。一些安理会成员呼吁在警务工作中促进性别平等，"
                   "并呼吁妇女平等参与警察部分的工作。突尼斯代表代表安理会非洲成员国及圣文森特和格林纳丁斯发言，"
                   "请秘书长向安理会提交一份关于 2021 年联合国警务工作动态的报告，因为上一份关于联合国警务工作的报告是在 2018 年发布。")

TABLE_ROW_0330 = Chunk(
    id=f"{REP}|zh|table_row|1", doc_id=REP, kind="table_row", lang="zh", section=SECTION + " > 视频会议：联合国维持和平行动",
    paragraph=1, label="2020 年 3 月 30 日",
    text="视频会议日期：2020 年 3 月 30 日 a\n视频会议记录：S/2020/268\n标题：2020 年 3 月 31 "
         "日安全理事会主席给秘书长和安全理事会成员国常驻代表的信\n决定、表决(赞成-反对-弃权)和书面程序记录：第 2518(2020)号决议 15-0-0 "
         "S/2020/249",
    footnotes=[Footnote(number="a", text="由于技术上的困难，没有举行公开视频会议宣布对第 2518(2020)号决议的表决情况，"
                                         "而是举行了非公开视频会议。关于COVID-19 大流行期间制定的程序和工作方法的更多信息，见第二部分。",
                        symbol=R2518)],
    symbols=["S/2020/268", R2518, "S/2020/249"], links=[undocs_link(s, "zh") for s in ["S/2020/268", R2518, "S/2020/249"]],
    source=Source(path="data/sample/repertoire/repertoire-2020-part1-s23-peacekeeping.zh.txt"), date="2020-03-30",
    vote=VoteRecord(in_favour_count=15, against_count=0, abstaining_count=0),
)


def res_par(symbol: str, lang: str, n: int, text: str) -> Chunk:
    num = re.search(r"/(\d+)\(", symbol).group(1)
    syms = [symbol] + [s for s in symbols_in(text) if s != symbol]
    return Chunk(id=f"{symbol}|{lang}|resolution_paragraph|op{n}", doc_id=symbol, kind="resolution_paragraph", lang=lang,
                 section=(f"第{num}(2020)号决议 > 执行部分" if lang == "zh" else f"Resolution {num} (2020) > Operative"),
                 paragraph=n, label=f"operative {n}", text=text, symbols=syms, links=[undocs_link(s, lang) for s in syms],
                 source=Source(path=f"data/sample/resolutions/2020/{'Chinese' if lang == 'zh' else 'English'}/S_RES_{num} (2020).xml"),
                 title=f"Resolution {num} (2020)", date="2020-03-30" if num == "2518" else "2020-08-28")


EN_2518 = {
    4: "4. Notes that peacekeepers are deployed in deteriorating and complex political and security environments, and face "
       "asymmetrical and complex threats, underscores the importance of ensuring that peacekeeping missions evolve their capacities "
       "and systems to remain agile and effective in implementing their mandates in specific operating contexts to enhance safety and "
       "security of peacekeepers and mission protection, including through the provision of adequate medical facilities and critical "
       "capabilities;",
    5: "5. Requests the Secretary-General to continue to take all appropriate measures to enhance the safety and security of "
       "peacekeeping personnel, including by strengthening, where necessary, peacekeeping missions’ situational awareness through "
       "measures to improve their information acquisition and analysis capacities, including surveillance and monitoring capacities, "
       "within the limits of their mandate and area of operation;",
    8: "8. Requests United Nations peacekeeping operations to enhance engagements and communications with the host governments, the "
       "local authorities and the population to build trust and mutual understanding and improve safety and security;",
    9: "9. Calls for measures to enhance operational health support, including to establish well-defined and practical medical "
       "standards for peacekeeping operations, accelerate the ongoing efforts to improve the system of medical support and casualty "
       "evacuation for injured peacekeepers, ensure adequate medical facilities and qualified personnel are deployed to provide the "
       "essential 10-1-2 response at all times, within the mission area and as close to deployment of Troop-and Police-Contributing "
       "Countries as possible through the life of the mission;",
}
ZH_2518 = {
    8: "8. 请联合国维和行动加强与东道国政府、地方当局和民众的接触和沟通，以建立信任和相互理解，改善安全和安保；",
    9: "9. 呼吁采取措施增强职业健康支持，包括为维和行动订立明确而实用的医务标准，"
       "加紧持续努力以改进对受伤维和人员的医疗支助和伤员后送体系，确保在特派团整个任务期部署适足的医疗设施及合格人员，"
       "在任务区内和尽可能靠近部队和警察派遣国部署地随时提供必要的10-1-2响应；",
}
RES = {("en", n): res_par(R2518, "en", n, t) for n, t in EN_2518.items()}
RES.update({("zh", n): res_par(R2518, "zh", n, t) for n, t in ZH_2518.items()})


def passage(doc_id: str, pid: str, text: str, lang: str = "en", doc_kind: str = "resolution",
            date: str | None = None, cites: Sequence[str] = ()) -> Chunk:
    """A paragraph of a Council document at position `pid` ("op2", "pre1", "annex1.2", "p9"), citing
    the documents `cites` (a later resolution recalling an earlier one)."""
    return Chunk(id=f"{doc_id}|{lang}|resolution_paragraph|{pid}", doc_id=doc_id, lang=lang, kind="resolution_paragraph",
                 doc_kind=doc_kind, date=date, text=text, source=Source(path="fixture.xml"),
                 symbols=[doc_id, *cites] if cites else [])


def card(symbol: str, lang: str, text: str, vote: VoteRecord) -> Chunk:
    syms = [symbol] + [s for s in symbols_in(text) if s != symbol]
    return Chunk(id=f"{symbol}|{lang}|document_card|0", doc_id=symbol, kind="document_card", lang=lang,
                 section=("决议" if lang == "zh" else "Resolutions"), text=text, symbols=syms,
                 links=[undocs_link(s, lang) for s in syms], source=Source(path="data/sample/resolutions/data_extract/2020.json"),
                 title=symbol, date=vote.adoption_date, vote=vote)


V2518 = VoteRecord(adoption_date="2020-03-30", meeting="Voting by mail", adoption_type="Adopted unanimously; voting by mail",
                   in_favour_count=15, against_count=0, abstaining_count=0, draft="S/2020/240",
                   title="Security Council resolution 2518 (2020) [on safety and security of peacekeepers]")
V2538 = VoteRecord(adoption_date="2020-08-28", meeting="Voting by mail", adoption_type="Adopted unanimously; voting by mail",
                   in_favour_count=15, against_count=0, abstaining_count=0, draft="S/2020/838",
                   title="Security Council resolution 2538 (2020) [on women in peacekeeping operations]")
CARD_2518_EN = card(R2518, "en", "Resolution 2518 (2020) was adopted by the Security Council on 30 March 2020 by voting by mail "
                                 "(S/2020/249). Vote: 15-0-0 (adopted unanimously).\nTitle: Security Council resolution 2518 (2020) "
                                 "[on safety and security of peacekeepers].\nAgenda item: United Nations peacekeeping "
                                 "operations.\nSponsors: Algeria, Angola, Armenia, Bangladesh, China, Indonesia, Russian Federation, "
                                 "South Africa, Viet Nam and 35 others.\nDraft resolution: S/2020/240.", V2518)
CARD_2518_ZH = card(R2518, "zh", "第2518(2020)号决议于2020年3月30日以书面表决方式通过(S/2020/249)。表决结果：15票赞成、0票反对、"
                                 "0票弃权(15-0-0)，一致通过。\n标题：安全理事会关于维和人员安全和安保的第2518(2020)号决议。\n议程项目："
                                 "联合国维持和平行动。\n提案国：阿尔及利亚、安哥拉、亚美尼亚、孟加拉国、中国、印度尼西亚、俄罗斯联邦、"
                                 "南非、越南等44国。\n决议草案：S/2020/240。", V2518)
CARD_2538_EN = card(R2538, "en", "Resolution 2538 (2020) was adopted by the Security Council on 28 August 2020 by voting by mail "
                                 "(S/2020/851). Vote: 15-0-0 (adopted unanimously).\nTitle: Security Council resolution 2538 (2020) "
                                 "[on women in peacekeeping operations].\nDraft resolution: S/2020/838.", V2538)
CARD_2538_ZH = card(R2538, "zh", "第2538(2020)号决议于2020年8月28日以书面表决方式通过(S/2020/851)。表决结果：15票赞成、0票反对、"
                                 "0票弃权(15-0-0)，一致通过。\n标题：安全理事会关于维和行动中妇女的第2538(2020)号决议。\n决议草案："
                                 "S/2020/838。", V2538)

ALL_CHUNKS = [*P.values(), TABLE_ROW_0330, *RES.values(), CARD_2518_EN, CARD_2518_ZH, CARD_2538_EN, CARD_2538_ZH]
BY_ID = {c.id: c for c in ALL_CHUNKS}


def scored(chunks: list[Chunk], start: float = 0.9, dense: float = 0.86) -> list[ScoredChunk]:
    """Retrieval result: fused scores and dense similarities decreasing with rank."""
    return [ScoredChunk(chunk=c, score=round(start - 0.04 * i, 3), dense=round(dense - 0.012 * i, 3),
                        lexical=round(12.0 - i, 2), rank=i + 1) for i, c in enumerate(chunks)]


# What the retriever would return (top 5) for each dev question.
RETRIEVED_IDS: dict[str, list] = {
    "d01": [CARD_2518_ZH, P[3], TABLE_ROW_0330, P[1], CARD_2518_EN],
    "d02": [P[9], CARD_2538_ZH, P[1], P[3], P[8]],
    "d03": [P[6], P[8], P[4], P[11], P[2]],
    "d04": [P[5], P[4], P[2], P[12], P[10]],
    "d05": [P[11], P[12], P[2], P[10], P[4]],
    "d06": [P[12], P[11], P[2], P[5], P[8]],
    "d07": [P[8], P[6], P[7], P[2], P[10]],
    "d08": [P[7], P[8], P[6], P[5], P[2]],
    "d09": [CARD_2518_ZH, TABLE_ROW_0330, P[3], CARD_2518_EN, P[1]],
    "d10": [P[12], P[11], P[2], P[10], P[8]],
    "d11": [P[5], P[4], P[2], P[10], P[6]],
    "d12": [CARD_2518_EN, P[3], CARD_2518_ZH, TABLE_ROW_0330, RES[("en", 8)]],
    "d13": [P[6], P[8], P[4], P[2], P[11]],
    "d14": [P[12], P[11], P[2], P[5], P[10]],
    "d15": [TABLE_ROW_0330, P[1], CARD_2518_ZH, P[3], CARD_2518_EN],
    "d16": [P[1], P[2], P[12], P[10], P[11]],
    "d17": [RES[("en", 9)], RES[("en", 5)], CARD_2518_EN, P[10], P[12]],
    "d18": [RES[("en", 8)], RES[("zh", 8)], RES[("en", 5)], P[3], CARD_2518_EN],
    "d19": [CARD_2538_ZH, CARD_2538_EN, P[9], P[1], CARD_2518_ZH],
    "d20": [RES[("zh", 9)], P[3], RES[("en", 9)], RES[("en", 4)], CARD_2518_ZH],
}
RETRIEVED: dict[str, list[ScoredChunk]] = {k: scored(v) for k, v in RETRIEVED_IDS.items()}


def dev_questions() -> dict[str, dict]:
    if DEV.exists():
        return {d["id"]: d for d in (json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip())}
    return {}


def calibration_table() -> list[tuple[str, bool, float, float]]:
    """(qid, answerable, best sentence score, coverage) for every dev question with fixtures."""
    from rag.extractive import select

    rows = []
    for qid, d in sorted(dev_questions().items()):
        if qid in RETRIEVED:
            sel = select(d["question"], RETRIEVED[qid], threshold=-9, min_coverage=-9)
            rows.append((qid, d["answerable"], round(sel.best, 3), round(sel.coverage, 3)))
    return rows


if __name__ == "__main__":
    for row in calibration_table():
        print(*row)
