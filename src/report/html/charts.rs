//! Coverage by municipality, twice: a bar chart (one bar per municipality with demand) and
//! a map (municipalities at their coordinates, coloured by coverage). Both are inline SVG.

use maud::{Markup, html};

use super::{View, grouped, percent};

/// Width of both drawings, in SVG units (CSS pixels when shown at full size).
const WIDTH: f64 = 640.0;
/// Bar chart: where bars start, how long a full bar is, and the height of a row.
const BAR_X: f64 = 170.0;
const BAR_LENGTH: f64 = 300.0;
const ROW: f64 = 26.0;
/// Map: height, and the margin kept free for labels.
const MAP_HEIGHT: f64 = 460.0;
const MAP_MARGIN: f64 = 70.0;
/// Kilometres in one degree of latitude (mean Earth radius 6371 km).
const KM_PER_DEGREE: f64 = 6371.0 * std::f64::consts::PI / 180.0;

/// The colour of a coverage share from 0 (red) through amber to 1 (green), as the
/// ColorBrewer red-yellow-green scale.
pub(super) fn coverage_colour(share: f64) -> String {
    const STOPS: [(f64, [f64; 3]); 5] = [
        (0.0, [215.0, 48.0, 39.0]),
        (0.25, [252.0, 141.0, 89.0]),
        (0.5, [254.0, 224.0, 139.0]),
        (0.75, [145.0, 207.0, 96.0]),
        (1.0, [26.0, 152.0, 80.0]),
    ];
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let upper = STOPS
        .iter()
        .position(|(at, _)| *at >= share)
        .unwrap_or(STOPS.len() - 1)
        .max(1);
    let (a, ca) = STOPS[upper - 1];
    let (b, cb) = STOPS[upper];
    let t = ((share - a) / (b - a)).clamp(0.0, 1.0);
    let channel = |i: usize| (ca[i] + (cb[i] - ca[i]) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", channel(0), channel(1), channel(2))
}

fn share(placed: u64, needs: u64) -> f64 {
    if needs == 0 {
        0.0
    } else {
        placed as f64 / needs as f64
    }
}

/// The coverage section: the bar chart and the map side by side.
pub(super) fn coverage(view: &View<'_>) -> Markup {
    html! {
        section #coverage {
            h2 { "Coverage by municipality" }
            p.lead {
                "The share of learner-needs placed, by the municipality where the learner lives. "
                "Colours run from red (none placed) through amber to green (all placed)."
            }
            div.charts {
                figure { figcaption { "Placed share of needs" } (bars(view)) }
                figure { figcaption { "Map" } (map(view)) }
            }
        }
    }
}

fn bars(view: &View<'_>) -> Markup {
    let rows: Vec<_> = view
        .timetable
        .summary
        .by_municipality
        .iter()
        .filter(|row| row.needs > 0)
        .collect();
    let summary = &view.timetable.summary;
    let overall = share(summary.placed, summary.needs);
    let top = 18.0;
    let height = top + ROW * rows.len() as f64 + 26.0;
    let axis_y = top + ROW * rows.len() as f64 + 4.0;
    html! {
        svg #coverage-chart xmlns="http://www.w3.org/2000/svg" role="img"
            width=(WIDTH) height=(height) viewBox=(format!("0 0 {WIDTH} {height}"))
            aria-label="Share of learner-needs placed per municipality" {
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                @let x = BAR_X + tick * BAR_LENGTH;
                line x1=(x) x2=(x) y1=(top - 4.0) y2=(axis_y) stroke="#d9dee4" {}
                text x=(x) y=(axis_y + 14.0) font-size="11" fill="#5f6b7a" text-anchor="middle" {
                    (format!("{:.0} %", tick * 100.0))
                }
            }
            @if summary.needs > 0 {
                @let x = BAR_X + overall * BAR_LENGTH;
                line x1=(x) x2=(x) y1=(top - 8.0) y2=(axis_y) stroke="#1f2933"
                    stroke-dasharray="4 3" {}
                text x=(x) y=(top - 8.0) font-size="11" fill="#1f2933" text-anchor="middle" {
                    "all: " (percent(summary.placed, summary.needs))
                }
            }
            @for (i, row) in rows.iter().enumerate() {
                @let y = top + ROW * i as f64 + 4.0;
                @let covered = share(row.placed, row.needs);
                @let name = view.municipality_name(&row.municipality);
                g.bar-row data-municipality=(row.municipality) {
                    text x=(BAR_X - 8.0) y=(y + 13.0) font-size="13" text-anchor="end" fill="#1f2933" {
                        (name)
                    }
                    rect.track x=(BAR_X) y=(y) width=(BAR_LENGTH) height="17" rx="3" fill="#eef2f7" {}
                    rect.bar data-municipality=(row.municipality) data-needs=(row.needs)
                        data-placed=(row.placed) x=(BAR_X) y=(y)
                        width=(format!("{:.1}", covered * BAR_LENGTH)) height="17" rx="3"
                        fill=(coverage_colour(covered)) stroke="rgba(0,0,0,.25)" {
                        title {
                            (name) ": " (row.placed) " of " (row.needs) " needs placed ("
                            (percent(row.placed, row.needs)) ")"
                        }
                    }
                    text x=(BAR_X + BAR_LENGTH + 8.0) y=(y + 13.0) font-size="12" fill="#1f2933" {
                        (percent(row.placed, row.needs)) " · " (grouped(row.placed)) " of "
                        (grouped(row.needs))
                    }
                }
            }
        }
    }
}

