//! The few XPath expressions a Nansen survey can carry, written and read side by side:
//! conditions (`relevant`) that look at one earlier answer — `${q} = 'x'`,
//! `selected(${q}, 'x')`, for a number one of its bins as `${q} >= a and ${q} <= b`,
//! joined by `or` — and the constraints that say how many choices a multiple choice
//! takes (`count-selected(.) <= 3`) and which numbers a number question takes
//! (`. >= 16 and . <= 100`). Anything else is refused, with a reason.

use nansen_shared::{OptionCode, Question, QuestionKind, ShowIf};

/// `${field} = 'x' or …`: the condition `show_if`, on `earlier`, as a `relevant`
/// expression. `field` is the XLSForm name looked at: the question's, or for a condition
/// on a grid row, the name of the row's own question.
pub fn format_relevant(earlier: Option<&Question>, show_if: &ShowIf, field: &str) -> String {
    let q = field;
    let term = |code: &str| match earlier.map(|e| &e.kind) {
        Some(QuestionKind::Multi { .. } | QuestionKind::Ranking { .. }) => {
            format!("selected(${{{q}}}, '{code}')")
        }
        Some(QuestionKind::Scale { .. }) => format!("${{{q}}} = {code}"),
        Some(QuestionKind::Number { bins, .. }) => match bins.iter().find(|b| b.code.as_str() == code) {
            Some(bin) if show_if.any_of.len() > 1 => {
                format!("(${{{q}}} >= {} and ${{{q}}} <= {})", bin.min, bin.max)
            }
            Some(bin) => format!("${{{q}}} >= {} and ${{{q}}} <= {}", bin.min, bin.max),
            None => format!("${{{q}}} = '{code}'"),
        },
        _ => format!("${{{q}}} = '{code}'"),
    };
    show_if.any_of.iter().map(|code| term(code)).collect::<Vec<_>>().join(" or ")
}

/// The constraint that allows at most `max` choices.
pub fn format_max_choices(max: u32) -> String {
    format!("count-selected(.) <= {max}")
}

/// The constraint that allows the whole numbers `min` to `max`.
pub fn format_range(min: i64, max: i64) -> String {
    format!(". >= {min} and . <= {max}")
}

/// A `relevant` expression read: the question it looks at and what it asks of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub question: String,
    pub terms: Vec<Term>,
}

/// One alternative of a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// `${q} = 'x'`: the answer is x.
    Equals(String),
    /// `selected(${q}, 'x')`: x is among the answers.
    Selected(String),
    /// `${q} >= a and ${q} <= b`: a number from a to b.
    Between(i64, i64),
}

/// The expression forms a condition may take, for error messages.
const RELEVANT_FORMS: &str = "Nansen carries conditions of the forms ${q} = 'x', selected(${q}, 'x') and, \
     for a number, one of its bins as ${q} >= 16 and ${q} <= 24, joined by `or`, all about one earlier question";

/// Reads a `relevant` expression.
pub fn parse_relevant(text: &str) -> Result<Condition, String> {
    let expr = parse(text).map_err(|why| format!("{why}. {RELEVANT_FORMS}."))?;
    let mut question: Option<String> = None;
    let mut terms = Vec::new();
    for alternative in expr.alternatives() {
        let (q, term) = relevant_term(alternative).ok_or_else(|| {
            format!("\"{}\" is not a condition Nansen can carry. {RELEVANT_FORMS}.", text.trim())
        })?;
        match &question {
            Some(first) if *first != q => {
                return Err(format!(
                    "the condition looks at ${{{first}}} and ${{{q}}}; a Nansen question can depend on one earlier \
                     question only"
                ));
            }
            _ => question = Some(q),
        }
        terms.push(term);
    }
    let question = question.ok_or_else(|| format!("the condition is empty. {RELEVANT_FORMS}."))?;
    Ok(Condition { question, terms })
}

