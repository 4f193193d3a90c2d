//! The language of what the binary prints: `--lang`, else the workbook's own
//! (its `language` setting or Chinese sheet names), else the terminal's
//! `LANG`; and the binary's own errors in both languages over the library
//! error beneath them, so the cause chain is kept and shown in either.

use super::*;

pub(crate) fn to_lang(arg: LangArg) -> coreduce::Lang {
    match arg {
        LangArg::En => coreduce::Lang::En,
        LangArg::Zh => coreduce::Lang::Zh,
    }
}

/// Chinese where the terminal's locale is Chinese (`LANG=zh_CN.UTF-8`).
pub(crate) fn terminal_lang() -> coreduce::Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .map(|v| coreduce::Lang::of_setting(&v))
        .unwrap_or_default()
}

/// The language of what this run prints: `--lang`, else the study's
/// `language` setting once a workbook has been read (see [`study_lang`]),
/// else the terminal's.
pub(crate) static MESSAGE_LANG: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);
pub(crate) static LANG_FROM_FLAG: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

pub(crate) fn set_message_lang(lang: coreduce::Lang) {
    let code = match lang {
        coreduce::Lang::En => 1,
        coreduce::Lang::Zh => 2,
    };
    MESSAGE_LANG.store(code, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn message_lang() -> coreduce::Lang {
    match MESSAGE_LANG.load(std::sync::atomic::Ordering::Relaxed) {
        2 => coreduce::Lang::Zh,
        _ => coreduce::Lang::En,
    }
}

/// A study's `language` setting decides the messages unless `--lang` did.
pub(crate) fn study_lang(language: &str) {
    if !LANG_FROM_FLAG.load(std::sync::atomic::Ordering::Relaxed) {
        set_message_lang(coreduce::Lang::of_setting(language));
    }
}

/// A workbook that failed to read still says its language (its `language`
/// setting, or Chinese sheet names): its findings are given in it unless
/// `--lang` said otherwise.
pub(crate) fn workbook_lang(e: &WorkbookError) {
    if let Some(language) = e.language() {
        if !LANG_FROM_FLAG.load(std::sync::atomic::Ordering::Relaxed) {
            set_message_lang(language);
        }
    }
}

/// A text in this run's language.
pub(crate) fn say(text: coreduce::Text) -> String {
    text.get(message_lang()).to_string()
}

/// An error of the binary's own, in both languages, over the error that
/// caused it (kept as its source, so the cause chain is not lost).
#[derive(Debug)]
pub(crate) struct Said {
    pub(crate) text: coreduce::Text,
    pub(crate) source: Option<anyhow::Error>,
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text.en)
    }
}

impl std::error::Error for Said {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// An error of the binary's own with no cause beneath it.
pub(crate) fn fail(text: coreduce::Text) -> anyhow::Error {
    anyhow::Error::new(Said { text, source: None })
}

/// `.or_say(|| tr!(…))`: the binary's words over a library error.
pub(crate) trait OrSay<T> {
    fn or_say(self, text: impl FnOnce() -> coreduce::Text) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> OrSay<T> for Result<T, E> {
    fn or_say(self, text: impl FnOnce() -> coreduce::Text) -> anyhow::Result<T> {
        self.map_err(|e| {
            anyhow::Error::new(Said {
                text: text(),
                source: Some(e.into()),
            })
        })
    }
}

/// One cause of an error in `lang`: the library's errors, a workbook's
/// findings and the binary's own texts have their Chinese; anything else
/// (an OS message) is shown as it is.
pub(crate) fn cause_text(
    cause: &(dyn std::error::Error + 'static),
    lang: coreduce::Lang,
) -> String {
    if let Some(e) = cause.downcast_ref::<coreduce::Error>() {
        return e.text(lang);
    }
    if let Some(e) = cause.downcast_ref::<WorkbookError>() {
        return e.text(lang);
    }
    if let Some(e) = cause.downcast_ref::<Said>() {
        return e.text.get(lang).to_string();
    }
    cause.to_string()
}

/// The error and its causes on one line, each cause said once: library
/// errors already name their cause (`path: No such file or directory`), so a
/// cause whose text the message holds is not repeated.
pub(crate) fn one_message(e: &anyhow::Error, lang: coreduce::Lang) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause_text(cause, lang);
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(if lang == coreduce::Lang::Zh {
                "："
            } else {
                ": "
            });
        }
        message.push_str(&text);
    }
    message
}
