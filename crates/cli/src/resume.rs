//! `panelist resume`: check a résumé file and show what Panelist reads from it.

use std::path::Path;

use panelist_brain::resume_facts;
use panelist_resume::Extractor;
use serde_json::json;

/// Prints the résumé's text, or with `facts` what the offline brain understood from it as
/// JSON (sections, roles, education, projects, skills) and, given the job's text, the
/// résumé question it would ask.
pub fn run(
    file: &Path,
    extractor: &Extractor,
    facts: bool,
    job: Option<&str>,
) -> anyhow::Result<()> {
    let text = panelist_resume::load(file, extractor)?;
    if !facts {
        println!("{text}");
        return Ok(());
    }
    let understood = resume_facts::extract(&text);
    let job = job.unwrap_or_default();
    let out = json!({
        "facts": understood,
        "question": resume_facts::question(&understood, job),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
