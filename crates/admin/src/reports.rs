//! HR's sessions and reports: the filtered list, the report view with the brain's scores
//! beside any adjustment, answer audio, the sign-off, score adjustments and exports.

use std::path::Path;

use panelist_core::{ScoreKey, Session, SessionId};
use panelist_service::{Destination, ExportFormat, ExportOptions, ReportSelection, ServiceError};
use panelist_store::ReviewState;

use crate::dto::{
    AnswerView, ExportResult, ReportView, ReviewView, ScoreAdjustmentView, ScoreView,
    SessionFilter, SessionRow,
};
use crate::{Admin, AdminError, Permission, Result};

fn parse_session(id: &str) -> Result<SessionId> {
    id.parse()
        .map_err(|_| AdminError::invalid("session_id", format!("{id:?} is not a session id")))
}

/// The file name a save dialog proposes: one report's own name, or a dated zip.
pub fn export_file_name(
    admin: &Admin,
    sessions: &[String],
    format: ExportFormat,
) -> Result<String> {
    admin.require(Permission::ReviewReports)?;
    match sessions {
        [] => Err(AdminError::invalid(
            "sessions",
            "choose at least one report",
        )),
        [one] => {
            let item = admin.app.export_item(parse_session(one)?)?;
            Ok(format!("{}.{}", item.file_stem(), format.extension()))
        }
        _ => Ok(format!(
            "panelist-reports-{}.zip",
            admin.app.now().format("%Y-%m-%d")
        )),
    }
}

impl Admin {
    pub fn sessions(&self, filter: &SessionFilter) -> Result<Vec<SessionRow>> {
        self.require(Permission::ReviewReports)?;
        let (from, to) = (filter.from, filter.to);
        let mut rows = Vec::new();
        for s in self.app.sessions(filter.status)? {
            if filter.interview_id.is_some_and(|i| i != s.interview_id) {
                continue;
            }
            let day = s.created_at.date_naive();
            if from.is_some_and(|f| day < f) || to.is_some_and(|t| day > t) {
                continue;
            }
            let candidate = self.app.candidate(s.candidate_id)?;
            let job_role = self
                .app
                .revision(s.interview_id, s.revision)
                .map(|r| r.spec.job_role)
                .unwrap_or_default();
            let state = self.app.review_state(s.id)?;
            let scores = match self.app.report(s.id) {
                Ok(report) => Some(report.with_adjustments(&state.in_force())),
                Err(e) if e.is_not_found() => None,
                Err(e) => return Err(e.into()),
            };
            let recommendation = scores.as_ref().map(|r| r.overall_assessment.recommendation);
            if filter.recommendation.is_some() && recommendation != filter.recommendation {
                continue;
            }
            if filter.reviewed.is_some_and(|want| want != state.is_final()) {
                continue;
            }
            rows.push(SessionRow {
                session_id: s.id.to_string(),
                interview_id: s.interview_id.to_string(),
                job_role,
                candidate_id: s.candidate_id.to_string(),
                candidate_name: candidate.name,
                candidate_email: candidate.email,
                status: s.status,
                created_at: s.created_at.to_rfc3339(),
                ended_at: s.ended_at.map(|t| t.to_rfc3339()),
                overall: scores.as_ref().map(|r| r.scores.overall),
                recommendation,
                reviewed: state.is_final(),
            });
        }
        rows.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        Ok(rows)
    }

    pub fn report(&self, session_id: &str) -> Result<ReportView> {
        self.require(Permission::ReviewReports)?;
        let id = parse_session(session_id)?;
        let session = self.app.session(id)?;
        let state = self.app.review_state(id)?;
        self.report_view(&session, &state)
    }

