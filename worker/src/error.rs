//! The one error type of the Worker and its mapping to `application/problem+json`.
//!
//! Internal errors are logged with their cause and answered with a generic 500; nothing
//! internal is ever echoed to the client.

use tellus_core::problem::{Problem, ProblemKind};
use tellus_core::validation::{FieldError, InputError};

#[derive(Debug)]
pub enum ApiError {
    /// A client error with its problem body.
    Client(Problem),
    /// A fault of ours (storage, runtime). The string is logged, never sent.
    Internal(String),
    /// 405 with the methods the path does allow, as the `Allow` header lists them (from the
    /// route table).
    MethodNotAllowed(String),
    /// 429 with the seconds to wait.
    RateLimited(u32),
}

impl ApiError {
    pub fn client(kind: ProblemKind, detail: impl Into<String>) -> Self {
        ApiError::Client(Problem::new(kind, detail))
    }

    pub fn fields(errors: Vec<FieldError>) -> Self {
        let detail = match errors.len() {
            1 => "1 field is not valid; see errors.".to_owned(),
            n => format!("{n} fields are not valid; see errors."),
        };
        ApiError::Client(Problem::new(ProblemKind::ValidationFailed, detail).with_errors(errors))
    }

    pub fn not_found() -> Self {
        ApiError::client(ProblemKind::NotFound, "There is nothing at this address.")
    }

    pub fn unauthorized() -> Self {
        ApiError::client(ProblemKind::Unauthorized, "Send the site's owner key as 'Authorization: Bearer <owner key>'.")
    }

    pub fn problem(&self) -> Problem {
        match self {
            ApiError::Client(problem) => problem.clone(),
            ApiError::Internal(_) => Problem::new(
                ProblemKind::Internal,
                "The request could not be completed. Nothing was stored; please try again.",
            ),
            ApiError::MethodNotAllowed(allow) => {
                Problem::new(ProblemKind::MethodNotAllowed, format!("This address accepts {allow}."))
            }
            ApiError::RateLimited(secs) => Problem::new(
                ProblemKind::RateLimited,
                format!("Too many requests from this client; try again in {secs} seconds."),
            ),
        }
    }
}

impl From<InputError> for ApiError {
    fn from(err: InputError) -> Self {
        match err {
            InputError::Body(body) => ApiError::client(ProblemKind::MalformedBody, body.detail()),
            InputError::Fields(errors) => ApiError::fields(errors),
        }
    }
}

impl From<worker::Error> for ApiError {
    fn from(err: worker::Error) -> Self {
        ApiError::Internal(err.to_string())
    }
}

impl From<worker::kv::KvError> for ApiError {
    fn from(err: worker::kv::KvError) -> Self {
        ApiError::Internal(format!("kv: {err}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(err: serde_json::Error) -> Self {
        ApiError::Internal(format!("json: {err}"))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
