"""Each ranking step of rag.ranking on a handful of hand-made rows (no index, no embedder)."""

from __future__ import annotations

import numpy as np
import pytest

from rag.ranking import (
    Ranked,
    with_record_text,
    with_singled_out,
    Adjustments,
    Boosts,
    ChunkScore,
    DenseHit,
    Passage,
    RankInputs,
    Weights,
    adjust,
    best_text_lexical,
    boost_part,
    dense_part,
    dense_ranks,
    fuse,
    lexical_part,
    lexical_ranks,
    merge_languages,
    rank_among,
    rank_passages,
    representative,
)

W = Weights()
U = W.unit


# ------------------------------------------------------------------ ranks within languages


def test_dense_ranks_are_counted_within_each_language_list():
    hits = dense_ranks({"en": [(3, 0.9), (1, 0.5)], "zh": [(7, 0.6), (8, 0.2)]})
    assert hits[3].rank == 1 and hits[1].rank == 2
    assert hits[7].rank == 1, "the best Chinese hit gets a rank-1 credit, whatever the English cosines"
    assert (hits[7].lo, hits[7].hi) == (0.2, 0.6)


def test_relative_cosine_is_min_max_over_its_list_and_one_for_a_flat_list():
    assert DenseHit(rank=2, cosine=0.5, lo=0.0, hi=1.0).relative() == 0.5
    assert DenseHit(rank=1, cosine=0.4, lo=0.4, hi=0.4).relative() == 1.0
    assert DenseHit(rank=9, cosine=0.1, lo=0.3, hi=0.9).relative() == 0.0, "clamped below the list's minimum"


def test_a_lexical_only_candidate_is_ranked_among_its_languages_dense_hits():
    hit = rank_among(0.55, [0.9, 0.6, 0.5])
    assert hit.rank == 3 and (hit.lo, hit.hi) == (0.5, 0.9)
    alone = rank_among(0.3, [])
    assert alone.rank == 1 and alone.relative() == 1.0


def test_lexical_ranks_are_per_language_and_scaled_by_the_best_of_any_language():
    scores = np.array([4.0, 2.0, 0.0, 1.0, 8.0])
    langs = np.array(["en", "en", "en", "zh", "zh"], dtype=object)
    lex = lexical_ranks(scores, langs, ["en", "zh"], n=1)
    assert lex.rank == {0: 1, 4: 1}, "the top of each language"
    assert lex.best == 8.0
    assert lex.rank_of(1, "en") == 2 and lex.rank_of(3, "zh") == 2, "ranks below the top N are counted"


def test_lexical_scale_is_one_when_nothing_matched():
    lex = lexical_ranks(np.zeros(3), np.array(["en"] * 3, dtype=object), ["en"], n=2)
    assert lex.best == 1.0


# ------------------------------------------------------------------ fusion


def test_dense_part_is_rrf_plus_the_score_aware_cosine_and_scaled_for_another_language():
    hit = DenseHit(rank=1, cosine=1.0, lo=0.0, hi=1.0)
    assert dense_part(hit, False, W) == pytest.approx(1 / 61 + 0.5 * U)
    w = Weights(cross_lingual_dense_factor=2.0)
    assert dense_part(hit, True, w) == pytest.approx(2 * (1 / 61 + 0.5 * U))
    assert dense_part(None, False, W) == 0.0


def test_lexical_part_counts_the_margin_over_the_runner_up():
    top = lexical_part(9.0, 1, 9.0, False, W)
    runner_up = lexical_part(3.0, 2, 9.0, False, W)
    assert top == pytest.approx(1 / 61 + 2.0 * U)
    assert top - runner_up > 1 / 61 - 1 / 62, "a BM25 hit scoring 3x the runner-up wins by more than one rank step"
    assert lexical_part(9.0, 1, 9.0, True, W) == pytest.approx(0.85 * top)
    assert lexical_part(0.0, 1, 9.0, False, W) == 0.0


def test_boosts_add_up_in_units_of_a_top1_hit():
    boosts = Boosts(symbol=frozenset({1}), date=frozenset({1, 2}), card=frozenset({1}))
    assert boost_part(1, boosts, W) == pytest.approx((1.0 + 0.5 + 0.5) * U)
    assert boost_part(2, boosts, W) == pytest.approx(0.5 * U)
    assert boost_part(3, boosts, W) == 0.0


def test_fuse_gives_a_chunk_absent_from_a_side_nothing_for_it():
    lex = lexical_ranks(np.array([0.0, 5.0]), np.array(["en", "zh"], dtype=object), ["en", "zh"], n=5)
    dense = {0: DenseHit(rank=1, cosine=0.8, lo=0.2, hi=0.8)}
    only_dense = fuse(0, "en", "en", dense, lex, Boosts(), W)
    only_lexical = fuse(1, "zh", "en", dense, lex, Boosts(), W)
    assert only_dense.lexical == 0.0 and only_dense.dense > 0
    assert only_lexical.dense == 0.0
    assert only_lexical.lexical == pytest.approx(0.85 * (1 / 61 + 2.0 * U)), "another language: cross-lingual factor"


