//! The typeset PDF report: header, score summary with a chart, one section per answer,
//! the overall assessment, and a footer on every page with the generator, the reviewer
//! and page numbers.
//!
//! Built with krilla (see ARCHITECTURE.md for why): it embeds subsets of TrueType fonts
//! with ToUnicode maps and draws glyphs and rectangles; glyph mapping, line breaking and
//! pagination are done here with the fonts' own tables (ttf-parser).

mod chart;
mod fonts;
mod layout;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::Document;

use chrono::{Datelike, Timelike};
use fonts::{Fonts, Weight};
use layout::{Flow, Frame, Op, Rgb, Style, ACCENT, INK, MUTED};
use panelist_core::QuestionType;

use crate::item::format_duration;
use crate::{ExportError, ExportItem, Result, GENERATOR};

/// The longest transcript printed in full; longer ones are cut at a word and marked as an
/// excerpt (the JSON export always has the whole text).
const TRANSCRIPT_LIMIT: usize = 1500;

/// Paper size of the PDF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points.
    fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// Renders one report as a PDF document.
pub fn render_pdf(item: &ExportItem, paper: Paper) -> Result<Vec<u8>> {
    let fonts =
        Fonts::get().ok_or_else(|| ExportError::Pdf("the embedded fonts cannot be read".into()))?;
    let (width, height) = paper.size();
    let frame = Frame {
        width,
        height,
        margin: 50.0,
        footer: 28.0,
    };
    let mut flow = Flow::new(fonts, frame);
    lay_out(&mut flow, item);
    draw(fonts, frame, flow.pages, item)
}

fn body() -> Style {
    Style::new(10.0, Weight::Regular, INK)
}

fn label_style() -> Style {
    Style::new(8.5, Weight::Bold, MUTED)
}

/// A small caps-like label above a block of text.
fn labelled(flow: &mut Flow<'_>, label: &str, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    flow.ensure(30.0);
    flow.paragraph(label, label_style(), 0.0);
    flow.space(1.0);
    flow.paragraph(text, body(), 0.0);
    flow.space(5.0);
}

fn bullets(flow: &mut Flow<'_>, label: &str, items: &[String], empty: &str) {
    flow.ensure(30.0);
    flow.paragraph(label, label_style(), 0.0);
    flow.space(1.0);
    if items.is_empty() {
        flow.paragraph(empty, Style::new(10.0, Weight::Regular, MUTED), 8.0);
    }
    for item in items {
        flow.bullet(item, body(), 4.0);
    }
    flow.space(5.0);
}

/// Cuts a long transcript at a word boundary.
fn excerpt(text: &str) -> (String, bool) {
    if text.chars().count() <= TRANSCRIPT_LIMIT {
        return (text.to_string(), false);
    }
    let cut: String = text.chars().take(TRANSCRIPT_LIMIT).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > TRANSCRIPT_LIMIT / 2 => cut[..i].to_string(),
        _ => cut,
    };
    (format!("{cut} […]"), true)
}

/// How HR reads a question's origin.
fn kind_label(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Preset => "prepared question",
        QuestionType::FollowUp => "follow-up",
        QuestionType::Resume => "résumé question",
    }
}

fn lay_out(flow: &mut Flow<'_>, item: &ExportItem) {
    let r = &item.report;
    // Header.
    flow.paragraph(
        "INTERVIEW REPORT",
        Style::new(9.0, Weight::Bold, ACCENT),
        0.0,
    );
    flow.space(2.0);
    flow.paragraph(&r.candidate.name, Style::new(20.0, Weight::Bold, INK), 0.0);
    let mut contact = r.candidate.email.clone();
    if let Some(phone) = &r.candidate.phone {
        contact.push_str(" · ");
        contact.push_str(phone);
    }
    flow.paragraph(&contact, Style::new(10.0, Weight::Regular, MUTED), 0.0);
    flow.space(6.0);
    let focus = if r.interview.focus_areas.is_empty() {
        String::new()
    } else {
        format!(" · focus: {}", r.interview.focus_areas.join(", "))
    };
    flow.paragraph(
        &format!(
            "{} ({} difficulty{focus} · in {})",
            r.interview.job_role,
            r.interview.difficulty,
            r.interview.language.name()
        ),
        Style::new(11.0, Weight::Bold, INK),
        0.0,
    );
    flow.paragraph(
        &format!(
            "Date {} UTC · duration {} · {} answers · interview {} rev. {} · session {}",
            item.date().format("%Y-%m-%d %H:%M"),
            format_duration(item.duration_seconds()),
            r.responses.len(),
            item.facts.interview_id,
            item.facts.revision,
            r.session_id
        ),
        Style::new(8.5, Weight::Regular, MUTED),
        0.0,
    );
    flow.space(4.0);
    flow.rule();

    // Score summary.
    flow.space(4.0);
    flow.paragraph("Score summary", Style::new(14.0, Weight::Bold, ACCENT), 0.0);
    flow.space(2.0);
    flow.paragraph(
        &format!(
            "Overall {}/100 · {}",
            r.scores.overall,
            r.overall_assessment.recommendation.as_str()
        ),
        Style::new(12.0, Weight::Bold, INK),
        0.0,
    );
    flow.space(6.0);
    chart::score_chart(
        flow,
        &[
            ("Technical", r.scores.technical),
            ("Communication", r.scores.communication),
            ("Problem solving", r.scores.problem_solving),
            ("Overall", r.scores.overall),
        ],
    );
    flow.space(6.0);
    flow.rule();

    // One section per answer.
    for resp in &r.responses {
        flow.space(6.0);
        flow.ensure(80.0);
        let score = format!("{}/100 · {}", resp.score, resp.answer_quality.as_str());
        let score_width = flow.fonts.width(&score, 11.0, Weight::Bold);
        let (x, y) = (
            flow.left() + flow.frame.content_width() - score_width,
            flow.y + 11.0,
        );
        flow.push(Op::Text {
            x,
            y,
            size: 11.0,
            weight: Weight::Bold,
            color: ACCENT,
            text: score,
        });
        flow.paragraph(
            &format!(
                "{} · {}",
                resp.display_label,
                kind_label(resp.question_type)
            ),
            Style::new(12.0, Weight::Bold, ACCENT),
            0.0,
        );
        flow.space(2.0);
        flow.paragraph(
            &resp.question_text,
            Style::new(10.5, Weight::Bold, INK),
            0.0,
        );
        flow.space(4.0);
        let answer = if resp.candidate_answer.trim().is_empty() {
            ("(no answer)".to_string(), false)
        } else {
            excerpt(&resp.candidate_answer)
        };
        let label = if answer.1 {
            "TRANSCRIPT (EXCERPT)"
        } else {
            "TRANSCRIPT"
        };
        labelled(flow, label, &answer.0);
        bullets(flow, "KEY POINTS MATCHED", &resp.matched, "none");
        bullets(flow, "KEY POINTS MISSED", &resp.missed, "none");
        labelled(flow, "IMPROVEMENT", &resp.improvement);
        bullets(
            flow,
            &format!("SCORE {} — EVIDENCE", resp.score),
            &resp.evidence,
            "no evidence recorded",
        );
        flow.rule();
    }

    // Overall assessment.
    let a = &r.overall_assessment;
    flow.space(6.0);
    flow.ensure(90.0);
    flow.paragraph(
        "Overall assessment",
        Style::new(14.0, Weight::Bold, ACCENT),
        0.0,
    );
    flow.space(2.0);
    flow.paragraph(
        &format!("Recommendation: {}", a.recommendation.as_str()),
        Style::new(12.0, Weight::Bold, INK),
        0.0,
    );
    flow.space(4.0);
    labelled(flow, "SUMMARY", &a.summary);
    bullets(flow, "STRENGTHS", &a.strengths, "none noted");
    bullets(
        flow,
        "AREAS FOR IMPROVEMENT",
        &a.areas_for_improvement,
        "none noted",
    );
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        ..Fill::default()
    }
}

