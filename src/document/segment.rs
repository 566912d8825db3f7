//! Which structure of a document carries its talks, decided once per document from evidence.
//!
//! A talk can sit under a heading of any level, in a list item at any depth, or in a prose paragraph
//! that names its speaker; or the whole file is one talk. Every such structure is a candidate, and each
//! candidate's units are scored on what they carry: a speaker named in the unit's head ("Title — Name",
//! "Name (Company) - Title", "Title by Name"), a speaker line right under it ("Name, Role, Company",
//! "Speaker: …"), or a prose sentence naming who spoke. The candidate whose units most often carry a
//! speaker wins; without any, headings that repeat under a title are talks (titles without speakers),
//! and a document with no repeated structure is one talk. Sections that repeat inside talks ("Вопросы",
//! "Takeaways", lesson headings) carry no speakers, so they never win, and the ontology's section words
//! keep them out of the heading candidates as well.

use super::SpeakerLine;
use super::markdown::{MarkdownOutline, plain_zone};
use super::{Heading, Line, LineKind, Talk};
use std::cell::RefCell;
use std::collections::HashMap;

/// What segmentation needs to know about words: supplied by the extraction stage from the ontology.
pub trait TalkRules: super::KeyFields {
    /// True when a heading names a section ("Вопросы", "Q&A"), never a talk.
    fn is_section_heading(&self, title: &str) -> bool;
    /// The speakers a line names, when it is a speaker line ("Name, Role, Company", "Speaker: …").
    fn speaker_line(&self, line: &str) -> Option<Vec<SpeakerLine>>;
    /// True when a line names the speakers of a talk.
    fn is_speaker_line(&self, line: &str) -> bool {
        self.speaker_line(line).is_some()
    }
    /// True when the head of a unit carries the speaker ("Title — Name, Company").
    fn heading_has_speaker(&self, title: &str) -> bool;
    /// True when a prose line introduces a talk by its speaker ("Имя из Компании рассказал о …").
    fn is_prose_speaker(&self, line: &str) -> bool;
    /// True when a line links to a talk's recording or slides (a video host, a slide host, a PDF).
    fn links_to_recording(&self, line: &str) -> bool;
}

/// The structure that carries a document's talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Structure {
    /// Headings of one level (1 for `#`).
    Headings(u8),
    /// List items of one depth (0 for top-level items).
    ListItems(u8),
    /// Rows of tables ("| 18:00 | Title | Name, Company |").
    TableRows,
    /// Prose paragraphs that name their speaker.
    Paragraphs,
    /// The whole file is one talk.
    File,
}

/// One candidate structure with its units (indices into the outline's lines) and their evidence.
#[derive(Debug)]
struct Candidate {
    structure: Structure,
    heads: Vec<usize>,
    with_speaker: Vec<bool>,
}

impl Candidate {
    fn evidence(&self) -> usize {
        self.with_speaker.iter().filter(|&&b| b).count()
    }

    /// Ordering key: more units with speakers, then a larger share of them, then the coarser structure.
    fn key(&self) -> (usize, usize, std::cmp::Reverse<Structure>) {
        let share = self.evidence() * 1000 / self.heads.len().max(1);
        (self.evidence(), share, std::cmp::Reverse(self.structure))
    }
}

/// How many lines of a talk, from its start, may name its speakers.
pub const SPEAKER_WINDOW: usize = 7;

/// The rules with each line's speaker classification remembered: the candidates look at the same lines
/// again and again, and the talks keep the answers, so every line is parsed once.
struct Classified<'a> {
    rules: &'a dyn TalkRules,
    memo: RefCell<HashMap<String, Option<Vec<SpeakerLine>>>>,
}

impl super::KeyFields for Classified<'_> {
    fn field_of(&self, key: &str) -> Option<&str> {
        self.rules.field_of(key)
    }
}

impl TalkRules for Classified<'_> {
    fn is_section_heading(&self, title: &str) -> bool {
        self.rules.is_section_heading(title)
    }
    fn speaker_line(&self, line: &str) -> Option<Vec<SpeakerLine>> {
        if let Some(known) = self.memo.borrow().get(line) {
            return known.clone();
        }
        let found = self.rules.speaker_line(line);
        self.memo.borrow_mut().insert(line.to_string(), found.clone());
        found
    }
    fn heading_has_speaker(&self, title: &str) -> bool {
        self.rules.heading_has_speaker(title)
    }
    fn is_prose_speaker(&self, line: &str) -> bool {
        self.rules.is_prose_speaker(line)
    }
    fn links_to_recording(&self, line: &str) -> bool {
        self.rules.links_to_recording(line)
    }
}

