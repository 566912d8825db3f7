//! One talk's facts: the speaker line, then every line in order — mentions, the organization whose story
//! the line tells (the speaker's, or a client named by a case line such as "Кейс 1 … (Republic)"), and the
//! stances its sentences state. A line that ends with ":" and carries a cue ("Посмотрели:") hands its
//! stance to the list items under it; a sentence whose cue names no technology ("поэтому отказались")
//! points back at the technologies the line named last. One stance per (organization, technology)
//! survives: the latest stated by a cue, else the default `uses` of a plain mention.

use super::facts::{Candidate, Diagnostic, Evidence, Mention, OrgRef, Speaker, StanceFact, TalkFacts};
use super::organizations::{short_forms, vocabulary_org};
use super::spans::SpanSet;
use super::{Extractor, Hit, Kind};
use crate::document::{LineKind, NoteDocument, Talk};
use crate::ontology::{CueKind, Stance};
use std::collections::BTreeMap;
use std::ops::Range;

/// State carried from line to line within a talk.
struct Context {
    /// Whose story the current lines tell.
    org: Option<OrgRef>,
    /// A stance handed down by a list-introducing line, with the depth of items it covers.
    inherited: Option<(Stance, Option<u8>)>,
    /// A stance handed down by a section heading that names none of its technologies ("Process for
    /// migration", "Что отвергли"): the plain mentions of its section take it, up to the next heading.
    section: Option<Stance>,
    /// The organizations the current line names, with their spans: a sentence that names companies before
    /// its cue ("Представители Auto.ru и Алисы расскажут, почему они выбрали YDB") tells their story too.
    named: Vec<(Range<usize>, OrgRef)>,
}

/// Reads one talk; None for a whole file that names neither a title nor a speaker.
///
/// `known` are speakers given elsewhere (front matter); they are used when the talk names none itself.
pub fn extract_talk(
    ex: &Extractor,
    doc: &NoteDocument,
    talk: &Talk,
    known: Vec<Speaker>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<TalkFacts> {
    let title = talk.heading.as_ref().map(|h| h.text.clone());
    let mut facts = TalkFacts { title, line: talk.line, ..TalkFacts::default() };
    let speaker_lines = if known.is_empty() { find_speakers(ex, doc, talk, &mut facts) } else { Vec::new() };
    if facts.speakers.is_empty() {
        facts.speakers = known;
    }
    // A whole file with no title and no speaker anywhere is notes, not a talk.
    if talk.unit == crate::document::Structure::File && facts.title.is_none() && facts.speakers.is_empty() {
        return None;
    }
    if facts.speakers.is_empty() {
        diagnostics.push(Diagnostic {
            path: doc.path.clone(),
            line: talk.line,
            message: format!("talk {:?} has no speaker line", facts.title.as_deref().unwrap_or("")),
        });
    }
    labelled_fields(ex, doc, talk, &mut facts);
    company_after_first_name(ex, doc, talk, &mut facts);
    nominative_organizations(ex, doc, talk, &mut facts);
    let mut speaker_org = facts.speakers.iter().find_map(|s| s.organization.clone());
    let mut aliases: Vec<(String, OrgRef)> = facts
        .speakers
        .iter()
        .filter_map(|s| s.organization.clone())
        .flat_map(|o| short_forms(&o.name).into_iter().map(move |f| (f, o.clone())))
        .collect();
    // The other companies of "(Avito, Sphinx)" are companies of the talk too.
    for written in facts.speakers.iter().filter_map(|s| s.organization_as_written.as_deref()) {
        for part in written.split(", ").skip(1).map(str::trim).filter(|p| !p.is_empty()) {
            aliases.push((part.to_string(), ex.organizations.resolve(part, &ex.ontology, &ex.dictionary)));
        }
    }
    if speaker_org.is_none()
        && let Some((org, surface, title)) = facts.title.as_deref().and_then(|t| head_org(ex, t))
    {
        facts.organizations.entry(org.clone()).or_default().push(Mention { line: talk.line, surface: surface.clone() });
        aliases.extend(short_forms(&surface).into_iter().map(|f| (f, org.clone())));
        facts.title = title.or(facts.title.take());
        speaker_org = Some(org);
    }
    if speaker_org.is_none() {
        speaker_org = sole_org(ex, doc, talk);
    }
    facts.title = facts.title.map(|t| without_schedule_time(&t).to_string());
    let mut ctx = Context { org: speaker_org.clone(), inherited: None, section: None, named: Vec::new() };
    let mut found: Vec<StanceFact> = Vec::new();
    // A Markdown heading's title is a line of the talk too ("Preemption in Nomad"); a list item's or a
    // paragraph's head is already its first line.
    let head = talk.heading.as_ref().filter(|h| h.level > 0 && !h.span.is_empty()).map(|h| crate::document::Line {
        number: h.line,
        span: h.span.clone(),
        kind: LineKind::Heading { level: h.level },
        section: None,
    });
    let lines = head.iter().map(|l| (None, l)).chain(talk.lines.iter().enumerate().map(|(i, l)| (Some(i), l)));
    let title_letters = facts.title.as_deref().map(letters);
    let mut headlines: Vec<usize> = Vec::new(); // lines that hold only the title, not in the company's voice
    for (index, line) in lines {
        if index.is_some_and(|i| speaker_lines.contains(&i)) {
            continue;
        }
        let text = doc.slice(&line.span);
        let masked = mask_urls(text);
        let mut hits = ex.dictionary.scan(&masked);
        let toks = super::phrases::tokens(&masked, 0);
        let marked = super::organizations::marked_names(&masked, &toks, &ex.org_markers, &ex.case_markers);
        let defined = super::organizations::defined_acronym(&masked, &toks, &ex.org_heads);
        for name in marked.into_iter().chain(defined) {
            let is_tech = hits.iter().any(|h| h.kind == Kind::Technology && masked[h.span.clone()].contains(&name));
            if !is_tech && !aliases.iter().any(|(a, _)| *a == name) {
                let org = ex.organizations.resolve(&name, &ex.ontology, &ex.dictionary);
                aliases.push((name, org));
            }
        }
        // On the line that names the speakers, their company as written is the company, not a product.
        let speaker_line = facts.speakers.iter().any(|s| s.line == line.number);
        add_alias_hits(&masked, &aliases, speaker_line, &mut hits);
        drop_makers(&masked, &mut hits);
        record_mentions(ex, text, line.number, &hits, &aliases, &mut facts);
        let taken: Vec<Range<usize>> = hits.iter().map(|h| h.span.clone()).collect();
        for span in ex.candidates.find(&masked, &taken) {
            facts.candidates.push(Candidate { term: text[span].to_string(), line: line.number });
        }
        update_org_context(ex, &mut ctx, text, &toks, line.kind, &hits, &aliases, speaker_org.as_ref());
        let mut techs: Vec<(Range<usize>, String)> = hits
            .iter()
            .filter(|h| h.kind == Kind::Technology)
            .map(|h| (h.span.clone(), ex.ontology.technologies[h.concept].iri.clone()))
            .collect();
        let tech_spans: Vec<Range<usize>> = techs.iter().map(|(s, _)| s.clone()).collect();
        let system = ex.systems.defined(&masked, &toks, &taken, &tech_spans).map(|span| {
            let iri = crate::vocab::id::TECH.iri(&crate::text::slug(&masked[span.clone()]));
            let surface = text[span.clone()].to_string();
            facts.technologies.entry(iri.clone()).or_default().push(Mention { line: line.number, surface });
            techs.insert(0, (span, iri.clone()));
            iri
        });
        // "Confluent made some announcements:" introduces a list: the company's own name is no technology.
        let no_techs = match &ctx.org {
            Some(org) => techs.iter().all(|(span, _)| names_org(ex, &masked[span.clone()], org)),
            None => techs.is_empty(),
        };
        update_inherited(ex, &mut ctx, text, &toks, line.kind, no_techs);
        if index.is_none() {
            // The talk's own heading is its title, not a section of it.
            ctx.section = None;
        }
        ctx.named = hits
            .iter()
            .filter(|h| h.kind == Kind::Organization)
            .map(|h| (h.span.clone(), org_of_hit(ex, text, h, &aliases)))
            .collect();
        if let Some(org) = ctx.org.clone() {
            let before = found.len();
            line_stances(ex, text, &toks, line.number, &techs, &org, &ctx, &mut found);
            // The line that defines an in-house system says the company has it.
            for f in found[before..].iter_mut().filter(|f| Some(&f.technology) == system.as_ref()) {
                f.explicit = true;
            }
            // A headline names the talk's topic ("Preemption in Nomad"), not the company's stack: a plain
            // mention there gives no stance, and a cued one comes first but gives way to any the body states.
            // A list item's or a bold line's head that holds only the title is a headline too.
            let title_only = index == Some(0) && title_letters.as_deref() == Some(&letters(&without_links(text)));
            if index.is_none() || title_only {
                if !ex.company_voice.speaks_in(text) {
                    headlines.push(line.number);
                }
                let headline = found.split_off(before);
                found.extend(headline.into_iter().filter(|f| f.explicit).map(|f| StanceFact { explicit: false, ..f }));
            }
        }
    }
    // A cued headline speaks for the company when the talk's body comes back to the technology ("Kafka
    // Tiered Storage adoption"), when it speaks in the company's voice ("Why we moved to Nomad"), or when it
    // tells a move from one technology to another ("Migrating from Nagios to Prometheus"); a title alone
    // that names a topic ("Deploying NATS in GKE") gives no stance.
    let moves: Vec<usize> = headlines
        .iter()
        .copied()
        .filter(|&line| {
            let on_line =
                |stance| found.iter().any(|f| f.stance == stance && f.evidence.iter().any(|e| e.line == line));
            on_line(Stance::MigratedFrom) && on_line(Stance::Adopted)
        })
        .collect();
    found.retain(|f| {
        let from_headline = f.evidence.iter().all(|e| headlines.contains(&e.line) && !moves.contains(&e.line));
        let in_body =
            || facts.technologies.get(&f.technology).is_some_and(|m| m.iter().any(|m| !headlines.contains(&m.line)));
        !from_headline || in_body()
    });
    let texts: Vec<(usize, &str)> = talk.lines.iter().map(|l| (l.number, doc.slice(&l.span))).collect();
    if let Some(story) = story_org(&facts, speaker_org.as_ref(), &aliases, &texts) {
        for f in found.iter_mut().filter(|f| Some(&f.organization) == speaker_org.as_ref()) {
            f.organization = story.clone();
        }
    }
    facts.stances = resolve(found);
    Some(facts)
}

/// The company whose story a talk tells when it is not the speaker's own: a consultant or vendor
/// presenting a client's case names the client on line after line ("Clinical Data @ upmc", "1k apps in
/// upmc") and their own company once or twice. The company named on the most lines outside the speaker
/// line takes the speaker company's stances when it has at least three lines and twice the speaker
/// company's, and the speakers all work for one company.
fn story_org(
    facts: &TalkFacts,
    speaker_org: Option<&OrgRef>,
    aliases: &[(String, OrgRef)],
    texts: &[(usize, &str)],
) -> Option<OrgRef> {
    let speaker_org = speaker_org?;
    // Speakers from several companies tell a joint story, not one client's.
    if facts.speakers.iter().any(|s| s.organization.as_ref().is_some_and(|o| o != speaker_org)) {
        return None;
    }
    let speaker_lines: Vec<usize> = facts.speakers.iter().map(|s| s.line).collect();
    // A company defined further down ("UPMC - Univ of Pittsburgh …") was already named on the lines above.
    let folded: Vec<(usize, String)> = texts.iter().map(|(n, t)| (*n, super::dictionary::fold_same_len(t))).collect();
    let body_lines = |org: &OrgRef, mentions: &[Mention]| {
        let mut lines: Vec<usize> = mentions.iter().map(|m| m.line).collect();
        for (alias, _) in aliases.iter().filter(|(_, o)| o == org) {
            let needle = super::dictionary::fold_same_len(alias);
            lines.extend(folded.iter().filter(|(_, t)| contains_word(t, &needle)).map(|(n, _)| *n));
        }
        lines.retain(|l| !speaker_lines.contains(l));
        lines.sort_unstable();
        lines.dedup();
        lines.len()
    };
    let own = facts.organizations.get(speaker_org).map_or(0, |m| body_lines(speaker_org, m));
    let (top, lines) = facts
        .organizations
        .iter()
        .filter(|(o, _)| *o != speaker_org)
        .map(|(o, m)| (o, body_lines(o, m)))
        .max_by_key(|(_, n)| *n)?;
    (lines >= 3 && lines >= 2 * own.max(1)).then(|| top.clone())
}

/// The letters and digits of a text in lower case: a title compared with the line that holds it, whatever
/// markup surrounds it.
fn letters(text: &str) -> String {
    crate::text::normalize(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The text with its Markdown links (`[label](target)`, `[[Slides]](target)`) taken out: what is left
/// of a head line beside the links to its slides and recording.
fn without_links(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut open: Vec<usize> = Vec::new(); // where each unclosed '[' sits in `kept`
    let mut next_close: Option<Option<usize>> = None; // the next ')' at or after the cursor, once looked up
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if next_close.is_some_and(|close| close.is_some_and(|at| at < i)) {
            next_close = None;
        }
        match c {
            '[' => open.push(kept.len()),
            ']' => {
                let start = open.pop();
                let close = *next_close.get_or_insert_with(|| text[i..].find(')').map(|at| i + at));
                if let (Some(start), Some(close), true) = (start, close, text[i + 1..].starts_with('(')) {
                    kept.truncate(start);
                    kept.push(' ');
                    while chars.next_if(|(j, _)| *j <= close).is_some() {}
                    continue;
                }
            }
            _ => {}
        }
        kept.push(c);
    }
    kept
}

/// True when `needle` occurs in `haystack` as a whole word.
fn contains_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        !haystack[..at].chars().next_back().is_some_and(char::is_alphanumeric)
            && !haystack[at + needle.len()..].chars().next().is_some_and(char::is_alphanumeric)
    })
}

