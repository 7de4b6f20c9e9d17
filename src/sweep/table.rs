//! The figures of each variant and the tables that compare them: `sweep.csv` (one row a
//! variant), `coverage.csv` (one row a variant and municipality) and `sweep.md`.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::domain::Scenario;
use crate::timetable::{Reason, SolveStatus, Timetable};
use crate::write::lookup::{hours, money, weekly_hours};

use super::{SweepReport, VariantOutcome, VariantResult};

/// Columns of `sweep.csv` before the `[vary]` keys (one column each, named by the key).
pub const CSV_LEADING_COLUMNS: [&str; 2] = ["variant", "overlay"];

/// Columns of `sweep.csv` after the `[vary]` keys.
pub const CSV_COLUMNS: [&str; 27] = [
    "status",
    "verify",
    "needs",
    "placed",
    "coverage",
    "unplaced_out_of_reach",
    "unplaced_no_compatible_time",
    "unplaced_no_teacher",
    "unplaced_capacity",
    "worst_municipality",
    "worst_coverage",
    "employed_learners",
    "employed_placed",
    "employed_needs_placed",
    "classes",
    "teacher_hours_per_week",
    "teacher_cost",
    "room_cost",
    "optional_cost",
    "total_cost",
    "cost_per_placed_need",
    "travel_minutes",
    "objective",
    "best_bound",
    "gap",
    "solve_seconds",
    "problem",
];

/// Columns of `coverage.csv`.
pub const COVERAGE_COLUMNS: [&str; 6] = [
    "variant",
    "municipality",
    "municipality_name",
    "needs",
    "placed",
    "coverage",
];

/// Needs and placements of one municipality's learners.
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    /// Municipality id.
    pub municipality: String,
    /// Its display name.
    pub name: String,
    /// Learner-needs of learners living there.
    pub needs: u64,
    /// Of those, placed.
    pub placed: u64,
}

impl Coverage {
    /// Placed over needs (the timetable lists only municipalities with needs).
    pub fn share(&self) -> f64 {
        if self.needs == 0 {
            1.0
        } else {
            self.placed as f64 / self.needs as f64
        }
    }
}

/// The figures of one variant's timetable that a planner compares across variants.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// Learner-needs in the variant's scenario.
    pub needs: u64,
    /// Of those, placed.
    pub placed: u64,
    /// Unplaced needs by reason, in the order of [`Reason::ALL`].
    pub unplaced: [u64; 4],
    /// Coverage of each municipality with demand, in scenario order.
    pub by_municipality: Vec<Coverage>,
    /// Learners who work: with a shift (a work schedule) or an employer.
    pub employed_learners: u64,
    /// Of those, learners with at least one need placed.
    pub employed_placed: u64,
    /// Placed needs of employed learners.
    pub employed_needs_placed: u64,
    /// Classes opened.
    pub classes: usize,
    /// Sum of the weekly hours of all classes: teaching hours a week.
    pub teacher_hours: f64,
    /// Total teacher cost over the term.
    pub teacher_cost: f64,
    /// Total room cost over the term.
    pub room_cost: f64,
    /// Fixed cost of the optional teachers, rooms and opening hours the plan uses.
    pub optional_cost: f64,
    /// One-way travel minutes of all placed needs.
    pub travel_minutes: u64,
    /// How the solve ended.
    pub status: SolveStatus,
    /// The objective (SPEC section 6).
    pub objective: f64,
    /// The solver's proven bound.
    pub best_bound: Option<f64>,
    /// The solver's relative gap.
    pub gap: Option<f64>,
    /// Seconds the solver spent.
    pub solve_seconds: f64,
}

