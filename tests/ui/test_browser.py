"""The web UI in Debian's Chromium (Playwright): streaming answer with linked markers, the sources
panel, the link-language toggle, feedback, hostile record text that must stay inert, the
projector layout (1280×720, 1024×768, a 420 px window): what must be on screen without scrolling,
and what a source card opens: the other official version beside the paragraph, a footnote's cited
paragraph, the one-language notice and a recalled resolution's held card."""

import json
import time

import pytest

from tests.ui.conftest import HOSTILE_QUESTION

pytestmark = pytest.mark.browser
TIMEOUT = 90_000


def open_page(browser, url, width=1600, height=1000):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.dialogs = []

    def on_dialog(d):
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    # where the question box is on every frame from the start: the layout must not jump on load
    page.add_init_script("""window.__inputTops = []; const rec = () => {
        const t = document.querySelector('#question textarea');
        if (t) window.__inputTops.push(Math.round(t.getBoundingClientRect().top));
        if (window.__inputTops.length < 600) requestAnimationFrame(rec); };
      requestAnimationFrame(rec);""")
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#question textarea", timeout=TIMEOUT)
    return ctx, page


@pytest.fixture()
def page(browser, ui_server):
    ctx, page = open_page(browser, ui_server)
    yield page
    ctx.close()


def ask(page, question: str) -> None:
    n = page.locator("#chat .message-row, #chat [data-testid='bot']").count()
    page.fill("#question textarea", question)
    page.click("#ask")
    # the final answer has replaced the streamed text when the sources panel shows cards
    page.wait_for_function(
        "q => { const s = document.querySelector('#sources .unsc-sources .src-question');"
        " return s && s.textContent === q && !document.querySelector('#chat').textContent.includes('▍'); }",
        arg=question, timeout=TIMEOUT)
    assert page.locator("#chat .message-row, #chat [data-testid='bot']").count() > n


def bot_html(page) -> str:
    return page.locator("#chat [data-testid='bot']").last.inner_html()


def test_chinese_question_markers_sources_toggle_feedback(page, ui_store):
    ask(page, "第2518(2020)号决议是哪一天通过的？")
    html = bot_html(page)
    assert "2020年3月30日" in page.locator("#chat [data-testid='bot']").last.inner_text()
    last_bot = page.locator("#chat [data-testid='bot']").last
    cite = last_bot.locator("a.cite").first
    assert cite.get_attribute("href") == "#src-1" and "[1]" in cite.inner_text(), html
    for href in last_bot.locator("a.cite").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert page.locator(f"#sources {href}").count() == 1, href  # every marker has its card
    card = page.locator("#sources #src-1")
    assert "第2518(2020)号决议于2020年3月30日" in card.inner_text()
    assert card.locator("mark").count() >= 1
    assert page.locator('#sources a[href="https://undocs.org/ch/S/RES/2518(2020)"]').count() >= 1
    # the Repertoire writes "3 月 30 日" and "第 2518(2020)号": its supporting sentence is still marked
    spaced = page.locator("#sources .src-card", has_text="3 月 30 日")
    if spaced.count():
        assert any("3 月 30 日" in m for m in spaced.first.locator("mark").all_inner_texts()), spaced.first.inner_html()

    page.get_by_label("English (en)").check()
    page.wait_for_selector('#sources a[href="https://undocs.org/en/S/RES/2518(2020)"]', timeout=TIMEOUT)
    hrefs = page.eval_on_selector_all("#sources a", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith("https://undocs.org/en/") for h in hrefs)

    feedback = ui_store / "feedback.jsonl"
    before = len(feedback.read_text(encoding="utf-8").splitlines()) if feedback.exists() else 0
    page.fill("#comment textarea", "browser test comment")
    page.click("#fb-up")
    deadline = time.time() + 30
    while time.time() < deadline and (not feedback.exists() or len(feedback.read_text(encoding="utf-8").splitlines()) <= before):
        time.sleep(0.3)
    last = json.loads(feedback.read_text(encoding="utf-8").splitlines()[-1])
    assert last["rating"] == "up" and last["comment"] == "browser test comment"
    assert last["question"] == "第2518(2020)号决议是哪一天通过的？" and "[1]" in last["answer"]
    assert last["settings"]["link_lang"] == "en" and last["citations"]

    # the Chatbot's own thumbs on the answer message land in the same file
    page.locator("#chat button[aria-label='Dislike']").last.click()
    deadline = time.time() + 30
    while time.time() < deadline and len(feedback.read_text(encoding="utf-8").splitlines()) <= before + 1:
        time.sleep(0.3)
    last = json.loads(feedback.read_text(encoding="utf-8").splitlines()[-1])
    assert last["rating"] == "down" and last["question"] == "第2518(2020)号决议是哪一天通过的？"

    # export: the conversation as Markdown with its sources' links in the chosen language
    with page.expect_download(timeout=TIMEOUT) as dl:
        page.click("#export")
    md = open(dl.value.path(), encoding="utf-8").read()
    assert "第2518" in md and "<https://undocs.org/en/S/RES/2518(2020)>" in md
    assert page.dialogs == []


