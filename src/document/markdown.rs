//! The one place pulldown-cmark is configured and walked: Markdown text in, an outline out (headings with
//! their plain text, and the content lines outside code blocks and front matter, markers stripped).

use super::{Heading, Line, LineKind};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// The structure of a Markdown text: its headings and its content lines, in source order.
#[derive(Debug, Clone, Default)]
pub struct MarkdownOutline {
    /// Every heading (Markdown `#`, setext, or HTML `<h1>`–`<h6>`).
    pub headings: Vec<Heading>,
    /// Every non-blank line outside code blocks and front matter, heading lines included.
    pub lines: Vec<Line>,
    /// Byte range of the YAML front matter, when the file has one.
    pub front_matter: Option<Range<usize>>,
    /// Every table (GitHub-flavoured Markdown), with the plain text of its cells.
    pub tables: Vec<Table>,
}

/// A Markdown table: its header cells and its body rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The header cells' plain text ("Time", "Talk", "Speaker").
    pub header: Vec<String>,
    /// The body rows.
    pub rows: Vec<TableRow>,
}

/// One body row of a table.
#[derive(Debug, Clone, Default)]
pub struct TableRow {
    /// 1-based line number of the row.
    pub line: usize,
    /// Each cell's plain text, markup removed.
    pub cells: Vec<String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// How many block quotes and list items one line may open; deeper markers are read as text. pulldown-cmark
/// matches every line against every open container, so a line nested n deep followed by n lazy lines costs
/// n²; no notes nest this deep, and the cap keeps the parse linear.
const MAX_NESTING: usize = 32;

/// The text with each line's container markers past `MAX_NESTING` turned into text: the first marker past
/// the cap becomes a `\`, so what follows it is the line's text. Same length, so every offset holds.
fn capped_nesting(text: &str) -> std::borrow::Cow<'_, str> {
    let mut capped: Option<Vec<u8>> = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(at) = marker_past_cap(line.as_bytes()) {
            capped.get_or_insert_with(|| text.as_bytes().to_vec())[start + at] = b'\\';
        }
        start += line.len();
    }
    // Only an ASCII marker byte was replaced by an ASCII byte, so the text is still UTF-8.
    capped.map_or(std::borrow::Cow::Borrowed(text), |bytes| String::from_utf8_lossy(&bytes).into_owned().into())
}

/// Where the line's container marker number `MAX_NESTING + 1` starts, if it has that many.
fn marker_past_cap(line: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut depth = 0;
    loop {
        while at < line.len() && line[at] == b' ' {
            at += 1;
        }
        let marker = at;
        match line.get(at) {
            Some(b'>') => at += 1,
            Some(b'-' | b'*' | b'+') if line.get(at + 1) == Some(&b' ') => at += 2,
            Some(b'0'..=b'9') => {
                let digits = line[at..].iter().take_while(|b| b.is_ascii_digit()).count();
                let after = line.get(at + digits..at + digits + 2);
                if digits > 9 || !matches!(after, Some([b'.' | b')', b' '])) {
                    return None;
                }
                at += digits + 2;
            }
            _ => return None,
        }
        depth += 1;
        if depth > MAX_NESTING {
            return Some(marker);
        }
    }
}