/// Splits the outline into the document title and the talks, and says which structure carries them.
/// Each talk carries the speaker lines among its opening lines, classified here once.
pub fn segment(
    text: &str,
    outline: &MarkdownOutline,
    rules: &dyn TalkRules,
) -> (Option<Heading>, Vec<Talk>, Structure) {
    let rules = &Classified { rules, memo: RefCell::new(HashMap::new()) };
    let (title, mut talks, structure) = segment_with(text, outline, rules);
    for talk in &mut talks {
        for line in talk.lines.iter().take(SPEAKER_WINDOW) {
            if let Some(found) = rules.speaker_line(&text[line.span.clone()]) {
                talk.speaker_lines.insert(line.number, found);
            }
        }
    }
    (title, talks, structure)
}

fn segment_with(
    text: &str,
    outline: &MarkdownOutline,
    rules: &dyn TalkRules,
) -> (Option<Heading>, Vec<Talk>, Structure) {
    let chosen = choose(text, outline, rules);
    let structure = chosen.structure;
    let lines = &outline.lines;
    let talks = match structure {
        Structure::File => vec![whole_file(outline)],
        Structure::Headings(level) => heading_talks(outline, level, rules),
        Structure::ListItems(depth) => {
            let heads = talk_lists(text, lines, &chosen, depth, rules);
            unit_talks(text, lines, structure, &heads, rules, |j, head| ends_list_item(text, lines, head, j, depth))
        }
        Structure::Paragraphs => unit_talks(text, lines, structure, &chosen.heads, rules, |_, _| false),
        Structure::TableRows => table_talks(text, outline, rules),
    };
    let mut talks = talks;
    let opening_title = opening_title(outline, &chosen, &mut talks);
    let first_talk_line = talks.first().map_or(usize::MAX, |t| t.line);
    let title = match structure {
        Structure::File => None,
        Structure::Headings(level) => outline.headings.iter().find(|h| h.level < level).cloned(),
        _ => outline.headings.iter().find(|h| h.line < first_talk_line).cloned(),
    };
    (title.or(opening_title), talks, structure)
}

/// The document's first heading, when it is of the talks' own level but opens nothing: no line under
/// it and no speaker in it, while most other headings of that level have a body ("6/6/2019
/// Systems@Scale 2019" underlined with dashes, a second-level heading in Markdown, above the talks).
/// It is the document's title, not a talk.
fn opening_title(outline: &MarkdownOutline, chosen: &Candidate, talks: &mut Vec<Talk>) -> Option<Heading> {
    let Structure::Headings(_) = chosen.structure else { return None };
    let first = talks.first()?;
    let bare = |t: &Talk| t.lines.is_empty() && t.sections.is_empty();
    let is_first_heading = outline.headings.first().map(|h| h.line) == first.heading.as_ref().map(|h| h.line);
    let speaker = chosen.with_speaker.first().copied().unwrap_or(false);
    let others_have_bodies = talks[1..].iter().filter(|t| !bare(t)).count() * 2 > talks.len() - 1;
    (is_first_heading && bare(first) && !speaker && talks.len() >= 3 && others_have_bodies)
        .then(|| talks.remove(0).heading)?
}

