//! Stances inside one sentence: which cue governs which technology.
//!
//! A sentence is cut into segments at commas and harder breaks (`;`, `:`, "но", "but"). A cue governs the
//! technologies after it in its segment and carries on through following segments that are plain list
//! continuations ("смотрели на pglogical, presto, slony"); a cue with nothing after it governs the
//! technologies before it in its segment ("rabbitmq выбрали"). Inside a migration ("перешли с X на Y")
//! source markers ("с", "from") mark what was left and target markers what was adopted; "X -> Y" leaves X
//! for Y. Everything else is left to the caller's defaults.

#[cfg(test)]
use super::phrases::tokens;
use super::phrases::{PhraseSet, Token};
use super::spans::SpanSet;
use crate::ontology::{Cue, CueKind, Stance};
use std::ops::Range;

/// The cue phrases of the ontology, compiled.
pub struct CueRules {
    cues: PhraseSet<CueKind>,
    markers: PhraseSet<CueKind>,
    /// Clause breaks are uninflected words, matched as written: by stem "хотим" would be "хотя".
    breaks: WrittenWords,
    /// Words that refer back ("it", "него"), matched as written like the breaks.
    anaphors: WrittenWords,
    transitions: Vec<String>,
    links: Vec<String>,
    /// The first characters of the transitions and links: a text with none of them has neither.
    symbol_starts: Vec<char>,
    source_phrases: PhraseSet<()>,
    /// Cues that govern only what follows them ("without", "без").
    forward_phrases: PhraseSet<()>,
}

/// What the cues of a sentence say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentenceStances {
    /// For each technology span given, the stance a cue assigns to it, if any.
    pub assigned: Vec<Option<Stance>>,
    /// A stance cue of the sentence that governed no technology (for the caller to resolve).
    pub unattached: Option<Stance>,
    /// For each technology span given, true when an example cue governs it ("such as X"): named for
    /// comparison, it takes no default stance.
    pub example: Vec<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// A cue: its kind, whether it is also a source marker, whether it governs only what follows it.
    Cue(CueKind, bool, bool),
    Marker(CueKind),
    Arrow,
    /// A source word right before a target word ("replaced by", "заменили на"): the passive of a
    /// replacement, whose replaced technology stands before it.
    Replaced,
    Mention(usize),
}

impl CueRules {
    /// Compiles the cues of the ontology.
    pub fn new(cues: &[Cue]) -> CueRules {
        let of = |pred: fn(CueKind) -> bool| {
            PhraseSet::new(cues.iter().filter(|c| pred(c.kind)).map(|c| (c.phrase.clone(), c.kind)))
        };
        CueRules {
            cues: of(|k| matches!(k, CueKind::Stance(_) | CueKind::Migration | CueKind::Example)),
            markers: of(|k| matches!(k, CueKind::Source | CueKind::Target)),
            breaks: WrittenWords::new(cues, CueKind::Break),
            anaphors: WrittenWords::new(cues, CueKind::Anaphor),
            transitions: cues.iter().filter(|c| c.kind == CueKind::Transition).map(|c| c.phrase.clone()).collect(),
            links: cues.iter().filter(|c| c.kind == CueKind::Link).map(|c| c.phrase.clone()).collect(),
            symbol_starts: {
                let symbols = cues.iter().filter(|c| matches!(c.kind, CueKind::Transition | CueKind::Link));
                let mut starts: Vec<char> = symbols.filter_map(|c| c.phrase.chars().next()).collect();
                starts.sort_unstable();
                starts.dedup();
                starts
            },
            source_phrases: PhraseSet::new(
                cues.iter().filter(|c| c.kind == CueKind::Source).map(|c| (c.phrase.clone(), ())),
            ),
            forward_phrases: PhraseSet::new(cues.iter().filter(|c| c.forward_only).map(|c| (c.phrase.clone(), ()))),
        }
    }

    /// The first stance cue of a text, if any (used for lines that introduce a list).
    pub fn leading_stance(&self, toks: &[Token]) -> Option<CueKind> {
        self.cues.find_all(toks).into_iter().map(|(_, k)| k).next()
    }

