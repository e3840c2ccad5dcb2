"""A Chinese↔English lexicon learned from the records' own official translations.

Why: a Chinese question about a record held only in English (every resolution before 2020, most
presidential statements) shares no word with it, and the hand-written glossary (`rag.glossary`)
knows a few hundred Council terms, not "流离失所" (displaced) or "海盗" (piracy). The store already
holds thousands of paragraphs in both official versions (the 2020+ resolutions and statements,
aligned by `passage_key`: document, kind, paragraph and position), so the translation of a word is
what its paragraphs' twins say: the English stem that occurs in the English twins of the
paragraphs holding the Chinese word, and rarely elsewhere.

Association is the Dice coefficient over aligned paragraph pairs, 2·c(z,e) / (c(z) + c(e)), which
discounts words present everywhere ("council", "安理会"). A translation is kept only when it is
frequent enough to be evidence (`MIN_PAIRS`), strongly associated (`MIN_DICE`) and nearly as good
as the word's best one (`NEAR_BEST`): "青年" keeps "youth" (0.69) and drops "shabaab" (0.56, from
"青年党", al-Shabaab). Nothing is tuned to questions: the lexicon is whatever the records translate.

Dice counts co-occurrence, so a Chinese word whose English is also said by many other words
("延长" and "续延" both say "extend"; "设立" says "establish" beside "成立" and "建立") stays under
its bar however consistently it is translated. A word-alignment model sees what co-occurrence cannot:
within a pair, an English word is explained by the Chinese word that explains it elsewhere. IBM
Model 1 (Brown et al. 1993), estimated by EM over the same pairs (`_aligned`), gives t(e | z), the
share of z's links that go to e; its confident links ("设立" → "establish", t = 0.66; "撤出" →
"withdrawal") are added Chinese → English, beside the Dice translations.

Built from the lexical index's term matrix (no re-tokenising): about half a second at the whole
record for Dice, about ten more for the alignment, so the store caches the result (`Lexicon.to_json`)
and learns it once per generation, at start-up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

# What the cache key holds besides the pairs' texts: bump when the learner or its constants change.
LEXICON_VERSION = "2026-12-02 dice+ibm1 e"
MIN_PAIRS = 3  # aligned paragraph pairs holding both words: fewer is an accident, not a translation
MIN_DICE = 0.3
NEAR_BEST = 0.85  # keep translations at least this share of the best one's association
MAX_TRANSLATIONS = 2
# A Chinese word is also translated (one way) by the English word its aligned twins nearly always
# hold (see _implied): in this share of its pairs, over this many pairs, this many times its base rate.
IMPLIED_SHARE = 0.9
IMPLIED_PAIRS = 20
IMPLIED_LIFT = 3.0
# A longer word holding a translated one ("青年党" holding "青年") is a different word when its
# English twins say that translation in fewer than this share of their pairs.
SHADOW_SHARE = 0.5
# Word alignment (see _aligned): EM iterations; a link kept when t(e|z) reaches ALIGN_MIN_T over at
# least MIN_PAIRS expected links; a second one at ALIGN_NEAR_BEST of the best, said beside the best
# in under ALIGN_COMPANION of its pairs, or in ALIGN_COMPOUND of the word's pairs. ALIGN_NULL is the
# weight of "no Chinese word" explaining an English one (words the Chinese leaves implicit).
ALIGN_ITERATIONS = 5
ALIGN_MIN_T = 0.15
ALIGN_NEAR_BEST = 0.5
ALIGN_NULL = 1e-3
ALIGN_COMPANION = 0.5
ALIGN_COMPOUND = 0.8
# Aligned pairs needed before anything is learned: over a few documents chance co-occurrence passes
# the tests above (in the bundled sample's 55 pairs "安全理事会" pairs with "principl"); the 2020+
# record has about 9,600.
MIN_CORPUS_PAIRS = 500

_ZH_TERM = re.compile(r"^[\u3400-\u9fff]{2,}$")
_EN_TERM = re.compile(r"^[a-z][a-z-]+$")


@dataclass
class Lexicon:
    """Word → translations, both ways (Chinese jieba words ↔ English stems)."""

    zh_en: dict[str, tuple[str, ...]] = field(default_factory=dict)
    en_zh: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pairs: int = 0  # aligned paragraph pairs it was learned from
    shadows: dict[str, tuple[str, ...]] = field(default_factory=dict)  # see longer_words

    def english(self, zh_word: str) -> tuple[str, ...]:
        return self.zh_en.get(zh_word, ())

    def chinese(self, en_stem: str) -> tuple[str, ...]:
        return self.en_zh.get(en_stem, ())

    def longer_words(self, zh_word: str) -> tuple[str, ...]:
        """Chinese words containing `zh_word` whose English twins seldom say its translation:
        "青年党" (al-Shabaab) holds "青年" (youth) but is not about youth, so an occurrence inside it
        is not the word; "难民营" (refugee camp) is still about refugees, and is not listed."""
        return self.shadows.get(zh_word, ())

    def with_chinese_names(self, groups: Sequence[Sequence[str]], stem: Callable[[str], list[str]],
                           attested: Callable[[str, str], bool] | None = None) -> list[list[str]]:
        """Topic name groups, each one-word English name with the Chinese words the records translate
        it by, and translate back into it ("PIRACY" with "海盗"): the records' subjects are catalogued
        in English only.
        `stem` is the English tokenizer the lexicon was learned with; `attested(word, chinese)`, when
        given, says whether the records say the word itself where they say the Chinese (the lexicon
        links stems: "考虑" is "taking into account", not ACCOUNTING)."""
        out: list[list[str]] = []
        for group in groups:
            extra: list[str] = []
            if len(group) == 1 and group[0].isascii():
                stems = stem(group[0])
                if len(stems) == 1:  # both ways: "海盗" names "PIRACY", not "ROBBERY" ("armed robbery at sea")
                    # the Chinese word's first sense is the subject ("考虑" is first "consider")
                    extra = [z for z in self.chinese(stems[0]) if len(z) >= 2 and self.english(z)[:1] == (stems[0],)
                             and (attested is None or attested(group[0], z))]
            out.append(list(group) + extra)
        return out

    def __len__(self) -> int:
        return len(self.zh_en) + len(self.en_zh)

    def to_json(self) -> str:
        """The learned lexicon, for a cache beside the lexical index (learning takes seconds)."""
        return json.dumps({"version": LEXICON_VERSION, "zh_en": self.zh_en, "en_zh": self.en_zh,
                           "pairs": self.pairs, "shadows": self.shadows}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Lexicon | None":
        """A lexicon saved by `to_json`, or None if it was saved by another version of the learner."""
        d = json.loads(text)
        if d.get("version") != LEXICON_VERSION:
            return None
        tup = lambda m: {k: tuple(v) for k, v in m.items()}  # noqa: E731
        return cls(tup(d["zh_en"]), tup(d["en_zh"]), int(d["pairs"]), tup(d["shadows"]))

    @classmethod
    def learn(cls, terms: Sequence[str], matrix: sp.spmatrix, pairs: Sequence[tuple[int, int]],
              zh_word: Callable[[str], bool] = lambda t: True) -> "Lexicon":
        """Learn from a chunk × term matrix (any non-zero = present) and (Chinese row, English row)
        pairs of the same passage in its two official versions.

        `zh_word` tells a Chinese word from a character bigram (the index holds both): only words
        are learned, since the bigrams straddling words ("将第" in "决定将第…") associate with
        whatever English their paragraphs share."""
        if len(pairs) < MIN_CORPUS_PAIRS:
            return cls(pairs=len(pairs))
        vocab = np.asarray(terms, dtype=object)
        is_zh = np.fromiter((bool(_ZH_TERM.match(t)) and zh_word(t) for t in vocab), dtype=bool, count=len(vocab))
        is_en = np.fromiter((bool(_EN_TERM.match(t)) for t in vocab), dtype=bool, count=len(vocab))
        m = sp.csr_matrix(matrix)
        zh_rows = [z for z, _ in pairs]
        en_rows = [e for _, e in pairs]
        z = (m[zh_rows][:, np.flatnonzero(is_zh)] != 0).astype(np.float32).tocsc()
        e = (m[en_rows][:, np.flatnonzero(is_en)] != 0).astype(np.float32).tocsc()
        co = (z.T @ e).tocsr()  # zh term × en term: aligned pairs holding both
        cz = np.asarray(z.sum(axis=0)).ravel()
        ce = np.asarray(e.sum(axis=0)).ravel()
        zh_en = _best(co, cz, ce, vocab[is_zh], vocab[is_en])
        en_zh = _best(co.T.tocsr(), ce, cz, vocab[is_en], vocab[is_zh])
        # Kept only where both directions agree: "authorization" is most associated with "索马里" (the
        # Somalia piracy authorizations recur), but "索马里" translates to "somalia", so the pair goes.
        zh_en = {z: kept for z, es in zh_en.items() if (kept := tuple(e for e in es if z in en_zh.get(e, ())))}
        en_zh = {e: kept for e, zs in en_zh.items() if (kept := tuple(z for z in zs if e in zh_en.get(z, ())))}
        # A Chinese word whose English is also said by abbreviations and compounds ("iraq" is in the
        # twins of "联伊援助团" and "伊拉克人" too, so Dice(伊拉克, iraq) is 0.30) is still translated
        # when its twins nearly always say one specific word: a Chinese question's words reach the
        # English-only records. One direction only (Chinese → English), never over a Dice translation.
        # The word-alignment model's links, after the Dice translations (up to MAX_TRANSLATIONS).
        for word, links in _aligned(z.tocsr(), e.tocsr(), co, vocab[is_zh], vocab[is_en]).items():
            have = zh_en.get(word, ())
            zh_en[word] = (have + tuple(x for x in links if x not in have))[:max(MAX_TRANSLATIONS, len(have))]
        for word, e in _implied(co, cz, ce, len(pairs), vocab[is_zh], vocab[is_en]).items():
            zh_en.setdefault(word, (e,))
        return cls(zh_en, en_zh, len(pairs), _shadows(zh_en, co, cz, vocab[is_zh], vocab[is_en]))


def _aligned(z: sp.csr_matrix, e: sp.csr_matrix, co: sp.spmatrix, zh: np.ndarray, en: np.ndarray
             ) -> dict[str, tuple[str, ...]]:
    """Chinese word → the English words IBM Model 1 links it to (see the module docstring).

    z and e are the pairs' binary term rows (pair × Chinese word, pair × English word), co = zᵀe. A
    link z → e is kept when t(e|z) reaches ALIGN_MIN_T over at least MIN_PAIRS expected links. A
    second link must reach ALIGN_NEAR_BEST of the best and be either an alternative to it (where the
    pairs say the second, they seldom say the first: under ALIGN_COMPANION of them) or the other half
    of a compound (said in ALIGN_COMPOUND of the word's pairs: "武装冲突", "armed conflict"), not a
    companion: "索马里" is linked to "somalia", and to "authorization" only because half of its
    paragraphs, the Somalia piracy resolutions, say both side by side."""
    co = sp.csr_matrix(co)
    co.sort_indices()
    t, count = _ibm1(z, e, co)  # t(e|z), entry by entry of co
    row = np.repeat(np.arange(co.shape[0], dtype=np.int64), np.diff(co.indptr))
    col = co.indices.astype(np.int64)
    ok = np.flatnonzero((t >= ALIGN_MIN_T) & (count >= MIN_PAIRS))
    ok = ok[np.lexsort((-t[ok], row[ok]))]  # by Chinese word, best link first
    zc, ec = z.tocsc(), e.tocsc()
    out: dict[str, tuple[str, ...]] = {}
    for mine in np.split(ok, np.flatnonzero(np.diff(row[ok])) + 1):
        if not len(mine):
            continue
        links = [col[mine[0]]]
        for k in mine[1:MAX_TRANSLATIONS]:
            if t[k] < ALIGN_NEAR_BEST * t[mine[0]]:
                break
            held = zc[:, [row[k]]].multiply(ec[:, [col[k]]])  # pairs saying z and this link
            alternative = held.multiply(ec[:, [links[0]]]).sum() < ALIGN_COMPANION * held.sum()
            compound = held.sum() >= ALIGN_COMPOUND * zc[:, [row[k]]].sum()  # "武装冲突": "armed conflict"
            if alternative or compound:
                links.append(col[k])
        out[str(zh[row[mine[0]]])] = tuple(str(en[j]) for j in links)
    return out


def _ibm1(src: sp.csr_matrix, tgt: sp.csr_matrix, co: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """IBM Model 1 by EM: t(target word | source word) and the expected links, at co's entries
    (co = srcᵀ·tgt, indices sorted). Each pair is a bag of words on both sides: every target word of a
    pair is generated by one of the pair's source words (or by none, ALIGN_NULL). From uniform t, the
    expected links of every (source, target) in each pair are summed, then each source word's links
    are renormalised. Vectorised over all (pair, source, target) triples (about 20 million at the
    whole record): one gather, one segmented sum and one bincount per iteration."""
    n_s, n_t = src.shape[1], tgt.shape[1]
    sl, tl = np.diff(src.indptr), np.diff(tgt.indptr)
    si_parts, ti_parts = [], []
    for p in np.flatnonzero((sl > 0) & (tl > 0)):
        ss = src.indices[src.indptr[p]:src.indptr[p + 1]]
        ts = tgt.indices[tgt.indptr[p]:tgt.indptr[p + 1]]
        si_parts.append(np.tile(ss, len(ts)))  # grouped by (pair, target word), source word fastest
        ti_parts.append(np.repeat(ts, len(ss)))
    row = np.repeat(np.arange(n_s, dtype=np.int64), np.diff(co.indptr))
    if not si_parts:
        return np.zeros(co.nnz), np.zeros(co.nnz)
    seg_len = np.repeat(sl, tl)  # one segment per (pair, target word): its pair's source words
    seg_len = seg_len[seg_len > 0]
    starts = np.concatenate([[0], np.cumsum(seg_len)[:-1]])
    # every (source, target) that ever meets is an entry of co: its position is its link id
    where = np.searchsorted(row * n_t + co.indices,
                            np.concatenate(si_parts).astype(np.int64) * n_t + np.concatenate(ti_parts))
    t = 1.0 / np.maximum(np.bincount(row, minlength=n_s)[row], 1)
    count = np.zeros(co.nnz)
    for _ in range(ALIGN_ITERATIONS):
        v = t[where]
        post = v / np.repeat(np.add.reduceat(v, starts) + ALIGN_NULL, seg_len)
        count = np.bincount(where, weights=post, minlength=co.nnz)
        t = count / np.maximum(np.bincount(row, weights=count, minlength=n_s)[row], 1e-12)
    return t, count


def _implied(co: sp.csr_matrix, cz: np.ndarray, ce: np.ndarray, n: int, zh: np.ndarray, en: np.ndarray
             ) -> dict[str, str]:
    """Chinese word → the English word present in at least IMPLIED_SHARE of its aligned twins (over
    at least IMPLIED_PAIRS pairs), at least IMPLIED_LIFT times as often as in twins at large."""
    rows = np.repeat(np.arange(co.shape[0]), np.diff(co.indptr))
    share = co.data / np.maximum(cz[rows], 1.0)
    lift = share / np.maximum(ce[co.indices] / max(n, 1), 1e-9)
    ok = (co.data >= IMPLIED_PAIRS) & (share >= IMPLIED_SHARE) & (lift >= IMPLIED_LIFT)
    out: dict[str, str] = {}
    for i in np.unique(rows[ok]):
        lo, hi = co.indptr[i], co.indptr[i + 1]
        sel = np.flatnonzero(ok[lo:hi])
        best = sel[np.lexsort((-share[lo:hi][sel], -lift[lo:hi][sel]))[0]]  # most specific first
        out[str(zh[i])] = str(en[co.indices[lo + best]])
    return out


def _shadows(zh_en: dict[str, tuple[str, ...]], co: sp.csr_matrix, cz: np.ndarray, zh: np.ndarray, en: np.ndarray
             ) -> dict[str, tuple[str, ...]]:
    """For each translated word, the longer words holding it whose aligned English twins carry its
    translation in fewer than SHADOW_SHARE of their pairs (see Lexicon.longer_words)."""
    zi = {str(w): i for i, w in enumerate(zh)}
    ei = {str(w): i for i, w in enumerate(en)}
    out: dict[str, list[str]] = {}
    for long_word, li in zi.items():
        if len(long_word) < 3 or cz[li] < MIN_PAIRS:
            continue
        row = co.getrow(li)
        held = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        for n in range(2, len(long_word)):
            for k in range(len(long_word) - n + 1):
                part = long_word[k:k + n]
                trans = zh_en.get(part)
                if not trans or long_word in out.get(part, ()):
                    continue
                said = max((held.get(ei[t], 0.0) for t in trans if t in ei), default=0.0)
                if said < SHADOW_SHARE * cz[li]:
                    out.setdefault(part, []).append(long_word)
    return {k: tuple(v) for k, v in out.items()}


def _best(co: sp.csr_matrix, c_src: np.ndarray, c_tgt: np.ndarray, src: np.ndarray, tgt: np.ndarray
          ) -> dict[str, tuple[str, ...]]:
    """For each source word, its target words passing MIN_PAIRS, MIN_DICE and NEAR_BEST."""
    out: dict[str, tuple[str, ...]] = {}
    rows = np.repeat(np.arange(co.shape[0]), np.diff(co.indptr))
    dice = 2.0 * co.data / (c_src[rows] + c_tgt[co.indices])
    ok = (co.data >= MIN_PAIRS) & (dice >= MIN_DICE)
    for i in np.unique(rows[ok]):
        lo, hi = co.indptr[i], co.indptr[i + 1]
        sel = ok[lo:hi]
        d = dice[lo:hi][sel]
        cols = co.indices[lo:hi][sel]
        order = np.argsort(-d, kind="stable")
        top = d[order[0]]
        keep = [str(tgt[cols[j]]) for j in order[:MAX_TRANSLATIONS] if d[j] >= NEAR_BEST * top]
        out[str(src[i])] = tuple(keep)
    return out


__all__ = ["LEXICON_VERSION", "Lexicon", "MIN_CORPUS_PAIRS", "MIN_DICE", "MIN_PAIRS", "NEAR_BEST", "SHADOW_SHARE"]
