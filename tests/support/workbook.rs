//! Spreadsheets written for the tests, as a designer's XLSForm would be: shared by the
//! API and browser tests. `relocation_form` is the realistic one: Russian and English,
//! groups, a condition on a group, conditions joined by `or`, a table-list grid, a rank.

/// An `.xlsx` workbook of `sheets`, each a list of rows of cells (the first row its
/// header); empty cells are left out, as Excel leaves them.
pub fn workbook(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().filter(|(_, cell)| !cell.is_empty()) {
                sheet.write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), *cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// The survey sheet's header: Russian first (the default language), then English.
pub const SURVEY_HEADER: [&str; 20] = [
    "type",
    "name",
    "label::Русский (ru)",
    "label::English (en)",
    "hint::Русский (ru)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "appearance",
    "parameters",
    "bins",
    "unit::Русский (ru)",
    "unit::English (en)",
    "min_label::Русский (ru)",
    "min_label::English (en)",
    "max_label::Русский (ru)",
    "max_label::English (en)",
    "constraint_message::English (en)",
    "nansen_max_ranked",
];

/// A row of the survey sheet: `(column, value)` pairs, the rest empty.
pub fn survey_row<'a>(cells: &[(&str, &'a str)]) -> Vec<&'a str> {
    SURVEY_HEADER
        .iter()
        .map(|column| cells.iter().find(|(c, _)| c == column).map_or("", |(_, v)| *v))
        .collect()
}