/// Finds the speakers: the speaker lines right under the head (one or several), else the head itself
/// ("Name - Role, Company" as a whole, or "Title — Name, Company", whose title then loses the speaker
/// part), else a prose line naming the speaker. Returns the indices in `talk.lines` of the lines that only
/// name speakers. A unit that is not a Markdown heading (a list item, a paragraph) keeps a title only when
/// its head names one beside the speakers, or, for a paragraph, when its speakers stand under the head.
fn find_speakers(ex: &Extractor, doc: &NoteDocument, talk: &Talk, facts: &mut TalkFacts) -> Vec<usize> {
    let unit = talk.heading.as_ref().filter(|h| h.level == 0);
    if unit.is_some() {
        facts.title = None;
    }
    let used = speakers_of_unit(ex, doc, talk, facts);
    // A paragraph's head is its title when the speakers stand on the lines under it ("**Title**" / "*Name,
    // Company*"), not when it names them itself (a prose sentence, a "Speaker:" record).
    let paragraph = talk.unit == crate::document::Structure::Paragraphs;
    let titled = !used.contains(&0) && (!paragraph || !used.is_empty());
    if let Some(head) = unit.filter(|_| titled && facts.title.is_none()) {
        facts.title = Some(head.text.clone());
    }
    used
}

fn speakers_of_unit(ex: &Extractor, doc: &NoteDocument, talk: &Talk, facts: &mut TalkFacts) -> Vec<usize> {
    let unit = talk.heading.as_ref().is_some_and(|h| h.level == 0);
    // A paragraph that opens a prose talk names its speaker in a sentence ("Jane Doe from Acme talked …").
    let opening = talk.lines.first().filter(|_| talk.unit == crate::document::Structure::Paragraphs);
    if let Some(line) = opening
        && let Some(parsed) = prose_people(ex, doc.slice(&line.span))
    {
        facts.speakers = to_speakers(ex, parsed, line.number);
        // "Иван Петров из Сбера с докладом «Как мы строили платформу»": the quoted words of the sentence
        // that names the speaker are the talk's title.
        facts.title = quoted_title(doc.slice(&line.span));
        return Vec::new();
    }
    let mut used = Vec::new();
    let mut after_marker = false;
    // A record of labelled fields ("**Speaker:** Name" / "**Company:** …") opens with its speaker line.
    let record = talk.unit == crate::document::Structure::Paragraphs;
    let skip = usize::from(unit && !record);
    for (i, line) in talk.lines.iter().enumerate().take(crate::document::SPEAKER_WINDOW).skip(skip) {
        if matches!(line.kind, LineKind::Heading { .. }) {
            break;
        }
        let text = doc.slice(&line.span);
        // The document stage classified the line; only under a lone marker is it read more leniently.
        let parsed = match after_marker {
            true => ex.speakers.parse_under_marker(text).filter(|s| ex.are_people(s)),
            false => talk.speaker_lines.get(&line.number).cloned(),
        };
        after_marker = false;
        match parsed {
            Some(parsed) => {
                facts.speakers.extend(to_speakers(ex, parsed, line.number));
                used.push(i);
            }
            None if ex.speakers.is_marker_only(text) && used.is_empty() => {
                used.push(i);
                after_marker = true;
            }
            None if !facts.speakers.is_empty() || i >= 2 + skip => break,
            None => {}
        }
    }
    let Some(heading) = &talk.heading else {
        // A file without a head ("Нина Пакшина рассказала про HTTP/3 …") names its speaker in prose, in its
        // first lines or in the summary of its front matter.
        if facts.speakers.is_empty() {
            prose_speaker(ex, doc, talk, facts);
        }
        let summary = doc.front_matter.as_ref().and_then(|f| f.summary.as_deref());
        if let Some(parsed) = summary
            .filter(|_| facts.speakers.is_empty() && talk.unit == crate::document::Structure::File)
            .and_then(|s| prose_people(ex, s))
        {
            facts.speakers = to_speakers(ex, parsed, 1);
        }
        return used;
    };
    if facts.speakers.is_empty() {
        let whole = ex.speakers.parse(&heading.text).filter(|s| ex.are_people(s));
        if let Some(parsed) = whole.filter(|s| !titled_after_dash(ex, &heading.text, s)) {
            // The head is only a speaker line ("Name, Role, Company"): the talk has no title.
            facts.speakers = to_speakers(ex, parsed, heading.line);
            facts.title = None;
            return if unit { vec![0] } else { Vec::new() };
        }
    }
    if let Some((title, parsed)) = speaker_in_heading(ex, &heading.text) {
        facts.title = Some(unit_title(doc, talk, title));
        if facts.speakers.is_empty() {
            facts.speakers = to_speakers(ex, parsed, heading.line);
        }
        return used;
    }
    if facts.speakers.is_empty() {
        prose_speaker(ex, doc, talk, facts);
    }
    used
}

