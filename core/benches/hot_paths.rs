//! Native timings of the Worker's CPU-heavy steps per request: validating a submission,
//! computing an owner summary from 90 daily rollups, and signing a callback.
//!
//! These run on the build machine (x86-64, native code), not in workerd's WebAssembly: they are
//! a stand-in for the Worker's CPU time per request, to compare with the free plan's 10 ms.
//! `cargo xtask bench` runs them and reads criterion's samples from `target/criterion/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tellus_core::callbacks::{new_secret, signature_header};
use tellus_core::entry::{EntryMeta, Scale};
use tellus_core::site::Sla;
use tellus_core::submission::Submission;
use tellus_core::summary::{Rollup, summarize};

const MS_PER_DAY: u64 = 86_400_000;
const TODAY: u64 = 20_300;

/// A full submission as the widget sends it after a failure: rating, comment, dimensions,
/// touchpoint, language, idempotency key.
const SUBMISSION: &[u8] = br#"{"rating":2,"comment":"The parcel arrived two days late and nobody answered my emails about it. The driver left it at the wrong door.","dimensions":["reliability","responsiveness"],"touchpoint":{"page":"/orders/12345","order":"A-12345"},"lang":"en-GB","idempotency_key":"01hzx3v5q8m9k2n4p6r8t0w2y4"}"#;

fn validate_submission(c: &mut Criterion) {
    // The body must be valid, or the benchmark would time the error path.
    Submission::parse(SUBMISSION, Scale::Csat).expect("the benchmark submission is valid");
    c.bench_function("validate_submission", |b| {
        b.iter(|| Submission::parse(black_box(SUBMISSION), black_box(Scale::Csat)))
    });
}

/// 90 closed days with 40 entries each (every rating, some failures fixed, 10 pages), plus a
/// live today: what the Worker holds when it answers `GET /summary?days=90`.
fn rollups() -> (Vec<Rollup>, Rollup) {
    let sla = Sla::default();
    let day_of = |day: u64| {
        let mut rollup = Rollup::new(day);
        for i in 0..40u64 {
            let rating = (i % 5 + 1) as u8;
            let failure = rating <= 2;
            let created_ms = day * MS_PER_DAY + i * 60_000;
            let meta = EntryMeta {
                r: rating,
                k: if failure {
                    'f'
                } else if rating >= 4 {
                    'p'
                } else {
                    'n'
                },
                s: if !failure {
                    '-'
                } else if i % 3 == 0 {
                    'o'
                } else {
                    'x'
                },
                d: if failure { 1 << (i % 5) } else { 0 },
                t: format!("/page/{}", i % 10),
                a: (failure && i % 3 != 0).then_some(created_ms + 30 * 60_000),
                x: (failure && i % 3 != 0).then_some(created_ms + 5 * 3_600_000),
                rr: None,
                l: "en".into(),
            };
            rollup.add_entry(&meta, created_ms, Scale::Csat, sla);
        }
        rollup
    };
    let closed = (TODAY - 90..TODAY).map(day_of).collect();
    (closed, day_of(TODAY))
}

fn summary_of_90_rollups(c: &mut Criterion) {
    let (closed, today) = rollups();
    c.bench_function("summary_90_rollups", |b| {
        b.iter(|| summarize(black_box(&closed), black_box(&today), 90, Scale::Csat, 12))
    });
}

fn sign_callback(c: &mut Criterion) {
    let secret = new_secret(&[7; 24]);
    // A `failure.reported` payload of typical size (about 1 KB).
    let body = format!(
        r#"{{"type":"failure.reported","timestamp":"2025-09-01T12:00:00Z","data":{{"entry_id":"01hzx3v5q8m9k2n4p6r8t0w2y4","site":"s_abcdefgh","kind":"failure","status":"open","scale":"csat","rating":2,"dimensions":["reliability"],"comment":"{}","touchpoint":{{"page":"/orders/12345"}},"lang":"en","link":"https://tellus.example/s/s_abcdefgh#entry-01hzx3v5q8m9k2n4p6r8t0w2y4"}}}}"#,
        "The parcel arrived two days late. ".repeat(20)
    );
    assert!(!signature_header(&[&secret], "msg_1", 1_756_728_000, &body).is_empty());
    c.bench_function("sign_callback", |b| {
        b.iter(|| {
            signature_header(
                black_box(&[secret.as_str()]),
                "msg_01hzx3v5q8m9k2n4p6r8t0w2y4",
                1_756_728_000,
                black_box(&body),
            )
        })
    });
}

criterion_group!(hot_paths, validate_submission, summary_of_90_rollups, sign_callback);
criterion_main!(hot_paths);
