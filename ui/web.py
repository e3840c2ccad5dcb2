"""The web chat (`unsc serve`): a Gradio Blocks app over the same warm `AskPipeline` as `unsc ask`.

Layout (projector first, 1280×720): a one-line header (title, status line, presentation toggle),
then the chat (streamed answers, citation markers linked to the source cards) on the left and the
sources panel (gr.HTML rendered by `ui.render`, escaped) on the right, both fitted to the window so
the question, the top of the latest answer and source [1] need no scrolling (`render.SCRIPT`);
example questions drawn from the store; below both (after the sources when narrow): filters in an accordion, feedback
(👍/👎 + comment → `<store>/feedback.jsonl`), Markdown export. Source links follow the question's
language unless the toggle picks one. Logs: warnings and errors only (`unsc serve --verbose` for more).
A named API endpoint `/ask` serves scripts (`gradio_client.Client(url).predict(q, api_name="/ask")`).

The pipeline is built once in `serve()` before launching (models warm, lexical index built).
If the store cannot be opened (Chroma server down), the UI still starts, says so in the status
line and in the chat, and retries on the next question.
"""

import logging
import os
import re
import tempfile
import threading
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr

from ingest.errors import ServiceUnavailable, StoreError
from rag.answer import Answer
from rag.question import QueryError
from rag.types import SearchFilters
from ui import render
from ui.export import conversation_markdown
from ui.feedback import FeedbackStore, Rating, feedback_path
from ui.labels import KIND_CHOICES, store_examples, t
from ui.settings import Settings

log = logging.getLogger("unsc.web")

# Queue (settings `ui_concurrency`, `ui_queue_max`; env UNSC_UI_CONCURRENCY, UNSC_UI_QUEUE_MAX).
# Answering is CPU-bound (query embedding, BM25, sentence selection) on a small host, so running
# more answers at once than there are cores only adds contention: at most `ui_concurrency` [2]
# answers run together per worker, the rest wait in a FIFO queue. 16 concurrent users then wait at
# most ~8 answer-times; `ui_queue_max` [64 = 4 pending requests per user for 16 users] bounds
# memory and latency: beyond it new requests are refused at once ("queue full") instead of waiting
# minutes. Cheap events (link-language toggle, feedback, export) get their own unlimited
# concurrency so they never wait behind answers.
CLOSEST_SHOWN = 5
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _store_errors() -> tuple[type[BaseException], ...]:
    """Every error that means 'the index cannot be used right now': one root in ingest.errors."""
    return (StoreError,)


def looks_like_store_down(e: BaseException) -> bool:
    """A connection failure from the Chroma client (server gone mid-session)."""
    mod = type(e).__module__ or ""
    return isinstance(e, (ConnectionError, TimeoutError)) or mod.split(".")[0] in ("chromadb", "httpx", "httpcore", "urllib3", "requests")


