//! Round trips (the default survey, and generated ones) and what a hand-written
//! XLSForm may and may not hold, each refusal at its sheet, row and column.

use nansen_shared::countries::CODES;
use nansen_shared::{
    Access, Bin, Choice, CountryCode, Crosstab, FieldError, Item, LanguageTag, Licence, Localized,
    OptionCode, Privacy, Question, QuestionId, QuestionKind, ReleaseSchedule, Settings, ShowIf, Slug, Survey,
};
use proptest::prelude::*;

use super::{ReadError, read, write};

/// A workbook of `sheets`, each a list of rows of cells (the first row the header).
pub fn book(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// The same definition, as a draft: what an import of an export must give back.
fn as_draft(survey: &Survey) -> Survey {
    Survey { version: None, invite_key: None, ..survey.clone() }
}

fn refused(bytes: &[u8]) -> Vec<FieldError> {
    match read(bytes) {
        Err(ReadError::Refused(errors)) => errors,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The error at `pointer`, if any.
fn at<'a>(errors: &'a [FieldError], pointer: &str) -> &'a FieldError {
    errors
        .iter()
        .find(|e| e.pointer == pointer)
        .unwrap_or_else(|| panic!("no error at {pointer} in {errors:#?}"))
}

#[test]
fn the_default_survey_round_trips() {
    let survey: Survey = serde_json::from_str(include_str!("../../../../surveys/diaspora.json")).unwrap();
    let bytes = write(&survey).unwrap();
    assert_eq!(read(&bytes).unwrap(), as_draft(&survey));
}

const SETTINGS: &[&[&str]] =
    &[&["form_id", "form_title", "default_language"], &["demo", "Demo", "English (en)"]];

#[test]
fn a_hand_written_form_reads_into_every_kind() {
    let survey: &[&[&str]] = &[
        &[
            "type",
            "name",
            "label::English (en)",
            "label::Русский (ru)",
            "hint::English (en)",
            "required",
            "relevant",
            "constraint",
            "parameters",
            "bins",
            "unit::English (en)",
            "appearance",
            "unit::Русский (ru)",
        ],
        &["note", "welcome", "Hello", "Привет"],
        &["begin group", "about", "About you", "О вас", "", "", "", "", "", "", "", "field-list"],
        &["select_one yn", "left", "Left?", "Уехали?", "", "yes"],
        &[
            "select_multiple why",
            "why",
            "Why?",
            "Почему?",
            "",
            "TRUE",
            "${left} = 'yes'",
            "count-selected(.) <= 2",
        ],
        &["end group"],
        &["begin_group", "later", "", "", "", "", "selected(${why}, 'war')"],
        &["range", "welcome_scale", "Welcome?", "Рады?", "", "", "", "", "start=0 end=10"],
        &[
            "integer",
            "age",
            "Age",
            "Возраст",
            "",
            "1",
            "",
            ". >= 16 and . <= 99",
            "",
            "16-29:young; 30-99:older",
            "years",
            "",
            "лет",
        ],
        &["end_group"],
        &["select_one countries", "country", "Where?", "Где?"],
        &["select_one where_list", "where", "Where else?", "Где ещё?", "", "", "", "", "", "", "", "country"],
        &["decimal", "kids", "Children", "Дети", "", "", "${age} >= 30 and ${age} <= 99", "", "", "kid_bins"],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label::English (en)", "label::Русский (ru)", "exclusive", "min", "max"],
        &["yn", "yes", "Yes", "Да"],
        &["yn", "no", "No", "Нет"],
        &["why", "war", "War", "Война"],
        &["why", "work", "Work", "Работа"],
        &["why", "none", "None", "Ничего", "yes"],
        &["countries", "GE", "Georgia", "Грузия"],
        &["where_list", "AM", "Armenia", "Армения"],
        &["kid_bins", "0", "None", "Нет", "", "0", "0"],
        &["kid_bins", "1_plus", "Some", "Есть", "", "1", "20"],
    ];
    let settings: &[&[&str]] = &[
        &["form_id", "form_title", "form_title::English (en)", "default_language", "nansen_crosstabs"],
        &["exit-2025", "Отъезд", "Leaving", "Русский (ru)", "left:why"],
    ];
    let read = read(&book(&[("survey", survey), ("choices", choices), ("settings", settings)])).unwrap();
    let tag = |s: &str| LanguageTag::parse(s).unwrap();
    assert_eq!(read.slug.as_str(), "exit-2025");
    assert_eq!(read.languages, [tag("ru"), tag("en")], "the default language comes first");
    assert_eq!(read.title, Localized::from([("en", "Leaving"), ("ru", "Отъезд")]));
    assert_eq!(read.intro, Localized::from([("en", "Hello"), ("ru", "Привет")]));
    assert_eq!(read.crosstabs, [Crosstab::new(id("left"), id("why"))]);
    let ids: Vec<&str> = read.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        ["left", "why", "welcome_scale", "age", "country", "where", "kids"],
        "groups are flattened"
    );
    let q = |id: &str| read.question(id).unwrap().1;
    assert!(q("left").required && q("why").required && q("age").required && !q("country").required);
    assert!(matches!(&q("left").kind, QuestionKind::Single { options } if options.len() == 2));
    let QuestionKind::Multi { options, max_choices: Some(2) } = &q("why").kind else {
        panic!("{:?}", q("why"))
    };
    assert!(options[2].exclusive && !options[0].exclusive);
    assert_eq!(q("why").show_if, Some(show("left", &["yes"])));
    assert_eq!(q("why").help, Localized::default());
    assert_eq!(
        q("welcome_scale").show_if,
        Some(show("why", &["war"])),
        "a group's condition goes to its questions"
    );
    assert!(matches!(q("welcome_scale").kind, QuestionKind::Scale { min: 0, max: 10, .. }));
    let QuestionKind::Number { min: 16, max: 99, bins, unit } = &q("age").kind else {
        panic!("{:?}", q("age"))
    };
    assert_eq!(
        bins.iter().map(|b| (b.code.as_str(), b.min, b.max)).collect::<Vec<_>>(),
        [("young", 16, 29), ("older", 30, 99)]
    );
    assert_eq!(unit, &Localized::from([("en", "years"), ("ru", "лет")]));
    assert_eq!(
        q("country").kind,
        QuestionKind::Country { allowed: Some(vec![CountryCode::parse("GE").unwrap()]) }
    );
    assert_eq!(
        q("where").kind,
        QuestionKind::Country { allowed: Some(vec![CountryCode::parse("AM").unwrap()]) }
    );
    let QuestionKind::Number { min: 0, max: 20, bins, .. } = &q("kids").kind else {
        panic!("{:?}", q("kids"))
    };
    assert_eq!(
        bins[1].label,
        Localized::from([("en", "Some"), ("ru", "Есть")]),
        "bins from a list keep labels"
    );
    assert_eq!(q("kids").show_if, Some(show("age", &["older"])));
    assert_eq!(read.check(), Ok(()), "{:#?}", read.check());
}

