//! `grpc-timeout` (`PROTOCOL-HTTP2.md`: `TimeoutValue TimeoutUnit`, where
//! the value is 1 to 8 ASCII digits and the unit one of `H M S m u n`).
//!
//! Parsing is strict: no sign, no spaces, no ninth digit. A malformed value
//! must fail the call (`INTERNAL`, as grpc-go does) rather than silently
//! become "no deadline". The largest value, `99999999H` (~11 400 years),
//! fits a [`Duration`]; adding it to an `Instant` may not, so callers
//! should use `Instant::checked_add` and treat `None` as no deadline.

use std::time::Duration;

use bytes::Bytes;
use thiserror::Error;

use crate::status::Status;

/// Header name.
pub const GRPC_TIMEOUT: &str = "grpc-timeout";

/// Largest value the grammar allows.
const MAX_VALUE: u64 = 99_999_999;

/// Why a `grpc-timeout` value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TimeoutError {
    /// No digits before the unit (or an empty value).
    #[error("grpc-timeout has no digits")]
    NoDigits,
    /// More than eight digits.
    #[error("grpc-timeout has more than 8 digits")]
    TooManyDigits,
    /// A byte other than an ASCII digit where digits go.
    #[error("grpc-timeout has a non-digit 0x{0:02x}")]
    NotADigit(u8),
    /// The last byte is not one of `H M S m u n`.
    #[error("grpc-timeout has an unknown unit 0x{0:02x}")]
    BadUnit(u8),
}

impl From<TimeoutError> for Status {
    fn from(e: TimeoutError) -> Status {
        Status::internal(format!("malformed grpc-timeout: {e}"))
    }
}

/// Nanoseconds per unit, finest first (the order [`encode_timeout`] tries).
const UNITS: [(u8, u64); 6] = [
    (b'n', 1),
    (b'u', 1_000),
    (b'm', 1_000_000),
    (b'S', 1_000_000_000),
    (b'M', 60_000_000_000),
    (b'H', 3_600_000_000_000),
];

/// Parses a `grpc-timeout` value into a duration.
pub fn parse_timeout(value: &[u8]) -> Result<Duration, TimeoutError> {
    let Some((&unit, digits)) = value.split_last() else {
        return Err(TimeoutError::NoDigits);
    };
    if digits.is_empty() {
        return Err(TimeoutError::NoDigits);
    }
    if digits.len() > 8 {
        return Err(TimeoutError::TooManyDigits);
    }
    let mut n: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return Err(TimeoutError::NotADigit(d));
        }
        n = n * 10 + u64::from(d - b'0');
    }
    Ok(match unit {
        b'H' => Duration::from_secs(n * 3600),
        b'M' => Duration::from_secs(n * 60),
        b'S' => Duration::from_secs(n),
        b'm' => Duration::from_millis(n),
        b'u' => Duration::from_micros(n),
        b'n' => Duration::from_nanos(n),
        other => return Err(TimeoutError::BadUnit(other)),
    })
}

/// Encodes a duration for `grpc-timeout`: the finest unit whose value fits
/// eight digits, rounded up so the peer never sees a shorter deadline than
/// ours (by less than one unit). Durations beyond `99999999H` saturate.
pub fn encode_timeout(timeout: Duration) -> Bytes {
    let nanos = timeout.as_nanos();
    for (unit, per) in UNITS {
        let value = nanos.div_ceil(u128::from(per));
        if value <= u128::from(MAX_VALUE) {
            return Bytes::from(format!("{value}{}", char::from(unit)));
        }
    }
    Bytes::from_static(b"99999999H")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(parse_timeout(b"1H"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_timeout(b"2M"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_timeout(b"30S"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_timeout(b"50m"), Ok(Duration::from_millis(50)));
        assert_eq!(parse_timeout(b"7u"), Ok(Duration::from_micros(7)));
        assert_eq!(parse_timeout(b"0n"), Ok(Duration::ZERO));
        assert_eq!(parse_timeout(b"00000009n"), Ok(Duration::from_nanos(9)));
        assert_eq!(
            parse_timeout(b"99999999H"),
            Ok(Duration::from_secs(99_999_999 * 3600))
        );
    }

    #[test]
    fn refuses_malformed() {
        assert_eq!(
            parse_timeout(b"123456789S"),
            Err(TimeoutError::TooManyDigits)
        );
        assert_eq!(parse_timeout(b"1x"), Err(TimeoutError::BadUnit(b'x')));
        assert_eq!(parse_timeout(b"1s"), Err(TimeoutError::BadUnit(b's')));
        assert_eq!(parse_timeout(b"-1S"), Err(TimeoutError::NotADigit(b'-')));
        assert_eq!(parse_timeout(b"+1S"), Err(TimeoutError::NotADigit(b'+')));
        assert_eq!(parse_timeout(b" 1S"), Err(TimeoutError::NotADigit(b' ')));
        assert_eq!(parse_timeout(b"1 S"), Err(TimeoutError::NotADigit(b' ')));
        assert_eq!(parse_timeout(b"1S "), Err(TimeoutError::NotADigit(b'S')));
        assert_eq!(parse_timeout(b"S"), Err(TimeoutError::NoDigits));
        assert_eq!(parse_timeout(b""), Err(TimeoutError::NoDigits));
        let status: Status = TimeoutError::BadUnit(b'x').into();
        assert_eq!(status.code, crate::code::Code::Internal);
    }

    #[test]
    fn encodes_with_the_finest_fitting_unit() {
        let enc = |d| String::from_utf8(encode_timeout(d).to_vec()).unwrap();
        assert_eq!(enc(Duration::ZERO), "0n");
        assert_eq!(enc(Duration::from_nanos(99_999_999)), "99999999n");
        assert_eq!(enc(Duration::from_nanos(100_000_000)), "100000u");
        assert_eq!(enc(Duration::from_millis(100)), "100000u");
        assert_eq!(enc(Duration::from_secs(1)), "1000000u");
        assert_eq!(enc(Duration::from_secs(100)), "100000m");
        // Rounded up, never down.
        assert_eq!(enc(Duration::from_nanos(100_000_001)), "100001u");
        assert_eq!(enc(Duration::from_secs(100_000_000)), "1666667M");
        assert_eq!(enc(Duration::from_secs(u64::MAX)), "99999999H");
    }
}
