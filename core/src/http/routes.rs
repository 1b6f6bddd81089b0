//! The Worker's routes, as one table: method and path segments to a [`Route`], with the path's
//! parameters borrowed from the request's path. The table is the one place that says which
//! addresses exist and which methods each accepts, so the answer to a wrong method (405 with
//! its `Allow`), the CORS preflight's allowed methods and the contract test's list of operations
//! (`tests/e2e/contract.rs` against `openapi.yaml`) are all read from it, never written again.
//!
//! Decisions:
//! - Methods are matched exactly as RFC 9110 says (case-sensitive tokens). A method no row names,
//!   `QUERY`, `PUT`, `HEAD` or `get` alike, is refused with 405 and the path's `Allow` where the
//!   path exists, and 404 where it does not. `HEAD` is not served: no client of ours sends it, and
//!   answering it would mean documenting it for every `GET`.
//! - A parameter matches any one segment, as written (still percent-encoded); handlers check its
//!   shape (`is_site_id`, `is_endpoint_id`, …) before it reaches a storage key, and answer 404.
//! - The test protocol's rows (`/v1/test/…`) exist only where the Worker runs with
//!   `ALLOW_TEST_CLOCK=1`; elsewhere they are 404, with no `Allow` that would reveal them.
//!
//! To add a route, add one row to [`routes!`]'s invocation below: the variant's name with its
//! parameters in braces, the method, and the segments as a slice pattern (string literals for
//! fixed segments, the parameter's name for a parameter). Then add its arm to the Worker's
//! `route` (the compiler lists the missing variant) and, for a `/v1` route, its operation to
//! `openapi.yaml` (the contract test fails until you do). The table's tests check every row.

/// The HTTP methods some route accepts, in the order `Allow` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
    Options,
}

impl Method {
    pub const ALL: [Method; 5] = [Method::Get, Method::Post, Method::Patch, Method::Delete, Method::Options];

    /// The method of a request line, exactly as written; `None` for any method no route takes.
    pub fn parse(token: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|method| method.as_str() == token)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// One segment of a route's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// A fixed word, such as `v1` or `entries`.
    Fixed(&'static str),
    /// A parameter, by its name in `openapi.yaml` (`site`, `entry`, `endpoint`, `delivery`).
    Param(&'static str),
}

/// Who reads a route's answers, which decides how a refusal is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The `/v1` API: JSON, problems as `application/problem+json`.
    Api,
    /// The test protocol under `/v1/test` (local Workers only).
    TestProtocol,
    /// The owner's summary page under `/s/{site}`: HTML, errors as HTML pages.
    OwnerPage,
    /// The customer's receipt page under `/r/…`: HTML that names nothing of any entry when it
    /// refuses.
    CustomerPage,
    /// Any other HTML page (the sign-up form at `/new`, the demo host page).
    Page,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// The [`Route`] variant's name.
    pub name: &'static str,
    pub method: Method,
    pub segments: &'static [Segment],
}

impl Spec {
    /// The path as `openapi.yaml` writes it: `/v1/sites/{site}/entries/{entry}`.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.segments {
            path.push('/');
            match segment {
                Segment::Fixed(word) => path.push_str(word),
                Segment::Param(name) => {
                    path.push('{');
                    path.push_str(name);
                    path.push('}');
                }
            }
        }
        path
    }

    pub fn surface(&self) -> Surface {
        surface_of(self.segments.iter().map(|segment| match segment {
            Segment::Fixed(word) => *word,
            Segment::Param(_) => "",
        }))
    }

    /// Whether `segments` is this row's path (any method).
    pub fn matches_path(&self, segments: &[&str]) -> bool {
        self.segments.len() == segments.len()
            && self.segments.iter().zip(segments).all(|(own, given)| match own {
                Segment::Fixed(word) => word == given,
                Segment::Param(_) => true,
            })
    }
}