/// A point of the map: a municipality with its projected position and its demand.
struct Spot<'a> {
    id: &'a str,
    name: &'a str,
    x: f64,
    y: f64,
    needs: u64,
    placed: u64,
    venues: usize,
}

fn map(view: &View<'_>) -> Markup {
    let scenario = view.scenario;
    let coverage = &view.timetable.summary.by_municipality;
    let used_venues: Vec<&str> = view
        .timetable
        .classes
        .iter()
        .map(|c| c.venue.as_str())
        .collect();
    if scenario.municipalities.is_empty() {
        return html! { p.idle { "The scenario has no municipalities." } };
    }
    // Equirectangular projection around the mean latitude: x = lon x cos(lat0), y = -lat,
    // in degrees of latitude; true to scale near lat0, which is enough for a region.
    let lat0 = scenario.municipalities.iter().map(|m| m.lat).sum::<f64>()
        / scenario.municipalities.len() as f64;
    let squeeze = lat0.to_radians().cos().max(0.01);
    let mut spots: Vec<Spot<'_>> = scenario
        .municipalities
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let row = coverage.iter().find(|row| row.municipality == m.id);
            Spot {
                id: &m.id,
                name: &m.name,
                x: m.lon * squeeze,
                y: -m.lat,
                needs: row.map_or(0, |r| r.needs),
                placed: row.map_or(0, |r| r.placed),
                venues: scenario
                    .venues
                    .iter()
                    .filter(|v| {
                        v.municipality.index() == index && used_venues.contains(&v.id.as_str())
                    })
                    .count(),
            }
        })
        .collect();
    let (min_x, max_x) = spots.iter().fold((f64::MAX, f64::MIN), |(lo, hi), s| {
        (lo.min(s.x), hi.max(s.x))
    });
    let (min_y, max_y) = spots.iter().fold((f64::MAX, f64::MIN), |(lo, hi), s| {
        (lo.min(s.y), hi.max(s.y))
    });
    let (span_x, span_y) = (max_x - min_x, max_y - min_y);
    let room_x = WIDTH - 2.0 * MAP_MARGIN;
    let room_y = MAP_HEIGHT - 2.0 * MAP_MARGIN;
    let scale = match (span_x > 1e-9, span_y > 1e-9) {
        (true, true) => (room_x / span_x).min(room_y / span_y),
        (true, false) => room_x / span_x,
        (false, true) => room_y / span_y,
        // One place (or all at one spot): any scale; the scale bar then shows 10 km.
        (false, false) => room_y / 0.5,
    };
    let offset_x = (WIDTH - span_x * scale) / 2.0;
    let offset_y = (MAP_HEIGHT - span_y * scale) / 2.0;
    for spot in &mut spots {
        spot.x = offset_x + (spot.x - min_x) * scale;
        spot.y = offset_y + (spot.y - min_y) * scale;
    }
    let most = spots.iter().map(|s| s.needs).max().unwrap_or(0).max(1);
    let radii: Vec<f64> = spots
        .iter()
        .map(|spot| {
            if spot.needs == 0 {
                3.5
            } else {
                6.0 + 16.0 * (spot.needs as f64 / most as f64).sqrt()
            }
        })
        .collect();
    // Labels for up to 60 places; beyond that they would overlap, and each circle's own
    // tooltip still names it.
    let labelled = spots.len() <= 60;
    let labels = if labelled {
        place_labels(&spots, &radii)
    } else {
        Vec::new()
    };
    let (bar_km, bar_px) = scale_bar(scale / KM_PER_DEGREE);
    html! {
        svg #coverage-map xmlns="http://www.w3.org/2000/svg" role="img"
            width=(WIDTH) height=(MAP_HEIGHT) viewBox=(format!("0 0 {WIDTH} {MAP_HEIGHT}"))
            aria-label="Municipalities at their coordinates, coloured by coverage" {
            defs {
                linearGradient #coverage-scale x1="0" x2="1" y1="0" y2="0" {
                    @for stop in [0.0, 0.25, 0.5, 0.75, 1.0] {
                        stop offset=(stop) stop-color=(coverage_colour(stop)) {}
                    }
                }
            }
            rect x="0" y="0" width=(WIDTH) height=(MAP_HEIGHT) fill="#f7f9fb" {}
            @for (i, spot) in spots.iter().enumerate() {
                @let r = radii[i];
                @let covered = share(spot.placed, spot.needs);
                g.place data-municipality=(spot.id) {
                    @if spot.needs == 0 {
                        circle.municipality cx=(format!("{:.1}", spot.x)) cy=(format!("{:.1}", spot.y))
                            r=(r) fill="#b8c2cc" {
                            title { (spot.name) ": no learner-needs" }
                        }
                    } @else {
                        circle.municipality cx=(format!("{:.1}", spot.x)) cy=(format!("{:.1}", spot.y))
                            r=(format!("{r:.1}")) fill=(coverage_colour(covered))
                            stroke="#1f2933" stroke-width="1" fill-opacity="0.9" {
                            title {
                                (spot.name) ": " (spot.placed) " of " (spot.needs)
                                " needs placed (" (percent(spot.placed, spot.needs)) "); "
                                (spot.venues) " venue(s) with classes"
                            }
                        }
                    }
                    @if spot.venues > 0 {
                        @let (vx, vy) = (spot.x - 3.5, spot.y - r - 9.0);
                        rect.venue x=(format!("{vx:.1}")) y=(format!("{vy:.1}")) width="7" height="7"
                            fill="#1d4e89" transform=(format!("rotate(45 {:.1} {:.1})", vx + 3.5, vy + 3.5)) {}
                    }
                    @if let Some(label) = labels.get(i) {
                        text x=(format!("{:.1}", label.x)) y=(format!("{:.1}", label.y))
                            font-size="12" font-weight="600" text-anchor=(label.anchor)
                            fill=(if spot.needs == 0 { "#5f6b7a" } else { "#1f2933" }) {
                            (spot.name)
                            @if spot.needs > 0 {
                                tspan font-weight="400" { " " (percent(spot.placed, spot.needs)) }
                            }
                        }
                    }
                }
            }
            g.key {
                rect x="16" y=(MAP_HEIGHT - 40.0) width="140" height="10" fill="url(#coverage-scale)"
                    stroke="#5f6b7a" stroke-width="0.5" {}
                text x="16" y=(MAP_HEIGHT - 16.0) font-size="11" fill="#5f6b7a" { "0 %" }
                text x="156" y=(MAP_HEIGHT - 16.0) font-size="11" fill="#5f6b7a" text-anchor="end" { "100 %" }
                text x="16" y=(MAP_HEIGHT - 46.0) font-size="11" fill="#5f6b7a" {
                    "coverage · circle area ∝ needs · ◆ venue with classes"
                }
                line x1=(WIDTH - 16.0 - bar_px) x2=(WIDTH - 16.0) y1=(MAP_HEIGHT - 30.0)
                    y2=(MAP_HEIGHT - 30.0) stroke="#1f2933" stroke-width="2" {}
                text x=(WIDTH - 16.0) y=(MAP_HEIGHT - 16.0) font-size="11" fill="#5f6b7a"
                    text-anchor="end" { (bar_km) " km" }
            }
        }
    }
}