/// Fields a talk's opening lines give by label, as front matter does ("Topic: …", "Company: …",
/// "**Должность:** …"; the labels are the front-matter keys of the lexicon): the title when the unit has
/// none, and the organization and role of speakers who lack them.
fn labelled_fields(ex: &Extractor, doc: &NoteDocument, talk: &Talk, facts: &mut TalkFacts) {
    use crate::document::KeyFields;
    for line in talk.lines.iter().take(crate::document::SPEAKER_WINDOW) {
        let text = doc.slice(&line.span);
        let plain = text.trim_start_matches(['*', '_']);
        let Some((label, value)) = plain.split_once(':') else { continue };
        let value = value.trim_start_matches(['*', '_']).trim();
        let Some(field) = ex.field_of(label.trim_end_matches(['*', '_']).trim()) else { continue };
        if value.is_empty() || value.chars().count() > 200 {
            continue;
        }
        match field {
            "title" if facts.title.is_none() => facts.title = Some(value.to_string()),
            "organization" => {
                let org = ex.organizations.resolve(value, &ex.ontology, &ex.dictionary);
                for s in facts.speakers.iter_mut().filter(|s| s.organization.is_none()) {
                    s.organization = Some(org.clone());
                    s.organization_as_written = Some(value.to_string());
                }
            }
            "role" => {
                for s in facts.speakers.iter_mut().filter(|s| s.role.is_none()) {
                    s.role = Some(value.to_string());
                }
            }
            _ => {}
        }
    }
}

/// The speaker a sentence among the first lines of the talk names ("Jane Roe from Acme talked about …").
fn prose_speaker(ex: &Extractor, doc: &NoteDocument, talk: &Talk, facts: &mut TalkFacts) {
    let prose = talk.lines.iter().take(3).find_map(|l| ex.speakers.parse_prose_all(doc.slice(&l.span)).map(|s| (l, s)));
    if let Some((line, parsed)) = prose.filter(|(_, s)| are_people(ex, s)) {
        facts.speakers = to_speakers(ex, parsed, line.number);
    }
}

/// The speakers a prose sentence introduces, when none of them is a name the vocabulary holds.
/// A title without the time a programme puts before it ("10:30 — Title", "10:30–11:15 Title", "18.00 |
/// Title"); a title that is only a time stays as it is.
fn without_schedule_time(title: &str) -> &str {
    // (length, whether written with a colon) of a clock time at the start: hours 0–23, minutes 00–59.
    let clock = |s: &str| -> Option<(usize, bool)> {
        let b = s.as_bytes();
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let colon = b.get(digits) == Some(&b':');
        let minutes = b.get(digits + 1..digits + 3).filter(|m| m.iter().all(u8::is_ascii_digit))?;
        let hours: u32 = s[..digits].parse().ok()?;
        let ok = (1..=2).contains(&digits)
            && (colon || b.get(digits) == Some(&b'.'))
            && hours < 24
            && (minutes[0] - b'0') < 6
            && !b.get(digits + 3).is_some_and(u8::is_ascii_digit);
        ok.then_some((digits + 3, colon))
    };
    let Some((mut at, colon)) = clock(title) else { return title };
    // A range: "10:30–11:15", "10:30 - 11:15".
    let rest = title[at..].trim_start_matches([' ', '-', '–', '—']);
    let ranged = clock(rest).map(|(end, _)| at = title.len() - rest.len() + end).is_some();
    let after = title[at..].trim_start();
    let separated = after.starts_with(['-', '–', '—', '|', ':', '·', '•']);
    let rest = after.trim_start_matches(['-', '–', '—', '|', ':', '·', '•']).trim_start();
    // "1.25 release notes" is a version: a dotted time needs a range or a separator after it.
    let time = colon || ranged || separated;
    if time && rest.chars().next().is_some_and(|c| c.is_alphanumeric() || matches!(c, '"' | '«' | '“' | '[')) {
        rest
    } else {
        title
    }
}

/// The first quoted phrase of a line's first sentence ("…with a talk “Search at scale”.", "…с докладом
/// «Как мы …»"): two to twenty words, opening with a capital.
fn quoted_title(line: &str) -> Option<String> {
    let sentence_end = line.find(". ").unwrap_or(line.len());
    let (open, quote) = line.char_indices().find(|(_, c)| matches!(c, '«' | '“' | '"' | '„'))?;
    let close = match quote {
        '«' => '»',
        '“' => '”',
        '„' => '“',
        _ => '"',
    };
    let inner_start = open + quote.len_utf8();
    let inner = &line[inner_start..inner_start + line[inner_start..].find(close)?];
    let words = inner.split_whitespace().count();
    let capitalised = inner.chars().next().is_some_and(char::is_uppercase);
    (open < sentence_end && (2..=20).contains(&words) && capitalised).then(|| inner.trim().to_string())
}

fn prose_people(ex: &Extractor, text: &str) -> Option<Vec<super::speakers::SpeakerLine>> {
    ex.speakers.parse_prose_all(text).filter(|s| are_people(ex, s))
}

fn are_people(ex: &Extractor, parsed: &[super::speakers::SpeakerLine]) -> bool {
    !parsed.iter().any(|s| ex.is_known_name(&s.name))
}

/// "Барух Садогурский и Тагир Валеев — Java Puzzlers NG S04": a head whose only other part follows a
/// dash (no role, no comma after it) and is no company the vocabulary knows reads as speakers and a
/// title, not as a speaker line ("Name - Role, Company" stays one).
fn titled_after_dash(ex: &Extractor, head: &str, parsed: &[super::speakers::SpeakerLine]) -> bool {
    let Some(org) = parsed.iter().find_map(|s| s.organization.as_deref()) else { return false };
    if parsed.iter().any(|s| s.role.is_some()) {
        return false;
    }
    let after_dash = [" — ", " – ", " - "]
        .iter()
        .any(|d| head.find(d).is_some_and(|i| head[i..].contains(org) && !head[i..].contains(',')));
    let known = ex.organizations.knows(org) || ex.dictionary.scan(org).iter().any(|h| h.kind == Kind::Organization);
    after_dash && !known && ex.speakers.split_title_speaker(head).is_some()
}

/// A title that only names an event ("Highload++ 2017": a year among at most four words) gives way to
/// the unit's next line, where such listings put the talk's own title.
fn unit_title(doc: &NoteDocument, talk: &Talk, title: String) -> String {
    let words: Vec<&str> = title.split_whitespace().collect();
    let year = |w: &&str| w.len() == 4 && w.parse::<u16>().is_ok_and(|y| (1990..2040).contains(&y));
    if words.len() > 4 || !words.iter().any(year) {
        return title;
    }
    let next = talk.lines.get(1).filter(|l| l.kind == LineKind::Text);
    next.map(|l| crate::document::plain_zone(doc.slice(&l.span))).filter(|z| !z.is_empty()).unwrap_or(title)
}

