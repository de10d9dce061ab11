//! Progress bars for the terminal, drawn only when the work lasts longer than a second.

use ambito_app::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Bar {
    state: Mutex<Option<(ProgressBar, Instant, bool)>>,
}

impl Bar {
    pub fn new() -> Bar {
        Bar { state: Mutex::new(None) }
    }
}

impl Progress for Bar {
    fn start(&self, phase: &str, total: u64) {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{msg:>12} [{bar:40}] {human_pos}/{human_len} righe · {per_sec} · ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(phase.to_string());
        if let Ok(mut s) = self.state.lock() {
            *s = Some((bar, Instant::now(), false));
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(mut s) = self.state.lock()
            && let Some((bar, started, shown)) = s.as_mut()
        {
            bar.inc(n);
            if !*shown && started.elapsed() > Duration::from_secs(1) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                *shown = true;
            }
        }
    }

    fn finish(&self) {
        if let Ok(mut s) = self.state.lock()
            && let Some((bar, _, _)) = s.take()
        {
            bar.finish_and_clear();
        }
    }
}
