//! Scoring extraction against gold annotations: the rules of the reference scorer (`tests/score.py`,
//! a copy of the shared `score.py`), ported so that users can measure talkgraph on their own annotated
//! notes. The graph is read by the local names of its terms; gold entities match graph entities when a
//! normalised label equals the gold name or one of its mentions; talks, speakers, roles, speaker
//! organizations, technologies and organizations are matched per talk, greedily one to one; relations are
//! matched over the whole graph by (organization, technology) and (organization, stance, technology).

use crate::text::compact_key;
use oxigraph::model::{Quad, Term};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// The notes document's file name.
    pub document: String,
    /// The talks.
    pub talks: Vec<GoldTalk>,
}

/// A gold talk.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldTalk {
    /// The title as written, or null.
    pub title: Option<String>,
    /// The speakers.
    #[serde(default)]
    pub speakers: Vec<GoldSpeaker>,
    /// Organizations named in the talk.
    #[serde(default)]
    pub organizations: Vec<GoldEntity>,
    /// Technologies named in the talk.
    #[serde(default)]
    pub technologies: Vec<GoldEntity>,
    /// Stances.
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
}

/// A gold speaker.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSpeaker {
    /// Name.
    pub name: String,
    /// Role, or null.
    pub role: Option<String>,
    /// Organization, or null.
    pub organization: Option<String>,
}

/// A gold organization or technology.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    /// Canonical name.
    pub name: String,
    /// Surface forms in the talk.
    #[serde(default)]
    pub mentions: Vec<String>,
}

/// A gold stance.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldRelation {
    /// Organization name.
    pub organization: String,
    /// Stance name (gold spelling).
    pub relation: String,
    /// Technology name.
    pub technology: String,
}

/// Counts of one kind of fact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// True positives.
    pub tp: usize,
    /// Facts in the output.
    pub out: usize,
    /// Facts in the gold.
    pub gold: usize,
}

impl Row {
    /// Precision, recall and F1, with the reference scorer's conventions for empty sets.
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.out > 0 {
            self.tp as f64 / self.out as f64
        } else if self.gold == 0 {
            1.0
        } else {
            0.0
        };
        let r = if self.gold > 0 { self.tp as f64 / self.gold as f64 } else { 1.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// The score table: kind of fact → counts, in the reference scorer's order.
pub type Table = Vec<(String, Row)>;

const STANCES: [(&str, &str); 6] = [
    ("uses", "uses"),
    ("adopted", "adopted"),
    ("migratedfrom", "migrated_from"),
    ("evaluated", "evaluated"),
    ("considering", "considering"),
    ("rejected", "rejected"),
];
const TITLE: [&str; 4] = ["title", "name", "label", "headline"];
const LABEL: [&str; 7] = ["name", "label", "preflabel", "altlabel", "legalname", "alternatename", "hiddenlabel"];
const SPEAKER: [&str; 4] = ["speaker", "performer", "presenter", "hasspeaker"];
const ROLE: [&str; 2] = ["jobtitle", "role"];
const EMPLOYER: [&str; 3] = ["worksfor", "affiliation", "memberof"];
const MENTIONS: [&str; 4] = ["mentions", "mentionstechnology", "mentionsorganization", "about"];

/// A graph indexed by subject and local predicate name.
struct Graph {
    out: HashMap<Term, BTreeMap<String, Vec<Term>>>,
    types: HashMap<Term, BTreeSet<String>>,
    order: Vec<Term>,
}

fn local(iri: &str) -> String {
    iri.rsplit(['#', '/']).next().unwrap_or(iri).to_lowercase()
}

impl Graph {
    fn new(quads: &[Quad]) -> Graph {
        let mut g = Graph { out: HashMap::new(), types: HashMap::new(), order: Vec::new() };
        for q in quads {
            let s: Term = q.subject.clone().into();
            let name = local(q.predicate.as_str());
            if name == "type"
                && let Term::NamedNode(o) = &q.object
            {
                g.types.entry(s.clone()).or_default().insert(local(o.as_str()));
            }
            if !g.out.contains_key(&s) {
                g.order.push(s.clone());
            }
            let objs = g.out.entry(s).or_default().entry(name).or_default();
            if !objs.contains(&q.object) {
                objs.push(q.object.clone());
            }
        }
        g
    }

    fn of_type(&self, names: &[&str]) -> Vec<Term> {
        let mut v: Vec<Term> =
            self.types.iter().filter(|(_, t)| names.iter().any(|n| t.contains(*n))).map(|(s, _)| s.clone()).collect();
        v.sort_by_key(|t| t.to_string());
        v
    }

    fn values(&self, s: &Term, preds: &[&str]) -> Vec<Term> {
        let Some(props) = self.out.get(s) else {
            return Vec::new();
        };
        preds.iter().flat_map(|p| props.get(*p).into_iter().flatten().cloned()).collect()
    }

    fn literals(&self, s: &Term, preds: &[&str]) -> Vec<String> {
        self.values(s, preds)
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            })
            .collect()
    }