    /// Assigns stances to the technology mentions (spans relative to `sentence`) of one sentence.
    #[cfg(test)]
    pub fn analyse(&self, sentence: &str, mentions: &[Range<usize>]) -> SentenceStances {
        self.analyse_tokens(sentence, &tokens(sentence, 0), mentions)
    }

    /// `analyse` with the sentence's tokens already made (spans relative to `sentence`).
    pub fn analyse_tokens(&self, sentence: &str, toks: &[Token], mentions: &[Range<usize>]) -> SentenceStances {
        let mut out = SentenceStances {
            assigned: vec![None; mentions.len()],
            unattached: None,
            example: vec![false; mentions.len()],
        };
        let all_mentions = SpanSet::new(mentions.iter().cloned());
        let mut carry: Option<(CueKind, bool)> = None;
        let mut any_assigned = false;
        // The mentions of the last segment that had any, and the stance a later cue standing alone gave
        // them; given once, when they are replaced or at the end, so a run of such cues costs no more.
        let mut previous: Vec<usize> = Vec::new();
        let mut orphaned: Option<Stance> = None;
        for (segment, hard) in segments(sentence, toks, &self.breaks) {
            let from = toks.partition_point(|t| t.span.start < segment.start);
            let to = toks.partition_point(|t| t.span.start < segment.end);
            let seg_toks: Vec<&Token> = toks[from..to].iter().filter(|t| t.span.end <= segment.end).collect();
            let mut here: Vec<usize> = all_mentions.within(&segment).collect();
            let mut items = self.items(sentence, segment.clone(), &seg_toks, &all_mentions, &here);
            // "decided against it (Strimzi tooling …)": a cue whose object is a word that refers back has
            // its object; the names after that word are no object of it.
            if let Some(at) = self.object_referred_back(sentence, &seg_toks, &items) {
                here.retain(|&i| all_mentions.get(i).start < at);
                items.retain(|(pos, item)| !matches!(item, Item::Mention(_)) || *pos < at);
            }
            let list_like = is_list_continuation(&seg_toks, &all_mentions, &here, &items);
            let start = if !hard && list_like { carry } else { None };
            let (next_carry, assigned_here) = self.walk_segment(&items, start, any_assigned, &mut out);
            carry = next_carry;
            any_assigned |= assigned_here;
            // "смотрели на X, но отказались", "tried X, dropped it": a cue standing alone after a break, or
            // beside a word that refers back, has the last word on X.
            let refers_back = seg_toks.iter().any(|t| self.anaphors.has(&sentence[t.span.clone()], t.chars));
            // "Delivery Hero picked CloudNativePG; Crunchy was rejected": a clause whose subject is a name
            // of its own (capitalised, no technology we know, no cue) is about that, not what came before.
            let names_another =
                !refers_back && seg_toks.first().is_some_and(|t| self.is_other_name(sentence, t, &all_mentions));
            // "Vitess пробовали, отказались", "Consul смотрели, не подошёл": a clause that is a rejection and
            // nothing else has the last word on the clause before, after a comma too ("решение пока не
            // нравится" has a subject of its own).
            // Asked last, only of a clause with no technology after one that had some.
            let closing_rejection = || {
                let words: Vec<Token> = seg_toks.iter().map(|t| (*t).clone()).collect();
                self.cues.match_at(&words, 0).is_some_and(|(n, kind)| {
                    n == words.len()
                        && *kind == CueKind::Stance(Stance::Rejected)
                        && self.forward_phrases.match_at(&words, 0).is_none()
                })
            };
            if here.is_empty()
                && !names_another
                && !previous.is_empty()
                && (hard || refers_back || closing_rejection())
                && let Some(stance) = orphan_stance(&items)
            {
                orphaned = Some(stance);
                any_assigned = true;
                out.unattached = None;
            } else if !here.is_empty() {
                give(&previous, orphaned.take(), &mut out);
                previous = here;
            }
        }
        give(&previous, orphaned, &mut out);
        out
    }

