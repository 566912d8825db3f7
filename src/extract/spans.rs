//! Sets of byte ranges of one line (technology mentions, names, taken words), ordered by start, so that
//! whether one overlaps or covers a range, and which lie inside a range, is found by binary search: a line
//! holding thousands of mentions costs no more than its length.

use std::ops::Range;

/// Ranges ordered by start, with the furthest end reached so far at each position.
#[derive(Debug, Clone, Default)]
pub struct SpanSet {
    /// The ranges, by start (ties in given order), each with its index in the given order.
    ordered: Vec<(Range<usize>, usize)>,
    /// `reach[k]`: the furthest end of `ordered[..=k]`.
    reach: Vec<usize>,
}

impl SpanSet {
    /// The set of the given ranges.
    pub fn new(spans: impl IntoIterator<Item = Range<usize>>) -> SpanSet {
        let mut ordered: Vec<(Range<usize>, usize)> = spans.into_iter().enumerate().map(|(i, s)| (s, i)).collect();
        ordered.sort_by_key(|(s, _)| s.start);
        let reach = ordered
            .iter()
            .scan(0, |far, (s, _)| {
                *far = s.end.max(*far);
                Some(*far)
            })
            .collect();
        SpanSet { ordered, reach }
    }

    /// True when some range shares a byte with `span`.
    pub fn overlaps(&self, span: &Range<usize>) -> bool {
        let k = self.ordered.partition_point(|(s, _)| s.start < span.end);
        k > 0 && self.reach[k - 1] > span.start
    }

    /// True when some range holds all of `span`.
    pub fn covers(&self, span: &Range<usize>) -> bool {
        let k = self.ordered.partition_point(|(s, _)| s.start <= span.start);
        k > 0 && self.reach[k - 1] >= span.end
    }

    /// The indices (in the given order) of the ranges inside `outer`, by start.
    pub fn within<'s>(&'s self, outer: &Range<usize>) -> impl Iterator<Item = usize> + 's {
        let from = self.ordered.partition_point(|(s, _)| s.start < outer.start);
        let to = self.ordered.partition_point(|(s, _)| s.start < outer.end);
        let end = outer.end;
        self.ordered[from..to].iter().filter(move |(s, _)| s.end <= end).map(|(_, i)| *i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answers of a linear scan, for comparison.
    fn naive(spans: &[Range<usize>], q: &Range<usize>) -> (bool, bool, Vec<usize>) {
        let overlaps = spans.iter().any(|s| s.start < q.end && q.start < s.end);
        let covers = spans.iter().any(|s| s.start <= q.start && q.end <= s.end);
        let mut within: Vec<usize> =
            (0..spans.len()).filter(|&i| q.start <= spans[i].start && spans[i].end <= q.end).collect();
        within.sort_by_key(|&i| (spans[i].start, i));
        (overlaps, covers, within)
    }

    #[test]
    fn agrees_with_a_linear_scan_on_overlapping_and_nested_ranges() {
        let spans = vec![5..9, 0..3, 2..4, 10..20, 12..14, 12..13, 30..31, 19..25];
        let set = SpanSet::new(spans.clone());
        for a in 0..33 {
            for b in a + 1..34 {
                let q = a..b;
                let (o, c, w) = naive(&spans, &q);
                assert_eq!(set.overlaps(&q), o, "overlaps {q:?}");
                assert_eq!(set.covers(&q), c, "covers {q:?}");
                assert_eq!(set.within(&q).collect::<Vec<_>>(), w, "within {q:?}");
            }
        }
    }

    #[test]
    fn the_empty_set_overlaps_nothing() {
        let set = SpanSet::new(Vec::new());
        assert!(!set.overlaps(&(0..10)) && !set.covers(&(1..2)) && set.within(&(0..10)).next().is_none());
    }
}