/// Walks the Markdown events once and builds the outline.
pub fn outline(text: &str) -> MarkdownOutline {
    let parsed = capped_nesting(text);
    let text = parsed.as_ref();
    let starts = line_starts(text);
    let mut out = MarkdownOutline::default();
    let mut skipped: Vec<Range<usize>> = Vec::new();
    let mut heading: Option<(u8, Range<usize>, String)> = None;
    let mut in_metadata = false;
    let mut table: Option<Table> = None;
    let mut row: Option<TableRow> = None;
    let mut cell: Option<String> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => table = Some(Table::default()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                row = Some(TableRow { line: line_of(&starts, range.start), cells: Vec::new() });
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(r), Some(c)) = (row.as_mut(), cell.take()) {
                    r.cells.push(c.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                    t.header = r.cells;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                    t.rows.push(r);
                }
            }
            Event::End(TagEnd::Table) => out.tables.extend(table.take()),
            Event::Text(t) | Event::Code(t) if cell.is_some() => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level as u8, range, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range, plain)) = heading.take() {
                    out.headings.push(markdown_heading(text, &starts, level, range, plain));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => skipped.push(range),
            Event::Start(Tag::MetadataBlock(_)) => {
                in_metadata = true;
                out.front_matter = Some(range.clone());
                skipped.push(range);
            }
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Html(html) | Event::InlineHtml(html) if heading.is_none() => {
                if let Some(h) = html_heading(text, &starts, &html, range.start) {
                    out.headings.push(h);
                }
            }
            Event::Text(t) | Event::Code(t) if !in_metadata => {
                if let Some((_, _, plain)) = heading.as_mut() {
                    plain.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, plain)) = heading.as_mut() {
                    plain.push(' ');
                }
            }
            _ => {}
        }
    }
    out.headings.sort_by_key(|h| h.span.start);
    out.lines = join_wrapped(text, &starts, content_lines(text, &starts, &skipped, &out.headings));
    out
}

/// Byte offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// 1-based line number of a byte offset.
fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset)
}

fn markdown_heading(text: &str, starts: &[usize], level: u8, range: Range<usize>, plain: String) -> Heading {
    let line = line_of(starts, range.start);
    let end = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i);
    let raw = &text[range.start..end.min(range.end.max(range.start))];
    let content = strip_heading_marks(raw);
    let offset = range.start + (content.as_ptr() as usize - raw.as_ptr() as usize);
    let span = offset..offset + content.len();
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    Heading { level, text: plain, line, span }
}

fn strip_heading_marks(raw: &str) -> &str {
    let t = raw.trim().trim_start_matches('#').trim();
    let t = t.trim_end_matches('#');
    let t = if t.ends_with(' ') || t.is_empty() { t.trim_end() } else { t };
    t.trim()
}

/// The level a `<details>` block's `<summary>` heads: the deepest, below any heading it may sit under.
const SUMMARY_LEVEL: u8 = 6;

/// An HTML heading (`<h3>Title</h3>`) written inside Markdown, or the `<summary>` that heads a
/// `<details>` block (a talk folded under its title).
fn html_heading(text: &str, starts: &[usize], html: &str, at: usize) -> Option<Heading> {
    let lower = html.to_ascii_lowercase();
    let numbered = lower.find("<h").and_then(|open| {
        let level = lower[open + 2..].chars().next()?.to_digit(10)? as u8;
        (1..=6).contains(&level).then_some((open, level, "</h"))
    });
    let (open, level, close) = numbered.or_else(|| Some((lower.find("<summary")?, SUMMARY_LEVEL, "</summary")))?;
    let inner_start = open + lower[open..].find('>')? + 1;
    let inner_end = inner_start + lower[inner_start..].find(close)?;
    let inner = &html[inner_start..inner_end];
    let plain = decode_entities(&strip_tags(inner));
    let lead = inner.len() - inner.trim_start().len();
    let start = at + inner_start + lead;
    let span = start..start + inner.trim().len();
    let within = text.get(span.clone()).is_some();
    let span = if within { span } else { at..at + html.trim_end().len() };
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    (!plain.is_empty()).then(|| Heading { level, text: plain, line: line_of(starts, at + open), span })
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The plain text of a unit's head line that can hold its title: the text of a link that opens the line
/// when only a separator or nothing follows it ("[Name — Title](video) - comment"), the emphasised text
/// that opens the line when a colon follows it ("**Title**: [Slides](…)"), else the whole line; inline
/// markup and entities resolved.
pub fn plain_zone(line: &str) -> String {
    let line = crate::text::without_leading_pictographs(line);
    let mut events = Parser::new_ext(line, options()).into_offset_iter().peekable();
    while matches!(events.peek(), Some((Event::Start(Tag::Paragraph), _))) {
        events.next();
    }
    let opening = match events.peek() {
        Some((Event::Start(Tag::Link { .. }), _)) => Some(TagEnd::Link),
        Some((Event::Start(Tag::Strong), _)) => Some(TagEnd::Strong),
        Some((Event::Start(Tag::Emphasis), _)) => Some(TagEnd::Emphasis),
        _ => None,
    };
    if let Some(end) = opening {
        let mut inner = String::new();
        let mut after = line.len();
        for (event, range) in events.by_ref() {
            match event {
                Event::End(e) if e == end => {
                    after = range.end;
                    break;
                }
                Event::Text(t) | Event::Code(t) => inner.push_str(&t),
                Event::SoftBreak | Event::HardBreak => inner.push(' '),
                _ => {}
            }
        }
        let rest = line[after.min(line.len())..].trim_start();
        let ends_zone = match end {
            TagEnd::Link => !rest.starts_with(['(', ',', '@', '[']),
            _ => rest.starts_with(':') || inner.trim_end().ends_with(':'),
        };
        if ends_zone && !inner.trim().is_empty() {
            return collapse(&inner);
        }
    }
    collapse(&decode_entities(line))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Resolves HTML entities by letting pulldown-cmark read the text as an inline.
fn decode_entities(text: &str) -> String {
    Parser::new(text)
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.into_string()),
            Event::SoftBreak | Event::HardBreak => Some(" ".into()),
            _ => None,
        })
        .collect()
}

