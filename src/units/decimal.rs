//! Decimals as text, both ways: numbers typed by people parsed exactly (and
//! only where they are unambiguous), and amounts written by the one rule every
//! output follows (exact within 15 significant digits, else rounded).

use crate::text::{Lang, Text};
use crate::tr;
use rust_decimal::Decimal;

/// Significant digits of an amount as written in every output.
pub const WRITTEN_DIGITS: u32 = 15;

/// An amount as written in every output (CSV, JSON, xlsx, report): exact where
/// it terminates within [`WRITTEN_DIGITS`] significant digits, otherwise
/// rounded to that many (half away from zero), without trailing zeros. The
/// arithmetic stays exact; only the text is rounded, so the residue of a
/// 28-digit division (`2.0000000000000000000000000009`) reads `2`.
pub fn written(d: Decimal) -> Decimal {
    // Fewer significant digits than that already (nearly every amount):
    // rounding would give the same value back.
    if d.mantissa().unsigned_abs() < WRITTEN_LIMIT {
        return d.normalize();
    }
    d.round_sf_with_strategy(
        WRITTEN_DIGITS,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    )
    .unwrap_or(d)
    .normalize()
}

/// 10^[`WRITTEN_DIGITS`]: a mantissa below it has at most that many digits.
const WRITTEN_LIMIT: u128 = 10u128.pow(WRITTEN_DIGITS);

/// An amount's written text (see [`written`]) as a `Display`: the same text
/// as `written(d).to_string()`, built from the mantissa's digits in one
/// integer formatting instead of rust_decimal's digit-by-digit division of
/// its 96 bits (the CSV and JSON outputs write one or more per row). Written
/// with `{}`: width and precision flags are not applied.
#[derive(Debug, Clone, Copy)]
pub struct Written(pub Decimal);

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // normalised: no trailing zeros after the point, a zero unsigned
        let w = written(self.0);
        let Ok(digits) = u64::try_from(w.mantissa().unsigned_abs()) else {
            // a whole number past 2^64 keeps its zeros in the mantissa
            // (79228162514264300000000000000): rust_decimal writes it
            return std::fmt::Display::fmt(&w, f);
        };
        let scale = w.scale() as usize;
        if digits == 0 {
            return f.write_str("0");
        }
        if w.is_sign_negative() {
            f.write_str("-")?;
        }
        let mut buf = itoa::Buffer::new();
        let s = buf.format(digits);
        if scale == 0 {
            f.write_str(s)
        } else if s.len() > scale {
            let (whole, fraction) = s.split_at(s.len() - scale);
            f.write_str(whole)?;
            f.write_str(".")?;
            f.write_str(fraction)
        } else {
            f.write_str("0.")?;
            for _ in s.len()..scale {
                f.write_str("0")?;
            }
            f.write_str(s)
        }
    }
}

/// Serialises an amount as its written text (serde helper, see [`written`]).
/// The text goes straight to the serializer (`collect_str`), without a
/// `String` per amount: a JSON inventory writes millions of them.
pub fn ser_written<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&Written(*d))
}

/// Serialises an optional amount as its written text, or null.
pub fn ser_written_opt<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(&Written(*d)),
        None => s.serialize_none(),
    }
}

/// Serialises a map of amounts, each as its written text.
pub fn ser_written_map<S: serde::Serializer, K: serde::Serialize>(
    m: &std::collections::BTreeMap<K, Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        map.serialize_entry(k, &Written(*v))?;
    }
    map.end()
}

impl serde::Serialize for Written {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_written(&self.0, s)
    }
}

/// Serialises a map of decimals (roadmap and measure tables) with each value
/// as its written text: the same rule as every amount (see [`written`]).
pub fn ser_decimal_map<S: serde::Serializer>(
    m: &std::collections::BTreeMap<String, Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    ser_written_map(m, s)
}

