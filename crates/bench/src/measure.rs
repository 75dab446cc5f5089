//! Side-by-side sampling: the compared variants run in alternating order, one
//! sample each per round, so machine noise (other processes, CPU frequency,
//! checkpoints) falls on all of them alike. Claims are medians and ratios.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;

/// Latencies of one variant.
#[derive(Clone, Debug, Default)]
pub struct Samples(pub Vec<Duration>);

impl Samples {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn quantile(&self, q: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        let mut us: Vec<f64> = self.0.iter().map(|d| d.as_secs_f64() * 1e6).collect();
        us.sort_by(|a, b| a.total_cmp(b));
        // Nearest rank: a real sample, never an interpolation between two.
        let rank = ((q * us.len() as f64).ceil() as usize).clamp(1, us.len());
        us[rank - 1]
    }

    pub fn median_us(&self) -> f64 {
        self.quantile(0.5)
    }

    pub fn p99_us(&self) -> f64 {
        self.quantile(0.99)
    }

    pub fn summary(&self) -> Latency {
        Latency { median_us: self.median_us(), p99_us: self.p99_us(), samples: self.len() }
    }
}

/// What a report says about one variant's latency.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Latency {
    pub median_us: f64,
    pub p99_us: f64,
    pub samples: usize,
}

/// How long to sample: at least `min_rounds`, at most `max_rounds`, and no more
/// rounds once `budget` is spent.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub warmup_rounds: usize,
    pub min_rounds: usize,
    pub max_rounds: usize,
    pub budget: Duration,
}

/// Runs `variants` variants round after round, rotating which goes first, and
/// returns each one's samples. `run(v)` is one request of variant `v`.
pub async fn interleave<F, Fut>(plan: Plan, variants: usize, mut run: F) -> Result<Vec<Samples>>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    for round in 0..plan.warmup_rounds {
        for k in 0..variants {
            run((round + k) % variants).await?;
        }
    }
    let mut samples = vec![Samples::default(); variants];
    let started = Instant::now();
    let mut round = 0;
    while round < plan.max_rounds && (round < plan.min_rounds || started.elapsed() < plan.budget) {
        for k in 0..variants {
            let v = (round + k) % variants;
            let t = Instant::now();
            run(v).await?;
            samples[v].push(t.elapsed());
        }
        round += 1;
    }
    Ok(samples)
}

/// `a / b`, the claim of a side-by-side comparison.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(us: &[u64]) -> Samples {
        Samples(us.iter().map(|u| Duration::from_micros(*u)).collect())
    }

    #[test]
    fn quantiles_are_nearest_rank_samples() {
        let s = samples(&[5, 1, 4, 2, 3]);
        assert_eq!(s.median_us(), 3.0);
        assert_eq!(s.p99_us(), 5.0);
        let hundred: Vec<u64> = (1..=100).collect();
        assert_eq!(samples(&hundred).p99_us(), 99.0);
        assert!(Samples::default().median_us().is_nan());
    }

    #[tokio::test]
    async fn every_variant_leads_in_turn_and_gets_one_sample_per_round() {
        let plan = Plan { warmup_rounds: 1, min_rounds: 6, max_rounds: 6, budget: Duration::ZERO };
        let mut order = Vec::new();
        let out = interleave(plan, 3, |v| {
            order.push(v);
            async { Ok(()) }
        })
        .await
        .unwrap();
        assert!(out.iter().all(|s| s.len() == 6));
        let leaders: Vec<usize> = order.chunks(3).skip(1).map(|round| round[0]).collect();
        assert_eq!(leaders, [0, 1, 2, 0, 1, 2]);
    }
}