/// The content lines, in one pass: headings are looked up by line and skipped blocks by binary search
/// (a 100 MB file has millions of lines and a hundred thousand headings).
fn content_lines(text: &str, starts: &[usize], skipped: &[Range<usize>], headings: &[Heading]) -> Vec<Line> {
    let skipped = disjoint(skipped);
    let is_skipped =
        |at: usize| skipped[..skipped.partition_point(|r| r.start <= at)].last().is_some_and(|r| r.contains(&at));
    let by_line = super::headings_by_line(headings);
    let mut out = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |&n| n - 1);
        if is_skipped(start) {
            continue;
        }
        let number = i + 1;
        if let Some(h) = by_line.get(&number) {
            let kind = LineKind::Heading { level: h.level };
            out.push(Line { number, span: h.span.clone(), kind, section: None });
            continue;
        }
        if let Some((span, kind)) = strip_line(text, start..end) {
            out.push(Line { number, span, kind, section: None });
        }
    }
    out
}

/// Width from which a line that ends mid-sentence reads as wrapped by the author's editor, not broken on
/// purpose: a title and its speaker on two short lines stay two lines.
const WRAP_WIDTH: usize = 60;

/// Lines of one paragraph that an editor wrapped mid-sentence ("…, one of the co-creators of Apache Flink,"
/// / "shared about his latest project …"), joined into one line whose span covers them all, so that a
/// sentence is read whole. A line is continued by the next one when both are in the same paragraph (the
/// next is plain text right below it), it is at least `WRAP_WIDTH` wide, it ends with no sentence mark,
/// colon, markup or hard break, and neither holds a table row, an HTML tag or a code fence.
fn join_wrapped(text: &str, starts: &[usize], lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut last_number = 0; // the last physical line the line in `out.last()` covers
    for line in lines {
        if let Some(prev) = out.last_mut()
            && line.kind == LineKind::Text
            && line.number == last_number + 1
            && !matches!(prev.kind, LineKind::Heading { .. })
            && continues(text, starts, last_number, &text[prev.span.clone()], &text[line.span.clone()])
        {
            prev.span.end = line.span.end;
            last_number = line.number;
            continue;
        }
        last_number = line.number;
        out.push(line);
    }
    out
}

