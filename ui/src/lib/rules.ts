// Generated from the Rust constants by crates/admin/src/rules.rs. Do not edit by hand:
// run `PANELIST_UPDATE_BINDINGS=1 cargo test --workspace -- rules_ts` instead.

export const RULES = {
  "candidate": {
    "answer_max_chars": 20000,
    "name_max_chars": 200,
    "phone_digits": [
      6,
      20
    ],
    "resume_max_bytes": 10485760
  },
  "pin_digits": [
    6,
    12
  ],
  "recommendation_from": {
    "Consider": 45,
    "Recommend": 65,
    "Strongly Recommend": 80
  },
  "settings": {
    "admin_idle_seconds": [
      60,
      3600
    ],
    "end_grace_seconds": [
      1.0,
      10.0
    ],
    "end_silence_seconds": [
      1.5,
      10.0
    ],
    "idle_timeout_seconds": [
      30,
      3600
    ],
    "rate_wpm": [
      80,
      400
    ],
    "retention_days": [
      1,
      3650
    ]
  },
  "spec": {
    "job_role_max_chars": 200,
    "max_follow_ups_per_preset": [
      0,
      5
    ],
    "num_questions": [
      1,
      30
    ],
    "question_max_chars": 600,
    "time_limit_minutes": [
      1,
      180
    ]
  },
  "staff": {
    "full_name_max_chars": 120,
    "password_min_chars": 12
  }
} as const;
