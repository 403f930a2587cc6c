//! all-MiniLM-L6-v2's encoder: BERT as candle-transformers 0.9 writes it
//! (`models/bert.rs`, MIT or Apache-2.0), cut to what this model needs (absolute
//! positions, token type 0, no dropout) and with the feed-forward activation computed by
//! [`crate::gelu`] in f32 instead of candle's value-by-value f64 `gelu_erf`.
//!
//! Every operation works on each row (token) or each text on its own, in a fixed order,
//! so a text's output does not depend on the other texts of its batch (the crate's
//! documentation says why texts are padded to a length of their own).

use candle_core::{CpuStorage, DType, Layout, Result, Tensor, D};
use candle_nn::{embedding, layer_norm, Embedding, LayerNorm, Module, VarBuilder};

/// The parts of the model's `config.json` the encoder uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
}

/// Bounds on a configuration, so a damaged file cannot make us allocate without limit.
const MAX_DIM: usize = 1 << 16;

impl Config {
    /// Reads `config.json`: a BERT with the exact GELU activation.
    pub fn from_json(text: &str) -> std::result::Result<Self, String> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let size = |name: &str| -> std::result::Result<usize, String> {
            v.get(name)
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .filter(|n| (1..=MAX_DIM).contains(n))
                .ok_or_else(|| format!("{name}: missing or out of range"))
        };
        let act = v.get("hidden_act").and_then(serde_json::Value::as_str);
        if act != Some("gelu") {
            return Err(format!("hidden_act {act:?}: only \"gelu\" is supported"));
        }
        let config = Self {
            vocab_size: size("vocab_size")?,
            hidden_size: size("hidden_size")?,
            num_hidden_layers: size("num_hidden_layers")?,
            num_attention_heads: size("num_attention_heads")?,
            intermediate_size: size("intermediate_size")?,
            max_position_embeddings: size("max_position_embeddings")?,
            type_vocab_size: size("type_vocab_size")?,
            layer_norm_eps: v
                .get("layer_norm_eps")
                .and_then(serde_json::Value::as_f64)
                .filter(|e| *e > 0.0 && *e < 1.0)
                .ok_or("layer_norm_eps: missing or out of range")?,
        };
        if !config
            .hidden_size
            .is_multiple_of(config.num_attention_heads)
        {
            return Err("hidden_size is not a multiple of num_attention_heads".into());
        }
        Ok(config)
    }
}

/// A dense layer `x·Wᵀ + b` with `Wᵀ` stored transposed (input by output, contiguous):
/// gemm then reads the weights as they are, where candle's `Linear` (`W` as the file
/// has it) makes it copy the whole matrix into panels on every call.
struct Linear {
    weight_t: Tensor,
    bias: Tensor,
}

fn linear(inputs: usize, outputs: usize, vb: VarBuilder) -> Result<Linear> {
    let weight = vb.get((outputs, inputs), "weight")?;
    Ok(Linear {
        weight_t: weight.t()?.contiguous()?,
        bias: vb.get(outputs, "bias")?,
    })
}

