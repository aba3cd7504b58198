//! What the log is for: relationships, not surveillance. A short list of words that make a note
//! read like intelligence on a person, so the app can say so gently while the officer types.
//!
//! The list is deliberately short and documented (README, "What the log is for"): it prompts a
//! second look, it never blocks a save.

/// Word starts that suggest suspicion, gangs or intelligence rather than a conversation.
pub const WATCH_WORDS: [&str; 12] = [
    "suspect",
    "suspicious",
    "gang",
    "affiliat",
    "associate of",
    "known associate",
    "informant",
    "intel",
    "surveil",
    "person of interest",
    "watch list",
    "criminal history",
];

/// The watch words a text contains at the start of a word, in list order, each once.
pub fn watch_words_in(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    WATCH_WORDS
        .iter()
        .copied()
        .filter(|w| {
            lower.match_indices(w).any(|(at, _)| {
                lower[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        })
        .collect()
}

/// The gentle warning shown under a note that reads like intelligence, or `None`.
pub fn purpose_warning(text: &str) -> Option<String> {
    let found = watch_words_in(text);
    if found.is_empty() {
        return None;
    }
    let quoted: Vec<String> = found.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!(
        "This note mentions {}. beatbook keeps community relationships, not intelligence: \
         write what people raised and what you promised, not suspicions about them.",
        quoted.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_words_are_found_at_word_starts_only() {
        assert_eq!(
            watch_words_in("Said the SUSPECT is gang-affiliated."),
            ["suspect", "gang", "affiliat"]
        );
        assert_eq!(
            watch_words_in("Asked about the Suspicious package"),
            ["suspicious"]
        );
        assert!(watch_words_in("Talked at the Langley playground about lighting").is_empty());
        assert!(watch_words_in("Dropped off flyers; profile of the block party").is_empty());
        assert!(purpose_warning("Broken streetlight on Elm").is_none());
        let w = purpose_warning("Known associate of the Elm St crew").unwrap_or_default();
        assert!(w.contains("\"associate of\", \"known associate\""), "{w}");
    }
}