/// Where a place's label goes: its text's anchor point and alignment.
struct Label {
    x: f64,
    y: f64,
    anchor: &'static str,
}

/// Rough width of a label in 12-pixel text: enough to keep labels apart without measuring.
fn label_width(spot: &Spot<'_>) -> f64 {
    let text = spot.name.chars().count() + if spot.needs > 0 { 7 } else { 0 };
    text as f64 * 7.0
}

/// A box `[x0, x1] x [y0, y1]`.
type Area = (f64, f64, f64, f64);

fn overlap(a: Area, b: Area) -> f64 {
    let w = (a.1.min(b.1) - a.0.max(b.0)).max(0.0);
    let h = (a.3.min(b.3) - a.2.max(b.2)).max(0.0);
    w * h
}

/// Places labels one by one, largest places first: each takes the first of eight spots
/// around its circle (right, left, below, above, then the diagonals) that covers no label
/// placed before, no circle and nothing outside the drawing; failing that, the spot that
/// covers least.
fn place_labels(spots: &[Spot<'_>], radii: &[f64]) -> Vec<Label> {
    let circles: Vec<Area> = spots
        .iter()
        .zip(radii)
        .map(|(s, r)| (s.x - r, s.x + r, s.y - r, s.y + r))
        .collect();
    let mut order: Vec<usize> = (0..spots.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(spots[i].needs));
    let mut placed: Vec<Area> = Vec::new();
    let mut labels: Vec<Option<Label>> = (0..spots.len()).map(|_| None).collect();
    for i in order {
        let (x, y, r, w) = (spots[i].x, spots[i].y, radii[i], label_width(&spots[i]));
        let d = r * 0.75;
        let candidates = [
            (x + r + 4.0, y + 4.0, "start"),
            (x - r - 4.0, y + 4.0, "end"),
            (x, y + r + 14.0, "middle"),
            (x, y - r - 14.0, "middle"),
            (x + d + 3.0, y - d - 3.0, "start"),
            (x + d + 3.0, y + d + 11.0, "start"),
            (x - d - 3.0, y - d - 3.0, "end"),
            (x - d - 3.0, y + d + 11.0, "end"),
        ];
        let area = |(lx, ly, anchor): (f64, f64, &str)| {
            let x0 = match anchor {
                "start" => lx,
                "end" => lx - w,
                _ => lx - w / 2.0,
            };
            (x0, x0 + w, ly - 11.0, ly + 3.0)
        };
        let cost = |candidate| {
            let a: Area = area(candidate);
            let outside =
                (a.1 - a.0) * (a.3 - a.2) - overlap(a, (2.0, WIDTH - 2.0, 2.0, MAP_HEIGHT - 52.0));
            let labels: f64 = placed.iter().map(|b| overlap(a, *b)).sum();
            let others: f64 = circles
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| overlap(a, *c))
                .sum();
            outside * 4.0 + labels * 2.0 + others
        };
        let mut best = candidates[0];
        let mut best_cost = f64::MAX;
        for candidate in candidates {
            let c = cost(candidate);
            if c < best_cost - 1e-9 {
                best = candidate;
                best_cost = c;
            }
            if c <= 0.0 {
                break;
            }
        }
        placed.push(area(best));
        labels[i] = Some(Label {
            x: best.0,
            y: best.1,
            anchor: best.2,
        });
    }
    labels.into_iter().flatten().collect()
}

/// A round length for the scale bar and its length in SVG units: the largest of 1, 2, 5,
/// 10, 20, 50, ... km that fits in 150 units.
fn scale_bar(units_per_km: f64) -> (u32, f64) {
    let mut best = (1, units_per_km);
    for km in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] {
        let length = f64::from(km) * units_per_km;
        if length <= 150.0 {
            best = (km, length);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_colour_scale_runs_from_red_to_green() {
        assert_eq!(coverage_colour(0.0), "#d73027");
        assert_eq!(coverage_colour(0.5), "#fee08b");
        assert_eq!(coverage_colour(1.0), "#1a9850");
        assert_eq!(coverage_colour(f64::NAN), "#d73027");
        assert_eq!(coverage_colour(7.0), "#1a9850");
    }

    #[test]
    fn the_scale_bar_is_a_round_length_that_fits() {
        let (km, length) = scale_bar(12.0);
        assert_eq!(km, 10);
        assert!((length - 120.0).abs() < 1e-9);
    }
}