fn pdf_date(at: chrono::DateTime<chrono::Utc>) -> PdfDateTime {
    // The PDF date fields are small integers; chrono guarantees their ranges.
    PdfDateTime::new(u16::try_from(at.year()).unwrap_or(2000))
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

fn draw(fonts: &Fonts, frame: Frame, pages: Vec<Vec<Op>>, item: &ExportItem) -> Result<Vec<u8>> {
    let r = &item.report;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Interview report: {}", r.candidate.name))
            .creator(GENERATOR.to_string())
            .producer(GENERATOR.to_string())
            .language("en".to_string())
            .creation_date(pdf_date(r.generated_by.at)),
    );
    let settings = PageSettings::from_wh(frame.width, frame.height)
        .ok_or_else(|| ExportError::Pdf("invalid page size".into()))?;
    let total = pages.len();
    let reviewer = match &item.facts.reviewed_by {
        Some(name) => format!("Reviewed by {name}"),
        None => "Not yet reviewed by a person".to_string(),
    };
    let footer_generator = format!(
        "Generated by {GENERATOR} · brain: {} · {} UTC",
        r.generated_by.brain,
        r.generated_by.at.format("%Y-%m-%d %H:%M")
    );
    for (index, mut ops) in pages.into_iter().enumerate() {
        let footer_y = frame.height - frame.margin + 2.0;
        let page_label = format!("Page {} of {total}", index + 1);
        let label_width = fonts.width(&page_label, 7.5, Weight::Regular);
        let left_room = frame.content_width() - label_width - 12.0;
        ops.push(Op::Rect {
            x: frame.margin,
            y: footer_y - 10.0,
            w: frame.content_width(),
            h: 0.5,
            color: layout::RULE,
        });
        for (line, text) in [&footer_generator, &reviewer].into_iter().enumerate() {
            ops.push(Op::Text {
                x: frame.margin,
                y: footer_y + line as f32 * 9.5,
                size: 7.5,
                weight: Weight::Regular,
                color: MUTED,
                text: fit(fonts, text, 7.5, left_room),
            });
        }
        ops.push(Op::Text {
            x: frame.width - frame.margin - label_width,
            y: footer_y,
            size: 7.5,
            weight: Weight::Regular,
            color: MUTED,
            text: page_label,
        });
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    weight,
                    color,
                    text,
                } => {
                    surface.set_fill(Some(fill(color)));
                    let mut pen = x;
                    for run in fonts.runs(&text, weight) {
                        surface.draw_glyphs(
                            Point::from_xy(pen, y),
                            &run.face.glyphs(run.text),
                            run.face.font.clone(),
                            run.text,
                            size,
                            false,
                        );
                        pen += fonts.width(run.text, size, weight);
                    }
                }
                Op::Rect { x, y, w, h, color } => {
                    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                        let mut builder = PathBuilder::new();
                        builder.push_rect(rect);
                        if let Some(path) = builder.finish() {
                            surface.set_fill(Some(fill(color)));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ExportError::Pdf(format!("{e:?}")))
}

/// Shortens a one-line text with an ellipsis until it fits a width.
fn fit(fonts: &Fonts, text: &str, size: f32, width: f32) -> String {
    if fonts.width(text, size, Weight::Regular) <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>() + "…";
        if fonts.width(&candidate, size, Weight::Regular) <= width {
            return candidate;
        }
    }
    String::new()
}
