//! Meaning similarity for scoring: sentence embeddings from all-MiniLM-L6-v2 (a 6-layer
//! BERT, 384 dimensions, Apache-2.0), run on the CPU by [`bert`] (candle tensors) and mean-pooled
//! and L2-normalised as the model card says, so the cosine of two embeddings is their
//! dot product.
//!
//! The model is optional: [`MeaningModel::find`] looks for the folder
//! `all-MiniLM-L6-v2` (with `model.safetensors`, `config.json`, `tokenizer.json`, put there
//! by `models/fetch-meaning-model.sh`) in `models/` beside the program, in the working
//! directory, in the data directory, then in the repository, like the whisper models.
//! Without it the offline brain scores by words alone and says so in its name.
//!
//! Determinism: the same text gives the same embedding bit for bit, alone or in a batch
//! with any other texts. The matrix products (gemm) split work over output blocks only,
//! each summed in a fixed order, so neither the thread count nor the other rows of a
//! batch change a bit (checked in `tests/meaning.rs`). Texts are embedded in batches
//! ([`MeaningModel::embed_batch`]: one forward pass for the sentences of an answer), each
//! padded to a length that depends on the text alone (its token count rounded up to
//! [`PAD_TO`]) with an attention mask, because the sums over a row (softmax, attention)
//! could round differently at another length; texts of the same padded length share a
//! forward pass. Pooling (over the text's own tokens) and normalisation are plain loops
//! in f64.

pub mod bert;
mod gelu;
pub mod locate;
pub mod wordpiece;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use panelist_brain::meaning::SentenceEmbedder;
use panelist_brain::OfflineBrain;

pub use locate::{find, search_dirs, MODEL_DIR};
use wordpiece::WordPiece;

/// The model's name as reports give it.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// Larger than the model's weights (87 MiB): a bound on what a file can make us read.
const MAX_WEIGHTS_BYTES: u64 = 256 << 20;
const MAX_SMALL_FILE_BYTES: u64 = 16 << 20;
/// The text embedded at most, in bytes; the tokenizer cuts at 128 tokens anyway.
const MAX_TEXT_BYTES: usize = 4096;
/// Texts are padded to a multiple of this many tokens (see the crate's documentation).
pub const PAD_TO: usize = 8;
/// Texts embedded in one forward pass at most (a bound on its memory).
const MAX_BATCH: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum MeaningError {
    #[error("meaning model file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("meaning model tokenizer: {0}")]
    Tokenizer(String),
    #[error("meaning model: {0}")]
    Model(#[from] candle_core::Error),
}

/// all-MiniLM-L6-v2, loaded.
pub struct MeaningModel {
    model: bert::Bert,
    tokenizer: WordPiece,
    device: Device,
    dir: PathBuf,
}

impl std::fmt::Debug for MeaningModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeaningModel")
            .field("dir", &self.dir)
            .finish()
    }
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, MeaningError> {
    let err = |message: String| MeaningError::File {
        path: path.to_path_buf(),
        message,
    };
    let len = std::fs::metadata(path)
        .map_err(|e| err(e.to_string()))?
        .len();
    if len > max {
        return Err(err(format!("{len} bytes, more than the {max} expected")));
    }
    std::fs::read(path).map_err(|e| err(e.to_string()))
}