/// The realistic form: a note, a group of basics, a group asked only of those who left
/// in 2022 or later, and a question asked of those who left over the war.
pub fn relocation_form() -> Vec<u8> {
    let survey = vec![
        SURVEY_HEADER.to_vec(),
        survey_row(&[
            ("type", "note"),
            ("name", "intro"),
            ("label::Русский (ru)", "Опрос анонимный: сервер хранит только итоги."),
            ("label::English (en)", "This survey is anonymous: the server keeps only totals."),
        ]),
        survey_row(&[
            ("type", "begin_group"),
            ("name", "basics"),
            ("label::Русский (ru)", "О вас"),
            ("label::English (en)", "About you"),
            ("appearance", "field-list"),
        ]),
        survey_row(&[
            ("type", "select_one countries"),
            ("name", "country"),
            ("label::Русский (ru)", "Где вы живёте?"),
            ("label::English (en)", "Where do you live?"),
            ("required", "yes"),
        ]),
        survey_row(&[
            ("type", "select_one when"),
            ("name", "left_when"),
            ("label::Русский (ru)", "Когда вы уехали?"),
            ("label::English (en)", "When did you leave?"),
            ("required", "yes"),
        ]),
        survey_row(&[
            ("type", "select_multiple reasons"),
            ("name", "reasons"),
            ("label::Русский (ru)", "Почему вы уехали?"),
            ("label::English (en)", "Why did you leave?"),
            ("hint::Русский (ru)", "Не больше двух"),
            ("hint::English (en)", "Two at most"),
            ("required", "true"),
            ("constraint", "count-selected(.) <= 2"),
            ("constraint_message::English (en)", "Choose two at most."),
        ]),
        survey_row(&[("type", "end_group")]),
        survey_row(&[
            ("type", "begin group"),
            ("name", "recent"),
            ("relevant", "${left_when} = 'y2022' or ${left_when} = 'y2023'"),
        ]),
        survey_row(&[
            ("type", "range"),
            ("name", "welcome"),
            ("label::Русский (ru)", "Насколько вам рады?"),
            ("label::English (en)", "How welcome do you feel?"),
            ("parameters", "start=1 end=5"),
            ("min_label::Русский (ru)", "Совсем нет"),
            ("min_label::English (en)", "Not at all"),
            ("max_label::Русский (ru)", "Очень"),
            ("max_label::English (en)", "Very"),
        ]),
        survey_row(&[
            ("type", "integer"),
            ("name", "age"),
            ("label::Русский (ru)", "Сколько вам лет?"),
            ("label::English (en)", "How old are you?"),
            ("constraint", ". >= 16 and . <= 99"),
            ("bins", "age_groups"),
            ("unit::Русский (ru)", "лет"),
            ("unit::English (en)", "years"),
        ]),
        survey_row(&[("type", "end group")]),
        survey_row(&[
            ("type", "select_one yes_no"),
            ("name", "return"),
            ("label::Русский (ru)", "Планируете вернуться?"),
            ("label::English (en)", "Do you plan to return?"),
            ("required", "yes"),
            ("relevant", "selected(${reasons}, 'war') or selected(${reasons}, 'mobilisation')"),
        ]),
        // A grid: a table-list group of select_one rows sharing one list.
        survey_row(&[
            ("type", "begin_group"),
            ("name", "trust"),
            ("label::Русский (ru)", "Насколько вы доверяете…"),
            ("label::English (en)", "How much do you trust…"),
            ("appearance", "table-list"),
            ("relevant", "selected(${reasons}, 'war')"),
        ]),
        survey_row(&[
            ("type", "select_one trust_level"),
            ("name", "police"),
            ("label::Русский (ru)", "полиции"),
            ("label::English (en)", "the police"),
        ]),
        survey_row(&[
            ("type", "select_one trust_level"),
            ("name", "courts"),
            ("label::Русский (ru)", "судам"),
            ("label::English (en)", "the courts"),
        ]),
        survey_row(&[("type", "end_group")]),
        survey_row(&[
            ("type", "select_one yes_no"),
            ("name", "police_contact"),
            ("label::Русский (ru)", "Вы обращались в полицию?"),
            ("label::English (en)", "Have you been to the police?"),
            ("relevant", "${police} = 'low'"),
        ]),
        survey_row(&[
            ("type", "rank needs"),
            ("name", "needs"),
            ("label::Русский (ru)", "Что важнее всего?"),
            ("label::English (en)", "What matters most?"),
            ("nansen_max_ranked", "2"),
        ]),
    ];
    let choice_rows: [[&str; 7]; 24] = [
        ["list_name", "name", "label::Русский (ru)", "label::English (en)", "exclusive", "min", "max"],
        ["countries", "GE", "Грузия", "Georgia", "", "", ""],
        ["countries", "AM", "Армения", "Armenia", "", "", ""],
        ["countries", "RS", "Сербия", "Serbia", "", "", ""],
        ["countries", "DE", "Германия", "Germany", "", "", ""],
        ["countries", "TR", "Турция", "Türkiye", "", "", ""],
        ["when", "before_2022", "До 2022 года", "Before 2022", "", "", ""],
        ["when", "y2022", "В 2022 году", "In 2022", "", "", ""],
        ["when", "y2023", "В 2023 году или позже", "In 2023 or later", "", "", ""],
        ["reasons", "war", "Несогласие с войной", "Opposition to the war", "", "", ""],
        ["reasons", "mobilisation", "Мобилизация", "Mobilisation", "", "", ""],
        ["reasons", "work", "Работа", "Work", "", "", ""],
        ["reasons", "none", "Ничего из этого", "None of these", "yes", "", ""],
        ["yes_no", "yes", "Да", "Yes", "", "", ""],
        ["yes_no", "no", "Нет", "No", "", "", ""],
        ["age_groups", "16_29", "16–29", "16–29", "", "16", "29"],
        ["age_groups", "30_44", "30–44", "30–44", "", "30", "44"],
        ["age_groups", "45_99", "45 и старше", "45 and over", "", "45", "99"],
        ["trust_level", "low", "Мало", "Little", "", "", ""],
        ["trust_level", "high", "Много", "Much", "", "", ""],
        ["needs", "housing", "Жильё", "Housing", "", "", ""],
        ["needs", "papers", "Документы", "Papers", "", "", ""],
        ["needs", "language", "Язык", "Language", "", "", ""],
        ["", "", "", "", "", "", ""],
    ];
    let choices = choice_rows.iter().map(|row| row.to_vec()).collect();
    let settings = vec![
        vec!["form_id", "form_title", "form_title::English (en)", "default_language", "version"],
        vec!["relocation-2025", "Жизнь после переезда", "Life after moving", "Русский (ru)", "2025061501"],
    ];
    workbook(&[("survey", survey), ("choices", choices), ("settings", settings)])
}
