#!/usr/bin/env python3
"""talkgraph benchmark: ingest, re-ingest, queries, export, and the engine's own tools, on generated corpora.

    python3 bench/run.py [--talks 1000 10000] [--work /tmp/tgbench] [--reps 5] [--no-peers] [--quick] [--python-peer]

Prints, per corpus size, a table of measurements and one of the performance bars (ratios measured in the
same run): canned queries against the `ASK {}` floor as one CLI call (whole answer and first page), in
process, ingest against pyoxigraph's bulk load, notes → store → Turtle against pyoxigraph's load + dump.

Builds nothing: run `cargo build --release --examples` first (the binary and examples/query_latency), or
point TALKGRAPH_BIN and TALKGRAPH_LATENCY_BIN at copies so that rebuilding during a run changes nothing. Generates corpora with bench/make_corpus.py (the seed is
notes/), then measures with the release binary (wall time and peak RSS of each command), and, unless
--no-peers, pyoxigraph bulk-loading the same quads (our N-Quads export) into RocksDB and dumping them
(and, with --python-peer, bench/peer_py_extractor.py on the same corpus). Prints a Markdown report.
"""
import argparse, os, platform, shutil, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("TALKGRAPH_BIN", os.path.join(ROOT, "target", "release", "talkgraph"))
LATENCY = os.environ.get("TALKGRAPH_LATENCY_BIN", os.path.join(ROOT, "target", "release", "examples", "query_latency"))