#[test]
fn what_cannot_be_carried_is_refused_all_at_once_where_it_is() {
    let survey: &[&[&str]] = &[
        &["type", "name", "label::English (en)", "relevant", "choice_filter", "calculation"],
        &["text", "name_q", "Your name?"],
        &["select_one yn", "ok", "OK?"],
        &["select_one yn or_other", "other", "Other?"],
        &["geopoint", "where", "Where?"],
        &["begin_repeat", "kids", "Kids"],
        &["integer", "kid_age", "Age", "", "", ""],
        &["end_repeat"],
        &["select_one yn", "filtered", "Filtered", "${ok} != 'yes'", "yes = 1"],
        &["calculate", "sum", "", "", "", "1 + 1"],
        &["note", "late", "A late note"],
        &["select_one nolist", "missing", "Missing list"],
        &["select_one yn", "Bad-Name", "Bad"],
        &["rank yn or_other", "ranked", "Rank"],
        &["begin_group", "grid", "Grid"],
        &["end_group"],
        &["start", "started"],
    ];
    let choices: &[&[&str]] =
        &[&["list_name", "name", "label::English (en)"], &["yn", "yes", "Yes"], &["yn", "no", "No"]];
    let errors = refused(&book(&[("survey", survey), ("choices", choices), ("settings", SETTINGS)]));
    let free_text = at(&errors, "#/survey/2/type");
    assert_eq!(free_text.code, "unsupported_type");
    assert!(
        free_text.detail.starts_with(
            "Sheet \"survey\", row 2, column \"type\" (A): Nansen does not collect free text, by design"
        ),
        "{}",
        free_text.detail
    );
    assert!(at(&errors, "#/survey/4/type").detail.contains("or_other adds a free-text answer"));
    assert!(at(&errors, "#/survey/5/type").detail.contains("records no locations"));
    assert!(at(&errors, "#/survey/6/type").detail.contains("no repeated groups"));
    assert!(at(&errors, "#/survey/7/constraint").detail.contains("needs its range"), "{errors:#?}");
    let relevant = at(&errors, "#/survey/9/relevant");
    assert_eq!(relevant.code, "unsupported_expression");
    assert!(relevant.detail.contains("column \"relevant\" (D)"), "{}", relevant.detail);
    assert!(at(&errors, "#/survey/9/choice_filter").detail.contains("same options"));
    assert!(at(&errors, "#/survey/10/type").detail.contains("calculates nothing"));
    assert!(at(&errors, "#/survey/10/calculation").detail.contains("calculates nothing"));
    assert_eq!(at(&errors, "#/survey/11/type").code, "note_after_questions");
    assert!(at(&errors, "#/survey/12/type").detail.contains("no list named \"nolist\""));
    assert_eq!(at(&errors, "#/survey/13/name").code, "bad_name");
    assert!(at(&errors, "#/survey/14/type").detail.contains("or_other adds a free-text answer"));
    assert!(at(&errors, "#/survey/17/type").detail.contains("never records when"));
    assert!(errors.iter().all(|e| e.pointer.starts_with("#/survey/")), "{errors:#?}");
    let grids = refused(&book(&[
        (
            "survey",
            &[
                &["type", "name", "label::English (en)", "appearance", "required", "relevant"],
                &["begin_group", "g", "G", "table-list"],
                &["select_one yn", "a", "A"],
                &["select_one ab", "b", "B"],
                &["select_multiple yn", "c", "C"],
                &["select_one yn", "d", "D", "", "yes"],
                &["select_one yn", "e", "E", "", "", "${a} = 'yes'"],
                &["end_group"],
                &["begin_group", "empty", "Empty", "table-list"],
                &["end_group"],
                &["rank yn", "r", "R"],
                &["select_one yn", "after", "After", "", "", "${g} = 'yes'"],
            ],
        ),
        (
            "choices",
            &[
                &["list_name", "name", "label::English (en)"],
                &["yn", "yes", "Yes"],
                &["yn", "no", "No"],
                &["ab", "a", "A"],
            ],
        ),
        ("settings", SETTINGS),
    ]));
    let lists = at(&grids, "#/survey/4/type");
    assert_eq!(lists.code, "grid_lists_differ");
    assert!(lists.detail.starts_with("Sheet \"survey\", row 4, column \"type\" (A):"), "{}", lists.detail);
    assert!(lists.detail.contains("row 3 from \"yn\""), "{}", lists.detail);
    assert_eq!(at(&grids, "#/survey/5/type").code, "bad_grid_row");
    assert!(at(&grids, "#/survey/6/required").detail.contains("same required"));
    assert!(at(&grids, "#/survey/7/relevant").detail.contains("begin_group row"));
    assert_eq!(at(&grids, "#/survey/9/appearance").code, "empty_grid");
    assert!(grids.iter().all(|e| !e.pointer.starts_with("#/survey/11/")), "a rank row reads: {grids:#?}");
    // The grid could not be read, so a condition on it is not reported again.
    assert!(grids.iter().all(|e| !e.pointer.starts_with("#/survey/12/")), "{grids:#?}");
}

