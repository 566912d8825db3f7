#!/usr/bin/env python3
"""talkgraph's cost in each dimension of its input: is ingest linear however the notes are shaped?

    python3 bench/adversarial.py [--work /tmp/tgadv] [--min-seconds 0.5] [--reps 3] [--only NAME ...]
    python3 bench/adversarial.py --write DIR [--n N]      # write each dimension's file at N (for profiling)

For each dimension of a notes file (mentions per line, line length, wrapped lines, brackets, emphasis runs, talks per file,
sections per talk, front-matter entries and nesting, list and quote depth, table rows, files per folder) a
generator writes notes of size n. n is doubled until ingesting it takes at least --min-seconds more than
ingesting an empty file (the floor: starting the binary, building the extractor, opening the store); then
notes of size n and 2n are each ingested --reps times into a fresh disk store, and the fastest run of each
counts. Prints, per dimension, both times, the ratio t(2n)/t(n), and the same ratio with the floor taken off
both sides (the cost of the input alone); linear is 2.0, quadratic 4.0.

Builds nothing: run `cargo build --release` first, or point TALKGRAPH_BIN at a copy.
"""
import argparse, os, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("TALKGRAPH_BIN", os.path.join(ROOT, "target", "release", "talkgraph"))

TECHS = ["Kafka", "PostgreSQL", "Kubernetes", "ClickHouse", "Redis", "etcd", "Patroni", "Elasticsearch"]
PEOPLE = ["Иван Петров", "Jane Roe", "Мария Сидорова", "John Smith", "Алексей Иванов", "Anna Berg"]
ORGS = ["Яндекс", "Booking.com", "Avito", "Initech", "Сбербанк", "Ozon"]


def tech(i):
    return TECHS[i % len(TECHS)]


def talk(i):
    """One realistic talk: heading, speaker line, stances in Russian and English."""
    return (
        f"## Доклад {i}: как мы переехали на {tech(i)}\n"
        f"{PEOPLE[i % len(PEOPLE)]}, SRE, {ORGS[i % len(ORGS)]}\n\n"
        f"- Раньше жили на {tech(i + 1)}, потом перешли на {tech(i)}.\n"
        f"- We evaluated {tech(i + 2)} but rejected it because of cost.\n\n"
    )


HEAD = "# Conference 2026\n\n" + talk(0)

# Each generator returns the files of a notes folder at size n: {relative path: text}.
DIMENSIONS = {
    "mentions-per-line": (2000, lambda n: {"a.md": HEAD + "We use " + ", ".join(tech(i) for i in range(n)) + ".\n"}),
    "companies-per-line": (
        2000,
        lambda n: {"a.md": HEAD + "Клиенты: " + ", ".join(f"{ORGS[i % len(ORGS)]} и ООО «Ромашка {i}»" for i in range(n)) + ".\n"},
    ),
    "companies-per-talk": (
        500,
        lambda n: {"a.md": HEAD + "".join(f"- В ООО «Ромашка {i}» перешли на {tech(i)}.\n" for i in range(n))},
    ),
    "line-length": (20000, lambda n: {"a.md": HEAD + " ".join(f"word{i % 97} and more prose" for i in range(n)) + "\n"}),
    # A paragraph its editor wrapped at 70 columns mid-sentence: read as one long line.
    "wrapped-lines": (
        2000,
        lambda n: {"a.md": HEAD + "".join(f"we moved service {i} from {tech(i + 1)} to {tech(i)} and then kept going\n" for i in range(n))},
    ),
    "brackets-open": (20000, lambda n: {"a.md": HEAD + "Kafka " + "(" * n + " Redis\n"}),
    "brackets-pairs": (10000, lambda n: {"a.md": HEAD + " ".join(f"({tech(i)} [{i}])" for i in range(n)) + "\n"}),
    "links": (5000, lambda n: {"a.md": HEAD + " ".join(f"[{tech(i)}](http://x/{i})" for i in range(n)) + "\n"}),
    "emphasis-runs": (20000, lambda n: {"a.md": HEAD + "*" * n + " Kafka " + "_" * n + "\n"}),
    "emphasis-pairs": (10000, lambda n: {"a.md": HEAD + " ".join(f"**{tech(i)}** _x{i}_" for i in range(n)) + "\n"}),
    "talks-per-file": (1000, lambda n: {"a.md": "# Conference 2026\n\n" + "".join(talk(i) for i in range(n))}),
    "sections-per-talk": (
        1000,
        lambda n: {"a.md": HEAD + "".join(f"### Вывод {i}\n\nМы используем {tech(i)}.\n\n" for i in range(n))},
    ),
    "front-matter-entries": (
        1000,
        lambda n: {
            "a.md": "---\ntalks:\n"
            + "".join(
                f"  - title: Как мы переехали на {tech(i)} {i}\n    speaker: {PEOPLE[i % len(PEOPLE)]}\n"
                f"    company: {ORGS[i % len(ORGS)]}\n"
                for i in range(n)
            )
            + "---\n\nNotes.\n"
        },
    ),
    # Nesting written the way its size grows linearly with the depth (indentation would grow as its square).
    "front-matter-nesting": (
        2000,
        lambda n: {"a.md": "---\ntalk: " + "{k: [" * n + "Kafka" + "]}" * n + "\n---\n\nNotes.\n"},
    ),
    "list-depth": (2000, lambda n: {"a.md": HEAD + "- " * n + "Kafka at depth\n" + "".join(f"- {tech(i)}\n" for i in range(n))}),
    "quote-depth": (2000, lambda n: {"a.md": HEAD + "> " * n + "Kafka at depth\n" + "".join(f"> {tech(i)}\n" for i in range(n))}),
    "table-rows": (
        1000,
        lambda n: {
            "a.md": "# Programme\n\n| Talk | Speaker | Company |\n|---|---|---|\n"
            + "".join(f"| Как мы переехали на {tech(i)} {i} | {PEOPLE[i % len(PEOPLE)]} | {ORGS[i % len(ORGS)]} |\n" for i in range(n))
        },
    ),
    "files-per-folder": (200, lambda n: {f"f{i:06}.md": talk(i) for i in range(n)}),
}


