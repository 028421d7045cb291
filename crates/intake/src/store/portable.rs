//! One way to run SQL on either engine: [`Engine`] (a SQLite connection or a PostgreSQL pool), [`Exec`]
//! (a connection or transaction of either), [`Param`] values and [`Row`]s read back by column type,
//! and [`Connections`], how a store of either engine hands out an [`Exec`].
//!
//! SQL handed to [`Exec`] is written once with SQLite's numbered placeholders (`?1`, `?2`, …); on
//! PostgreSQL they become `$1`, `$2`, …. Keep such SQL to the common dialect: `CAST(?1 AS TEXT) IS NULL`
//! rather than a bare `?1 IS NULL` (PostgreSQL must know each parameter's type), `BIGINT` arithmetic,
//! `LIKE … ESCAPE '\'`, `||`, `CASE`, and `INSERT … ON CONFLICT (columns) DO NOTHING` with its conflict
//! target named (SQLite 3.24+; both count a skipped row as 0 changed). Engine-specific statements
//! (`FOR UPDATE [SKIP LOCKED]`, advisory locks, upserts that differ, `PRAGMA`) stay in the engine's own
//! module.

use std::sync::{Mutex, MutexGuard};

use postgres::types::Type;
use rusqlite::types::ValueRef;

use super::postgres::PgPool;
use crate::error::IntakeError;
use crate::store::subscriptions::OldCopies;

/// A parameter of a portable statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Param::Int(Some(value))
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(value: Option<i64>) -> Self {
        Param::Int(value)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(value: &'a str) -> Self {
        Param::Text(Some(value))
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(value: &'a String) -> Self {
        Param::Text(Some(value.as_str()))
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(value: Option<&'a str>) -> Self {
        Param::Text(value)
    }
}

impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(value: &'a Option<String>) -> Self {
        Param::Text(value.as_deref())
    }
}

/// One column value read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// One result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn value(&self, index: usize) -> Result<&Value, IntakeError> {
        self.0
            .get(index)
            .ok_or_else(|| IntakeError::Database(format!("the query returned no column {index}")))
    }

    /// A non-null integer column.
    pub fn int(&self, index: usize) -> Result<i64, IntakeError> {
        self.opt_int(index)?
            .ok_or_else(|| IntakeError::Database(format!("column {index} is unexpectedly NULL")))
    }

    /// A nullable integer column.
    pub fn opt_int(&self, index: usize) -> Result<Option<i64>, IntakeError> {
        match self.value(index)? {
            Value::Null => Ok(None),
            Value::Int(value) => Ok(Some(*value)),
            Value::Text(_) => Err(IntakeError::Database(format!(
                "column {index} holds text where a number was expected"
            ))),
        }
    }

    /// A non-null text column.
    pub fn text(&self, index: usize) -> Result<String, IntakeError> {
        self.opt_text(index)?
            .ok_or_else(|| IntakeError::Database(format!("column {index} is unexpectedly NULL")))
    }

    /// A nullable text column.
    pub fn opt_text(&self, index: usize) -> Result<Option<String>, IntakeError> {
        match self.value(index)? {
            Value::Null => Ok(None),
            Value::Text(value) => Ok(Some(value.clone())),
            Value::Int(_) => Err(IntakeError::Database(format!(
                "column {index} holds a number where text was expected"
            ))),
        }
    }
}

/// Statements on one connection or transaction of either engine.
pub trait Exec {
    /// Runs a statement; returns how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, IntakeError>;
    /// Runs a query; returns every row.
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, IntakeError>;
    /// Runs a query; returns its first row, if any.
    fn query_opt(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, IntakeError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

/// How a store runs portable statements on its engine: on one connection, or in one writing
/// transaction ([`SqliteStore`](super::SqliteStore) and [`PgStore`](super::PgStore); the request
/// store's statements are written once over it, in `store/requests/sql.rs`).
pub trait Connections: Send + Sync {
    /// Runs `work` on one connection, outside a transaction (each statement commits by itself).
    fn with<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError>;

    /// Runs `work` in one writing transaction, committed only if it returns `Ok`.
    fn transaction<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError>;

    /// Run after an erasure (of a subscriber or a requester, and after a repeated one) has committed:
    /// removes what the engine keeps of changed and deleted rows outside the tables, as far as it can,
    /// and says what is left.
    fn purge_old_copies(&self) -> OldCopies;
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Param::Int(value) => value.to_sql(),
            Param::Text(value) => value.to_sql(),
        }
    }
}

/// SQLite side of [`Exec`] (a connection, or a transaction through `Deref`).
pub struct SqliteExec<'c>(pub &'c rusqlite::Connection);

impl Exec for SqliteExec<'_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, IntakeError> {
        let changed = self
            .0
            .execute(sql, rusqlite::params_from_iter(params.iter()))?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, IntakeError> {
        let mut statement = self.0.prepare_cached(sql)?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for index in 0..columns {
                values.push(match row.get_ref(index)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(value) => Value::Int(value),
                    ValueRef::Real(value) => Value::Text(value.to_string()),
                    ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
                        Value::Text(String::from_utf8_lossy(bytes).into_owned())
                    }
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }
}

/// Runs `work` in one `BEGIN IMMEDIATE` transaction on `connection` (holding the file's write lock
/// from the start), committed only if it returns `Ok`.
pub fn sqlite_transaction<R>(
    connection: &mut rusqlite::Connection,
    work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
) -> Result<R, IntakeError> {
    let transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let result = work(&mut SqliteExec(&transaction))?;
    transaction.commit()?;
    Ok(result)
}

