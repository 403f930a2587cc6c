//! Résumé understanding on PDFs written here, read through the real extraction path
//! (`panelist resume`: sniffing, the `__extract-pdf` child process, normalisation).

#![allow(dead_code)]

mod util;

use serde_json::Value;
use util::*;

const RESUME: &[&str] = &[
    "Maria Lopez",
    "maria.lopez@example.com | +44 20 7946 0958",
    "Summary",
    "Backend engineer who likes data platforms.",
    "Experience",
    "Senior Data Engineer at Northwind Logistics, Jan 2021 - Present",
    "- Built Kafka and Spark pipelines for 2 billion events a day",
    "- Moved batch jobs to Airflow",
    "Contoso Shop | Frontend Developer | 2017 - 2020",
    "- Rewrote the checkout in React and TypeScript",
    "Education",
    "BSc Computer Science, University of Leeds, 2017",
    "Skills",
    "Python, SQL, k8s, Terraform",
    "Projects",
    "Parcel Radar - live map of deliveries",
    "- React front end with a Node.js API",
];

fn facts(env: &Env, job: &str) -> Value {
    let pdf = env.write("cv.pdf", &pdf_with_lines(RESUME));
    let out = env.ok(&[
        "resume",
        pdf.to_str().unwrap_or_default(),
        "--facts",
        "--job",
        job,
    ]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn sections_roles_dates_education_projects_and_skills_are_read_from_a_pdf() {
    let env = Env::new();
    let v = facts(&env, "");
    let f = &v["facts"];
    assert_eq!(
        strings(&f["sections"]),
        ["summary", "experience", "education", "skills", "projects"]
    );
    let roles = f["roles"].as_array().cloned().unwrap_or_default();
    assert_eq!(roles.len(), 2, "{f:#}");
    assert_eq!(roles[0]["title"], "Senior Data Engineer");
    assert_eq!(roles[0]["employer"], "Northwind Logistics");
    assert_eq!(roles[0]["start"], "Jan 2021");
    assert_eq!(roles[0]["end"], "Present");
    assert_eq!(strings(&roles[0]["skills"]), ["Kafka", "Spark", "Airflow"]);
    assert_eq!(roles[1]["title"], "Frontend Developer");
    assert_eq!(roles[1]["employer"], "Contoso Shop");
    assert_eq!(
        (roles[1]["start"].as_str(), roles[1]["end"].as_str()),
        (Some("2017"), Some("2020"))
    );
    let education = &f["education"][0];
    assert_eq!(education["degree"], "BSc Computer Science");
    assert_eq!(education["institution"], "University of Leeds");
    assert_eq!(education["year"], "2017");
    assert_eq!(f["projects"][0]["name"], "Parcel Radar");
    let skills = strings(&f["skills"]);
    for s in [
        "Kafka",
        "Kubernetes",
        "Python",
        "React",
        "Terraform",
        "Node.js",
    ] {
        assert!(
            skills.contains(&s.to_string()),
            "{s} missing from {skills:?}"
        );
    }
}

#[test]
fn the_resume_question_targets_the_item_most_relevant_to_the_job() {
    let env = Env::new();
    let data = facts(&env, "Data Engineer\nRequired: Kafka, Spark and Airflow.");
    let q = data["question"].as_str().unwrap_or_default();
    assert!(
        q.contains("Northwind Logistics") && q.contains("Kafka"),
        "{q}"
    );

    let frontend = facts(&env, "Frontend Engineer\nRequired: React and TypeScript.");
    let q = frontend["question"].as_str().unwrap_or_default();
    assert!(q.contains("Contoso Shop") && q.contains("React"), "{q}");

    let maps = facts(
        &env,
        "Engineer for our live delivery map, React and Node.js.",
    );
    let q = maps["question"].as_str().unwrap_or_default();
    assert!(q.contains("Parcel Radar"), "{q}");
}

#[test]
fn contact_details_never_reach_the_question() {
    let env = Env::new();
    let v = facts(&env, "Data Engineer, Kafka");
    let q = v["question"].as_str().unwrap_or_default();
    for private in ["Maria", "Lopez", "example.com", "7946"] {
        assert!(!q.contains(private), "{private} in {q}");
    }
}
