//! Speaker lines: "Name, Role, Company", "Name, Company", "Name1, Name2, Role1, Role2, Company",
//! "Speaker: Name (Company)", "Спикер: Имя (Компания)", "*by Name*, [Company](url)", "Name, role Company".
//!
//! A line is cut at commas; the leading parts that look like personal names are the speakers, the last
//! remaining part is the organization (or a role, when all its words are job-title words, or a role
//! followed by the organization: "технический директор S7"), and the parts in between are roles, one per
//! speaker when the counts agree.

use super::names::Names;
use super::phrases::PhraseSet;
pub use crate::document::SpeakerLine;
use crate::ontology::Lexicon;
use crate::text;

/// The word lists speaker-line parsing needs, compiled once.
pub struct SpeakerRules {
    markers: PhraseSet<()>,
    roles: PhraseSet<()>,
    particles: PhraseSet<()>,
    talk_verbs: PhraseSet<()>,
    /// "доклад", "выступление": nouns followed by whose talk it was, in the genitive.
    talk_nouns: PhraseSet<()>,
    affiliations: PhraseSet<()>,
    affiliation_nouns: PhraseSet<()>,
    /// "он", "she", normalised, matched as written.
    pronouns: Vec<String>,
    names: Names,
    /// " и ", " and ", " & ": joiners of two names, spaced for matching.
    conjunctions: Vec<String>,
    /// " by ", " от ": after these a head names its speakers.
    title_markers: Vec<String>,
    /// "and", "по": words inside a job title, never one by themselves.
    role_joiners: Vec<String>,
    /// "of", "de": words inside a company's name.
    organization_joiners: Vec<String>,
    /// " with ": joins a speaker to a title.
    joiners: Vec<String>,
    /// "a ", "the ": dropped before a job title.
    articles: Vec<String>,
}

impl SpeakerRules {
    /// Compiles the lexicon's speaker markers, job-title words and name particles.
    pub fn new(lexicon: &Lexicon) -> SpeakerRules {
        let set = |words: &[String]| PhraseSet::new(words.iter().map(|w| (w.clone(), ())));
        SpeakerRules {
            markers: set(&lexicon.speaker_markers),
            roles: set(&[&lexicon.role_words[..], &lexicon.role_joiners[..]].concat()),
            role_joiners: lexicon.role_joiners.iter().map(|w| crate::text::normalize(w)).collect(),
            organization_joiners: lexicon.organization_joiners.clone(),
            particles: set(&lexicon.name_particles),
            talk_verbs: set(&lexicon.talk_verbs),
            talk_nouns: set(&lexicon.talk_nouns),
            affiliations: set(&lexicon.affiliation_markers),
            affiliation_nouns: set(&lexicon.affiliation_nouns),
            pronouns: lexicon.speaker_pronouns.iter().map(|p| crate::text::normalize(p)).collect(),
            names: Names::new(lexicon),
            conjunctions: spaced(&lexicon.name_conjunctions),
            title_markers: spaced(&lexicon.title_speaker_markers),
            joiners: spaced(&lexicon.title_speaker_joiners),
            articles: lexicon.articles.iter().map(|a| format!("{a} ")).collect(),
        }
    }

    /// The speaker a prose line introduces: "Иван Петров из Тинькофф рассказал о …",
    /// "Jane Doe from Shopify talked about …", "Next, Raj Patel (Stripe) presented …".
    pub fn parse_prose(&self, line: &str) -> Option<SpeakerLine> {
        // The talk verb comes early: read only the start of long lines.
        let head = match line.char_indices().nth(240) {
            Some((at, _)) => &line[..at],
            None => line,
        };
        let line = clean_markup(head);
        let toks = super::phrases::tokens(&line, 0);
        let early = 0..toks.len().min(16);
        let by_verb = early
            .clone()
            .filter_map(|i| self.talk_verbs.match_at(&toks, i).map(|(len, _)| (i, len)))
            .find_map(|(verb, len)| self.prose_at(&line, &toks, verb, len));
        // "Следующим был доклад Ольги Смирновой из Яндекса": the name right after a talk noun.
        by_verb
            .or_else(|| {
                early
                    .clone()
                    .filter_map(|i| self.talk_nouns.match_at(&toks, i).map(|(len, _)| toks[i + len - 1].span.end))
                    .find_map(|end| self.speaker_after(&line[end..]))
            })
            .or_else(|| self.before_quoted_title(&line, &toks[early]))
    }

    /// The speaker a sentence names, with a company or job title, before a quoted title and with no talk
    /// verb: "Next: Marco Bianchi (Engineering Manager, Bending Spoons) — “Cutting our bill”",
    /// "(Lena Kovacs, Principal Engineer at Spotify) on “Backstage”", "Yuki Tanaka from Mercari, «…»".
    /// The name is a person's by the name data; it runs to the parenthesis that closes around or after
    /// it, else to the quote.
    fn before_quoted_title(&self, line: &str, toks: &[super::phrases::Token]) -> Option<SpeakerLine> {
        let (quote, mark) = line.char_indices().find(|(_, c)| matches!(c, '"' | '“' | '«'))?;
        let closed = line[quote + mark.len_utf8()..].contains(['"', '”', '»']);
        let start = toks.iter().take_while(|t| t.span.end <= quote).find_map(|t| {
            let word = &line[t.span.clone()];
            (word.starts_with(char::is_uppercase) && self.names.is_first_name(word)).then_some(t.span.start)
        })?;
        let head = &line[start..quote];
        let end = match head.find(')') {
            Some(close) if !head[..close].contains('(') => close,
            Some(close) => close + 1,
            None => head.len(),
        };
        let extent = head[..end].trim().trim_end_matches([',', '—', '–', '-', ':']).trim();
        let found = self.parse(extent).filter(|s| s.len() == 1)?.pop()?;
        let described = found.organization.is_some() || found.role.is_some();
        (closed && described && self.is_person(&found.name)).then_some(found)
    }

    /// A speaker's name as a reader writes it: a Russian name in another case ("Ивана Иванова", after
    /// "доклад") in the nominative; any other name as written.
    pub fn nominative(&self, name: String) -> String {
        self.names.nominative(&name).unwrap_or(name)
    }