    fn labels(&self, s: &Term) -> BTreeSet<String> {
        self.literals(s, &LABEL).iter().map(|l| compact_key(l)).filter(|l| !l.is_empty()).collect()
    }

    fn has_type(&self, s: &Term, name: &str) -> bool {
        self.types.get(s).is_some_and(|t| t.contains(name))
    }
}

fn forms(e: &GoldEntity) -> BTreeSet<String> {
    std::iter::once(&e.name).chain(&e.mentions).map(|m| compact_key(m)).collect()
}

/// Greedy one-to-one matching: the number of matched pairs.
fn match_sets<O, G>(out: &[O], gold: &[G], same: impl Fn(&O, &G) -> bool) -> usize {
    let mut used = vec![false; out.len()];
    let mut tp = 0;
    for g in gold {
        if let Some(i) = (0..out.len()).find(|&i| !used[i] && same(&out[i], g)) {
            used[i] = true;
            tp += 1;
        }
    }
    tp
}

#[derive(Default)]
struct Scores(Vec<(String, Row)>);

impl Scores {
    fn add(&mut self, kind: &str, tp: usize, out: usize, gold: usize) {
        let i = match self.0.iter().position(|(k, _)| k == kind) {
            Some(i) => i,
            None => {
                self.0.push((kind.to_string(), Row::default()));
                self.0.len() - 1
            }
        };
        let row = &mut self.0[i].1;
        row.tp += tp;
        row.out += out;
        row.gold += gold;
    }
}

type Person = (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>);

/// Scores a graph against gold files, by the reference scorer's rules.
pub fn score(quads: &[Quad], golds: &[Gold]) -> Table {
    let graph = Graph::new(quads);
    let mut sc = Scores::default();
    let all_talks = graph.of_type(&["talk", "presentation"]);
    let mut talks: HashMap<String, Term> = HashMap::new();
    for t in &all_talks {
        if let Some(title) = graph.literals(t, &TITLE).first() {
            talks.entry(compact_key(title)).or_insert_with(|| t.clone());
        }
    }
    let mut by_speaker: HashMap<String, Term> = HashMap::new();
    for t in &all_talks {
        for p in graph.values(t, &SPEAKER) {
            for name in graph.labels(&p) {
                by_speaker.entry(name).or_insert_with(|| t.clone());
            }
        }
    }
    let mut matched = 0;
    let mut n_gold_talks = 0;
    for gold in golds {
        for gt in &gold.talks {
            n_gold_talks += 1;
            let found = match &gt.title {
                Some(title) if !title.is_empty() => talks.get(&compact_key(title)).cloned(),
                _ => gt.speakers.iter().find_map(|s| by_speaker.get(&compact_key(&s.name)).cloned()),
            };
            match found {
                Some(t) => {
                    matched += 1;
                    score_talk(&graph, &t, gt, &mut sc);
                }
                None => {
                    sc.add("technologies", 0, 0, gt.technologies.len());
                    sc.add("organizations", 0, 0, gt.organizations.len());
                    sc.add("speakers", 0, 0, gt.speakers.len());
                }
            }
        }
    }
    sc.add("talks", matched, all_talks.len(), n_gold_talks);
    score_relations(&graph, golds, &mut sc);
    sc.0
}

