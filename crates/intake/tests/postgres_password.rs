//! The PostgreSQL password comes from TRUST_INTAKE_DATABASE_PASSWORD (a URL without one works), on a
//! private cluster that requires SCRAM passwords over TCP. Its own test binary: it sets a process-wide
//! environment variable.

#[path = "support/postgres.rs"]
mod pg;

use trust_intake::store::postgres::{PostgresSettings, PASSWORD_ENV};
use trust_intake::store::Database;
use trust_intake::IntakeError;

#[test]
fn the_password_comes_from_the_environment_and_is_never_shown() {
    let password = "s3cret-from-the-environment";
    let Some(cluster) = pg::PrivateCluster::start_with_password(password) else {
        return;
    };
    let database = Database::Postgres {
        url: cluster.url("trust"),
        settings: PostgresSettings::default(),
    };
    // No password anywhere: a configuration error that says why, not "unavailable".
    let refused = database
        .open_store()
        .err()
        .expect("no password must be refused");
    assert!(matches!(refused, IntakeError::Config(_)), "{refused:?}");
    assert!(
        refused.to_string().contains("password missing"),
        "{refused}"
    );
    // A wrong password in the URL is refused too.
    let wrong = Database::Postgres {
        url: format!("postgres://trust:wrong@127.0.0.1:{}/trust", cluster.port),
        settings: PostgresSettings::default(),
    };
    let wrong_refused = wrong
        .open_store()
        .err()
        .expect("a wrong password must be refused");
    assert!(
        matches!(wrong_refused, IntakeError::Config(_)),
        "{wrong_refused:?}"
    );
    assert!(
        !wrong_refused.to_string().contains("wrong"),
        "{wrong_refused}"
    );
    // From the environment (it wins over the URL's).
    // SAFETY-free: this binary has one test, so no other thread reads the environment meanwhile.
    std::env::set_var(PASSWORD_ENV, password);
    let store = database.open_store().unwrap();
    assert!(store.list_requests(None, 1).unwrap().is_empty());
    let store = wrong.open_store().unwrap();
    assert!(store.list_requests(None, 1).unwrap().is_empty());
    // Messages name the server, never the user or the password.
    assert_eq!(
        database.describe(),
        format!("postgres://127.0.0.1:{}/trust", cluster.port)
    );
    assert!(!wrong.describe().contains("wrong"));
    std::env::remove_var(PASSWORD_ENV);
}
