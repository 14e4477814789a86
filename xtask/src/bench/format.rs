//! How the report writes figures: durations, memory sizes, ratios, and text made safe
//! for a Markdown table cell.

use std::time::Duration;

/// A duration in milliseconds, one decimal.
pub(super) fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A duration for prose: milliseconds under a second, else seconds.
pub(super) fn short(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.0} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A duration in seconds, two decimals.
pub(super) fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// A size given in KiB, written in MB.
pub(super) fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

/// `ours / theirs`, with how many times faster (or slower) that makes ours.
pub fn ratio(ours: Duration, theirs: Duration) -> String {
    let (o, t) = (ours.as_secs_f64(), theirs.as_secs_f64());
    if o <= 0.0 || t <= 0.0 {
        return "n/a".into();
    }
    let r = o / t;
    if r <= 1.0 {
        format!("{r:.3} ({:.1}× faster)", t / o)
    } else {
        format!("{r:.2} ({r:.1}× slower)")
    }
}

/// One line of at most `max` characters, safe in a Markdown table cell.
pub(super) fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(max).collect();
    if one_line.chars().count() > max {
        out.push('…');
    }
    out.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_say_which_way() {
        let ms = Duration::from_millis;
        assert_eq!(ratio(ms(100), ms(500)), "0.200 (5.0× faster)");
        assert_eq!(ratio(ms(300), ms(200)), "1.50 (1.5× slower)");
        assert_eq!(ratio(ms(0), ms(200)), "n/a");
    }
}