class Service:
    """The warm pipeline, the store it reads and the feedback file, shared by all sessions."""

    def __init__(self, settings: Settings, store=None, pipeline=None):
        self.settings = settings
        self.store = store
        self.pipeline = pipeline
        self.stats = None
        self.error: str | None = None
        self.feedback = FeedbackStore(feedback_path(settings.store))
        self._lock = threading.Lock()

    def start(self) -> "Service":
        """Open the store and build the pipeline (models loaded once); remember why it failed."""
        from ui.app import build_pipeline, open_store

        with self._lock:
            try:
                if self.store is None:
                    self.store = open_store(self.settings)
                if self.pipeline is None:
                    self.pipeline = build_pipeline(self.settings, self.store)
                self.stats = self.store.stats()
                self.error = None
            except _store_errors() as e:
                self.error = f"{t('store_unavailable')} ({e})"
                log.error("store unavailable: %s", e)
            except Exception as e:  # noqa: BLE001 - chromadb client errors when the server is down
                self.error = f"{t('store_unavailable')} ({type(e).__name__}: {e})"
                log.exception("cannot open the store")
        return self

    def get_pipeline(self):
        if self.pipeline is None:
            self.start()
        if self.pipeline is None:
            raise ServiceUnavailable(self.error or t("store_unavailable"))
        if getattr(self.store, "remote", False):
            # The retriever quietly falls back to its in-memory keyword snapshot when dense search
            # fails, so a dead Chroma server would otherwise go unnoticed: ask the server first
            # (one local round trip) and say so clearly; the next question checks again (recovery).
            try:
                self.store.client.heartbeat()
            except Exception as e:  # noqa: BLE001 - any failure means "cannot use the server"
                self.error = f"{t('store_unavailable')} ({type(e).__name__})"
                log.error("Chroma server at %s is unavailable: %s", self.settings.chroma_url, e)
                raise ServiceUnavailable(t("store_unavailable")) from None
            self.error = None
        return self.pipeline  # one warm pipeline; per-request `k` never mutates it

    def chunks(self, ids: list[str]) -> dict:
        if self.store is None or not ids:
            return {}
        try:
            return self.store.get_chunks(ids)
        except Exception:  # noqa: BLE001 - the panel falls back to the retrieved text
            log.warning("could not fetch chunks for the abstention panel", exc_info=True)
            return {}

    def status(self) -> str:
        return render.status_html(self.stats, self.settings.llm, self.error)

    def examples(self) -> list[str]:
        """Example questions about documents this store holds (none when it cannot be read)."""
        try:
            if self.pipeline is not None:
                chunks = self.pipeline.retriever.lexical_index.chunks  # already in memory
            elif self.store is not None:
                chunks = self.store.all_chunks()
            else:
                return []
            return store_examples(chunks)
        except Exception:  # noqa: BLE001 - examples are a convenience; the UI works without them
            log.warning("could not draw example questions from the store", exc_info=True)
            return []


# --- request helpers --------------------------------------------------------------------------