/// A speaker named without a company whose talk opens by naming them again, by first name, with one
/// ("### Ольга Кузнецова — «…»" then "Ольга из Ozon Tech, руководит …", "Павел, SRE в Циане."): the
/// company of that line, read as a speaker line of the full name.
fn company_after_first_name(ex: &Extractor, doc: &NoteDocument, talk: &Talk, facts: &mut TalkFacts) {
    for speaker in facts.speakers.iter_mut().filter(|s| s.organization.is_none()) {
        let Some(first) = speaker.name.split_whitespace().next() else { continue };
        let opening = talk.lines.iter().filter(|l| l.number > speaker.line).take(3);
        let named = opening.map(|l| doc.slice(&l.span)).find_map(|text| {
            let rest = text.strip_prefix(first).filter(|r| r.starts_with([' ', ',']))?;
            let parsed = ex.speakers.parse(&format!("{}{rest}", speaker.name))?;
            to_speakers(ex, parsed, speaker.line)
                .into_iter()
                .find(|s| s.name == speaker.name && s.organization.is_some())
        });
        if let Some(named) = named {
            speaker.organization = named.organization;
            speaker.organization_as_written = named.organization_as_written;
        }
    }
}

/// A company the speaker line names in another case ("тимлид в Ромашке", "из Летуаля") that the talk's
/// own text writes in the nominative ("Ромашка раньше жила на …", by the lexicon's case endings): the
/// company is named so, and the speaker line's form stays a written name of it.
fn nominative_organizations(ex: &Extractor, doc: &NoteDocument, talk: &Talk, facts: &mut TalkFacts) {
    let endings = &ex.ontology.lexicon.organization_case_endings;
    for speaker in facts.speakers.iter_mut() {
        let Some(org) = speaker.organization.as_ref() else { continue };
        if org.known || org.name.contains(' ') || !crate::text::is_cyrillic(&org.name) {
            continue;
        }
        let forms: Vec<String> = endings
            .iter()
            .filter_map(|(form, lemma)| {
                let stem = org.name.strip_suffix(form.as_str())?;
                (stem.chars().count() >= 3).then(|| format!("{stem}{lemma}"))
            })
            .filter(|form| *form != org.name)
            .collect();
        let written_so = talk.lines.iter().find_map(|l| {
            let line = doc.slice(&l.span);
            line.split(|c: char| !c.is_alphanumeric() && c != '-').find(|w| forms.iter().any(|f| f == w))
        });
        if let Some(nominative) = written_so {
            speaker.organization = Some(ex.organizations.resolve(nominative, &ex.ontology, &ex.dictionary));
        }
    }
}

fn to_speakers(ex: &Extractor, parsed: Vec<super::speakers::SpeakerLine>, line: usize) -> Vec<Speaker> {
    parsed
        .into_iter()
        .map(|s| Speaker {
            // "(Avito, Sphinx)": the first company is the employer, the others are named beside it.
            organization: s
                .organization
                .as_deref()
                .map(|o| o.split(", ").next().unwrap_or(o))
                .map(|o| ex.organizations.resolve(o, &ex.ontology, &ex.dictionary)),
            organization_as_written: s.organization.clone(),
            name: ex.speakers.nominative(s.name),
            role: s.role,
            line,
        })
        .collect()
}

/// Speakers carried by a heading, with the title left once they are cut off: "Title - Name, Company",
/// "Title (Name, Company)", "Title by Name".
pub fn speaker_in_heading(ex: &Extractor, heading: &str) -> Option<(String, Vec<super::speakers::SpeakerLine>)> {
    let valid = |s: &Vec<super::speakers::SpeakerLine>| ex.are_people(s);
    if let Some(found) = ex.speakers.split_title_speaker(heading).filter(|(_, s)| valid(s)) {
        return Some(found);
    }
    let open = heading.rfind('(')?;
    let inner = heading[open + 1..].trim_end().strip_suffix(')')?;
    ex.speakers.parse(inner).filter(valid).map(|s| (heading[..open].trim().to_string(), s))
}

/// The organization a talk's head names when no speaker gives one, whose story the talk then tells:
/// "Keynote by Confluent", "Better key-value stores - Verizon" (the title loses the tail), "Observability
/// at Affirm", or a vocabulary organization anywhere in the title. Returns the organization, its name as
/// written and the shortened title.
fn head_org(ex: &Extractor, title: &str) -> Option<(OrgRef, String, Option<String>)> {
    let dashes = [" - ", " — ", " – ", " | "];
    for sep in ex.head_org_markers.iter().map(String::as_str).chain(dashes) {
        let Some(at) = title.rfind(sep) else { continue };
        let tail = title[at + sep.len()..].trim().trim_end_matches(['.', ')']);
        if is_org_name(ex, tail) {
            let org = ex.organizations.resolve(tail, &ex.ontology, &ex.dictionary);
            // "Keynote by Confluent" is the keynote; "PYMK from linkedin" keeps its place in the title.
            let placed = ex.ontology.lexicon.affiliation_markers.iter().any(|m| m == sep.trim());
            let short = (!placed).then(|| title[..at].trim().to_string());
            return Some((org, tail.to_string(), short));
        }
    }
    let hits = ex.dictionary.scan(title);
    if let Some(h) = hits.iter().find(|h| h.kind == Kind::Organization) {
        return Some((vocabulary_org(&ex.ontology, h.concept), title[h.span.clone()].to_string(), None));
    }
    let toks = super::phrases::tokens(title, 0);
    let marker = (1..toks.len().saturating_sub(1))
        .find(|&i| ex.org_markers.match_at(&toks, i).is_some() || ex.speakers.is_affiliation(&toks, i));
    let tail = marker.map(|i| title[toks[i + 1].span.start..].trim())?;
    is_org_name(ex, tail)
        .then(|| (ex.organizations.resolve(tail, &ex.ontology, &ex.dictionary), tail.to_string(), None))
}

/// The one vocabulary organization a talk names, when it names exactly one and no speaker or title gives
/// one: the talk is its story ("Шина данных уровня Яндекса … отказ от Kafka"). A company the note-taker
/// names in their own voice ("I followed it mostly via Twitter") tells no story.
fn sole_org(ex: &Extractor, doc: &NoteDocument, talk: &Talk) -> Option<OrgRef> {
    let mut found: Option<usize> = None;
    for line in &talk.lines {
        let text = mask_urls(doc.slice(&line.span));
        for sentence in sentences(&text) {
            if ex.author_voice.speaks_in(&text[sentence.clone()]) {
                continue;
            }
            for h in ex.dictionary.scan(&text[sentence]) {
                if h.kind != Kind::Organization {
                    continue;
                }
                match found {
                    Some(c) if c != h.concept => return None,
                    _ => found = Some(h.concept),
                }
            }
        }
    }
    found.map(|c| vocabulary_org(&ex.ontology, c))
}

/// A company name by its look: a vocabulary organization, or one to three capitalised words that name no
/// technology and no person.
fn is_org_name(ex: &Extractor, text: &str) -> bool {
    // A company's own name wins over its product's ("Keynote by Confluent").
    if ex.organizations.knows(text) {
        return true;
    }
    let hits = ex.dictionary.scan(text);
    let covered = |h: &Hit| h.span.len() * 3 >= text.len() * 2;
    if hits.iter().any(|h| h.kind == Kind::Technology && covered(h)) {
        return false;
    }
    if hits.iter().any(|h| h.kind == Kind::Organization && covered(h)) {
        return true;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let capitalised = !text.contains([':', ',', '(', '!', '?'])
        && words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()));
    (1..=3).contains(&words.len())
        && capitalised
        && !ex.speakers.is_person(text)
        && !hits.iter().any(|h| h.kind == Kind::Technology)
}

/// Adds hits for the speaker organization's name and short forms.
fn add_alias_hits(text: &str, aliases: &[(String, OrgRef)], speaker_line: bool, hits: &mut Vec<Hit>) {
    let folded = super::dictionary::fold_same_len(text);
    // A name with no letters or digits ("", "—") names nothing: it would match everywhere.
    for (alias, _) in aliases.iter().filter(|(a, _)| a.chars().any(char::is_alphanumeric)) {
        let needle = super::dictionary::fold_same_len(alias);
        for (at, _) in folded.match_indices(&needle) {
            let span = at..at + needle.len();
            let bounded = !folded[..at].chars().next_back().is_some_and(char::is_alphanumeric)
                && !folded[span.end..].chars().next().is_some_and(char::is_alphanumeric);
            // The speaker's own company wins over a vocabulary company of the same short name.
            let overlaps = |h: &Hit| h.span.start < span.end && span.start < h.span.end;
            let taken = |h: &Hit| h.concept == usize::MAX || (h.kind == Kind::Technology && !speaker_line);
            let free = !hits.iter().any(|h| overlaps(h) && taken(h));
            if bounded && free {
                hits.retain(|h| !overlaps(h));
                hits.push(Hit { kind: Kind::Organization, concept: usize::MAX, span });
            }
        }
    }
    hits.sort_by_key(|h| h.span.start);
}