/// The candidate with the most evidence of talks (see the module comment); for the whole file, or for
/// headings known only by their titles, one without units.
fn choose(text: &str, outline: &MarkdownOutline, rules: &dyn TalkRules) -> Candidate {
    let mut candidates: Vec<Candidate> = Vec::new();
    let levels: std::collections::BTreeSet<u8> = outline.headings.iter().map(|h| h.level).collect();
    let by_line = super::headings_by_line(&outline.headings);
    for level in levels {
        candidates.push(heading_candidate(text, outline, &by_line, level, rules));
    }
    let depths: std::collections::BTreeSet<u8> = outline
        .lines
        .iter()
        .filter_map(|l| match l.kind {
            LineKind::ListItem { depth } => Some(depth),
            _ => None,
        })
        .collect();
    for depth in depths.into_iter().take(4) {
        candidates.push(list_candidate(text, &outline.lines, depth, rules));
    }
    if !outline.tables.is_empty() {
        candidates.push(table_candidate(outline, rules));
    }
    let mut prose = paragraph_heads(text, outline, rules);
    // Paragraphs that each open the section of a heading of one level ("## Title" / "Jane Roe from Acme
    // talked about …") are those headings' talks, which keep their titles.
    let level_above = |i: usize| match i.checked_sub(1).map(|j| outline.lines[j].kind) {
        Some(LineKind::Heading { level }) => Some(level),
        _ => None,
    };
    let levels_above: std::collections::BTreeSet<Option<u8>> = prose.iter().map(|&i| level_above(i)).collect();
    if let [Some(level)] = levels_above.iter().copied().collect::<Vec<_>>()[..]
        && outline.headings.iter().filter(|h| h.level == level).count() >= 2
    {
        prose.clear();
    }
    candidates.push(Candidate {
        structure: Structure::Paragraphs,
        with_speaker: vec![true; prose.len()],
        heads: prose,
    });
    // Talks repeat: a structure whose units seldom carry a speaker (a long list with a speaker named in
    // two of its fifty items) does not carry the talks.
    let regular = |c: &&Candidate| c.evidence() < 2 || c.evidence() * 4 >= c.heads.len();
    let best = candidates.iter().enumerate().filter(|(_, c)| !c.heads.is_empty() && regular(c));
    let best = best.max_by_key(|(_, c)| c.key()).map(|(i, _)| i);
    let without_units = |structure| Candidate { structure, heads: Vec::new(), with_speaker: Vec::new() };
    match best.map(|i| (i, candidates[i].evidence())) {
        Some((i, n)) if n >= 2 || (n == 1 && !is_top_unit(outline, &candidates[i])) => candidates.swap_remove(i),
        Some((_, 1)) => without_units(Structure::File),
        _ => without_units(titles_only(outline, rules)),
    }
}

/// True when the one unit with a speaker opens the document (its first heading, or a unit before any
/// heading): the document is that one talk, and its other units are sections.
fn is_top_unit(outline: &MarkdownOutline, c: &Candidate) -> bool {
    let Some(at) = c.with_speaker.iter().position(|&b| b) else { return false };
    let line = outline.lines[c.heads[at]].number;
    let repeated = match c.structure {
        Structure::Headings(level) => outline.headings.iter().filter(|h| h.level == level).count() >= 2,
        _ => false,
    };
    let titled = match c.structure {
        Structure::Headings(level) => outline.headings.iter().any(|h| h.level < level && h.line < line),
        _ => false,
    };
    outline.headings.first().is_none_or(|h| h.line >= line) || !(repeated && titled)
}

/// Without speakers anywhere: the shallowest heading level that repeats (two or more non-section
/// headings) carries talks known by their titles; without one, the file is one talk.
fn titles_only(outline: &MarkdownOutline, rules: &dyn TalkRules) -> Structure {
    let talkish: Vec<&Heading> = outline.headings.iter().filter(|h| !rules.is_section_heading(&h.text)).collect();
    let levels: std::collections::BTreeSet<u8> = talkish.iter().map(|h| h.level).collect();
    let repeated = levels.into_iter().find(|&l| talkish.iter().filter(|h| h.level == l).count() >= 2);
    repeated.map_or(Structure::File, Structure::Headings)
}

fn heading_candidate(
    text: &str,
    outline: &MarkdownOutline,
    by_line: &HashMap<usize, &Heading>,
    level: u8,
    rules: &dyn TalkRules,
) -> Candidate {
    let lines = &outline.lines;
    let title = |l: &Line| by_line.get(&l.number).map_or("", |h| h.text.as_str());
    let heads: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind == LineKind::Heading { level } && !rules.is_section_heading(title(l)))
        .map(|(i, _)| i)
        .collect();
    let with_speaker = heads
        .iter()
        .map(|&i| {
            let title = title(&lines[i]);
            // The speaker on a line of their own under the heading, or in the sentence that opens its
            // first paragraph ("Tom Becker, SRE at N26, talked about …").
            let opening = lines.get(i + 1).filter(|l| l.kind == LineKind::Text);
            rules.heading_has_speaker(title)
                || rules.is_speaker_line(title)
                || following(lines, i, 2, |l| matches!(l.kind, LineKind::Heading { .. }))
                    .any(|l| rules.is_speaker_line(&text[l.span.clone()]))
                || opening.is_some_and(|l| rules.is_prose_speaker(&text[l.span.clone()]))
        })
        .collect();
    Candidate { structure: Structure::Headings(level), heads, with_speaker }
}