    /// The speaker around the talk verb at token `verb` (of `len` tokens).
    fn prose_at(&self, line: &str, toks: &[super::phrases::Token], verb: usize, len: usize) -> Option<SpeakerLine> {
        let before = line[..toks[verb].span.start].trim_end().trim_end_matches(',').trim_end();
        // "Jane Roe from Acme builds compilers. She talked about …": the pronoun is the opening person.
        if let Some(cut) = before.rfind(['.', '!', '?']).map(|i| i + 1)
            && self.pronouns.contains(&crate::text::normalize(before[cut..].trim()))
        {
            return self.opening_person(&before[..cut]);
        }
        if let Some(open) = before.rfind('(').filter(|_| before.ends_with(')')) {
            let org = before[open + 1..before.len() - 1].trim();
            let (name, role) = self.name_and_role(&before[..open])?;
            return Some(SpeakerLine { name, role, organization: Some(org.to_string()).filter(|o| !o.is_empty()) });
        }
        let marker = (1..verb).rev().find(|&i| self.affiliations.match_at(toks, i).is_some_and(|(n, _)| i + n < verb));
        if let Some(m) = marker
            && let Some((name, role)) = self.name_and_role(&line[..toks[m].span.start])
        {
            let first = self.organization_start(line, toks, m, verb);
            let org = line[toks[first].span.start..toks[verb - 1].span.end].trim().trim_end_matches(',').trim();
            let capitalised = org.chars().next().is_some_and(|c| c.is_uppercase() || c == '«' || c == '"');
            return capitalised.then(|| SpeakerLine { name, role, organization: Some(org.to_string()) });
        }
        match self.name_and_role(before) {
            Some((name, role)) => Some(SpeakerLine { name, role, organization: None }),
            None => self.speaker_after(&line[toks[verb + len - 1].span.end..]),
        }
    }

    /// Where the organization after the affiliation marker at token `marker` starts (before `end`): past
    /// the marker and any kind of organization ("из компании Picodata", "from the startup Acme"), never
    /// past the last token before `end` (which must be after the marker).
    fn organization_start(&self, text: &str, toks: &[super::phrases::Token], marker: usize, end: usize) -> usize {
        let mut first = marker + self.affiliations.match_at(toks, marker).map_or(1, |(n, _)| n);
        // A kind written as part of the name ("Bank of America") is the name; "the startup Acme" is not.
        let capitalised = |t: &super::phrases::Token| text[t.span.clone()].starts_with(char::is_uppercase);
        while first + 1 < end
            && self.affiliation_nouns.match_at(toks, first).is_some_and(|(n, _)| n == 1)
            && (!capitalised(&toks[first]) || capitalised(&toks[first + 1]))
        {
            first += 1;
        }
        first.min(end - 1)
    }

    /// The person a paragraph opens with, from its first sentence ("Jane Roe from Acme builds compilers."):
    /// the name, and the organization as the capitalised words after the affiliation marker.
    fn opening_person(&self, text: &str) -> Option<SpeakerLine> {
        self.speaker_after(&clean_markup(text))
    }