/// Drops the organizations named only as the maker of the technology that follows them ("Zalando's
/// postgres-operator", "Google’s Spanner"): a maker is no actor of the story.
fn drop_makers(text: &str, hits: &mut Vec<Hit>) {
    let is_maker = |org: &Hit, next: Option<&Hit>| {
        let Some(product) = next.filter(|n| org.kind == Kind::Organization && n.kind == Kind::Technology) else {
            return false;
        };
        let between = text.get(org.span.end..product.span.start).unwrap_or("");
        let possessive = between.strip_prefix("'s").or_else(|| between.strip_prefix("’s"));
        possessive.is_some_and(|rest| !rest.is_empty() && rest.trim().is_empty())
    };
    // One pass, whatever the number of hits: a flag per hit, then one `retain`.
    let makers: Vec<bool> = (0..hits.len()).map(|i| is_maker(&hits[i], hits.get(i + 1))).collect();
    let mut flags = makers.into_iter();
    hits.retain(|_| !flags.next().unwrap_or(false));
}

fn org_of_hit(ex: &Extractor, text: &str, hit: &Hit, aliases: &[(String, OrgRef)]) -> OrgRef {
    if hit.concept == usize::MAX {
        let surface = super::dictionary::fold_same_len(&text[hit.span.clone()]);
        let found = aliases.iter().find(|(a, _)| super::dictionary::fold_same_len(a) == surface);
        if let Some((_, o)) = found {
            return o.clone();
        }
        return aliases
            .iter()
            .find(|(a, _)| surface.contains(&super::dictionary::fold_same_len(a)))
            .map_or_else(|| aliases[0].1.clone(), |(_, o)| o.clone());
    }
    vocabulary_org(&ex.ontology, hit.concept)
}

fn record_mentions(
    ex: &Extractor,
    text: &str,
    line: usize,
    hits: &[Hit],
    aliases: &[(String, OrgRef)],
    facts: &mut TalkFacts,
) {
    let mut wraps = Wraps::new(text);
    for h in hits {
        // Hits are found in the text with its addresses blanked; one that does not fall on the text's own
        // characters (inside a blanked address) names nothing.
        let Some(surface) = text.get(h.span.clone()) else { continue };
        let mention = Mention { line: line + wraps.count_to(h.span.start), surface: one_line(surface) };
        match h.kind {
            Kind::Technology => {
                let iri = ex.ontology.technologies[h.concept].iri.clone();
                facts.technologies.entry(iri).or_default().push(mention);
            }
            Kind::Organization => {
                let org = org_of_hit(ex, text, h, aliases);
                facts.organizations.entry(org).or_default().push(mention);
            }
        }
    }
}

/// A case line ("Кейс 1 … (Republic)", "Case: Acme") hands the story to the organization it names.
#[allow(clippy::too_many_arguments, reason = "one line's facts, each argument a different one")]
fn update_org_context(
    ex: &Extractor,
    ctx: &mut Context,
    text: &str,
    toks: &[super::phrases::Token],
    kind: LineKind,
    hits: &[Hit],
    aliases: &[(String, OrgRef)],
    speaker_org: Option<&OrgRef>,
) {
    let is_case = ex.case_markers.match_at(toks, 0).is_some();
    if is_case {
        let named = hits
            .iter()
            .filter(|h| h.kind == Kind::Organization)
            .map(|h| org_of_hit(ex, text, h, aliases))
            .find(|o| Some(o) != speaker_org);
        ctx.org = named.or_else(|| speaker_org.cloned());
    } else if matches!(kind, LineKind::Heading { .. }) {
        ctx.org = speaker_org.cloned();
    }
}

/// A line that introduces a list ("Посмотрели:", "Stack:") hands its stance to the items below it.
fn update_inherited(
    ex: &Extractor,
    ctx: &mut Context,
    text: &str,
    toks: &[super::phrases::Token],
    kind: LineKind,
    no_techs: bool,
) {
    let depth = match kind {
        LineKind::ListItem { depth } => Some(depth),
        _ => None,
    };
    let covered = match (ctx.inherited, depth) {
        (Some((_, None)), Some(_)) => true,
        (Some((_, Some(parent))), Some(d)) => d > parent,
        _ => false,
    };
    if !covered {
        ctx.inherited = None;
    }
    let leading = || match ex.cues.leading_stance(toks) {
        Some(CueKind::Stance(s)) => Some(s),
        Some(CueKind::Migration) => Some(Stance::Adopted),
        _ => None,
    };
    if let LineKind::Heading { .. } = kind {
        ctx.section = if no_techs { leading() } else { None };
    }
    let introduces = text.trim_end().ends_with(':') || text.trim_end().ends_with('?');
    if introduces && no_techs {
        ctx.inherited = leading().map(|s| (s, depth));
    }
}

/// The stances one line states for the organization of the context.
#[allow(clippy::too_many_arguments, reason = "one line's facts, each argument a different one")]
fn line_stances(
    ex: &Extractor,
    text: &str,
    toks: &[super::phrases::Token],
    line: usize,
    techs: &[(Range<usize>, String)],
    org: &OrgRef,
    ctx: &Context,
    found: &mut Vec<StanceFact>,
) {
    let mut last_named: Vec<String> = Vec::new();
    let mut wraps = Wraps::new(text);
    // A sentence's share of the line's technologies, tokens and companies is found by binary search: the
    // cost is linear in the line however many sentences and names it holds.
    let tech_spans = SpanSet::new(techs.iter().map(|(s, _)| s.clone()));
    let named_spans = SpanSet::new(ctx.named.iter().map(|(s, _)| s.clone()));
    for sentence in sentences(text) {
        let within = |r: &Range<usize>| sentence.start <= r.start && r.end <= sentence.end;
        let inside: Vec<&(Range<usize>, String)> = tech_spans.within(&sentence).map(|i| &techs[i]).collect();
        let local: Vec<Range<usize>> =
            inside.iter().map(|(s, _)| s.start - sentence.start..s.end - sentence.start).collect();
        // A line the editor wrapped holds more than one line of the file: the sentence is on the line it
        // starts on, and its evidence reads as one line.
        let sentence_line = line + wraps.count_to(sentence.start);
        let evidence: std::sync::Arc<str> = one_line(&text[sentence.clone()]).into();
        if ex.author_voice.speaks_in(&evidence) {
            last_named = inside.iter().map(|(_, iri)| iri.clone()).collect();
            continue;
        }
        let from = toks.partition_point(|t| t.span.start < sentence.start);
        let to = toks.partition_point(|t| t.span.start < sentence.end);
        let sentence_toks: Vec<super::phrases::Token> = toks[from..to]
            .iter()
            .filter(|t| within(&t.span))
            .map(|t| super::phrases::Token {
                span: t.span.start - sentence.start..t.span.end - sentence.start,
                stem: t.stem.clone(),
                word: t.word.clone(),
                chars: t.chars,
            })
            .collect();
        let result = ex.cues.analyse_tokens(&text[sentence.clone()], &sentence_toks, &local);
        let push_for =
            |organization: &OrgRef, iri: &String, stance: Stance, explicit: bool, found: &mut Vec<StanceFact>| {
                found.push(StanceFact {
                    organization: organization.clone(),
                    technology: iri.clone(),
                    stance,
                    evidence: vec![Evidence { line: sentence_line, text: evidence.clone() }],
                    explicit,
                });
            };
        // A sentence that places its story at one other company tells that company's story ("Canopy at
        // facebook", "invented at yahoo"); a company named as a tool's maker ("the Altinity operator") does not.
        let placed_at = |o: &Range<usize>| {
            let before = toks.partition_point(|t| t.span.end <= o.start).checked_sub(1);
            before.is_some_and(|i| toks[i].span.start >= sentence.start && ex.speakers.is_affiliation(toks, i))
        };
        let in_sentence: Vec<&(Range<usize>, OrgRef)> = named_spans.within(&sentence).map(|i| &ctx.named[i]).collect();
        let mut others: Vec<&OrgRef> =
            in_sentence.iter().filter(|(o, r)| r != org && placed_at(o)).map(|(_, r)| r).collect();
        others.dedup();
        let teller = if others.len() == 1 { others[0] } else { org };
        let push = |iri: &String, stance: Stance, explicit: bool, found: &mut Vec<StanceFact>| {
            push_for(teller, iri, stance, explicit, found)
        };
        // The companies the sentence names before any technology, its subjects, take a cued stance too.
        let first_tech = inside.first().map_or(sentence.end, |(t, _)| t.start);
        let subjects: Vec<&OrgRef> =
            in_sentence.iter().filter(|(o, r)| o.end <= first_tech && r != teller).map(|(_, r)| r).collect();
        for (((span, iri), assigned), example) in inside.iter().zip(&result.assigned).zip(&result.example) {
            // A maker's product of its own name ("Sphinx 3.0" by Sphinx, "Netflix OSS" at Netflix) is its
            // work, not its stance; the other companies the sentence names still take theirs.
            let made_by_teller = names_org(ex, &text[span.clone()], teller);
            if made_by_teller && (subjects.is_empty() || assigned.is_none()) {
                continue;
            }
            match (assigned, ctx.inherited) {
                (Some(s), _) => {
                    if !made_by_teller {
                        push(iri, *s, true, found);
                    }
                    for subject in &subjects {
                        push_for(subject, iri, *s, true, found);
                    }
                }
                // An example ("similar to Klaw") takes no stance, handed down or default.
                (None, _) if *example => {}
                (None, Some((s, _))) => push(iri, s, true, found),
                (None, None) => match ctx.section {
                    Some(s) => push(iri, s, true, found),
                    None => push(iri, Stance::Uses, false, found),
                },
            }
        }
        if inside.is_empty() {
            if let Some(s) = result.unattached {
                last_named.iter().for_each(|iri| push(iri, s, true, found));
            }
        } else {
            last_named = inside.iter().map(|(_, iri)| iri.clone()).collect();
        }
    }
}