    /// True for a capitalised word that is neither in a technology mention nor a cue word by itself.
    /// Where a word that refers back stands right after a stance cue ("dropped it", "отказались от него"),
    /// with no technology between them: the cue's object is what came before.
    fn object_referred_back(&self, sentence: &str, toks: &[&Token], items: &[(usize, Item)]) -> Option<usize> {
        let cue_ends: Vec<usize> = items
            .iter()
            .filter(|(_, item)| matches!(item, Item::Cue(CueKind::Stance(_), ..)))
            .map(|(pos, _)| *pos)
            .collect();
        // Items come sorted by position, so the cue ends are too: each word is one lookup.
        let ends_a_cue = |at: usize| cue_ends.binary_search(&at).is_ok();
        toks.iter().enumerate().find_map(|(k, t)| {
            // The cue ends at this word's previous token ("against it") or right before it.
            let after_cue = || k > 0 && (ends_a_cue(toks[k - 1].span.end) || ends_a_cue(t.span.start));
            (self.anaphors.has(&sentence[t.span.clone()], t.chars) && after_cue()).then_some(t.span.start)
        })
    }

    fn is_other_name(&self, sentence: &str, token: &Token, mentions: &SpanSet) -> bool {
        let capitalised = sentence[token.span.clone()].chars().next().is_some_and(char::is_uppercase);
        let one = std::slice::from_ref(token);
        capitalised
            && !mentions.covers(&token.span)
            && self.cues.match_at(one, 0).is_none()
            && self.markers.match_at(one, 0).is_none()
            && !self.breaks.has(&sentence[token.span.clone()], token.chars)
    }

    /// Walks one segment; returns the cue still active at its end.
    /// Whether it assigned any stance is returned too; `any_before` says whether earlier segments did.
    fn walk_segment(
        &self,
        items: &[(usize, Item)],
        start: Option<(CueKind, bool)>,
        any_before: bool,
        out: &mut SentenceStances,
    ) -> (Option<(CueKind, bool)>, bool) {
        let mut assigned = false;
        let mut active = start;
        let mut source = active.is_some_and(|(_, s)| s);
        // A preposition ("without") governs only what follows it.
        let mut forward = false;
        let mut before: Vec<usize> = Vec::new();
        let mut governed = 0;
        let mut arrow = false;
        let mut arrow_from: Vec<usize> = Vec::new();
        // Mentions a move governs before any "to" or "from" ("переписать компилятор Nix с C++ на Rust",
        // "migrated Kafka from ZooKeeper to KRaft"): when a "from" follows, they are what moved, not where.
        let mut moved_objects: Vec<usize> = Vec::new();
        let mut targeted = false;
        // "dropped Nagios for Prometheus", "отказались от Kafka в пользу Pulsar": what a rejection governs,
        // and whether a target marker after it made it a move (what follows is adopted).
        let mut dropped: Vec<usize> = Vec::new();
        let mut replacing = false;
        for (_, item) in items {
            match *item {
                Item::Cue(kind, is_source, forward_only) => {
                    // "теперь хранится в X": two cues in a row keep the first unless it is a plain use.
                    let adjacent = active.is_some_and(|(k, _)| governed == 0 && k != CueKind::Stance(Stance::Uses));
                    if adjacent && kind == CueKind::Stance(Stance::Uses) {
                        continue;
                    }
                    // "plan to move to X", "хотим перейти на X", "планируют попробовать X": a plan governs the
                    // move or trial it announces.
                    let planned =
                        active.is_some_and(|(k, _)| governed == 0 && k == CueKind::Stance(Stance::Considering));
                    let announced = matches!(
                        kind,
                        CueKind::Migration | CueKind::Stance(Stance::Adopted | Stance::Uses | Stance::Evaluated)
                    );
                    if planned && announced {
                        continue;
                    }
                    // "we use tools such as X": the examples are what the stance names.
                    if kind == CueKind::Example && active.is_some() && governed == 0 {
                        continue;
                    }
                    active = Some((kind, is_source));
                    source = is_source;
                    forward = forward_only;
                    governed = 0;
                    moved_objects.clear();
                    targeted = false;
                    dropped.clear();
                    replacing = false;
                }
                // "Nagios was replaced by Prometheus", "X заменили на Y": what was replaced comes first.
                Item::Replaced => {
                    assign_all(&before, CueKind::Migration, true, out);
                    assigned |= !before.is_empty();
                    before.clear();
                }
                Item::Marker(kind) => {
                    source = kind == CueKind::Source;
                    targeted |= kind == CueKind::Target;
                    replacing |= kind == CueKind::Target && !dropped.is_empty();
                    if source && active.is_some_and(|(k, _)| k == CueKind::Migration) {
                        moved_objects.drain(..).for_each(|i| out.assigned[i] = None);
                    }
                }
                // "X -> Y" leaves X only when a technology follows ("venice ---> key value store" defines).
                Item::Arrow => {
                    arrow_from.append(&mut before);
                    arrow = true;
                }
                Item::Mention(i) if arrow => {
                    assign_all(&arrow_from, CueKind::Migration, true, out);
                    arrow_from.clear();
                    out.assigned[i] = Some(Stance::Adopted);
                    assigned = true;
                }
                Item::Mention(i) if replacing && active == Some((CueKind::Stance(Stance::Rejected), false)) => {
                    dropped.drain(..).for_each(|d| out.assigned[d] = Some(Stance::MigratedFrom));
                    out.assigned[i] = Some(Stance::Adopted);
                    governed += 1;
                }
                Item::Mention(i) => match active {
                    Some((CueKind::Example, _)) => {
                        out.example[i] = true;
                        governed += 1;
                    }
                    Some((kind, _)) => {
                        out.assigned[i] = stance_of(kind, source);
                        assigned |= out.assigned[i].is_some();
                        governed += 1;
                        if kind == CueKind::Migration && !source && !targeted {
                            moved_objects.push(i);
                        }
                        if kind == CueKind::Stance(Stance::Rejected) && !targeted {
                            dropped.push(i);
                        }
                    }
                    None => before.push(i),
                },
            }
        }
        match active {
            Some((kind, _)) if governed == 0 && !before.is_empty() && !forward => {
                assign_all(&before, kind, false, out);
                assigned |= stance_of(kind, false).is_some();
            }
            Some((CueKind::Stance(s), _)) if governed == 0 && !(any_before || assigned || forward) => {
                out.unattached = Some(s);
            }
            // "Cilium replaced kube-proxy", "Prometheus вместо Nagios": what stands before the word that
            // names the replaced one is what replaced it.
            Some((CueKind::Migration, true)) if governed > 0 && !before.is_empty() => {
                assign_all(&before, CueKind::Migration, false, out);
                assigned = true;
            }
            _ => {}
        }
        (active.filter(|_| governed > 0), assigned)
    }