#[test]
fn settings_languages_and_lists_are_checked_where_they_are_written() {
    let errors = refused(&book(&[
        ("survey", &[&["type", "name", "label", "label::English"], &["select_one yn", "q", "Q", "Q"]]),
        (
            "choices",
            &[
                &["list_name", "name", "label"],
                &["yn", "Yes", "Yes"],
                &["yn", "Yes", "Again"],
                &["", "orphan", "?"],
            ],
        ),
        (
            "settings",
            &[
                &["form_id", "nansen_settings", "nansen_crosstabs"],
                &["My_Survey", "{\"min_cell\": \"five\"}", "q"],
            ],
        ),
    ]));
    assert_eq!(at(&errors, "#/survey/1/label").code, "unnamed_language");
    assert_eq!(at(&errors, "#/survey/1/label::English").code, "bad_language");
    assert_eq!(at(&errors, "#/choices/3/name").code, "duplicate_choice");
    assert_eq!(at(&errors, "#/choices/4/list_name").code, "missing_cell");
    let form_id = at(&errors, "#/settings/2/form_id");
    assert!(form_id.detail.contains("such as my-survey"), "{}", form_id.detail);
    assert_eq!(at(&errors, "#/settings/2/nansen_settings").code, "bad_settings");
    assert_eq!(at(&errors, "#/settings/2/nansen_crosstabs").code, "bad_crosstabs");
    let no_sheets = refused(&book(&[("other", &[&["a"]])]));
    assert_eq!(at(&no_sheets, "#/survey").code, "missing_sheet");
    assert_eq!(at(&no_sheets, "#/settings").code, "missing_sheet");
}

