//! The document model: a notes file as talks, sections and lines, each with its source span.
//!
//! `parse` turns Markdown into a [`NoteDocument`]: which structure carries the talks (headings of a level,
//! list items of a depth, prose paragraphs or the whole file, chosen from evidence in `segment`), which
//! headings are sections inside a talk, and every content line with its line number and
//! the byte range of its text (list markers, quote markers and heading hashes stripped). Evidence is always
//! `&text[line.span]` or a sub-range of it, so it is verbatim by construction.

pub mod front_matter;
mod markdown;
mod segment;

use std::ops::Range;

pub use front_matter::{FrontMatter, FrontTalk, KeyFields};
pub use markdown::{MarkdownOutline, Table, TableRow, columns, outline, plain_zone};
pub use segment::{SPEAKER_WINDOW, Structure, TalkRules};

/// A notes file as read from disk: its display path and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the ingested folder, with `/` separators.
    pub path: String,
    /// The file's text (UTF-8, BOM removed).
    pub text: String,
}

/// A speaker as a speaker line gives them: classified once, by the document stage, for every line
/// that might name a talk's speakers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerLine {
    /// The person's name.
    pub name: String,
    /// The job title, when the line gives one.
    pub role: Option<String>,
    /// The organization's name, when the line gives one.
    pub organization: Option<String>,
}

/// A heading of the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, ….
    pub level: u8,
    /// The heading's plain text (Markdown inline markup and HTML entities resolved).
    pub text: String,
    /// 1-based line number.
    pub line: usize,
    /// Byte range of the heading's text in the source.
    pub span: Range<usize>,
}

/// What kind of block a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Paragraph text.
    Text,
    /// A list item's first line; `depth` 0 for top-level items.
    ListItem { depth: u8 },
    /// A heading inside a talk (a section title).
    Heading { level: u8 },
}

/// One content line of a talk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the file.
    pub number: usize,
    /// Byte range of the line's content (markers and surrounding blanks stripped).
    pub span: Range<usize>,
    /// The block the line belongs to.
    pub kind: LineKind,
    /// Index into the talk's `sections` of the section the line is in.
    pub section: Option<usize>,
}

/// One talk unit: its head and its lines up to the next unit.
#[derive(Debug, Clone)]
pub struct Talk {
    /// The structure that carries the talk (the document's choice).
    pub unit: Structure,
    /// The talk's head: its Markdown heading, or for a list item or paragraph the plain text of the
    /// head line's title zone (level 0); none for a whole file without a heading.
    pub heading: Option<Heading>,
    /// 1-based line where the talk starts (its heading, or the paragraph naming its speaker).
    pub line: usize,
    /// The content lines, in order (blank lines and code blocks left out).
    pub lines: Vec<Line>,
    /// Headings below the talk's level inside it.
    pub sections: Vec<Heading>,
    /// The speakers named by the talk's opening lines, by line number: the lines the document stage
    /// classified as speaker lines while choosing the structure (each line parsed once).
    pub speaker_lines: std::collections::BTreeMap<usize, Vec<SpeakerLine>>,
}

/// A notes file split into talks.
#[derive(Debug, Clone)]
pub struct NoteDocument {
    /// Path relative to the ingested folder.
    pub path: String,
    /// The verbatim text every span points into.
    pub text: String,
    /// The document title above the talks, when there is one (often the event's name).
    pub title: Option<Heading>,
    /// The talks in order.
    pub talks: Vec<Talk>,
    /// The structure that carries the talks, chosen from evidence.
    pub structure: Structure,
    /// What YAML front matter says, when the file has it.
    pub front_matter: Option<FrontMatter>,
}

impl NoteDocument {
    /// The text of a span of this document.
    pub fn slice(&self, span: &Range<usize>) -> &str {
        &self.text[span.clone()]
    }
}

/// The first heading on each line, by line number.
fn headings_by_line(headings: &[Heading]) -> std::collections::HashMap<usize, &Heading> {
    let mut by_line = std::collections::HashMap::with_capacity(headings.len());
    for h in headings {
        by_line.entry(h.line).or_insert(h);
    }
    by_line
}

/// Parses a notes file into talks with the structural rules of the ontology.
pub fn parse(source: SourceFile, rules: &dyn TalkRules) -> NoteDocument {
    let outline = outline(&source.text);
    let (title, talks, structure) = segment::segment(&source.text, &outline, rules);
    let front_matter = outline.front_matter.as_ref().and_then(|r| {
        let block = &source.text[r.clone()];
        let toml = block.trim_start().starts_with("+++");
        let inner: Vec<&str> = block.lines().filter(|l| !matches!(l.trim(), "---" | "..." | "+++")).collect();
        match toml {
            true => front_matter::parse_toml(&inner.join("\n"), rules),
            false => front_matter::parse(&inner.join("\n"), rules),
        }
    });
    NoteDocument { path: source.path, text: source.text, title, talks, structure, front_matter }
}