impl Linear {
    /// `x` is (batch, len, inputs); returns (batch, len, outputs).
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.forward_then(x, Activation::None)
    }

    /// [`Linear::forward`], then the activation, in place.
    fn forward_then(&self, x: &Tensor, activation: Activation) -> Result<Tensor> {
        let (b, len, inputs) = x.dims3()?;
        let y = x.reshape((b * len, inputs))?.matmul(&self.weight_t)?;
        y.inplace_op2(&self.bias, &AddBias(activation))?;
        y.reshape((b, len, ()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Activation {
    None,
    Gelu,
}

/// Adds a bias to every row of a contiguous f32 matrix in place (candle's
/// `broadcast_add` works out each value's index and allocates), then applies the
/// activation.
struct AddBias(Activation);

impl candle_core::InplaceOp2 for AddBias {
    fn name(&self) -> &'static str {
        "add-bias"
    }

    fn cpu_fwd(
        &self,
        s1: &mut CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<()> {
        let (CpuStorage::F32(x), Some((start, end))) = (s1, l1.contiguous_offsets()) else {
            candle_core::bail!("add-bias: needs a contiguous f32 matrix");
        };
        let (CpuStorage::F32(bias), Some((b_start, b_end))) = (s2, l2.contiguous_offsets()) else {
            candle_core::bail!("add-bias: needs a contiguous f32 bias");
        };
        let (x, bias) = (&mut x[start..end], &bias[b_start..b_end]);
        if bias.is_empty() || !x.len().is_multiple_of(bias.len()) {
            candle_core::bail!("add-bias: {} values in rows of {}", x.len(), bias.len());
        }
        for row in x.chunks_exact_mut(bias.len()) {
            for (v, b) in row.iter_mut().zip(bias) {
                *v += b;
            }
        }
        if self.0 == Activation::Gelu {
            crate::gelu::gelu_in_place(x);
        }
        Ok(())
    }
}

struct Embeddings {
    words: Embedding,
    positions: Embedding,
    token_types: Embedding,
    norm: LayerNorm,
}

impl Embeddings {
    fn load(vb: VarBuilder, c: &Config) -> Result<Self> {
        Ok(Self {
            words: embedding(c.vocab_size, c.hidden_size, vb.pp("word_embeddings"))?,
            positions: embedding(
                c.max_position_embeddings,
                c.hidden_size,
                vb.pp("position_embeddings"),
            )?,
            token_types: embedding(
                c.type_vocab_size,
                c.hidden_size,
                vb.pp("token_type_embeddings"),
            )?,
            norm: layer_norm(c.hidden_size, c.layer_norm_eps, vb.pp("LayerNorm"))?,
        })
    }

    fn forward(&self, ids: &Tensor) -> Result<Tensor> {
        let (_, len) = ids.dims2()?;
        let words = self.words.forward(ids)?;
        let types = self.token_types.forward(&ids.zeros_like()?)?;
        let positions = Tensor::arange(0u32, len as u32, ids.device())?;
        let x = (words + types)?.broadcast_add(&self.positions.forward(&positions)?)?;
        self.norm.forward(&x)
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    out: Linear,
    out_norm: LayerNorm,
    heads: usize,
    head_size: usize,
}

impl Layer {
    fn load(vb: VarBuilder, c: &Config) -> Result<Self> {
        let h = c.hidden_size;
        let att = vb.pp("attention");
        Ok(Self {
            query: linear(h, h, att.pp("self").pp("query"))?,
            key: linear(h, h, att.pp("self").pp("key"))?,
            value: linear(h, h, att.pp("self").pp("value"))?,
            attention_out: linear(h, h, att.pp("output").pp("dense"))?,
            attention_norm: layer_norm(h, c.layer_norm_eps, att.pp("output").pp("LayerNorm"))?,
            intermediate: linear(h, c.intermediate_size, vb.pp("intermediate").pp("dense"))?,
            out: linear(c.intermediate_size, h, vb.pp("output").pp("dense"))?,
            out_norm: layer_norm(h, c.layer_norm_eps, vb.pp("output").pp("LayerNorm"))?,
            heads: c.num_attention_heads,
            head_size: h / c.num_attention_heads,
        })
    }

    /// (batch, len, hidden) to (batch, heads, len, head_size).
    fn split_heads(&self, x: &Tensor) -> Result<Tensor> {
        let (b, len, _) = x.dims3()?;
        x.reshape((b, len, self.heads, self.head_size))?
            .transpose(1, 2)?
            .contiguous()
    }

    fn forward(&self, x: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let q = self.split_heads(&self.query.forward(x)?)?;
        let k = self.split_heads(&self.key.forward(x)?)?;
        let v = self.split_heads(&self.value.forward(x)?)?;
        let scores = (q.matmul(&k.t()?)? / (self.head_size as f64).sqrt())?;
        let scores = scores.broadcast_add(mask)?;
        let probs = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let context = probs
            .matmul(&v)?
            .transpose(1, 2)?
            .contiguous()?
            .flatten_from(D::Minus2)?;
        let attended = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context)? + x)?)?;
        let hidden = self
            .intermediate
            .forward_then(&attended, Activation::Gelu)?;
        self.out_norm
            .forward(&(self.out.forward(&hidden)? + attended)?)
    }
}

/// The encoder: token ids in, one vector per token out.
pub struct Bert {
    embeddings: Embeddings,
    layers: Vec<Layer>,
}

impl Bert {
    pub fn load(vb: VarBuilder, c: &Config) -> Result<Self> {
        Ok(Self {
            embeddings: Embeddings::load(vb.pp("embeddings"), c)?,
            layers: (0..c.num_hidden_layers)
                .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), c))
                .collect::<Result<_>>()?,
        })
    }

    /// `ids` and `mask` are (batch, len); the mask is 1 for a text's tokens and 0 for
    /// padding. Returns (batch, len, hidden).
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let mut x = self.embeddings.forward(ids)?;
        // 0 where a token may be attended to, the lowest f32 where it is padding.
        let mask = mask.unsqueeze(1)?.unsqueeze(1)?.to_dtype(DType::F32)?;
        let mask = ((mask.ones_like()? - &mask)? * f64::from(f32::MIN))?;
        for layer in &self.layers {
            x = layer.forward(&x, &mask)?;
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINILM: &str = r#"{"hidden_act": "gelu", "hidden_size": 384, "intermediate_size": 1536,
        "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "num_attention_heads": 12,
        "num_hidden_layers": 6, "type_vocab_size": 2, "vocab_size": 30522}"#;

    #[test]
    fn reads_the_models_configuration_and_refuses_what_it_cannot_run() {
        let c = Config::from_json(MINILM).expect("config");
        assert_eq!(
            (c.hidden_size, c.num_attention_heads, c.num_hidden_layers),
            (384, 12, 6)
        );
        let other = MINILM.replace("\"gelu\"", "\"relu\"");
        assert!(Config::from_json(&other).is_err_and(|e| e.contains("hidden_act")));
        let huge = MINILM.replace("384", "99999999999");
        assert!(Config::from_json(&huge).is_err_and(|e| e.contains("hidden_size")));
        let odd = MINILM.replace("384", "385");
        assert!(Config::from_json(&odd).is_err());
        assert!(Config::from_json("[]").is_err());
    }
}
