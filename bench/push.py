#!/usr/bin/env python3
"""Push benchmark: `talkgraph push` of a generated corpus into Oxigraph's own server, against the same
server's bulk loader (`oxigraph load`) reading our N-Quads export of the same store, each into a fresh
server; once with `--no-bulk` (the plain Graph Store PUT: the server loads each graph in a transaction)
and once by default (talkgraph sees an Oxigraph server and adds its `no_transaction` parameter: its bulk
loader); then a re-push after editing and ingesting one note (one graph sent).

    python3 bench/push.py [--talks 10000] [--reps 2] [--work DIR]

Needs `pip install oxigraph` (the `oxigraph` command) and a release build (`cargo build --release`).
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "talkgraph")


def run(*args, **kw):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, **kw)


def timed(*args):
    start = time.perf_counter()
    run(*args)
    return time.perf_counter() - start


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(location):
    port = free_port()
    proc = subprocess.Popen(["oxigraph", "serve", "--union-default-graph", "--location", location,
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D").read()
            return proc, base
        except OSError:
            time.sleep(0.1)
    raise SystemExit("oxigraph serve did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--talks", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="tg-push-")
    notes = os.path.join(work, "notes")
    if not os.path.isdir(notes):
        run(sys.executable, os.path.join(ROOT, "bench", "make_corpus.py"), "--talks", str(a.talks), "--out", notes,
            "--template", os.path.join(ROOT, "notes", "000_221fd2861c5af3bb.txt"))
    store = os.path.join(work, "store")
    shutil.rmtree(store, ignore_errors=True)
    run(BIN, "--store", store, "ingest", notes)
    nq = os.path.join(work, "graph.nq")
    run(BIN, "--store", store, "export", "--ontology", "all", "--output", nq)
    quads = sum(1 for _ in open(nq, "rb"))
    loads = []
    pushes = {"--no-bulk": [], "": []}
    repushes = {"--no-bulk": [], "": []}
    for rep in range(a.reps):
        target = os.path.join(work, f"load-{rep}")
        shutil.rmtree(target, ignore_errors=True)
        loads.append(timed("oxigraph", "load", "--location", target, "--file", nq))
        for query in pushes:
            location = os.path.join(work, f"server-{rep}")
            shutil.rmtree(location, ignore_errors=True)
            shutil.rmtree(os.path.join(store, "push"), ignore_errors=True)
            proc, base = serve(location)
            try:
                url = base + "/store"
                flags = [query] if query else []
                pushes[query].append(timed(BIN, "--store", store, "push", url, *flags))
                first = sorted(os.listdir(notes))[0]
                with open(os.path.join(notes, first), "a", encoding="utf-8") as f:
                    f.write(f"\nПерешли на stolon в {rep}-й раз.\n")
                run(BIN, "--store", store, "ingest", notes)
                repushes[query].append(timed(BIN, "--store", store, "push", url, *flags))
            finally:
                proc.terminate()
                proc.wait()
    best = lambda xs: min(xs)
    print(f"talks {a.talks}, quads {quads} (notes and ontology graphs)")
    print(f"oxigraph load of our N-Quads   {best(loads):7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in loads)})")
    for query, name in (("--no-bulk", "--no-bulk (transactional PUT)"), ("", "default (Oxigraph bulk-loads)")):
        runs = pushes[query]
        print(f"push, {name:34} {best(runs):7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in runs)});"
              f" speed / load speed {best(loads) / best(runs):.2f} (bar >= 0.5)")
        again = repushes[query]
        print(f"  re-push after editing one note (ingested first) {best(again):5.2f} s"
              f"   (runs: {', '.join(f'{x:.2f}' for x in again)}; bar <= 1 s)")


if __name__ == "__main__":
    main()
