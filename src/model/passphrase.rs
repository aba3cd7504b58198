//! The passphrase policy: long enough, hard to guess by a strength estimate (zxcvbn) that knows
//! common passwords, words, names, dates and keyboard patterns, and not built on the officer's
//! own name, badge number or beat.
//!
//! A copy of the data folder can be attacked offline, where the lockout counts nothing: how hard
//! the passphrase is to guess is then the only defence.

/// The shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// The lowest strength accepted: zxcvbn's score 3, more than 10^8 guesses.
pub const MIN_STRENGTH: u8 = 3;

/// Words anyone would try first against a police officer's log; the estimate counts a
/// passphrase built on them as easy to guess.
const CONTEXT_WORDS: &[&str] = &[
    "beatbook",
    "police",
    "policeofficer",
    "officer",
    "sergeant",
    "detective",
    "deputy",
    "sheriff",
    "constable",
    "patrol",
    "precinct",
    "badge",
    "beat",
    "squad",
    "community",
];

/// How hard a passphrase is to guess, as shown while it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strength {
    /// zxcvbn's score, 0 (guessed at once) to 4 (more than 10^10 guesses).
    pub score: u8,
    /// What a guess-time estimate gives at 10,000 guesses a second ("about 3 days",
    /// "centuries"): a well-equipped attacker with a copy of the log.
    pub guess_time: String,
    /// What makes it easy to guess and how to do better, in plain sentences.
    pub advice: Vec<String>,
}

impl Strength {
    /// "weak", "fair", "good" or "strong".
    pub fn label(&self) -> &'static str {
        match self.score {
            0 | 1 => "weak",
            2 => "fair",
            3 => "good",
            _ => "strong",
        }
    }

    pub fn is_enough(&self) -> bool {
        self.score >= MIN_STRENGTH
    }

    /// One line for the screen: "Strength: fair. Guessing it from a copy of the log would
    /// take about 16 minutes. Add another word or two."
    pub fn describe(&self) -> String {
        let mut line = format!(
            "Strength: {}. Guessing it from a copy of the log would take {}.",
            self.label(),
            self.guess_time
        );
        for advice in &self.advice {
            line.push(' ');
            line.push_str(advice);
        }
        line
    }
}

/// The strength of `text`, counting `personal` words (the officer's name, badge number,
/// beats) and words about the police as easy to guess. Spaces around it are not counted:
/// padding is the first variation anyone tries.
pub fn passphrase_strength(text: &str, personal: &[&str]) -> Strength {
    let inputs: Vec<&str> = CONTEXT_WORDS
        .iter()
        .copied()
        .chain(personal.iter().copied())
        .chain(personal.iter().flat_map(|p| p.split_whitespace()))
        .filter(|w| !w.trim().is_empty())
        .collect();
    let estimate = zxcvbn::zxcvbn(text.trim(), &inputs);
    let seconds = estimate.crack_times().offline_slow_hashing_1e4_per_second();
    let guess_time = match seconds.to_string().as_str() {
        t @ ("centuries" | "less than a second") => t.to_string(),
        t => format!("about {t}"),
    };
    let advice = estimate
        .feedback()
        .map(|f| {
            f.warning()
                .map(|w| w.to_string())
                .into_iter()
                .chain(f.suggestions().iter().map(|s| s.to_string()))
                .collect()
        })
        .unwrap_or_default();
    Strength {
        score: estimate.score().into(),
        guess_time,
        advice,
    }
}

/// Why a passphrase is refused, in words for the person choosing it; `None` if it is accepted.
/// Where the officer is known, use [`passphrase_problem_for`].
pub fn passphrase_problem(text: &str) -> Option<String> {
    passphrase_problem_for(text, &[])
}

/// [`passphrase_problem`] for an officer whose name, badge number and beats are `personal`:
/// a passphrase holding any of them is refused, whatever its strength.
pub fn passphrase_problem_for(text: &str, personal: &[&str]) -> Option<String> {
    if let Some(problem) = passphrase_rule_broken(text, personal) {
        return Some(problem);
    }
    let strength = passphrase_strength(text, personal);
    if !strength.is_enough() {
        return Some(format!(
            "That passphrase is too easy to guess. {} A few unrelated words work well.",
            strength.describe()
        ));
    }
    None
}

