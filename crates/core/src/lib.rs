//! The core of Panelist: the domain model, the interview engine and the report builder.
//!
//! Architecture invariant: nothing in this crate performs I/O. The engine is handed the
//! current time by its caller and never reads a clock, a file, a device or the network,
//! so every transition can be tested with fixed timestamps and no sleeps.

pub mod brain_api;
pub mod clock;
pub mod domain;
pub mod engine;
pub mod ids;
pub mod report;
pub mod rules;
pub mod throttle;

pub use brain_api::{Attributed, Brain, BrainError, DecisionContext, EvaluationContext, Proposal};
pub use clock::{Clock, ManualClock, SystemClock};
pub use domain::*;
pub use engine::{Decision, Engine, EngineError, Phase, Policy};
pub use ids::*;
pub use report::{Recommendation, Report, ReportReview, ScoreAdjustment, ScoreKey, SignOff};
