"""Expands a JSON-LD export with pyld and compares its quads with an N-Quads export of the same store:
prints the counts and a few quads found on one side only, as JSON."""
import json
import sys

import pyoxigraph
from pyld import jsonld


def quads(text):
    return {str(q) for q in pyoxigraph.parse(text.encode("utf-8"), pyoxigraph.RdfFormat.N_QUADS)}


with open(sys.argv[1], encoding="utf-8") as f:
    document = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    ours = quads(f.read())
theirs = quads(jsonld.to_rdf(document, {"format": "application/n-quads"}))
print(json.dumps({
    "nquads": len(ours),
    "pyld": len(theirs),
    "only_nquads": sorted(ours - theirs)[:5],
    "only_pyld": sorted(theirs - ours)[:5],
    "context_keys": len(document["@context"]),
}, ensure_ascii=False))
