//! A logger that keeps every record of the test process, for tests that check what is logged.
//! Each test binary that uses it installs it once; it is the only logger there.

use std::sync::{Mutex, Once};

use log::{LevelFilter, Log, Metadata, Record};

struct Capture;

/// Every record logged in this process: target and formatted line.
static LINES: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
static CAPTURE: Capture = Capture;

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        LINES
            .lock()
            .unwrap()
            .push((record.target().to_owned(), line));
    }

    fn flush(&self) {}
}

/// Installs the logger at `trace` (once per process).
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&CAPTURE).expect("no other logger in this test binary");
        log::set_max_level(LevelFilter::Trace);
    });
}

/// Every (target, line) logged so far.
pub fn lines() -> Vec<(String, String)> {
    LINES.lock().unwrap().clone()
}
