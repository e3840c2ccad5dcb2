"""The zh↔en lexicon learned from passages held in both official versions (rag.lexicon)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from rag.lexicon import LEXICON_VERSION, MIN_CORPUS_PAIRS, Lexicon, _implied

# A synthetic aligned corpus: row 2i is a Chinese paragraph, row 2i+1 its English twin.
TERMS = ["海盗", "piracy", "索马里", "somalia", "authorizat", "将第", "decid", "决定", "安理会", "council", "停止", "ceas",
         "青年", "youth", "青年党", "shabaab", "难民", "refuge", "难民营", "camp", "伊拉克", "iraq", "联伊援助团", "延长", "续延", "extend"]
COL = {t: j for j, t in enumerate(TERMS)}


def _corpus(n_pairs: int, occurrences: dict[str, range]) -> tuple[sp.csr_matrix, list[tuple[int, int]]]:
    m = sp.lil_matrix((2 * n_pairs, len(TERMS)), dtype=np.float32)
    for term, pairs in occurrences.items():
        side = 0 if not term.isascii() else 1
        for i in pairs:
            m[2 * i + side, COL[term]] = 1.0
    return m.tocsr(), [(2 * i, 2 * i + 1) for i in range(n_pairs)]


def _learn(n_pairs=600, **extra) -> Lexicon:
    occ = {
        "海盗": range(0, 100), "piracy": range(0, 100),                  # a translation
        "索马里": range(0, 300), "somalia": range(0, 300),               # another
        "authorizat": range(100, 250),                                   # only in Somalia paragraphs
        "将第": range(200, 400), "决定": range(200, 600), "decid": range(200, 600),
        "安理会": range(0, 600), "council": range(0, 600),               # everywhere
        "停止": range(400, 402), "ceas": range(400, 402),                # too rare to be evidence
    }
    occ.update(extra)
    m, pairs = _corpus(n_pairs, occ)
    return Lexicon.learn(TERMS, m, pairs, zh_word=lambda t: t != "将第")


def test_words_that_translate_each_other_in_aligned_paragraphs_are_learned_both_ways():
    lx = _learn()
    assert lx.english("海盗") == ("piracy",)
    assert lx.chinese("piracy") == ("海盗",)
    assert lx.english("索马里") == ("somalia",)
    assert lx.english("决定") == ("decid",)
    assert lx.pairs == 600


def test_a_word_associated_one_way_only_is_not_a_translation():
    # "authorization" occurs only in Somalia paragraphs, but "索马里" translates to "somalia"
    lx = _learn()
    assert lx.chinese("authorizat") == ()
    assert "authorizat" not in lx.english("索马里")


def test_character_bigrams_that_are_not_words_are_never_learned():
    lx = _learn()
    assert "将第" not in lx.zh_en
    assert all("将第" not in zs for zs in lx.en_zh.values())


def test_co_occurrence_in_too_few_pairs_is_not_evidence():
    assert _learn().english("停止") == ()


def test_a_corpus_with_too_few_aligned_pairs_learns_nothing():
    lx = _learn(n_pairs=MIN_CORPUS_PAIRS - 1,
                **{"决定": range(200, MIN_CORPUS_PAIRS - 1), "decid": range(200, MIN_CORPUS_PAIRS - 1),
                   "安理会": range(0, MIN_CORPUS_PAIRS - 1), "council": range(0, MIN_CORPUS_PAIRS - 1)})
    assert len(lx) == 0 and lx.pairs == MIN_CORPUS_PAIRS - 1


def test_no_pairs_learns_nothing():
    assert len(Lexicon.learn(TERMS, sp.csr_matrix((0, len(TERMS))), [])) == 0


def test_a_longer_word_whose_twins_seldom_say_the_shorter_words_translation_shadows_it():
    # "青年党" (al-Shabaab) holds "青年" (youth), but its English twins say "Shabaab", not "youth";
    # "难民营" (refugee camp) holds "难民" and its twins say "refugee" too: it is still about refugees
    lx = _learn(**{
        "青年": range(0, 60), "youth": range(0, 60),
        "青年党": range(100, 200), "shabaab": range(100, 200),
        "难民": range(300, 400), "refuge": range(300, 400),
        "难民营": range(350, 380), "camp": range(350, 380),
    })
    assert lx.english("青年") == ("youth",)
    assert lx.longer_words("青年") == ("青年党",)
    assert lx.longer_words("难民") == ()


def test_an_occurrence_inside_a_shadowing_word_does_not_match_the_question_word():
    from conftest_answers import passage, scored
    from rag.extractive import select

    lx = Lexicon(zh_en={"青年": ("youth",), "青年党": ("shabaab",)}, en_zh={"youth": ("青年",)}, pairs=9000,
                 shadows={"青年": ("青年党",)})
    shabaab = passage("S/RES/2806(2025)", "op51", "请秘书长提交一份关于对青年党实施军火禁运的技术评估报告；", lang="zh")
    youth = passage("S/RES/2807(2025)", "op8", "请秘书长在其关于青年与和平与安全的报告中纳入本决议执行情况；", lang="zh")
    question = "关于青年与和平与安全的决议要求秘书长纳入哪一份报告？"
    with_lx = select(question, scored([shabaab, youth]), threshold=0.0, min_coverage=0.0, lexicon=lx)
    assert with_lx.chosen[0].chunk.id == youth.id
    group = next(g for g in with_lx.question.groups if g.forms[0] == "青年")
    assert group.shadows == ("青年党",)
    unshadowed = Lexicon(zh_en=lx.zh_en, en_zh=lx.en_zh, pairs=9000)
    without = select(question, scored([shabaab, youth]), threshold=0.0, min_coverage=0.0, lexicon=unshadowed)

    def coverage(sel, chunk):
        return next(c.coverage for c in sel.candidates if c.chunk.id == chunk.id)

    assert coverage(with_lx, shabaab) < coverage(without, shabaab)


def test_a_word_whose_twins_nearly_always_say_one_specific_english_word_is_translated_one_way():
    # "iraq" is also said by the twins of "联伊援助团" (UNAMI) and others: Dice(伊拉克, iraq) is only
    # 2·100/(100 + 700) = 0.25, yet every twin of "伊拉克" says "iraq", 4.3 times its base rate
    lx = _learn(n_pairs=3000, **{"伊拉克": range(1000, 1100), "iraq": range(1000, 1700), "联伊援助团": range(1100, 1700)})
    assert lx.english("伊拉克") == ("iraq",)
    assert "伊拉克" not in lx.chinese("iraq")  # one direction only
    # an English word present everywhere is implied by nothing: every twin of "决定" says "decid",
    # but so does every other twin
    n = 3000
    m, pairs = _corpus(n, {"决定": range(1000, 1100), "decid": range(0, n)})
    z = m[[a for a, _ in pairs]].tocsc()
    e = m[[b for _, b in pairs]].tocsc()
    co = (z.T @ e).tocsr()
    implied = _implied(co, np.asarray(z.sum(axis=0)).ravel(), np.asarray(e.sum(axis=0)).ravel(), n,
                       np.asarray(TERMS, dtype=object), np.asarray(TERMS, dtype=object))
    assert "决定" not in implied


def test_a_word_whose_english_other_words_also_say_is_translated_by_word_alignment():
    # "延长" and "续延" both say "extend", in 1,200 of 3,000 pairs: Dice(延长, extend) is 0.15 and the
    # twins of "延长" say it at 2.5 times its base rate, under both bars; within each pair, though,
    # nothing but "延长" (or "续延") explains "extend", so the alignment model links them
    lx = _learn(n_pairs=3000, **{"延长": range(1000, 1100), "续延": range(1100, 2200), "extend": range(1000, 2200)})
    assert lx.english("延长") == ("extend",)
    assert lx.english("续延") == ("extend",)


def test_one_word_english_topics_get_the_chinese_words_the_records_translate_them_by():
    from rag.tokenize import tokens

    lx = Lexicon(zh_en={"海盗": ("piracy",)}, en_zh={"piracy": ("海盗",), "robbery": ("海盗",)}, pairs=9000)
    groups = lx.with_chinese_names([["PIRACY"], ["MARITIME SECURITY"], ["UNDOF", "United Nations Disengagement Observer Force"],
                                    ["ROBBERY"]], tokens)
    assert groups[0] == ["PIRACY", "海盗"]
    # "armed robbery at sea" always comes with piracy, but "海盗" translates back into piracy only
    assert groups[3] == ["ROBBERY"]
    # a name of several words, or a group already naming itself in several forms, is left as it is
    assert groups[1] == ["MARITIME SECURITY"]
    assert groups[2] == ["UNDOF", "United Nations Disengagement Observer Force"]


def test_a_learned_lexicon_survives_its_cache_and_another_learners_cache_is_ignored():
    lx = _learn()
    back = Lexicon.from_json(lx.to_json())
    assert back == lx
    assert Lexicon.from_json(lx.to_json().replace(LEXICON_VERSION, "an older learner")) is None


def test_a_topic_gets_a_learned_chinese_name_only_where_the_records_say_both_words_together():
    from rag.tokenize import tokens

    lx = Lexicon(zh_en={"考虑": ("consid", "account"), "青年": ("youth",), "公认": ("palestin",)},
                 en_zh={"account": ("考虑",), "youth": ("青年",), "palestin": ("公认",)}, pairs=9000)
    # "考虑" says "consider" first: it is no name of the subject ACCOUNTING ("taking into account")
    assert lx.with_chinese_names([["ACCOUNTING"]], tokens) == [["ACCOUNTING"]]
    said_together = {("YOUTH", "青年")}
    groups = lx.with_chinese_names([["YOUTH"], ["PALESTINE"]], tokens, lambda word, zh: (word, zh) in said_together)
    assert groups == [["YOUTH", "青年"], ["PALESTINE"]]