    /// "выступал Дмитрий Соловьёв из ВКонтакте — про …", "was by Jane Roe, staff engineer at Bolt.":
    /// the speaker named right after the verb.
    fn speaker_after(&self, text: &str) -> Option<SpeakerLine> {
        let clause = first_clause(text);
        let words: Vec<&str> = clause.split_whitespace().collect();
        let n = [3, 2].into_iter().filter(|&n| n <= words.len()).find(|&n| {
            let name = words[..n].join(" ");
            self.is_name(name.trim_end_matches(',')) && (n == 2 || !words[n - 1].ends_with(','))
        })?;
        let name = words[..n].join(" ").trim_end_matches(',').to_string();
        let rest = words[n..].join(" ");
        let rest = rest.trim_start_matches(',').trim();
        if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.split(')').next()) {
            return Some(SpeakerLine { name, role: None, organization: Some(inner.trim().to_string()) });
        }
        let toks = super::phrases::tokens(rest, 0);
        let marker = (0..toks.len()).find(|&i| self.affiliations.match_at(&toks, i).is_some());
        let (role, organization) = match marker {
            Some(m) if m + 1 < toks.len() => {
                let first = self.organization_start(rest, &toks, m, toks.len());
                let org =
                    organization_words(rest[toks[first].span.start..].trim(), &self.organization_joiners).to_string();
                let role = rest[..toks[m].span.start].trim().trim_end_matches(',').trim();
                let role = self.without_article(role);
                (Some(role.to_string()).filter(|r| !r.is_empty()), Some(org))
            }
            _ => (None, None),
        };
        let organization = organization.filter(|o| !o.is_empty());
        Some(SpeakerLine { name, role, organization })
    }

    /// The speakers a prose line introduces: the one `parse_prose` finds and those joined to it before
    /// ("Нина Пакшина и Александр Ковалёв рассказывают …", "Jane Doe, Raj Patel and Li Wei from Acme
    /// presented …"), who share its company.
    pub fn parse_prose_all(&self, line: &str) -> Option<Vec<SpeakerLine>> {
        let last = self.parse_prose(line)?;
        let line = clean_markup(line);
        let mut before = line.find(&last.name).map_or("", |at| &line[..at]).trim_end();
        let mut all = vec![last.clone()];
        loop {
            let joined =
                self.conjunctions.iter().map(|c| c.trim_end()).chain([","]).find_map(|c| before.strip_suffix(c));
            let Some(rest) = joined else { break };
            let rest = rest.trim_end();
            let Some(name) = self.trailing_name(rest) else { break };
            before = rest[..rest.len() - name.len()].trim_end();
            all.insert(0, SpeakerLine { name, role: None, organization: last.organization.clone() });
        }
        Some(all)
    }

    /// "Анна Кузнецова, руководитель платформы" → the name, and the role when one follows it.
    fn name_and_role(&self, text: &str) -> Option<(String, Option<String>)> {
        let text = text.trim().trim_end_matches(',').trim();
        if let Some(name) = self.trailing_name(text) {
            return Some((name, None));
        }
        let (head, tail) = text.split_once(',')?;
        let name = self.trailing_name(head)?;
        let role = tail.trim().trim_end_matches(',').trim();
        let role = self.without_article(role);
        let is_role = super::phrases::tokens(role, 0).iter().any(|t| self.roles.is_whole(&role[t.span.clone()]));
        Some((name, Some(role.to_string()).filter(|r| is_role && !r.is_empty())))
    }

    /// The personal name that ends a text: two words ("Анна Кузнецова", not "Затем Анна Кузнецова"),
    /// three when a particle sits inside ("Alex von Rosen").
    fn trailing_name(&self, text: &str) -> Option<String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        [2, 3].into_iter().filter(|&n| n <= words.len()).find_map(|n| {
            let candidate = words[words.len() - n..].join(" ");
            let candidate = candidate.trim_matches(|c: char| !c.is_alphabetic()).to_string();
            self.is_name(&candidate).then_some(candidate)
        })
    }

    /// The speakers a line names, or None when it is not a speaker line.
    pub fn parse(&self, line: &str) -> Option<Vec<SpeakerLine>> {
        self.parse_marked(line, false)
    }

    /// The speakers of a line that follows a lone marker ("About me", "Speakers:"): the marker vouches
    /// for it, so a name needs only a known first name ("Steve sloka", written fast in lower case).
    pub fn parse_under_marker(&self, line: &str) -> Option<Vec<SpeakerLine>> {
        self.parse_marked(line, true)
    }

    fn parse_marked(&self, line: &str, under_marker: bool) -> Option<Vec<SpeakerLine>> {
        // Every name takes two capitalised words, or under a marker a capitalised first name: a line
        // without them names nobody, whatever its markup (which only ever removes capitals).
        if !has_word_capitals(line, if under_marker { 1 } else { 2 }) {
            return None;
        }
        let (marked, rest) = self.strip_marker(&clean_markup(line));
        let marked = marked || under_marker;
        if rest.chars().count() > 300 || rest.is_empty() {
            return None;
        }
        let toks = super::phrases::tokens(&rest, 0);
        if !marked && (0..toks.len()).any(|i| self.talk_verbs.match_at(&toks, i).is_some()) {
            return None;
        }
        if let Some(one) = self.name_from_org(&rest) {
            return (marked || self.is_person(&one.name)).then(|| vec![one]);
        }
        let parts = cut_at_prose(split_parts(&rest));
        let names = self.leading_names(&parts, under_marker);
        if names.is_empty() || (!marked && !self.plausible_unmarked(&parts, &names)) {
            return None;
        }
        let consumed = names.iter().map(|(_, from)| from + 1).max().unwrap_or(0);
        let (roles, organization) = self.roles_and_org(&parts[consumed..]);
        let speakers = assign(names.into_iter().map(|(n, _)| n).collect(), roles, organization);
        Some(speakers.into_iter().map(|s| self.role_in_parenthesis(s)).collect())
    }

    /// "Name (Role, Company)": a company that opens with a job title ("Engineering Manager, Bending
    /// Spoons") is that role and the company after it; "(Avito, Sphinx)" stays two companies.
    fn role_in_parenthesis(&self, s: SpeakerLine) -> SpeakerLine {
        let parts: Vec<String> = match (&s.role, &s.organization) {
            (None, Some(org)) if org.contains(", ") => org.split(", ").map(|p| p.trim().to_string()).collect(),
            _ => return s,
        };
        if !self.roles.covers(&parts[0]) {
            return s;
        }
        let (roles, organization) = self.roles_and_org(&parts);
        SpeakerLine { role: Some(roles.join(", ")).filter(|r| !r.is_empty()), organization, ..s }
    }

    /// True for a line that is only a speaker marker ("Speakers:", "Докладчики:") before a list of them.
    pub fn is_marker_only(&self, line: &str) -> bool {
        let t = clean_markup(line);
        let t = t.trim().trim_end_matches([':', '—', '-']).trim();
        self.markers.is_whole(t)
    }

    /// Removes a leading "Спикер:", "Speakers:", "by" and the like; says whether one was there.
    fn strip_marker(&self, line: &str) -> (bool, String) {
        let trimmed = line.trim().trim_start_matches(['+', '-', '*', '•']).trim();
        let cut = trimmed.find([':', '—', '–']).filter(|&i| i < 40);
        if let Some(i) = cut
            && self.markers.covers(&trimmed[..i])
        {
            let after = &trimmed[i..];
            let after = after[after.chars().next().map_or(0, char::len_utf8)..].trim();
            return (true, after.trim_start_matches(['+', '-']).trim().to_string());
        }
        let mut words = trimmed.splitn(2, char::is_whitespace);
        let first = words.next().unwrap_or("");
        match words.next() {
            Some(rest) if self.markers.is_whole(first) && first.chars().all(|c| c.is_lowercase()) => {
                (true, rest.trim().to_string())
            }
            _ => (false, trimmed.to_string()),
        }
    }

    /// The names at the start of the parts: (name, index of the part it came from).
    fn leading_names(&self, parts: &[String], loose: bool) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            // The last of several parts is the company ("Aisha Bello, Delivery Hero"), never a name.
            let joins = part.contains('(') || self.conjunctions.iter().any(|c| part.contains(c.as_str()));
            if i > 0 && i + 1 == parts.len() && !joins {
                break;
            }
            let pieces = self.split_conjunction(part);
            if pieces.iter().all(|p| self.is_name(p) || (loose && self.is_lower_surname_person(p))) {
                out.extend(pieces.into_iter().map(|p| (p, i)));
            } else if self.name_with_parenthesis(part).is_some() {
                out.push((part.clone(), i));
            } else {
                break;
            }
        }
        out
    }

    /// "Name (Company)" or "Name (@handle)": the name part.
    fn name_with_parenthesis(&self, part: &str) -> Option<(String, String)> {
        // The parenthesis closes the part: "Tom Becker (Delivery Hero) compared …" is a sentence.
        if !part.trim_end().ends_with(')') {
            return None;
        }
        let open = part.find('(')?;
        let name = part[..open].trim();
        let inner = part[open + 1..].trim_end_matches(')').trim();
        self.is_name(name).then(|| (name.to_string(), inner.to_string()))
    }

    /// A personal name: one to four capitalised words (particles like "von" allowed), no job-title word.
    pub fn is_name(&self, text: &str) -> bool {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() < 2 || words.len() > 4 {
            return false;
        }
        // A full stop closes an initial or a short form ("J.", "Jr."), not a word: "Everest. This" ends one
        // sentence and starts the next.
        if words[..words.len() - 1].iter().any(|w| w.ends_with('.') && w.chars().count() > 3) {
            return false;
        }
        let capitalised = words.iter().filter(|w| is_capitalised_word(w)).count();
        let all_fit = words.iter().all(|w| is_capitalised_word(w) || self.particles.is_whole(w));
        let has_role = words.iter().any(|w| self.roles.is_whole(w));
        all_fit && !has_role && capitalised >= 2
    }

    /// Without a marker, a lone line counts as a speaker line only if its shape is clear and one of its
    /// names is a person's by the name data.
    fn plausible_unmarked(&self, parts: &[String], names: &[(String, usize)]) -> bool {
        let two_word_name = parts.first().is_some_and(|p| p.split_whitespace().count() >= 2 || p.contains('('));
        let known = names.iter().any(|(n, _)| self.is_person(n.split('(').next().unwrap_or(n)));
        // Without a known first name, a job title beside the name is the evidence ("Kenji Sato, SRE, Acme").
        let consumed_parts = names.iter().map(|(_, from)| from + 1).max().unwrap_or(0);
        let has_role = parts[consumed_parts.min(parts.len())..]
            .iter()
            .any(|p| p.split_whitespace().any(|w| self.is_role_word(w)) && p.split_whitespace().count() <= 6);
        let known = known || has_role;
        let consumed = names.iter().map(|(_, from)| from + 1).max().unwrap_or(0);
        let rest_fits = parts[consumed.min(parts.len())..].iter().all(|p| self.is_role_or_org(p));
        known
            && two_word_name
            && rest_fits
            && parts.len() <= names.len() + 4
            && !parts.last().is_some_and(|p| p.ends_with('.') && p.len() > 40)
    }

    /// A word that makes a job title by itself ("engineer", "CTO", "директор"): a job-title word, not one
    /// of the short words that join them ("и", "of", "по").
    fn is_role_word(&self, word: &str) -> bool {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        let substantive = w.chars().count() >= 4 || (w.len() >= 2 && w.chars().all(|c| c.is_uppercase()));
        substantive && self.roles.is_whole(w) && !self.role_joiners.contains(&crate::text::normalize(w))
    }

    /// A part of a speaker line after the names: a job title (it has a job-title word) or a company name
    /// (a few words, capitalised), never a talk title or a sentence.
    fn is_role_or_org(&self, part: &str) -> bool {
        let words: Vec<&str> = part.split_whitespace().collect();
        let has_role = words.iter().any(|w| self.is_role_word(w));
        let domain = words.len() == 1 && part.contains('.') && !part.ends_with('.');
        let capital =
            |w: &&str| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '@' || c == '(');
        let capitals = words.iter().filter(|w| capital(w)).count();
        // A company's name is short, or most of its words are capitalised ("Рога и Копыта", not a title).
        let org_like =
            domain || (capitals > 0 && (words.len() <= 2 || (words.len() <= 4 && capitals * 2 >= words.len())));
        (has_role && words.len() <= 8) || org_like
    }

    /// True when token `i` is a one-word affiliation marker ("at", "из", "from").
    pub fn is_affiliation(&self, toks: &[super::phrases::Token], i: usize) -> bool {
        self.affiliations.match_at(toks, i).is_some_and(|(n, _)| n == 1)
    }

    /// "Steve sloka": a capitalised known first name and one more word in any case.
    fn is_lower_surname_person(&self, text: &str) -> bool {
        let words: Vec<&str> = text.split_whitespace().collect();
        words.len() == 2
            && is_capitalised_word(words[0])
            && self.names.is_first_name(words[0])
            && words[1].chars().count() >= 2
            && words[1].chars().all(char::is_alphabetic)
            && !self.roles.is_whole(words[1])
    }

    /// A personal name by shape whose words include a known first name ("Анной Ивановой", "Dmitry Vyukov").
    pub fn is_person(&self, text: &str) -> bool {
        let words: Vec<&str> = text.split_whitespace().collect();
        // "Турецкий Ант": a Russian surname beside a short or unknown first name.
        let surname = words.len() == 2 && words.iter().any(|w| self.names.is_russian_surname(w));
        self.is_name(text.trim()) && (surname || words.iter().any(|w| self.names.is_first_name(w)))
    }

    /// "Marta Paes from Materialize", "Иван Петров из Яндекса", "Jane Roe @ Acme": one speaker and the
    /// company after an affiliation word.
    fn name_from_org(&self, text: &str) -> Option<SpeakerLine> {
        let toks = super::phrases::tokens(text, 0);
        let m = (2..toks.len().min(5)).find(|&i| self.affiliations.match_at(&toks, i).is_some_and(|(n, _)| n == 1))?;
        let name = text[..toks[m].span.start].trim();
        let org = text[toks[m].span.end..].trim().trim_end_matches(['.', ',']).trim();
        // "Дина Сафина из Точки, бэкенд-разработчица": a job title after the company.
        let (org, role) = match org.split_once(", ") {
            Some((org, role)) if self.is_role_after_org(role) => (org.trim(), Some(role.trim().to_string())),
            _ => (org, None),
        };
        let capitalised = org.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        let short = org.split_whitespace().count() <= 4 && !org.contains([',', '(']);
        (self.is_name(name) && capitalised && short).then(|| SpeakerLine {
            name: name.to_string(),
            role,
            organization: Some(org.to_string()),
        })
    }

    /// A job title written after the company: role words, or a few lower-case words ("бэкенд-разработчица").
    fn is_role_after_org(&self, text: &str) -> bool {
        let text = text.trim();
        let lower = text.starts_with(char::is_lowercase) && text.split_whitespace().count() <= 3;
        !text.contains([',', '(']) && (self.roles.covers(text) || lower)
    }

    /// A unit's head that names both a title and its speakers, in either order and with any of the usual
    /// separators: "Title — Name (Company)", "Name (Company) - Title", "Title by Name from Company",
    /// "Title - Name. A comment …". Returns the title and the speakers. After "by"/"от" a name needs only
    /// its shape; elsewhere one of its words must be a known first name.
    pub fn split_title_speaker(&self, head: &str) -> Option<(String, Vec<SpeakerLine>)> {
        if !has_word_capitals(head, 2) {
            return None;
        }
        let text = clean_markup(head);
        let seps = self.separators(&text);
        let mut by_shape = None;
        for (k, &(sep_start, sep_end, by)) in std::iter::once(&(0, 0, false)).chain(&seps).enumerate() {
            // A comma continues a speaker ("Name, Role, Company"): the segment runs to the next other separator.
            let next = seps[k.min(seps.len())..].iter().find(|s| !text[s.0..s.1].starts_with(','));
            let seg = &text[sep_end..next.map_or(text.len(), |s| s.0).max(sep_end)];
            let Some(speakers) = self.segment_speakers(seg, by) else { continue };
            let title = if k == 0 { next.map_or("", |s| &text[s.1..]) } else { &text[..sep_start] };
            let title = clean_title(title);
            // "Speaker: Name" is a label and a speaker, no title.
            if title.is_empty() || self.markers.covers(&title) {
                continue;
            }
            // A segment whose name is a person's by the name data wins over one that only has a name's
            // shape ("Scaling CI at Zalando — Maria Schmidt, Staff Engineer at Zalando").
            if speakers.iter().any(|s| self.is_person(&s.name)) {
                return Some((title, speakers));
            }
            by_shape.get_or_insert((title, speakers));
        }
        by_shape
    }

    /// The speakers a segment of a head opens with, its trailing comment ("Name. Comment") cut off: a
    /// known first name, or a name by shape after "by"/"от" or with its company or role beside it.
    fn segment_speakers(&self, seg: &str, by: bool) -> Option<Vec<SpeakerLine>> {
        // A date, time or number before the name ("2016.11.30 Name", "10:30 Name") is not part of it.
        let seg = seg.trim().trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ':' | '/' | '-'));
        let seg = seg.trim();
        let cut = seg.find(". ").filter(|&i| !seg[..i].ends_with(|c: char| c.is_uppercase())).unwrap_or(seg.len());
        let piece = seg[..cut].trim().trim_end_matches('.');
        if piece.chars().count() > 120 || piece.is_empty() {
            return None;
        }
        if let Some(found) = self.parse(piece).filter(|_| !by) {
            return Some(found);
        }
        let found = self.parse(&format!("by {piece}"))?;
        let attached = found.iter().all(|s| s.organization.is_some() || s.role.is_some());
        let fits = split_parts(piece).iter().skip(1).all(|p| self.is_role_or_org(p) || p.contains('('));
        let known = found.iter().any(|s| self.is_person(&s.name));
        // After "by" a known first name is enough; a name by shape alone needs its company or role beside it.
        ((by && known) || (attached && fits)).then_some(found)
    }

    /// Splits the parts after the names into roles and the organization.
    fn roles_and_org(&self, rest: &[String]) -> (Vec<String>, Option<String>) {
        let Some((last, middle)) = rest.split_last() else {
            return (Vec::new(), None);
        };
        let mut roles: Vec<String> = middle.iter().filter(|p| !p.is_empty()).cloned().collect();
        if self.roles.covers(last) {
            roles.push(last.clone());
            return (roles, None);
        }
        let (role, org) = self.split_role_prefix(last);
        roles.extend(role);
        (roles, Some(org).filter(|o| !o.is_empty()))
    }

    /// "технический директор S7 Travel Retail" → ("технический директор", "S7 Travel Retail").
    fn split_role_prefix(&self, part: &str) -> (Option<String>, String) {
        let toks = super::phrases::tokens(part, 0);
        let mut i = 0;
        while let Some((len, _)) = self.roles.match_at(&toks, i) {
            i += len;
        }
        // A joiner ends no title: "тимлид в Ромашке" is the role "тимлид" and "в" the affiliation.
        while i > 1 && self.role_joiners.contains(&crate::text::normalize(&part[toks[i - 1].span.clone()])) {
            i -= 1;
        }
        let lower_start = part.chars().next().is_some_and(char::is_lowercase);
        if i == 0 || i == toks.len() || (!lower_start && i < 1) {
            return (None, part.to_string());
        }
        let role_end = toks[i].span.start;
        // "SRE at N26", "инженер из Авито": the affiliation marker belongs to neither.
        let org_start =
            if self.is_affiliation(&toks, i) && i + 1 < toks.len() { toks[i + 1].span.start } else { role_end };
        (Some(part[..role_end].trim().to_string()), part[org_start..].trim().to_string())
    }

    /// The separators between a head's title and its speakers: (start, end, whether the words after it
    /// are marked as the speaker's by "by"/"от"), in order.
    fn separators(&self, text: &str) -> Vec<(usize, usize, bool)> {
        let mut out: Vec<(usize, usize, bool)> = Vec::new();
        let marks = [" — ", " – ", " - ", " -- ", " | ", " / ", ". ", ", ", ": ", " · ", " • "];
        for sep in marks.iter().copied().chain(self.joiners.iter().map(String::as_str)) {
            out.extend(text.match_indices(sep).map(|(i, m)| (i, i + m.len(), false)));
        }
        for sep in &self.title_markers {
            out.extend(text.match_indices(sep.as_str()).map(|(i, m)| (i, i + m.len(), true)));
        }
        out.sort();
        out.dedup_by(|b, a| b.0 < a.1);
        out
    }

    /// "Имя и Имя", "Name and Name", "Name & Name" → the pieces.
    fn split_conjunction(&self, part: &str) -> Vec<String> {
        match self.conjunctions.iter().find(|c| part.contains(c.as_str())) {
            Some(c) => part.split(c.as_str()).map(|p| p.trim().to_string()).collect(),
            None => vec![part.to_string()],
        }
    }

    /// "a staff engineer" → "staff engineer".
    fn without_article<'a>(&self, role: &'a str) -> &'a str {
        self.articles.iter().fold(role, |r, a| r.strip_prefix(a.as_str()).unwrap_or(r))
    }
}

