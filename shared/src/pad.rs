//! Sizes a network observer cannot read answers from. TLS hides the bytes but not how
//! many there are: without padding, the five answers to one question made submissions
//! of five different sizes. So a submission is filled with spaces to a size fixed by the
//! survey version alone ([`submission_size`]: the largest submission the version allows,
//! rounded up to a power of two), and the server's replies to respondents to a size of
//! their own ([`REPLY_SIZE`]).

use crate::answer::{Submission, SubmissionKey};
use crate::survey::{Access, QuestionKind, Survey};

/// The smallest padded submission.
pub const MIN_SUBMISSION: usize = 1024;
/// The largest padded submission: the server takes bodies of up to 64 KiB. A survey
/// whose largest submission is bigger (hundreds of questions of long codes) pads what
/// is sent to the next power of two instead, which says roughly how much was answered.
pub const MAX_SUBMISSION: usize = 64 * 1024;
/// The size of every reply to a submission or an invite code's exchange, counted or
/// refused alike; a longer problem document (a long list of invalid answers) is padded
/// to the next multiple of it.
pub const REPLY_SIZE: usize = 2048;
/// The one character padding is made of.
pub const FILL: char = ' ';

/// The characters the padding adds besides its own: `,"pad":""`.
const PAD_FIELD: usize = 9;
/// Characters of an invitation token's signature when the survey's key is unknown (the
/// base64url of a 4096-bit signature).
const LARGEST_SIGNATURE: usize = 683;

/// The size every submission to `survey` is padded to.
pub fn submission_size(survey: &Survey) -> usize {
    largest_submission(survey).next_power_of_two().clamp(MIN_SUBMISSION, MAX_SUBMISSION)
}

/// `submission` as JSON of exactly [`submission_size`] bytes (or, beyond what the
/// version allows, of the next power of two), its `pad` filled with spaces.
pub fn padded(submission: &Submission, survey: &Survey) -> String {
    let mut submission = Submission { pad: String::new(), ..submission.clone() };
    // Serialising plain data cannot fail.
    let bare = serde_json::to_string(&submission).unwrap_or_default().len() + PAD_FIELD;
    let mut size = submission_size(survey);
    if bare >= size {
        size = (bare + 1).next_power_of_two();
    }
    submission.pad = " ".repeat(size - bare); // FILL
    serde_json::to_string(&submission).unwrap_or_default()
}

/// Whether `pad` holds nothing but padding.
pub fn is_padding(pad: &str) -> bool {
    pad.chars().all(|c| c == FILL)
}

/// The size a reply of `len` bytes is padded to: [`REPLY_SIZE`], or a multiple of it.
pub fn reply_size(len: usize) -> usize {
    len.div_ceil(REPLY_SIZE).max(1) * REPLY_SIZE
}

/// `body` with spaces after it up to `size` bytes (after a JSON document or an HTML
/// page, whitespace changes nothing); unchanged if it is already as long.
pub fn fill(mut body: Vec<u8>, size: usize) -> Vec<u8> {
    let missing = size.saturating_sub(body.len());
    body.resize(body.len() + missing, FILL as u8);
    body
}

/// The length of the longest submission `survey` allows, padding field included: every
/// question answered at once with its longest answer, and the longest credential.
/// (Conditions and exclusive options make some of these impossible together; counting
/// them anyway only makes the bound safe.)
fn largest_submission(survey: &Survey) -> usize {
    let answers: usize = survey
        .questions
        .iter()
        // "id": and a comma
        .map(|q| q.id.as_str().len() + 4 + longest_answer(&q.kind))
        .sum();
    let credential = match survey.settings.access {
        Access::Open => r#","key":"""#.len() + SubmissionKey::MAX_LEN,
        Access::Invite => {
            let signature = survey.invite_key.as_ref().map_or(LARGEST_SIGNATURE, |key| key.spki.len());
            // A 32-byte message and randomizer in base64url: 43 characters each.
            r#","token":{"message":"","randomizer":"","signature":""}"#.len() + 43 + 43 + signature
        }
    };
    let version = survey.version.unwrap_or(0).to_string().len();
    // {"version":…,"answers":{…},…,"pad":" "}
    r#"{"version":,"answers":{}}"#.len() + version + answers + credential + PAD_FIELD + 1
}