fn list_candidate(text: &str, lines: &[Line], depth: u8, rules: &dyn TalkRules) -> Candidate {
    let heads = list_heads(lines, depth);
    let with_speaker = heads
        .iter()
        .map(|&i| {
            let zone = plain_zone(&text[lines[i].span.clone()]);
            let body = lines.get(i + 1).is_some_and(|_| !ends_list_item(text, lines, i, i + 1, depth));
            let nested = following(lines, i, 2, |l| matches!(l.kind, LineKind::ListItem { depth: d } if d <= depth))
                .filter(|l| matches!(l.kind, LineKind::ListItem { .. }))
                .any(|l| rules.is_speaker_line(&text[l.span.clone()]));
            rules.heading_has_speaker(&zone) || (body && rules.is_speaker_line(&zone)) || nested
        })
        .collect();
    Candidate { structure: Structure::ListItems(depth), heads, with_speaker }
}

/// Up to `n` lines after line `i`, stopping at the first that `stop` accepts.
fn following(lines: &[Line], i: usize, n: usize, stop: impl Fn(&Line) -> bool) -> impl Iterator<Item = &Line> {
    lines[i + 1..].iter().take(n).take_while(move |l| !stop(l))
}

/// The items of the lists that carry talks: a list none of whose items names a speaker (a meetup's date
/// and venue, a reading list at the end) holds no talks.
fn talk_lists(text: &str, lines: &[Line], c: &Candidate, depth: u8, rules: &dyn TalkRules) -> Vec<usize> {
    let mut out = Vec::new();
    let mut block: Vec<usize> = Vec::new();
    let mut carries = false;
    for (k, &head) in c.heads.iter().enumerate() {
        let next = c.heads.get(k + 1).copied();
        let body = lines.get(head + 1).is_some_and(|_| !ends_list_item(text, lines, head, head + 1, depth));
        // An item with no speaker, no link and nothing under it ("Hallway track") is not a talk.
        let head_text = &text[lines[head].span.clone()];
        if c.with_speaker[k] || body || head_text.contains("](") || head_text.contains("://") {
            block.push(head);
        }
        // A link to a recording or slides is evidence of a talk too.
        carries |= c.with_speaker[k] || rules.links_to_recording(head_text);
        let same_list = next.is_some_and(|n| (head + 1..n).all(|j| !ends_list_item(text, lines, head, j, depth)));
        if !same_list {
            if carries {
                out.append(&mut block);
            }
            block.clear();
            carries = false;
        }
    }
    out
}

/// Indices of the list items of one depth.
fn list_heads(lines: &[Line], depth: u8) -> Vec<usize> {
    lines.iter().enumerate().filter(|(_, l)| l.kind == LineKind::ListItem { depth }).map(|(i, _)| i).collect()
}

/// True when line `j` no longer belongs to the list item opened at line `head`: a heading, an item of the
/// same or a shallower depth, or a paragraph after a blank line indented no deeper than the item.
fn ends_list_item(text: &str, lines: &[Line], head: usize, j: usize, depth: u8) -> bool {
    match lines[j].kind {
        LineKind::Heading { .. } => true,
        LineKind::ListItem { depth: d } => d <= depth,
        LineKind::Text => after_blank(text, &lines[j]) && indent(text, &lines[j]) <= indent(text, &lines[head]),
    }
}

/// The whole source line a content line sits on.
fn raw_line<'a>(text: &'a str, line: &Line) -> &'a str {
    let start = text[..line.span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[line.span.start..].find('\n').map_or(text.len(), |i| line.span.start + i);
    &text[start..end]
}

fn indent(text: &str, line: &Line) -> usize {
    let raw = raw_line(text, line);
    super::markdown::columns(&raw[..raw.len() - raw.trim_start().len()])
}

/// True when the source line before this one is blank (or the line is the first).
fn after_blank(text: &str, line: &Line) -> bool {
    let start = text[..line.span.start].rfind('\n').map_or(0, |i| i + 1);
    if start == 0 {
        return true;
    }
    let before = &text[..start - 1];
    let prev_start = before.rfind('\n').map_or(0, |i| i + 1);
    before[prev_start..].trim().is_empty()
}