def parse_date(value: str | None, end: bool = False) -> date | None:
    """A filter date: YYYY-MM-DD, or a bare year YYYY (1 January, or 31 December when `end`)."""
    value = (value or "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 12, 31) if end else date(int(value), 1, 1)
    if not _DATE.match(value):
        raise ValueError(f"{t('bad_date')}: {value}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{t('bad_date')}: {value}") from None


def make_filters(lang: str | None = "", kind: str | None = "any", symbol: str | None = "",
                 date_from: str | None = "", date_to: str | None = "") -> SearchFilters:
    """UI/API filter values → SearchFilters. Raises ValueError (user-facing) for a bad date.

    `kind` is a record kind (`KIND_CHOICES`: resolution, presidential_statement,
    draft_not_adopted, veto, repertoire; several may be given comma-separated through the API);
    dates may be bare years, so "2019" to "2022" is a year range.
    """
    from ingest.symbols import canonical

    symbols = [canonical(s) for s in re.split(r"[,;，；]", symbol or "") if s.strip()]
    kinds: list[str] = []
    for k in re.split(r"[,\s]+", kind or ""):
        kinds += [d for d in KIND_CHOICES.get(k, []) if d not in kinds]
    return SearchFilters(
        langs=[lang] if lang in ("zh", "en") else [],
        doc_kinds=kinds,
        symbols=symbols,
        date_from=parse_date(date_from),
        date_to=parse_date(date_to, end=True),
    )


def _clamp_k(k: Any, default: int, most: int) -> int:
    try:
        k = int(k)
    except (TypeError, ValueError):
        return default
    return default if k <= 0 else max(1, min(most, k))


def answer_json(ans: Answer, link_lang: str = "auto") -> dict:
    """The JSON the `/ask` endpoint returns: the one contract `unsc ask --json` prints too (ui.render.answer_json)."""
    return render.answer_json(ans, link_lang, CLOSEST_SHOWN)


# --- the app: handlers ------------------------------------------------------------------------

class Handlers:
    """What the page's events do, over one shared `Service`.

    Why a class: the events share the service, the settings and the export directory; as methods
    they stay small and named (the layout and the wiring are separate builders below). Gradio
    reads the `gr.Request` / `gr.LikeData` / `gr.SelectData` annotations to inject those values.
    """

    def __init__(self, service: Service):
        self.service = service
        self.settings = service.settings
        self.export_dir = Path(tempfile.mkdtemp(prefix="unsc-export-"))

    def snapshot(self, filters: SearchFilters, k: int, link_lang: str) -> dict:
        """The settings an answer was given under, saved with its feedback."""
        s = self.settings
        return {"k": k, "filters": filters.model_dump(mode="json"), "link_lang": link_lang, "embedder": s.embedder,
                "llm": s.llm, "collection": s.collection, "chroma_url": s.chroma_url}

    def panel(self, turns: list[dict], link_lang: str) -> str:
        if not turns:
            return render.sources_html(None)
        ans: Answer = turns[-1]["answer"]
        # the stored chunks add what a citation does not carry (record kind, language) and,
        # when the answer abstains, the closest records' documents
        ids = [c.chunk_id for c in ans.citations]
        if ans.abstained:
            ids += [r.chunk_id for r in ans.retrieved[:CLOSEST_SHOWN]]
        return render.sources_html(ans, link_lang, self.service.chunks(ids))

    def export_file(self, turns: list[dict], link_lang: str, request: gr.Request | None):
        if not turns:
            return gr.update(value=None, interactive=False)
        sid = re.sub(r"[^A-Za-z0-9]", "", getattr(request, "session_hash", "") or "session")[:32] or "session"
        path = self.export_dir / f"unsc-chat-{sid}.md"
        path.write_text(conversation_markdown([x["answer"] for x in turns], link_lang), encoding="utf-8")
        return gr.update(value=str(path), interactive=True)

    def _failure(self, e: Exception, turns: list[dict], link_lang: str) -> tuple[str, str]:
        """(chat message, sources panel) for an answer that failed: a message, never a crash."""
        if isinstance(e, (QueryError, ValueError)):  # QueryError is a ValueError; bad dates too
            return render.chat_error(str(e)), self.panel(turns, link_lang)
        if isinstance(e, ServiceUnavailable):
            return render.chat_error(str(e)), render.placeholder_html(str(e))
        if isinstance(e, _store_errors()):
            self.service.error = f"{t('store_unavailable')} ({e})"
            return render.chat_error(t("store_unavailable")), render.placeholder_html(t("store_unavailable"))
        log.error("answering failed", exc_info=e)  # Chroma server gone mid-query, …
        message = t("store_unavailable") if looks_like_store_down(e) else t("error")
        return render.chat_error(message), self.panel(turns, link_lang)

    def respond(self, question, chat, turns, lang, kind, symbol, date_from, date_to, k, link_lang, request: gr.Request):
        """Stream the answer into the chat, then show the final one with its sources and export."""
        chat, turns = list(chat or []), list(turns or [])
        question = (question or "").strip()
        chat.append({"role": "user", "content": render.chat_question(question)})
        chat.append({"role": "assistant", "content": render.md_text(t("searching"))})
        yield chat, turns, render.placeholder_html(t("searching")), "", gr.update()
        k = _clamp_k(k, self.settings.k, self.settings.retrieval.max_k)
        final: Answer | None = None
        try:
            filters = make_filters(lang, kind, symbol, date_from, date_to)
            history = [(x["answer"].question, x["answer"].answer) for x in turns]
            streamed = ""
            for event in self.service.get_pipeline().stream(question, history, filters=filters, k=k):
                if event.type == "delta":
                    streamed += event.text
                    chat[-1] = {"role": "assistant", "content": render.chat_streaming(streamed)}
                    yield chat, turns, gr.update(), gr.update(), gr.update()
                elif event.answer is not None:
                    final = event.answer
        except Exception as e:  # noqa: BLE001 - never crash the session (see _failure)
            message, panel = self._failure(e, turns, link_lang)
            chat[-1] = {"role": "assistant", "content": message}
            yield chat, turns, panel, gr.update(), gr.update()
            return
        assert final is not None
        chat[-1] = {"role": "assistant", "content": render.chat_answer(final)}  # authoritative
        turns.append({"answer": final, "settings": self.snapshot(filters, k, link_lang), "msg_index": len(chat) - 1})
        yield chat, turns, self.panel(turns, link_lang), gr.update(), self.export_file(turns, link_lang, request)

    def relink(self, link_lang, turns, request: gr.Request):
        return self.panel(turns or [], link_lang), self.export_file(turns or [], link_lang, request)

    def save_feedback(self, rating: Rating, comment: str, turn: dict | None, link_lang: str) -> str:
        if not turn:
            return t("feedback_none")
        snap = dict(turn.get("settings") or {}, link_lang=render.effective_link_lang(link_lang, turn["answer"].lang))
        self.service.feedback.add(rating, turn["answer"], comment, snap)
        return t("feedback_saved")

    def rate_up(self, comment, turns, link_lang):
        return self._rate_latest("up", comment, turns, link_lang)

    def rate_down(self, comment, turns, link_lang):
        return self._rate_latest("down", comment, turns, link_lang)

    def _rate_latest(self, rating: Rating, comment, turns, link_lang):
        msg = self.save_feedback(rating, comment, (turns or [None])[-1], link_lang)
        return gr.update(value=msg, visible=True), ""

    def on_like(self, data: gr.LikeData, comment, turns, link_lang):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = next((x for x in (turns or []) if x.get("msg_index") == index), None)
        if data.liked is None or data.liked == "" or turn is None:
            return gr.update(), comment
        liked = data.liked is True or str(data.liked).lower() in ("like", "true")
        msg = self.save_feedback("up" if liked else "down", comment, turn, link_lang)
        return gr.update(value=msg, visible=True), ""

    @staticmethod
    def pick_example(evt: gr.SelectData) -> str:
        value = evt.value if isinstance(evt.value, dict) else {}
        return str(value.get("text") or "")

    @staticmethod
    def clear():
        return [], [], render.sources_html(None), gr.update(value=None, interactive=False), gr.update(value="", visible=False)

    def refresh_status(self):
        return self.service.status()


def api_endpoint(service: Service):
    """The `/ask` function scripts call (its docstring and signature are the API's documentation)."""
    settings = service.settings

    def api_ask(question: str, lang: str = "", kind: str = "any", symbol: str = "", date_from: str = "",
                date_to: str = "", k: int = 0, link_lang: str = "") -> dict:
        """Answer a question about UN Security Council records, with cited sources.

        Args:
            question: The question, in Chinese or English.
            lang: Only sources in this language: "zh", "en" or "" (all).
            kind: "any", or record kinds, comma-separated: "resolution", "presidential_statement", "draft_not_adopted",
                "veto", "repertoire".
            symbol: Only sources of, or citing, this document symbol (e.g. "S/RES/2518(2020)").
            date_from: Earliest date, YYYY-MM-DD, or a year YYYY (from 1 January) ("" = none).
            date_to: Latest date, YYYY-MM-DD, or a year YYYY (to 31 December) ("" = none).
            k: Number of sources (1-10; 0 = the server's default).
            link_lang: Language of the undocs.org links: "zh" (/ch/), "en" (/en/), or "" (the question's).
        """
        try:
            filters = make_filters(lang, kind, symbol, date_from, date_to)
            ans = service.get_pipeline().ask(question, filters=filters, k=_clamp_k(k, settings.k, settings.retrieval.max_k))
        except (QueryError, ValueError, ServiceUnavailable) as e:
            return {"error": str(e), "question": question}
        except _store_errors() as e:
            return {"error": f"{t('store_unavailable')} ({e})", "question": question}
        except Exception as e:  # noqa: BLE001 - scripts get a message, not a stack trace
            log.exception("/ask failed")
            return {"error": t("store_unavailable") if looks_like_store_down(e) else t("error"), "question": question}
        return answer_json(ans, link_lang)

    return api_ask


# --- the app: layout and wiring -----------------------------------------------------------------

class Page(SimpleNamespace):
    """The page's components, by name, for the wiring (`wire`)."""


def header(service: Service, page: Page) -> None:
    """One compact header line: a projector shows 720 px, every line of chrome costs answer text."""
    with gr.Row(elem_id="unsc-header", equal_height=True):
        gr.HTML(f"<h1>{t('title')}</h1><p class='sub'>{t('subtitle')}</p>", elem_id="unsc-title")
        page.status = gr.HTML(service.status(), elem_id="status")
        page.present = gr.Checkbox(False, label=t("presentation"), elem_id="present", container=False)


def chat_column(examples: list[str], page: Page) -> None:
    """The conversation, the question box and the store's example questions."""
    with gr.Column(scale=3, min_width=420, elem_id="chat-col"):
        page.chatbot = gr.Chatbot(
            label=t("chat"), elem_id="chat", height="var(--unsc-pane-h)", min_height=260, layout="bubble",
            # Content is built by ui.render (escaped; only our #src-N anchors are HTML);
            # the sanitizer stays on as a second line of defence, custom tags are not allowed.
            render_markdown=True, sanitize_html=True, allow_tags=False, latex_delimiters=[],
            feedback_options=("Like", "Dislike"), buttons=["copy", "copy_all"],
            # render.SCRIPT keeps the latest question and the top of its answer in view;
            # Gradio's own autoscroll would show only an answer's last line.
            autoscroll=False,
            # the store's example questions fill the empty conversation on the first screen
            examples=[{"text": q} for q in examples] or None,
        )
        # No autofocus: focusing the input scrolled the page past the title on load.
        with gr.Row(elem_id="ask-row"):
            page.question = gr.Textbox(show_label=False, placeholder=t("question_placeholder"), scale=5,
                                       elem_id="question", lines=1, max_lines=4)
            page.ask = gr.Button(t("ask"), variant="primary", scale=1, elem_id="ask", min_width=100)
        if examples:
            gr.Examples(examples, inputs=[page.question], label=t("examples"), elem_id="examples")


def sources_column(page: Page) -> None:
    """The sources panel and its links-language toggle, beside the conversation (below it when narrow)."""
    with gr.Column(scale=2, min_width=360, elem_id="sources-col"):
        with gr.Row(elem_id="sources-bar", equal_height=True):
            gr.HTML(f"<h3>{t('sources')}</h3>", elem_id="sources-title")
            # "auto" (default): links in the question's language, as the /ask API does.
            page.link_lang = gr.Radio([(t("link_auto"), "auto"), (t("link_zh"), "zh"), (t("link_en"), "en")],
                                      value="auto", label=t("link_lang"), elem_id="link-lang", container=False)
        page.sources = gr.HTML(render.sources_html(None), elem_id="sources", js_on_load=None)


def filters_and_feedback(settings: Settings, page: Page) -> None:
    """Below the answer and its sources at every width: filters, feedback, export.

    Why a row of its own: in one column with the chat, a narrow window stacked the filters
    between the answer and its sources; here the answer, then its sources, come first.
    """
    with gr.Column(elem_id="below-row"):
        with gr.Accordion(t("filters"), open=False, elem_id="filters"):
            with gr.Row():
                page.f_lang = gr.Radio([(t("any"), ""), (t("zh"), "zh"), (t("en"), "en")], value="", label=t("f_lang"))
                page.f_kind = gr.Radio([(t("any"), "any")] + [(t(k), k) for k in KIND_CHOICES if k != "any"],
                                       value="any", label=t("f_kind"))
            with gr.Row():
                page.f_symbol = gr.Textbox(label=t("f_symbol"), placeholder=t("f_symbol_ph"))
                page.f_from = gr.Textbox(label=t("f_date_from"), placeholder="2020 / 2020-01-01")
                page.f_to = gr.Textbox(label=t("f_date_to"), placeholder="2022 / 2022-12-31")
            page.f_k = gr.Slider(1, settings.retrieval.max_k, value=settings.k, step=1, label=t("f_k"))
        with gr.Row(elem_id="feedback-row"):
            page.comment = gr.Textbox(label=t("comment"), scale=4, elem_id="comment", lines=1)
            page.up = gr.Button(t("up"), scale=1, elem_id="fb-up", min_width=110)
            page.down = gr.Button(t("down"), scale=1, elem_id="fb-down", min_width=110)
        page.feedback_msg = gr.Markdown(visible=False, elem_id="feedback-msg")
        with gr.Row(elem_id="export-row"):
            page.export = gr.DownloadButton(t("export"), interactive=False, elem_id="export", size="sm")
            page.clear = gr.Button(t("clear"), size="sm", elem_id="clear")


def wire(page: Page, h: Handlers, demo) -> None:
    """Connect the events. Answers share the queue's limit; cheap events (link language, feedback,
    clearing, status) never wait behind them (`concurrency_limit=None`)."""
    p = page
    quiet = dict(api_visibility="undocumented", concurrency_limit=None)
    answering = dict(api_visibility="undocumented", concurrency_limit="default")
    inputs = [p.question, p.chatbot, p.turns, p.f_lang, p.f_kind, p.f_symbol, p.f_from, p.f_to, p.f_k, p.link_lang]
    outputs = [p.chatbot, p.turns, p.sources, p.question, p.export]
    p.ask.click(h.respond, inputs, outputs, **answering)
    p.question.submit(h.respond, inputs, outputs, **answering)
    p.chatbot.example_select(h.pick_example, None, p.question, **quiet).then(h.respond, inputs, outputs, **answering)
    p.link_lang.change(h.relink, [p.link_lang, p.turns], [p.sources, p.export], **quiet)
    rating = [p.comment, p.turns, p.link_lang]
    p.up.click(h.rate_up, rating, [p.feedback_msg, p.comment], **quiet)
    p.down.click(h.rate_down, rating, [p.feedback_msg, p.comment], **quiet)
    p.chatbot.like(h.on_like, rating, [p.feedback_msg, p.comment], **quiet)
    p.clear.click(h.clear, None, [p.chatbot, p.turns, p.sources, p.export, p.feedback_msg], **quiet)
    demo.load(h.refresh_status, None, p.status, **quiet)
    p.present.change(None, p.present, None, js=render.PRESENT_JS, api_visibility="undocumented")


def build_app(service: Service):
    """The page: header, conversation and sources side by side, then filters and feedback; `/ask` for scripts."""
    settings = service.settings
    examples = service.examples()
    page = Page()
    with gr.Blocks(title="UNSC chat · 安理会记录问答", fill_width=True) as demo:
        header(service, page)
        page.turns = gr.State([])
        with gr.Row(equal_height=False, elem_id="main-row"):
            chat_column(examples, page)
            sources_column(page)
        filters_and_feedback(settings, page)
        wire(page, Handlers(service), demo)
        gr.api(api_endpoint(service), api_name="ask", concurrency_limit="default")
    demo.queue(default_concurrency_limit=settings.ui_concurrency, max_size=settings.ui_queue_max)
    return demo


def _auth(value: str | None):
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("UNSC_AUTH must be user:password")
    return (user, password)


def launch_kwargs(settings: Settings) -> dict:
    font = ["system-ui", "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
    theme = gr.themes.Default(primary_hue="blue", neutral_hue="slate", font=font, font_mono=["ui-monospace", "monospace"])
    return dict(server_name=settings.host, server_port=settings.port, auth=_auth(settings.auth),
                theme=theme, css=render.CSS, js=render.SCRIPT, show_error=False, ssr_mode=False, footer_links=["api"])


# Loggers that report every HTTP request at INFO: Gradio's own client (httpx/httpcore) polls the
# server, and uvicorn's access log. A projector session must not scroll a wall of them.
ACCESS_LOGGERS = ("httpx", "httpcore", "uvicorn.access")


def configure_logging(verbose: bool = False) -> None:
    """Warnings and errors only; `verbose` (`unsc serve --verbose`) adds INFO and one line per request."""
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    for name in ACCESS_LOGGERS:
        logging.getLogger(name).setLevel(level)


def serve(settings: Settings, *, block: bool = True, verbose: bool = False):
    """Warm the pipeline (models, lexical index) once, then launch the web UI."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    configure_logging(verbose)
    service = Service(settings).start()
    if service.error:
        log.error("%s — the UI starts anyway and retries on the next question", service.error)
    demo = build_app(service)
    demo.launch(prevent_thread_lock=True, **launch_kwargs(settings))
    # uvicorn resets its access logger to Gradio's "warning" when the server starts: re-apply.
    logging.getLogger("uvicorn.access").setLevel(logging.INFO if verbose else logging.WARNING)
    if block:
        demo.block_thread()
    return demo
