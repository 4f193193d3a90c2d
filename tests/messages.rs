//! Every message a person reads has its English and its Chinese made in one
//! place, `tr!("…", "…")` (src/text.rs). The check reads the sources: the
//! message of every finding (`DataError::new`), warning (`Warning::new`),
//! request error (`Error::request`), hint (`.with_hint`) and reader's notice
//! (`notices.push`) must come from a
//! `tr!` (or a value made by one elsewhere), never from a bare string or
//! `format!`; no function returns a `String` error (`Err(format!(…))`); and
//! every `tr!` has Chinese in its Chinese text and the same named
//! placeholders in both, so neither language loses a value (a placeholder
//! named `plural…` carries English grammar only and may be left out; `x_zh`
//! in the Chinese stands for `x` in the English, a value with a Chinese form).

use crate::common::sources;
use std::path::Path;

/// A source with its comments blanked out (newlines kept, so byte offsets
/// give the same line numbers) and a mark on every byte inside a string or
/// char literal.
struct Code {
    text: Vec<u8>,
    in_literal: Vec<bool>,
}

impl Code {
    fn of(src: &str) -> Code {
        let b = src.as_bytes();
        let mut text = b.to_vec();
        let mut in_literal = vec![false; b.len()];
        let mut i = 0;
        while i < b.len() {
            if b[i..].starts_with(b"//") {
                while i < b.len() && b[i] != b'\n' {
                    text[i] = b' ';
                    i += 1;
                }
            } else if b[i..].starts_with(b"/*") {
                while i < b.len() && !b[i..].starts_with(b"*/") {
                    if b[i] != b'\n' {
                        text[i] = b' ';
                    }
                    i += 1;
                }
                if i < b.len() {
                    text[i] = b' ';
                    text[i + 1] = b' ';
                    i += 2;
                }
            } else if b[i] == b'r'
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
                && matches!(b.get(i + 1), Some(b'"') | Some(b'#'))
                && {
                    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                    b.get(i + 1 + hashes) == Some(&b'"')
                }
            {
                // raw string r#"…"#
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                let mut close = vec![b'"'];
                close.extend(std::iter::repeat_n(b'#', hashes));
                let start = i;
                i += 2 + hashes;
                while i < b.len() && !b[i..].starts_with(&close) {
                    i += 1;
                }
                i = (i + close.len()).min(b.len());
                in_literal[start..i].iter_mut().for_each(|m| *m = true);
            } else if b[i] == b'"' {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                in_literal[start..i].iter_mut().for_each(|m| *m = true);
            } else if b[i] == b'\'' {
                // a char literal ('a', '\n', '“'), not a lifetime ('a)
                let rest = &src[i + 1..];
                let mut chars = rest.char_indices();
                let len = match chars.next() {
                    Some((_, '\\')) => rest[1..].find('\'').map(|p| p + 2),
                    Some((_, c)) => {
                        let after = c.len_utf8();
                        rest[after..].starts_with('\'').then_some(after + 1)
                    }
                    None => None,
                };
                match len {
                    Some(len) => {
                        in_literal[i..i + 1 + len]
                            .iter_mut()
                            .for_each(|m| *m = true);
                        i += 1 + len;
                    }
                    None => i += 1,
                }
            } else {
                i += 1;
            }
        }
        Code { text, in_literal }
    }

    /// Byte offsets of `pattern` outside literals.
    fn find_all(&self, pattern: &str) -> Vec<usize> {
        let p = pattern.as_bytes();
        (0..self.text.len().saturating_sub(p.len() - 1))
            .filter(|&i| !self.in_literal[i] && self.text[i..].starts_with(p))
            .collect()
    }

    /// The end (exclusive) of the bracketed span opening at `open`.
    fn close_of(&self, open: usize) -> usize {
        let mut depth = 0i32;
        for i in open..self.text.len() {
            if self.in_literal[i] {
                continue;
            }
            match self.text[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        }
        self.text.len()
    }

    /// The top-level arguments (byte ranges) of the call whose `(` is at `open`.
    fn args(&self, open: usize) -> Vec<(usize, usize)> {
        let end = self.close_of(open) - 1;
        let mut out = Vec::new();
        let (mut depth, mut start) = (0i32, open + 1);
        for i in open + 1..end {
            if self.in_literal[i] {
                continue;
            }
            match self.text[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => {
                    out.push((start, i));
                    start = i + 1;
                }
                _ => {}
            }
        }
        if self.text[start..end]
            .iter()
            .any(|c| !c.is_ascii_whitespace())
        {
            out.push((start, end));
        }
        out
    }

    /// Whether a string literal stands in `range` outside every
    /// `tr!(…)` and `Text::new(…)`.
    fn bare_literal_in(&self, (start, end): (usize, usize)) -> bool {
        let mut i = start;
        while i < end {
            if !self.in_literal[i]
                && (self.text[i..].starts_with(b"tr!(")
                    || self.text[i..].starts_with(b"Text::new("))
            {
                let open = i + self.text[i..].iter().position(|&c| c == b'(').unwrap();
                i = self.close_of(open);
                continue;
            }
            if self.in_literal[i] && self.text[i] == b'"' {
                return true;
            }
            i += 1;
        }
        false
    }

    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset].iter().filter(|&&c| c == b'\n').count() + 1
    }
}

