//! What the benchmarks measure: the calling thread's CPU time, the process's threads and peak
//! memory, and medians. Linux only (`/proc`).

#![allow(dead_code)]

use std::time::Duration;

/// The calling thread's CPU time so far (Linux: first field of schedstat, in nanoseconds).
pub fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    let nanos: u64 = stat
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .expect("schedstat");
    Duration::from_nanos(nanos)
}

/// A field of `/proc/self/status` (`Threads:`, `VmHWM:`…) as a number.
fn status_field(name: &str) -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix(name)
                    .and_then(|v| v.split_whitespace().next())
                    .map(|v| v.parse().ok())
            })
        })
        .flatten()
        .unwrap_or(0)
}

/// The process's thread count.
pub fn thread_count() -> usize {
    status_field("Threads:")
}

/// The process's peak resident memory so far, in KiB.
pub fn peak_rss_kib() -> usize {
    status_field("VmHWM:")
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let mid = values.len() / 2;
    if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}
