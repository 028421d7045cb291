//! Server-rendered console pages (maud, which escapes every interpolated value): the shared layout,
//! the inbox, a request's page with its timeline and actions, the overview, and the sign-in and
//! enrolment pages.

pub mod inbox;
pub mod layout;
pub mod overview;
pub mod request;
pub mod sign_in;