/// Parses a decimal written as text, exactly (`0.1` stays 0.1; `123.400` keeps
/// its scale). Accepts a leading sign, full-width digits, an exponent (`1e3`),
/// and thousands grouped by commas or spaces (`1,234.5`, `1 234.5`); see
/// [`parse_decimal_explained`] for what is refused.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    parse_decimal_explained(text).ok()
}

/// A letter that is easily typed for a digit, with that digit.
fn digit_lookalike(c: char) -> Option<(char, char)> {
    match c {
        'O' | 'o' => Some((c, '0')),
        'l' | 'I' => Some((c, '1')),
        _ => None,
    }
}

/// [`parse_decimal`], with the reason a text is refused (to append to
/// "'…' is not a number"). Only unambiguous forms are read: a comma (or a
/// space) may only group the integer digits in threes (`1,234,567.5`); `1,2`,
/// `,5`, `1.234,5` and `1,2,3` are refused rather than guessed. The reason
/// is in both languages (empty where there is nothing more to say than "not
/// a number").
pub fn parse_decimal_explained(text: &str) -> Result<Decimal, Text> {
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '－' | '−' => '-',
            '＋' => '+',
            '，' => ',',
            '_' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    // A letter typed for a digit ("3,OOO", "l5"): say which, when the text
    // reads as a number with the digit in its place, rather than a puzzling
    // reason about separators.
    if let Some((letter, digit)) = folded.chars().find_map(digit_lookalike) {
        let with_digits: String = folded
            .chars()
            .map(|c| digit_lookalike(c).map_or(c, |(_, d)| d))
            .collect();
        if parse_decimal_explained(&with_digits).is_ok() {
            return Err(tr!(
                ": '{letter}' is a letter, not the digit {digit}: type the digit",
                "：“{letter}”是字母，不是数字 {digit}，请改为数字"
            ));
        }
    }
    let unsigned = folded
        .strip_prefix(['+', '-'])
        .unwrap_or(&folded)
        .trim_start();
    let negative = folded.starts_with('-');
    if unsigned.is_empty() {
        return Err(Text::default());
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    // The reason, then how to type the number.
    let refused = |why: Text| {
        let type_it = tr!(
            ": type the decimal separator as a point and group thousands in threes, e.g. 1234.5 or 1,234.5",
            "；请以小数点“.”作小数分隔符，整数部分按三位一组分隔千位，如 1234.5 或 1,234.5"
        );
        Text::new(
            format!("{}{}", why.en, type_it.en),
            format!("{}{}", why.get(Lang::Zh), type_it.get(Lang::Zh)),
        )
    };
    if frac.is_some_and(|f| f.contains([',', ' ', '.'])) {
        return Err(refused(if frac.is_some_and(|f| f.contains(',')) {
            tr!(
                ": a comma after the decimal point is ambiguous",
                "：小数点后的逗号含义不明"
            )
        } else {
            tr!(
                ": more than one decimal point or a separator after it",
                "：有多个小数点，或小数点后有分隔符"
            )
        }));
    }
    let digits: String = if int.contains([',', ' ']) {
        let sep_kinds = int.contains(',') as u8 + int.contains(' ') as u8;
        let groups: Vec<&str> = int.split([',', ' ']).collect();
        let grouped = sep_kinds == 1
            && !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
        if !grouped {
            return Err(refused(if int.contains(',') {
                tr!(
                    ": a comma may only separate thousands",
                    "：逗号只能用作千位分隔符"
                )
            } else {
                tr!(
                    ": spaces may only separate thousands",
                    "：空格只能用作千位分隔符"
                )
            }));
        }
        groups.concat()
    } else {
        int.to_string()
    };
    let mut plain = String::with_capacity(folded.len());
    if negative {
        plain.push('-');
    }
    plain.push_str(&digits);
    if let Some(f) = frac {
        plain.push('.');
        plain.push_str(f);
    }
    let parsed = match exponent {
        Some(e) => {
            plain.push('e');
            plain.push_str(e);
            Decimal::from_scientific(&plain).ok()
        }
        None => plain.parse::<Decimal>().ok(),
    };
    parsed.ok_or_else(Text::default)
}