/// What `earlier`'s condition asks, as the codes of its answers (scale points, bins);
/// `row` is the grid row the condition names (by its name, `${row}`).
pub fn show_if(earlier: &Question, row: Option<&OptionCode>, terms: &[Term]) -> Result<ShowIf, String> {
    let q = row.map_or(earlier.id.as_str(), |row| row.as_str());
    if let (QuestionKind::Grid { rows, .. }, None) = (&earlier.kind, row) {
        let example = rows.first().map_or("row", |r| r.code.as_str());
        return Err(format!("\"{q}\" is a grid; a condition names one of its rows, as ${{{example}}} = 'x'"));
    }
    let mut any_of: Vec<String> = Vec::new();
    for term in terms {
        let code = match (&earlier.kind, term) {
            (QuestionKind::Multi { .. } | QuestionKind::Ranking { .. }, Term::Equals(code)) => {
                return Err(format!(
                    "${{{q}}} = '{code}' holds only when \"{code}\" is the one answer chosen; write \
                     selected(${{{q}}}, '{code}') to ask whether it is among them"
                ));
            }
            (QuestionKind::Number { bins, .. }, Term::Between(min, max)) => {
                match bins.iter().find(|b| b.min == *min && b.max == *max) {
                    Some(bin) => bin.code.to_string(),
                    None => {
                        return Err(format!(
                            "\"{q}\" has no bin from {min} to {max}; a condition on a number names one of its bins"
                        ));
                    }
                }
            }
            (QuestionKind::Number { .. }, _) => {
                return Err(format!(
                    "a condition on the number \"{q}\" names one of its bins, as ${{{q}}} >= 16 and ${{{q}}} <= 24"
                ));
            }
            (_, Term::Between(..)) => {
                return Err(format!("\"{q}\" is not a number question; name its answers as ${{{q}}} = 'x'"));
            }
            (_, Term::Equals(code) | Term::Selected(code)) => code.clone(),
        };
        if earlier.opened_by(row.map(|r| r.as_str()), &code).is_none() {
            return Err(format!("\"{q}\" does not offer the answer \"{code}\""));
        }
        if !any_of.contains(&code) {
            any_of.push(code);
        }
    }
    Ok(ShowIf { question: earlier.id.clone(), row: row.cloned(), any_of })
}

/// Reads a multiple choice's constraint: the most choices it allows.
pub fn parse_max_choices(text: &str) -> Result<u32, String> {
    let expected = "a multiple choice carries only the constraint count-selected(.) <= N (at most N choices)";
    let expr = parse(text).map_err(|why| format!("{why}; {expected}"))?;
    match expr {
        Expr::Compare(left, Op::AtMost, right) => match (*left, *right) {
            (Expr::Call(name, args), Expr::Number(n)) if name == "count-selected" && args == [Expr::Dot] => {
                u32::try_from(n).map_err(|_| format!("{n} is not a number of choices"))
            }
            _ => Err(format!("\"{}\" is not one; {expected}", text.trim())),
        },
        _ => Err(format!("\"{}\" is not one; {expected}", text.trim())),
    }
}

/// Reads a number question's constraint: the smallest and largest numbers it allows.
pub fn parse_range(text: &str) -> Result<(i64, i64), String> {
    let expected =
        "a number question carries only the constraint . >= a and . <= b (whole numbers from a to b)";
    let expr = parse(text).map_err(|why| format!("{why}; {expected}"))?;
    bounds(&expr, |e| *e == Expr::Dot).ok_or_else(|| format!("\"{}\" is not one; {expected}", text.trim()))
}

/// `x >= a and x <= b`, in either order, where `is_subject(x)`.
fn bounds(expr: &Expr, is_subject: impl Fn(&Expr) -> bool) -> Option<(i64, i64)> {
    let Expr::And(parts) = expr else { return None };
    let [first, second] = parts.as_slice() else { return None };
    let bound = |part: &Expr| match part {
        Expr::Compare(left, op @ (Op::AtLeast | Op::AtMost), right) if is_subject(left) => match **right {
            Expr::Number(n) => Some((*op, n)),
            _ => None,
        },
        _ => None,
    };
    match (bound(first)?, bound(second)?) {
        ((Op::AtLeast, min), (Op::AtMost, max)) | ((Op::AtMost, max), (Op::AtLeast, min)) => Some((min, max)),
        _ => None,
    }
}