fn score_talk(graph: &Graph, t: &Term, gt: &GoldTalk, sc: &mut Scores) {
    let people: Vec<Person> = graph
        .values(t, &SPEAKER)
        .iter()
        .map(|p| {
            let roles = graph.literals(p, &ROLE).iter().map(|r| compact_key(r)).collect();
            let orgs = graph.values(p, &EMPLOYER).iter().flat_map(|o| graph.labels(o)).collect();
            (graph.labels(p), roles, orgs)
        })
        .collect();
    let gs = &gt.speakers;
    sc.add("speakers", match_sets(&people, gs, |o, g| o.0.contains(&compact_key(&g.name))), people.len(), gs.len());
    let with_role: Vec<&GoldSpeaker> = gs.iter().filter(|g| g.role.as_deref().is_some_and(|r| !r.is_empty())).collect();
    let roles_tp = match_sets(&people, &with_role, |o, g| {
        o.0.contains(&compact_key(&g.name)) && o.1.contains(&compact_key(g.role.as_deref().unwrap_or("")))
    });
    sc.add("speaker roles", roles_tp, people.iter().filter(|o| !o.1.is_empty()).count(), with_role.len());
    let with_org: Vec<&GoldSpeaker> =
        gs.iter().filter(|g| g.organization.as_deref().is_some_and(|r| !r.is_empty())).collect();
    let orgs_tp = match_sets(&people, &with_org, |o, g| {
        o.0.contains(&compact_key(&g.name)) && o.2.contains(&compact_key(g.organization.as_deref().unwrap_or("")))
    });
    sc.add("speaker organizations", orgs_tp, people.iter().filter(|o| !o.2.is_empty()).count(), with_org.len());
    let mentioned = graph.values(t, &MENTIONS);
    let techs: Vec<BTreeSet<String>> = mentioned
        .iter()
        .filter(|x| graph.has_type(x, "technology") || graph.has_type(x, "softwareapplication"))
        .map(|x| graph.labels(x))
        .collect();
    let mut orgs: Vec<BTreeSet<String>> =
        mentioned.iter().filter(|x| graph.has_type(x, "organization")).map(|x| graph.labels(x)).collect();
    // Like the reference: each speaker's employer is checked against the mentioned organizations only,
    // so two speakers of one unmentioned company count twice.
    let employers: Vec<BTreeSet<String>> = people
        .iter()
        .filter(|o| !o.2.is_empty() && orgs.iter().all(|e| o.2.is_disjoint(e)))
        .map(|o| o.2.clone())
        .collect();
    orgs.extend(employers);
    let tech_tp = match_sets(&techs, &gt.technologies, |o, g| !o.is_disjoint(&forms(g)));
    sc.add("technologies", tech_tp, techs.len(), gt.technologies.len());
    let org_tp = match_sets(&orgs, &gt.organizations, |o, g| !o.is_disjoint(&forms(g)));
    sc.add("organizations", org_tp, orgs.len(), gt.organizations.len());
}

/// The gold stances and the graph's, with the names each side's labels match.
struct Relations {
    gold: BTreeSet<(String, String, String)>,
    /// Each stance of the graph: (its organization's and technology's display names, the stance, the
    /// gold organizations and technologies its labels match).
    out: Vec<OutRelation>,
}

struct OutRelation {
    shown: (String, &'static str, String),
    orgs: Vec<String>,
    techs: Vec<String>,
    org_labels: BTreeSet<String>,
    tech_labels: BTreeSet<String>,
}

impl OutRelation {
    /// The gold stances this one matches, with or without its kind.
    fn hits<'g>(
        &self,
        gold: &'g BTreeSet<(String, String, String)>,
        labelled: bool,
    ) -> Vec<&'g (String, String, String)> {
        gold.iter()
            .filter(|g| self.orgs.contains(&g.0) && self.techs.contains(&g.2) && (!labelled || g.1 == self.shown.1))
            .collect()
    }
}