impl Figures {
    /// The figures of a timetable of `scenario`. Totals are the timetable's own `summary`,
    /// so the table agrees with each variant's `timetable.json`.
    pub fn new(scenario: &Scenario, timetable: &Timetable) -> Figures {
        let summary = &timetable.summary;
        let mut unplaced = [0; 4];
        for need in &timetable.unplaced {
            if let Some(i) = Reason::ALL.iter().position(|r| *r == need.reason) {
                unplaced[i] += 1;
            }
        }
        let by_municipality = summary
            .by_municipality
            .iter()
            .map(|row| Coverage {
                municipality: row.municipality.clone(),
                name: scenario
                    .ids
                    .municipalities
                    .get(&row.municipality)
                    .map_or_else(
                        || row.municipality.clone(),
                        |&id| scenario.municipality(id).name.clone(),
                    ),
                needs: row.needs,
                placed: row.placed,
            })
            .collect();
        let employed: HashSet<&str> = scenario
            .learners
            .iter()
            .filter(|l| l.shift.is_some() || l.employer.is_some())
            .map(|l| l.id.as_str())
            .collect();
        let mut employed_needs_placed = 0;
        let mut employed_placed: HashSet<&str> = HashSet::new();
        for class in &timetable.classes {
            for learner in &class.learners {
                if employed.contains(learner.as_str()) {
                    employed_needs_placed += 1;
                    employed_placed.insert(learner);
                }
            }
        }
        Figures {
            needs: summary.needs,
            placed: summary.placed,
            unplaced,
            by_municipality,
            employed_learners: employed.len() as u64,
            employed_placed: employed_placed.len() as u64,
            employed_needs_placed,
            classes: timetable.classes.len(),
            teacher_hours: timetable.classes.iter().filter_map(weekly_hours).sum(),
            teacher_cost: summary.teacher_cost,
            room_cost: summary.room_cost,
            optional_cost: summary.optional_cost,
            travel_minutes: summary.travel_minutes,
            status: timetable.solver.status,
            objective: timetable.solver.objective,
            best_bound: timetable.solver.best_bound,
            gap: timetable.solver.gap,
            solve_seconds: timetable.solver.seconds,
        }
    }

    /// Placed over all needs; `None` without needs.
    pub fn coverage(&self) -> Option<f64> {
        (self.needs > 0).then(|| self.placed as f64 / self.needs as f64)
    }

    /// Teacher cost plus room cost (SPEC section 6) plus the optional resources' fixed
    /// cost, as in `summary.md`.
    pub fn total_cost(&self) -> f64 {
        self.teacher_cost + self.room_cost + self.optional_cost
    }

    /// Total cost over placed needs; `None` when nothing is placed.
    pub fn cost_per_placed(&self) -> Option<f64> {
        (self.placed > 0).then(|| self.total_cost() / self.placed as f64)
    }

    /// The municipality with the lowest coverage (the first in scenario order on a tie).
    pub fn worst(&self) -> Option<&Coverage> {
        self.by_municipality.iter().reduce(|worst, row| {
            if row.share() < worst.share() {
                row
            } else {
                worst
            }
        })
    }
}

impl VariantResult {
    /// The status column: the solver's, or why there is no timetable.
    pub fn status(&self) -> &str {
        match &self.outcome {
            VariantOutcome::Planned { figures, .. } => figures.status.name(),
            VariantOutcome::Failed { status, .. } => status,
        }
    }

    /// The verify column: `valid`, the number of violations, or `no timetable`.
    pub fn verify_text(&self) -> String {
        match &self.outcome {
            VariantOutcome::Planned { violations, .. } if violations.is_empty() => "valid".into(),
            VariantOutcome::Planned { violations, .. } => {
                format!("INVALID: {} violation(s)", violations.len())
            }
            VariantOutcome::Failed { .. } => "no timetable".into(),
        }
    }

    /// What went wrong, in one line: the first violation or the failure; empty when fine.
    pub fn problem(&self) -> String {
        match &self.outcome {
            VariantOutcome::Planned { violations, .. } => violations
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
            VariantOutcome::Failed { message, .. } => message.clone(),
        }
    }

    /// The figures, when the variant has a timetable.
    pub fn figures(&self) -> Option<&Figures> {
        match &self.outcome {
            VariantOutcome::Planned { figures, .. } => Some(figures),
            VariantOutcome::Failed { .. } => None,
        }
    }
}

fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