/// True when a technology's name as written opens with the organization's name ("Netflix OSS" at Netflix,
/// "Confluent" at Confluent, Inc.): the maker's product, or the company itself where a product shares its
/// name.
fn names_org(ex: &Extractor, surface: &str, org: &OrgRef) -> bool {
    let words: Vec<&str> = surface.split_whitespace().collect();
    (1..=words.len().min(3))
        .any(|n| ex.organizations.resolve(&words[..n].join(" "), &ex.ontology, &ex.dictionary).iri == org.iri)
}

/// The line breaks of a line the editor wrapped, counted up to offsets that only move forward (sorted
/// hits, sentences in order): linear in the line.
struct Wraps<'t> {
    text: &'t str,
    at: usize,
    breaks: usize,
}

impl<'t> Wraps<'t> {
    fn new(text: &'t str) -> Self {
        Wraps { text, at: 0, breaks: 0 }
    }

    /// The number of line breaks before `offset`.
    fn count_to(&mut self, offset: usize) -> usize {
        if offset < self.at {
            self.at = 0;
            self.breaks = 0;
        }
        let offset = offset.min(self.text.len());
        self.breaks += self.text.as_bytes()[self.at..offset].iter().filter(|&&b| b == b'\n').count();
        self.at = offset;
        self.breaks
    }
}

/// The text with each line break and the blanks and quote markers around it as one space (a wrapped
/// sentence as one line).
fn one_line(text: &str) -> String {
    if !text.contains('\n') {
        return text.to_string();
    }
    let mut parts = text.split('\n');
    let first = parts.next().unwrap_or("").trim_end();
    let rest = parts.map(|p| p.trim().trim_start_matches('>').trim()).filter(|p| !p.is_empty());
    std::iter::once(first).chain(rest).collect::<Vec<_>>().join(" ")
}

/// True for a word like "github.com/stevesloka": a lower-case host name (dotted labels, the last of two
/// to six letters) followed by a path; "Node.js/Go" is not one.
fn is_bare_address(word: &str) -> bool {
    let word = word.trim_start_matches(['(', '[', '<']);
    let Some((host, _)) = word.split_once('/') else { return false };
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        && (2..=6).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_lowercase())
}

/// A lexicon's pronouns (the author's "I", the company's "we"), compiled: those written with a lower-case
/// letter match in any case, the others ("I") only as written, so "i.e." does not count.
pub struct Voice {
    exact: rustc_hash::FxHashSet<String>,
    folded: rustc_hash::FxHashSet<String>,
}

impl Voice {
    /// Compiles a lexicon's pronouns.
    pub fn new(pronouns: &[String]) -> Voice {
        let (folded, exact): (Vec<&String>, Vec<&String>) =
            pronouns.iter().partition(|p| p.chars().any(char::is_lowercase));
        Voice {
            exact: exact.into_iter().cloned().collect(),
            folded: folded.into_iter().map(|p| crate::text::normalize(p)).collect(),
        }
    }

    /// True when the sentence has one of the words ("I learned", "help me try Flink").
    fn speaks_in(&self, sentence: &str) -> bool {
        crate::text::words(sentence).iter().any(|w| {
            let word = &sentence[w.span.clone()];
            self.exact.contains(word) || self.folded.contains(&crate::text::normalize(word))
        })
    }
}

/// How firmly a stance replaces an earlier one: a later stance wins unless it is weaker ("looked at
/// X" after "chose X" keeps `adopted`; "dropped X" after "chose X" gives `rejected`).
fn rank(stance: Stance) -> u8 {
    match stance {
        Stance::Evaluated | Stance::Considering => 1,
        Stance::Uses => 2,
        Stance::Adopted => 3,
        Stance::MigratedFrom | Stance::Rejected => 4,
    }
}

/// One stance per (organization, technology): the story's last explicit stance that no weaker one
/// replaced, else the default `uses`; every sentence stating that same stance is its evidence.
fn resolve(found: Vec<StanceFact>) -> Vec<StanceFact> {
    let mut groups: BTreeMap<(String, String), Vec<StanceFact>> = BTreeMap::new();
    for f in found {
        groups.entry((f.organization.iri.clone(), f.technology.clone())).or_default().push(f);
    }
    let mut out: Vec<StanceFact> = groups.into_values().filter_map(final_stance).collect();
    out.sort_by_key(|f| f.evidence.first().map(|e| e.line));
    out
}

fn final_stance(facts: Vec<StanceFact>) -> Option<StanceFact> {
    let explicit: Vec<&StanceFact> = facts.iter().filter(|f| f.explicit).collect();
    let chosen = explicit
        .iter()
        .copied()
        .reduce(|kept, next| if rank(next.stance) >= rank(kept.stance) { next } else { kept })
        .or(facts.first())?
        .clone();
    let mut evidence: Vec<Evidence> = facts
        .iter()
        .filter(|f| f.explicit == chosen.explicit && f.stance == chosen.stance)
        .flat_map(|f| f.evidence.iter().cloned())
        .collect();
    evidence.sort();
    evidence.dedup();
    // A default `uses` rests on a plain mention: its first line is evidence enough.
    if !chosen.explicit {
        evidence.truncate(1);
    }
    Some(StanceFact { evidence, ..chosen })
}

/// Sentence ranges of a line: cut after `.`, `!`, `?` followed by a space, blanks trimmed.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let ends = matches!(c, '.' | '!' | '?') && bytes.get(i + 1).is_some_and(|b| *b == b' ');
        if ends {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out.push(start..text.len());
    out.into_iter()
        .filter_map(|r| {
            let s = &text[r.clone()];
            let lead = s.len() - s.trim_start().len();
            let t = s.trim();
            (!t.is_empty()).then(|| r.start + lead..r.start + lead + t.len())
        })
        .collect()
}

