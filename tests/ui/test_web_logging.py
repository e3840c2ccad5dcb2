"""`unsc serve` logs warnings and errors only; `--verbose` adds INFO and one line per HTTP request."""

import logging

import pytest
from typer.testing import CliRunner

from ui import web
from ui.cli import app


@pytest.fixture()
def restore_levels():
    names = ["", *web.ACCESS_LOGGERS]
    saved = {n: logging.getLogger(n).level for n in names}
    yield
    for n, level in saved.items():
        logging.getLogger(n).setLevel(level)


def test_serve_logs_are_quiet_by_default(restore_levels, caplog):
    web.configure_logging(verbose=False)
    for name in web.ACCESS_LOGGERS:  # Gradio's own polling (httpx) and uvicorn's access log
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
    assert not logging.getLogger("unsc.web").isEnabledFor(logging.INFO)
    assert logging.getLogger("unsc.web").isEnabledFor(logging.WARNING)


def test_serve_verbose_logs_requests(restore_levels):
    web.configure_logging(verbose=True)
    for name in web.ACCESS_LOGGERS:
        assert logging.getLogger(name).isEnabledFor(logging.INFO), name


def test_serve_has_a_verbose_flag(monkeypatch):
    seen = {}
    monkeypatch.setattr(web, "serve", lambda settings, **kw: seen.update(kw))
    result = CliRunner().invoke(app, ["serve", "--verbose", "--port", "7999"])
    assert result.exit_code == 0, result.output
    assert seen == {"verbose": True}
    CliRunner().invoke(app, ["serve", "--port", "7999"])
    assert seen == {"verbose": False}
