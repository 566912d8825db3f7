//! GraphML of the property-graph projection, as Gephi, Cytoscape, yEd, networkx and igraph read it:
//! typed `<key>`s, a directed graph, nodes `n0…` and edges `e0…` in the projection's sorted order (so the
//! same notes give the same bytes), the IRI of each node kept as an attribute.

use super::{Edge, Node, PropertyGraph};
use anyhow::Result;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::HashMap;
use std::io::Write;

/// The attributes: (id, for, name, type). Node and edge attributes share no id.
const KEYS: [(&str, &str, &str, &str); 13] = [
    ("label", "node", "label", "string"),
    ("kind", "node", "kind", "string"),
    ("iri", "node", "iri", "string"),
    ("category", "node", "category", "string"),
    ("quadrant", "node", "quadrant", "string"),
    ("date", "node", "date", "string"),
    ("file", "node", "file", "string"),
    ("line", "node", "line", "int"),
    ("e_label", "edge", "label", "string"),
    ("e_evidence", "edge", "evidence", "string"),
    ("e_file", "edge", "file", "string"),
    ("e_line", "edge", "line", "int"),
    ("e_talk", "edge", "talk", "string"),
];

/// Writes the projection as GraphML.
pub fn write(graph: &PropertyGraph, out: &mut dyn Write) -> Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("graphml").with_attributes([
        ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (
            "xsi:schemaLocation",
            "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        ),
    ])))?;
    for (id, domain, name, kind) in KEYS {
        w.write_event(Event::Empty(BytesStart::new("key").with_attributes([
            ("id", id),
            ("for", domain),
            ("attr.name", name),
            ("attr.type", kind),
        ])))?;
    }
    w.write_event(Event::Start(
        BytesStart::new("graph").with_attributes([("id", "talkgraph"), ("edgedefault", "directed")]),
    ))?;
    let mut ids: HashMap<&str, String> = HashMap::with_capacity(graph.nodes.len());
    for (i, node) in graph.nodes.iter().enumerate() {
        let id = format!("n{i}");
        write_node(&mut w, &id, node)?;
        ids.insert(node.iri.as_str(), id);
    }
    for (i, edge) in graph.edges.iter().enumerate() {
        if let (Some(source), Some(target)) = (ids.get(edge.source.as_str()), ids.get(edge.target.as_str())) {
            write_edge(&mut w, &format!("e{i}"), source, target, edge)?;
        }
    }
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))?;
    w.into_inner().write_all(b"\n")?;
    Ok(())
}

fn write_node<W: Write>(w: &mut Writer<W>, id: &str, node: &Node) -> Result<()> {
    w.write_event(Event::Start(BytesStart::new("node").with_attributes([("id", id)])))?;
    data(w, "label", &node.label)?;
    data(w, "kind", node.kind.name())?;
    data(w, "iri", &node.iri)?;
    if let Some(category) = &node.category {
        data(w, "category", category)?;
    }
    if let Some(quadrant) = &node.quadrant {
        data(w, "quadrant", quadrant)?;
    }
    if let Some(date) = &node.date {
        data(w, "date", date)?;
    }
    if let Some((file, line)) = &node.source {
        data(w, "file", file)?;
        data(w, "line", &line.to_string())?;
    }
    w.write_event(Event::End(BytesEnd::new("node")))?;
    Ok(())
}

fn write_edge<W: Write>(w: &mut Writer<W>, id: &str, source: &str, target: &str, edge: &Edge) -> Result<()> {
    w.write_event(Event::Start(BytesStart::new("edge").with_attributes([
        ("id", id),
        ("source", source),
        ("target", target),
    ])))?;
    data(w, "e_label", &edge.kind)?;
    if let Some(e) = &edge.evidence {
        data(w, "e_evidence", &e.text)?;
        data(w, "e_file", &e.file)?;
        data(w, "e_line", &e.line.to_string())?;
        data(w, "e_talk", &e.talk)?;
    }
    w.write_event(Event::End(BytesEnd::new("edge")))?;
    Ok(())
}

/// One `<data key="…">value</data>`, the value escaped and stripped of what XML 1.0 cannot hold.
fn data<W: Write>(w: &mut Writer<W>, key: &str, value: &str) -> Result<()> {
    let text = xml_chars(value);
    w.write_event(Event::Start(BytesStart::new("data").with_attributes([("key", key)])))?;
    w.write_event(Event::Text(BytesText::new(&text)))?;
    w.write_event(Event::End(BytesEnd::new("data")))?;
    Ok(())
}

/// The text with characters XML 1.0 forbids (control characters, U+FFFE, U+FFFF) replaced by U+FFFD.
fn xml_chars(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if text.chars().any(bad) {
        text.chars().map(|c| if bad(c) { '\u{FFFD}' } else { c }).collect::<String>().into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Evidence, NodeKind};

    #[test]
    fn markup_and_control_characters_in_evidence_stay_well_formed() {
        let node = |iri: &str, kind| Node {
            iri: iri.into(),
            kind,
            label: iri.into(),
            category: None,
            quadrant: None,
            date: None,
            source: None,
        };
        let graph = PropertyGraph {
            nodes: vec![node("o", NodeKind::Organization), node("t", NodeKind::Technology)],
            edges: vec![Edge {
                source: "o".into(),
                target: "t".into(),
                kind: "adopted".into(),
                evidence: Some(Evidence {
                    file: "a&b.md".into(),
                    line: 3,
                    text: "<b>moved</b> to \"X\" \u{1}".into(),
                    talk: "t1".into(),
                }),
            }],
        };
        let mut out = Vec::new();
        write(&graph, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(xml.contains("&lt;b&gt;moved&lt;/b&gt; to &quot;X&quot; \u{FFFD}"), "{xml}");
        assert!(xml.contains("<data key=\"e_file\">a&amp;b.md</data>"), "{xml}");
        assert!(xml.contains("<edge id=\"e0\" source=\"n0\" target=\"n1\">"), "{xml}");
    }
}
