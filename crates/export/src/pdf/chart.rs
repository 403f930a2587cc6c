//! The score chart: one horizontal bar per competency on a 0–100 scale with grid lines.

use super::fonts::Weight;
use super::layout::{Flow, Op, Rgb, INK, MUTED, RULE};

const BAR: f32 = 13.0;
const GAP: f32 = 7.0;
const LABEL_WIDTH: f32 = 110.0;
const VALUE_WIDTH: f32 = 34.0;

/// The colour of a bar by its score band, matching the answer-quality bands.
fn band(score: u8) -> Rgb {
    match score {
        80..=100 => (46, 125, 50),
        60..=79 => (31, 119, 180),
        40..=59 => (240, 160, 40),
        _ => (200, 60, 50),
    }
}

/// Draws the chart at the flow's position, as one block that is never split over pages.
pub(crate) fn score_chart(flow: &mut Flow<'_>, scores: &[(&str, u8)]) {
    let height = scores.len() as f32 * (BAR + GAP) + 16.0;
    flow.ensure(height);
    let left = flow.left();
    let top = flow.y;
    let plot_x = left + LABEL_WIDTH;
    let plot_w = flow.frame.content_width() - LABEL_WIDTH - VALUE_WIDTH;
    let plot_h = scores.len() as f32 * (BAR + GAP);
    for tick in [0u8, 25, 50, 75, 100] {
        let x = plot_x + plot_w * f32::from(tick) / 100.0;
        flow.push(Op::Rect {
            x,
            y: top,
            w: 0.5,
            h: plot_h,
            color: RULE,
        });
        let label = tick.to_string();
        let w = flow.fonts.width(&label, 7.0, Weight::Regular);
        flow.push(Op::Text {
            x: x - w / 2.0,
            y: top + plot_h + 9.0,
            size: 7.0,
            weight: Weight::Regular,
            color: MUTED,
            text: label,
        });
    }
    for (i, (name, score)) in scores.iter().enumerate() {
        let y = top + i as f32 * (BAR + GAP) + GAP / 2.0;
        flow.push(Op::Text {
            x: left,
            y: y + BAR - 3.0,
            size: 10.0,
            weight: Weight::Regular,
            color: INK,
            text: (*name).to_string(),
        });
        let w = plot_w * f32::from((*score).min(100)) / 100.0;
        flow.push(Op::Rect {
            x: plot_x,
            y,
            w: w.max(0.5),
            h: BAR,
            color: band(*score),
        });
        flow.push(Op::Text {
            x: plot_x + plot_w + 6.0,
            y: y + BAR - 3.0,
            size: 10.0,
            weight: Weight::Bold,
            color: INK,
            text: score.to_string(),
        });
    }
    flow.y = top + height;
}
