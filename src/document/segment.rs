//! Which headings are talks. Notes put talks at H1 (one file per conference day), at H2 under a
//! document title, or at H3 under day or track headings; "Вопросы", "Q&A", "Contents" and the like are
//! sections at any level. The talk level is the one whose headings are most often followed by a speaker
//! line; without speaker lines, the shallowest level with two or more non-section headings.

use super::markdown::MarkdownOutline;
use super::{Heading, Line, LineKind, Talk};

/// What segmentation needs to know about words: supplied by the extraction stage from the ontology.
pub trait TalkRules: super::KeyFields {
    /// True when a heading names a section ("Вопросы", "Q&A"), never a talk.
    fn is_section_heading(&self, title: &str) -> bool;
    /// True when a line names the speakers of a talk.
    fn is_speaker_line(&self, line: &str) -> bool;
    /// True when the heading itself carries the speaker ("Title — Name, Company").
    fn heading_has_speaker(&self, title: &str) -> bool;
    /// True when a prose line introduces a talk by its speaker ("Имя из Компании рассказал о …").
    fn is_prose_speaker(&self, line: &str) -> bool;
}

/// Splits the outline into the document title and the talks.
pub fn segment(text: &str, outline: &MarkdownOutline, rules: &dyn TalkRules) -> (Option<Heading>, Vec<Talk>) {
    let Some(level) = talk_level(text, outline, rules) else {
        return (None, prose_talks(text, outline, rules));
    };
    let is_talk = |h: &Heading| h.level == level && !rules.is_section_heading(&h.text);
    let title = outline.headings.iter().find(|h| h.level < level).cloned();
    let mut talks: Vec<Talk> = Vec::new();
    let mut open = false;
    let by_line = super::headings_by_line(&outline.headings);
    for line in &outline.lines {
        let heading = by_line.get(&line.number).copied();
        let current = if open { talks.last_mut() } else { None };
        match heading {
            Some(h) if is_talk(h) => {
                talks.push(Talk { heading: Some(h.clone()), line: h.line, lines: Vec::new(), sections: Vec::new() });
                open = true;
            }
            // A day or track heading above the talk level closes the current talk.
            Some(h) if h.level < level => open = false,
            Some(h) => push_section(current, h, line),
            None => push_line(current, line),
        }
    }
    if is_prose_report(text, outline, &talks, rules) {
        let title = outline.headings.first().filter(|h| h.level <= level).cloned();
        return (title, prose_talks(text, outline, rules));
    }
    (title, talks)
}

/// A report whose talks are paragraphs naming their speakers: none of its headings carries or precedes a
/// speaker (they are the report's title and sections), and at least two paragraphs name a speaker.
fn is_prose_report(text: &str, outline: &MarkdownOutline, talks: &[Talk], rules: &dyn TalkRules) -> bool {
    let headed = talks.iter().any(|t| t.heading.as_ref().is_some_and(|h| has_speaker(text, outline, h, rules)));
    let prose = outline.lines.iter().filter(|l| rules.is_prose_speaker(&text[l.span.clone()])).count();
    !headed && (prose >= 2 || (talks.is_empty() && prose == 1))
}

/// Talks of a prose report: each paragraph naming a speaker opens one.
fn prose_talks(text: &str, outline: &MarkdownOutline, rules: &dyn TalkRules) -> Vec<Talk> {
    let mut talks: Vec<Talk> = Vec::new();
    for line in &outline.lines {
        if matches!(line.kind, LineKind::Heading { .. }) && talks.is_empty() {
            continue;
        }
        if rules.is_prose_speaker(&text[line.span.clone()]) {
            talks.push(Talk { heading: None, line: line.number, lines: Vec::new(), sections: Vec::new() });
        }
        push_line(talks.last_mut(), line);
    }
    talks
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

/// The heading level that carries the talks, if any heading does.
fn talk_level(text: &str, outline: &MarkdownOutline, rules: &dyn TalkRules) -> Option<u8> {
    let candidates: Vec<&Heading> =
        outline.headings.iter().filter(|h| h.level <= 4 && !rules.is_section_heading(&h.text)).collect();
    let levels: std::collections::BTreeSet<u8> = candidates.iter().map(|h| h.level).collect();
    let with_speaker =
        |level: u8| candidates.iter().filter(|h| h.level == level && has_speaker(text, outline, h, rules)).count();
    let best = levels.iter().map(|&l| (with_speaker(l), l)).max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    if let Some((n, level)) = best
        && n > 0
    {
        return Some(level);
    }
    let count = |level: u8| candidates.iter().filter(|h| h.level == level).count();
    levels.iter().copied().find(|&l| count(l) >= 2).or_else(|| levels.iter().copied().next())
}

/// True when the heading carries a speaker or the first line after it is a speaker line.
fn has_speaker(text: &str, outline: &MarkdownOutline, heading: &Heading, rules: &dyn TalkRules) -> bool {
    if rules.heading_has_speaker(&heading.text) {
        return true;
    }
    let after = outline.lines.partition_point(|l| l.number <= heading.line);
    outline.lines[after..]
        .iter()
        .take(2)
        .take_while(|l| !matches!(l.kind, LineKind::Heading { .. }))
        .any(|l| rules.is_speaker_line(&text[l.span.clone()]))
}

#[cfg(test)]
mod tests {
    use super::super::markdown::outline;
    use super::*;

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
        fn is_speaker_line(&self, line: &str) -> bool {
            line.starts_with("Speaker")
        }
        fn heading_has_speaker(&self, _: &str) -> bool {
            false
        }
        fn is_prose_speaker(&self, line: &str) -> bool {
            line.contains(" talked ")
        }
    }

    fn titles(text: &str) -> (Option<String>, Vec<String>) {
        let (title, talks) = segment(text, &outline(text), &Rules);
        (title.map(|h| h.text), talks.into_iter().map(|t| t.heading.map(|h| h.text).unwrap_or_default()).collect())
    }

    #[test]
    fn h1_talks() {
        let text = "# A\nSpeaker x\ntext\n# B\nSpeaker y\n## Вопросы\nq\n";
        assert_eq!(titles(text), (None, vec!["A".into(), "B".into()]));
    }

    #[test]
    fn h2_talks_under_a_document_title() {
        let text = "# Conf 2024\nintro\n## A\nSpeaker x\n## B\nSpeaker y\n### Details\n";
        assert_eq!(titles(text), (Some("Conf 2024".into()), vec!["A".into(), "B".into()]));
    }

    #[test]
    fn h2_talks_without_speaker_lines() {
        let text = "# Conf\n## A\ntext\n## B\ntext\n## Вопросы\n";
        assert_eq!(titles(text).1, vec!["A".to_string(), "B".to_string()]);
    }

    #[test]
    fn prose_paragraphs_open_talks() {
        let text = "# Report\n\nJane Roe talked about Kafka.\nMore on Kafka.\n\nJohn Doe talked about Go.\n";
        let (title, talks) = segment(text, &outline(text), &Rules);
        assert_eq!(title.map(|h| h.text), Some("Report".to_string()));
        assert_eq!(talks.len(), 2);
        assert!(talks.iter().all(|t| t.heading.is_none()));
        assert_eq!(talks[0].lines.len(), 2);
    }

    #[test]
    fn section_lines_know_their_section() {
        let text = "# A\nSpeaker x\n## Part\nline\n";
        let (_, talks) = segment(text, &outline(text), &Rules);
        let last = talks[0].lines.last().unwrap();
        assert_eq!(last.section, Some(0));
        assert_eq!(&text[last.span.clone()], "line");
    }
}