/// `?N` placeholders rewritten as PostgreSQL's `$N` (a `?` not followed by a digit stays).
pub fn postgres_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// PostgreSQL side of [`Exec`] over any client or transaction.
pub struct PgExec<'c, C: postgres::GenericClient>(pub &'c mut C);

/// A parameter converted to the type the server expects for its placeholder (a NULL, or a number
/// bound to a text column, keeps working).
fn pg_param(param: &Param<'_>, ty: &Type) -> Box<dyn postgres::types::ToSql + Sync> {
    let as_int = |param: &Param<'_>| match param {
        Param::Int(value) => *value,
        Param::Text(value) => value.and_then(|text| text.parse().ok()),
    };
    if *ty == Type::INT8 {
        Box::new(as_int(param))
    } else if *ty == Type::INT4 {
        Box::new(as_int(param).and_then(|v| i32::try_from(v).ok()))
    } else if *ty == Type::INT2 {
        Box::new(as_int(param).and_then(|v| i16::try_from(v).ok()))
    } else {
        match param {
            Param::Int(value) => Box::new(value.map(|v| v.to_string())),
            Param::Text(value) => Box::new(value.map(str::to_string)),
        }
    }
}

impl<C: postgres::GenericClient> PgExec<'_, C> {
    fn prepared(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<
        (
            postgres::Statement,
            Vec<Box<dyn postgres::types::ToSql + Sync>>,
        ),
        IntakeError,
    > {
        let statement = self
            .0
            .prepare(postgres_sql(sql).as_str())
            .map_err(pg_error)?;
        let boxed = params
            .iter()
            .zip(statement.params())
            .map(|(param, ty)| pg_param(param, ty))
            .collect();
        Ok((statement, boxed))
    }
}

impl<C: postgres::GenericClient> Exec for PgExec<'_, C> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, IntakeError> {
        let (statement, boxed) = self.prepared(sql, params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            boxed.iter().map(|b| b.as_ref()).collect();
        self.0.execute(&statement, &refs).map_err(pg_error)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, IntakeError> {
        let (statement, boxed) = self.prepared(sql, params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            boxed.iter().map(|b| b.as_ref()).collect();
        let rows = self.0.query(&statement, &refs).map_err(pg_error)?;
        rows.iter().map(pg_row).collect()
    }
}

fn pg_row(row: &postgres::Row) -> Result<Row, IntakeError> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(index)
                .map(|v| v.map_or(Value::Null, Value::Int))
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(index)
                .map(|v| v.map_or(Value::Null, |v| Value::Int(i64::from(v))))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(index)
                .map(|v| v.map_or(Value::Null, |v| Value::Int(i64::from(v))))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(index)
                .map(|v| v.map_or(Value::Null, |v| Value::Int(i64::from(v))))
        } else {
            row.try_get::<_, Option<String>>(index)
                .map(|v| v.map_or(Value::Null, Value::Text))
        };
        values.push(value.map_err(pg_error)?);
    }
    Ok(Row(values))
}

/// A PostgreSQL error with its causes ("invalid configuration: password missing").
pub fn pg_error_text(error: &postgres::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// A PostgreSQL error as an [`IntakeError`]: connection-level failures (server gone, pool timeout,
/// statement timeout) become [`IntakeError::Unavailable`] so the API answers `503`.
pub fn pg_error(error: postgres::Error) -> IntakeError {
    let unavailable = error.is_closed()
        || error.as_db_error().is_none()
        || error.code().is_some_and(|code| {
            let code = code.code();
            // 57P01-57P03: admin shutdown / crash shutdown / cannot connect now; 57014: statement
            // timeout or cancel; 08xxx: connection exceptions; 53xxx: insufficient resources.
            code.starts_with("57P")
                || code == "57014"
                || code.starts_with("08")
                || code.starts_with("53")
        });
    if unavailable {
        IntakeError::Unavailable(format!(
            "PostgreSQL is unavailable: {}",
            pg_error_text(&error)
        ))
    } else {
        IntakeError::Database(format!("PostgreSQL: {}", pg_error_text(&error)))
    }
}

/// A SQLite connection or a PostgreSQL pool, for code that runs the same SQL on both.
pub enum Engine {
    Sqlite(Mutex<rusqlite::Connection>),
    Postgres(PgPool),
}

impl Engine {
    fn sqlite_lock(
        connection: &Mutex<rusqlite::Connection>,
    ) -> MutexGuard<'_, rusqlite::Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back).
        connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` on one connection, outside a transaction (each statement commits by itself).
    pub fn with<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError> {
        match self {
            Engine::Sqlite(connection) => {
                let connection = Self::sqlite_lock(connection);
                work(&mut SqliteExec(&connection))
            }
            Engine::Postgres(pool) => {
                let mut client = pool.get()?;
                work(&mut PgExec(&mut *client))
            }
        }
    }

    /// Runs `work` in one transaction, committed only if it returns `Ok`.
    pub fn transaction<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError> {
        match self {
            Engine::Sqlite(connection) => {
                sqlite_transaction(&mut Self::sqlite_lock(connection), work)
            }
            Engine::Postgres(pool) => {
                let mut client = pool.get()?;
                let mut transaction = client.transaction().map_err(pg_error)?;
                let result = work(&mut PgExec(&mut transaction))?;
                transaction.commit().map_err(pg_error)?;
                Ok(result)
            }
        }
    }

    /// Whether this is the PostgreSQL engine.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Engine::Postgres(_))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_become_dollar_numbers() {
        assert_eq!(
            super::postgres_sql("a = ?1 AND b = ?12 OR c LIKE '?'"),
            "a = $1 AND b = $12 OR c LIKE '?'"
        );
    }
}
