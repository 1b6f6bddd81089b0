//! Fuzzes site settings: any bytes give valid settings (with a readable theme colour) or named
//! field errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tellus_core::site::{SiteSettings, parse_hex_color};
use tellus_core::validation::InputError;

fuzz_target!(|data: &[u8]| {
    match SiteSettings::parse(data) {
        Ok(settings) => {
            assert!(parse_hex_color(&settings.theme_color).is_some() && !settings.allowed_origins.is_empty())
        }
        Err(InputError::Fields(errors)) => assert!(!errors.is_empty()),
        Err(InputError::Body(_)) => {}
    }
});
