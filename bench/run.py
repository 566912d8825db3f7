#!/usr/bin/env python3
"""talkgraph benchmark: ingest, re-ingest, queries, export, and the peers, on generated corpora.

    python3 bench/run.py [--talks 1000 10000] [--work /tmp/tgbench] [--reps 5] [--no-peers] [--quick]

Builds nothing: run `cargo build --release --examples` first (the binary and examples/query_latency), or
point TALKGRAPH_BIN and TALKGRAPH_LATENCY_BIN at copies so that rebuilding during a run changes nothing. Generates corpora with bench/make_corpus.py (the seed is
notes/), then measures with the release binary (wall time and peak RSS of each command), and, unless
--no-peers, pyoxigraph bulk-loading the same quads (our N-Quads export) into RocksDB and
bench/peer_py_extractor.py on the same corpus. Prints a Markdown report to stdout.
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


def bench(talks, work, reps, peers, quick):
    corpus, store = os.path.join(work, f"c{talks}"), os.path.join(work, f"s{talks}")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "make_corpus.py"), "--talks", str(talks), "--out", corpus,
                    "--template", os.path.join(ROOT, "notes", "000_221fd2861c5af3bb.txt")], check=True, capture_output=True)
    mb = size_mb(corpus)
    rows = [f"### {talks} talks ({mb:.1f} MB of notes)", "", "| measure | value |", "| --- | --- |"]
    ingest_s, rss, out = run([BIN, "--store", store, "ingest", corpus])
    quads = int(out.strip().split()[-3])
    rows += [f"| ingest into a new store (extract, bulk load, compact) | {ingest_s:.1f} s, {mb / ingest_s:.1f} MB/s, "
             f"{talks / ingest_s:.0f} talks/s, {quads / ingest_s:.0f} quads/s ({quads} quads), peak RSS {rss:.0f} MB |"]
    first = sorted(os.listdir(corpus))[0]
    with open(os.path.join(corpus, first), "a", encoding="utf-8") as f:
        f.write("\nДобавили строку: перешли на Kafka.\n")
    dt, rss, _ = run([BIN, "--store", store, "ingest"])
    rows += [f"| re-ingest after editing one file | {dt:.2f} s, peak RSS {rss:.0f} MB |"]
    if not quick:
        rows += query_rows(store, reps)
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
                "s.optimize(); print(a, time.perf_counter()-t, len(s))")
        _, rss, out = run([sys.executable, "-c", code, nq, py])
        load, compacted, n = float(out.split()[0]), float(out.split()[1]), int(out.split()[2])
        rows += [f"| peer: pyoxigraph bulk load of the same quads (our N-Quads) into RocksDB | {load:.1f} s, {n / load:.0f} quads/s; "
                 f"{compacted:.1f} s with its optimize(); peak RSS {rss:.0f} MB |",
                 f"| **ratio** pyoxigraph load / our ingest (target ≥ 0.8) | {load / ingest_s:.2f} (with compaction on both sides: {compacted / ingest_s:.2f}) |"]
        ttl = os.path.join(work, "peer.ttl")
        dt, rss, _ = run([sys.executable, os.path.join(ROOT, "bench", "peer_py_extractor.py"), corpus, ttl])
        ours = ingest_s + export_s["ttl"]
        rows += [f"| peer: peer_py_extractor.py notes → Turtle | {dt:.1f} s, {mb / dt:.2f} MB/s, peak RSS {rss:.0f} MB |",
                 f"| **ratio** notes → store → Turtle, ours vs the Python peer (target ≥ 10) | {ours:.1f} s vs {dt:.1f} s: {dt / ours:.1f}× |"]
        rows += store_floor(ttl, os.path.join(work, "pyox-peer"), dt)
    return rows


def store_floor(peer_ttl, work, peer_s):
    """What the store alone costs on the peer's own graph: pyoxigraph bulk-loads the peer's Turtle into
    RocksDB (default graph: the cheapest case) and dumps it as Turtle, with no extraction at all. The
    ratio peer / (load + dump) bounds what any notes → store → Turtle design can reach against the peer."""
    code = ("import pyoxigraph as ox,time,shutil,sys; shutil.rmtree(sys.argv[2],ignore_errors=True); s=ox.Store(sys.argv[2]);"
            "t=time.perf_counter(); s.bulk_load(path=sys.argv[1],format=ox.RdfFormat.TURTLE); s.flush(); a=time.perf_counter()-t;"
            "t=time.perf_counter(); s.dump(output=sys.argv[2]+'.ttl',format=ox.RdfFormat.TURTLE,from_graph=ox.DefaultGraph());"
            "print(a, time.perf_counter()-t, len(s))")
    _, _, out = run([sys.executable, "-c", code, peer_ttl, work])
    load, dump, n = float(out.split()[0]), float(out.split()[1]), int(out.split()[2])
    return [f"| store floor: pyoxigraph loads the peer's own Turtle ({n} triples) into RocksDB and dumps it as Turtle, "
            f"no extraction | {load:.1f} s + {dump:.1f} s = {load + dump:.1f} s |",
            f"| **bound** on any notes → store → Turtle design vs the peer (peer / store floor) | {peer_s / (load + dump):.1f}× |"]


def query_rows(store, reps):
    """Every canned query as one CLI call (p50/p95 of reps) and in-process (examples/query_latency)."""
    rows = []
    names = sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "queries")) if n.endswith(".rq"))
    for name in names:
        params = params_of(open(os.path.join(ROOT, "queries", name + ".rq"), encoding="utf-8").read())
        try:
            times = [run([BIN, "--store", store, "query", name, "--format", "csv", *params], timeout=60)[0]
                     for _ in range(reps)]
            rows += [f"| query {name}, one CLI call | p50 {1000 * pct(times, 50):.0f} ms, p95 {1000 * pct(times, 95):.0f} ms |"]
        except subprocess.TimeoutExpired:
            rows += [f"| query {name}, one CLI call | over 60 s (stopped) |"]
    latency = LATENCY
    if os.path.exists(latency):
        _, _, out = run([latency, store, str(reps)], timeout=1800)
        for line in out.splitlines():
            parts = line.split()
            if "p50" in parts:
                rows += [f"| query {parts[0]}, in-process | {' '.join(parts[1:])} |"]
            else:
                rows += [f"| {line.split(':')[0]}, in-process | {line.split(':')[1].strip()} |"]
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--talks", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--work", default="/tmp/tgbench")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--quick", action="store_true", help="ingest, re-ingest and two exports only (CI smoke run, 100k)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; date {time.strftime('%Y-%m-%d')}\n")
    for n in a.talks:
        print("\n".join(bench(n, a.work, a.reps, not a.no_peers, a.quick)) + "\n")


if __name__ == "__main__":
    main()
