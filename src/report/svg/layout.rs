//! Text layout on a chart without a browser: widths of Latin and CJK text,
//! cutting and wrapping to a width, and placing labels where they overlap
//! nothing drawn before.

/// The width a text takes at `size` px, near enough to keep labels apart:
/// CJK characters are square, Latin ones about 0.6 of the size.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if (c as u32) >= 0x2E80 {
                size
            } else {
                0.62 * size
            }
        })
        .sum()
}

/// `text` cut to fit `max_w` px at `size`, with an ellipsis where cut.
pub(super) fn truncate_to(text: &str, size: f64, max_w: f64) -> String {
    if text_width(text, size) <= max_w {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&out, size) + text_width(&c.to_string(), size) + size > max_w {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` broken into lines of at most `max_w` px at `size`, at spaces
/// (and anywhere in CJK text).
pub(super) fn wrap(text: &str, size: f64, max_w: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for c in text.chars() {
        let line = lines.last_mut().expect("one line at least");
        if text_width(line, size) + text_width(&c.to_string(), size) > max_w {
            // Break at the last space of a Latin line where there is one.
            let carry = match line.rfind(' ') {
                Some(i) if (c as u32) < 0x2E80 && i > 0 => {
                    let rest = line[i + 1..].to_string();
                    line.truncate(i);
                    rest
                }
                _ => String::new(),
            };
            lines.push(carry);
        }
        let line = lines.last_mut().expect("one line at least");
        if !(line.is_empty() && c == ' ') {
            line.push(c);
        }
    }
    lines
}

/// A label's box on the chart: (x, y) of its top-left corner, width, height.
pub type LabelBox = (f64, f64, f64, f64);

pub(super) fn overlaps(a: &LabelBox, b: &LabelBox) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

/// Places a label of `w × h` near (px, py) where it overlaps no label placed
/// before and no point marker: the first free spot among rings of candidate
/// offsets, drawn with a leader line when it sits away from its point.
pub(super) fn place(
    px: f64,
    py: f64,
    w: f64,
    h: f64,
    taken: &[LabelBox],
    marks: &[LabelBox],
) -> LabelBox {
    let mut fallback = (px + 7.0, py - h, w, h);
    for ring in 1..=12 {
        let d = 7.0 + 9.0 * (ring - 1) as f64;
        for (dx, dy) in [
            (d, -h),
            (d, 0.0),
            (-d - w, -h),
            (-d - w, 0.0),
            (-w / 2.0, -d - h),
            (-w / 2.0, d),
            (d, d),
            (-d - w, d),
            (d, -d - h),
            (-d - w, -d - h),
        ] {
            let b = (px + dx, py + dy, w, h);
            if !taken.iter().chain(marks).any(|t| overlaps(&b, t)) {
                return b;
            }
            if ring == 1 && dx > 0.0 && dy < 0.0 {
                fallback = b;
            }
        }
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_widths_count_cjk_as_square() {
        // 2 CJK at 10 px = 20; 4 Latin at 0.62 × 10 = 24.8
        assert!((text_width("电解", 10.0) - 20.0).abs() < 1e-9);
        assert!((text_width("abcd", 10.0) - 24.8).abs() < 1e-9);
    }

    #[test]
    fn truncation_fits_and_marks_the_cut() {
        let long = "Biogas recovery from the anaerobic reactor, burnt in the boiler";
        let cut = truncate_to(long, 10.0, 120.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 10.0) <= 120.0,
            "{cut}"
        );
        assert_eq!(truncate_to("short", 10.0, 120.0), "short");
    }

    #[test]
    fn wrapping_breaks_latin_at_spaces_and_keeps_every_character() {
        let text = "not drawn: Coal barn, Electric heating plates, Hydro green power sourcing";
        let lines = wrap(text, 10.0, 150.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(text_width(l, 10.0) <= 150.0, "{l}");
            assert!(!l.starts_with(' ') && !l.ends_with(' '), "{l:?}");
        }
        assert_eq!(lines.join(" "), text);
        // CJK breaks anywhere: 30 characters at 10 px in 100 px = 3 lines.
        let zh = "未".repeat(30);
        assert_eq!(wrap(&zh, 10.0, 100.0).len(), 3);
    }
}
