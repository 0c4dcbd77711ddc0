//! Results as CSV files that R, pandas, Stata and Excel open without fuss: tidy, one row
//! per figure, every row labelled and saying which release it comes from.

use actix_web::HttpResponse;
use nansen_shared::ExportFormat;
use nansen_shared::estimates::Share;

use crate::disclosure::tables::Tables;

/// The byte order mark Excel needs to read UTF-8.
const BOM: &str = "\u{feff}";

/// The columns every row of the results CSV has.
pub const COLUMNS: [&str; 16] = [
    "survey",
    "version",
    "release",
    "question",
    "option",
    "label",
    "statistic",
    "count",
    "estimate",
    "ci_low",
    "ci_high",
    "error95",
    "mechanism",
    "rho_spent",
    "rho_budget",
    "weights",
];

/// The one-way results as long CSV, one row per figure; `statistic` says which:
/// `respondents`, `answered` (a question's count of answers), `share` (an option: its
/// count and its share of those who answered, with the 95 % interval), `mean` and `sd`
/// (a number question: how many gave a number, and their mean with its interval, or
/// their standard deviation), `part_answered` (a grid's row or a ranking's item, in
/// `option`: how many answered the row, ranked the item), `mean_rank` (a ranking item:
/// how many ranked it, and its mean place with its interval), `weighted_share` (a
/// post-stratified share; `weights` says the weights). A grid's cells are coded
/// `row.option`, a ranking's `item.place`. A withheld count is an empty field, which every statistics package
/// reads as missing. Every row says its release and its protection: the noise's 95 %
/// error bound, the mechanism (`discrete_gaussian`, or `none` when an admin turned noise
/// off), and the privacy budget spent of the whole.
pub fn csv(tables: &Tables<'_>) -> Result<String, csv::Error> {
    let results = tables.results;
    let noise = results.release.as_ref().and_then(|r| r.noise.as_ref());
    let provenance = [
        noise.map(|n| n.error95.to_string()).unwrap_or_else(|| "0".to_owned()),
        noise.map_or_else(|| "none".to_owned(), |n| n.mechanism.clone()),
        noise.map(|n| n.rho_spent.to_string()).unwrap_or_default(),
        noise.map(|n| n.rho_budget.to_string()).unwrap_or_default(),
    ];
    let weights = tables.weighted().map_or(String::new(), |w| {
        let shares: Vec<String> = w.shares.iter().map(|(code, share)| format!("{code}={share}")).collect();
        format!("{}: {}", w.by, shares.join(";"))
    });
    let (slug, version, release) =
        (results.slug.as_str(), results.version.to_string(), tables.release().to_string());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    let mut row =
        |[question, option, label, statistic]: [&str; 4], count: Option<u64>, estimate: Estimate| {
            let [error95, mechanism, spent, budget] = &provenance;
            let (value, low, high) = estimate.fields();
            let weights = if statistic == "weighted_share" { weights.as_str() } else { "" };
            out.write_record([
                slug,
                &version,
                &release,
                question,
                option,
                label,
                statistic,
                &number(count),
                &value,
                &low,
                &high,
                error95,
                mechanism,
                spent,
                budget,
                weights,
            ])
        };
    row(["_respondents", "", "", "respondents"], results.respondents, Estimate::None)?;
    for (_, question, published) in tables.questions() {
        let id = question.id.as_str();
        row([id, "_answered", "", "answered"], published.answered, Estimate::None)?;
        for count in &published.counts {
            let label = tables.answer_label(question, &count.option);
            row([id, &count.option, &label, "share"], count.count, Estimate::of(count.share))?;
        }
        if let Some(mean) = &published.mean {
            let interval = Estimate::Interval(mean.value, mean.ci95.low, mean.ci95.high);
            row([id, "_mean", "", "mean"], Some(mean.n), interval)?;
            row([id, "_sd", "", "sd"], Some(mean.n), Estimate::Value(mean.sd))?;
        }
        for part in &published.parts {
            let label = tables.part_label(question, &part.code);
            row([id, &part.code, &label, "part_answered"], part.answered, Estimate::None)?;
            if let Some(mean) = &part.mean_rank {
                let interval = Estimate::Interval(mean.value, mean.ci95.low, mean.ci95.high);
                row([id, &part.code, &label, "mean_rank"], Some(mean.n), interval)?;
            }
        }
    }
    if let Some(weighted) = tables.weighted() {
        for question in &weighted.questions {
            let Some((_, q)) = tables.survey.question(question.id.as_str()) else { continue };
            for (option, share) in &question.options {
                let label = tables.answer_label(q, option);
                row([question.id.as_str(), option, &label, "weighted_share"], None, Estimate::of(*share))?;
            }
        }
    }
    finish(out)
}

/// The declared cross-tabulations as a second tidy CSV, one row per cell: the row
/// question's id, answer and label, the column question's, and the count.
pub fn crosstabs_csv(tables: &Tables<'_>) -> Result<String, csv::Error> {
    let results = tables.results;
    let noise = results.release.as_ref().and_then(|r| r.noise.as_ref());
    let error95 = noise.map(|n| n.error95.to_string()).unwrap_or_else(|| "0".to_owned());
    let mechanism = noise.map_or_else(|| "none".to_owned(), |n| n.mechanism.clone());
    let (slug, version, release) =
        (results.slug.as_str(), results.version.to_string(), tables.release().to_string());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "survey",
        "version",
        "release",
        "rows",
        "row",
        "row_label",
        "columns",
        "column",
        "column_label",
        "count",
        "error95",
        "mechanism",
    ])?;
    for cell in tables.cross_rows() {
        out.write_record([
            slug,
            &version,
            &release,
            cell.rows.id.as_str(),
            cell.row,
            &cell.row_label,
            cell.columns.id.as_str(),
            cell.column,
            &cell.column_label,
            &number(cell.count),
            &error95,
            &mechanism,
        ])?;
    }
    finish(out)
}

/// An estimate's three fields: value, low and high.
enum Estimate {
    None,
    Value(f64),
    Interval(f64, f64, f64),
}

impl Estimate {
    fn of(share: Option<Share>) -> Self {
        share.map_or(Self::None, |s| Self::Interval(s.value, s.ci95.low, s.ci95.high))
    }

    fn fields(&self) -> (String, String, String) {
        let f = |x: f64| format!("{x:.6}");
        match *self {
            Self::None => Default::default(),
            Self::Value(v) => (f(v), String::new(), String::new()),
            Self::Interval(v, low, high) => (f(v), f(low), f(high)),
        }
    }
}

fn number(n: Option<u64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn finish(out: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A CSV download named `name` (without extension): UTF-8 for `Csv`, with the byte
/// order mark Excel needs for `CsvExcel`.
pub fn csv_response(name: &str, format: ExportFormat, body: String) -> HttpResponse {
    let (body, file) = match format {
        ExportFormat::CsvExcel => (format!("{BOM}{body}"), format!("{name}-excel.csv")),
        _ => (body, format!("{name}.csv")),
    };
    crate::http::attachment("text/csv; charset=utf-8", &file, body)
}