/// The length of the longest JSON answer a question of `kind` takes.
fn longest_answer(kind: &QuestionKind) -> usize {
    let quoted = |code: &str| code.len() + 2;
    let digits = |min: i64, max: i64| min.to_string().len().max(max.to_string().len());
    match kind {
        QuestionKind::Single { options } => {
            options.iter().map(|o| quoted(o.code.as_str())).max().unwrap_or(2)
        }
        QuestionKind::Multi { options, max_choices } => {
            // As many of the longest code as may be chosen (a bound, not a sum of the
            // longest few: no sort to download), each quoted, with a comma, in [ ].
            let longest = options.iter().map(|o| quoted(o.code.as_str()) + 1).max().unwrap_or(0);
            let chosen = max_choices.map_or(options.len(), |m| (m as usize).min(options.len()));
            2 + chosen * longest
        }
        QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max, .. } => digits(*min, *max),
        // Two letters, quoted.
        QuestionKind::Country { .. } => 4,
        QuestionKind::Grid { rows, options } => {
            // Every row answered with the longest option: "row":"option", in { }.
            let option = options.iter().map(|o| quoted(o.code.as_str())).max().unwrap_or(2);
            2 + rows.iter().map(|r| quoted(r.code.as_str()) + 1 + option + 1).sum::<usize>()
        }
        QuestionKind::Ranking { items, max_ranked } => {
            // As many of the longest item as there are places, quoted, with commas, in [ ].
            let longest = items.iter().map(|i| quoted(i.code.as_str()) + 1).max().unwrap_or(0);
            let places = max_ranked.map_or(items.len(), |m| (m as usize).min(items.len()));
            2 + places * longest
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::answer::{Answer, Answers};
    use crate::invite::Token;

    fn default_survey() -> Survey {
        let mut survey: Survey = serde_json::from_str(include_str!("../../surveys/diaspora.json")).unwrap();
        survey.version = Some(1);
        survey
    }

    fn submission(answers: Answers) -> Submission {
        Submission {
            version: 1,
            answers,
            key: Some(crate::answer::new_key()),
            token: None,
            pad: String::new(),
        }
    }

    /// Every answer a question takes: each option, each point, each number, every set
    /// of choices up to the allowed number.
    fn every_answer(kind: &QuestionKind) -> Vec<Answer> {
        match kind {
            QuestionKind::Single { options } => {
                options.iter().map(|o| Answer::Code(o.code.to_string())).collect()
            }
            QuestionKind::Multi { options, max_choices } => {
                let max = max_choices.map_or(options.len(), |m| m as usize);
                (1u32..1 << options.len())
                    .filter(|set| set.count_ones() as usize <= max)
                    .map(|set| {
                        let codes = options.iter().enumerate().filter(|(i, _)| set & (1 << i) != 0);
                        Answer::Codes(codes.map(|(_, o)| o.code.to_string()).collect())
                    })
                    .collect()
            }
            QuestionKind::Scale { min, max, .. } => (*min..=*max).map(Answer::Number).collect(),
            // The number itself is sent, so every number of the range.
            QuestionKind::Number { min, max, .. } => (*min..=*max).map(Answer::Number).collect(),
            QuestionKind::Country { .. } => {
                crate::countries::CODES.iter().map(|c| Answer::Code((*c).to_owned())).collect()
            }
            // Each option in every row at once, and each row alone with each option.
            QuestionKind::Grid { rows, options } => options
                .iter()
                .flat_map(|o| {
                    let all =
                        Answer::Rows(rows.iter().map(|r| (r.code.to_string(), o.code.to_string())).collect());
                    let alone =
                        rows.iter().map(|r| Answer::Rows([(r.code.to_string(), o.code.to_string())].into()));
                    std::iter::once(all).chain(alone).collect::<Vec<_>>()
                })
                .collect(),
            // Every item alone, and every run of consecutive items up to the places.
            QuestionKind::Ranking { items, max_ranked } => {
                let places = max_ranked.map_or(items.len(), |m| m as usize);
                (0..items.len())
                    .flat_map(|start| {
                        (1..=places).map(move |count| {
                            (0..count).map(|i| items[(start + i) % items.len()].code.to_string()).collect()
                        })
                    })
                    .map(Answer::Codes)
                    .collect()
            }
        }
    }

    #[test]
    fn every_answer_to_every_question_of_the_default_survey_pads_to_one_size() {
        let survey = default_survey();
        assert_eq!(submission_size(&survey), 1024);
        let mut sizes = std::collections::BTreeSet::new();
        for question in &survey.questions {
            for answer in every_answer(&question.kind) {
                let answers = Answers::from([(question.id.to_string(), answer)]);
                sizes.insert(padded(&submission(answers), &survey).len());
            }
        }
        // And no answer at all, and everything answered at once with the longest codes.
        sizes.insert(padded(&submission(Answers::new()), &survey).len());
        let all: Answers = survey
            .questions
            .iter()
            .map(|q| (q.id.to_string(), every_answer(&q.kind).into_iter().last().unwrap()))
            .collect();
        sizes.insert(padded(&submission(all), &survey).len());
        assert_eq!(sizes.into_iter().collect::<Vec<_>>(), [1024]);
    }

    #[test]
    fn the_longest_number_of_a_range_is_counted_whatever_its_sign() {
        // The number itself is sent (not its bin): the bound must hold its longest
        // spelling, a minus sign included.
        for (min, max) in [(16, 100), (-1000, 5), (-5, 1000), (-99_999, -10), (0, 9)] {
            let mut survey = default_survey();
            let age = survey.questions.iter_mut().find(|q| q.id.as_str() == "age").unwrap();
            age.kind = QuestionKind::Number {
                min,
                max,
                bins: vec![serde_json::from_value(json!({"code": "all", "min": min, "max": max})).unwrap()],
                unit: Default::default(),
            };
            let size = submission_size(&survey);
            let mut everything: Answers = survey
                .questions
                .iter()
                .map(|q| (q.id.to_string(), every_answer(&q.kind).into_iter().last().unwrap()))
                .collect();
            for n in [min, max, min / 2, max / 2, (min + max) / 2] {
                everything.insert("age".to_owned(), Answer::Number(n));
                assert_eq!(
                    padded(&submission(everything.clone()), &survey).len(),
                    size,
                    "{n} in {min}..={max}"
                );
                let alone = Answers::from([("age".to_owned(), Answer::Number(n))]);
                assert_eq!(padded(&submission(alone), &survey).len(), size, "{n} in {min}..={max}");
            }
        }
    }

    #[test]
    fn the_padding_is_spaces_in_one_field_and_reads_back() {
        let survey = default_survey();
        let original = submission(Answers::from([("age".to_owned(), Answer::Number(34))]));
        let json = padded(&original, &survey);
        let read: Submission = serde_json::from_str(&json).unwrap();
        assert!(read.pad.len() > 500 && is_padding(&read.pad));
        assert_eq!(Submission { pad: String::new(), ..read }, original);
        assert!(json.ends_with(r#"  "}"#), "{json}");
        assert!(!is_padding("  x "));
        assert!(is_padding(""));
    }

    #[test]
    fn an_invitation_token_is_counted_by_the_survey_key() {
        let mut survey = default_survey();
        survey.settings.access = Access::Invite;
        let token = Token {
            message: "m".repeat(43),
            randomizer: "r".repeat(43),
            signature: "s".repeat(LARGEST_SIGNATURE),
        };
        let sent = Submission { key: None, token: Some(token), ..submission(Answers::new()) };
        assert_eq!(padded(&sent, &survey).len(), submission_size(&survey));
    }

    #[test]
    fn replies_and_bodies_fill_to_their_size() {
        assert_eq!(reply_size(0), REPLY_SIZE);
        assert_eq!(reply_size(REPLY_SIZE), REPLY_SIZE);
        assert_eq!(reply_size(REPLY_SIZE + 1), 2 * REPLY_SIZE);
        let body = fill(br#"{"status":"counted"}"#.to_vec(), 64);
        assert_eq!(body.len(), 64);
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&body).unwrap(), json!({"status": "counted"}));
        assert_eq!(fill(vec![b'x'; 70], 64).len(), 70);
    }

    /// A survey of questions of every kind with codes and numbers of random lengths.
    fn arb_survey() -> impl Strategy<Value = Survey> {
        let question = (0u8..5, 1usize..30, 1usize..12, -1_000_000i64..1_000_000, 0i64..2_000_000, 0u32..6);
        (prop::collection::vec(question, 1..12), 1u32..100_000, any::<bool>()).prop_map(
            |(questions, version, invite)| {
                let questions: Vec<serde_json::Value> = questions
                    .into_iter()
                    .enumerate()
                    .map(|(i, (kind, code_len, n, low, span, max_choices))| {
                        let code = |j: usize| format!("{j}{}", "c".repeat(code_len.saturating_sub(j % 7)));
                        let options: Vec<_> =
                            (0..n).map(|j| json!({"code": code(j), "label": {"en": "x"}})).collect();
                        let mut q = json!({"id": format!("q{i}_{}", "x".repeat(code_len % 20)), "prompt": {"en": "?"}});
                        let extra = match kind {
                            0 => json!({"kind": "single", "options": options}),
                            1 => json!({"kind": "multi", "options": options,
                                        "max_choices": (max_choices > 0).then_some(max_choices)}),
                            2 => json!({"kind": "scale", "min": low % 10, "max": low % 10 + 10}),
                            3 => json!({"kind": "number", "min": low, "max": low + span,
                                        "bins": [{"code": code(0), "min": low, "max": low + span}]}),
                            _ => json!({"kind": "country"}),
                        };
                        q.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
                        q
                    })
                    .collect();
                let access = if invite { "invite" } else { "open" };
                serde_json::from_value(json!({
                    "slug": "s", "version": version, "languages": ["en"], "title": {"en": "S"},
                    "questions": questions, "settings": {"access": access}
                }))
                .unwrap()
            },
        )
    }

    /// The longest answer each question takes, all at once.
    fn longest_answers(survey: &Survey) -> Answers {
        survey
            .questions
            .iter()
            .map(|q| {
                let longest = every_answer_sample(&q.kind)
                    .into_iter()
                    .max_by_key(|a| serde_json::to_string(a).unwrap().len())
                    .unwrap();
                (q.id.to_string(), longest)
            })
            .collect()
    }

    /// Like [`every_answer`], without enumerating large sets of choices.
    fn every_answer_sample(kind: &QuestionKind) -> Vec<Answer> {
        match kind {
            QuestionKind::Multi { options, max_choices } => {
                let mut codes: Vec<String> = options.iter().map(|o| o.code.to_string()).collect();
                codes.sort_by_key(|c| std::cmp::Reverse(c.len()));
                codes.truncate(max_choices.map_or(codes.len(), |m| m as usize));
                vec![Answer::Codes(codes)]
            }
            QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max, .. } => {
                vec![Answer::Number(*min), Answer::Number(*max)]
            }
            other => every_answer(other),
        }
    }

    proptest! {
        #[test]
        fn no_answer_set_outgrows_the_padded_size(survey in arb_survey()) {
            let size = submission_size(&survey);
            prop_assert!(size.is_power_of_two() && (MIN_SUBMISSION..=MAX_SUBMISSION).contains(&size));
            let credential = |mut s: Submission| {
                if survey.settings.access == Access::Invite {
                    s.key = None;
                    s.token = Some(Token {
                        message: "m".repeat(43), randomizer: "r".repeat(43), signature: "s".repeat(LARGEST_SIGNATURE),
                    });
                } else {
                    s.key = Some("k".repeat(SubmissionKey::MAX_LEN));
                }
                Submission { version: survey.version.unwrap(), ..s }
            };
            let largest = credential(submission(longest_answers(&survey)));
            let bare = serde_json::to_string(&largest).unwrap().len();
            prop_assert!(bare + PAD_FIELD < largest_submission(&survey), "{bare} {}", largest_submission(&survey));
            if largest_submission(&survey) <= MAX_SUBMISSION {
                prop_assert_eq!(padded(&largest, &survey).len(), size);
                prop_assert_eq!(padded(&credential(submission(Answers::new())), &survey).len(), size);
            }
        }
    }
}