/// The text with URLs blanked out (same length), so link targets are not read as names.
fn mask_urls(text: &str) -> String {
    let mut out = text.to_string();
    for scheme in ["https://", "http://", "www."] {
        let mut from = 0;
        while let Some(at) = out[from..].find(scheme).map(|i| from + i) {
            let end = out[at..]
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>'))
                .map_or(out.len(), |i| at + i);
            out.replace_range(at..end, &" ".repeat(end - at));
            from = end;
        }
    }
    // An address written without its scheme ("github.com/stevesloka", "docs.confluent.io/kafka").
    let mut at = 0;
    while at < out.len() {
        let end = out[at..].find(char::is_whitespace).map_or(out.len(), |i| at + i);
        if is_bare_address(&out[at..end]) {
            out.replace_range(at..end, &" ".repeat(end - at));
        }
        at = out[end..].find(|c: char| !c.is_whitespace()).map_or(out.len(), |i| end + i);
    }
    // A link's target is an address, whatever its form ("](flink-1.jpg)", "](../kafka/)"); an image
    // ("![Flink](flink-1.jpg)") is a picture, its alt text unseen by a reader.
    let mut from = 0;
    while let Some(at) = out[from..].find("](").map(|i| from + i) {
        let Some(end) = out[at + 2..].find(')').map(|i| at + 2 + i) else { break };
        let start = match out[from..at].rfind("![").map(|i| from + i) {
            Some(open) if !out[open..at].contains(']') => open,
            _ => at + 2,
        };
        out.replace_range(start..end, &" ".repeat(end - start));
        from = end;
    }
    // Template tags of static-site generators ("{{< twitter user=… >}}", "{% include … %}") are markup.
    for (open, close) in [("{{", "}}"), ("{%", "%}")] {
        let mut from = 0;
        while let Some(at) = out[from..].find(open).map(|i| from + i) {
            let Some(end) = out[at + open.len()..].find(close).map(|i| at + open.len() + i + close.len()) else {
                break;
            };
            out.replace_range(at..end, &" ".repeat(end - at));
            from = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_programme_time_is_no_part_of_a_title() {
        assert_eq!(without_schedule_time("10:30 — Micro-frontends in practice"), "Micro-frontends in practice");
        assert_eq!(without_schedule_time("10:30–11:15 Testing that scales"), "Testing that scales");
        assert_eq!(without_schedule_time("18.00 | Открытие"), "Открытие");
        assert_eq!(without_schedule_time("9:05 - 9:30 — «Kafka в проде»"), "«Kafka в проде»");
        // Numbers that are no time stay: a version, a year, a lone time.
        assert_eq!(without_schedule_time("1.25 release notes"), "1.25 release notes");
        assert_eq!(without_schedule_time("2024.05 recap"), "2024.05 recap");
        assert_eq!(without_schedule_time("10:30"), "10:30");
    }

    #[test]
    fn the_quoted_words_of_the_opening_sentence_are_the_title() {
        let t = |l: &str| quoted_title(l);
        assert_eq!(
            t("Выступал Иван Петров из Сбера с докладом «Как мы строили платформу». Потом").as_deref(),
            Some("Как мы строили платформу")
        );
        assert_eq!(t("Jane Roe from Acme gave a talk “Search at scale”.").as_deref(), Some("Search at scale"));
        // A quote after the first sentence, a one-word or lower-case quote, is no title.
        assert_eq!(t("Jane Roe from Acme spoke. She said \"Kafka is hard\"."), None);
        assert_eq!(t("Jane Roe from Acme on \"observability\" today."), None);
    }

    #[test]
    fn sentences_are_trimmed_ranges() {
        let t = "Выбрали stolon. Схема на слайде.  Конфиг в etcd";
        let got: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, vec!["Выбрали stolon.", "Схема на слайде.", "Конфиг в etcd"]);
    }

    #[test]
    fn versions_do_not_split_sentences() {
        let t = "pgsql 9.x, 1.5 месяца";
        assert_eq!(sentences(t).len(), 1);
    }

    fn talks(text: &str) -> Vec<TalkFacts> {
        let ex = Extractor::new(crate::ontology::Ontology::builtin().unwrap());
        let source = crate::document::SourceFile { path: "t.md".into(), text: text.into() };
        ex.extract(&crate::document::parse(source, &ex)).talks
    }

    #[test]
    fn a_maker_named_before_its_product_is_no_actor() {
        let found =
            talks("## Postgres operators\nJane Roe, SRE, Acme\n\nWe moved from Google's Bigtable to Cassandra.\n");
        let orgs: Vec<&str> = found[0].organizations.keys().map(|o| o.name.as_str()).collect();
        assert!(!orgs.contains(&"Google"), "{orgs:?}");
        assert!(found[0].stances.iter().all(|s| s.organization.name == "Acme"), "{:?}", found[0].stances);
    }

    #[test]
    fn a_heading_title_is_a_line_of_its_talk() {
        let found = talks("## Preemption in Nomad\nJane Roe, Staff Engineer, Acme\n- bin packing first\n");
        assert!(found[0].technologies.keys().any(|t| t.ends_with("/nomad")), "{:?}", found[0].technologies);
    }

    #[test]
    fn links_are_taken_out_of_a_head_line() {
        assert_eq!(
            without_links("**Tracing with Jaeger**: [[Slides]](https://x/y.pdf) [Video](v)"),
            "**Tracing with Jaeger**:    "
        );
        assert_eq!(without_links("[a] b [c](d) e"), "[a] b   e");
        assert_eq!(without_links("x ](](]( y"), "x ](](]( y");
    }

    #[test]
    fn a_headline_mention_is_a_topic_not_a_stance() {
        let found = talks(
            "## Preemption in Nomad
Jane Roe, Staff Engineer, Acme
- bin packing first
",
        );
        assert!(found[0].stances.is_empty(), "{:?}", found[0].stances);
        let found = talks(
            "## Why we moved to Nomad
Jane Roe, Staff Engineer, Acme
- bin packing first
",
        );
        assert_eq!(found[0].stances.len(), 1);
        assert_eq!(found[0].stances[0].stance, crate::ontology::Stance::Adopted);
    }

    #[test]
    fn a_cued_title_alone_is_a_topic_unless_the_body_or_the_company_voice_backs_it() {
        let programme = "# Meetup\n\n- **Rolling out Consul on Nomad**: [[Slides]](https://example.org/a.pdf)\n  \
                         - Ana Lima, SRE, Fabrikam\n- **Adopting Kafka, one team at a time**:\n  - Bo Chen, Engineer, Contoso\n";
        let found = talks(programme);
        assert_eq!(found.len(), 2);
        assert!(
            found.iter().all(|t| t.stances.is_empty()),
            "{:?}",
            found.iter().map(|t| &t.stances).collect::<Vec<_>>()
        );
        let backed =
            talks("## Adopting Kafka at Contoso\nBo Chen, Engineer, Contoso\n- three clusters of Kafka by now\n");
        assert_eq!(backed[0].stances.len(), 1);
        assert_eq!(backed[0].stances[0].stance, crate::ontology::Stance::Adopted);
        let moved = talks("## Migrating from Nagios to Prometheus\nBo Chen, Engineer, Contoso\n- alerts first\n");
        let kinds: Vec<_> = moved[0].stances.iter().map(|f| f.stance).collect();
        assert!(
            kinds.contains(&crate::ontology::Stance::MigratedFrom) && kinds.contains(&crate::ontology::Stance::Adopted),
            "{kinds:?}"
        );
    }

    #[test]
    fn a_cued_section_heading_hands_its_stance_to_the_plain_mentions_below_it_up_to_the_next_heading() {
        let text = "# Meetup notes\n\n## From cron jobs to workflows\nMaria Silva, Engineer, Contoso\n\n\
                    ### What we chose\n- Airflow for the pipelines\n- Redis as the queue\n\n\
                    ### Lessons\n- Kafka is everywhere\n\n## Search at Fabrikam\nBo Chen, SRE, Fabrikam\n\n\
                    - Elasticsearch in production\n";
        let found = talks(text);
        let stance = |tech: &str| {
            found[0].stances.iter().filter(|f| f.technology.ends_with(tech)).map(|f| f.stance).collect::<Vec<_>>()
        };
        assert_eq!(stance("-airflow"), [crate::ontology::Stance::Adopted], "{:?}", found[0].stances);
        assert_eq!(stance("/redis"), [crate::ontology::Stance::Adopted], "{:?}", found[0].stances);
        assert_eq!(stance("-kafka"), [crate::ontology::Stance::Uses], "the next heading ends the section");
        let titled = talks("## Adopting Kafka at Contoso\nBo Chen, Engineer, Contoso\n- Redis for caching\n");
        let kinds: Vec<_> =
            titled[0].stances.iter().filter(|f| f.technology.ends_with("/redis")).map(|f| f.stance).collect();
        assert_eq!(kinds, [crate::ontology::Stance::Uses], "the talk's own title is no section heading");
    }

    #[test]
    fn names_then_a_dash_and_an_unknown_name_are_speakers_and_a_title() {
        let text = "# Conf\n\n* [Барух Садогурский и Тагир Валеев — Java Puzzlers NG S04](https://youtu.be/a) - хорошо\n\
                    * [Иван Петров — Kafka в проде](https://youtu.be/b) - ок\n";
        let found = talks(text);
        assert_eq!(found[0].title.as_deref(), Some("Java Puzzlers NG S04"));
        assert_eq!(found[0].speakers.len(), 2);
        assert!(found[0].speakers.iter().all(|s| s.organization.is_none()));
    }

    #[test]
    fn academic_titles_are_roles() {
        let found = talks("## Benjamin Reed, Assistant Professor, San Jose State University\nlessons on scale\n");
        let s = &found[0].speakers;
        assert_eq!((s.len(), s[0].role.as_deref()), (1, Some("Assistant Professor")));
    }

    #[test]
    fn a_client_named_line_after_line_tells_the_story() {
        let text = "* About me\n  * Laura nair - consultant - Thoughtworks\n* NHG - Northern Health Group\n\
                    * 400 services in nhg\n* nhg runs PostgreSQL\n* at nhg: Terraform for everything\n";
        let found = talks(text);
        assert_eq!(found[0].speakers[0].name, "Laura nair");
        let orgs: Vec<&str> = found[0].stances.iter().map(|s| s.organization.name.as_str()).collect();
        assert!(!orgs.is_empty() && orgs.iter().all(|o| *o == "NHG"), "{orgs:?}");
    }

    #[test]
    fn template_tags_are_masked_keeping_length() {
        let t = "see {{< twitter user=\"x\" >}} and {% include k.html %} here";
        let m = mask_urls(t);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("twitter") && !m.contains("include") && m.contains("here"));
    }

    #[test]
    fn link_targets_and_images_are_masked_keeping_length() {
        let t = "![Flink](flink-1.jpg) see [the Kafka docs](../kafka/) — ok";
        let m = mask_urls(t);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("Flink") && !m.contains("flink") && !m.contains("../kafka"), "{m}");
        assert!(m.contains("[the Kafka docs]") && m.contains("— ok"), "{m}");
    }

    #[test]
    fn an_in_house_system_defined_in_the_notes_is_a_technology_the_company_uses() {
        let found =
            talks("## Storage at Acme\nJane Roe, Staff Engineer, Acme\n- Zorbax - key value store for metadata\n");
        assert!(found[0].technologies.keys().any(|t| t.ends_with("/zorbax")), "{:?}", found[0].technologies);
        let s = &found[0].stances;
        assert!(s.len() == 1 && s[0].technology.ends_with("/zorbax") && s[0].organization.name == "Acme", "{s:?}");
    }

    #[test]
    fn a_file_without_a_head_names_its_speaker_in_prose() {
        let found = talks("Нина Пакшина рассказала про HTTP/3 и асинхронные коммуникации.\n\nGo везде.\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].speakers[0].name, "Нина Пакшина");
    }

    #[test]
    fn a_one_talk_file_names_its_speakers_in_its_front_matter_summary() {
        let text = "---\ntitle: \"Движение вперёд\"\nexcerpt: \"Нина Пакшина и Александр Ковалёв рассказывают про HTTP/3.\"\n---\n\nБыло интересно.\n";
        let found = talks(text);
        let names: Vec<&str> = found[0].speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Нина Пакшина", "Александр Ковалёв"]);
    }

    #[test]
    fn the_author_speaks_in_the_first_person_singular_only() {
        let voice = Voice::new(&["I", "me", "хочу", "моё"].map(String::from));
        assert!(voice.speaks_in("I learned a lot") && voice.speaks_in("it will help ME try Flink"));
        assert!(voice.speaks_in("Хочу попробовать Redpanda") && voice.speaks_in("моё мнение"));
        assert!(!voice.speaks_in("i.e. they run Kafka") && !voice.speaks_in("we chose Kafka"));
    }

    #[test]
    fn the_note_takers_own_sentences_give_no_stance() {
        let found = talks(
            "## Streams at Acme
Jane Roe, Staff Engineer, Acme
- I want to try Pulsar at home
- Acme runs on Kafka
",
        );
        let techs: Vec<&str> = found[0].stances.iter().map(|s| s.technology.as_str()).collect();
        assert!(techs.len() == 1 && techs[0].ends_with("/apache-kafka"), "{techs:?}");
    }

    /// (organization name, stance, technology IRI's last segment) of each stance of a talk.
    fn stance_rows(talk: &TalkFacts) -> Vec<(String, Stance, String)> {
        let last = |iri: &str| iri.rsplit('/').next().unwrap_or("").to_string();
        talk.stances.iter().map(|s| (s.organization.name.clone(), s.stance, last(&s.technology))).collect()
    }

    #[test]
    fn a_company_the_note_taker_names_in_passing_tells_no_story() {
        let passing = "## Durable execution by Jane Roe\n\nJane showed how Restate sits in front of Kafka.\n\n\
                       I mostly follow this space via Twitter.\n";
        assert!(talks(passing)[0].stances.iter().all(|s| s.organization.name != "X Corp."), "{:?}", talks(passing));
        // Named in the talk's own sentences, the one company the talk names is its teller.
        let told = "## Durable execution by Jane Roe\n\nTwitter put Restate in front of Kafka.\n";
        assert!(talks(told)[0].stances.iter().any(|s| s.organization.name == "X Corp."));
    }

    #[test]
    fn a_makers_product_of_its_own_name_is_not_its_stance() {
        let found =
            talks("## Microservices\nИван Петров, Tinkoff\n- Сервисы на Netflix OSS, как у гейтвея в Netflix\n");
        assert!(
            stance_rows(&found[0]).iter().all(|(org, _, tech)| !(org == "Netflix" && tech == "netflix-oss")),
            "{:?}",
            stance_rows(&found[0])
        );
    }

    #[test]
    fn a_company_announcing_a_list_adopts_its_items_but_not_its_comparisons() {
        let found = talks(
            "## Keynote by Snyk\n\nSnyk announced a lot this year:\n\n- scanning of Terraform plans\n\
             - Helm chart checks, similar to Pulumi policies\n",
        );
        let rows = stance_rows(&found[0]);
        let of = |tech: &str| rows.iter().find(|(_, _, t)| t == tech).map(|(_, s, _)| *s);
        assert_eq!(
            (of("terraform"), of("helm"), of("pulumi")),
            (Some(Stance::Adopted), Some(Stance::Adopted), None),
            "{rows:?}"
        );
    }

    #[test]
    fn a_sentence_wrapped_over_two_lines_is_read_whole_on_the_line_it_starts() {
        let found = talks(
            "## Ledgers at scale\nPriya Raman, Staff Engineer, Delivery Hero\n\n\
             The first part was history. Then Delivery Hero migrated the ledger away from\n\
             Cassandra to CockroachDB, and it has run there for a year.\n",
        );
        let stances: Vec<(Stance, usize, &str)> = found[0]
            .stances
            .iter()
            .map(|s| (s.stance, s.evidence[0].line, s.technology.rsplit('/').next().unwrap_or("")))
            .collect();
        assert!(stances.contains(&(Stance::MigratedFrom, 4, "cassandra")), "{stances:?}");
        assert!(stances.contains(&(Stance::Adopted, 4, "cockroachdb")), "{stances:?}");
        let evidence = &found[0].stances[0].evidence[0].text;
        assert!(evidence.starts_with("Then Delivery Hero") && !evidence.contains('\n'), "{evidence}");
        let mentions = &found[0].technologies.iter().find(|(iri, _)| iri.ends_with("/cockroachdb")).unwrap().1;
        assert_eq!(mentions[0].line, 5);
    }

    #[test]
    fn records_of_labelled_fields_are_talks_with_title_company_and_role() {
        let found = talks(
            "---\ntitle: Заметки\n---\n\nSpeaker: Ирина Волкова\nCompany: Lamoda\nPosition: техлид\n\
             Topic: Как мы ушли с MongoDB\n\nLamoda перешли с MongoDB на PostgreSQL.\n\n---\n\n\
             **Докладчик:** Олег Карпов\n**Компания:** Ozon\n**Тема:** Очереди без боли\n\n\
             В Ozon выбрали Kafka.\n",
        );
        type Head<'a> = (Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>);
        let heads: Vec<Head> = found
            .iter()
            .map(|t| {
                let s = &t.speakers[0];
                (
                    t.title.as_deref(),
                    s.name.as_str(),
                    s.organization.as_ref().map(|o| o.name.as_str()),
                    s.role.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            heads,
            vec![
                (Some("Как мы ушли с MongoDB"), "Ирина Волкова", Some("Lamoda"), Some("техлид")),
                (Some("Очереди без боли"), "Олег Карпов", Some("Ozon"), None),
            ]
        );
        let rows = stance_rows(&found[0]);
        assert!(rows.contains(&("Lamoda".into(), Stance::MigratedFrom, "mongodb".into())), "{rows:?}");
    }

    #[test]
    fn urls_are_masked_keeping_length() {
        let t = "see https://github.com/x/k8s-arch.png now";
        let m = mask_urls(t);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("k8s"));
        assert!(m.ends_with(" now"));
        let t = "slides: github.com/stevesloka/kafka-talk (Node.js/Go) and v1.2/3";
        let m = mask_urls(t);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("github") && !m.contains("kafka") && m.contains("(Node.js/Go) and v1.2/3"), "{m}");
    }
}