/// Whether the physical line `number` (1-based), whose content ends `prev`, runs on into `next`.
fn continues(text: &str, starts: &[usize], number: usize, prev: &str, next: &str) -> bool {
    let start = starts[number - 1];
    let end = starts.get(number).map_or(text.len(), |&n| n - 1);
    let raw = text[start..end].trim_end_matches('\r');
    let hard_break = raw.ends_with("  ") || raw.ends_with('\\') || raw.ends_with('\t');
    let open = |s: &str| s.starts_with(['|', '<', '`', '~']);
    let ends_clause = prev.ends_with(['.', '!', '?', ':', ';', '*', '_', '`', '|', '>', '…', '»', '"', '”']);
    raw.chars().count() >= WRAP_WIDTH && !hard_break && !ends_clause && !open(prev) && !open(next)
}

/// The ranges sorted and merged where they overlap, so the one before an offset is the only candidate.
fn disjoint(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The content of one source line with list and quote markers and blanks stripped; None when blank
/// or when the line is only markup (a setext underline, a table rule, a thematic break).
fn strip_line(text: &str, range: Range<usize>) -> Option<(Range<usize>, LineKind)> {
    let raw = &text[range.clone()];
    let indent = raw.len() - raw.trim_start().len();
    let mut rest = raw.trim_start();
    let mut offset = range.start + indent;
    while let Some(r) = rest.strip_prefix('>') {
        let t = r.trim_start();
        offset += rest.len() - t.len();
        rest = t;
    }
    let mut kind = LineKind::Text;
    if let Some(marker) = list_marker_len(rest) {
        let t = rest[marker..].trim_start();
        offset += rest.len() - t.len();
        rest = t;
        let depth = u8::try_from(columns(&raw[..indent]) / 2).unwrap_or(u8::MAX);
        kind = LineKind::ListItem { depth };
    }
    let content = rest.trim_end();
    let is_markup = content.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | '|' | ':' | ' ' | '+'));
    (!content.is_empty() && !is_markup).then(|| (offset..offset + content.len(), kind))
}

/// The width of leading blanks in columns, a tab reaching the next multiple of four (as CommonMark reads
/// it): a list nested with a tab is nested.
pub fn columns(blanks: &str) -> usize {
    blanks.chars().fold(0, |col, c| if c == '\t' { col + 4 - col % 4 } else { col + 1 })
}