    fn report_view(&self, session: &Session, state: &ReviewState) -> Result<ReportView> {
        let report = self.app.report(session.id)?;
        let in_force = state.in_force();
        let adjusted = report.with_adjustments(&in_force);
        let responses = self.app.responses(session.id)?;
        let scores = ScoreKey::ALL
            .iter()
            .map(|key| ScoreView {
                key: *key,
                label: key.label().to_string(),
                original: key.of(&report.scores),
                value: key.of(&adjusted.scores),
                adjustment: in_force
                    .iter()
                    .find(|a| a.key == *key)
                    .map(|a| ScoreAdjustmentView {
                        value: a.value,
                        reason: a.reason.clone(),
                        by: a.by.clone(),
                        at: a.at.to_rfc3339(),
                    }),
            })
            .collect();
        let answers = report
            .responses
            .iter()
            .enumerate()
            .map(|(i, r)| AnswerView {
                number: i as u32 + 1,
                label: r.display_label.clone(),
                question: r.question_text.clone(),
                transcript: r.candidate_answer.clone(),
                score: r.score,
                quality: r.answer_quality,
                key_points: r.key_points.clone(),
                matched: r.matched.clone(),
                missed: r.missed.clone(),
                evidence: r.evidence.clone(),
                improvement: r.improvement.clone(),
                answer_seconds: r.answer_seconds,
                has_audio: responses
                    .get(i)
                    .and_then(|resp| resp.audio_path.as_deref())
                    .is_some_and(|p| Path::new(p).is_file()),
            })
            .collect();
        Ok(ReportView {
            session_id: session.id.to_string(),
            candidate_id: session.candidate_id.to_string(),
            candidate_name: report.candidate.name.clone(),
            candidate_email: report.candidate.email.clone(),
            candidate_phone: report.candidate.phone.clone(),
            job_role: report.interview.job_role.clone(),
            difficulty: report.interview.difficulty,
            focus_areas: report.interview.focus_areas.clone(),
            status: session.status,
            started_at: session.started_at.map(|t| t.to_rfc3339()),
            ended_at: session.ended_at.map(|t| t.to_rfc3339()),
            scores,
            recommendation: adjusted.overall_assessment.recommendation,
            summary: report.overall_assessment.summary.clone(),
            strengths: report.overall_assessment.strengths.clone(),
            areas_for_improvement: report.overall_assessment.areas_for_improvement.clone(),
            answers,
            review: state.review.as_ref().map(|r| ReviewView {
                by: r.by.clone(),
                at: r.at.to_rfc3339(),
                note: r.note.clone(),
            }),
            is_final: state.is_final(),
            brain: report.generated_by.brain.clone(),
            generated_at: report.generated_by.at.to_rfc3339(),
        })
    }

    /// Closes an interrupted session (pending or in progress): its saved answers are
    /// kept and it is marked abandoned.
    pub fn close_session(&mut self, session_id: &str) -> Result<()> {
        self.require(Permission::ReviewReports)?;
        let actor = self.actor()?;
        self.app.close_session(parse_session(session_id)?, &actor)?;
        Ok(())
    }

    /// One answer's recording as a `data:` URL the report view can play.
    pub fn answer_audio(&self, session_id: &str, number: u32) -> Result<String> {
        self.require(Permission::ReviewReports)?;
        let id = parse_session(session_id)?;
        let responses = self.app.responses(id)?;
        let path = number
            .checked_sub(1)
            .and_then(|i| responses.get(i as usize))
            .and_then(|r| r.audio_path.clone())
            .ok_or_else(|| {
                AdminError::Service(ServiceError::NotFound(format!(
                    "answer {number} has no recording (none was made, or it was purged)"
                )))
            })?;
        let bytes = std::fs::read(&path).map_err(|e| {
            AdminError::Service(ServiceError::NotFound(format!(
                "the recording of answer {number} cannot be read: {e}"
            )))
        })?;
        Ok(format!(
            "data:audio/wav;base64,{}",
            panelist_speech::base64(&bytes)
        ))
    }

    /// Signs a report off with a note: it becomes final.
    pub fn review(&mut self, session_id: &str, note: &str) -> Result<ReportView> {
        let reviewer = self.require(Permission::ReviewReports)?.email.clone();
        let actor = self.actor()?;
        let id = parse_session(session_id)?;
        let state = self.app.sign_off_report(id, &reviewer, note, &actor)?;
        let session = self.app.session(id)?;
        self.report_view(&session, &state)
    }

    /// Changes one score before sign-off; the brain's score is kept and shown.
    pub fn adjust_score(
        &mut self,
        session_id: &str,
        key: ScoreKey,
        value: u8,
        reason: &str,
    ) -> Result<ReportView> {
        let reviewer = self.require(Permission::ReviewReports)?.email.clone();
        let actor = self.actor()?;
        let id = parse_session(session_id)?;
        let state = self
            .app
            .adjust_score(id, key, value, reason, &reviewer, &actor)?;
        let session = self.app.session(id)?;
        self.report_view(&session, &state)
    }

    /// Writes the chosen reports to `out`: one report as one file, several as a zip (a
    /// CSV export is one `reports.csv` inside it). `out` comes from a save dialog that
    /// already asked before replacing a file.
    pub fn export(
        &mut self,
        sessions: &[String],
        format: ExportFormat,
        out: &Path,
    ) -> Result<ExportResult> {
        self.require(Permission::ReviewReports)?;
        let actor = self.actor()?;
        let mut options = ExportOptions::new(format);
        options.overwrite = true;
        let ids = sessions
            .iter()
            .map(|s| parse_session(s))
            .collect::<Result<Vec<_>>>()?;
        match ids.as_slice() {
            [] => Err(AdminError::invalid(
                "sessions",
                "choose at least one report",
            )),
            [one] => {
                self.app.export_report(*one, &options, out, &actor)?;
                Ok(ExportResult {
                    written: vec![out.display().to_string()],
                })
            }
            _ => {
                let summary = self.app.export_reports(
                    &ReportSelection::Sessions(ids),
                    &options,
                    &Destination::Zip(out.to_path_buf()),
                    &actor,
                )?;
                Ok(ExportResult {
                    written: summary
                        .files
                        .iter()
                        .take(1)
                        .map(|p| p.display().to_string())
                        .collect(),
                })
            }
        }
    }
}