def test_english_question(page):
    ask(page, "When was resolution 2518 (2020) adopted?")
    assert "30 March 2020" in page.locator("#chat [data-testid='bot']").last.inner_text()
    assert page.locator("#chat a.cite[href='#src-1']").count() >= 1
    assert "30 March 2020" in page.locator("#sources #src-1").inner_text()
    # links follow the question's language by default (as the /ask API does); the toggle still wins
    hrefs = page.eval_on_selector_all("#sources a", "els => els.map(e => e.getAttribute('href'))")
    assert "https://undocs.org/en/S/RES/2518(2020)" in hrefs and all(h.startswith("https://undocs.org/en/") for h in hrefs)
    page.get_by_label("中文 (ch)").check()
    page.wait_for_selector('#sources a[href="https://undocs.org/ch/S/RES/2518(2020)"]', timeout=TIMEOUT)
    head = page.locator("#sources #src-1 .src-head").inner_text()
    assert head.count("S/RES/2518(2020)") == 1, head  # one header, the symbol once


def test_query_error_is_shown_in_chat(page):
    page.fill("#question textarea", "？？？")
    page.click("#ask")
    page.wait_for_function("() => document.querySelector('#chat').textContent.includes('⚠')", timeout=TIMEOUT)
    page.fill("#question textarea", "When was resolution 2518 (2020) adopted?")  # still usable
    page.click("#ask")
    page.wait_for_selector("#sources #src-1", timeout=TIMEOUT)


def test_hostile_record_is_inert(page):
    ask(page, HOSTILE_QUESTION)
    page.wait_for_timeout(1000)  # give any injected handler a chance to fire
    panel = page.locator("#sources").inner_text()
    chat = page.locator("#chat").inner_text()
    assert "zebra" in (panel + chat)
    assert "<img src=x onerror=alert(1)>" in panel  # shown as text
    assert page.dialogs == []
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    for h in page.eval_on_selector_all("#sources a[href], #chat .message-row a[href]", "els => els.map(e => e.getAttribute('href'))"):
        assert h.startswith("https://undocs.org/") or h.startswith("#src-"), h
    assert page.locator("#chat img[src='x'], #sources img").count() == 0


# --- projector layout ---------------------------------------------------------------------------

def box(page, selector: str) -> dict:
    b = page.locator(selector).last.bounding_box()
    assert b is not None, f"{selector} is not rendered"
    return b


def in_view(page, selector: str, whole: bool = True) -> bool:
    """The element's box (its top edge when not `whole`) lies inside the viewport."""
    b, vp = box(page, selector), page.viewport_size
    bottom = b["y"] + (b["height"] if whole else 20)
    return b["y"] >= 0 and bottom <= vp["height"] and b["x"] >= 0 and b["x"] + b["width"] <= vp["width"] + 1


def check_first_screen(page) -> None:
    """Title, question box, the latest question, the top of its answer and source [1]'s head, unscrolled."""
    assert page.evaluate("window.scrollY") == 0
    for sel in ("#unsc-title h1", "#question textarea", "#chat [data-testid='user']", "#sources #src-1 .src-head"):
        assert in_view(page, sel), (sel, box(page, sel), page.viewport_size)
    bot, chat = box(page, "#chat [data-testid='bot']"), box(page, "#chat")
    assert chat["y"] <= bot["y"] and bot["y"] + 40 <= chat["y"] + chat["height"], (bot, chat)  # top of the answer shown
    shown = min(bot["y"] + bot["height"], chat["y"] + chat["height"]) - bot["y"]
    assert shown >= min(bot["height"], 200), (bot, chat)  # and its first screen, not just a line