/// Length of a list marker (`* `, `- `, `+ `, `1. `, `1) `) at the start of the text.
fn list_marker_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if matches!(bytes.first(), Some(b'*' | b'-' | b'+')) && matches!(bytes.get(1), Some(b' ' | b'\t')) {
        return Some(1);
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let is_ordered = (1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && matches!(bytes.get(digits + 1), Some(b' ' | b'\t'));
    is_ordered.then_some(digits + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_keep_plain_text_and_span() {
        let text = "# Talk **one**\nbody\n\n## Part &amp; more\n";
        let o = outline(text);
        assert_eq!(o.headings.len(), 2);
        assert_eq!(o.headings[0].text, "Talk one");
        assert_eq!(&text[o.headings[0].span.clone()], "Talk **one**");
        assert_eq!(o.headings[1].text, "Part & more");
        assert_eq!(o.headings[1].line, 4);
    }

    #[test]
    fn list_markers_are_stripped_from_lines() {
        let text = "* first item\n  - nested\n1. ordered\n> quoted\n";
        let o = outline(text);
        let spans: Vec<&str> = o.lines.iter().map(|l| &text[l.span.clone()]).collect();
        assert_eq!(spans, vec!["first item", "nested", "ordered", "quoted"]);
        assert_eq!(o.lines[1].kind, LineKind::ListItem { depth: 1 });
        let tabbed = outline("- item\n\t- nested with a tab\n");
        assert_eq!(tabbed.lines[1].kind, LineKind::ListItem { depth: 2 });
    }

    #[test]
    fn lines_wrapped_mid_sentence_are_one_line_and_deliberate_breaks_stay() {
        let text = "Priya Raman of Delivery Hero explained why the team moved the ledger from\n\
                    Cassandra to CockroachDB last spring. It took a quarter.\n\n\
                    **Shipping on Fridays with feature flags and a good night's sleep**\n\
                    Lena Vogel, Zalando\n\n\
                    Short line without a stop\nand its next line\n\n\
                    A long line that ends with a hard break because the author wanted one  \n\
                    right here.\n";
        let o = outline(text);
        let spans: Vec<(usize, &str)> = o.lines.iter().map(|l| (l.number, &text[l.span.clone()])).collect();
        assert_eq!(spans[0].0, 1);
        assert!(spans[0].1.ends_with("It took a quarter."), "{spans:?}");
        let rest: Vec<usize> = spans[1..].iter().map(|(n, _)| *n).collect();
        assert_eq!(rest, vec![4, 5, 7, 8, 10, 11], "{spans:?}");
    }

    #[test]
    fn code_blocks_and_front_matter_are_not_content() {
        let text = "---\ntitle: x\n---\n\ntext\n```\nkafka\n```\n";
        let o = outline(text);
        let spans: Vec<&str> = o.lines.iter().map(|l| &text[l.span.clone()]).collect();
        assert_eq!(spans, vec!["text"]);
        assert!(o.front_matter.is_some());
    }

    #[test]
    fn a_details_summary_heads_its_block() {
        let text = "# Notes\n\n<details>\n<summary>Observability — Maria Lopez, Booking.com</summary>\n\nBody.\n\n</details>\n";
        let o = outline(text);
        let h = o.headings.iter().find(|h| h.level == SUMMARY_LEVEL).unwrap();
        assert_eq!(h.text, "Observability — Maria Lopez, Booking.com");
        assert_eq!(h.line, 4);
    }

    #[test]
    fn html_headings_are_headings() {
        let text = "<h3>Kafka at scale &mdash; lessons</h3>\n\ntext\n";
        let o = outline(text);
        assert_eq!(o.headings.len(), 1);
        assert_eq!(o.headings[0].level, 3);
        assert_eq!(o.headings[0].text, "Kafka at scale — lessons");
    }

    #[test]
    fn a_head_line_zone_is_its_opening_link_or_label() {
        assert_eq!(
            plain_zone("[Ann Lee — Kafka at scale](https://v.example/1) - good talk"),
            "Ann Lee — Kafka at scale"
        );
        assert_eq!(plain_zone("**Kafka at scale**: [[Slides]](https://s.example)"), "Kafka at scale");
        assert_eq!(plain_zone("[Ann Lee](https://l.example) (Acme)"), "Ann Lee (Acme)");
        assert_eq!(plain_zone("Kafka &amp; Go - *Ann Lee*"), "Kafka & Go - Ann Lee");
    }

    #[test]
    fn nesting_past_the_cap_is_read_as_text_and_offsets_hold() {
        let deep = format!("{}Kafka\n", "> ".repeat(MAX_NESTING + 5));
        let text = format!("# T\n\n> - quoted item\n{deep}1. - > mixed\n");
        let capped = capped_nesting(&text);
        assert_eq!(capped.len(), text.len());
        let at = 4 + 1 + "> - quoted item\n".len() + 2 * MAX_NESTING;
        assert_eq!(&capped[at..at + 1], "\\", "the first marker past the cap: {capped}");
        assert_eq!(capped.replacen('\\', ">", 1), text, "nothing else changed");
        assert!(matches!(capped_nesting("> - shallow\n"), std::borrow::Cow::Borrowed(_)));
        let o = outline(&text);
        assert!(o.lines.iter().any(|l| text[l.span.clone()].ends_with("Kafka")), "the deep line is still a line");
    }

    #[test]
    fn setext_headings_are_headings() {
        let o = outline("Title\n=====\n\nbody\n");
        assert_eq!(o.headings[0].text, "Title");
        assert_eq!(o.headings[0].level, 1);
    }
}