/// Words spaced for matching inside a line: "и" → " и ".
fn spaced(words: &[String]) -> Vec<String> {
    words.iter().map(|w| format!(" {w} ")).collect()
}

/// True when at least `n` capitals open a word: an upper-case letter not preceded by a letter. A cheap
/// necessary condition for a personal name (see [`is_capitalised_word`]), checked before any parsing.
fn has_word_capitals(text: &str, n: usize) -> bool {
    let mut previous_is_letter = false;
    let mut found = 0;
    for c in text.chars() {
        if c.is_uppercase() && !previous_is_letter {
            found += 1;
            if found >= n {
                return true;
            }
        }
        previous_is_letter = c.is_alphabetic();
    }
    false
}

fn is_capitalised_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        && word.chars().filter(|c| c.is_uppercase()).count() <= 3
}

/// A title with its quotes and trailing punctuation removed.
fn clean_title(title: &str) -> String {
    let t = title.trim().trim_end_matches([',', ';', ':', '-', '—', '–']).trim();
    let t = t.trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '«' | '»' | '„' | '\'')).trim();
    t.to_string()
}

/// The organization's name at the start of the text, as written: its words while each has a capital or a
/// digit ("TVL участвует в …" → "TVL", "Яндекс Маркет рассказал" → "Яндекс Маркет", "eBay", "2GIS"),
/// through one of `joiners` between two such words ("Bank of America"), up to a comma or the first other
/// word ("Сбера с докладом «…»" → "Сбера", "Яндекса про ClickHouse" → "Яндекса").
fn organization_words<'a>(text: &'a str, joiners: &[String]) -> &'a str {
    let words: Vec<(usize, &str)> =
        text.split_whitespace().map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w)).take(6).collect();
    let named = |w: &str| w.chars().any(|c| c.is_uppercase() || c.is_ascii_digit());
    let joins = |w: &str| joiners.iter().any(|j| j == w);
    let mut end = 0;
    for (i, &(at, word)) in words.iter().enumerate() {
        if named(word) {
            end = at + word.len();
        } else if !(i > 0 && joins(word) && words.get(i + 1).is_some_and(|(_, next)| named(next))) {
            break;
        }
        if word.ends_with([',', ';', ':']) {
            break;
        }
    }
    text[..end].trim_end_matches([',', '.', ';', ':'])
}

