//! BERT's activation, GELU with the exact error function, `x · (1 + erf(x / √2)) / 2`,
//! over a whole slice at a time so the compiler can vectorise it (candle's `gelu_erf`
//! calls libm's `erff` value by value, which cost as much as the feed-forward products).
//!
//! erf is the rational approximation `x · P(x²) / Q(x²)` on [−4, 4] (degree 13 over
//! degree 8) that Eigen and XLA use for f32, evaluated here in f64: its error is under
//! 7e-8 against libm's erf in f64, and GELU's under one f32 rounding plus that (checked
//! below over a dense grid). Evaluated in f32 the same formula would be about twice as
//! fast but err by up to 4e-7 (rounding in the polynomials).
//!
//! Determinism: every value is computed on its own with the same IEEE operations
//! (multiplications and additions, not fused; min, max, division, conversions), each
//! rounded the same whether the loop ran vectorised (AVX2, chosen at run time by `pulp`)
//! or not, so the result does not depend on the CPU's vector width, the slice's length,
//! or where a value sits in it.

/// Beyond ±4, erf is ±1 to f32's precision (the formula is only close to it there).
const ERF_ONE_AT: f64 = 4.0;

/// erf(x) for |x| < 4; error under 7e-8.
#[inline(always)]
fn erf_rational(x: f64) -> f64 {
    let x2 = x * x;
    let p = x2 * -2.726_142_258_013_06e-10 + 2.770_681_424_959_02e-8;
    let p = x2 * p - 2.101_024_020_825_08e-6;
    let p = x2 * p - 5.692_506_394_623_46e-5;
    let p = x2 * p - 7.349_906_303_268_55e-4;
    let p = x2 * p - 2.954_599_808_540_25e-3;
    let p = x2 * p - 1.609_603_332_624_15e-2;
    let q = x2 * -1.456_607_184_649_96e-5 - 2.133_740_552_789_05e-4;
    let q = x2 * q - 1.682_826_974_382_03e-3;
    let q = x2 * q - 7.373_329_167_204_68e-3;
    let q = x2 * q - 1.426_473_905_141_89e-2;
    x * p / q
}

/// erf(x), clamped to [−1, 1].
#[inline(always)]
fn erf(x: f64) -> f64 {
    let r = erf_rational(x.clamp(-ERF_ONE_AT, ERF_ONE_AT)).clamp(-1.0, 1.0);
    if x.abs() >= ERF_ONE_AT {
        1f64.copysign(x)
    } else {
        r
    }
}

#[inline(always)]
fn gelu_one(x: f32) -> f32 {
    let x = f64::from(x);
    (0.5 * x * (1.0 + erf(x * std::f64::consts::FRAC_1_SQRT_2))) as f32
}

/// GELU of every value, in place.
pub fn gelu_in_place(xs: &mut [f32]) {
    pulp::Arch::new().dispatch(
        #[inline(always)]
        || {
            for x in xs.iter_mut() {
                *x = gelu_one(*x);
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gelu_f64(x: f64) -> f64 {
        0.5 * x * (1.0 + libm::erf(x / std::f64::consts::SQRT_2))
    }

    /// Values from −10 to 10 in steps of 1/4096, and some beyond.
    fn grid() -> Vec<f32> {
        let mut v: Vec<f32> = (-40960..=40960).map(|i| i as f32 / 4096.0).collect();
        v.extend([
            -1e30, -100.0, -12.5, 12.5, 100.0, 1e30, 0.0, -0.0, 1e-30, -1e-30,
        ]);
        v
    }

    #[test]
    fn erf_is_within_7e_8_of_libms_erf_in_f64() {
        let worst = grid()
            .into_iter()
            .map(|x| (erf(f64::from(x)) - libm::erf(f64::from(x))).abs())
            .fold(0f64, f64::max);
        assert!(worst < 7e-8, "worst error {worst:e}");
    }

    #[test]
    fn gelu_is_within_one_rounding_of_the_exact_value() {
        // Error in units of the f32 spacing at the input's magnitude (at least 1): the
        // scale of what the next layer adds up. Negative inputs give values near zero
        // whose own spacing is far finer; their absolute error is what matters there.
        let mut worst = 0f64;
        for x in grid() {
            let want = gelu_f64(f64::from(x));
            let mut got = [x];
            gelu_in_place(&mut got);
            let ulp = f64::from(f32::EPSILON) * f64::from(x.abs()).max(1.0);
            worst = worst.max((f64::from(got[0]) - want).abs() / ulp);
        }
        assert!(worst < 1.0, "worst error {worst} ulp");
        let mut edge = [0.0f32, -0.0, 1e30, -1e30, f32::NAN];
        gelu_in_place(&mut edge);
        assert_eq!(edge[..4], [0.0, 0.0, 1e30, 0.0]);
        assert!(edge[4].is_nan());
    }

    #[test]
    fn a_value_gets_the_same_bits_alone_or_anywhere_in_a_slice() {
        let xs = grid();
        let mut whole = xs.clone();
        gelu_in_place(&mut whole);
        for (i, &x) in xs.iter().enumerate().step_by(97) {
            let mut alone = [x];
            gelu_in_place(&mut alone);
            assert_eq!(alone[0].to_bits(), whole[i].to_bits(), "{x}");
            // The plain loop, as on a CPU without AVX2.
            assert_eq!(gelu_one(x).to_bits(), whole[i].to_bits(), "{x}");
        }
        // A slice starting at another offset (other alignment, other remainder).
        let mut shifted = xs[3..].to_vec();
        gelu_in_place(&mut shifted);
        for (a, b) in shifted.iter().zip(&whole[3..]) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
    }
}