fn surface_of<'a>(mut segments: impl Iterator<Item = &'a str>) -> Surface {
    match (segments.next(), segments.next()) {
        (Some("v1"), Some("test")) => Surface::TestProtocol,
        (Some("v1"), _) => Surface::Api,
        (Some("s"), _) => Surface::OwnerPage,
        (Some("r"), _) => Surface::CustomerPage,
        _ => Surface::Page,
    }
}

/// The surface a request path belongs to, whether or not a route exists there (so a 404 is
/// written the way that part of the site writes its errors).
pub fn surface_of_path(segments: &[&str]) -> Surface {
    surface_of(segments.iter().copied())
}

/// The methods a path accepts, as the `Allow` header lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Allow(u8);

impl Allow {
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, method: Method) -> bool {
        self.0 & method.bit() != 0
    }

    pub fn with(self, method: Method) -> Allow {
        Allow(self.0 | method.bit())
    }

    pub fn without(self, method: Method) -> Allow {
        Allow(self.0 & !method.bit())
    }

    pub fn methods(self) -> impl Iterator<Item = Method> {
        Method::ALL.into_iter().filter(move |method| self.contains(*method))
    }

    /// `GET, OPTIONS`.
    pub fn header_value(self) -> String {
        self.methods().map(Method::as_str).collect::<Vec<_>>().join(", ")
    }
}

/// Why a request matches no route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No route has this path: 404.
    NotFound,
    /// The path exists, with other methods: 405 with this `Allow`.
    MethodNotAllowed(Allow),
}

/// A request path's segments: `/v1/sites/abc/config` is `["v1", "sites", "abc", "config"]`.
pub fn segments(path: &str) -> Vec<&str> {
    path.strip_prefix('/').unwrap_or(path).split('/').collect()
}

/// Which rows take part: the test protocol's only on local Workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub test_protocol: bool,
}

/// The route of a request, or why there is none.
pub fn parse<'a>(method: &str, segments: &[&'a str], options: Options) -> Result<Route<'a>, Refusal> {
    let counts = |spec: &Spec| options.test_protocol || spec.surface() != Surface::TestProtocol;
    if let Some(route) = Method::parse(method).and_then(|method| Route::matching(method, segments))
        && counts(route.spec())
    {
        return Ok(route);
    }
    let allow = allow(segments, options);
    if allow.is_empty() { Err(Refusal::NotFound) } else { Err(Refusal::MethodNotAllowed(allow)) }
}

/// The methods the table accepts at a path (empty where no route has it).
pub fn allow(segments: &[&str], options: Options) -> Allow {
    ROUTES
        .iter()
        .filter(|spec| options.test_protocol || spec.surface() != Surface::TestProtocol)
        .filter(|spec| spec.matches_path(segments))
        .fold(Allow::default(), |allow, spec| allow.with(spec.method))
}

macro_rules! method {
    (GET) => {
        Method::Get
    };
    (POST) => {
        Method::Post
    };
    (PATCH) => {
        Method::Patch
    };
    (DELETE) => {
        Method::Delete
    };
    (OPTIONS) => {
        Method::Options
    };
}

macro_rules! segment {
    ($word:literal) => {
        Segment::Fixed($word)
    };
    ($param:ident) => {
        Segment::Param(stringify!($param))
    };
}