/// Removes emphasis marks and turns `[text](url)` into `text`.
fn clean_markup(line: &str) -> String {
    let line = crate::text::without_leading_pictographs(line);
    let mut out = String::with_capacity(line.len());
    let (mut link_middle, mut paren) = (NextOf::new("]("), NextOf::new(")"));
    let mut at = 0;
    while let Some(open) = line[at..].find('[').map(|i| at + i) {
        out.push_str(&line[at..open]);
        let after = open + 1;
        match (link_middle.from(line, after), paren.from(line, after)) {
            (Some(close), Some(end)) if close < end => {
                out.push_str(&line[after..close]);
                at = end + 1;
            }
            _ => {
                out.push('[');
                at = after;
            }
        }
    }
    out.push_str(&line[at..]);
    let out = strip_handles(&out.replace(['*', '_', '`'], ""));
    out.trim_end_matches('\\').trim_end().to_string()
}

/// The next place of a pattern at or after a position that only moves forward, each stretch of the text
/// searched once: a line of thousands of `[` costs no more than its length.
struct NextOf {
    pattern: &'static str,
    found: Option<usize>,
    exhausted: bool,
}

impl NextOf {
    fn new(pattern: &'static str) -> Self {
        NextOf { pattern, found: None, exhausted: false }
    }