impl Relations {
    fn new(graph: &Graph, golds: &[Gold]) -> Relations {
        let mut gold_orgs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut gold_techs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut gold = BTreeSet::new();
        for gt in golds.iter().flat_map(|g| &g.talks) {
            for o in &gt.organizations {
                gold_orgs.entry(o.name.clone()).or_default().extend(forms(o));
            }
            for x in &gt.technologies {
                gold_techs.entry(x.name.clone()).or_default().extend(forms(x));
            }
            for r in &gt.relations {
                gold.insert((r.organization.clone(), r.relation.clone(), r.technology.clone()));
            }
        }
        let find = |labels: &BTreeSet<String>, table: &BTreeMap<String, BTreeSet<String>>| -> Vec<String> {
            table.iter().filter(|(_, fs)| !labels.is_disjoint(fs)).map(|(n, _)| n.clone()).collect()
        };
        let shown = |t: &Term| graph.literals(t, &LABEL).into_iter().next().unwrap_or_else(|| t.to_string());
        let mut out = Vec::new();
        for s in &graph.order {
            for (p, objs) in &graph.out[s] {
                if let Some((_, stance)) = STANCES.iter().find(|(k, _)| *k == p.replace('_', "")) {
                    for o in objs {
                        let (org_labels, tech_labels) = (graph.labels(s), graph.labels(o));
                        out.push(OutRelation {
                            shown: (shown(s), *stance, shown(o)),
                            orgs: find(&org_labels, &gold_orgs),
                            techs: find(&tech_labels, &gold_techs),
                            org_labels,
                            tech_labels,
                        });
                    }
                }
            }
        }
        Relations { gold, out }
    }

    fn hit(&self, labelled: bool) -> BTreeSet<&(String, String, String)> {
        self.out.iter().flat_map(|o| o.hits(&self.gold, labelled)).collect()
    }
}

fn score_relations(graph: &Graph, golds: &[Gold], sc: &mut Scores) {
    let rel = Relations::new(graph, golds);
    let pairs_out: BTreeSet<(&BTreeSet<String>, &BTreeSet<String>)> =
        rel.out.iter().map(|o| (&o.org_labels, &o.tech_labels)).collect();
    let gold_pairs: BTreeSet<(&String, &String)> = rel.gold.iter().map(|(a, _, c)| (a, c)).collect();
    sc.add("relations (org, stance, tech)", rel.hit(true).len(), rel.out.len(), rel.gold.len());
    sc.add("relations (org, tech)", rel.hit(false).len(), pairs_out.len(), gold_pairs.len());
}

/// The stances that did not match: gold ones no graph stance matches, and graph ones that match no
/// gold stance (each as organization, stance, technology).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Misses {
    /// Gold stances the graph lacks.
    pub missed: Vec<(String, String, String)>,
    /// Graph stances the gold lacks, by the graph's names.
    pub spurious: Vec<(String, String, String)>,
}

/// The stance misses of a graph against gold files, by the reference scorer's matching.
pub fn relation_misses(quads: &[Quad], golds: &[Gold]) -> Misses {
    let rel = Relations::new(&Graph::new(quads), golds);
    let hit = rel.hit(true);
    let missed = rel.gold.iter().filter(|g| !hit.contains(g)).cloned().collect();
    let spurious: BTreeSet<(String, String, String)> = rel
        .out
        .iter()
        .filter(|o| o.hits(&rel.gold, true).is_empty())
        .map(|o| (o.shown.0.clone(), o.shown.1.to_string(), o.shown.2.clone()))
        .collect();
    Misses { missed, spurious: spurious.into_iter().collect() }
}

/// The misses as text: one line per stance, `-` for missed and `+` for spurious.
pub fn format_misses(document: &str, misses: &Misses) -> String {
    let mut s = String::new();
    for (sign, list) in [("-", &misses.missed), ("+", &misses.spurious)] {
        for (org, stance, tech) in list {
            s.push_str(&format!("{document}: {sign} {org} {stance} {tech}\n"));
        }
    }
    s
}

/// The table as text, in the reference scorer's layout.
pub fn format_table(table: &Table) -> String {
    let mut s = format!("{:32} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6}\n", "kind", "tp", "out", "gold", "P", "R", "F1");
    for (kind, row) in table {
        let (p, r, f) = row.prf();
        s.push_str(&format!("{kind:32} {:5} {:5} {:5} {p:6.3} {r:6.3} {f:6.3}\n", row.tp, row.out, row.gold));
    }
    s
}

