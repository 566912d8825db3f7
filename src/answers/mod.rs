//! Canned queries answered from answers kept beside the store, at the speed of reading them.
//!
//! The query engine finds a stance row through six index lookups; a canned query over the 10k-talk store
//! does that for tens of thousands of rows. So each notes graph's part of every canned query is worked out
//! once, from the graph's quads as they are ingested (`contribute`), and shelved in a file per graph
//! (`shelf`) stamped with what the graph was made from (its notes file's SHA-256, the build, the ontology
//! version). A canned query then reads, per graph, the rows of the keys its parameters name, and puts them
//! together here: rows are joined (and made distinct where graphs can repeat them), counts added up, the
//! radar's and the categories' sets taken from the ontology graph. Ordering is left to the caller, which
//! sorts as it sorts the engine's rows.
//!
//! This is derived data only: when any graph's answers are missing or stale, or a query's parameters
//! resolve in a way the shelved parts cannot add up exactly, [`answer`] says `None` and the caller runs
//! the query on the store. The tests compare both ways on every canned query.

mod contribute;
mod shelf;

pub use shelf::Shelf;

use anyhow::Result;
use contribute::{integer, key_text, pair_key};
use oxigraph::model::{GraphNameRef, Literal, NamedNodeRef, Quad, Term, TermRef, Variable};
use oxigraph::store::Store;
use rustc_hash::{FxHashMap, FxHashSet};

/// One answer row: a value (or unbound) per projected variable.
pub type Row = Vec<Option<Term>>;

/// What a graph's answers are made from: its notes file's hash, the talkgraph build and the ontology.
pub fn fingerprint(sha256: &str, build: &str, ontology: &str) -> String {
    format!("{sha256}:{build}:{ontology}")
}

/// Works out a graph's part of every canned query from its quads and shelves it.
pub fn shelve(shelf: &Shelf, graph: &str, fingerprint: &str, quads: &[Quad]) -> Result<()> {
    let name = oxigraph::model::NamedNode::new(graph)?;
    let index = contribute::GraphIndex::new(&name, quads);
    let (sections, terms) = contribute::sections(&index);
    shelf.write(graph, fingerprint, &sections, &|id| terms.term(id))
}

/// The shelved answers of every notes graph the store holds, if all are there and current.
fn shelved(store: &Store, shelf: &Shelf) -> Result<Option<Vec<shelf::Shelved>>> {
    let build = crate::store::meta(store, "talkgraphVersion")?.unwrap_or_default();
    let ontology = crate::store::meta(store, "ontologyVersion")?.unwrap_or_default();
    let mut all = Vec::new();
    for (graph, sha) in crate::store::manifest(store)?.into_values() {
        match shelf.open(&graph, &fingerprint(&sha, &build, &ontology))? {
            Some(s) => all.push(s),
            None => return Ok(None),
        }
    }
    Ok(Some(all))
}

/// The rows of canned query `name` with `params` bound, unordered, put together from the shelf; `None`
/// when the shelf cannot answer (the caller then asks the store).
pub fn answer(store: &Store, shelf: &Shelf, name: &str, params: &[(Variable, Literal)]) -> Result<Option<Vec<Row>>> {
    let Some(text) = crate::sparql::CANNED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t) else {
        return Ok(None);
    };
    let declared: Vec<&str> = crate::sparql::declared_parameters(text).into_iter().map(|(p, _)| p).collect();
    let mut keys: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    for (variable, value) in params {
        match variable.as_str().strip_suffix("Key").filter(|p| declared.contains(p)) {
            Some(param) => drop(keys.insert(param, named_by(store, value)?)),
            None if declared.contains(&variable.as_str()) => {}
            None => return Ok(None),
        }
    }
    if declared.iter().any(|p| !keys.contains_key(p)) {
        return Ok(None);
    }
    let Some(graphs) = shelved(store, shelf)? else { return Ok(None) };
    let techs = keys.remove("tech").unwrap_or_default();
    let orgs = keys.remove("company").unwrap_or_default();
    let rows = |section: &str, keys: &[String]| -> Result<Vec<Row>> {
        let mut all = Vec::new();
        for g in &graphs {
            for key in keys {
                all.extend(g.rows(section, key)?);
            }
        }
        Ok(all)
    };
    let whole = [String::new()];
    Ok(Some(match name {
        "companies-moved-to" | "talks-mentioning" => distinct_if(rows(name, &techs)?, techs.len() > 1),
        "speakers-on-technology" => distinct_if(rows(name, &techs)?, true),
        "company-profile" => distinct_if(rows(name, &orgs)?, orgs.len() > 1),
        "evidence" => {
            let pairs: Vec<String> = orgs.iter().flat_map(|o| techs.iter().map(move |t| pair_key(o, t))).collect();
            distinct_if(rows(name, &pairs)?, pairs.len() > 1)
        }
        "speakers-by-company" => distinct_if(rows(name, &whole)?, true),
        "considering" | "evaluated" | "rejected" | "migrations" => rows(name, &whole)?,
        "talks" => talks(rows(name, &whole)?),
        "co-occurring" if techs.len() == 1 => add_counts(rows(name, &techs)?),
        "co-occurring" if techs.is_empty() => Vec::new(),
        "technologies-by-category" => match by_category(store, &graphs)? {
            Some(rows) => rows,
            None => return Ok(None),
        },
        "technology-radar" => radar(store, &graphs)?,
        _ => return Ok(None),
    }))
}

