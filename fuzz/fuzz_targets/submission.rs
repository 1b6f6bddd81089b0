//! Fuzzes the submission parser: any bytes must give a valid submission or named field errors,
//! never a panic, and an accepted rating is always inside the scale.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tellus_core::entry::Scale;
use tellus_core::submission::Submission;
use tellus_core::validation::InputError;

fuzz_target!(|data: &[u8]| {
    for scale in [Scale::Csat, Scale::Nps] {
        match Submission::parse(data, scale) {
            Ok(submission) => assert!(submission.rating >= scale.min() && submission.rating <= scale.max()),
            Err(InputError::Fields(errors)) => assert!(!errors.is_empty()),
            Err(InputError::Body(_)) => {}
        }
    }
});
