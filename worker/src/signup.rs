//! The self-serve page for creating a site: a plain HTML form (works without JavaScript) that
//! posts to the Worker, which validates it exactly like `POST /v1/sites` and shows the owner key
//! once, with the script tag to paste. Its headers and form reading are every page's
//! (`html_page`); every answer, refusals included, is a page.

use crate::App;
use crate::error::{ApiError, ApiResult};
use crate::html_page;
use crate::sites;
use tellus_core::html::escape;
use tellus_core::session::form_value;
use tellus_core::validation::FieldError;
use worker::{Request, Response};

/// What the form remembers between a refused post and the next try.
#[derive(Default)]
struct Form {
    name: String,
    origins: String,
    scale: String,
    theme_color: String,
    token: String,
}

/// `GET /new`.
pub fn form(app: &App) -> ApiResult<Response> {
    page(200, &render_form(app, &Form { scale: "csat".into(), theme_color: "#1f5fbf".into(), ..Form::default() }, &[]))
}

/// `POST /new` (form-encoded). A form that cannot be read (another media type, too large) is
/// answered with a page saying so.
pub async fn create(mut req: Request, app: &App) -> ApiResult<Response> {
    let posted = match html_page::read_form(&mut req).await {
        Ok(posted) => posted,
        Err(err) => return refused(&err),
    };
    let form = Form {
        name: form_value(&posted, "name").to_owned(),
        origins: form_value(&posted, "allowed_origins").to_owned(),
        scale: form_value(&posted, "scale").to_owned(),
        theme_color: form_value(&posted, "theme_color").to_owned(),
        token: form_value(&posted, "operator_token").to_owned(),
    };
    if !is_open(app) && !sites::operator_token_matches(app, &form.token) {
        let error =
            FieldError { field: "operator_token".into(), message: "is not this deployment's operator token".into() };
        return page(401, &render_form(app, &form, &[error]));
    }
    let origins: Vec<&str> = form.origins.split(['\n', ',', ' ']).map(str::trim).filter(|o| !o.is_empty()).collect();
    let input = serde_json::json!({
        "name": form.name,
        "allowed_origins": origins,
        "scale": form.scale,
        "theme_color": form.theme_color,
    });
    match sites::create_site(app, &serde_json::to_vec(&input)?).await {
        Ok(created) => page(201, &render_created(&req, &created)?),
        Err(ApiError::Client(problem)) if !problem.errors.is_empty() => {
            page(422, &render_form(app, &form, &problem.errors))
        }
        Err(err) => Err(err),
    }
}

fn is_open(app: &App) -> bool {
    app.config.open_signup
}

/// The sign-up pages answer with the owner pages' strict headers (`nosniff` included).
fn page(status: u16, body: &str) -> ApiResult<Response> {
    html_page::html(status, body.to_owned())
}

/// The page for a request the sign-up form cannot take (a wrong method, an unreadable form).
pub fn refused(err: &ApiError) -> ApiResult<Response> {
    html_page::problem_page(err)
}

fn shell(title: &str, main: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — tellus</title><link rel=\"stylesheet\" href=\"/site.css\"></head>\
         <body><main>{main}</main></body></html>"
    )
}

fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a FieldError> {
    errors.iter().find(|e| e.field == field || e.field.starts_with(&format!("{field}[")))
}

fn field(errors: &[FieldError], id: &str, label: &str, control: &str) -> String {
    match error_for(errors, id) {
        Some(error) => format!(
            "<p class=\"field invalid\"><label for=\"{id}\">{label}</label>{control}\
             <span class=\"error\" id=\"{id}-error\">{} {}</span></p>",
            escape(label),
            escape(&error.message)
        ),
        None => format!("<p class=\"field\"><label for=\"{id}\">{label}</label>{control}</p>"),
    }
}

fn render_form(app: &App, form: &Form, errors: &[FieldError]) -> String {
    let invalid = |id: &str| {
        if error_for(errors, id).is_some() {
            format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error\"")
        } else {
            String::new()
        }
    };
    let selected = |scale: &str| if form.scale == scale { " selected" } else { "" };
    let mut fields = String::new();
    fields.push_str(&field(
        errors,
        "name",
        "Site name",
        &format!(
            "<input id=\"name\" name=\"name\" required maxlength=\"100\" value=\"{}\"{}>",
            escape(&form.name),
            invalid("name")
        ),
    ));
    fields.push_str(&field(
        errors,
        "allowed_origins",
        "Websites that show the widget (one per line, e.g. https://shop.example)",
        &format!(
            "<textarea id=\"allowed_origins\" name=\"allowed_origins\" rows=\"3\" required{}>{}</textarea>",
            invalid("allowed_origins"),
            escape(&form.origins)
        ),
    ));
    fields.push_str(&field(
        errors,
        "scale",
        "Question",
        &format!(
            "<select id=\"scale\" name=\"scale\"{}><option value=\"csat\"{}>How satisfied? (1–5)</option>\
             <option value=\"nps\"{}>How likely to recommend? (0–10)</option></select>",
            invalid("scale"),
            selected("csat"),
            selected("nps")
        ),
    ));
    fields.push_str(&field(
        errors,
        "theme_color",
        "Theme colour (needs 4.5:1 contrast with white text)",
        &format!(
            "<input id=\"theme_color\" name=\"theme_color\" type=\"color\" value=\"{}\"{}>",
            escape(&form.theme_color),
            invalid("theme_color")
        ),
    ));
    if !is_open(app) {
        fields.push_str(&field(
            errors,
            "operator_token",
            "Operator token",
            &format!("<input id=\"operator_token\" name=\"operator_token\" type=\"password\" autocomplete=\"off\" required{}>", invalid("operator_token")),
        ));
    }
    let summary = if errors.is_empty() {
        String::new()
    } else {
        format!("<p class=\"alert\" role=\"alert\">Please correct {} field(s) below.</p>", errors.len())
    };
    shell(
        "Create a site",
        &format!(
            "<h1>Create a tellus site</h1>{summary}<form method=\"post\" action=\"/new\">{fields}\
             <p><button type=\"submit\">Create site</button></p></form>"
        ),
    )
}

fn render_created(req: &Request, created: &tellus_core::wire::CreatedSite) -> ApiResult<String> {
    let url = req.url()?;
    let origin = url.origin().ascii_serialization();
    let id = escape(&created.id);
    let key = escape(&created.owner_key);
    let origin = escape(&origin);
    Ok(shell(
        "Site created",
        &format!(
            "<h1>Your site is ready</h1>\
             <p>Paste this into every page where customers should be able to tell you how it went:</p>\
             <pre><code>&lt;script src=\"{origin}/tellus.js\" data-site=\"{id}\" async&gt;&lt;/script&gt;</code></pre>\
             <h2>Your owner key</h2>\
             <p class=\"alert\">This is the only time it is shown. Store it in your password manager: it opens your \
             summary page and the owner API, and only its hash is kept.</p>\
             <p><code class=\"secret\" data-owner-key>{key}</code></p>\
             <p>Site id: <code data-site-id>{id}</code>. Summary page: <a href=\"/s/{id}\">{origin}/s/{id}</a>.</p>"
        ),
    ))
}