/// Writes the [`Route`] enum, the [`ROUTES`] table and the one match between them from the rows:
/// each row once, so the enum, the table and the matcher cannot disagree. The matcher is a plain
/// slice-pattern `match`, tried in row order.
macro_rules! routes {
    ($( $(#[$doc:meta])* $name:ident $({ $($param:ident),* })? : $method:ident [$($segment:tt),*]; )*) => {
        /// A request the Worker serves, with its path parameters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Route<'a> {
            $( $(#[$doc])* $name $({ $($param: &'a str),* })?, )*
        }

        /// Every route, in the order they are matched.
        pub const ROUTES: &[Spec] = &[
            $( Spec { name: stringify!($name), method: method!($method), segments: &[$(segment!($segment)),*] }, )*
        ];

        impl<'a> Route<'a> {
            fn matching(method: Method, segments: &[&'a str]) -> Option<Route<'a>> {
                match (method, segments) {
                    $( (method!($method), [$($segment),*]) => Some(Route::$name $({ $($param),* })?), )*
                    _ => None,
                }
            }

            /// This route's row in [`ROUTES`].
            pub fn spec(&self) -> &'static Spec {
                let row = match self {
                    $( Route::$name { .. } => Row::$name, )*
                };
                &ROUTES[row as usize]
            }

            /// The variant's name.
            pub fn name(&self) -> &'static str {
                self.spec().name
            }
        }

        /// The rows' positions in [`ROUTES`], so a route finds its row without a search.
        #[derive(Clone, Copy)]
        enum Row {
            $( $name, )*
        }
    };
}

routes! {
    /// Liveness (also the bench's trivial route).
    Health: GET ["v1", "health"];
    CreateSite: POST ["v1", "sites"];
    GetSite { site }: GET ["v1", "sites", site];
    UpdateSite { site }: PATCH ["v1", "sites", site];
    RotateOwnerKey { site }: POST ["v1", "sites", site, "owner-key"];

    // The public routes the widget calls from the host page, each with its CORS preflight.
    SiteConfig { site }: GET ["v1", "sites", site, "config"];
    SiteConfigPreflight { site }: OPTIONS ["v1", "sites", site, "config"];
    Submit { site }: POST ["v1", "sites", site, "feedback"];
    SubmitPreflight { site }: OPTIONS ["v1", "sites", site, "feedback"];
    Receipt { site, entry }: GET ["v1", "sites", site, "receipts", entry];
    ReceiptPreflight { site, entry }: OPTIONS ["v1", "sites", site, "receipts", entry];
    Rerate { site, entry }: POST ["v1", "sites", site, "receipts", entry, "rerate"];
    ReratePreflight { site, entry }: OPTIONS ["v1", "sites", site, "receipts", entry, "rerate"];
    Click { site }: POST ["v1", "sites", site, "clicks"];
    ClickPreflight { site }: OPTIONS ["v1", "sites", site, "clicks"];

    // The owner API.
    ListEntries { site }: GET ["v1", "sites", site, "entries"];
    Summary { site }: GET ["v1", "sites", site, "summary"];
    Export { site }: GET ["v1", "sites", site, "export"];
    GetEntry { site, entry }: GET ["v1", "sites", site, "entries", entry];
    DeleteEntry { site, entry }: DELETE ["v1", "sites", site, "entries", entry];
    Acknowledge { site, entry }: POST ["v1", "sites", site, "entries", entry, "acknowledge"];
    Fix { site, entry }: POST ["v1", "sites", site, "entries", entry, "fix"];
    Reply { site, entry }: POST ["v1", "sites", site, "entries", entry, "reply"];
    Assign { site, entry }: POST ["v1", "sites", site, "entries", entry, "assign"];
    Note { site, entry }: POST ["v1", "sites", site, "entries", entry, "note"];
    ListEndpoints { site }: GET ["v1", "sites", site, "callbacks"];
    CreateEndpoint { site }: POST ["v1", "sites", site, "callbacks"];
    DeleteEndpoint { site, endpoint }: DELETE ["v1", "sites", site, "callbacks", endpoint];
    RotateSecret { site, endpoint }: POST ["v1", "sites", site, "callbacks", endpoint, "secret"];
    Deliveries { site, endpoint }: GET ["v1", "sites", site, "callbacks", endpoint, "deliveries"];
    Delivery { site, endpoint, delivery }: GET ["v1", "sites", site, "callbacks", endpoint, "deliveries", delivery];
    Replay { site, endpoint, delivery }:
        POST ["v1", "sites", site, "callbacks", endpoint, "deliveries", delivery, "replay"];
    TestEndpoint { site, endpoint }: POST ["v1", "sites", site, "callbacks", endpoint, "test"];

    // The local test protocol (see the Worker's `callbacks::test_support`).
    TestRun { site }: POST ["v1", "test", "sites", site, "run"];
    TestImport { site }: POST ["v1", "test", "sites", site, "import"];
    TestDesk { site }: GET ["v1", "test", "sites", site, "desk"];

    // The self-serve sign-up form and the demo host page.
    SignupForm: GET ["new"];
    Signup: POST ["new"];
    Demo: GET ["demo"];

    // The owner's pages (HTML, cookie session): the inbox, a case, the summary, the alerts and
    // the settings, and their form actions.
    Page { site }: GET ["s", site];
    PageSummary { site }: GET ["s", site, "summary"];
    PageAlerts { site }: GET ["s", site, "alerts"];
    PageSettings { site }: GET ["s", site, "settings"];
    PageSaveSettings { site }: POST ["s", site, "settings"];
    PageCase { site, entry }: GET ["s", site, "entries", entry];
    PageAssign { site, entry }: POST ["s", site, "entries", entry, "assign"];
    PageNote { site, entry }: POST ["s", site, "entries", entry, "note"];
    PageBulkAcknowledge { site }: POST ["s", site, "inbox", "acknowledge"];
    PageRotateKey { site }: POST ["s", site, "owner-key"];
    PageAddEndpoint { site }: POST ["s", site, "callbacks"];
    PageTestEndpoint { site, endpoint }: POST ["s", site, "callbacks", endpoint, "test"];
    PageEndpointEvents { site, endpoint }: POST ["s", site, "callbacks", endpoint, "events"];
    PageRemoveEndpoint { site, endpoint }: POST ["s", site, "callbacks", endpoint, "delete"];
    PageLogin { site }: POST ["s", site, "login"];
    PageLogout { site }: POST ["s", site, "logout"];
    PageAcknowledge { site, entry }: POST ["s", site, "entries", entry, "acknowledge"];
    PageFix { site, entry }: POST ["s", site, "entries", entry, "fix"];
    PageReply { site, entry }: POST ["s", site, "entries", entry, "reply"];
    PageDelete { site, entry }: POST ["s", site, "entries", entry, "delete"];
    PageReplay { site, endpoint, delivery }:
        POST ["s", site, "callbacks", endpoint, "deliveries", delivery, "replay"];
    PageExportCsv { site }: GET ["s", site, "export.csv"];
    PageExportJson { site }: GET ["s", site, "export.json"];
    PageTouchpoints { site }: GET ["s", site, "touchpoints"];

    // The customer's pages (HTML): the receipt page reached from a follow-up email, its
    // unsubscribe, and the hosted feedback page for places without a website.
    ReceiptPage { receipt }: GET ["r", receipt];
    ReceiptConfirm { receipt }: POST ["r", receipt];
    Unsubscribe { receipt }: GET ["r", receipt, "unsubscribe"];
    UnsubscribeConfirm { receipt }: POST ["r", receipt, "unsubscribe"];
    HostedFeedback { site }: GET ["f", site];
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: Options = Options { test_protocol: true };
    const PRODUCTION: Options = Options { test_protocol: false };

    /// A concrete path for a row: each parameter becomes `p-{name}`.
    fn sample(spec: &Spec) -> Vec<String> {
        spec.segments
            .iter()
            .map(|segment| match segment {
                Segment::Fixed(word) => (*word).to_owned(),
                Segment::Param(name) => format!("p-{name}"),
            })
            .collect()
    }

    #[test]
    fn every_row_is_reached_by_its_own_method_and_path() {
        for spec in ROUTES {
            let owned = sample(spec);
            let segments: Vec<&str> = owned.iter().map(String::as_str).collect();
            let route = parse(spec.method.as_str(), &segments, LOCAL);
            assert_eq!(route.map(|r| r.spec()), Ok(spec), "{} {}", spec.method.as_str(), spec.path());
        }
    }

    #[test]
    fn no_two_rows_have_the_same_method_and_path() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(a.name != b.name, "{} twice", a.name);
                assert!(!(a.method == b.method && a.path() == b.path()), "{} and {}", a.name, b.name);
            }
        }
    }

    #[test]
    fn parameters_are_borrowed_from_the_path() {
        let path = "/v1/sites/shop-1/callbacks/ep_1/deliveries/msg_2/replay";
        let route = parse("POST", &segments(path), PRODUCTION);
        assert_eq!(route, Ok(Route::Replay { site: "shop-1", endpoint: "ep_1", delivery: "msg_2" }));
        assert_eq!(parse("GET", &segments("/v1/health"), PRODUCTION), Ok(Route::Health));
        assert_eq!(
            parse("OPTIONS", &segments("/v1/sites/x/feedback"), PRODUCTION),
            Ok(Route::SubmitPreflight { site: "x" })
        );
    }

    #[test]
    fn a_wrong_or_unknown_method_is_405_with_the_paths_methods() {
        let config = segments("/v1/sites/shop/config");
        for method in ["POST", "DELETE", "QUERY", "PUT", "HEAD", "get", "", "GET "] {
            let refusal = parse(method, &config, PRODUCTION);
            let Err(Refusal::MethodNotAllowed(allow)) = refusal else { panic!("{method:?}: {refusal:?}") };
            assert_eq!(allow.header_value(), "GET, OPTIONS", "{method:?}");
        }
        let site = segments("/v1/sites/shop");
        assert_eq!(
            parse("QUERY", &site, PRODUCTION).map_err(|r| match r {
                Refusal::MethodNotAllowed(allow) => allow.header_value(),
                Refusal::NotFound => "404".to_owned(),
            }),
            Err("GET, PATCH".to_owned())
        );
        assert_eq!(allow(&segments("/v1/sites/shop/callbacks"), PRODUCTION).header_value(), "GET, POST");
        assert_eq!(allow(&segments("/new"), PRODUCTION).header_value(), "GET, POST");
    }

    #[test]
    fn every_path_that_exists_answers_405_and_no_other_path_does() {
        for spec in ROUTES {
            let owned = sample(spec);
            let segments: Vec<&str> = owned.iter().map(String::as_str).collect();
            let allow = allow(&segments, LOCAL);
            assert!(allow.contains(spec.method), "{}", spec.name);
            for method in Method::ALL.into_iter().filter(|m| !allow.contains(*m)) {
                assert_eq!(parse(method.as_str(), &segments, LOCAL), Err(Refusal::MethodNotAllowed(allow)));
            }
        }
        for missing in [
            "/",
            "/v1",
            "/v1/sites/x/nope",
            "/v1/health/",
            "/v1/sites/x/entries/y/archive",
            "/s",
            "/s/x/entries/y/archive",
        ] {
            assert_eq!(parse("GET", &segments(missing), LOCAL), Err(Refusal::NotFound), "{missing}");
            assert_eq!(parse("QUERY", &segments(missing), LOCAL), Err(Refusal::NotFound), "{missing}");
        }
    }

    #[test]
    fn the_test_protocol_exists_only_on_local_workers() {
        let run = segments("/v1/test/sites/shop/run");
        assert_eq!(parse("POST", &run, LOCAL), Ok(Route::TestRun { site: "shop" }));
        assert_eq!(parse("POST", &run, PRODUCTION), Err(Refusal::NotFound));
        assert_eq!(parse("GET", &run, PRODUCTION), Err(Refusal::NotFound), "no Allow reveals it");
        assert_eq!(Route::TestRun { site: "x" }.spec().surface(), Surface::TestProtocol);
    }

    #[test]
    fn paths_and_surfaces_read_as_the_document_writes_them() {
        let delivery = Route::Delivery { site: "", endpoint: "", delivery: "" }.spec();
        assert_eq!(delivery.path(), "/v1/sites/{site}/callbacks/{endpoint}/deliveries/{delivery}");
        assert_eq!(delivery.surface(), Surface::Api);
        assert_eq!(Route::Page { site: "" }.spec().surface(), Surface::OwnerPage);
        assert_eq!(Route::Signup.spec().surface(), Surface::Page);
        assert_eq!(surface_of_path(&segments("/s/x/nothing")), Surface::OwnerPage);
        assert_eq!(segments("/"), vec![""]);
        assert_eq!(Method::parse("PATCH"), Some(Method::Patch));
        assert_eq!(Method::parse("patch"), None);
    }
}