/// Paragraph lines that introduce a talk by its speaker, outside lists and headings.
fn paragraph_heads(text: &str, outline: &MarkdownOutline, rules: &dyn TalkRules) -> Vec<usize> {
    let lines = &outline.lines;
    (0..lines.len())
        .filter(|&i| lines[i].kind == LineKind::Text)
        .filter(|&i| i == 0 || after_blank(text, &lines[i]) || lines[i - 1].kind != LineKind::Text)
        .filter(|&i| {
            let line = &text[lines[i].span.clone()];
            // A paragraph opening with a quoted title and its speaker ("“Title” by Name. Summary …").
            let quoted = line.starts_with(['"', '“', '«', '„']) && rules.heading_has_speaker(&plain_zone(line));
            // Or a record of labelled fields opening with its speaker ("Speaker: Name" / "Company: …").
            let record = || is_labelled(line) && rules.is_speaker_line(line);
            // Or a title on a line of its own with the speaker on the next lines of the paragraph ("**Title**"
            // / "*Name, Company*", "Talk: Title" / "Speaker: Name").
            let titled = || {
                following(lines, i, 2, |l| l.kind != LineKind::Text || after_blank(text, l))
                    .any(|l| rules.is_speaker_line(&text[l.span.clone()]))
                    && is_title_like(line)
            };
            quoted || rules.is_prose_speaker(line) || record() || titled()
        })
        .collect()
}

/// True for a line that reads as a title: a few words that do not end a sentence.
fn is_title_like(line: &str) -> bool {
    let plain = plain_zone(line);
    let words = plain.split_whitespace().count();
    (1..=16).contains(&words) && !plain.trim_end().ends_with(['.', ',', ';', ':'])
}

/// A unit's title from its head line: the head without a title label ("Talk: Title", "Тема: …").
fn head_title(zone: String, rules: &dyn TalkRules) -> String {
    match zone.split_once(':') {
        Some((label, rest)) if is_labelled(&zone) && rules.field_of(label.trim()) == Some("title") => {
            rest.trim().to_string()
        }
        _ => zone,
    }
}

/// True for a line that opens with a short label and a colon ("Speaker: …", "**Докладчик:** …").
fn is_labelled(line: &str) -> bool {
    let plain = crate::text::without_leading_pictographs(line).trim_start_matches(['*', '_']);
    plain.split_once(':').is_some_and(|(label, _)| {
        let label = label.trim_end_matches(['*', '_']).trim();
        !label.is_empty() && label.chars().count() <= 24 && label.chars().all(|c| c.is_alphabetic() || c == ' ')
    })
}

/// Talks under headings of one level; a heading above that level closes the current talk.
fn heading_talks(outline: &MarkdownOutline, level: u8, rules: &dyn TalkRules) -> Vec<Talk> {
    let is_talk = |h: &Heading| h.level == level && !rules.is_section_heading(&h.text);
    let mut talks: Vec<Talk> = Vec::new();
    let mut open = false;
    let by_line = super::headings_by_line(&outline.headings);
    for line in &outline.lines {
        let heading = by_line.get(&line.number).copied();
        let current = if open { talks.last_mut() } else { None };
        match heading {
            Some(h) if is_talk(h) => {
                let unit = Structure::Headings(level);
                talks.push(Talk {
                    unit,
                    heading: Some(h.clone()),
                    line: h.line,
                    lines: Vec::new(),
                    sections: Vec::new(),
                    speaker_lines: Default::default(),
                });
                open = true;
            }
            Some(h) if h.level < level => open = false,
            Some(h) => push_section(current, h, line),
            None => push_line(current, line),
        }
    }
    talks
}

/// The rows of every table as units: each with a speaker when a cell names one.
fn table_candidate(outline: &MarkdownOutline, rules: &dyn TalkRules) -> Candidate {
    let rows: Vec<(usize, bool)> = outline
        .tables
        .iter()
        .flat_map(|t| t.rows.iter().map(move |r| (t, r)))
        .filter_map(|(t, r)| {
            let index = outline.lines.iter().position(|l| l.number == r.line)?;
            Some((index, row_head(t, r, rules).1))
        })
        .collect();
    Candidate {
        structure: Structure::TableRows,
        heads: rows.iter().map(|(i, _)| *i).collect(),
        with_speaker: rows.iter().map(|(_, s)| *s).collect(),
    }
}