# ------------------------------------------------------------------ language merge


def test_language_versions_merge_keeping_the_best_of_each_part():
    scores = [ChunkScore(0, 0.3, 0.0, 0.0), ChunkScore(1, 0.1, 0.2, 0.05), ChunkScore(2, 0.4, 0.4, 0.0)]
    keys = {0: ("doc", "op1"), 1: ("doc", "op1"), 2: ("doc", "op2")}
    merged = merge_languages(scores, keys.__getitem__)
    assert [tuple(m.row for m in p.members) for p in merged] == [(0, 1), (2,)]
    assert merged[0].score == pytest.approx(0.3 + 0.2 + 0.05)


def test_the_version_shown_is_in_the_questions_language_when_there_is_one():
    p = Passage((ChunkScore(0, 0.9, 0.0, 0.0), ChunkScore(1, 0.1, 0.0, 0.0)))
    langs = np.array(["en", "zh"], dtype=object)
    assert representative(p, langs, "zh") == 1, "even though the English version scores higher"
    assert representative(p, langs, "fr") == 0, "otherwise the best version"


def test_equal_versions_show_the_lower_row():
    p = Passage((ChunkScore(5, 0.1, 0.0, 0.0), ChunkScore(2, 0.1, 0.0, 0.0)))
    assert representative(p, np.array(["en"] * 6, dtype=object), "en") == 2


# ------------------------------------------------------------------ adjustments


KINDS = np.array(["paragraph", "document_card", "table_row", "paragraph"], dtype=object)
LEX = np.array([3.0, 0.0, 2.0, 0.0])


def test_passages_about_documents_the_question_does_not_name_are_demoted():
    a = Adjustments(named_only=True, named_rows=frozenset({3}))
    assert adjust(1.0, Passage((ChunkScore(0, 0, 0, 0),)), KINDS, LEX, a, W) == pytest.approx(0.6)
    assert adjust(1.0, Passage((ChunkScore(3, 0, 0, 0),)), KINDS, LEX, a, W) == 1.0, "it names this one"
    assert adjust(1.0, Passage((ChunkScore(1, 0, 0, 0),)), KINDS, LEX, a, W) == pytest.approx(0.36), "another's card: twice"


def test_another_council_documents_passage_recalling_the_named_one_ranks_below_the_named_documents_own():
    kinds = np.array(["resolution_paragraph", "resolution_paragraph", "paragraph"], dtype=object)
    lex = np.zeros(3)
    # row 0 belongs to the named resolution; row 1 is a later resolution recalling it; row 2 a
    # Repertoire paragraph narrating it
    a = Adjustments(named_only=True, named_rows=frozenset({0, 1, 2}), own_rows=frozenset({0}))
    assert adjust(1.0, Passage((ChunkScore(0, 0, 0, 0),)), kinds, lex, a, W) == 1.0
    assert adjust(1.0, Passage((ChunkScore(1, 0, 0, 0),)), kinds, lex, a, W) == pytest.approx(W.citing_factor)
    assert adjust(1.0, Passage((ChunkScore(2, 0, 0, 0),)), kinds, lex, a, W) == 1.0, "the Repertoire narrates it"
    asks = Adjustments(named_only=True, named_rows=frozenset({0, 1}), own_rows=frozenset({0}), asks_citing=True)
    assert adjust(1.0, Passage((ChunkScore(1, 0, 0, 0),)), kinds, lex, asks, W) == 1.0, "what recalls it is asked"


def test_a_table_row_repeating_prose_is_demoted_unless_the_question_is_about_the_table():
    row = Passage((ChunkScore(2, 0, 0, 0),))
    a = Adjustments(best_text_lexical=best_text_lexical([0, 2, 3], KINDS, LEX))
    assert a.best_text_lexical == 3.0, "table rows are not prose"
    assert adjust(1.0, row, KINDS, LEX, a, W) == pytest.approx(0.7)
    assert adjust(1.0, row, KINDS, LEX, Adjustments(table_question=True, best_text_lexical=3.0), W) == 1.0
    assert adjust(1.0, row, KINDS, LEX, Adjustments(best_text_lexical=1.0), W) == 1.0, "it matches better than any prose"


# ------------------------------------------------------------------ order


