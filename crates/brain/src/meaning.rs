//! The seam for meaning similarity: a sentence-embedding model behind
//! [`SentenceEmbedder`] (implemented by `panelist-meaning` with all-MiniLM-L6-v2), and
//! [`Meaning`], which caches embeddings for one interview or one batch (key points and
//! references are embedded once) and measures cosine similarity in a fixed order, so a
//! score is the same bit for bit every time.
//!
//! The brain itself loads no model and does no I/O: whoever builds it hands one in, or
//! none, and scoring then works on words alone.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A model that maps a text to an L2-normalised vector whose dot product with another
/// text's vector measures how close their meanings are.
pub trait SentenceEmbedder: Send + Sync {
    /// The model's name, for reports (`generated_by`).
    fn name(&self) -> &str;
    /// The text's embedding; the same text gives the same vector bit for bit.
    fn embed(&self, text: &str) -> Result<Vec<f32>, String>;

    /// The embeddings of several texts, in order, each the same bit for bit as
    /// [`SentenceEmbedder::embed`] gives it alone; a model may run them in one batch.
    fn embed_batch(&self, texts: &[&str]) -> Vec<Result<Vec<f32>, String>> {
        texts.iter().map(|t| self.embed(t)).collect()
    }
}

/// Entries a cache holds at most before it starts afresh (a bound on memory when one
/// `Meaning` scores a large batch).
const MAX_CACHED: usize = 4096;

/// A model and the embeddings it has made so far.
pub struct Meaning<'a> {
    model: &'a dyn SentenceEmbedder,
    cache: RefCell<BTreeMap<String, Option<Rc<Vec<f32>>>>>,
}

impl<'a> Meaning<'a> {
    pub fn new(model: &'a dyn SentenceEmbedder) -> Self {
        Self {
            model,
            cache: RefCell::new(BTreeMap::new()),
        }
    }

    pub fn model_name(&self) -> &str {
        self.model.name()
    }

    /// The text's embedding, made once; `None` when the model failed on it (scoring then
    /// goes on without the signal for that text).
    pub fn vector(&self, text: &str) -> Option<Rc<Vec<f32>>> {
        if let Some(v) = self.cache.borrow().get(text) {
            return v.clone();
        }
        let v = self.model.embed(text).ok().map(Rc::new);
        let mut cache = self.cache.borrow_mut();
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        cache.insert(text.to_string(), v.clone());
        v
    }

    /// Embeds the texts not embedded yet, all at once (one batch for the model), so that
    /// [`Meaning::vector`] finds them made.
    pub fn prefetch(&self, texts: &[&str]) {
        let mut missing: Vec<&str> = Vec::new();
        {
            let cache = self.cache.borrow();
            for t in texts {
                if !cache.contains_key(*t) && !missing.contains(t) {
                    missing.push(t);
                }
            }
        }
        if missing.is_empty() {
            return;
        }
        let vectors = self.model.embed_batch(&missing);
        let mut cache = self.cache.borrow_mut();
        if cache.len() + missing.len() > MAX_CACHED {
            cache.clear();
        }
        for (t, v) in missing.into_iter().zip(vectors) {
            cache.insert(t.to_string(), v.ok().map(Rc::new));
        }
    }

    /// Cosine similarity of two texts' meanings (−1 to 1), `None` when either failed.
    pub fn similarity(&self, a: &str, b: &str) -> Option<f64> {
        Some(cosine(&self.vector(a)?, &self.vector(b)?))
    }
}

/// The dot product of two normalised vectors, summed in index order in f64.
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

/// The sentences of a text (at `.`, `?`, `!`, `;` or a line break), trimmed, at most
/// `max` of them, each with at least one letter.
pub fn sentences(text: &str, max: usize) -> Vec<&str> {
    text.split(['.', '?', '!', ';', '\n'])
        .map(str::trim)
        .filter(|s| s.chars().any(char::is_alphabetic))
        .take(max)
        .collect()
}