/// The rules checked before the strength is estimated: the length, and none of the officer's
/// own words. Why the passphrase breaks one, or `None`.
pub fn passphrase_rule_broken(text: &str, personal: &[&str]) -> Option<String> {
    let chars = text.chars().count();
    if chars < MIN_PASSPHRASE_CHARS {
        return Some(format!(
            "The passphrase needs at least {MIN_PASSPHRASE_CHARS} characters ({chars} so far)."
        ));
    }
    if holds_personal_word(text, personal) {
        return Some(
            "The passphrase holds your name, badge number or beat: anyone who knows you would \
             try those first. Choose words that have nothing to do with you."
                .into(),
        );
    }
    None
}

/// Lower-case letters and digits only: "Elm Park" and "elm-park" both become "elmpark".
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The runs of letters and of digits in `text`, lower-cased: "Dana4127x" gives "dana",
/// "4127", "x".
fn runs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last_digit = None;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            last_digit = None;
            continue;
        }
        let digit = c.is_numeric();
        match out.last_mut() {
            Some(run) if last_digit == Some(digit) => run.extend(c.to_lowercase()),
            _ => out.push(c.to_lowercase().collect()),
        }
        last_digit = Some(digit);
    }
    out
}

/// Whether `text` holds one of the officer's words: a whole name, a beat's name or a badge
/// number anywhere, or one of the words of a name standing on its own. Short words (under four
/// letters, such as "Ali" or "Elm") count only as a whole word, so "quality" is not "Ali".
fn holds_personal_word(text: &str, personal: &[&str]) -> bool {
    let whole = squeezed(text);
    let words = runs(text);
    let contains = |word: &str| {
        let w = squeezed(word);
        match w.chars().count() {
            0 => false,
            1..=3 => words.contains(&w),
            _ => whole.contains(&w),
        }
    };
    personal
        .iter()
        .any(|p| contains(p) || p.split_whitespace().any(contains))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_predictable_passphrases_are_refused() {
        for weak in [
            "",
            "Ab1!",
            "abcdefghijklmnop",
            "ABCDEFGHIJ1",
            "Password123!",
            "Password123!a",
            "Beatbook2026x",
            "Qwertyuiop1",
            "  Police2026  ",
            "Beatbook-2026",
            "riverside2026",
            "1234567890",
        ] {
            assert!(passphrase_problem(weak).is_some(), "{weak:?} was accepted");
        }
    }

    #[test]
    fn long_unrelated_words_are_accepted() {
        for good in [
            "Riverside-Beat-2026",
            "correct horse battery staple",
            "Elm park 7 lanterns",
            "Quiet otter borrows 9 lamps",
        ] {
            assert_eq!(passphrase_problem(good), None, "{good:?}");
        }
    }

    #[test]
    fn the_officers_name_badge_and_beat_are_refused_even_in_a_strong_passphrase() {
        let dana = ["Dana Reyes", "4127", "Riverside", "Elm Park"];
        for mine in [
            "Dana-Reyes-4127",
            "Quiet otter Reyes lamps",
            "lamps 4127 quiet otter",
            "Elm park 7 lanterns",
            "otter-RIVERSIDE-lamps-9",
        ] {
            assert_eq!(
                passphrase_problem(mine),
                None,
                "{mine:?} is strong by itself"
            );
            let problem = passphrase_problem_for(mine, &dana);
            assert!(
                problem.as_deref().is_some_and(|p| p.contains("your name")),
                "{mine:?}: {problem:?}"
            );
        }
        assert_eq!(
            passphrase_problem_for("Quiet otter borrows 9 lamps", &dana),
            None
        );
        // A short name counts only as a word of its own.
        let ali = ["Ali Khan", "3301", "Riverside"];
        assert_eq!(
            passphrase_problem_for("Quality otter borrows 9 lamps", &ali),
            None
        );
        assert!(passphrase_problem_for("Quiet ali borrows 9 lamps", &ali).is_some());
    }

    #[test]
    fn the_estimate_says_how_strong_and_how_long_to_guess() {
        let weak = passphrase_strength("Password123!a", &[]);
        assert_eq!(weak.label(), "weak");
        assert!(!weak.is_enough());
        let line = weak.describe();
        assert!(line.starts_with("Strength: weak. Guessing it"), "{line}");
        assert!(
            line.contains("This is similar to a commonly used password."),
            "{line}"
        );
        let strong = passphrase_strength("Quiet otter borrows 9 lamps", &[]);
        assert_eq!(
            strong.describe(),
            "Strength: strong. Guessing it from a copy of the log would take centuries."
        );
        // The officer's words make a passphrase built on them weaker.
        let plain = passphrase_strength("Reyes4127x", &[]);
        let known = passphrase_strength("Reyes4127x", &["Dana Reyes", "4127"]);
        assert!(known.score <= plain.score, "{plain:?} {known:?}");
    }
}
