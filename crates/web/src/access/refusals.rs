//! Refused requests (403) go to the audit log, so someone probing pages they may not open shows
//! up in the DPO's register. A prober must not be able to flood the log, so entries are limited
//! per caller and route (the route's pattern, so `/persone/1`, `/persone/2`, … count as one) and
//! per caller; the refusals left out are counted and the next entry written for that caller and
//! route says how many.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries a minute for one caller on one route.
pub const PER_ROUTE: u32 = 5;
/// Entries a minute for one caller over all routes.
pub const PER_CALLER: u32 = 20;
const WINDOW: Duration = Duration::from_secs(60);
/// Past this many tracked keys the table starts afresh (a flood from many addresses).
const MAX_KEYS: usize = 50_000;

#[derive(Default)]
struct Window {
    started: Option<Instant>,
    per_route: HashMap<(String, String), u32>,
    per_caller: HashMap<String, u32>,
}

#[derive(Default)]
pub struct RefusalLimiter {
    window: Mutex<Window>,
    /// Refusals not written, by caller and route, until the next one that is.
    suppressed: Mutex<HashMap<(String, String), u64>>,
}

impl RefusalLimiter {
    /// Whether to write an entry for this refusal now; if so, how many were left out before it.
    pub fn admit(&self, caller: &str, route: &str, now: Instant) -> Option<u64> {
        let key = (caller.to_string(), route.to_string());
        let (Ok(mut w), Ok(mut suppressed)) = (self.window.lock(), self.suppressed.lock()) else { return Some(0) };
        if w.started.is_none_or(|s| now.duration_since(s) >= WINDOW) || w.per_route.len() > MAX_KEYS {
            *w = Window { started: Some(now), ..Window::default() };
        }
        if suppressed.len() > MAX_KEYS {
            suppressed.clear();
        }
        let route_count = w.per_route.get(&key).copied().unwrap_or(0);
        let caller_count = w.per_caller.get(caller).copied().unwrap_or(0);
        if route_count >= PER_ROUTE || caller_count >= PER_CALLER {
            *suppressed.entry(key).or_default() += 1;
            return None;
        }
        w.per_route.insert(key.clone(), route_count + 1);
        w.per_caller.insert(caller.to_string(), caller_count + 1);
        Some(suppressed.remove(&key).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_is_recorded_a_few_times_a_minute_with_the_rest_counted() {
        let l = RefusalLimiter::default();
        let t0 = Instant::now();
        for _ in 0..PER_ROUTE {
            assert_eq!(l.admit("u:7", "GET /ambiti/{code}/persone/{person}", t0), Some(0));
        }
        for _ in 0..100 {
            assert_eq!(l.admit("u:7", "GET /ambiti/{code}/persone/{person}", t0), None);
        }
        // Another caller on the same route is not held back by the first.
        assert_eq!(l.admit("ip:10.0.0.9", "GET /ambiti/{code}/persone/{person}", t0), Some(0));
        // A minute later the first entry says how many were left out.
        let t1 = t0 + WINDOW;
        assert_eq!(l.admit("u:7", "GET /ambiti/{code}/persone/{person}", t1), Some(100));
        assert_eq!(l.admit("u:7", "GET /ambiti/{code}/persone/{person}", t1), Some(0));
    }

    #[test]
    fn spreading_a_probe_over_routes_hits_the_per_caller_limit() {
        let l = RefusalLimiter::default();
        let t0 = Instant::now();
        let written = (0..200).filter(|i| l.admit("u:7", &format!("GET /route/{i}"), t0).is_some()).count();
        assert_eq!(written, PER_CALLER as usize);
    }
}
