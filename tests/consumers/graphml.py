"""Reads a GraphML export with networkx and with igraph, and prints what each saw as JSON:
node counts by kind, edge counts by label, and every stance edge with its evidence."""
import json
import sys
from collections import Counter

import igraph
import networkx

STANCES = {"uses", "adopted", "migratedFrom", "evaluated", "considering", "rejected"}


def by_networkx(path):
    g = networkx.read_graphml(path)
    nodes = Counter(d["kind"] for _, d in g.nodes(data=True))
    edges = Counter(d["label"] for _, _, d in g.edges(data=True))
    stances = sorted(
        [g.nodes[s]["label"], g.nodes[t]["label"], d["label"], d["evidence"], d["file"], int(d["line"])]
        for s, t, d in g.edges(data=True) if d["label"] in STANCES)
    return {"directed": g.is_directed(), "nodes": nodes, "edges": edges, "stances": stances}


def by_igraph(path):
    g = igraph.Graph.Read_GraphML(path)
    nodes = Counter(g.vs["kind"])
    edges = Counter(g.es["label"])
    stances = sorted(
        [g.vs[e.source]["label"], g.vs[e.target]["label"], e["label"], e["evidence"], e["file"], int(e["line"])]
        for e in g.es if e["label"] in STANCES)
    return {"directed": g.is_directed(), "nodes": nodes, "edges": edges, "stances": stances}


print(json.dumps({"networkx": by_networkx(sys.argv[1]), "igraph": by_igraph(sys.argv[1])}, ensure_ascii=False))
