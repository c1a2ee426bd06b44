//! Latency-by-percentile plots as hand-written SVG, one line per run.
//!
//! The x axis is the HdrHistogram one: `-log10(1 - q)`, so 90%, 99%, 99.9%,
//! 99.99% and 99.999% are evenly spaced and the tail gets the room it
//! deserves; the y axis is linear latency. Runs from tools that print only
//! a few percentiles (wrk, redis-benchmark) are drawn with markers so their
//! sparseness is visible.

use std::fmt::Write;

/// One line of the plot.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    pub label: &'a str,
    /// `(percentile 0..100, latency µs)`, ascending by percentile.
    pub points: &'a [(f64, f64)],
}

const W: f64 = 820.0;
const H: f64 = 460.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 56.0;
const DECADES: f64 = 5.0;
const COLORS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

/// Escapes text for use in SVG content and attributes.
pub fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&apos;".into(),
            c => c.to_string(),
        })
        .collect()
}

/// Where a percentile lands on the x axis, in decades of `1/(1-q)`.
fn x_of(percentile: f64) -> Option<f64> {
    let q = percentile / 100.0;
    if !(0.0..1.0).contains(&q) {
        return None;
    }
    let x = -(1.0 - q).log10();
    (x <= DECADES + 1e-9).then_some(x.min(DECADES))
}

/// A round axis maximum at or above `v` (1, 2 or 5 times a power of ten).
fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let pow = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * pow)
        .find(|&m| m >= v)
        .unwrap_or(10.0 * pow)
}

/// The SVG document.
pub fn plot(title: &str, series: &[Series<'_>]) -> String {
    let plotted: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .filter(|(_, v)| v.is_finite())
                .filter_map(|&(p, v)| x_of(p).map(|x| (x, v)))
                .collect()
        })
        .collect();
    let vmax = plotted
        .iter()
        .flatten()
        .map(|&(_, v)| v)
        .fold(0.0, f64::max);
    let ymax = nice_max(vmax * 1.05);
    let (unit, div) = if ymax >= 2000.0 {
        ("ms", 1000.0)
    } else {
        ("µs", 1.0)
    };
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let px = |x: f64| LEFT + pw * x / DECADES;
    let py = |v: f64| TOP + ph * (1.0 - v / ymax);

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(
        s,
        r##"<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>"##
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
        W / 2.0,
        escape(title)
    );
    // Grid and axes.
    for (i, label) in ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"]
        .iter()
        .enumerate()
    {
        let x = px(i as f64);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#dddddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{label}</text>"##,
            TOP + ph,
            TOP + ph + 18.0
        );
    }
    for i in 0..=5 {
        let v = ymax * i as f64 / 5.0;
        let y = py(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#dddddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            LEFT + pw,
            LEFT - 6.0,
            y + 4.0,
            trim(v / div)
        );
    }
    let _ = write!(
        s,
        r##"<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333333"/>"##
    );
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">percentile</text>"#,
        LEFT + pw / 2.0,
        H - 12.0
    );
    let _ = write!(
        s,
        r#"<text x="18" y="{:.1}" text-anchor="middle" transform="rotate(-90 18 {:.1})">latency ({unit})</text>"#,
        TOP + ph / 2.0,
        TOP + ph / 2.0
    );
    // Lines, then the legend on top of them.
    for (i, pts) in plotted.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let coords: Vec<String> = pts
            .iter()
            .map(|&(x, v)| format!("{:.1},{:.1}", px(x), py(v)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"/>"#,
            coords.join(" ")
        );
        if pts.len() < 12 {
            for &(x, v) in pts {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{color}"/>"#,
                    px(x),
                    py(v)
                );
            }
        }
    }
    let legend_w = 12.0
        + 7.0
            * series
                .iter()
                .map(|s| s.label.chars().count())
                .max()
                .unwrap_or(0) as f64
        + 36.0;
    let _ = write!(
        s,
        r##"<rect x="{:.1}" y="{:.1}" width="{legend_w:.1}" height="{:.1}" fill="#ffffff" fill-opacity="0.85" stroke="#999999"/>"##,
        LEFT + 10.0,
        TOP + 10.0,
        8.0 + 18.0 * series.len() as f64
    );
    for (i, ser) in series.iter().enumerate() {
        let y = TOP + 24.0 + 18.0 * i as f64;
        let color = COLORS[i % COLORS.len()];
        let _ = write!(
            s,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{color}" stroke-width="3"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            LEFT + 18.0,
            y - 4.0,
            LEFT + 42.0,
            y - 4.0,
            LEFT + 48.0,
            y,
            escape(ser.label)
        );
    }
    s.push_str("</svg>\n");
    s
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests;