impl MeaningModel {
    /// Loads the model from its folder.
    pub fn load(dir: &Path) -> Result<Self, MeaningError> {
        let text = |name: &str| -> Result<String, MeaningError> {
            let path = dir.join(name);
            String::from_utf8(read_bounded(&path, MAX_SMALL_FILE_BYTES)?).map_err(|e| {
                MeaningError::File {
                    path,
                    message: e.to_string(),
                }
            })
        };
        let config = bert::Config::from_json(&text("config.json")?).map_err(|message| {
            MeaningError::File {
                path: dir.join("config.json"),
                message,
            }
        })?;
        let tokenizer = WordPiece::from_tokenizer_json(&text("tokenizer.json")?)?;
        let weights = read_bounded(&dir.join("model.safetensors"), MAX_WEIGHTS_BYTES)?;
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)?;
        let model = bert::Bert::load(vb, &config)?;
        Ok(Self {
            model,
            tokenizer,
            device,
            dir: dir.to_path_buf(),
        })
    }

    /// The model found by [`find`] for `data_dir`, loaded; `None` when there is none or
    /// it is switched off (`PANELIST_MEANING_MODEL=off`). A model that is there but does
    /// not load is an error.
    pub fn find_and_load(data_dir: Option<&Path>) -> Option<Result<Self, MeaningError>> {
        find(data_dir).map(|dir| Self::load(&dir))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Token ids of a text as the model reads them.
    pub fn tokens(&self, text: &str) -> Vec<u32> {
        self.tokenizer.encode(bounded(text))
    }

    /// The text's embedding: the mean of its token vectors, L2-normalised (384 values).
    pub fn embed(&self, text: &str) -> Result<Vec<f32>, MeaningError> {
        self.embed_batch(&[text])
            .pop()
            .unwrap_or_else(|| Err(MeaningError::Tokenizer("no embedding".to_string())))
    }

    /// The embeddings of several texts, in order: texts of the same padded length go
    /// through the model in one forward pass, and each text's embedding is the same bit
    /// for bit as alone ([`MeaningModel::embed`]).
    pub fn embed_batch(&self, texts: &[&str]) -> Vec<Result<Vec<f32>, MeaningError>> {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.tokens(t)).collect();
        // Texts by padded length, in a fixed order.
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, t) in ids.iter().enumerate() {
            groups.entry(padded_len(t.len())).or_default().push(i);
        }
        let mut out: Vec<Option<Result<Vec<f32>, MeaningError>>> =
            (0..texts.len()).map(|_| None).collect();
        for (len, members) in groups {
            for chunk in members.chunks(MAX_BATCH) {
                match self.forward_padded(&ids, chunk, len) {
                    Ok(vectors) => {
                        for (&i, v) in chunk.iter().zip(vectors) {
                            out[i] = Some(Ok(v));
                        }
                    }
                    Err(e) => {
                        let message = e.to_string();
                        for &i in chunk {
                            out[i] = Some(Err(MeaningError::Tokenizer(message.clone())));
                        }
                    }
                }
            }
        }
        out.into_iter()
            .map(|v| v.unwrap_or_else(|| Err(MeaningError::Tokenizer("not embedded".into()))))
            .collect()
    }

    /// One forward pass over the texts `members` of `ids`, each padded to `len` tokens.
    fn forward_padded(
        &self,
        ids: &[Vec<u32>],
        members: &[usize],
        len: usize,
    ) -> Result<Vec<Vec<f32>>, MeaningError> {
        let rows = members.len();
        let mut input = vec![PAD_ID; rows * len];
        let mut mask = vec![0u32; rows * len];
        for (r, &i) in members.iter().enumerate() {
            let t = &ids[i];
            input[r * len..r * len + t.len()].copy_from_slice(t);
            mask[r * len..r * len + t.len()].fill(1);
        }
        let input = Tensor::from_vec(input, (rows, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, len), &self.device)?;
        let out = self.model.forward(&input, &mask)?;
        let out = out.to_vec3::<f32>()?;
        Ok(members
            .iter()
            .zip(out)
            .map(|(&i, tokens)| mean_pooled(&tokens[..ids[i].len()]))
            .collect())
    }
}

/// The id of `[PAD]` in the model's vocabulary.
const PAD_ID: u32 = 0;

/// The length a text of `n` tokens is padded to.
fn padded_len(n: usize) -> usize {
    n.div_ceil(PAD_TO).max(1) * PAD_TO
}

/// The mean of token vectors, L2-normalised, summed in f64 in token order.
fn mean_pooled(rows: &[Vec<f32>]) -> Vec<f32> {
    let dim = rows.first().map_or(0, Vec::len);
    let mut mean = vec![0f64; dim];
    for row in rows {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += f64::from(*v);
        }
    }
    let count = rows.len().max(1) as f64;
    let norm = mean
        .iter()
        .map(|m| (m / count) * (m / count))
        .sum::<f64>()
        .sqrt()
        .max(1e-12);
    mean.iter().map(|m| (m / count / norm) as f32).collect()
}

/// At most [`MAX_TEXT_BYTES`] of a text, cut at a character boundary.
fn bounded(text: &str) -> &str {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl SentenceEmbedder for MeaningModel {
    fn name(&self) -> &str {
        MODEL_NAME
    }

    fn embed(&self, text: &str) -> Result<Vec<f32>, String> {
        MeaningModel::embed(self, text).map_err(|e| e.to_string())
    }

    fn embed_batch(&self, texts: &[&str]) -> Vec<Result<Vec<f32>, String>> {
        MeaningModel::embed_batch(self, texts)
            .into_iter()
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }
}

/// The model for `data_dir`, loaded once per process and shared (its weights are 87 MiB):
/// `None` when there is none, it is switched off, or it does not load (said on stderr
/// once, and scoring goes on by words alone).
pub fn shared(data_dir: Option<&Path>) -> Option<Arc<MeaningModel>> {
    static LOADED: OnceLock<Mutex<BTreeMap<PathBuf, Option<Arc<MeaningModel>>>>> = OnceLock::new();
    let dir = find(data_dir)?;
    let mut loaded = LOADED
        .get_or_init(|| Mutex::new(BTreeMap::new()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    loaded
        .entry(dir.clone())
        .or_insert_with(|| match MeaningModel::load(&dir) {
            Ok(m) => Some(Arc::new(m)),
            Err(e) => {
                eprintln!("warning: {e}; scoring without meaning similarity");
                None
            }
        })
        .clone()
}

/// The offline brain with the meaning model for `data_dir` when there is one.
pub fn with_model(brain: OfflineBrain, data_dir: Option<&Path>) -> OfflineBrain {
    match shared(data_dir) {
        Some(m) => brain.with_meaning(m),
        None => brain,
    }
}