/// `sweep.csv`: the leading columns, one column per `[vary]` key, then [`CSV_COLUMNS`].
/// Coverage is a fraction (0 to 1); cells of a variant without timetable are empty.
pub fn sweep_csv(report: &SweepReport) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = CSV_LEADING_COLUMNS
        .iter()
        .copied()
        .chain(report.varied.iter().map(String::as_str))
        .chain(CSV_COLUMNS)
        .collect();
    out.write_record(&header)?;
    for variant in &report.variants {
        let mut record: Vec<String> = vec![
            variant.name.clone(),
            variant.overlay_name.clone().unwrap_or_default(),
        ];
        record.extend(variant.values.iter().cloned());
        record.push(variant.status().to_string());
        record.push(variant.verify_text());
        match variant.figures() {
            Some(f) => {
                let worst = f.worst();
                record.extend([
                    f.needs.to_string(),
                    f.placed.to_string(),
                    fixed(f.coverage(), 4),
                    f.unplaced[0].to_string(),
                    f.unplaced[1].to_string(),
                    f.unplaced[2].to_string(),
                    f.unplaced[3].to_string(),
                    worst.map(|w| w.municipality.clone()).unwrap_or_default(),
                    fixed(worst.map(Coverage::share), 4),
                    f.employed_learners.to_string(),
                    f.employed_placed.to_string(),
                    f.employed_needs_placed.to_string(),
                    f.classes.to_string(),
                    hours(f.teacher_hours),
                    money(f.teacher_cost),
                    money(f.room_cost),
                    money(f.optional_cost),
                    money(f.total_cost()),
                    fixed(f.cost_per_placed(), 2),
                    f.travel_minutes.to_string(),
                    format!("{:.4}", f.objective),
                    fixed(f.best_bound, 4),
                    fixed(f.gap, 6),
                    format!("{:.3}", f.solve_seconds),
                ]);
            }
            None => record.extend(std::iter::repeat_n(String::new(), 23)),
        }
        record.push(variant.problem());
        out.write_record(&record)?;
    }
    out.flush()?;
    out.into_inner().map_err(|e| e.into_error().into())
}

/// `coverage.csv`: one row per variant and municipality with demand (long format, so a
/// spreadsheet pivots it either way and variants may differ in municipalities).
pub fn coverage_csv(report: &SweepReport) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COVERAGE_COLUMNS)?;
    for variant in &report.variants {
        let Some(figures) = variant.figures() else {
            continue;
        };
        for row in &figures.by_municipality {
            out.write_record([
                variant.name.clone(),
                row.municipality.clone(),
                row.name.clone(),
                row.needs.to_string(),
                row.placed.to_string(),
                format!("{:.4}", row.share()),
            ])?;
        }
    }
    out.flush()?;
    out.into_inner().map_err(|e| e.into_error().into())
}

/// `part / whole` as a percentage with one decimal.
fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "n/a".to_string(), |s| format!("{:.1} %", s * 100.0))
}

/// User text made safe in a Markdown table cell: no line breaks, Markdown and HTML
/// characters escaped.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A variant name in a table: code style, so `_` and `+` show as written.
fn code(name: &str) -> String {
    format!("`{name}`")
}

/// `sweep.md`: results, unplaced needs by reason, coverage by municipality, what each
/// variant changes, and the problems found.
pub fn sweep_markdown(report: &SweepReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Sweep: {}", md(&report.name));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Base scenario `{}`, {} variant(s); {}. Each variant's directory holds its resolved \
         `scenario.toml` and its timetable (`timetable.json`, `classes.csv`, `learners.csv`, \
         `summary.md`). Coverage against cost: [coverage-cost.svg](coverage-cost.svg).",
        report.base.display(),
        report.variants.len(),
        report.settings
    );
    let _ = writeln!(out);

    let _ = writeln!(out, "## Results");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| Variant | Status | Gap | Verify | Placed | Coverage | Worst municipality | \
         Employed placed | Classes | Teacher h/week | Total cost | Cost per placed need | Travel min |"
    );
    let _ = writeln!(
        out,
        "|---|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|"
    );
    for variant in &report.variants {
        let gap = variant
            .figures()
            .and_then(|f| f.gap)
            .map_or_else(String::new, |g| format!("{:.2} %", g * 100.0));
        let mut cells = vec![
            code(&variant.name),
            variant.status().to_string(),
            gap,
            variant.verify_text(),
        ];
        match variant.figures() {
            Some(f) => {
                let worst = f.worst().map_or_else(String::new, |w| {
                    format!("{} {}", md(&w.name), percent(Some(w.share())))
                });
                cells.extend([
                    format!("{}/{}", f.placed, f.needs),
                    percent(f.coverage()),
                    worst,
                    format!("{}/{}", f.employed_placed, f.employed_learners),
                    f.classes.to_string(),
                    hours(f.teacher_hours),
                    money(f.total_cost()),
                    fixed(f.cost_per_placed(), 2),
                    f.travel_minutes.to_string(),
                ]);
            }
            None => cells.extend(std::iter::repeat_n(String::new(), 9)),
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Employed placed: learners with a shift or an employer who have at least one need \
         placed, of all such learners. Total cost: teacher and room cost over the term, plus the fixed cost of the optional resources used."
    );
    let _ = writeln!(out);

    let _ = writeln!(out, "## Unplaced needs by reason");
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| Variant | {} |",
        Reason::ALL.map(Reason::name).join(" | ")
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for variant in &report.variants {
        if let Some(f) = variant.figures() {
            let _ = writeln!(
                out,
                "| {} | {} |",
                code(&variant.name),
                f.unplaced.map(|n| n.to_string()).join(" | ")
            );
        }
    }
    let _ = writeln!(out);

    coverage_table(&mut out, report);
    variants_list(&mut out, report);
    problems(&mut out, report);
    out
}