    fn from(&mut self, text: &str, at: usize) -> Option<usize> {
        match self.found {
            Some(found) if found >= at => Some(found),
            _ if self.exhausted => None,
            _ => {
                self.found = text[at..].find(self.pattern).map(|i| at + i);
                self.exhausted = self.found.is_none();
                self.found
            }
        }
    }
}

/// A text up to its first clause break: a dash or semicolon, or a full stop or colon that ends a word
/// ("…of Fly.io." ends at the last stop, not inside "Fly.io").
fn first_clause(text: &str) -> &str {
    let ends_word = |at: usize| text[at + 1..].chars().next().is_none_or(char::is_whitespace);
    let cut =
        text.char_indices().find(|&(at, c)| matches!(c, '—' | '–' | ';') || (matches!(c, '.' | ':') && ends_word(at)));
    text[..cut.map_or(text.len(), |(at, _)| at)].trim()
}

/// Removes social handles ("@jdoe", "(@jdoe)") beside a name; a lone "@" between a name and a company stays.
fn strip_handles(text: &str) -> String {
    let kept: Vec<String> = text
        .split(' ')
        .map(|w| {
            let bare = w.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ':' | ';'));
            let handle = bare.len() > 1
                && bare.starts_with('@')
                && bare[1..].chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
            // The handle goes; the punctuation after it (a separator) stays.
            if handle { w.trim_start_matches('(').replace(bare, "").replace(')', "") } else { w.to_string() }
        })
        .collect();
    kept.join(" ").split_whitespace().collect::<Vec<_>>().join(" ").replace(" ,", ",").replace(" :", ":")
}

/// The parts up to a "Name (Org)" that prose follows ("Tom Becker (Delivery Hero) compared X, Y and Z"):
/// what comes after the parenthesis is the sentence, not the speaker's company or role.
fn cut_at_prose(mut parts: Vec<String>) -> Vec<String> {
    let prose_at = parts.iter().enumerate().find_map(|(i, p)| {
        let close = p.find(')')?;
        let after = p[close + 1..].trim_start();
        after.chars().next().is_some_and(char::is_lowercase).then_some((i, close))
    });
    if let Some((i, close)) = prose_at {
        parts.truncate(i + 1);
        parts[i].truncate(close + 1);
    }
    parts
}

