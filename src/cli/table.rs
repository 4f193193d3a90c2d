//! Terminal table cells padded by display width: a Chinese character takes two
//! columns on a terminal while `format!`'s width counts it as one, so a table
//! of Chinese names padded with `{:<10}` falls out of line.

use unicode_width::UnicodeWidthStr;

/// `text` then spaces, to `width` terminal columns (never cut).
pub(crate) fn left(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(pad))
}

/// Spaces then `text`, to `width` terminal columns (never cut).
pub(crate) fn right(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(text.width());
    format!("{}{text}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns_a_side() {
        assert_eq!(left("电解铝", 10), "电解铝    ");
        assert_eq!(right("电解铝", 10), "    电解铝");
        assert_eq!(left("aluminium", 10), "aluminium ");
        assert_eq!(right("协同，减污更多", 10), "协同，减污更多");
    }
}