def write(folder, files):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name, text in files.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)


def ingest_seconds(folder, store, reps):
    """The fastest of `reps` ingests of `folder` into a fresh disk store."""
    best = float("inf")
    for _ in range(reps):
        shutil.rmtree(store, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([BIN, "--store", store, "ingest", folder], check=True, capture_output=True)
        best = min(best, time.perf_counter() - t)
    return best


def size_of(files):
    return sum(len(t.encode()) for t in files.values())


def measure(name, start, make, work, floor, min_seconds, reps):
    folder, store = os.path.join(work, name), os.path.join(work, "store")
    n = start
    while True:
        files = make(n)
        if size_of(make(2 * n)) > 32 << 20:
            break
        write(folder, files)
        if min_seconds <= 0 or ingest_seconds(folder, store, 1) - floor >= min_seconds:
            break
        n *= 2
    write(folder, make(n))
    small = ingest_seconds(folder, store, reps)
    big_files = make(2 * n)
    write(folder, big_files)
    big = ingest_seconds(folder, store, reps)
    shutil.rmtree(folder, ignore_errors=True)
    return n, size_of(big_files), small, big


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/tgadv")
    ap.add_argument("--min-seconds", type=float, default=0.5)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", nargs="+", choices=sorted(DIMENSIONS))
    ap.add_argument("--write", metavar="DIR", help="only write each dimension's notes at --n into DIR/NAME/")
    ap.add_argument("--n", type=int, default=0, help="size for --write (default: each dimension's start)")
    args = ap.parse_args()
    chosen = {k: v for k, v in DIMENSIONS.items() if not args.only or k in args.only}
    if args.write:
        for name, (start, make) in chosen.items():
            write(os.path.join(args.write, name), make(args.n or start))
        return
    os.makedirs(args.work, exist_ok=True)
    empty = os.path.join(args.work, "empty")
    write(empty, {"a.md": HEAD})
    floor = ingest_seconds(empty, os.path.join(args.work, "store"), max(args.reps, 5))
    print(f"floor (ingest of one one-talk file into a new store): {floor:.3f} s", file=sys.stderr)
    print("| dimension | n | bytes at 2n | t(n) s | t(2n) s | ratio | ratio, floor off |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    worst = 0.0
    for name, (start, make) in chosen.items():
        n, size, small, big = measure(name, start, make, args.work, floor, args.min_seconds, args.reps)
        ratio, net = big / small, (big - floor) / max(small - floor, 1e-9)
        worst = max(worst, ratio)
        print(f"| {name} | {n} | {size} | {small:.3f} | {big:.3f} | {ratio:.2f} | {net:.2f} |", flush=True)
    print(f"\nfloor {floor:.3f} s; worst ratio {worst:.2f} (bar: every ratio ≤ 2.3)")


if __name__ == "__main__":
    main()
