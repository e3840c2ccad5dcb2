"""The zh↔en lexicon learned from passages held in both official versions (rag.lexicon)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from rag.lexicon import MIN_CORPUS_PAIRS, Lexicon

# A synthetic aligned corpus: row 2i is a Chinese paragraph, row 2i+1 its English twin.
TERMS = ["海盗", "piracy", "索马里", "somalia", "authorizat", "将第", "decid", "决定", "安理会", "council", "停止", "ceas"]
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
