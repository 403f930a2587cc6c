//! Who may do what. Every admin operation names one permission; `Role::allows` is the
//! whole policy, enforced in Rust before any work is done (the UI only hides buttons).

use panelist_core::Role;

/// One kind of admin-mode work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Create accounts and list them.
    ManageUsers,
    /// Create, edit, publish, archive and duplicate interviews; hear a question.
    EditInterviews,
    /// List sessions, read reports and audio, review, adjust scores, export.
    ReviewReports,
    /// List candidates, erase one, run the retention purge.
    ErasePersonalData,
    /// Brains, voice, microphone, kiosk timeout and PIN, retention, backup.
    ManageSettings,
    /// Read and verify the audit log.
    ViewAudit,
    /// See the sync status and start a sync.
    ManageSync,
}

impl Permission {
    pub const ALL: [Permission; 7] = [
        Permission::ManageUsers,
        Permission::EditInterviews,
        Permission::ReviewReports,
        Permission::ErasePersonalData,
        Permission::ManageSettings,
        Permission::ViewAudit,
        Permission::ManageSync,
    ];
}

/// admin: everything; recruiter: interviews; hr: sessions, reports, exports, erasure.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => true,
        Role::Recruiter => matches!(permission, EditInterviews),
        Role::Hr => matches!(permission, ReviewReports | ErasePersonalData),
    }
}
