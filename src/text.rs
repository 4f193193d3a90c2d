//! Texts shown to people, in English and Chinese. A message is made in one
//! place with both of its texts side by side ([`tr!`](crate::tr)), so a
//! message cannot be added without its translation and the two cannot drift;
//! `tests/messages.rs` proves every message, finding and warning of the crate
//! is made that way. The bottom layer beside [`crate::suggest`]: it imports
//! nothing from the crate but the suggestion phrase it translates.
//!
//! Machine-readable outputs (CSV, JSON field names) keep stable English; the
//! terminal, the xlsx and the report of a Chinese study use the Chinese text.

use std::fmt;

/// The language of what a person reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The study's `language` setting (`zh`, `en`): Chinese for `zh…`,
    /// English otherwise.
    pub fn of_setting(language: &str) -> Lang {
        if language.trim().to_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A text in English and, where it has one, Chinese. The English is always
/// there (it is what the JSON and CSV carry); `zh` is `None` only for text
/// that came from outside the crate (an OS error, a user's own note) or a
/// suggestion-free plain string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text {
    pub en: String,
    pub zh: Option<String>,
}

impl Text {
    /// A text with both languages.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            zh: Some(zh.into()),
        }
    }

    /// A text that reads the same in both languages (a path, an id).
    pub fn neutral(text: impl Into<String>) -> Self {
        let text = text.into();
        Text {
            zh: Some(text.clone()),
            en: text,
        }
    }

    /// The text in `lang`; English where no Chinese exists.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.en,
        }
    }
}

/// Text from outside the catalogue keeps its English; a did-you-mean made by
/// [`crate::suggest::did_you_mean`] is the one phrase translated here, since
/// that function makes it.
impl From<String> for Text {
    fn from(en: String) -> Self {
        let zh = crate::suggest::suggestion_zh(&en);
        Text { en, zh }
    }
}

impl From<&str> for Text {
    fn from(en: &str) -> Self {
        Text::from(en.to_string())
    }
}

/// Machine-readable outputs carry the English: a `Text` field serialises as
/// its English string, so the JSON's shape and words do not depend on the
/// study's language.
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.en)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A [`Text`] from an English and a Chinese format string over the same
/// arguments: `tr!("unknown sector '{s}'", "未知行业“{s}”")`, or with
/// positional arguments after both strings. Each argument is evaluated once
/// per language, so pass plain values.
#[macro_export]
macro_rules! tr {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::text::Text::new(format!($en), format!($zh))
    };
    ($en:literal, $zh:literal, $($arg:expr),+ $(,)?) => {
        $crate::text::Text::new(format!($en, $($arg),+), format!($zh, $($arg),+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tr_formats_both_languages_from_the_same_arguments() {
        let sector = "baijiu";
        let t = crate::tr!("unknown sector '{sector}'", "未知行业“{sector}”");
        assert_eq!(t.get(Lang::En), "unknown sector 'baijiu'");
        assert_eq!(t.get(Lang::Zh), "未知行业“baijiu”");
        let t = crate::tr!("{} of {}", "{1}中的{0}", 3, "ten");
        assert_eq!(t.get(Lang::Zh), "ten中的3");
    }

    #[test]
    fn plain_text_falls_back_to_english_and_suggestions_are_translated() {
        let t = Text::from("disk full");
        assert_eq!(t.get(Lang::Zh), "disk full");
        let t = Text::from("did you mean 'baijiu'?".to_string());
        assert_eq!(t.get(Lang::Zh), "是否应为“baijiu”？");
    }
}