def test_rank_passages_orders_by_adjusted_score_and_takes_figures_from_a_sibling_when_needed():
    langs = np.array(["en", "zh", "en"], dtype=object)
    kinds = np.array(["paragraph"] * 3, dtype=object)
    lexical = np.array([0.0, 4.0, 1.0])
    dense = {0: DenseHit(1, 0.9, 0.1, 0.9)}
    passages = [Passage((ChunkScore(0, 0.2, 0.0, 0.0), ChunkScore(1, 0.0, 0.3, 0.0))), Passage((ChunkScore(2, 0.0, 0.1, 0.0),))]
    ranked = rank_passages(passages, RankInputs(langs, kinds, "en", dense, lexical), W)
    assert [r.row for r in ranked] == [0, 2]
    assert ranked[0].score == pytest.approx(0.5)
    assert (ranked[0].dense_source, ranked[0].lexical_source) == (0, 1), "BM25 figure from the Chinese version"
    assert (ranked[1].dense_source, ranked[1].lexical_source) == (None, 2)


def test_ties_are_broken_by_row_so_the_order_is_deterministic():
    langs = np.array(["en"] * 3, dtype=object)
    passages = [Passage((ChunkScore(r, 0.1, 0.0, 0.0),)) for r in (2, 0, 1)]
    ranked = rank_passages(passages, RankInputs(langs, np.array(["paragraph"] * 3, dtype=object), "en", {}, np.zeros(3)), W)
    assert [r.row for r in ranked] == [0, 1, 2]


def test_a_card_whose_record_has_no_passage_in_the_head_gives_its_place_to_the_records_best_passage():
    # rows: 0 card of A, 1 prose of B, 2 card of C (C's text at 3 already), 3 text of C, 4 card of D,
    # 5 text of A, 6 text of A (worse), 7 text of D
    docs = ["A", "B", "C", "C", "D", "A", "A", "D"]
    kinds = np.array(["document_card", "resolution_paragraph", "document_card", "resolution_paragraph",
                      "document_card", "resolution_paragraph", "resolution_paragraph", "resolution_paragraph"])
    ranked = [Ranked(score=1.0 - 0.1 * i, row=i, dense_source=i, lexical_source=i) for i in range(8)]
    out = with_record_text(ranked, docs.__getitem__, kinds, top=5)
    assert [r.row for r in out] == [5, 1, 2, 3, 7, 0, 4, 6]
    assert out[0].score == ranked[0].score  # the passage takes the card's place and score
    assert out[0].dense_source == 5
    # a record without text anywhere keeps its card in place; the order is otherwise unchanged
    alone = with_record_text(ranked[:5], docs.__getitem__, kinds, top=5)
    assert [r.row for r in alone] == [0, 1, 2, 3, 4]


def test_the_records_a_question_singles_out_lead_with_their_best_passages_and_the_places_keep_their_scores():
    docs = ["A", "B", "C", "C", "B", "C", "C", "C"]
    kinds = np.array(["resolution_paragraph"] * 5 + ["document_card", "resolution_paragraph", "resolution_paragraph"])
    ranked = [Ranked(score=1.0 - 0.1 * i, row=i, dense_source=i, lexical_source=i) for i in range(8)]
    # one record: its best three text passages lead, in their own order; its card stays put
    out = with_singled_out(ranked, ["C"], docs.__getitem__, kinds, per_record=3)
    assert [r.row for r in out] == [2, 3, 6, 0, 1, 4, 5, 7]
    assert [r.score for r in out] == [r.score for r in ranked]
    assert out[0].dense_source == 2
    # two records share the places: the best one of each
    two = with_singled_out(ranked, ["C", "B"], docs.__getitem__, kinds, per_record=3)
    assert [r.row for r in two] == [1, 2, 0, 3, 4, 5, 6, 7]
    # nothing singled out, or a record with no text passage ranked: the order stands
    assert with_singled_out(ranked, [], docs.__getitem__, kinds, per_record=3) == ranked
    assert with_singled_out(ranked, ["Z"], docs.__getitem__, kinds, per_record=3) == ranked


def test_passages_of_singled_out_records_are_ordered_by_the_question_proper_when_a_clause_names_the_record():
    # rows 0-2 of record A (row 0 shares the words of the clause naming the record), rows 3-4 of B
    docs = ["A", "A", "A", "B", "B"]
    kinds = np.array(["resolution_paragraph"] * 5)
    ranked = [Ranked(score=1.0 - 0.1 * i, row=i, dense_source=i, lexical_source=i) for i in range(5)]
    asked = {0: 0.0, 1: 0.5, 2: 3.0, 3: 1.0, 4: 0.0}  # scored by the question proper
    out = with_singled_out(ranked, ["A", "B"], docs.__getitem__, kinds, per_record=3, asked=asked)
    # each record's best passage for the question proper, the better of them first; the rest in order
    assert [r.row for r in out] == [2, 3, 0, 1, 4]
    assert [r.score for r in out] == [r.score for r in ranked]
    # without it, the ranking's own order
    assert [r.row for r in with_singled_out(ranked, ["A", "B"], docs.__getitem__, kinds, per_record=3)] == [0, 3, 1, 2, 4]