/// Cuts a line at commas, semicolons and spaced dashes outside parentheses; "Name (Org)" parts are kept
/// whole.
fn split_parts(line: &str) -> Vec<String> {
    let line = line.replace(" — ", ", ").replace(" – ", ", ").replace(" - ", ", ");
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in line.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | ';' | '|' | ':' | '·' | '•' if depth <= 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().trim_matches(|c: char| matches!(c, '.' | ':' | '—' | '-')).trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Pairs names with roles (one each when the counts agree, else the first role for all) and the org.
fn assign(names: Vec<String>, roles: Vec<String>, organization: Option<String>) -> Vec<SpeakerLine> {
    let (names, orgs_in_parens): (Vec<String>, Vec<Option<String>>) = names
        .into_iter()
        .map(|n| match n.find('(') {
            Some(i) => (n[..i].trim().to_string(), Some(n[i + 1..].trim_end_matches(')').trim().to_string())),
            None => (n, None),
        })
        .unzip();
    let one_each = roles.len() == names.len();
    // One speaker with several role parts ("sr engineer - Customer Success - Acme") holds them all.
    let roles = if names.len() == 1 && roles.len() > 1 { vec![roles.join(", ")] } else { roles };
    names
        .into_iter()
        .zip(orgs_in_parens)
        .enumerate()
        .map(|(i, (name, paren))| SpeakerLine {
            name,
            role: if one_each { roles.get(i).cloned() } else { roles.first().cloned() },
            organization: organization.clone().or(paren),
        })
        .map(|s| SpeakerLine { role: s.role.filter(|r| !text::compact_key(r).is_empty()), ..s })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::Ontology;

    type Parsed = Vec<(String, Option<String>, Option<String>)>;

    fn parse(line: &str) -> Option<Parsed> {
        let rules = SpeakerRules::new(&Ontology::builtin().unwrap().lexicon);
        rules.parse(line).map(|v| v.into_iter().map(|s| (s.name, s.role, s.organization)).collect())
    }

    fn one(name: &str, role: Option<&str>, org: Option<&str>) -> Vec<(String, Option<String>, Option<String>)> {
        vec![(name.into(), role.map(Into::into), org.map(Into::into))]
    }

    #[test]
    fn word_capitals_count_only_capitals_that_open_a_word() {
        assert!(has_word_capitals("**Jane** [Doe](https://x.y)", 2));
        assert!(has_word_capitals("2016.11.30Иван Петров", 2));
        assert!(!has_word_capitals("Репликация запросов через PostgreSQL", 3));
        assert!(!has_word_capitals("Выбрали stolon", 2));
        assert!(has_word_capitals("Steve sloka", 1));
    }

    #[test]
    fn prose_after_name_and_company_is_not_their_company() {
        assert_eq!(
            parse("Tom Becker (Delivery Hero) compared Zalando's operator, CloudNativePG and Crunchy PGO."),
            Some(one("Tom Becker", None, Some("Delivery Hero")))
        );
    }

    #[test]
    fn name_role_company() {
        assert_eq!(
            parse("Jane Doe, Staff Engineer, Acme Corp"),
            Some(one("Jane Doe", Some("Staff Engineer"), Some("Acme Corp")))
        );
    }

    #[test]
    fn a_parenthesis_that_opens_with_a_job_title_is_role_and_company() {
        assert_eq!(
            parse("Marco Bianchi (Engineering Manager, Bending Spoons)"),
            Some(one("Marco Bianchi", Some("Engineering Manager"), Some("Bending Spoons")))
        );
        assert_eq!(parse("Anna Petrova (Avito, Sphinx)"), Some(one("Anna Petrova", None, Some("Avito, Sphinx"))));
    }

    #[test]
    fn a_role_joiner_before_the_company_is_the_affiliation() {
        assert_eq!(
            parse("Докладчик — Руслан Хайруллин, тимлид в Ромашке"),
            Some(one("Руслан Хайруллин", Some("тимлид"), Some("Ромашке")))
        );
        assert_eq!(
            parse("Докладчик — Дина Сафина из Точки, бэкенд-разработчица"),
            Some(one("Дина Сафина", Some("бэкенд-разработчица"), Some("Точки")))
        );
    }

    #[test]
    fn a_name_with_a_company_before_a_quoted_title_introduces_a_talk() {
        let s = |name: &str, org: &str| Some((name.to_string(), Some(org.to_string())));
        assert_eq!(
            prose("3/ Next: Marco Bianchi (Engineering Manager, Bending Spoons) — \"Cutting costs\"."),
            s("Marco Bianchi", "Bending Spoons")
        );
        assert_eq!(
            prose("First up, (Lena Kovacs, Principal Engineer at Spotify) on “Backstage”."),
            s("Lena Kovacs", "Spotify")
        );
        assert_eq!(prose("Last one: Yuki Tanaka from Mercari, «Spanner in anger»."), s("Yuki Tanaka", "Mercari"));
        // No company or role: a quote, not a talk; no closing quote: no title.
        assert_eq!(prose("Then Yuki Tanaka said \"we love Spanner\"."), None);
        assert_eq!(prose("Yuki Tanaka from Mercari, \"Spanner in"), None);
    }

    #[test]
    fn name_company() {
        assert_eq!(parse("Пётр Петров, Рога и Копыта"), Some(one("Пётр Петров", None, Some("Рога и Копыта"))));
    }

    #[test]
    fn role_glued_to_company() {
        assert_eq!(
            parse("Иван Сидоров, ведущий инженер Северсталь Диджитал"),
            Some(one("Иван Сидоров", Some("ведущий инженер"), Some("Северсталь Диджитал")))
        );
    }

    #[test]
    fn an_affiliation_marker_between_role_and_company_belongs_to_neither() {
        assert_eq!(parse("Tom Becker, SRE at N26"), Some(one("Tom Becker", Some("SRE"), Some("N26"))));
        assert_eq!(
            parse("Ольга Мирова, ведущий инженер из Северсталь Диджитал"),
            Some(one("Ольга Мирова", Some("ведущий инженер"), Some("Северсталь Диджитал")))
        );
    }

    #[test]
    fn two_speakers_two_roles() {
        let got = parse("Anna Lee, Tom Hardy, CTO, Head of Platform, Initech").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], ("Tom Hardy".into(), Some("Head of Platform".into()), Some("Initech".into())));
    }

    #[test]
    fn marker_and_parenthesis() {
        assert_eq!(parse("Спикер: Мария Котова (Лента)"), Some(one("Мария Котова", None, Some("Лента"))));
        assert_eq!(
            parse("*by John Smith*, [Globex](https://globex.example)"),
            Some(one("John Smith", None, Some("Globex")))
        );
    }

    fn prose(line: &str) -> Option<(String, Option<String>)> {
        let rules = SpeakerRules::new(&Ontology::builtin().unwrap().lexicon);
        rules.parse_prose(line).map(|s| (s.name, s.organization))
    }

    fn prose_all(line: &str) -> Vec<(String, Option<String>)> {
        let rules = SpeakerRules::new(&Ontology::builtin().unwrap().lexicon);
        rules.parse_prose_all(line).unwrap_or_default().into_iter().map(|s| (s.name, s.organization)).collect()
    }

    #[test]
    fn prose_names_joined_speakers() {
        let names: Vec<String> =
            prose_all("Нина Пакшина и Александр Ковалёв рассказали про HTTP/3.").into_iter().map(|s| s.0).collect();
        assert_eq!(names, ["Нина Пакшина", "Александр Ковалёв"]);
        let got = prose_all("Jane Doe, Raj Patel and Li Wei from Acme presented the new pipeline.");
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.iter().all(|(_, org)| org.as_deref() == Some("Acme")), "{got:?}");
        assert_eq!(prose_all("Затем Иван Петров рассказал о Kafka.").len(), 1);
    }

    #[test]
    fn prose_reads_past_the_kind_of_organization() {
        let both = |name: &str, org: &str| Some((name.to_string(), Some(org.to_string())));
        assert_eq!(prose("Анна Смирнова из компании Ромашка рассказала про Kafka."), both("Анна Смирнова", "Ромашка"));
        assert_eq!(prose("**Пётр Сидоров** из проекта Нагуаль рассказал про Go."), both("Пётр Сидоров", "Нагуаль"));
        assert_eq!(prose("Jane Roe from the startup Acme talked about Go."), both("Jane Roe", "Acme"));
    }

    #[test]
    fn a_pronoun_subject_is_the_person_the_paragraph_opens_with() {
        let both = |name: &str, org: &str| Some((name.to_string(), Some(org.to_string())));
        assert_eq!(
            prose("Анна Смирнова из проекта Ромашка пишет компилятор. Она рассказала, почему они ушли с Java."),
            both("Анна Смирнова", "Ромашка")
        );
        assert_eq!(
            prose("**Jane Roe** from Acme Labs maintains a compiler. She talked about Rust."),
            both("Jane Roe", "Acme Labs")
        );
        // A pronoun after a sentence that opens with no person names no one.
        assert_eq!(prose("The room was full. She talked about Rust."), None);
    }

    #[test]
    fn prose_names_speaker_and_company() {
        assert_eq!(
            prose("Иван Петров из Тинькофф рассказал о Kafka."),
            Some(("Иван Петров".into(), Some("Тинькофф".into())))
        );
        assert_eq!(
            prose("Jane Doe from Shopify talked about Vitess."),
            Some(("Jane Doe".into(), Some("Shopify".into())))
        );
        assert_eq!(
            prose("Next, Raj Patel (Stripe) presented the ledger."),
            Some(("Raj Patel".into(), Some("Stripe".into())))
        );
        assert_eq!(prose("Мы рассказали о проблемах."), None);
        assert_eq!(
            prose("Последним выступал Дмитрий Соловьёв из ВКонтакте — про KPHP."),
            Some(("Дмитрий Соловьёв".into(), Some("ВКонтакте".into())))
        );
        assert_eq!(
            prose("The last talk I saw was by Oleksandr Kovalenko, staff engineer at Bolt."),
            Some(("Oleksandr Kovalenko".into(), Some("Bolt".into())))
        );
        assert_eq!(
            prose("Затем Анна Кузнецова, руководитель платформенной команды в Авито, рассказала про платформу."),
            Some(("Анна Кузнецова".into(), Some("Авито".into())))
        );
    }

    #[test]
    fn the_company_after_the_name_ends_where_the_sentence_goes_on() {
        let both = |name: &str, org: &str| Some((name.to_string(), Some(org.to_string())));
        assert_eq!(
            prose("Первым выступал Иван Петров из Сбера с докладом «Как мы строили платформу»."),
            both("Иван Петров", "Сбера")
        );
        assert_eq!(
            prose("The second talk was by Ann Lee from Bank of America with a demo of Kafka."),
            both("Ann Lee", "Bank of America")
        );
        assert_eq!(prose("The keynote was by Tom Hill from eBay, who covered search."), both("Tom Hill", "eBay"));
        assert_eq!(
            prose("Затем выступила Ольга Кузнецова из 2ГИС и рассказала про карты."),
            both("Ольга Кузнецова", "2ГИС")
        );
    }

    #[test]
    fn the_side_of_a_head_with_a_known_first_name_is_the_speaker() {
        let rules = SpeakerRules::new(&Ontology::builtin().unwrap().lexicon);
        let (title, speakers) =
            rules.split_title_speaker("**Scaling CI at Zalando** — Maria Schmidt, Staff Engineer at Zalando").unwrap();
        assert_eq!(title, "Scaling CI at Zalando");
        assert_eq!(speakers[0].name, "Maria Schmidt");
        assert_eq!(speakers[0].organization.as_deref(), Some("Zalando"));
        // "Name (Company): title".
        let (title, speakers) =
            rules.split_title_speaker("Иван Петров (Авито): как мы шардировали PostgreSQL").unwrap();
        assert_eq!((title.as_str(), speakers[0].name.as_str()), ("как мы шардировали PostgreSQL", "Иван Петров"));
        assert_eq!(speakers[0].organization.as_deref(), Some("Авито"));
        // A name by shape alone still splits a head when the other side names no one.
        let (title, speakers) = rules.split_title_speaker("Kenji Sato at Mercari — Search at scale").unwrap();
        assert_eq!((title.as_str(), speakers[0].name.as_str()), ("Search at scale", "Kenji Sato"));
    }

    #[test]
    fn a_dotted_company_name_is_not_a_sentence_end() {
        assert_eq!(
            prose("The next talk was presented by Ken Ito of Fly.io. Great demo."),
            Some(("Ken Ito".into(), Some("Fly.io".into())))
        );
    }

    #[test]
    fn middle_dots_separate_name_role_and_company() {
        assert_eq!(
            parse("_Jane Doe · Staff Engineer · Monzo_"),
            Some(one("Jane Doe", Some("Staff Engineer"), Some("Monzo")))
        );
    }

    #[test]
    fn a_talk_noun_names_its_speaker_in_the_genitive() {
        assert_eq!(
            prose("Следующим был доклад Ольги Смирновой из Яндекса про ClickHouse."),
            Some(("Ольги Смирновой".into(), Some("Яндекса".into())))
        );
        assert_eq!(
            prose("В докладе Ивана Иванова (Ozon) рассказали про Kafka."),
            Some(("Ивана Иванова".into(), Some("Ozon".into())))
        );
        // A talk noun with no name after it names no one.
        assert_eq!(prose("В докладе рассказали про Kafka."), None);
    }

    #[test]
    fn handle_role_company_after_marker() {
        assert_eq!(
            parse("Speaker(s): + Ann Lee (@annlee): Staff Engineer, Grab"),
            Some(one("Ann Lee", Some("Staff Engineer"), Some("Grab")))
        );
    }

    #[test]
    fn prose_is_not_a_speaker_line() {
        assert_eq!(parse("Докладчик быстро рассказывал, не успел все записать."), None);
        assert_eq!(parse("Kubernetes is hard"), None);
        assert!(!SpeakerRules::new(&Ontology::builtin().unwrap().lexicon).is_name("Everest. This"));
        assert!(SpeakerRules::new(&Ontology::builtin().unwrap().lexicon).is_name("John F. Kennedy"));
        // "AND" in capitals joins; it is no job title like "CTO".
        assert_eq!(parse("Index Cond: ((created_at >= '2021-10-23 00:00') AND"), None);
    }
}