/// Where a message is made from a bare string: `file:line: what`.
fn untranslated(path: &str, src: &str) -> Vec<String> {
    let code = Code::of(src);
    let mut found = Vec::new();
    // (pattern, which argument is the message: the last)
    for pattern in [
        "DataError::new(",
        "Warning::new(",
        "Error::request(",
        ".with_hint(",
        "notices.push(",
    ] {
        for at in code.find_all(pattern) {
            let open = at + pattern.len() - 1;
            let Some(&message) = code.args(open).last() else {
                continue;
            };
            if code.bare_literal_in(message) {
                found.push(format!(
                    "{path}:{}: {pattern}…) with a message that is not a tr!",
                    code.line_of(at)
                ));
            }
        }
    }
    for at in code.find_all("Err(format!(") {
        found.push(format!(
            "{path}:{}: a String error (Err(format!(…))): return a Text made by tr!",
            code.line_of(at)
        ));
    }
    found
}

/// The named placeholders of a format string (`{x}`, `{x:?}`), sorted.
fn named_placeholders(format: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(i) = rest.find('{') {
        if rest[i + 1..].starts_with('{') {
            rest = &rest[i + 2..];
            continue;
        }
        let Some(j) = rest[i..].find('}') else { break };
        let inner = &rest[i + 1..i + j];
        let name = inner.split(':').next().unwrap_or("");
        if !name.is_empty()
            && !name.chars().all(|c| c.is_ascii_digit())
            && !name.starts_with("plural")
        {
            out.push(name.to_string());
        }
        rest = &rest[i + j + 1..];
    }
    out.sort();
    out.dedup();
    out
}

/// Each `tr!` whose Chinese has no Chinese, or whose two texts name
/// different placeholders.
fn unmatched_pairs(path: &str, src: &str) -> Vec<String> {
    let code = Code::of(src);
    let mut found = Vec::new();
    for at in code.find_all("tr!(") {
        if at > 0 && (code.text[at - 1].is_ascii_alphanumeric() || code.text[at - 1] == b'_') {
            continue;
        }
        let args = code.args(at + 3);
        let literal = |k: usize| -> Option<String> {
            let (s, e) = *args.get(k)?;
            let t = std::str::from_utf8(&code.text[s..e]).ok()?.trim();
            let inner = t.strip_prefix('"')?.strip_suffix('"')?;
            Some(inner.to_string())
        };
        let line = code.line_of(at);
        let (Some(en), Some(zh)) = (literal(0), literal(1)) else {
            // the macro's own definition, or a call that is not two literals
            if !path.ends_with("text.rs") {
                found.push(format!("{path}:{line}: tr! needs two string literals"));
            }
            continue;
        };
        if !zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
            found.push(format!(
                "{path}:{line}: the Chinese text has no Chinese: \"{zh}\""
            ));
        }
        let zh_names: Vec<String> = {
            let mut names: Vec<String> = named_placeholders(&zh)
                .into_iter()
                .map(|n| n.strip_suffix("_zh").map(str::to_string).unwrap_or(n))
                .collect();
            names.sort();
            names.dedup();
            names
        };
        if named_placeholders(&en) != zh_names {
            found.push(format!(
                "{path}:{line}: placeholders differ: {:?} in English, {:?} in Chinese",
                named_placeholders(&en),
                zh_names
            ));
        }
    }
    found
}

fn all_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(root).unwrap().display().to_string();
            (rel, std::fs::read_to_string(&f).unwrap())
        })
        .collect()
}

#[test]
fn every_message_is_made_with_its_chinese() {
    let mut found = Vec::new();
    for (path, src) in all_sources() {
        found.extend(untranslated(&path, &src));
        found.extend(unmatched_pairs(&path, &src));
    }
    assert!(
        found.is_empty(),
        "{} message(s) without their Chinese:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_check_catches_a_bare_message_and_a_lost_placeholder() {
    let src = r#"
        fn f(loc: Location, id: &str) -> Result<(), DataError> {
            let ok = DataError::new(Location::cell("activity", 1, 2), tr!("bad '{id}'", "错误“{id}”"));
            let bad = DataError::new(loc.clone(), format!("unknown id '{id}'"));
            let hinted = ok.with_hint(Some("check the id"));
            let lost = tr!("{id} of {n}", "{id}的");
            let english = tr!("twice", "twice");
            Err(format!("no"))
        }
    "#;
    let bare = untranslated("x.rs", src);
    assert_eq!(bare.len(), 3, "{bare:?}");
    assert!(bare[0].starts_with("x.rs:4: DataError::new"), "{bare:?}");
    assert!(bare[1].starts_with("x.rs:5: .with_hint"), "{bare:?}");
    assert!(bare[2].starts_with("x.rs:8: a String error"), "{bare:?}");
    let pairs = unmatched_pairs("x.rs", src);
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    assert!(pairs[0].contains("placeholders differ"), "{pairs:?}");
    assert!(pairs[1].contains("has no Chinese"), "{pairs:?}");
}
