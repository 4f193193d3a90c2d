//! Did-you-mean suggestions for unknown names (ids, units, sheets, columns).
//! The bottom layer: it imports nothing from the crate. Only error paths call
//! it; a lookup that may legitimately miss never builds a suggestion.

/// Longest input (characters) for which [`did_you_mean`] searches.
pub const SUGGEST_MAX_CHARS: usize = 64;
/// Most candidates [`did_you_mean`] compares.
pub const SUGGEST_MAX_CANDIDATES: usize = 10_000;

/// The closest candidate to `input`, if one is close enough to be a likely typo.
///
/// Uses normalised Damerau-Levenshtein similarity (as numbat's suggestion module
/// uses edit distance): short ids need a near match, long ones tolerate more edits.
///
/// Time is bounded whatever the input: inputs longer than
/// [`SUGGEST_MAX_CHARS`] get no suggestion, candidates longer than twice that
/// are skipped, and at most [`SUGGEST_MAX_CANDIDATES`] candidates are compared.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    if input.len() > SUGGEST_MAX_CHARS * 4 || input.chars().count() > SUGGEST_MAX_CHARS {
        return None;
    }
    let lower = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for cand in candidates
        .into_iter()
        .filter(|c| c.len() <= SUGGEST_MAX_CHARS * 8 && c.chars().count() <= SUGGEST_MAX_CHARS * 2)
        .take(SUGGEST_MAX_CANDIDATES)
    {
        let score = strsim::normalized_damerau_levenshtein(&lower, &cand.to_lowercase());
        let contains = cand.to_lowercase().contains(&lower) && lower.len() >= 3;
        let score = if contains { score.max(0.75) } else { score };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, cand));
        }
    }
    let close = |cand: &str| {
        let d = strsim::damerau_levenshtein(&lower, &cand.to_lowercase());
        d <= 1 || (d <= 2 && lower.chars().count() >= 5)
    };
    match best {
        Some((score, cand)) if score >= 0.6 || close(cand) => {
            Some(format!("{SUGGESTION_EN}'{cand}'?"))
        }
        _ => None,
    }
}

/// How [`did_you_mean`] phrases a suggestion (English).
const SUGGESTION_EN: &str = "did you mean ";

/// The Chinese of a suggestion [`did_you_mean`] made (`did you mean 'x'?` →
/// `是否应为“x”？`); `None` for any other text.
pub fn suggestion_zh(en: &str) -> Option<String> {
    let cand = en
        .strip_prefix(SUGGESTION_EN)?
        .strip_prefix('\'')?
        .strip_suffix("'?")?;
    Some(format!("是否应为“{cand}”？"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_finds_typos_and_ignores_strangers() {
        let ids = ["grid.sc.avg.2022", "grid.sc.avg.2021", "heat.default"];
        assert_eq!(
            did_you_mean("grid.sc.avg.2O22", ids).as_deref(),
            Some("did you mean 'grid.sc.avg.2022'?")
        );
        assert_eq!(did_you_mean("zzzzzz", ids), None);
    }

    #[test]
    fn suggestion_search_is_bounded_for_huge_inputs_and_candidates() {
        // 10 MB: the unbounded edit distance would not finish (its time and
        // memory grow with the product of the lengths).
        let huge = "x".repeat(10 * 1024 * 1024);
        let ids = ["grid.sc.avg.2022", huge.as_str()];
        assert_eq!(did_you_mean(&huge, ["grid.sc.avg.2022"]), None);
        assert_eq!(did_you_mean(&huge, ids), None);
        // A huge candidate is skipped, a near one still found.
        assert_eq!(
            did_you_mean("grid.sc.avg.2O22", ids).as_deref(),
            Some("did you mean 'grid.sc.avg.2022'?")
        );
        assert_eq!(did_you_mean("xxx", ids), None);
    }
}
