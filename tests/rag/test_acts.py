"""The Council's addressed acts (rag.acts): what a paragraph does and to whom, and what a question asks."""

from __future__ import annotations

from rag.acts import ANY, Act, asked_acts, opening_acts, performs
from rag.question import analyse

SG_REQUEST = Act("request", "secretary-general")


def addressed(acts):
    """The acts with an addressee (a paragraph opening with a verb also performs the bare act)."""
    return {a for a in acts if a.addressee != ANY}


def test_a_paragraph_opening_with_an_addressed_act_is_read_in_either_language_and_with_its_adverbs():
    assert addressed(opening_acts("Requests the Secretary-General to incorporate reporting on this resolution")) == {SG_REQUEST}
    assert addressed(opening_acts("8. Also requests the Secretary-General to report")) == {SG_REQUEST}
    assert addressed(opening_acts("The Security Council urges all parties to respect the ceasefire.")) == {Act("urge", "parties")}
    assert addressed(opening_acts("请秘书长在其报告中纳入…")) == {SG_REQUEST}
    assert addressed(opening_acts("又请秘书长…")) == {SG_REQUEST}
    # "Requests in this regard the Secretary-General" is "为此请秘书长" in the official Chinese text
    assert addressed(opening_acts("为此请秘书长与联合国南苏丹特派团和专家小组密切协商，至迟于2027年4月15日…")) == {SG_REQUEST}
    # 要求 is both "Requests" and "Demands" in the official Chinese texts
    assert addressed(opening_acts("要求各方立即停火；")) == {Act("request", "parties"), Act("demand", "parties")}
    # any other addressee an English text names by a capitalised name
    assert addressed(opening_acts("Calls on the Rwanda Defence Forces to cease support to the M23")) == {
        Act("call", "rwanda defence forces")}


def test_a_paragraph_not_opening_with_an_addressed_act_performs_none():
    assert opening_acts("Decides to continue the consideration of the YPS agenda, including the Secretary-General's reports") == set()
    assert opening_acts("Taking note of the biennial report of the Secretary-General,") == set()
    assert opening_acts("决定继续积极处理此案。") == set()
    # an act mentioned inside the paragraph is not the paragraph's act
    assert opening_acts("Welcomes the intention of the Secretary-General, and requests the Secretary-General to report") == set()


def test_a_question_names_an_act_by_its_verb_and_addressee_active_or_passive():
    assert asked_acts("What did resolution 2538 ask the Secretary-General to do?") == {SG_REQUEST}
    assert asked_acts("Which report was the Secretary-General requested to submit?") == {SG_REQUEST}
    assert asked_acts("安理会…的决议，要求秘书长把该决议的执行情况纳入哪一份报告中？") == {
        SG_REQUEST, Act("demand", "secretary-general")}
    assert asked_acts("What did the Council urge the Government of South Sudan to do?") == {
        Act("urge", "government of south sudan")}


def test_a_verb_without_an_addressee_is_no_act_asked_unless_the_question_asks_what_the_act_was():
    assert asked_acts("请问安理会2020年通过了哪些决议？") == set()
    assert asked_acts("Which members abstained on resolution 2504 (2020)?") == set()
    assert asked_acts("What did the Council say about the requests of the parties?") == set()
    assert asked_acts("What demands did the Council make?") == set()
    # "what did it demand?": the bare act, performed by a paragraph opening with the verb
    assert asked_acts("What did the Council demand in resolution 2728 (2024)?") == {Act("demand", ANY)}
    assert asked_acts("Under the resolution the Council adopted on Gaza in March 2024, what did it demand?") == {
        Act("demand", ANY)}
    assert asked_acts("What did resolution 2728 (2024) call for?") == {Act("call", ANY)}
    assert asked_acts("安理会在第2728(2024)号决议中要求什么？") == {Act("demand", ANY), Act("request", ANY)}
    assert opening_acts("Demands an immediate ceasefire for the month of Ramadan") == {Act("demand", ANY)}
    assert opening_acts("要求立即在斋月实行停火") == {Act("demand", ANY), Act("request", ANY)}
    assert performs("Demands an immediate ceasefire", frozenset({Act("demand", ANY)}))
    # a paragraph reiterating a demand in passing does not open with it
    assert not performs("Emphasizes the urgent need … and reiterates its demand for the lifting of all barriers",
                        frozenset({Act("demand", ANY)}))
    # a question naming the addressee asks for the addressed act alone
    assert asked_acts("What did the Council request the Secretary-General to do?") == {SG_REQUEST}


def test_the_question_model_carries_the_acts_and_performs_compares_them():
    q = analyse("What did the Council request the Secretary-General to include in his report?")
    assert q.acts == [SG_REQUEST]
    assert performs("Requests the Secretary-General to include …", frozenset(q.acts))
    assert not performs("Requests Member States to include …", frozenset(q.acts))
    assert not performs("Requests the Secretary-General to include …", frozenset())


def test_an_account_of_the_councils_practice_performs_the_acts_it_says_the_council_performed():
    from rag.acts import narrated_acts

    told = "8月28日，安理会一致通过第2538(2020)号决议，其中促请会员国、秘书处和区域组织加强集体努力。"
    assert narrated_acts(told) == {Act("call", "member states")}
    assert performs(told, frozenset({Act("call", "member states")}), doc_kind="repertoire")
    assert narrated_acts("In resolution 2538 (2020), the Council also urged Member States to …") == {Act("urge", "member states")}
    # a record's own paragraph recalling an earlier act does not perform it
    recalling = "回顾安理会第2242(2015)号决议，其中请秘书长与会员国协作实施一项战略，"
    assert not performs(recalling, frozenset({SG_REQUEST}))
