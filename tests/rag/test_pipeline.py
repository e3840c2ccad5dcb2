"""The question as the pipeline reads it with its store's vocabulary and lexicon (rag.pipeline)."""

from __future__ import annotations

from rag.answer import Answerer
from rag.lexicon import Lexicon
from rag.pipeline import AskPipeline


class _Store:
    """What the pipeline reads of a store to analyse a question: its topics and its lexicon."""

    def topic_vocabulary(self) -> list[list[str]]:
        return [["YOUTH", "青年"], ["PIRACY", "海盗"]]

    def lexicon(self) -> Lexicon:
        return Lexicon(zh_en={"青年": ("youth",)}, en_zh={"youth": ("青年",)}, pairs=9000, shadows={"青年": ("青年党",)})


def test_a_topic_named_only_inside_a_longer_word_that_is_another_word_is_not_named():
    pipeline = AskPipeline(_Store(), Answerer())  # type: ignore[arg-type]
    assert pipeline.question("2023年12月关于青年党的索马里制裁决议要求如何记录缴获的武器？").topics == []
    assert pipeline.question("安理会2025年12月关于青年与和平与安全的决议要求什么？").topics == [["YOUTH", "青年"]]
    # a Chinese question names an English-only subject by the word the records translate it by
    assert pipeline.question("2012年11月关于海盗问题的主席声明指出了什么？").topics == [["PIRACY", "海盗"]]
