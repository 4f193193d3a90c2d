//! Did-you-mean suggestions for unknown names (ids, units, sheets, columns).
//! The bottom layer: it imports nothing from the crate. Only error paths call
//! it; a lookup that may legitimately miss never builds a suggestion.

/// The closest candidate to `input`, if one is close enough to be a likely typo.
///
/// Uses normalised Damerau-Levenshtein similarity (as numbat's suggestion module
/// uses edit distance): short ids need a near match, long ones tolerate more edits.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for cand in candidates {
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
            Some(format!("did you mean '{cand}'?"))
        }
        _ => None,
    }
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
}