/// A row's head as one line, "Title — Speaker, Role, Company", from the cells the header names (by the
/// front-matter key words: "Talk", "Speaker", "Company") or, without such a header, from the cell that
/// names a person and the longest other cell; and whether it names a speaker.
fn row_head(table: &super::Table, row: &super::TableRow, rules: &dyn TalkRules) -> (String, bool) {
    let column = |field: &str| table.header.iter().position(|h| rules.field_of(h) == Some(field));
    let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i)).filter(|c| !c.is_empty());
    let speaker_at = column("speaker").or_else(|| row.cells.iter().position(|c| rules.is_speaker_line(c)));
    let (role_at, org_at) = (column("role"), column("organization"));
    let title_at = column("title").or_else(|| {
        let others = (0..row.cells.len()).filter(|&i| ![speaker_at, role_at, org_at].contains(&Some(i)));
        let wordy = others.filter(|&i| row.cells[i].chars().filter(|c| c.is_alphabetic()).count() >= 3);
        wordy.max_by_key(|&i| row.cells[i].chars().count())
    });
    let speaker: Vec<&String> = [speaker_at, role_at, org_at].into_iter().filter_map(&cell).collect();
    let speaker = speaker.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    let title = cell(title_at).cloned().unwrap_or_default();
    let head = match (title.is_empty(), speaker.is_empty()) {
        (false, false) => format!("{title} — {speaker}"),
        (true, _) => speaker.clone(),
        (false, true) => title,
    };
    let named = !speaker.is_empty() && (rules.is_speaker_line(&speaker) || rules.heading_has_speaker(&head));
    (head, named)
}

/// One talk per table row: its head is the row read as "Title — Speaker, Company", its only line the row.
fn table_talks(text: &str, outline: &MarkdownOutline, rules: &dyn TalkRules) -> Vec<Talk> {
    let mut talks = Vec::new();
    for table in &outline.tables {
        let heads: Vec<(String, bool)> = table.rows.iter().map(|r| row_head(table, r, rules)).collect();
        let any_speaker = heads.iter().any(|(_, named)| *named);
        for (row, (head, named)) in table.rows.iter().zip(heads) {
            let Some(line) = outline.lines.iter().find(|l| l.number == row.line) else { continue };
            // In a programme that names speakers, a row without one and without a link ("Перерыв",
            // "Lunch") is not a talk.
            let raw = &text[line.span.clone()];
            if any_speaker && !named && !raw.contains("](") && !raw.contains("://") {
                continue;
            }
            let heading = Heading { level: 0, text: head, line: line.number, span: line.span.clone() };
            let mut talk = Talk {
                unit: Structure::TableRows,
                heading: Some(heading),
                line: line.number,
                lines: Vec::new(),
                sections: Vec::new(),
                speaker_lines: Default::default(),
            };
            push_line(Some(&mut talk), line);
            talks.push(talk);
        }
    }
    talks
}

/// Talks opened at the head lines; each runs until `ends` says a line is past it (or the next head).
/// The head's title zone becomes the talk's heading (level 0: not a Markdown heading).
fn unit_talks(
    text: &str,
    lines: &[Line],
    unit: Structure,
    heads: &[usize],
    rules: &dyn TalkRules,
    ends: impl Fn(usize, usize) -> bool,
) -> Vec<Talk> {
    let mut talks = Vec::with_capacity(heads.len());
    for (k, &head) in heads.iter().enumerate() {
        let next = heads.get(k + 1).copied().unwrap_or(lines.len());
        let line = &lines[head];
        let zone = head_title(plain_zone(&text[line.span.clone()]), rules);
        let heading = Heading { level: 0, text: zone, line: line.number, span: line.span.clone() };
        let mut talk = Talk {
            unit,
            heading: Some(heading),
            line: line.number,
            lines: Vec::new(),
            sections: Vec::new(),
            speaker_lines: Default::default(),
        };
        let ended = (head + 1..next).find(|&j| ends(j, head)).unwrap_or(next);
        lines[head..ended].iter().for_each(|l| push_line(Some(&mut talk), l));
        talks.push(talk);
    }
    talks
}