def run(args, timeout=None, **kw):
    """Runs a command; returns (seconds, peak RSS in MB of that command alone, stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, text=True, **kw)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        dt = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if timer:
            timer.cancel()
            if dt >= timeout:
                raise subprocess.TimeoutExpired(args, timeout)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, args, out.read(), err.read())
        return dt, usage.ru_maxrss / 1024, out.read()


def size_mb(path):
    total = 0
    for d, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
    return total / 1e6


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def params_of(text):
    """The --param arguments bench runs a canned query with: tech=stolon, any other parameter Яндекс."""
    params = []
    for line in text.splitlines():
        if line.startswith("# @param "):
            p = line.split()[2]
            params += ["--param", f"{p}={'stolon' if p == 'tech' else 'Яндекс'}"]
    return params


def progress(rows):
    """Echoes measured rows to stderr as they come, so a run cut short still shows them."""
    for r in rows:
        print(r, file=sys.stderr, flush=True)
    return rows


def bench(talks, work, reps, peers, quick, python_peer):
    corpus, store = os.path.join(work, f"c{talks}"), os.path.join(work, f"s{talks}")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "make_corpus.py"), "--talks", str(talks), "--out", corpus,
                    "--template", os.path.join(ROOT, "notes", "000_221fd2861c5af3bb.txt")], check=True, capture_output=True)
    mb = size_mb(corpus)
    rows = [f"### {talks} talks ({mb:.1f} MB of notes)", "", "| measure | value |", "| --- | --- |"]
    ratios = []
    ingest_s, rss, out = run([BIN, "--store", store, "ingest", corpus])
    quads = int(out.strip().split()[-3])
    rows += [f"| ingest into a new store (extract, bulk load, compact, answers kept) | {ingest_s:.1f} s, {mb / ingest_s:.1f} MB/s, "
             f"{talks / ingest_s:.0f} talks/s, {quads / ingest_s:.0f} quads/s ({quads} quads), peak RSS {rss:.0f} MB |",
             f"| store on disk: RocksDB, and the answers kept beside it | {size_mb(store) - size_mb(os.path.join(store, 'answers')):.0f} MB, "
             f"{size_mb(os.path.join(store, 'answers')):.0f} MB |"]
    first = sorted(os.listdir(corpus))[0]
    with open(os.path.join(corpus, first), "a", encoding="utf-8") as f:
        f.write("\nДобавили строку: перешли на Kafka.\n")
    time.sleep(2.1)  # past the 2 s in which a file's stamp is not trusted, as an edit some time ago
    reingest, rss, _ = run([BIN, "--store", store, "ingest"])
    rows += [f"| re-ingest after editing one file | {reingest:.2f} s, peak RSS {rss:.0f} MB |"]
    ratios += [("re-ingest after editing one note", f"{reingest:.2f} s", "≤ 0.3 s", reingest <= 0.3)]
    if not quick:
        query_table, query_ratios = query_rows(store, reps)
        rows += query_table
        ratios += query_ratios
    export_s = {}
    for fmt in ["ttl", "nt", "nq", "trig", "jsonld", "rdf"] if not quick else ["ttl", "nq"]:
        out_file = os.path.join(work, f"export{talks}.{fmt}")
        dt, rss, _ = run([BIN, "--store", store, "export", "--format", fmt, "--ontology", "none", "--output", out_file])
        export_s[fmt] = dt
        rows += [f"| export {fmt} (notes graphs) | {dt:.1f} s, {os.path.getsize(out_file) / 1e6 / dt:.1f} MB/s, "
                 f"{quads / dt:.0f} quads/s, peak RSS {rss:.0f} MB |"]
    if peers:
        nq = os.path.join(work, f"export{talks}.nq")
        py = os.path.join(work, "pyox")
        code = ("import pyoxigraph as ox,time,shutil,sys; shutil.rmtree(sys.argv[2],ignore_errors=True); s=ox.Store(sys.argv[2]);"
                "t=time.perf_counter(); s.bulk_load(path=sys.argv[1],format=ox.RdfFormat.N_QUADS); a=time.perf_counter()-t;"
                "s.optimize(); c=time.perf_counter()-t; t=time.perf_counter();"
                "s.dump(output=sys.argv[2]+'.trig',format=ox.RdfFormat.TRIG); d=time.perf_counter()-t; print(a, c, d, len(s))")
        _, rss, out = run([sys.executable, "-c", code, nq, py])
        load, compacted, dump = map(float, out.split()[:3])
        n = int(out.split()[3])
        ours = ingest_s + export_s["ttl"]
        rows += [f"| engine: pyoxigraph bulk load of the same quads (our N-Quads) into RocksDB | {load:.1f} s, {n / load:.0f} quads/s; "
                 f"{compacted:.1f} s with its optimize(); peak RSS {rss:.0f} MB |",
                 f"| engine: pyoxigraph dump of that store (TriG: Turtle per graph) | {dump:.1f} s |",
                 f"| notes → store → Turtle, ours (ingest + export ttl) | {ours:.1f} s |"]
        ratios += [("ingest speed vs pyoxigraph bulk load (its load time / our ingest time)", f"{load / ingest_s:.2f}", "≥ 1.0", load / ingest_s >= 1.0),
                   ("notes → store → Turtle vs the engine's load + dump (our time / its time)", f"{ours / (load + dump):.2f}", "≤ 0.9",
                    ours / (load + dump) <= 0.9)]
        if python_peer:
            ttl = os.path.join(work, "peer.ttl")
            dt, rss, _ = run([sys.executable, os.path.join(ROOT, "bench", "peer_py_extractor.py"), corpus, ttl])
            rows += [f"| peer: peer_py_extractor.py notes → Turtle | {dt:.1f} s, {mb / dt:.2f} MB/s, peak RSS {rss:.0f} MB |",
                     f"| ratio notes → store → Turtle, ours vs the Python peer | {ours:.1f} s vs {dt:.1f} s: {dt / ours:.1f}× |"]
    rows += ["", "| bar (one run) | measured | bar | met? |", "| --- | --- | --- | --- |"]
    rows += [f"| {what} | {value} | {bar} | {'yes' if ok else '**no**'} |" for what, value, bar, ok in ratios]
    return rows


def query_rows(store, reps):
    """The floor (`ASK {}` as one CLI call), every canned query as one CLI call (whole answer and its first
    page of 100 rows, p50/p95 of reps) and in-process (examples/query_latency); with the ratios to the floor."""
    rows, ratios = [], []
    floor_times = [run([BIN, "--store", store, "query", "--query", "ASK {}"])[0] for _ in range(max(reps, 5))]
    floor = pct(floor_times, 50)
    rows += [f"| floor: `query --query 'ASK {{}}'`, one CLI call | p50 {1000 * floor:.0f} ms, p95 {1000 * pct(floor_times, 95):.0f} ms |"]
    names = sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "queries")) if n.endswith(".rq"))
    worst_whole, worst_page = (0, ""), (0, "")
    for name in names:
        params = params_of(open(os.path.join(ROOT, "queries", name + ".rq"), encoding="utf-8").read())
        base = [BIN, "--store", store, "query", name, "--format", "csv", *params]
        try:
            whole = [run(base, timeout=60)[0] for _ in range(reps)]
            page = [run(base + ["--limit", "100"], timeout=60)[0] for _ in range(reps)]
        except subprocess.TimeoutExpired:
            rows += [f"| query {name}, one CLI call | over 60 s (stopped) |"]
            worst_whole = (float("inf"), name)
            continue
        w, p = pct(whole, 50), pct(page, 50)
        worst_whole = max(worst_whole, (w / floor, name))
        worst_page = max(worst_page, (p / floor, name))
        rows += progress([f"| query {name}, one CLI call | p50 {1000 * w:.0f} ms ({w / floor:.1f}× floor), p95 {1000 * pct(whole, 95):.0f} ms; "
                 f"first 100 rows p50 {1000 * p:.0f} ms ({p / floor:.1f}× floor) |"])
    ratios += [("every canned query as one CLI call, p50 / floor (worst)", f"{worst_whole[0]:.1f}× ({worst_whole[1]})", "≤ 4×", worst_whole[0] <= 4),
               ("first page of 100 rows, p50 / floor (worst)", f"{worst_page[0]:.1f}× ({worst_page[1]})", "≤ 3×", worst_page[0] <= 3)]
    if os.path.exists(LATENCY):
        _, _, out = run([LATENCY, store, str(reps)], timeout=3600)
        worst = (0, "")
        for line in out.splitlines():
            parts = line.split()
            if "p50" in parts:
                rows += [f"| query {parts[0]}, in-process | {' '.join(parts[1:])} |"]
                worst = max(worst, (float(parts[parts.index("p50") + 1]), parts[0]))
            else:
                rows += [f"| {line.split(':')[0]}, in-process | {line.split(':')[1].strip()} |"]
        ratios += [("every canned query in-process, p50 (worst)", f"{worst[0]:.1f} ms ({worst[1]})", "≤ 50 ms", worst[0] <= 50)]
    return rows, ratios


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--talks", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--work", default="/tmp/tgbench")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--no-peers", action="store_true", help="skip pyoxigraph's load and dump of the same quads")
    ap.add_argument("--python-peer", action="store_true", help="also run bench/peer_py_extractor.py (the retired 10x target)")
    ap.add_argument("--quick", action="store_true", help="ingest, re-ingest and two exports only (CI smoke run, 100k)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; date {time.strftime('%Y-%m-%d')}\n")
    for n in a.talks:
        print("\n".join(bench(n, a.work, a.reps, not a.no_peers, a.quick, a.python_peer)) + "\n")


if __name__ == "__main__":
    main()
