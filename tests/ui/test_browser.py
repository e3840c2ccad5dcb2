"""The web UI in Debian's Chromium (Playwright): streaming answer with linked markers, the sources
panel, the link-language toggle, feedback, and hostile record text that must stay inert."""

import json
import time

import pytest

from tests.ui.conftest import HOSTILE_QUESTION

pytestmark = pytest.mark.browser
TIMEOUT = 90_000


@pytest.fixture()
def page(browser, ui_server):
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = ctx.new_page()
    page.dialogs = []

    def on_dialog(d):
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(ui_server, wait_until="domcontentloaded")
    page.wait_for_selector("#question textarea", timeout=TIMEOUT)
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
    assert page.locator('#sources a[href="https://undocs.org/ch/S/RES/2518(2020)"]').count() >= 1


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
