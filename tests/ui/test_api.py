"""The `/ask` API endpoint, driven with gradio_client against a running `unsc serve`."""

import pytest

from tests.ui.conftest import HOSTILE_QUESTION


@pytest.fixture(scope="module")
def client(ui_server):
    from gradio_client import Client

    return Client(ui_server, verbose=False)


def _links(result) -> list[str]:
    return [u for c in result["citations"] for u in c["links"]]


def test_ask_chinese_returns_markers_and_undocs_links(client):
    r = client.predict("第2518(2020)号决议是哪一天通过的？", api_name="/ask")
    assert not r["abstained"] and r["mode"] == "extractive"
    assert "[1]" in r["answer"] and "2020年3月30日" in r["answer"]
    assert r["citations"][0]["n"] == 1 and r["citations"][0]["text"]
    assert "https://undocs.org/ch/S/RES/2518(2020)" in _links(r)
    assert all(u.startswith("https://undocs.org/") for u in _links(r))


def test_ask_english_with_options(client):
    r = client.predict("When was resolution 2518 (2020) adopted?", lang="en", link_lang="en", k=3, api_name="/ask")
    assert "[1]" in r["answer"] and "30 March 2020" in r["answer"]
    assert "https://undocs.org/en/S/RES/2518(2020)" in _links(r)
    assert not any("/ch/" in u for u in _links(r))


def test_ask_kind_filter_repertoire(client):
    r = client.predict("第2518(2020)号决议是哪一天通过的？", kind="repertoire", api_name="/ask")
    assert all(c["kind"] in ("paragraph", "table_row") for c in r["citations"])


def test_ask_errors_are_messages_not_crashes(client):
    assert "error" in client.predict("？？？", api_name="/ask")
    assert "YYYY-MM-DD" in client.predict("When was resolution 2518 (2020) adopted?", date_from="March 2020", api_name="/ask")["error"]
    # the server is still fine afterwards
    assert "[1]" in client.predict("When was resolution 2518 (2020) adopted?", api_name="/ask")["answer"]


def test_ask_hostile_record_is_returned_as_data_with_safe_links(client):
    r = client.predict(HOSTILE_QUESTION, api_name="/ask")
    texts = [c["text"] for c in r["citations"]] + [c["text"] for c in r.get("closest", [])]
    assert any("zebra" in t for t in texts)
    assert all(u.startswith("https://undocs.org/") for u in _links(r))


def test_store_unavailable_keeps_service_running(monkeypatch, tmp_path):
    """Chroma server down: the app still builds, says so, and /ask answers with a message."""
    from vectorstore.store import StoreUnavailable

    import ui.app
    from ui import web
    from ui.settings import load_settings

    def down(*a, **k):
        raise StoreUnavailable("cannot reach Chroma at http://127.0.0.1:9")

    monkeypatch.setattr(ui.app, "open_store", down)
    service = web.Service(load_settings(store=tmp_path, chroma_url="http://127.0.0.1:9")).start()
    assert service.error and "Chroma" in service.error
    assert "unavailable" in service.status()
    with pytest.raises(web.ServiceUnavailable):
        service.get_pipeline()
    demo = web.build_app(service)
    fn = next(f for f in demo.fns.values() if f.api_name == "ask")
    out = fn.fn("When was resolution 2518 (2020) adopted?")
    assert "unavailable" in out["error"]


def test_launch_defaults_bind_localhost_and_optional_auth():
    from ui import web
    from ui.settings import load_settings

    kw = web.launch_kwargs(load_settings())
    assert kw["server_name"] == "127.0.0.1" and kw["auth"] is None
    assert web.launch_kwargs(load_settings(auth="staff:s3cret:x"))["auth"] == ("staff", "s3cret:x")
    with pytest.raises(ValueError):
        web.launch_kwargs(load_settings(auth="nopassword"))


def test_make_filters():
    from ui.web import make_filters

    f = make_filters("zh", "resolution", "S/RES/2518 (2020), S/RES/2538（2020）", "2020-01-01", "2020-12-31")
    assert f.langs == ["zh"] and f.doc_kinds == ["resolution"] and not f.kinds
    assert f.symbols == ["S/RES/2518(2020)", "S/RES/2538(2020)"]
    assert str(f.date_from) == "2020-01-01" and str(f.date_to) == "2020-12-31"
    assert make_filters().is_empty()
    years = make_filters(kind="presidential_statement,draft_not_adopted", date_from="2019", date_to="2022")
    assert years.doc_kinds == ["presidential_statement", "draft_not_adopted"]
    assert str(years.date_from) == "2019-01-01" and str(years.date_to) == "2022-12-31"
    with pytest.raises(ValueError):
        make_filters(date_to="2020-13-01")


def test_store_going_down_mid_session_is_a_message(monkeypatch, tmp_path):
    from ui import web
    from ui.settings import load_settings

    class Down:
        def ask(self, *a, **k):
            raise ConnectionError("Could not connect to a Chroma server")

    service = web.Service(load_settings(store=tmp_path))
    monkeypatch.setattr(service, "get_pipeline", lambda: Down())
    fn = next(f for f in web.build_app(service).fns.values() if f.api_name == "ask")
    assert "unavailable" in fn.fn("When was resolution 2518 (2020) adopted?")["error"]


def test_api_links_follow_the_question_language_by_default(client):
    en = client.predict("When was resolution 2518 (2020) adopted?", api_name="/ask")
    zh = client.predict("第2518(2020)号决议是哪一天通过的？", api_name="/ask")
    assert all(link.startswith("https://undocs.org/en/") for c in en["citations"] for link in c["links"])
    assert all(link.startswith("https://undocs.org/ch/") for c in zh["citations"] for link in c["links"])
