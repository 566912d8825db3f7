//! Sets of byte ranges of one line (technology mentions, names, taken words), ordered by start, so that
//! whether one overlaps or covers a range, and which lie inside a range, is found by binary search: a line
//! holding thousands of mentions costs no more than its length.

use std::ops::Range;

/// Ranges, kept in the given order and indexed by start, with the furthest end reached so far.
#[derive(Debug, Clone, Default)]
pub struct SpanSet {
    /// The ranges in the given order.
    spans: Vec<Range<usize>>,
    /// Indices into `spans`, by start (ties in given order).
    order: Vec<usize>,
    /// `reach[k]`: the furthest end of the ranges `order[..=k]`.
    reach: Vec<usize>,
}

impl SpanSet {
    /// The set of the given ranges.
    pub fn new(spans: impl IntoIterator<Item = Range<usize>>) -> SpanSet {
        let spans: Vec<Range<usize>> = spans.into_iter().collect();
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| spans[i].start);
        let reach = order
            .iter()
            .scan(0, |far, &i| {
                *far = spans[i].end.max(*far);
                Some(*far)
            })
            .collect();
        SpanSet { spans, order, reach }
    }

    /// The range given `i`-th.
    pub fn get(&self, i: usize) -> &Range<usize> {
        &self.spans[i]
    }

    /// The first position in start order whose range starts at or after `at` (or, `inclusive`, after it).
    fn starting_from(&self, at: usize, inclusive: bool) -> usize {
        self.order.partition_point(|&i| if inclusive { self.spans[i].start <= at } else { self.spans[i].start < at })
    }

    /// True when some range shares a byte with `span`.
    pub fn overlaps(&self, span: &Range<usize>) -> bool {
        let k = self.starting_from(span.end, false);
        k > 0 && self.reach[k - 1] > span.start
    }

    /// True when some range holds all of `span`.
    pub fn covers(&self, span: &Range<usize>) -> bool {
        let k = self.starting_from(span.start, true);
        k > 0 && self.reach[k - 1] >= span.end
    }

    /// The indices (in the given order) of the ranges inside `outer`, by start.
    pub fn within<'s>(&'s self, outer: &Range<usize>) -> impl Iterator<Item = usize> + 's {
        let (from, to) = (self.starting_from(outer.start, false), self.starting_from(outer.end, false));
        let end = outer.end;
        self.order[from..to].iter().copied().filter(move |&i| self.spans[i].end <= end)
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
