//! Progress on standard error for long runs (the sweep's bar, the region-by-region
//! spinner), and a log writer that keeps log lines from tearing them: while a bar is
//! drawn, each log line is written with the bar cleared and the bar redrawn below it.

use std::io::{self, Write};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar being drawn, if any, for [`LogWriter`] to write around.
static SHOWN: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// A bar or spinner with the elapsed time. Drawn only when standard error is a terminal
/// (indicatif's own check) and the caller asks for it.
pub(crate) struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar of `total` variants for a sweep.
    pub(crate) fn variants(total: usize, show: bool) -> Progress {
        Progress::drawn(
            Some(total as u64),
            "{elapsed_precise} [{bar:30}] {pos}/{len} variants done {msg}",
            show,
        )
    }

    /// A spinner whose message says how the search stands.
    pub(crate) fn spinner(show: bool) -> Progress {
        Progress::drawn(None, "{spinner} {elapsed_precise} {msg}", show)
    }

    fn drawn(length: Option<u64>, template: &str, show: bool) -> Progress {
        let target = if show {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(length, target);
        // The templates are constants known to be valid; fall back to the default otherwise.
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        if !bar.is_hidden() {
            // Solves take seconds each: tick so the elapsed time moves in between.
            bar.enable_steady_tick(Duration::from_millis(500));
            if let Ok(mut shown) = SHOWN.lock() {
                *shown = Some(bar.clone());
            }
        }
        Progress { bar }
    }

    /// One more variant done.
    pub(crate) fn done(&self, name: &str) {
        self.bar.set_message(format!("(last: {name})"));
        self.bar.inc(1);
    }

    /// Replaces the message.
    pub(crate) fn say(&self, message: String) {
        self.bar.set_message(message);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // A hidden one never took the place of a drawn one (a sweep's bar stays while its
        // variants' hidden spinners come and go).
        if !self.bar.is_hidden()
            && let Ok(mut shown) = SHOWN.lock()
        {
            *shown = None;
        }
        self.bar.finish_and_clear();
    }
}

/// A `tracing_subscriber` writer for standard error that writes each log line around the
/// progress bar, if one is drawn; otherwise it writes straight through. Use it for
/// the whole program: without a bar it is plain standard error.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogWriter;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogLine;

    fn make_writer(&'a self) -> LogLine {
        LogLine(Vec::new())
    }
}

/// One log event, collected and written whole when dropped.
#[derive(Debug)]
pub struct LogLine(Vec<u8>);

impl Write for LogLine {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for LogLine {
    fn drop(&mut self) {
        let bar = SHOWN.lock().ok().and_then(|shown| shown.clone());
        // A log line that cannot be written has nowhere to be reported.
        let write = || {
            let _ = io::stderr().lock().write_all(&self.0);
        };
        match bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }
}