/// The entities a parameter's key names: subjects of `tg:lookupKey` with that value, in any graph.
fn named_by(store: &Store, key: &Literal) -> Result<Vec<String>> {
    let predicate = NamedNodeRef::new_unchecked("https://talkgraph.dev/ontology#lookupKey");
    let mut found: Vec<String> = Vec::new();
    for q in store.quads_for_pattern(None, Some(predicate), Some(TermRef::Literal(key.as_ref())), None) {
        found.push(key_text(q?.subject.as_ref().into()));
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

fn distinct_if(mut rows: Vec<Row>, needed: bool) -> Vec<Row> {
    if needed {
        let mut seen = FxHashSet::default();
        rows.retain(|r| seen.insert(r.clone()));
    }
    rows
}

/// co-occurring: counts of talks per label, added up over graphs (a talk belongs to one graph).
fn add_counts(rows: Vec<Row>) -> Vec<Row> {
    let mut totals: FxHashMap<Term, usize> = FxHashMap::default();
    for row in rows {
        if let [Some(label), Some(count)] = row.as_slice() {
            *totals.entry(label.clone()).or_default() += count_of(count);
        }
    }
    totals.into_iter().map(|(label, n)| vec![Some(label), Some(integer(n))]).collect()
}

fn count_of(term: &Term) -> usize {
    match term {
        Term::Literal(l) => l.value().parse().unwrap_or(0),
        _ => 0,
    }
}

/// talks: rows grouped by (talk, file), speakers' names and companies joined by ", " (distinct, in
/// sorted order); unbound when some speaker of the group has none, as `GROUP_CONCAT` over an unbound value is.
fn talks(rows: Vec<Row>) -> Vec<Row> {
    type Members = (Option<FxHashSet<Term>>, Option<FxHashSet<Term>>);
    let mut groups: FxHashMap<(Term, Term), Members> = FxHashMap::default();
    for row in rows {
        let [Some(talk), Some(file), name, company] = <[Option<Term>; 4]>::try_from(row).unwrap_or_default() else {
            continue;
        };
        let (names, companies) =
            groups.entry((talk, file)).or_insert_with(|| (Some(FxHashSet::default()), Some(FxHashSet::default())));
        for (set, value) in [(names, name), (companies, company)] {
            match value {
                Some(v) => drop(set.as_mut().map(|s| s.insert(v))),
                None => *set = None,
            }
        }
    }
    groups
        .into_iter()
        .map(|((talk, file), (names, companies))| {
            vec![Some(talk), names.map(concat), companies.map(concat), Some(file)]
        })
        .collect()
}

/// `GROUP_CONCAT(DISTINCT ?x; separator=", ")` of a set of values, in sorted order: a language-tagged
/// string when all share one language, else a plain one.
fn concat(values: FxHashSet<Term>) -> Term {
    let mut values: Vec<Term> = values.into_iter().collect();
    values.sort_by(|a, b| text_of(a).cmp(text_of(b)).then_with(|| a.to_string().cmp(&b.to_string())));
    let languages: FxHashSet<Option<&str>> = values.iter().map(language_of).collect();
    let joined = values.iter().map(text_of).collect::<Vec<_>>().join(", ");
    match languages.into_iter().collect::<Vec<_>>().as_slice() {
        [Some(lang)] => Literal::new_language_tagged_literal_unchecked(joined, *lang).into(),
        _ => Literal::new_simple_literal(joined).into(),
    }
}

fn text_of(term: &Term) -> &str {
    match term {
        Term::Literal(l) => l.value(),
        Term::NamedNode(n) => n.as_str(),
        Term::BlankNode(b) => b.as_str(),
        #[allow(unreachable_patterns)]
        _ => "",
    }
}

fn language_of(term: &Term) -> Option<&str> {
    match term {
        Term::Literal(l) => l.language(),
        _ => None,
    }
}

/// The objects of `predicate` in the ontology's technologies graph, by subject: one scan of the index.
fn in_vocabulary(store: &Store, predicate: &str) -> Result<FxHashMap<Term, Vec<Term>>> {
    let graph = crate::vocab::ontology_graph("technologies");
    let found = store.quads_for_pattern(
        None,
        Some(NamedNodeRef::new_unchecked(predicate)),
        None,
        Some(GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(&graph))),
    );
    let mut by_subject: FxHashMap<Term, Vec<Term>> = FxHashMap::default();
    for q in found {
        let q = q?;
        by_subject.entry(q.subject.into()).or_default().push(q.object);
    }
    Ok(by_subject)
}

fn pref_label() -> String {
    crate::vocab::SKOS.iri("prefLabel")
}

/// technologies-by-category: the vocabulary's (category, technology) groups with the number of talks
/// mentioning them; `None` when a group holds two technologies (their talks could overlap, and the
/// shelved counts cannot say).
fn by_category(store: &Store, graphs: &[shelf::Shelved]) -> Result<Option<Vec<Row>>> {
    let mut talks: FxHashMap<Term, usize> = FxHashMap::default();
    for g in graphs {
        let Some(block) = g.block("technologies-by-category", "")? else { continue };
        let counts: Vec<usize> = block.terms.iter().map(count_of).collect();
        let mut added: Vec<usize> = vec![0; block.terms.len()];
        for row in block.cells.chunks(2).filter(|r| r.len() == 2 && !r.contains(&0)) {
            added[row[0] as usize - 1] += counts[row[1] as usize - 1];
        }
        for (t, n) in block.terms.into_iter().zip(added).filter(|(_, n)| *n > 0) {
            *talks.entry(t).or_default() += n;
        }
    }
    let labels = in_vocabulary(store, &pref_label())?;
    let categories = in_vocabulary(store, &crate::vocab::TG.iri("category"))?;
    let none = Vec::new();
    let mut groups: FxHashMap<(Term, Term), (Term, usize)> = FxHashMap::default();
    for (t, n) in talks {
        for label in labels.get(&t).unwrap_or(&none) {
            for c in categories.get(&t).unwrap_or(&none) {
                for name in labels.get(c).unwrap_or(&none).iter().cloned() {
                    if language_of(&name) != Some("en") {
                        continue;
                    }
                    match groups.entry((name, label.clone())) {
                        std::collections::hash_map::Entry::Occupied(e) if e.get().0 != t => return Ok(None),
                        std::collections::hash_map::Entry::Occupied(_) => {}
                        std::collections::hash_map::Entry::Vacant(e) => drop(e.insert((t.clone(), n))),
                    }
                }
            }
        }
    }
    Ok(Some(groups.into_iter().map(|((c, label), (_, n))| vec![Some(c), Some(label), Some(integer(n))]).collect()))
}

/// technology-radar: per label of a technology in the vocabulary, how many organizations adopted, use
/// and rejected it.
fn radar(store: &Store, graphs: &[shelf::Shelved]) -> Result<Vec<Row>> {
    // Terms numbered across graphs, so that a row is three numbers to hash, not three strings.
    let mut numbers: FxHashMap<Term, u32> = FxHashMap::default();
    let mut seen: FxHashSet<[u32; 3]> = FxHashSet::default();
    for g in graphs {
        let Some(block) = g.block("technology-radar", "")? else { continue };
        let local: Vec<u32> = block
            .terms
            .into_iter()
            .map(|t| {
                let next = numbers.len() as u32;
                *numbers.entry(t).or_insert(next)
            })
            .collect();
        for row in block.cells.chunks(3).filter(|r| r.len() == 3 && !r.contains(&0)) {
            seen.insert([local[row[0] as usize - 1], local[row[1] as usize - 1], local[row[2] as usize - 1]]);
        }
    }
    let mut terms: Vec<Option<Term>> = vec![None; numbers.len()];
    for (t, n) in numbers {
        terms[n as usize] = Some(t);
    }
    let mut by_technology: FxHashMap<u32, [FxHashSet<u32>; 3]> = FxHashMap::default();
    for [column, t, who] in seen {
        let column = terms[column as usize].as_ref().map_or(usize::MAX, count_of);
        if let Some(set) = by_technology.entry(t).or_default().get_mut(column) {
            set.insert(who);
        }
    }
    let labels = in_vocabulary(store, &pref_label())?;
    let mut by_label: FxHashMap<Term, [FxHashSet<u32>; 3]> = FxHashMap::default();
    for (t, sets) in by_technology {
        let Some(t) = &terms[t as usize] else { continue };
        for label in labels.get(t).into_iter().flatten() {
            let merged = by_label.entry(label.clone()).or_default();
            for (into, from) in merged.iter_mut().zip(&sets) {
                into.extend(from.iter().copied());
            }
        }
    }
    Ok(by_label
        .into_iter()
        .map(|(label, [a, u, r])| {
            vec![Some(label), Some(integer(a.len())), Some(integer(u.len())), Some(integer(r.len()))]
        })
        .collect())
}