    /// The cues, markers, arrows and mentions of a segment, in order.
    fn items(
        &self,
        sentence: &str,
        segment: Range<usize>,
        toks: &[&Token],
        mentions: &SpanSet,
        here: &[usize],
    ) -> Vec<(usize, Item)> {
        let text = &sentence[segment.clone()];
        let outside: Vec<Token> = toks.iter().filter(|t| !mentions.covers(&t.span)).map(|t| (*t).clone()).collect();
        let mut items: Vec<(usize, Item)> = Vec::new();
        // A phrase is read within a run of words no technology interrupts: "uses Bazel for builds" holds
        // "uses", not "used for".
        let mut runs: Vec<Range<usize>> = Vec::new();
        for k in 0..outside.len() {
            let interrupted = k > 0 && mentions.overlaps(&(outside[k - 1].span.end..outside[k].span.start));
            match runs.last_mut() {
                Some(run) if !interrupted => run.end = k + 1,
                _ => runs.push(k..k + 1),
            }
        }
        for run in runs {
            let words = &outside[run.clone()];
            for (range, kind) in self.cues.find_all(words) {
                let phrase_tokens = &words[range.clone()];
                let whole =
                    |set: &PhraseSet<()>| set.match_at(phrase_tokens, 0).is_some_and(|(n, _)| n == phrase_tokens.len());
                let item = Item::Cue(kind, whole(&self.source_phrases), whole(&self.forward_phrases));
                items.push((words[range.end - 1].span.end, item));
            }
            let markers = self.markers.find_all(words);
            for (k, (range, kind)) in markers.iter().enumerate() {
                let after_source = k > 0 && markers[k - 1].1 == CueKind::Source && markers[k - 1].0.end == range.start;
                if *kind == CueKind::Target && after_source {
                    items.push((words[range.start].span.start, Item::Replaced));
                }
                items.push((words[range.start].span.start, Item::Marker(*kind)));
            }
        }
        if text.contains(self.symbol_starts.as_slice()) {
            let links = SpanSet::new(
                self.links
                    .iter()
                    .flat_map(|symbol| text.match_indices(symbol.as_str()).map(|(at, s)| at..at + s.len())),
            );
            for symbol in &self.transitions {
                for (at, s) in text.match_indices(symbol.as_str()) {
                    if !links.covers(&(at..at + s.len())) {
                        items.push((segment.start + at, Item::Arrow));
                    }
                }
            }
        }
        items.extend(here.iter().map(|&i| (mentions.get(i).start, Item::Mention(i))));
        items.sort_by_key(|(pos, _)| *pos);
        items.dedup();
        items
    }
}