/// One alternative of a `relevant` expression, if it has a form Nansen carries.
fn relevant_term(expr: &Expr) -> Option<(String, Term)> {
    let value = |e: &Expr| match e {
        Expr::Text(s) => Some(s.clone()),
        Expr::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match expr {
        Expr::Compare(left, Op::Equals, right) => match (&**left, value(right)) {
            (Expr::Ref(q), Some(v)) => Some((q.clone(), Term::Equals(v))),
            _ => None,
        },
        Expr::Call(name, args) if name == "selected" => match args.as_slice() {
            [Expr::Ref(q), v] => Some((q.clone(), Term::Selected(value(v)?))),
            _ => None,
        },
        Expr::And(parts) => {
            let Some(Expr::Compare(left, _, _)) = parts.first() else { return None };
            let Expr::Ref(q) = &**left else { return None };
            let (min, max) = bounds(expr, |e| matches!(e, Expr::Ref(r) if r == q))?;
            Some((q.clone(), Term::Between(min, max)))
        }
        _ => None,
    }
}

/// An expression, as far as Nansen needs to understand one.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Compare(Box<Expr>, Op, Box<Expr>),
    Call(String, Vec<Expr>),
    /// `${name}`
    Ref(String),
    /// `.`, the question's own answer.
    Dot,
    Text(String),
    Number(i64),
}

impl Expr {
    /// The alternatives joined by `or` (the expression itself when there is no `or`).
    fn alternatives(&self) -> &[Expr] {
        match self {
            Expr::Or(alternatives) => alternatives,
            other => std::slice::from_ref(other),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equals,
    NotEquals,
    AtLeast,
    AtMost,
    Above,
    Below,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ref(String),
    Word(String),
    Text(String),
    Number(i64),
    Op(Op),
    Open,
    Close,
    Comma,
    Dot,
}

/// The longest expression read: conditions are short, and the parser recurses.
const MAX_EXPRESSION: usize = 2000;

fn parse(text: &str) -> Result<Expr, String> {
    if text.len() > MAX_EXPRESSION {
        return Err(format!("the expression is longer than {MAX_EXPRESSION} characters"));
    }
    let tokens = tokens(text)?;
    let mut parser = Parser { tokens, at: 0, depth: 0 };
    let expr = parser.or()?;
    match parser.tokens.get(parser.at) {
        None => Ok(expr),
        Some(token) => Err(format!("unexpected {} in the expression", describe(token))),
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Ref(name) => format!("${{{name}}}"),
        Token::Word(word) => format!("\"{word}\""),
        Token::Text(text) => format!("'{text}'"),
        Token::Number(n) => n.to_string(),
        Token::Op(_) => "comparison".to_owned(),
        Token::Open => "\"(\"".to_owned(),
        Token::Close => "\")\"".to_owned(),
        Token::Comma => "\",\"".to_owned(),
        Token::Dot => "\".\"".to_owned(),
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let token = match c {
            c if c.is_whitespace() => continue,
            '(' => Token::Open,
            ')' => Token::Close,
            ',' => Token::Comma,
            '.' => Token::Dot,
            '=' => Token::Op(Op::Equals),
            '!' | '<' | '>' => {
                let equals = chars.next_if(|(_, n)| *n == '=').is_some();
                Token::Op(match (c, equals) {
                    ('!', true) => Op::NotEquals,
                    ('<', true) => Op::AtMost,
                    ('>', true) => Op::AtLeast,
                    ('<', false) => Op::Below,
                    ('>', false) => Op::Above,
                    _ => return Err("\"!\" must be followed by \"=\"".to_owned()),
                })
            }
            '$' => {
                if chars.next_if(|(_, n)| *n == '{').is_none() {
                    return Err("\"$\" must start a reference such as ${age}".to_owned());
                }
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some((_, '}')) => break,
                        Some((_, c)) => name.push(c),
                        None => return Err("a reference ${… is not closed with \"}\"".to_owned()),
                    }
                }
                Token::Ref(name.trim().to_owned())
            }
            '\'' | '"' => {
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some((_, q)) if q == c => break,
                        Some((_, ch)) => value.push(ch),
                        None => return Err("a quoted value is not closed".to_owned()),
                    }
                }
                Token::Text(value)
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit())) =>
            {
                let mut end = at + c.len_utf8();
                while let Some((i, d)) = chars.next_if(|(_, d)| d.is_ascii_digit() || *d == '.') {
                    end = i + d.len_utf8();
                }
                let digits = &text[at..end];
                Token::Number(digits.parse().map_err(|_| format!("{digits} is not a whole number"))?)
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = at + c.len_utf8();
                while let Some((i, d)) =
                    chars.next_if(|(_, d)| d.is_alphanumeric() || matches!(d, '_' | '-' | ':'))
                {
                    end = i + d.len_utf8();
                }
                Token::Word(text[at..end].to_owned())
            }
            other => return Err(format!("\"{other}\" has no place in a condition Nansen can carry")),
        };
        tokens.push(token);
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn word(&mut self, word: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Word(w)) if w == word);
        if found {
            self.at += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > 20 {
            return Err("the expression is nested too deeply".to_owned());
        }
        let mut alternatives = vec![self.and()?];
        while self.word("or") {
            alternatives.push(self.and()?);
        }
        self.depth -= 1;
        Ok(if alternatives.len() == 1 { alternatives.remove(0) } else { Expr::Or(flatten_or(alternatives)) })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.compare()?];
        while self.word("and") {
            parts.push(self.compare()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::And(parts) })
    }

    fn compare(&mut self) -> Result<Expr, String> {
        let left = self.primary()?;
        if let Some(Token::Op(op)) = self.peek().cloned() {
            self.at += 1;
            let right = self.primary()?;
            return Ok(Expr::Compare(Box::new(left), op, Box::new(right)));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("a \"(\" is not closed".to_owned()),
                }
            }
            Some(Token::Word(name)) if self.peek() == Some(&Token::Open) => {
                self.at += 1;
                let mut args = Vec::new();
                if self.peek() == Some(&Token::Close) {
                    self.at += 1;
                    return Ok(Expr::Call(name, args));
                }
                loop {
                    args.push(self.or()?);
                    match self.next() {
                        Some(Token::Comma) => continue,
                        Some(Token::Close) => return Ok(Expr::Call(name, args)),
                        _ => return Err(format!("the call {name}(…) is not closed")),
                    }
                }
            }
            Some(Token::Ref(name)) => Ok(Expr::Ref(name)),
            Some(Token::Dot) => Ok(Expr::Dot),
            Some(Token::Text(text)) => Ok(Expr::Text(text)),
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(token) => Err(format!("unexpected {} in the expression", describe(&token))),
            None => Err("the expression ends too early".to_owned()),
        }
    }
}

