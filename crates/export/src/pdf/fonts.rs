//! The embedded fonts, font fallback and text measurement.
//!
//! DejaVu Sans (regular and bold) sets Latin, Greek and Cyrillic text; any character it
//! lacks (Chinese, Japanese, Korean) falls back to Droid Sans Fallback. The fonts are
//! compiled into the binary and parsed once per process; krilla embeds only the glyphs a
//! document uses, with a ToUnicode map so the text can be copied and extracted. Characters
//! are mapped to glyphs directly, without a shaping engine (see `Face::glyphs`).

use std::sync::OnceLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};

static REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");
static CJK: &[u8] = include_bytes!("../../../../assets/fonts/DroidSansFallbackFull.ttf");

/// Regular or bold Latin text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One font: krilla's handle for drawing and a parsed face for measuring.
pub(crate) struct Face {
    pub(crate) font: Font,
    parsed: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Self> {
        let parsed = ttf_parser::Face::parse(data, 0).ok()?;
        let font = Font::new(data.into(), 0)?;
        Some(Self {
            units_per_em: f32::from(parsed.units_per_em()),
            parsed,
            font,
        })
    }

    fn has(&self, c: char) -> bool {
        self.parsed.glyph_index(c).is_some()
    }

    fn advance(&self, c: char) -> f32 {
        let glyph = self.parsed.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        f32::from(self.parsed.glyph_hor_advance(glyph).unwrap_or(0)) / self.units_per_em
    }

    /// One glyph per character with its advance, each mapped back to its character so
    /// the PDF's ToUnicode map gives the text back. Mapping characters to glyphs directly
    /// (instead of shaping) keeps drawing consistent with measuring and is much faster;
    /// the scripts a report holds (Latin, Greek, Cyrillic, CJK) need no shaping, and only
    /// kerning is given up.
    pub(crate) fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let id = self.parsed.glyph_index(c).map_or(0, |g| g.0);
                KrillaGlyph::new(
                    GlyphId::new(u32::from(id)),
                    self.advance(c),
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

/// The three faces every report uses.
pub(crate) struct Fonts {
    regular: Face,
    bold: Face,
    cjk: Face,
}

/// A stretch of text set in one face.
pub(crate) struct Run<'a> {
    pub(crate) face: &'a Face,
    pub(crate) text: &'a str,
}

static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();

impl Fonts {
    /// The embedded fonts, parsed on first use.
    pub(crate) fn get() -> Option<&'static Fonts> {
        FONTS
            .get_or_init(|| {
                Some(Fonts {
                    regular: Face::load(REGULAR)?,
                    bold: Face::load(BOLD)?,
                    cjk: Face::load(CJK)?,
                })
            })
            .as_ref()
    }

    fn primary(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The face that sets one character: the Latin face when it has the glyph (spaces
    /// always), else the CJK face when it has it, else the Latin face's missing glyph.
    fn face_for(&self, c: char, weight: Weight) -> &Face {
        let primary = self.primary(weight);
        if c.is_whitespace() || primary.has(c) || !self.cjk.has(c) {
            primary
        } else {
            &self.cjk
        }
    }

    /// Splits text into runs of one face each.
    pub(crate) fn runs<'a>(&'a self, text: &'a str, weight: Weight) -> Vec<Run<'a>> {
        let mut runs: Vec<Run<'a>> = Vec::new();
        let mut start = 0;
        let mut current: Option<&Face> = None;
        for (i, c) in text.char_indices() {
            let face = self.face_for(c, weight);
            match current {
                Some(f) if std::ptr::eq(f, face) => {}
                Some(f) => {
                    runs.push(Run {
                        face: f,
                        text: &text[start..i],
                    });
                    start = i;
                    current = Some(face);
                }
                None => current = Some(face),
            }
        }
        if let Some(f) = current {
            runs.push(Run {
                face: f,
                text: &text[start..],
            });
        }
        runs
    }

    /// The width of text at a font size, in points (advance widths, no kerning).
    pub(crate) fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        text.chars()
            .map(|c| self.face_for(c, weight).advance(c))
            .sum::<f32>()
            * size
    }
}