/// A segment that only lists technologies, or opens with one, continues the previous segment's cue: "engines
/// like Flink, Spark, Airflow into Streamline" still names Airflow as an example, "жили в ELK, Elasticsearch
/// на 80 нодах перестал вытягивать" still left Elasticsearch.
fn is_list_continuation(toks: &[&Token], mentions: &SpanSet, here: &[usize], items: &[(usize, Item)]) -> bool {
    let has_cue = items.iter().any(|(_, i)| matches!(i, Item::Cue(..)));
    let inside = SpanSet::new(here.iter().map(|&i| mentions.get(i).clone()));
    let other_words = toks.iter().filter(|t| !inside.covers(&t.span)).count();
    let opens_with_mention = toks.first().is_some_and(|t| inside.covers(&t.span));
    !has_cue && !here.is_empty() && (other_words <= 1 || opens_with_mention)
}

/// Gives the mentions `indices` the stance a cue standing alone after them gave, if any. A use or an
/// adoption said after a move ("moved from X to Y, and it runs well") is about where the move went: what
/// was left stays left.
fn give(indices: &[usize], stance: Option<Stance>, out: &mut SentenceStances) {
    let Some(stance) = stance else { return };
    let keeps_left = matches!(stance, Stance::Adopted | Stance::Uses);
    for &i in indices {
        if !(keeps_left && out.assigned[i] == Some(Stance::MigratedFrom)) {
            out.assigned[i] = Some(stance);
        }
    }
}

/// The stance of the last stance cue of a segment without technologies.
fn orphan_stance(items: &[(usize, Item)]) -> Option<Stance> {
    items.iter().rev().find_map(|(_, i)| match i {
        Item::Cue(CueKind::Stance(s), _, false) => Some(*s),
        _ => None,
    })
}

fn stance_of(kind: CueKind, source: bool) -> Option<Stance> {
    match kind {
        CueKind::Stance(s) => Some(s),
        CueKind::Migration if source => Some(Stance::MigratedFrom),
        CueKind::Migration => Some(Stance::Adopted),
        _ => None,
    }
}

fn assign_all(indices: &[usize], kind: CueKind, source: bool, out: &mut SentenceStances) {
    for &i in indices {
        if out.assigned[i].is_none() {
            out.assigned[i] = stance_of(kind, source);
        }
    }
}

/// Cue words of one kind matched as written (lower case, ё as е), not by stem.
struct WrittenWords {
    words: rustc_hash::FxHashSet<String>,
    /// The longest word's length in characters: a longer word is none of them, found without lower-casing.
    longest: usize,
}

impl WrittenWords {
    fn new(cues: &[Cue], kind: CueKind) -> Self {
        let words: rustc_hash::FxHashSet<String> =
            cues.iter().filter(|c| c.kind == kind).map(|c| crate::text::normalize(&c.phrase)).collect();
        let longest = words.iter().map(|w| w.chars().count()).max().unwrap_or(0);
        WrittenWords { words, longest }
    }

    /// True when `word` (of `chars` characters) is one of the words.
    fn has(&self, word: &str, chars: usize) -> bool {
        chars <= self.longest && self.words.contains(&crate::text::normalize(word))
    }
}