/// The whole file as one talk: its first heading is the title when it opens the content.
fn whole_file(outline: &MarkdownOutline) -> Talk {
    let first = outline.headings.first().filter(|h| outline.lines.first().is_some_and(|l| l.number == h.line));
    let line = first.map_or(1, |h| h.line);
    let mut talk = Talk {
        unit: Structure::File,
        heading: first.cloned(),
        line,
        lines: Vec::new(),
        sections: Vec::new(),
        speaker_lines: Default::default(),
    };
    let by_line = super::headings_by_line(&outline.headings);
    for line in &outline.lines {
        match by_line.get(&line.number) {
            Some(h) if first.is_some_and(|f| f.line == h.line) => {}
            Some(h) => push_section(Some(&mut talk), h, line),
            None => push_line(Some(&mut talk), line),
        }
    }
    talk
}

fn push_section(talk: Option<&mut Talk>, heading: &Heading, line: &Line) {
    if let Some(t) = talk {
        t.sections.push(heading.clone());
        let section = Some(t.sections.len() - 1);
        t.lines.push(Line { section, kind: LineKind::Heading { level: heading.level }, ..line.clone() });
    }
}

fn push_line(talk: Option<&mut Talk>, line: &Line) {
    if let Some(t) = talk {
        let section = t.sections.len().checked_sub(1);
        t.lines.push(Line { section, ..line.clone() });
    }
}

#[cfg(test)]
mod tests {
    use super::super::markdown::outline;
    use super::*;

    /// Word rules of a toy language: a speaker line starts with "Speaker", a head carries its speaker
    /// after " — Dr ", a prose speaker "talked".
    struct Rules;
    impl super::super::KeyFields for Rules {
        fn field_of(&self, _: &str) -> Option<&str> {
            None
        }
    }
    impl TalkRules for Rules {
        fn is_section_heading(&self, title: &str) -> bool {
            title == "Вопросы"
        }
        fn speaker_line(&self, line: &str) -> Option<Vec<SpeakerLine>> {
            let name = line.strip_prefix("Speaker ")?.to_string();
            Some(vec![SpeakerLine { name, role: None, organization: None }])
        }
        fn heading_has_speaker(&self, title: &str) -> bool {
            title.contains(" — Dr ")
        }
        fn is_prose_speaker(&self, line: &str) -> bool {
            line.contains(" talked ")
        }
        fn links_to_recording(&self, line: &str) -> bool {
            line.contains("youtu.be/")
        }
    }

    fn segmented(text: &str) -> (Option<String>, Vec<String>, Structure) {
        let (title, talks, structure) = segment(text, &outline(text), &Rules);
        let titles = talks.into_iter().map(|t| t.heading.map(|h| h.text).unwrap_or_default()).collect();
        (title.map(|h| h.text), titles, structure)
    }

    #[test]
    fn h1_talks() {
        let text = "# A\nSpeaker x\ntext\n# B\nSpeaker y\n## Вопросы\nq\n";
        assert_eq!(segmented(text), (None, vec!["A".into(), "B".into()], Structure::Headings(1)));
    }

    #[test]
    fn a_bare_first_heading_of_the_talks_level_is_the_title() {
        // A dash-underlined title is a second-level heading, like the talks below it.
        let text = "Meetup 6/6/2019\n---------------\n\n## One\nbody\n\n## Two\nbody\n\n## Three\nbody\n";
        let expected = vec!["One".to_string(), "Two".into(), "Three".into()];
        assert_eq!(segmented(text), (Some("Meetup 6/6/2019".into()), expected, Structure::Headings(2)));
        // Titles that all open nothing (a programme) stay talks.
        let programme = "## One\n\n## Two\n\n## Three\n";
        assert_eq!(segmented(programme).1.len(), 3);
    }

    #[test]
    fn talks_carry_their_speaker_lines_classified_once() {
        let text = "# Conf\n## A\nSpeaker Ann Lee\nbody\n## B\nSpeaker Bo Kim\n";
        let (_, talks, _) = segment(text, &outline(text), &Rules);
        let names: Vec<Vec<(usize, String)>> =
            talks.iter().map(|t| t.speaker_lines.iter().map(|(n, s)| (*n, s[0].name.clone())).collect()).collect();
        assert_eq!(names, vec![vec![(3, "Ann Lee".to_string())], vec![(6, "Bo Kim".to_string())]]);
    }

    #[test]
    fn table_rows_that_name_speakers_are_talks() {
        let text = "# Day\n\n| When | What | Who |\n|---|---|---|\n| 10:00 | Intro to X | Speaker Ann Lee |\n\
                    | 10:30 | Lunch | |\n| 11:00 | Deep dive | Speaker Bo Kim |\n";
        let (title, talks, structure) = segmented(text);
        assert_eq!(structure, Structure::TableRows);
        assert_eq!(title.as_deref(), Some("Day"));
        assert_eq!(talks, vec!["Intro to X — Speaker Ann Lee".to_string(), "Deep dive — Speaker Bo Kim".into()]);
    }

