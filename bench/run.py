#!/usr/bin/env python3
"""talkgraph benchmark: ingest, re-ingest, queries, export, and the peers, on generated corpora.

    python3 bench/run.py [--talks 1000 10000] [--work /tmp/tgbench] [--reps 5] [--no-peers]

Builds nothing: run `cargo build --release` first. Generates corpora with bench/make_corpus.py (the seed is
notes/), then measures with the release binary (wall time and peak RSS of each command), and, unless
--no-peers, pyoxigraph bulk-loading the same quads (our N-Quads export) into RocksDB and
bench/peer_py_extractor.py on the same corpus. Prints a Markdown report to stdout.
"""
import argparse, os, platform, resource, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "talkgraph")


def run(args, timeout=None, **kw):
    """Runs a command; returns (seconds, peak RSS in MB of that child, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=timeout, **kw)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(after, before) / 1024, out.stdout


def size_mb(path):
    total = 0
    for d, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
    return total / 1e6


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def bench(talks, work, reps, peers):
    corpus, store = os.path.join(work, f"c{talks}"), os.path.join(work, f"s{talks}")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "make_corpus.py"), "--talks", str(talks), "--out", corpus,
                    "--template", os.path.join(ROOT, "notes", "000_221fd2861c5af3bb.txt")], check=True, capture_output=True)
    mb = size_mb(corpus)
    rows = [f"### {talks} talks ({mb:.1f} MB of notes)", "", "| measure | value |", "| --- | --- |"]
    dt, rss, out = run([BIN, "--store", store, "ingest", corpus])
    quads = int(out.strip().split()[-3])
    rows += [f"| ingest (new store) | {dt:.1f} s, {mb / dt:.1f} MB/s, {talks / dt:.0f} talks/s, {quads / dt:.0f} quads/s, peak RSS {rss:.0f} MB |"]
    first = sorted(os.listdir(corpus))[0]
    with open(os.path.join(corpus, first), "a", encoding="utf-8") as f:
        f.write("\nДобавили строку: перешли на Kafka.\n")
    dt, _, _ = run([BIN, "--store", store, "ingest"])
    rows += [f"| re-ingest after editing one file | {dt:.2f} s |"]
    names = sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "queries")) if n.endswith(".rq"))
    for name in names:
        text = open(os.path.join(ROOT, "queries", name + ".rq"), encoding="utf-8").read()
        params = []
        for line in text.splitlines():
            if line.startswith("# @param "):
                p = line.split()[2]
                params += ["--param", f"{p}={'stolon' if p == 'tech' else 'Яндекс'}"]
        try:
            times = [run([BIN, "--store", store, "query", name, "--format", "csv", *params], timeout=30)[0]
                     for _ in range(reps)]
            rows += [f"| query {name} (one CLI call) | p50 {1000 * pct(times, 50):.0f} ms, p95 {1000 * pct(times, 95):.0f} ms |"]
        except subprocess.TimeoutExpired:
            rows += [f"| query {name} (one CLI call) | over 30 s (stopped) |"]
    for fmt in ["ttl", "nt", "nq", "trig"]:
        out_file = os.path.join(work, f"export{talks}.{fmt}")
        dt, rss, _ = run([BIN, "--store", store, "export", "--format", fmt, "--ontology", "all" if fmt == "nq" else "schema", "--output", out_file])
        rows += [f"| export {fmt} | {dt:.1f} s, {os.path.getsize(out_file) / 1e6 / dt:.1f} MB/s, peak RSS {rss:.0f} MB |"]
    if peers:
        nq = os.path.join(work, f"export{talks}.nq")
        py = os.path.join(work, "pyox")
        code = ("import pyoxigraph as ox,time,shutil,sys; shutil.rmtree(sys.argv[2],ignore_errors=True); s=ox.Store(sys.argv[2]);"
                "t=time.perf_counter(); s.bulk_load(path=sys.argv[1],format=ox.RdfFormat.N_QUADS); print(time.perf_counter()-t, len(s))")
        _, _, out = run([sys.executable, "-c", code, nq, py])
        secs, n = float(out.split()[0]), int(out.split()[1])
        rows += [f"| peer: pyoxigraph bulk load of the same quads into RocksDB | {secs:.1f} s, {n / secs:.0f} quads/s |"]
        ours = float(rows[4].split("|")[2].split(" s,")[0])
        rows += [f"| ratio ingest / pyoxigraph load (target ≥ 0.8) | {secs / ours:.2f} |"]
        ttl = os.path.join(work, "peer.ttl")
        dt, _, _ = run([sys.executable, os.path.join(ROOT, "bench", "peer_py_extractor.py"), corpus, ttl])
        rows += [f"| peer: peer_py_extractor.py end to end | {dt:.1f} s, {mb / dt:.2f} MB/s |"]
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--talks", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--work", default="/tmp/tgbench")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--no-peers", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; date {time.strftime('%Y-%m-%d')}\n")
    for n in a.talks:
        print("\n".join(bench(n, a.work, a.reps, not a.no_peers)) + "\n")


if __name__ == "__main__":
    main()