/// `(a or b) or c` is `a or b or c`.
fn flatten_or(alternatives: Vec<Expr>) -> Vec<Expr> {
    alternatives
        .into_iter()
        .flat_map(|alternative| match alternative {
            Expr::Or(inner) => inner,
            other => vec![other],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use nansen_shared::{Bin, Choice, Localized, OptionCode, QuestionId};

    use super::*;

    fn question(id: &str, kind: QuestionKind) -> Question {
        Question {
            id: QuestionId::parse(id).unwrap(),
            kind,
            required: false,
            prompt: Localized::from([("en", "?")]),
            help: Localized::default(),
            show_if: None,
        }
    }

    fn choices(codes: &[&str]) -> Vec<Choice> {
        codes
            .iter()
            .map(|c| Choice {
                code: OptionCode::parse(*c).unwrap(),
                label: Localized::default(),
                exclusive: false,
            })
            .collect()
    }

    fn bin(code: &str, min: i64, max: i64) -> Bin {
        Bin { code: OptionCode::parse(code).unwrap(), min, max, label: Localized::default() }
    }

    fn show(q: &str, any_of: &[&str]) -> ShowIf {
        ShowIf {
            question: QuestionId::parse(q).unwrap(),
            row: None,
            any_of: any_of.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn conditions_of_every_kind_read_back() {
        let earlier = [
            question("left", QuestionKind::Single { options: choices(&["before", "after"]) }),
            question("why", QuestionKind::Multi { options: choices(&["war", "work"]), max_choices: None }),
            question(
                "welcome",
                QuestionKind::Scale {
                    min: 1,
                    max: 5,
                    min_label: Localized::default(),
                    max_label: Localized::default(),
                },
            ),
            question(
                "age",
                QuestionKind::Number {
                    min: 16,
                    max: 100,
                    bins: vec![bin("young", 16, 29), bin("old", 30, 100)],
                    unit: Localized::default(),
                },
            ),
            question("country", QuestionKind::Country { allowed: None }),
        ];
        let cases = [
            (&earlier[0], show("left", &["before"]), "${left} = 'before'"),
            (&earlier[0], show("left", &["before", "after"]), "${left} = 'before' or ${left} = 'after'"),
            (
                &earlier[1],
                show("why", &["war", "work"]),
                "selected(${why}, 'war') or selected(${why}, 'work')",
            ),
            (&earlier[2], show("welcome", &["4", "5"]), "${welcome} = 4 or ${welcome} = 5"),
            (&earlier[3], show("age", &["young"]), "${age} >= 16 and ${age} <= 29"),
            (
                &earlier[3],
                show("age", &["young", "old"]),
                "(${age} >= 16 and ${age} <= 29) or (${age} >= 30 and ${age} <= 100)",
            ),
            (&earlier[4], show("country", &["GE", "AM"]), "${country} = 'GE' or ${country} = 'AM'"),
        ];
        for (earlier, show_if, text) in cases {
            assert_eq!(format_relevant(Some(earlier), &show_if, show_if.question.as_str()), text);
            let condition = parse_relevant(text).unwrap();
            assert_eq!(condition.question, show_if.question.as_str());
            assert_eq!(self::show_if(earlier, None, &condition.terms).unwrap(), show_if, "{text}");
        }
    }

    #[test]
    fn hand_written_variants_are_understood() {
        let single = question("left", QuestionKind::Single { options: choices(&["before", "after"]) });
        for text in [
            "${left}='before'",
            "( ${left} = \"before\" )",
            "selected(${left}, 'before')",
            "(${left} = 'before' or (${left} = 'before'))",
        ] {
            let condition = parse_relevant(text).unwrap();
            assert_eq!(
                show_if(&single, None, &condition.terms).unwrap(),
                show("left", &["before"]),
                "{text}"
            );
        }
        let age = question(
            "age",
            QuestionKind::Number { min: 0, max: 9, bins: vec![bin("all", 0, 9)], unit: Localized::default() },
        );
        let condition = parse_relevant("${age} <= 9 and ${age} >= 0").unwrap();
        assert_eq!(show_if(&age, None, &condition.terms).unwrap(), show("age", &["all"]));
    }

    #[test]
    fn other_expressions_are_refused_with_a_reason() {
        for (text, says) in [
            ("${a} != 'x'", "not a condition Nansen can carry"),
            ("${a} = 'x' and ${b} = 'y'", "not a condition Nansen can carry"),
            ("${a} = 'x' or ${b} = 'y'", "one earlier question only"),
            ("string-length(${a}) > 0", "not a condition Nansen can carry"),
            ("${a} = 'x", "not closed"),
            ("${a} > 1.5", "not a whole number"),
            ("", "ends too early"),
        ] {
            let error = parse_relevant(text).unwrap_err();
            assert!(error.contains(says), "{text}: {error}");
        }
        assert!(parse_relevant(&"(".repeat(50)).unwrap_err().contains("nested too deeply"));
        let why =
            question("why", QuestionKind::Multi { options: choices(&["war", "work"]), max_choices: None });
        let equals = parse_relevant("${why} = 'war'").unwrap();
        assert!(show_if(&why, None, &equals.terms).unwrap_err().contains("selected(${why}, 'war')"));
        let unknown = parse_relevant("selected(${why}, 'peace')").unwrap();
        assert!(
            show_if(&why, None, &unknown.terms).unwrap_err().contains("does not offer the answer \"peace\"")
        );
    }

    #[test]
    fn constraints_read_back() {
        assert_eq!(parse_max_choices(&format_max_choices(3)), Ok(3));
        assert_eq!(parse_max_choices("(count-selected( . )<=2)"), Ok(2));
        assert!(parse_max_choices("count-selected(.) >= 2").is_err());
        assert_eq!(parse_range(&format_range(-5, 120)), Ok((-5, 120)));
        assert_eq!(parse_range("(. <= 10) and (. >= 1)"), Ok((1, 10)));
        assert!(parse_range(". > 1 and . < 10").unwrap_err().contains(". >= a and . <= b"));
        assert!(parse_range("regex(., '[0-9]+')").is_err());
    }
}