/// Coverage per municipality, variants down and municipalities across (in order of first
/// appearance, since variants may add or remove learners and municipalities).
fn coverage_table(out: &mut String, report: &SweepReport) {
    let mut columns: Vec<(&str, &str)> = Vec::new();
    for figures in report.variants.iter().filter_map(VariantResult::figures) {
        for row in &figures.by_municipality {
            if !columns.iter().any(|(id, _)| *id == row.municipality) {
                columns.push((&row.municipality, &row.name));
            }
        }
    }
    let _ = writeln!(out, "## Coverage by municipality");
    let _ = writeln!(out);
    if columns.is_empty() {
        let _ = writeln!(out, "No variant has a timetable with learner-needs.");
        let _ = writeln!(out);
        return;
    }
    let names: Vec<String> = columns.iter().map(|(_, name)| md(name)).collect();
    let _ = writeln!(out, "| Variant | {} |", names.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(columns.len()));
    for variant in &report.variants {
        let Some(figures) = variant.figures() else {
            continue;
        };
        let cells: Vec<String> = columns
            .iter()
            .map(|(id, _)| {
                figures
                    .by_municipality
                    .iter()
                    .find(|row| row.municipality == *id)
                    .map_or_else(String::new, |row| percent(Some(row.share())))
            })
            .collect();
        let _ = writeln!(out, "| {} | {} |", code(&variant.name), cells.join(" | "));
    }
    let _ = writeln!(out);
}

fn variants_list(out: &mut String, report: &SweepReport) {
    let _ = writeln!(out, "## Variants");
    let _ = writeln!(out);
    for variant in &report.variants {
        let mut line = format!("- {}", code(&variant.name));
        if let Some(description) = &variant.description {
            let _ = write!(line, ": {}", md(description));
        }
        if !variant.values.is_empty() {
            let settings: Vec<String> = report
                .varied
                .iter()
                .zip(&variant.values)
                .map(|(key, value)| format!("`{key} = {value}`"))
                .collect();
            let _ = write!(line, " ({})", settings.join(", "));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
}

/// How many violations of one variant the summary lists; the rest are counted.
const VIOLATIONS_SHOWN: usize = 10;

fn problems(out: &mut String, report: &SweepReport) {
    let failing: Vec<&VariantResult> = report.variants.iter().filter(|v| !v.passed()).collect();
    if failing.is_empty() {
        let _ = writeln!(
            out,
            "Every variant has a timetable, and `verify` finds every rule kept in each."
        );
        return;
    }
    let _ = writeln!(out, "## Problems");
    let _ = writeln!(out);
    for variant in failing {
        match &variant.outcome {
            VariantOutcome::Failed { message, .. } => {
                let _ = writeln!(
                    out,
                    "- {}: no timetable: {}",
                    code(&variant.name),
                    md(message)
                );
            }
            VariantOutcome::Planned { violations, .. } => {
                let _ = writeln!(
                    out,
                    "- {}: {} rule violation(s):",
                    code(&variant.name),
                    violations.len()
                );
                for violation in violations.iter().take(VIOLATIONS_SHOWN) {
                    let _ = writeln!(out, "  - {}", md(&violation.to_string()));
                }
                if violations.len() > VIOLATIONS_SHOWN {
                    let _ = writeln!(out, "  - and {} more", violations.len() - VIOLATIONS_SHOWN);
                }
            }
        }
    }
}
