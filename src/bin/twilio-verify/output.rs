//! Printing: a human-readable summary by default, JSON with `--json`; secrets redacted
//! unless `--show-secrets`, in both.
//!
//! JSON comes from the models' own `Serialize`, which writes every secret as `"[redacted]"`;
//! `--show-secrets` puts the exposed values back at the paths each [`Record`] names. So
//! without the flag no secret can reach stdout, whatever the output mode.
//!
//! A list is a JSON array written as the records arrive: `[`, one record per line, `]`. If a
//! page fails after the first record was written, the array is still closed (stdout stays
//! valid JSON) and the error goes to stderr with exit 1. If the first page fails, nothing is
//! written to stdout.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;
use serde_json::Value;
use twilio_verify::{Error, Secret};

use crate::exit::Failure;

/// One value of a human-readable summary.
pub enum Cell<'a> {
    /// Shown as is.
    Text(String),
    /// Shown only with `--show-secrets`.
    Secret(&'a Secret),
}

/// A line of a human-readable summary: label and value.
pub type Row<'a> = (&'static str, Cell<'a>);

/// A resource the CLI prints.
pub trait Record: Serialize {
    /// The lines of its summary, in order (fields that are absent are left out).
    fn rows(&self) -> Vec<Row<'_>>;
    /// Its one line in a list.
    fn line(&self) -> String;
    /// Its secrets and their JSON pointers (`/binding/secret`), put back with `--show-secrets`.
    fn secrets(&self) -> Vec<(&'static str, &Secret)> {
        Vec::new()
    }
}

/// A row of text.
pub fn text(label: &'static str, value: impl ToString) -> Row<'static> {
    (label, Cell::Text(value.to_string()))
}

/// `when` as RFC 3339 UTC to the second (`2015-07-30T20:00:00Z`), the `time` crate's writing.
pub fn date(when: SystemTime) -> String {
    let utc = time::OffsetDateTime::from(when);
    utc.replace_nanosecond(0)
        .ok()
        .and_then(|utc| {
            utc.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{when:?}"))
}

/// How to print, from the global options.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// `--json`.
    pub json: bool,
    /// `--show-secrets`.
    pub show_secrets: bool,
}

impl Output {
    /// Prints one resource.
    pub fn record<R: Record>(&self, record: &R) -> Result<(), Failure> {
        if self.json {
            let json = self.json_of(record)?;
            println!("{}", pretty(&json));
        } else {
            for (label, cell) in record.rows() {
                println!("{label:<14} {}", self.cell(&cell));
            }
        }
        Ok(())
    }

    /// Prints a free-form JSON document (`--json`) or lines of text.
    pub fn message(&self, json: Value, lines: &[String]) {
        if self.json {
            println!("{}", pretty(&json));
        } else {
            for line in lines {
                println!("{line}");
            }
        }
    }

    /// Prints the records of a list as they arrive, with progress on stderr when it is a
    /// terminal (`noun`: "entities").
    pub fn list<R: Record>(
        &self,
        records: impl IntoIterator<Item = Result<R, Error>>,
        noun: &str,
    ) -> Result<(), Failure> {
        let mut records = records.into_iter();
        // The first page decides whether anything is printed: a refusal or a failure before
        // any record leaves stdout empty.
        let first = match records.next() {
            None => None,
            Some(Ok(first)) => Some(first),
            Some(Err(error)) => return Err(error.into()),
        };
        let mut progress = Progress::new(noun);
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        if self.json {
            write_line(&mut out, "[")?;
        }
        let mut result = Ok(());
        let mut count = 0usize;
        for record in first.into_iter().map(Ok).chain(records) {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    result = Err(Failure::Sdk(error));
                    break;
                }
            };
            let line = if self.json {
                let json = match self.json_of(&record) {
                    Ok(json) => json,
                    Err(failure) => {
                        result = Err(failure);
                        break;
                    }
                };
                let comma = if count == 0 { "" } else { "," };
                format!("{comma}{json}")
            } else {
                self.list_line(&record)
            };
            write_line(&mut out, &line)?;
            count += 1;
            progress.tick(count);
        }
        if self.json {
            write_line(&mut out, "]")?;
        }
        progress.finish(count);
        result
    }

    fn list_line<R: Record>(&self, record: &R) -> String {
        if !self.show_secrets {
            return record.line();
        }
        // Lines never hold secrets; with --show-secrets they follow it.
        let mut line = record.line();
        for (pointer, secret) in record.secrets() {
            line.push_str(&format!("  {}={}", &pointer[1..], secret.expose_secret()));
        }
        line
    }

    /// The record as JSON: secrets `"[redacted]"`, or their values with `--show-secrets`.
    fn json_of<R: Record>(&self, record: &R) -> Result<Value, Failure> {
        let mut json = serde_json::to_value(record)
            .map_err(|e| Failure::Failed(format!("could not write the answer as JSON: {e}")))?;
        if self.show_secrets {
            for (pointer, secret) in record.secrets() {
                if let Some(slot) = json.pointer_mut(pointer) {
                    *slot = Value::from(secret.expose_secret());
                }
            }
        }
        Ok(json)
    }

    fn cell(&self, cell: &Cell<'_>) -> String {
        match cell {
            Cell::Text(text) => text.clone(),
            Cell::Secret(secret) if self.show_secrets => secret.expose_secret().to_owned(),
            Cell::Secret(secret) => format!("{secret} (--show-secrets prints it)"),
        }
    }
}

fn pretty(json: &Value) -> String {
    serde_json::to_string_pretty(json).unwrap_or_else(|_| json.to_string())
}

/// Writes one line and flushes it, so a reader sees each record as it arrives.
fn write_line(out: &mut impl Write, line: &str) -> Result<(), Failure> {
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Failed(format!("could not write to stdout: {e}")))
}

/// "1234 entities so far" on stderr, at most ten times a second, when stderr is a terminal.
struct Progress<'a> {
    noun: &'a str,
    shown: bool,
    last: Option<Instant>,
}

impl<'a> Progress<'a> {
    fn new(noun: &'a str) -> Self {
        Progress {
            noun,
            shown: std::io::stderr().is_terminal(),
            last: None,
        }
    }

    fn tick(&mut self, count: usize) {
        if !self.shown {
            return;
        }
        let now = Instant::now();
        if self
            .last
            .is_some_and(|last| now - last < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        eprint!("\r{count} {} so far…", self.noun);
    }

    fn finish(&self, count: usize) {
        if self.shown {
            eprintln!("\r{count} {}.        ", self.noun);
        }
    }
}
