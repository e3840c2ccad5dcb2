"""A Repertoire footnote that cites a resolution paragraph shows that paragraph's text, read from the store."""

from __future__ import annotations

import pytest

from ui.render import answer_json, source_card

pytestmark = pytest.mark.slow


def _footnote(ans, number: str):
    data = answer_json(ans)
    return next(f for c in data["citations"] for f in c["footnotes"] if f["number"] == number)


def test_a_footnote_citing_paragraph_6_of_2538_carries_that_paragraph_in_the_json(sample_pipeline):
    ans = sample_pipeline.ask("脚注657指的是哪份文件？")
    (cited,) = _footnote(ans, "657")["cited_paragraphs"]
    assert cited["symbol"] == "S/RES/2538(2020)" and cited["paragraph"] == 6 and cited["lang"] == "zh"
    assert cited["chunk_id"].endswith("|zh|resolution_paragraph|op6")
    assert cited["text"].startswith("促请会员国和联合国秘书处确保维和行动中的妇女")
    assert cited["link"] == "https://undocs.org/ch/S/RES/2538(2020)"


def test_an_english_question_gets_the_official_english_paragraph(sample_pipeline):
    ans = sample_pipeline.ask("What does footnote 657 refer to?")
    (cited,) = _footnote(ans, "657")["cited_paragraphs"]
    assert cited["lang"] == "en" and cited["paragraph"] == 6
    assert cited["link"] == "https://undocs.org/en/S/RES/2538(2020)"


def test_a_footnote_citing_two_paragraphs_shows_both_in_the_card(sample_pipeline):
    ans = sample_pipeline.ask("脚注643指的是哪份文件？")
    cited = _footnote(ans, "643")["cited_paragraphs"]
    assert [p["paragraph"] for p in cited] == [10, 12]
    card = next(c for c in ans.citations if any(f.number == "643" for f in c.footnotes))
    html = source_card(card, "zh")
    assert html.count('class="fn-cited"') >= 2 and "op10" in html and "op12" in html