    #[test]
    fn h2_talks_under_a_document_title() {
        let text = "# Conf 2024\nintro\n## A\nSpeaker x\n## B\nSpeaker y\n### Details\n";
        assert_eq!(segmented(text), (Some("Conf 2024".into()), vec!["A".into(), "B".into()], Structure::Headings(2)));
    }

    #[test]
    fn h2_talks_without_speaker_lines() {
        let text = "# Conf\n## A\ntext\n## B\ntext\n## Вопросы\n";
        assert_eq!(segmented(text).1, vec!["A".to_string(), "B".to_string()]);
    }

    #[test]
    fn list_items_that_carry_speakers_are_talks_under_event_headings() {
        let text = "# Notes\n\n## Event one\n\n* [Kafka — Dr Roe](https://v/1) - fine\n* Go — Dr Doe\n  * a nested note\n\n## Event two\n\n* Rust — Dr Poe\n\nA closing paragraph.\n";
        let (title, talks, structure) = segment(text, &outline(text), &Rules);
        assert_eq!(structure, Structure::ListItems(0));
        assert_eq!(title.map(|h| h.text), Some("Notes".to_string()));
        let heads: Vec<String> = talks.iter().map(|t| t.heading.clone().unwrap().text).collect();
        assert_eq!(heads, vec!["Kafka — Dr Roe", "Go — Dr Doe", "Rust — Dr Poe"]);
        assert_eq!(talks[1].lines.len(), 2, "the nested note belongs to its item");
        assert_eq!(talks[2].lines.len(), 1, "a paragraph after a blank line closes the item");
    }

    #[test]
    fn a_page_with_one_speaker_at_the_top_is_one_talk_with_sections() {
        let text = "# Kafka at scale\n\nSpeaker x\n\n## Use case\ntext\n## Workflow\ntext\n";
        let (title, talks, structure) = segment(text, &outline(text), &Rules);
        assert_eq!(structure, Structure::File);
        assert_eq!(title, None);
        assert_eq!(talks.len(), 1);
        assert_eq!(talks[0].heading.as_ref().map(|h| h.text.as_str()), Some("Kafka at scale"));
        assert_eq!(talks[0].sections.len(), 2);
    }

    #[test]
    fn repeated_sub_sections_never_win_over_the_talks() {
        let text = "# Conf\n## A — Dr Roe\n### Lesson 1\n### Lesson 2\n### Lesson 3\n## B — Dr Doe\n### Lesson 1\n";
        assert_eq!(segmented(text).2, Structure::Headings(2));
    }

    #[test]
    fn prose_paragraphs_open_talks() {
        let text = "# Report\n\nJane Roe talked about Kafka.\nMore on Kafka.\n\nJohn Doe talked about Go.\n";
        let (title, talks, structure) = segment(text, &outline(text), &Rules);
        assert_eq!(structure, Structure::Paragraphs);
        assert_eq!(title.map(|h| h.text), Some("Report".to_string()));
        assert_eq!(talks.len(), 2);
        assert_eq!(talks[0].lines.len(), 2);
    }

    #[test]
    fn a_prose_speaker_opening_a_headings_section_keeps_the_heading_as_the_talk() {
        let text = "# Day\n\n## Ledgers\n\nNo speaker named here.\n\n## Budgets\n\nJane Roe talked about cost.\n";
        assert_eq!(
            segmented(text),
            (Some("Day".into()), vec!["Ledgers".into(), "Budgets".into()], Structure::Headings(2))
        );
        // Under one heading that does not repeat, the paragraphs are the talks.
        let text = "# Day\n\nJane Roe talked about Kafka.\n\nJohn Doe talked about Go.\n";
        assert_eq!(segmented(text).2, Structure::Paragraphs);
    }

    #[test]
    fn section_lines_know_their_section() {
        let text = "# A\nSpeaker x\n## Part\nline\n";
        let (_, talks, _) = segment(text, &outline(text), &Rules);
        let last = talks[0].lines.last().unwrap();
        assert_eq!(last.section, Some(0));
        assert_eq!(&text[last.span.clone()], "line");
    }
}
