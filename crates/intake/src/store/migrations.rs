//! The one ordered list of schema migrations, with each version's SQL for both engines.
//!
//! Version N is the N-th entry. SQLite records the applied count in `PRAGMA user_version` (as before
//! PostgreSQL existed, so existing files keep working); PostgreSQL in the `schema_migrations` table.
//! Adding a table means one file per engine (`migrations/sqlite/NNNN_x.sql`,
//! `migrations/postgres/NNNN_x.sql`) and one entry here; see docs/intake.md, "Scale path".
//!
//! SQLite migrations run with foreign key enforcement off (and `PRAGMA foreign_key_check` before they
//! commit), so one may rebuild a table that others reference, as SQLite's documented way of changing a
//! constraint requires (0004 does).

/// One schema version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// 1-based version number.
    pub version: i64,
    /// Short name (the file name without number and extension).
    pub name: &'static str,
    /// SQLite statements.
    pub sqlite: &'static str,
    /// PostgreSQL statements.
    pub postgres: &'static str,
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sqlite: include_str!("../../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "console",
        sqlite: include_str!("../../migrations/sqlite/0002_console.sql"),
        postgres: include_str!("../../migrations/postgres/0002_console.sql"),
    },
    Migration {
        version: 3,
        name: "subscriptions",
        sqlite: include_str!("../../migrations/sqlite/0003_subscriptions.sql"),
        postgres: include_str!("../../migrations/postgres/0003_subscriptions.sql"),
    },
    Migration {
        version: 4,
        name: "erasure",
        sqlite: include_str!("../../migrations/sqlite/0004_erasure.sql"),
        postgres: include_str!("../../migrations/postgres/0004_erasure.sql"),
    },
];

/// The newest version this binary knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The refusal for a database migrated by a newer binary.
pub fn too_new(current: i64) -> crate::error::IntakeError {
    crate::error::IntakeError::Database(format!(
        "the database schema is version {current} but this program only knows up to {}; use a newer trustctl",
        latest()
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_are_consecutive_from_one() {
        for (index, migration) in super::MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, i64::try_from(index).unwrap() + 1);
            assert!(!migration.sqlite.trim().is_empty() && !migration.postgres.trim().is_empty());
        }
    }
}
