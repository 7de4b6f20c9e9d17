//! `coverage-cost.svg`: each variant as a labelled point, total cost across and coverage up,
//! so the planner sees which extra capacity buys most coverage per euro.
//!
//! Drawn with plotters' SVG backend (no fonts are read: SVG text is laid out by the viewer,
//! plotters only estimates label widths), which keeps axes, ticks and escaping out of this
//! file.

use plotters::prelude::*;

/// One variant on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The variant's name.
    pub label: String,
    /// Total cost (teacher plus room).
    pub cost: f64,
    /// Share of learner-needs placed, 0 to 1.
    pub coverage: f64,
}

const SIZE: (u32, u32) = (960, 640);
const LABEL_FONT: u32 = 13;
/// Width of a label character in pixels, a guess for a sans-serif face at `LABEL_FONT`:
/// plotters cannot measure text for SVG, and labels only need to avoid each other roughly.
const CHAR_WIDTH: i32 = 6;

/// The chart as SVG text. Variants at the same cost and coverage share one point whose label
/// names them all; labels are moved around their points to keep them apart.
pub fn coverage_cost_svg(title: &str, points: &[Point]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, title, points).map_err(|e| format!("cannot draw the chart: {e}"))?;
        root.present()
            .map_err(|e| format!("cannot draw the chart: {e}"))?;
    }
    Ok(svg)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn draw(root: &Area<'_>, title: &str, points: &[Point]) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let groups = group(points);
    let (x_range, y_range) = ranges(&groups);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x_range, y_range)?;
    chart
        .configure_mesh()
        .x_desc("Total cost over the term (teacher + room)")
        .y_desc("Coverage: learner-needs placed (%)")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    if groups.is_empty() {
        root.draw(&Text::new(
            "No variant has a timetable.",
            (SIZE.0 as i32 / 2 - 100, SIZE.1 as i32 / 2),
            ("sans-serif", 16),
        ))?;
        return Ok(());
    }
    let colour = RGBColor(31, 119, 180);
    chart.draw_series(
        groups
            .iter()
            .map(|(_, cost, coverage)| Circle::new((*cost, *coverage), 5, colour.filled())),
    )?;
    // Labels in pixels, each placed where it covers no point and no label placed before it.
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let centres: Vec<(i32, i32)> = groups
        .iter()
        .map(|(_, cost, coverage)| chart.backend_coord(&(*cost, *coverage)))
        .collect();
    let mut taken: Vec<Rect> = centres
        .iter()
        .map(|&(x, y)| Rect {
            x0: x - 7,
            y0: y - 7,
            x1: x + 7,
            y1: y + 7,
        })
        .collect();
    let height = LABEL_FONT as i32 + 2;
    for ((label, _, _), &(px, py)) in groups.iter().zip(&centres) {
        let width = CHAR_WIDTH * label.chars().count() as i32;
        // Level with the point first, then rows further and further above and below; right
        // of the point before left.
        let rows = [
            -height / 2,
            -height - 4,
            4,
            -2 * height - 6,
            height + 6,
            -3 * height - 8,
            2 * height + 8,
        ];
        let boxes: Vec<Rect> = rows
            .into_iter()
            .flat_map(|dy| [(9, dy), (-9 - width, dy)])
            .map(|(dx, dy)| Rect {
                x0: px + dx,
                y0: py + dy,
                x1: px + dx + width,
                y1: py + dy + height,
            })
            .collect();
        let inside = |r: &Rect| {
            r.x0 >= plot_x.start && r.x1 <= plot_x.end && r.y0 >= plot_y.start && r.y1 <= plot_y.end
        };
        let chosen = boxes
            .iter()
            .find(|b| inside(b) && !taken.iter().any(|t| t.overlaps(b)))
            .or_else(|| boxes.iter().find(|b| inside(b)))
            .unwrap_or(&boxes[0])
            .clone();
        root.draw(&Text::new(
            label.clone(),
            (chosen.x0, chosen.y0),
            ("sans-serif", LABEL_FONT).into_font().color(&BLACK),
        ))?;
        taken.push(chosen);
    }
    Ok(())
}

/// A label's box in pixels.
#[derive(Clone, Debug)]
struct Rect {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// Points at the same place (to the cent and a hundredth of a percent), one label for all;
/// coverage in percent.
fn group(points: &[Point]) -> Vec<(String, f64, f64)> {
    let mut groups: Vec<(String, f64, f64)> = Vec::new();
    for point in points {
        let (cost, coverage) = (point.cost, point.coverage * 100.0);
        let same = |g: &&mut (String, f64, f64)| {
            (g.1 - cost).abs() < 0.005 && (g.2 - coverage).abs() < 0.005
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(group) => {
                group.0.push_str(", ");
                group.0.push_str(&point.label);
            }
            None => groups.push((point.label.clone(), cost, coverage)),
        }
    }
    groups
}

/// Axis ranges with room around the points: cost padded by a tenth of its spread (or of its
/// value when all costs are equal), coverage by a quarter of its spread and a point more, in
/// whole percents within 0 to just above 100 (so points at 100% are not cut).
fn ranges(groups: &[(String, f64, f64)]) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
    if groups.is_empty() {
        return (0.0..1.0, 0.0..100.0);
    }
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut lowest, mut highest) = (f64::INFINITY, f64::NEG_INFINITY);
    for (_, cost, coverage) in groups {
        low = low.min(*cost);
        high = high.max(*cost);
        lowest = lowest.min(*coverage);
        highest = highest.max(*coverage);
    }
    let pad = if high > low {
        (high - low) * 0.1
    } else {
        (high.abs() * 0.1).max(1.0)
    };
    let margin = (highest - lowest).max(2.0) * 0.25 + 1.0;
    (
        (low - pad).max(0.0)..high + pad,
        (lowest - margin).floor().max(0.0)..(highest + margin).ceil().min(101.0),
    )
}