/// Cuts a sentence at commas (soft) and at `;`, `:` and break words (hard).
fn segments(sentence: &str, toks: &[Token], breaks: &WrittenWords) -> Vec<(Range<usize>, bool)> {
    let mut cuts: Vec<(usize, usize, bool)> = Vec::new();
    for (i, c) in sentence.char_indices() {
        match c {
            ',' => cuts.push((i, i + 1, false)),
            ';' | ':' => cuts.push((i, i + 1, true)),
            _ => {}
        }
    }
    for t in toks.iter().filter(|t| breaks.has(&sentence[t.span.clone()], t.chars)) {
        cuts.push((t.span.start, t.span.end, true));
    }
    cuts.sort();
    let mut out = Vec::new();
    let mut start = 0;
    let mut hard = false;
    for (from, to, is_hard) in cuts {
        if from >= start {
            out.push((start..from, hard));
            start = to;
            hard = is_hard;
        }
    }
    out.push((start..sentence.len(), hard));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::Ontology;

    /// What the cues of a sentence say of the given technology words.
    fn analysed(sentence: &str, techs: &[&str]) -> SentenceStances {
        let rules = CueRules::new(&Ontology::builtin().unwrap().cues);
        let spans: Vec<Range<usize>> = techs
            .iter()
            .map(|t| {
                let at = sentence.find(t).unwrap();
                at..at + t.len()
            })
            .collect();
        rules.analyse(sentence, &spans)
    }

    /// Stances for the given technology words of a sentence.
    fn stances(sentence: &str, techs: &[&str]) -> Vec<Option<Stance>> {
        analysed(sentence, techs).assigned
    }

    use Stance::*;

    #[test]
    fn what_a_move_moves_is_neither_its_source_nor_its_target() {
        assert_eq!(
            stances("переписали компилятор Nix с C++ на Rust", &["Nix", "C++", "Rust"]),
            vec![None, Some(MigratedFrom), Some(Adopted)]
        );
        assert_eq!(
            stances("migrated Kafka from ZooKeeper to KRaft", &["Kafka", "ZooKeeper", "KRaft"]),
            vec![None, Some(MigratedFrom), Some(Adopted)]
        );
        // A target named first is the target.
        assert_eq!(
            stances("перешли на Kafka с RabbitMQ", &["Kafka", "RabbitMQ"]),
            vec![Some(Adopted), Some(MigratedFrom)]
        );
    }

    #[test]
    fn a_passive_replacement_leaves_what_stands_before_it() {
        assert_eq!(
            stances("Nagios was replaced by Prometheus last year", &["Nagios", "Prometheus"]),
            vec![Some(MigratedFrom), Some(Adopted)]
        );
        assert_eq!(
            stances("Jenkins заменили на GitLab CI", &["Jenkins", "GitLab CI"]),
            vec![Some(MigratedFrom), Some(Adopted)]
        );
        // The active voice, "instead of", and a range between two numbers keep their readings.
        assert_eq!(
            stances("replaced Nagios with Prometheus", &["Nagios", "Prometheus"]),
            vec![Some(MigratedFrom), Some(Adopted)]
        );
        assert_eq!(stances("Kafka from 3 to 12 brokers", &["Kafka"]), vec![None]);
    }

    #[test]
    fn what_stands_before_a_replacement_word_replaced_what_follows_it() {
        for sentence in ["Cilium replaced kube-proxy", "Cilium вместо kube-proxy", "Cilium instead of kube-proxy"]
        {
            assert_eq!(
                stances(sentence, &["Cilium", "kube-proxy"]),
                vec![Some(Adopted), Some(MigratedFrom)],
                "{sentence}"
            );
        }
    }

    #[test]
    fn a_clause_naming_something_else_leaves_the_stance_before_it() {
        assert_eq!(
            stances("Delivery Hero picked CloudNativePG; Crunchy was rejected", &["CloudNativePG"]),
            vec![Some(Adopted)]
        );
        // With a word that refers back, or nothing named, the later cue still has the last word.
        assert_eq!(stances("We picked Consul; Rejected it later", &["Consul"]), vec![Some(Rejected)]);
        assert_eq!(stances("смотрели на Pulsar; отказались", &["Pulsar"]), vec![Some(Rejected)]);
    }

    #[test]
    fn an_adoption_said_after_a_move_leaves_what_was_left() {
        assert_eq!(
            stances("перешли с Graphite на Prometheus, и быстро его внедрили", &["Graphite", "Prometheus"]),
            vec![Some(MigratedFrom), Some(Adopted)]
        );
        // A rejection after a look still has the last word.
        assert_eq!(stances("смотрели на Pulsar, но отказались", &["Pulsar"]), vec![Some(Rejected)]);
    }

    #[test]
    fn cue_governs_a_list() {
        assert_eq!(
            stances(
                "смотрели на pglogical, presto, slony, но остановились на bucardo",
                &["pglogical", "presto", "slony", "bucardo"]
            ),
            vec![Some(Evaluated), Some(Evaluated), Some(Evaluated), Some(Adopted)]
        );
    }

    #[test]
    fn migration_from_to() {
        assert_eq!(
            stances("We migrated from MySQL to PostgreSQL", &["MySQL", "PostgreSQL"]),
            vec![Some(MigratedFrom), Some(Adopted)]
        );
        assert_eq!(
            stances("перешли с zabbix на prometheus", &["zabbix", "prometheus"]),
            vec![Some(MigratedFrom), Some(Adopted)]
        );
    }

    #[test]
    fn arrow_is_a_transition() {
        assert_eq!(
            stances("Vagrant -> Docker Compose", &["Vagrant", "Docker Compose"]),
            vec![Some(MigratedFrom), Some(Adopted)]
        );
        assert_eq!(stances("venice ---> key value store with scoring", &["venice"]), vec![None]);
    }

    #[test]
    fn a_two_way_arrow_joins_and_moves_nothing() {
        assert_eq!(stances("gateway <-> Envoy, not encrypted", &["Envoy"]), vec![None]);
        assert_eq!(stances("Consul ↔ Vault", &["Consul", "Vault"]), vec![None, None]);
        assert_eq!(
            stances("Vault <-> Consul; Nomad -> Kubernetes", &["Vault", "Consul", "Nomad", "Kubernetes"]),
            vec![None, None, Some(MigratedFrom), Some(Adopted)]
        );
    }

    #[test]
    fn a_plan_to_try_is_a_consideration() {
        assert_eq!(stances("планируют попробовать Citus для шардирования", &["Citus"]), vec![Some(Considering)]);
        assert_eq!(stances("we plan to try Tempo", &["Tempo"]), vec![Some(Considering)]);
        assert_eq!(stances("we tried Tempo", &["Tempo"]), vec![Some(Evaluated)]);
    }

    #[test]
    fn dropping_one_technology_for_another_is_a_move() {
        assert_eq!(
            stances("Booking dropped Nagios for Prometheus and Thanos", &["Nagios", "Prometheus", "Thanos"]),
            vec![Some(MigratedFrom), Some(Adopted), Some(Adopted)]
        );
        assert_eq!(
            stances("отказались от Kafka в пользу Pulsar", &["Kafka", "Pulsar"]),
            vec![Some(MigratedFrom), Some(Adopted)]
        );
        // A rejection with no technology after its "for" stays a rejection.
        assert_eq!(stances("dropped Datadog for cost reasons", &["Datadog"]), vec![Some(Rejected)]);
    }

    #[test]
    fn a_segment_opening_with_a_technology_continues_the_cue_before_it() {
        assert_eq!(
            examples("runners like Buildkite, CircleCI, Drone into one pipeline", &["Buildkite", "CircleCI", "Drone"]),
            vec![true, true, true]
        );
        assert_eq!(
            stances("раньше сидели на Graphite, InfluxDB на трёх нодах не справлялся", &["Graphite", "InfluxDB"]),
            vec![Some(MigratedFrom), Some(MigratedFrom)]
        );
        // A clause that opens with other words is its own.
        assert_eq!(
            stances("we chose Nomad, and the team likes Consul", &["Nomad", "Consul"]),
            vec![Some(Adopted), None]
        );
    }

    #[test]
    fn cue_after_its_technology() {
        assert_eq!(stances("rabbitmq выбрали", &["rabbitmq"]), vec![Some(Adopted)]);
    }

    /// Which technologies an example cue governs.
    fn examples(sentence: &str, techs: &[&str]) -> Vec<bool> {
        analysed(sentence, techs).example
    }

    #[test]
    fn examples_and_comparisons_take_no_stance() {
        let s = "Conveyor is our deploy tool, compared to Jenkins and Spinnaker";
        assert_eq!(stances(s, &["Conveyor", "Jenkins", "Spinnaker"]), vec![None, None, None]);
        assert_eq!(examples(s, &["Conveyor", "Jenkins", "Spinnaker"]), vec![false, true, true]);
        let s = "написали свою очередь, аналог Kafka";
        assert_eq!(examples(s, &["Kafka"]), vec![true]);
    }

    #[test]
    fn a_stance_keeps_the_examples_it_names() {
        let s = "we use tools such as Prometheus and Grafana";
        assert_eq!(stances(s, &["Prometheus", "Grafana"]), vec![Some(Uses), Some(Uses)]);
        assert_eq!(examples(s, &["Prometheus", "Grafana"]), vec![false, false]);
    }

    #[test]
    fn a_cue_that_refers_back_has_the_last_word() {
        assert_eq!(stances("they tried Vitess, dropped it: too much to operate", &["Vitess"]), vec![Some(Rejected)]);
        assert_eq!(stances("смотрели Consul, отказались от него", &["Consul"]), vec![Some(Rejected)]);
        assert_eq!(stances("tried Vitess, it was fine", &["Vitess"]), vec![Some(Evaluated)]);
    }

    #[test]
    fn negation_beats_use() {
        assert_eq!(stances("Без helm, используем ansible", &["helm", "ansible"]), vec![Some(Rejected), Some(Uses)]);
    }

    #[test]
    fn prose_segment_stops_a_cue() {
        assert_eq!(
            stances("перешли на prometheus, приложения на spring", &["prometheus", "spring"]),
            vec![Some(Adopted), None]
        );
    }

    #[test]
    fn a_later_cue_after_a_break_has_the_last_word() {
        assert_eq!(stances("Смотрели на NATS, но отказались", &["NATS"]), vec![Some(Rejected)]);
        assert_eq!(stances("We tried Consul but dropped it", &["Consul"]), vec![Some(Rejected)]);
        // A rejection that ends its clause, after a comma too; one with an object of its own does not.
        assert_eq!(stances("Vitess пробовали, отказались", &["Vitess"]), vec![Some(Rejected)]);
        assert_eq!(stances("We tried Nomad, dropped", &["Nomad"]), vec![Some(Rejected)]);
        assert_eq!(stances("Взяли Kafka, убрали лишнее", &["Kafka"]), vec![Some(Stance::Adopted)]);
        assert_eq!(
            stances("Смотрят в сторону Kafka, решение пока не нравится", &["Kafka"]),
            vec![Some(Stance::Considering)]
        );
    }

    #[test]
    fn a_plan_governs_the_move_it_announces() {
        assert_eq!(stances("plan to move logs to Loki", &["Loki"]), vec![Some(Stance::Considering)]);
        assert_eq!(stances("хотим перейти на Kafka", &["Kafka"]), vec![Some(Stance::Considering)]);
    }

    #[test]
    fn a_preposition_rejects_only_what_follows_it() {
        assert_eq!(stances("We now run the queue without ZooKeeper", &["ZooKeeper"]), vec![Some(Stance::Rejected)]);
        assert_eq!(stances("Живём без Kubernetes", &["Kubernetes"]), vec![Some(Stance::Rejected)]);
        assert_eq!(stances("Kubernetes upgrades without tears", &["Kubernetes"]), vec![None]);
        assert_eq!(analysed("Kafka без боли", &["Kafka"]).unattached, None);
    }

    #[test]
    fn a_cue_whose_object_refers_back_governs_nothing_after_it() {
        let got = stances(
            "Benchmarked Redpanda: better tail latency, but decided against it (Strimzi tooling + team knowledge).",
            &["Redpanda", "Strimzi"],
        );
        assert_eq!(got, vec![Some(Stance::Rejected), None]);
        // Without the word that refers back, the cue governs what follows.
        assert_eq!(stances("We decided against Strimzi", &["Strimzi"]), vec![Some(Stance::Rejected)]);
    }

    #[test]
    fn no_cue_no_stance() {
        assert_eq!(stances("k8s сложный и непонятный", &["k8s"]), vec![None]);
    }
}
