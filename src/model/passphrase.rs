//! The passphrase policy: long enough, mixed, and not a well-known password.

/// The shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Well-known passwords and the words they are built on. A passphrase that is one of these,
/// perhaps with digits or symbols around it, is the first thing anyone would try.
const COMMON: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssword",
    "p@ssw0rd",
    "qwerty",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "letmein",
    "welcome",
    "iloveyou",
    "admin",
    "administrator",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "basketball",
    "soccer",
    "hockey",
    "sunshine",
    "princess",
    "master",
    "shadow",
    "superman",
    "batman",
    "trustno1",
    "starwars",
    "whatever",
    "freedom",
    "charlie",
    "michael",
    "jennifer",
    "jordan",
    "hunter",
    "ranger",
    "summer",
    "winter",
    "spring",
    "autumn",
    "changeme",
    "default",
    "secret",
    "abc",
    "abcdef",
    "abcdefg",
    "abcdefghij",
    "police",
    "policeofficer",
    "officer",
    "sergeant",
    "detective",
    "patrol",
    "beatbook",
    "precinct",
    "badge",
    "community",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1qaz2wsx",
    "qazwsx",
    "zaq12wsx",
    "computer",
    "internet",
    "login",
    "access",
    "mustang",
    "harley",
    "ginger",
    "pepper",
    "cookie",
    "chocolate",
    "lovely",
    "loveme",
    "flower",
    "jesus",
    "blessed",
    "america",
    "liberty",
    "justice",
    "thunder",
    "tigger",
    "killer",
    "matrix",
    "ninja",
    "pokemon",
];

/// Why a passphrase is refused, in words for the person choosing it; `None` if it is accepted.
pub fn passphrase_problem(text: &str) -> Option<String> {
    let chars = text.chars().count();
    if chars < MIN_PASSPHRASE_CHARS {
        return Some(format!(
            "The passphrase needs at least {MIN_PASSPHRASE_CHARS} characters ({chars} so far)."
        ));
    }
    let classes = [
        text.chars().any(|c| c.is_lowercase()),
        text.chars().any(|c| c.is_uppercase()),
        text.chars().any(|c| c.is_numeric()),
        text.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 3 {
        return Some(
            "Mix at least three of: lower-case letters, capitals, digits, and symbols or spaces."
                .into(),
        );
    }
    let lower = text.to_lowercase();
    let core: String = lower
        .trim_matches(|c: char| !c.is_alphabetic())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let all_one_char = lower.chars().all(|c| lower.starts_with(c));
    if COMMON.contains(&core.as_str()) || COMMON.contains(&lower.as_str()) || all_one_char {
        return Some(
            "That is one of the first passphrases anyone would try. Choose another: a few \
             unrelated words with a digit or symbol work well."
                .into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_plain_and_common_passphrases_are_refused() {
        for weak in [
            "",
            "Ab1!",
            "abcdefghijklmnop",
            "ABCDEFGHIJ1",
            "Password123!",
            "Qwertyuiop1",
            "  Police2026  ",
            "Beatbook-2026",
        ] {
            assert!(passphrase_problem(weak).is_some(), "{weak:?} was accepted");
        }
    }

    #[test]
    fn long_mixed_passphrases_are_accepted() {
        for good in [
            "Riverside-Beat-2026",
            "correct horse Battery",
            "Elm park 7 lanterns",
        ] {
            assert_eq!(passphrase_problem(good), None, "{good:?}");
        }
    }
}