@pytest.mark.parametrize("width,height", [(1280, 720), (1024, 768)])
def test_projector_layout_shows_question_answer_and_first_source(browser, ui_server, width, height):
    ctx, page = open_page(browser, ui_server, width, height)
    try:
        page.wait_for_timeout(1500)  # anything that would jump on load has happened
        assert page.evaluate("window.scrollY") == 0
        tops = page.evaluate("window.__inputTops")
        assert tops and max(tops) - min(tops) <= 4, sorted(set(tops))  # nothing moved after the first frame
        for sel in ("#unsc-title h1", "#status", "#question textarea", "#ask", "#sources"):
            assert in_view(page, sel, whole=sel != "#sources"), (sel, box(page, sel))
        chat, sources = box(page, "#chat"), box(page, "#sources")
        assert sources["x"] >= chat["x"] + chat["width"] - 1  # side by side
        ask(page, "第2518(2020)号决议是哪一天通过的？")
        page.wait_for_timeout(500)
        check_first_screen(page)
        # a second question: its answer's top (not the first answer's end) is what the chat shows
        ask(page, "When was resolution 2538 (2020) adopted?")
        page.wait_for_timeout(500)
        check_first_screen(page)
        assert "2538" in page.locator("#chat [data-testid='user']").last.inner_text()
        assert page.locator("#sources .src-question").inner_text() == "When was resolution 2538 (2020) adopted?"
    finally:
        ctx.close()


def test_narrow_window_stacks_without_jumping(browser, ui_server):
    ctx, page = open_page(browser, ui_server, 420, 800)
    try:
        page.wait_for_timeout(1500)
        assert page.evaluate("window.scrollY") == 0
        assert in_view(page, "#unsc-title h1") and in_view(page, "#chat", whole=False)
        chat, sources = box(page, "#chat"), box(page, "#sources")
        assert sources["y"] >= chat["y"] + chat["height"]  # stacked: sources below the conversation
        assert chat["x"] + chat["width"] <= 421 and sources["x"] + sources["width"] <= 421  # no horizontal overflow
        assert page.evaluate("document.documentElement.scrollWidth") <= 421
        ask(page, "When was resolution 2518 (2020) adopted?")
        assert page.evaluate("window.scrollY") == 0  # answering does not move the page either
        assert in_view(page, "#chat [data-testid='user']")
        # the answer, then its sources, then the filters, feedback and export
        sources = box(page, "#sources")
        for below in ("#filters", "#feedback-row", "#export-row"):
            assert box(page, below)["y"] >= sources["y"] + sources["height"] - 1, (below, box(page, below), sources)
        assert page.evaluate("document.documentElement.scrollWidth") <= 421
    finally:
        ctx.close()


def test_presentation_mode_enlarges_type_and_puts_sources_beside(browser, ui_server):
    ctx, page = open_page(browser, ui_server, 1024, 768)
    try:
        def size() -> float:
            return page.evaluate("parseFloat(getComputedStyle(document.querySelector('#sources .unsc-sources')).fontSize)")

        before = size()
        page.get_by_label("演示模式 Presentation").check()
        page.wait_for_function("() => document.querySelector('#main-row').classList.contains('unsc-present')", timeout=TIMEOUT)
        assert size() >= before * 1.2
        assert not page.locator("#filters").is_visible() and not page.locator("#feedback-row").is_visible()
        ask(page, "第2518(2020)号决议是哪一天通过的？")
        page.wait_for_timeout(500)
        chat, src = box(page, "#chat"), box(page, "#sources #src-1")
        assert src["x"] >= chat["x"] + chat["width"] - 1 and in_view(page, "#sources #src-1 .src-head")
        check_first_screen(page)
        page.get_by_label("演示模式 Presentation").uncheck()
        page.wait_for_function("() => !document.querySelector('#main-row').classList.contains('unsc-present')", timeout=TIMEOUT)
    finally:
        ctx.close()