/// Short column names of the per-document table, in the scorer's order of kinds.
const SHORT: [(&str, &str); 8] = [
    ("talks", "talks"),
    ("speakers", "spk"),
    ("speaker roles", "roles"),
    ("speaker organizations", "spk-org"),
    ("technologies", "tech"),
    ("organizations", "org"),
    ("relations (org, tech)", "o-t"),
    ("relations (org, stance, tech)", "o-s-t"),
];

/// One F1 figure per kind and document: (document, its table) rows, then `total`.
pub fn format_per_file(rows: &[(String, Table)], total: &Table) -> String {
    let kinds = SHORT;
    let width = rows.iter().map(|(d, _)| d.chars().count()).max().unwrap_or(5).max(5);
    let mut s = format!("{:width$}", "document");
    kinds.iter().for_each(|(_, short)| s.push_str(&format!(" {short:>7}")));
    s.push('\n');
    for (doc, table) in rows.iter().chain(std::iter::once(&("total".to_string(), total.clone()))) {
        s.push_str(&format!("{doc:width$}"));
        for (kind, _) in &kinds {
            match table.iter().find(|(k, _)| k == kind) {
                Some((_, row)) => s.push_str(&format!(" {:>7.3}", row.prf().2)),
                None => s.push_str(&format!(" {:>7}", "-")),
            }
        }
        s.push('\n');
    }
    s
}

/// The F1 of one kind of fact (0 when absent).
pub fn f1(table: &Table, kind: &str) -> f64 {
    table.iter().find(|(k, _)| k == kind).map_or(0.0, |(_, r)| r.prf().2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_sets_follow_the_reference_conventions() {
        assert_eq!(Row { tp: 0, out: 0, gold: 0 }.prf(), (1.0, 1.0, 1.0));
        assert_eq!(Row { tp: 0, out: 0, gold: 3 }.prf().2, 0.0);
        let (p, r, f) = Row { tp: 1, out: 2, gold: 2 }.prf();
        assert_eq!((p, r, f), (0.5, 0.5, 0.5));
    }

    #[test]
    fn greedy_matching_is_one_to_one() {
        assert_eq!(match_sets(&[1, 1], &[1, 1, 1], |a, b| a == b), 2);
    }

    #[test]
    fn misses_name_what_is_missing_and_what_is_extra() {
        use oxigraph::model::{GraphName, Literal, NamedNode};
        let iri = |s: &str| NamedNode::new(format!("http://example.org/{s}")).unwrap();
        let name = |s: &str, n: &str| Quad::new(iri(s), iri("name"), Literal::from(n), GraphName::DefaultGraph);
        let quads = vec![
            name("acme", "Acme"),
            name("pg", "PostgreSQL"),
            name("k8s", "Kubernetes"),
            Quad::new(iri("acme"), iri("adopted"), iri("pg"), GraphName::DefaultGraph),
            Quad::new(iri("acme"), iri("rejected"), iri("k8s"), GraphName::DefaultGraph),
        ];
        let entity =
            |n: &str, m: &[&str]| GoldEntity { name: n.into(), mentions: m.iter().map(|s| s.to_string()).collect() };
        let rel = |o: &str, r: &str, t: &str| GoldRelation {
            organization: o.into(),
            relation: r.into(),
            technology: t.into(),
        };
        let gold = Gold {
            document: "a.md".into(),
            talks: vec![GoldTalk {
                title: None,
                speakers: vec![],
                organizations: vec![entity("ACME", &["Acme"])],
                technologies: vec![entity("PostgreSQL", &["Postgres"]), entity("Kubernetes", &[])],
                relations: vec![rel("ACME", "adopted", "PostgreSQL"), rel("ACME", "uses", "Kubernetes")],
            }],
        };
        let misses = relation_misses(&quads, std::slice::from_ref(&gold));
        let triple = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(misses.missed, vec![triple("ACME", "uses", "Kubernetes")]);
        assert_eq!(misses.spurious, vec![triple("Acme", "rejected", "Kubernetes")]);
        assert_eq!(format_misses("a.md", &misses), "a.md: - ACME uses Kubernetes\na.md: + Acme rejected Kubernetes\n");
    }
}
