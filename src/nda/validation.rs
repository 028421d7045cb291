//! The NDA request's data and its client-side checks: what the visitor typed, which field
//! is wrong and why, in words a visitor understands. Pure code, tested natively.

use crate::i18n::Msg;

/// Longest name, company or e-mail accepted (the service enforces its own limits too).
pub const MAX_SHORT_FIELD: usize = 200;
/// Longest optional reason accepted.
pub const MAX_REASON: usize = 2000;

/// What the visitor has entered; saved to local storage on every change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NdaDraft {
    /// Full name.
    pub name: String,
    /// Work e-mail address.
    pub email: String,
    /// Company.
    pub company: String,
    /// Why they want the document (optional).
    pub reason: String,
    /// Whether the NDA box is ticked.
    pub accepted: bool,
    /// Idempotency key of a submission that has not been confirmed yet; reused on retry and
    /// cleared when the input changes.
    pub pending_key: Option<String>,
}

/// The form's fields, in the order they appear (the first invalid one gets focus).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// Full name.
    Name,
    /// Work e-mail.
    Email,
    /// Company.
    Company,
    /// Optional reason.
    Reason,
    /// NDA acceptance checkbox.
    Accepted,
}

impl Field {
    /// All fields in form order.
    pub const ALL: [Field; 5] = [
        Field::Name,
        Field::Email,
        Field::Company,
        Field::Reason,
        Field::Accepted,
    ];

    /// Suffix used in element ids, e.g. `email`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Company => "company",
            Field::Reason => "reason",
            Field::Accepted => "accept",
        }
    }

    /// The field a name in the intake service's error response refers to.
    pub fn from_service_name(name: &str) -> Option<Field> {
        match name {
            "name" => Some(Field::Name),
            "email" => Some(Field::Email),
            "company" => Some(Field::Company),
            "reason" => Some(Field::Reason),
            "nda_accepted" | "nda" | "accepted" => Some(Field::Accepted),
            _ => None,
        }
    }
}

/// Problems keyed by field, kept in form order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(Field, String)>);

impl FieldErrors {
    /// Records a problem (the first message for a field wins).
    pub fn add(&mut self, field: Field, message: impl Into<String>) {
        self.insert(field, message.into());
    }

    /// [`FieldErrors::add`] without the generic argument: kept sorted by inserting in place.
    fn insert(&mut self, field: Field, message: String) {
        if self.get(field).is_none() {
            let at = self.0.partition_point(|(f, _)| *f < field);
            self.0.insert(at, (field, message));
        }
    }

    /// The message for a field, if it has a problem.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Drops the message for one field (when the visitor edits it).
    pub fn clear(&mut self, field: Field) {
        self.0.retain(|(f, _)| *f != field);
    }

    /// The first field in form order that has a problem.
    pub fn first(&self) -> Option<Field> {
        self.0.first().map(|(f, _)| *f)
    }

    /// Whether there are no problems.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of fields with problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Whether `email` looks like a deliverable address: one `@`, a local part, a domain with a
/// dot, and no spaces. Deliberately lenient; the vendor's service decides the rest.
pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !crate::small_std::contains(domain, "..")
        && domain
            .chars()
            .all(|c| crate::text::is_word_char(c) || c == '.' || c == '-');
    !local.is_empty() && !local.chars().any(|c| c.is_whitespace() || c == '@') && domain_ok
}

/// The client-side problems, in English, with their catalogue messages (`mirror.nda.invalid.*`)
/// for pages in other languages: [`translated_problem`] finds a message by its English text.
pub const PROBLEMS: [(&str, Msg); 8] = [
    ("Enter your full name.", Msg::MirrorNdaInvalidName),
    (
        "Your name is too long: keep it under 200 characters.",
        Msg::MirrorNdaInvalidNameLong,
    ),
    (
        "Enter your work e-mail address; the vendor sends the document link there.",
        Msg::MirrorNdaInvalidEmail,
    ),
    (
        "This does not look like an e-mail address. Use the form name@company.com.",
        Msg::MirrorNdaInvalidEmailForm,
    ),
    (
        "Enter the company you work for.",
        Msg::MirrorNdaInvalidCompany,
    ),
    (
        "The company name is too long: keep it under 200 characters.",
        Msg::MirrorNdaInvalidCompanyLong,
    ),
    (
        "Please shorten the reason to at most 2000 characters.",
        Msg::MirrorNdaInvalidReasonLong,
    ),
    (
        "Tick the box to accept the NDA; the document is only shared under it.",
        Msg::MirrorNdaInvalidAccept,
    ),
];

/// The catalogue message of a problem [`validate_draft`] reports, by its English text (`None`
/// for a message from the intake service, which writes English).
pub fn translated_problem(message: &str) -> Option<Msg> {
    PROBLEMS
        .iter()
        .find(|(english, _)| *english == message)
        .map(|(_, msg)| *msg)
}

fn problem(index: usize) -> &'static str {
    PROBLEMS.get(index).map_or("", |(english, _)| english)
}

/// Checks the draft and returns every problem, worded for the visitor.
pub fn validate_draft(draft: &NdaDraft) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let name = draft.name.trim();
    if name.is_empty() {
        errors.add(Field::Name, problem(0));
    } else if name.chars().count() > MAX_SHORT_FIELD {
        errors.add(Field::Name, problem(1));
    }
    let email = draft.email.trim();
    if email.is_empty() {
        errors.add(Field::Email, problem(2));
    } else if email.chars().count() > MAX_SHORT_FIELD || !looks_like_email(email) {
        errors.add(Field::Email, problem(3));
    }
    let company = draft.company.trim();
    if company.is_empty() {
        errors.add(Field::Company, problem(4));
    } else if company.chars().count() > MAX_SHORT_FIELD {
        errors.add(Field::Company, problem(5));
    }
    if draft.reason.trim().chars().count() > MAX_REASON {
        errors.add(Field::Reason, problem(6));
    }
    if !draft.accepted {
        errors.add(Field::Accepted, problem(7));
    }
    errors
}
