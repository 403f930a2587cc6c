//! Page flow: text wrapped into lines and placed top to bottom, a new page whenever the
//! next block does not fit. Pages are collected as drawing operations first, so the
//! footer can say "page 2 of 5" when they are drawn.

use super::fonts::{Fonts, Weight};

/// An RGB colour.
pub(crate) type Rgb = (u8, u8, u8);

pub(crate) const INK: Rgb = (33, 37, 41);
pub(crate) const MUTED: Rgb = (108, 117, 125);
pub(crate) const ACCENT: Rgb = (31, 78, 121);
pub(crate) const RULE: Rgb = (206, 212, 218);

/// One thing to draw on a page. Coordinates are points from the top-left corner; text is
/// placed by its baseline.
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
}

/// Page size and margins, in points.
#[derive(Clone, Copy)]
pub(crate) struct Frame {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) margin: f32,
    /// Space kept free at the bottom for the footer.
    pub(crate) footer: f32,
}

impl Frame {
    pub(crate) fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }
}

/// Text style of a paragraph.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    pub(crate) size: f32,
    pub(crate) weight: Weight,
    pub(crate) color: Rgb,
}

impl Style {
    pub(crate) fn new(size: f32, weight: Weight, color: Rgb) -> Self {
        Self {
            size,
            weight,
            color,
        }
    }

    fn leading(&self) -> f32 {
        self.size * 1.35
    }
}

/// Pages under construction.
pub(crate) struct Flow<'f> {
    pub(crate) fonts: &'f Fonts,
    pub(crate) frame: Frame,
    pub(crate) pages: Vec<Vec<Op>>,
    /// The top of the free space on the current page.
    pub(crate) y: f32,
}

impl<'f> Flow<'f> {
    pub(crate) fn new(fonts: &'f Fonts, frame: Frame) -> Self {
        Self {
            fonts,
            frame,
            pages: vec![Vec::new()],
            y: frame.margin,
        }
    }

    fn bottom(&self) -> f32 {
        self.frame.height - self.frame.margin - self.frame.footer
    }

    pub(crate) fn left(&self) -> f32 {
        self.frame.margin
    }

    /// Starts a new page when `height` points do not fit on this one.
    pub(crate) fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > self.frame.margin {
            self.pages.push(Vec::new());
            self.y = self.frame.margin;
        }
    }

    pub(crate) fn space(&mut self, height: f32) {
        self.y += height;
    }

    pub(crate) fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// A horizontal rule across the content width.
    pub(crate) fn rule(&mut self) {
        self.ensure(6.0);
        let (x, y, w) = (self.left(), self.y + 2.0, self.frame.content_width());
        self.push(Op::Rect {
            x,
            y,
            w,
            h: 0.6,
            color: RULE,
        });
        self.y += 6.0;
    }

    /// A wrapped paragraph starting `indent` points from the left margin. Line breaks in
    /// the text start new lines.
    pub(crate) fn paragraph(&mut self, text: &str, style: Style, indent: f32) {
        let width = self.frame.content_width() - indent;
        for line in wrap(self.fonts, text, style, width) {
            self.ensure(style.leading());
            let baseline = self.y + style.size;
            let x = self.left() + indent;
            self.push(Op::Text {
                x,
                y: baseline,
                size: style.size,
                weight: style.weight,
                color: style.color,
                text: line,
            });
            self.y += style.leading();
        }
    }

    /// A bulleted list item: the bullet hangs in the indent.
    pub(crate) fn bullet(&mut self, text: &str, style: Style, indent: f32) {
        self.ensure(style.leading());
        let (x, y) = (self.left() + indent, self.y + style.size);
        self.push(Op::Text {
            x,
            y,
            size: style.size,
            weight: style.weight,
            color: style.color,
            text: "•".into(),
        });
        self.paragraph(text, style, indent + style.size);
    }
}

/// Whether a line may break before or after this character even without a space (CJK
/// scripts are written without spaces between words).
fn breaks_anywhere(c: char) -> bool {
    matches!(u32::from(c), 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Removes control characters (they have no glyph and could upset a reader) but keeps
/// line breaks.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// Breaks text into lines no wider than `width`: greedily at spaces, anywhere in CJK
/// text, and inside a word only when the word alone is wider than a line.
pub(crate) fn wrap(fonts: &Fonts, text: &str, style: Style, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for source_line in clean(text).split('\n') {
        // Words with whether a space preceded them.
        let mut words: Vec<(bool, String)> = Vec::new();
        let mut space_before = false;
        let mut word = String::new();
        for c in source_line.chars() {
            if c.is_whitespace() {
                if !word.is_empty() {
                    words.push((space_before, std::mem::take(&mut word)));
                }
                space_before = true;
            } else if breaks_anywhere(c) {
                if !word.is_empty() {
                    words.push((space_before, std::mem::take(&mut word)));
                    space_before = false;
                }
                words.push((space_before, c.to_string()));
                space_before = false;
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            words.push((space_before, word));
        }
        let mut line = String::new();
        let mut line_width = 0.0;
        let space = fonts.width(" ", style.size, style.weight);
        for (space_before, word) in words {
            let word_width = fonts.width(&word, style.size, style.weight);
            let gap = if space_before && !line.is_empty() {
                space
            } else {
                0.0
            };
            if !line.is_empty() && line_width + gap + word_width > width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            if !line.is_empty() && space_before {
                line.push(' ');
                line_width += space;
            }
            if word_width > width {
                // A word longer than a line (a URL, a long token) is cut where it must be.
                for c in word.chars() {
                    let w = fonts.width(c.encode_utf8(&mut [0; 4]), style.size, style.weight);
                    if !line.is_empty() && line_width + w > width {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(c);
                    line_width += w;
                }
            } else {
                line.push_str(&word);
                line_width += word_width;
            }
        }
        lines.push(line);
    }
    lines
}
