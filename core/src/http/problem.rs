//! Problem types of the API (RFC 9457 `application/problem+json`), with stable `type` URIs.
//!
//! The `type` is a relative URI reference (`/problems/<slug>`), so it resolves on the tellus
//! host that answered; the slugs never change once published.

use crate::input::fields::FieldError;
use serde::Serialize;

/// Every kind of error the API answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    MalformedBody,
    ValidationFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    NotFound,
    MethodNotAllowed,
    Unauthorized,
    OriginNotAllowed,
    Conflict,
    RateLimited,
    Internal,
}

impl ProblemKind {
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::MalformedBody => 400,
            ProblemKind::Unauthorized => 401,
            ProblemKind::OriginNotAllowed => 403,
            ProblemKind::NotFound => 404,
            ProblemKind::Conflict => 409,
            ProblemKind::MethodNotAllowed => 405,
            ProblemKind::PayloadTooLarge => 413,
            ProblemKind::UnsupportedMediaType => 415,
            ProblemKind::ValidationFailed => 422,
            ProblemKind::RateLimited => 429,
            ProblemKind::Internal => 500,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            ProblemKind::MalformedBody => "malformed-body",
            ProblemKind::ValidationFailed => "validation-failed",
            ProblemKind::PayloadTooLarge => "payload-too-large",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::NotFound => "not-found",
            ProblemKind::Conflict => "conflict",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::OriginNotAllowed => "origin-not-allowed",
            ProblemKind::RateLimited => "rate-limited",
            ProblemKind::Internal => "internal",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ProblemKind::MalformedBody => "The request body could not be read",
            ProblemKind::ValidationFailed => "Some fields are not valid",
            ProblemKind::PayloadTooLarge => "The request body is too large",
            ProblemKind::UnsupportedMediaType => "The request body must be JSON",
            ProblemKind::NotFound => "Not found",
            ProblemKind::Conflict => "The entry is not in a state that allows this",
            ProblemKind::MethodNotAllowed => "Method not allowed",
            ProblemKind::Unauthorized => "Owner credentials are missing or not valid",
            ProblemKind::OriginNotAllowed => "This website is not allowed to send feedback to this site",
            ProblemKind::RateLimited => "Too many requests",
            ProblemKind::Internal => "Something went wrong on our side",
        }
    }
}

/// The body of a problem response.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Problem {
            type_uri: format!("/problems/{}", kind.slug()),
            title: kind.title(),
            status: kind.status(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }
}