#[test]
fn files_that_are_not_workbooks_are_told_apart() {
    assert!(matches!(read(b""), Err(ReadError::NotXlsx(_))));
    assert!(matches!(read(b"type,name\ntext,q\n"), Err(ReadError::NotXlsx(_))));
    let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an old workbook";
    assert!(matches!(read(xls), Err(ReadError::NotXlsx(why)) if why.contains(".xls")));
    assert!(matches!(read(b"PK\x03\x04 cut off"), Err(ReadError::Unreadable(_))));
    // A zip of something else than a workbook.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zip, b"hello").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(matches!(read(&bytes), Err(ReadError::Unreadable(_))));
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked_whole() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..(super::workbook::MAX_UNPACKED >> 20) + 1 {
        std::io::Write::write_all(&mut zip, &zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
    assert!(matches!(read(&bytes), Err(ReadError::TooLarge(_))));
}

#[test]
fn a_cell_far_away_is_refused_not_allocated() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("survey").unwrap();
    sheet.write_string(0, 0, "type").unwrap();
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    assert!(matches!(read(&bytes), Err(ReadError::TooLarge(why)) if why.contains("XFD1048576")));
}

fn id(s: &str) -> QuestionId {
    QuestionId::parse(s).unwrap()
}

fn show(question: &str, any_of: &[&str]) -> ShowIf {
    ShowIf { question: id(question), row: None, any_of: any_of.iter().map(|s| (*s).to_owned()).collect() }
}

/// Text as designers write it: any script, punctuation that means something in an
/// expression or a bins cell, inner line breaks, never blank.
fn arb_text() -> impl Strategy<Value = String> {
    "[A-Za-zА-Яа-яЁёІіЎў0-9 ;:'\"<>&=()\n-]{0,20}[A-Za-zА-Яа-я0-9.?!]".prop_map(|s| s)
}

fn arb_localized(languages: Vec<LanguageTag>) -> impl Strategy<Value = Localized> {
    prop::collection::vec(arb_text(), languages.len())
        .prop_map(move |texts| Localized(languages.iter().cloned().zip(texts).collect()))
}

/// Sometimes text, sometimes none.
fn arb_optional(languages: Vec<LanguageTag>) -> impl Strategy<Value = Localized> {
    prop_oneof![Just(Localized::default()), arb_localized(languages)]
}

fn arb_code() -> impl Strategy<Value = OptionCode> {
    "[a-z0-9_]{1,12}".prop_map(|s| OptionCode::parse(s).unwrap())
}

fn arb_choices(languages: Vec<LanguageTag>) -> impl Strategy<Value = Vec<Choice>> {
    prop::collection::vec((arb_code(), arb_localized(languages), any::<bool>()), 1..6).prop_map(|options| {
        let mut seen = std::collections::HashSet::new();
        options
            .into_iter()
            .filter(|(code, _, _)| seen.insert(code.clone()))
            .map(|(code, label, exclusive)| Choice { code, label, exclusive })
            .collect::<Vec<_>>()
    })
}

fn arb_kind(languages: Vec<LanguageTag>) -> impl Strategy<Value = QuestionKind> {
    let single = arb_choices(languages.clone()).prop_map(|options| QuestionKind::Single { options });
    let multi = (arb_choices(languages.clone()), prop::option::of(1u32..5))
        .prop_map(|(options, max_choices)| QuestionKind::Multi { options, max_choices });
    let scale = (-5i64..5, 1i64..10, arb_optional(languages.clone()), arb_optional(languages.clone()))
        .prop_map(|(min, span, min_label, max_label)| QuestionKind::Scale {
            min,
            max: min + span,
            min_label,
            max_label,
        });
    let bins = prop::collection::vec((1i64..30, arb_optional(languages.clone())), 0..4);
    let items = |choices: Vec<Choice>| -> Vec<Item> {
        choices.into_iter().map(|c| Item { code: c.code, label: c.label }).collect()
    };
    // Row codes are renamed after the grid in `arb_survey`: they are names in the form.
    let grid =
        (arb_choices(languages.clone()), arb_choices(languages.clone())).prop_map(move |(rows, options)| {
            let options = options.into_iter().map(|o| Choice { exclusive: false, ..o }).collect();
            QuestionKind::Grid { rows: items(rows), options }
        });
    let ranking = (arb_choices(languages.clone()), prop::option::of(1u32..4))
        .prop_map(move |(choices, max_ranked)| QuestionKind::Ranking { items: items(choices), max_ranked });
    let number = (-100i64..100, bins, arb_optional(languages)).prop_map(|(min, widths, unit)| {
        let mut next = min;
        let bins: Vec<Bin> = widths
            .into_iter()
            .enumerate()
            .map(|(i, (width, label))| {
                let bin = Bin {
                    code: OptionCode::parse(format!("b{i}")).unwrap(),
                    min: next,
                    max: next + width - 1,
                    label,
                };
                next += width;
                bin
            })
            .collect();
        QuestionKind::Number { min, max: (next - 1).max(min), bins, unit }
    });
    let country = prop::option::of(prop::sample::subsequence(CODES.to_vec(), 1..5)).prop_map(|allowed| {
        QuestionKind::Country {
            allowed: allowed.map(|codes| codes.into_iter().map(|c| CountryCode::parse(c).unwrap()).collect()),
        }
    });
    prop_oneof![single, multi, scale, number, country, grid, ranking]
}

/// A grid's rows coded as designers code them, with codes other grids reuse (`r1`, …)
/// and the first named like a question (`q0`): in the form, where every name must
/// differ, such rows are renamed and must still read back with their codes.
fn name_rows(mut kind: QuestionKind) -> QuestionKind {
    if let QuestionKind::Grid { rows, .. } = &mut kind {
        for (j, row) in rows.iter_mut().enumerate() {
            let code = if j == 0 { "q0".to_owned() } else { format!("r{j}") };
            row.code = OptionCode::parse(code).unwrap();
        }
    }
    kind
}

/// The row or item a cross-tabulation of `question` names: one, for a grid or ranking.
fn crosstab_item(question: &Question, pick: usize) -> Option<OptionCode> {
    match &question.kind {
        QuestionKind::Grid { rows: parts, .. } | QuestionKind::Ranking { items: parts, .. } => {
            Some(parts[pick % parts.len()].code.clone())
        }
        _ => None,
    }
}

/// A condition on an earlier question, from what it offers (`pick` chooses).
fn condition(earlier: &Question, picks: &[usize]) -> Option<ShowIf> {
    let codes = |choices: &[Choice]| choices.iter().map(|c| c.code.to_string()).collect();
    let (row, offered): (Option<OptionCode>, Vec<String>) = match &earlier.kind {
        QuestionKind::Grid { rows, options } => {
            (Some(rows[picks[0] % rows.len()].code.clone()), codes(options))
        }
        QuestionKind::Ranking { items, .. } => (None, items.iter().map(|i| i.code.to_string()).collect()),
        _ => (
            None,
            (0..earlier.cell_count())
                .filter(|cell| earlier.offers_cell(*cell))
                .filter_map(|cell| earlier.cell_code(cell).map(|c| c.into_owned()))
                .collect(),
        ),
    };
    if offered.is_empty() {
        return None;
    }
    let mut any_of: Vec<String> = picks.iter().map(|p| offered[p % offered.len()].clone()).collect();
    any_of.dedup();
    let mut seen = std::collections::HashSet::new();
    any_of.retain(|c| seen.insert(c.clone()));
    Some(ShowIf { question: earlier.id.clone(), row, any_of })
}

fn arb_settings() -> impl Strategy<Value = Settings> {
    (
        3u32..20,
        any::<bool>(),
        any::<bool>(),
        1u32..100,
        prop::option::of(20u32..200),
        any::<bool>(),
        1u32..20,
        0usize..5,
    )
        .prop_map(
            |(min_cell, public_results, invite, every_hours, min_new, noise, releases, licence)| Settings {
                min_cell,
                public_results,
                access: if invite { Access::Invite } else { Access::Open },
                releases: ReleaseSchedule { every_hours, min_new },
                privacy: Privacy { noise, rho: f64::from(releases) / 4.0, releases },
                licence: Licence::ALL[licence],
            },
        )
}

fn arb_survey() -> impl Strategy<Value = Survey> {
    let all = ["en", "ru", "uk", "be", "de", "pt-br"].map(|l| LanguageTag::parse(l).unwrap()).to_vec();
    (prop::sample::subsequence(all, 1..4), any::<bool>())
        .prop_flat_map(|(mut languages, reversed)| {
            if reversed {
                languages.reverse();
            }
            let question = (
                arb_kind(languages.clone()),
                arb_localized(languages.clone()),
                arb_optional(languages.clone()),
                any::<bool>(),
                prop::option::of((any::<prop::sample::Index>(), prop::collection::vec(0usize..50, 1..3))),
            );
            (
                Just(languages.clone()),
                arb_localized(languages.clone()),
                arb_optional(languages),
                prop::collection::vec(question, 1..8),
                arb_settings(),
                prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..3),
                any::<Option<u32>>(),
            )
        })
        .prop_map(|(languages, title, intro, seeds, settings, crosstabs, version)| {
            let mut questions: Vec<Question> = Vec::new();
            for (i, (kind, prompt, help, required, show_if)) in seeds.into_iter().enumerate() {
                let show_if = show_if
                    .filter(|_| i > 0)
                    .and_then(|(which, picks)| condition(&questions[which.index(i)], &picks));
                let id = id(&format!("q{i}"));
                let kind = name_rows(kind);
                questions.push(Question { id, kind, required, prompt, help, show_if });
            }
            let crosstabs = crosstabs
                .into_iter()
                .map(|(a, b)| {
                    let (rows, columns) =
                        (&questions[a.index(questions.len())], &questions[b.index(questions.len())]);
                    Crosstab {
                        rows_item: crosstab_item(rows, a.index(usize::MAX)),
                        columns_item: crosstab_item(columns, b.index(usize::MAX)),
                        ..Crosstab::new(rows.id.clone(), columns.id.clone())
                    }
                })
                .collect();
            Survey {
                slug: Slug::parse("generated").unwrap(),
                version,
                languages,
                title,
                intro,
                questions,
                invite_key: None,
                crosstabs,
                settings,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever a definition holds, its XLSForm reads back into the same definition.
    #[test]
    fn every_definition_round_trips(survey in arb_survey()) {
        let bytes = write(&survey).unwrap();
        prop_assert_eq!(read(&bytes).unwrap(), as_draft(&survey));
    }
}
