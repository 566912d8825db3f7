#!/usr/bin/env python3
"""talkgraph serve under load: canned queries over HTTP against Oxigraph's own server on the same store.

    python3 bench/serve.py [--talks 10000] [--work /tmp/tgserve] [--seconds 10] [--clients 8] [--reuse]

Generates a corpus (bench/make_corpus.py), ingests it with the release binary, then, one server at a time on
the same RocksDB folder:
  - `talkgraph serve`: each canned query as `GET /api/queries/NAME?params` (JSON rows), `--clients`
    concurrent keep-alive clients for `--seconds`; requests per second and p50 latency; then the page loads
    (the page itself, search, a technology page, the radar, a company page): p50 of 30 sequential loads;
  - `oxigraph serve-read-only --union-default-graph` (PyPI package `oxigraph`, the same engine): the same
    query text with the same parameter values bound by a VALUES row, as `GET /query?query=…` (SPARQL JSON).
Prints a Markdown report with the ratio ours / Oxigraph per query.
"""
import argparse, http.client, json, os, re, shutil, signal, subprocess, sys, threading, time, urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("TALKGRAPH_BIN", os.path.join(ROOT, "target", "release", "talkgraph"))
VALUES = {"tech": "stolon", "company": "Яндекс"}


def canned():
    """(name, text, {param: value}) of every canned query."""
    out = []
    for name in sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "queries")) if n.endswith(".rq")):
        text = open(os.path.join(ROOT, "queries", name + ".rq"), encoding="utf-8").read()
        params = {m: VALUES.get(m, "Яндекс") for m in re.findall(r"^# @param (\w+)", text, re.M)}
        out.append((name, text, params))
    return out


def bound_text(text, params):
    """The query text with its parameters bound by a VALUES row at the start of the outer WHERE, as our
    binding does in the algebra (each parameter also binds NAMEKey, its lower-case form)."""
    if not params:
        return text
    names, values = [], []
    for p, v in params.items():
        names += [f"?{p}", f"?{p}Key"]
        values += [json.dumps(v, ensure_ascii=False), json.dumps(v.lower(), ensure_ascii=False)]
    row = f"VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }}"
    at = re.search(r"WHERE\s*\{", text).end()
    return text[:at] + "\n  " + row + "\n" + text[at:]


def load(port, path, clients, seconds, headers):
    """Requests per second and p50 latency (ms) of `clients` keep-alive clients GETting `path`."""
    stop = time.perf_counter() + seconds
    times, errors = [], []
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    errors.append(r.status)
            except Exception as e:  # noqa: BLE001 - counted and reported
                errors.append(str(e))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append(time.perf_counter() - t)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    times.sort()
    p50 = 1000 * times[len(times) // 2] if times else float("nan")
    return len(times) / elapsed, p50, errors


def sequential(port, path, reps=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    first = None
    for _ in range(reps):
        t = time.perf_counter()
        conn.request("GET", path)
        r = conn.getresponse()
        r.read()
        assert r.status == 200, (path, r.status)
        times.append(time.perf_counter() - t)
        first = first if first is not None else 1000 * times[-1]
    times.sort()
    return 1000 * times[len(times) // 2], first


def start(args, ready):
    """Starts a server and waits until `ready(port)` answers."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = int(args[args.index("--bind") + 1].rsplit(":", 1)[1])
    for _ in range(600):
        try:
            ready(port)
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server {args[0]} did not start")


def stop(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def probe(path):
    def ready(port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        conn.getresponse().read()
    return ready


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--talks", type=int, default=10000)
    ap.add_argument("--work", default="/tmp/tgserve")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--reuse", action="store_true", help="keep the corpus and store of an earlier run")
    a = ap.parse_args()
    corpus, store = os.path.join(a.work, f"c{a.talks}"), os.path.join(a.work, f"s{a.talks}")
    if not (a.reuse and os.path.isdir(store)):
        shutil.rmtree(a.work, ignore_errors=True)
        os.makedirs(a.work)
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "make_corpus.py"), "--talks", str(a.talks), "--out", corpus,
                        "--template", os.path.join(ROOT, "notes", "000_221fd2861c5af3bb.txt")], check=True, capture_output=True)
        subprocess.run([BIN, "--store", store, "ingest", corpus], check=True, capture_output=True)
    queries = canned()
    print(f"### talkgraph serve vs oxigraph serve-read-only, {a.talks} talks, {a.clients} clients × {a.seconds:.0f} s per query, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}\n")
    ours = {}
    proc, port = start([BIN, "--store", store, "serve", "--bind", "127.0.0.1:7901", corpus], probe("/api/stats"))
    try:
        for name, _, params in queries:
            path = f"/api/queries/{name}?" + urllib.parse.urlencode(params)
            ours[name] = load(port, path, a.clients, a.seconds, {"Accept": "application/json"})
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/api/search?q=kubernetes")
        tech = json.loads(conn.getresponse().read())["results"][0]["iri"]
        conn.request("GET", "/api/search?q=" + urllib.parse.quote("Яндекс"))
        found = json.loads(conn.getresponse().read())["results"]
        company = found[0]["iri"] if found else tech
        pages = [("the page (/)", "/"), ("search 'kafka'", "/api/search?q=kafka"),
                 ("technology page: Kubernetes (first 100 stances)", "/api/entity?limit=100&iri=" + urllib.parse.quote(tech)),
                 ("its graph view", "/api/graph?iri=" + urllib.parse.quote(tech)),
                 ("company page: " + (found[0]["label"] if found else "-"), "/api/entity?limit=100&iri=" + urllib.parse.quote(company)),
                 ("radar", "/api/radar")]
        page_rows = [(label, sequential(port, path)) for label, path in pages]
    finally:
        stop(proc)
    theirs = {}
    proc, port = start(["oxigraph", "serve-read-only", "--location", store, "--union-default-graph", "--bind", "127.0.0.1:7902"],
                       probe("/query?query=" + urllib.parse.quote("ASK {}")))
    try:
        for name, text, params in queries:
            path = "/query?query=" + urllib.parse.quote(bound_text(text, params))
            theirs[name] = load(port, path, a.clients, a.seconds, {"Accept": "application/sparql-results+json"})
    finally:
        stop(proc)
    print("| canned query | talkgraph req/s (p50) | oxigraph req/s (p50) | ratio (bar ≥ 1.0) | errors |")
    print("| --- | --- | --- | --- | --- |")
    for name, _, _ in queries:
        (r1, p1, e1), (r2, p2, e2) = ours[name], theirs[name]
        print(f"| {name} | {r1:.1f} ({p1:.0f} ms) | {r2:.1f} ({p2:.0f} ms) | {r1 / r2 if r2 else float('inf'):.2f} | {len(e1)} / {len(e2)} |")
    print("\n| page load (JSON the page asks for), one client, 30 loads | p50 (bar ≤ 100 ms) | first load (before the server keeps it) |")
    print("| --- | --- | --- |")
    for label, (ms, first) in page_rows:
        print(f"| {label} | {ms:.0f} ms | {first:.0f} ms |")


if __name__ == "__main__":
    main()