def test_examples_name_documents_in_the_store_and_ask_on_click(browser, ui_server):
    ctx, page = open_page(browser, ui_server, 1280, 720)
    try:
        text = page.locator("#examples").inner_text()
        assert ("2518" in text or "2538" in text) and "决议" in text and "resolution" in text
        # the same questions fill the empty conversation, on the first screen; a click asks
        first = page.locator("#chat button.example").first
        assert in_view(page, "#chat button.example")
        question = first.inner_text().strip()
        assert question in text
        first.click()
        page.wait_for_function(
            "q => { const s = document.querySelector('#sources .unsc-sources .src-question');"
            " return s && s.textContent === q && !document.querySelector('#chat').textContent.includes('▍'); }",
            arg=question, timeout=TIMEOUT)
        assert page.locator("#sources #src-1").count() == 1
        check_first_screen(page)
    finally:
        ctx.close()


# --- the other official version, footnotes followed, one-language notice, recalled resolutions -----

def test_parallel_text_opens_the_other_official_version_beside_the_paragraph(browser, ui_server):
    ctx, page = open_page(browser, ui_server, 1280, 720)
    try:
        ask(page, "What does resolution 2518 (2020) recall about resolution 2436 (2018)?")
        card = page.locator("#sources .src-card", has=page.locator(".src-twin")).first
        twin = card.locator(".src-twin")
        assert "Official Chinese text" in twin.locator("summary").inner_text()
        chinese = twin.locator(".src-text[lang='zh']")
        assert not chinese.is_visible()  # one click away, not in the way
        twin.locator("summary").click()
        chinese.wait_for(state="visible", timeout=TIMEOUT)
        assert "回顾第2436(2018)号决议" in chinese.inner_text()
        quoted, other = box(page, "#sources .src-card:has(.src-twin[open]) .src-parallel > .src-text"), chinese.bounding_box()
        assert other is not None and other["x"] >= quoted["x"] + quoted["width"] - 1  # beside it, not below
        assert abs(other["y"] - quoted["y"]) < 60
        assert 'class="src-onelang"' not in card.inner_html()  # both versions held: no notice
    finally:
        ctx.close()


def test_a_footnote_shows_the_resolution_paragraph_it_cites(page):
    ask(page, "脚注657指的是哪份文件？")
    item = page.locator("#sources .src-fn li", has=page.locator(".fn-num", has_text="657")).first
    followed = item.locator(".fn-cited")
    assert followed.count() == 1 and followed.is_visible()  # inline under the footnote, no click needed
    assert followed.get_attribute("data-chunk-id").endswith("S/RES/2538(2020)|zh|resolution_paragraph|op6")
    assert "促请会员国和联合国秘书处确保维和行动中的妇女" in followed.inner_text()
    assert item.locator('a[href="https://undocs.org/ch/S/RES/2538(2020)"]').count() == 1


def test_a_document_held_in_one_language_says_so_instead_of_a_toggle(page):
    ask(page, "What did resolution 2436 (2018) decide about the Secretary-General's reports?")
    card = page.locator("#sources .src-card", has=page.locator(".src-onelang")).first
    assert "S/RES/2436(2018)" in card.locator(".src-head").inner_text()
    assert "Only the English text is held; no Chinese official version in the records" in card.inner_text()
    assert "仅存英文文本，记录中没有中文正式版本" in card.inner_text()
    assert card.locator(".src-twin").count() == 0
    # the Chinese Repertoire part: the same notice, for its language
    ask(page, "When was resolution 2518 (2020) adopted?")
    repertoire = page.locator("#sources .src-card.kind-repertoire").first
    assert "Only the Chinese text is held; no English official version in the records" in repertoire.inner_text()


def test_a_recalled_resolution_in_the_store_opens_from_the_card(page):
    ask(page, "What does resolution 2518 (2020) recall about resolution 2436 (2018)?")
    card = page.locator("#sources .src-card", has=page.locator(".cite-doc")).first
    recalled = card.locator('.cite-doc[data-symbol="S/RES/2436(2018)"]')
    body = recalled.locator(".cite-card .src-text")
    assert not body.is_visible()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    recalled.locator("summary").click()
    body.wait_for(state="visible", timeout=TIMEOUT)
    assert recalled.get_attribute("data-chunk-id") == "S/RES/2436(2018)|en|resolution_paragraph|pre1"
    assert body.inner_text().startswith("Recalling the purposes and principles of the Charter")
    assert recalled.locator('a[href="https://undocs.org/en/S/RES/2436(2018)"]').count() == 1
    page.wait_for_timeout(300)
    assert requests == []  # read from the store with the answer: opening it asks nobody
