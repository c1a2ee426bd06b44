//! Decompression-bomb defence, measured: 100 MiB of zeros, gzip-compressed
//! (about 100 KiB: deflate tops out near 1032:1, so a 1 KiB stream cannot
//! reach 100 MiB), sent as one compressed message under the default 4 MiB
//! limit. It must fail with `RESOURCE_EXHAUSTED`, quickly, and the decoder
//! must never hold much more than the limit.
//!
//! Peak heap use is measured with a counting global allocator. This file
//! is the only test binary in the crate with one, and it has one test, so
//! nothing else allocates concurrently.

// The allocator must be an `unsafe impl`; it only forwards to `System`.
#![allow(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use bytes::{BufMut, BytesMut};
use flate2::write::GzEncoder;
use flate2::Compression;
use layotto_grpc::message::DEFAULT_MAX_MESSAGE_SIZE;
use layotto_grpc::{Code, Encoding, MessageDecoder};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to `System` with the caller's own arguments;
// the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const BOMB_SIZE: usize = 100 * 1024 * 1024;
const MIB: usize = 1024 * 1024;

fn bomb() -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; MIB];
    for _ in 0..BOMB_SIZE / MIB {
        gz.write_all(&zeros).unwrap();
    }
    gz.finish().unwrap()
}

#[test]
fn hundred_mib_bomb_is_refused_within_the_limit() {
    let compressed = bomb();
    let compressed_len = compressed.len();
    assert!(compressed.len() < 200 * 1024, "{} bytes", compressed.len());
    let mut src = BytesMut::with_capacity(5 + compressed.len());
    src.put_u8(1);
    src.put_u32(u32::try_from(compressed.len()).unwrap());
    src.put_slice(&compressed);
    drop(compressed);

    let mut decoder = MessageDecoder::new(DEFAULT_MAX_MESSAGE_SIZE, Encoding::Gzip);
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let started = Instant::now();
    let err = decoder.decode(&mut src).unwrap_err();
    let elapsed = started.elapsed();
    let extra = PEAK.load(Ordering::Relaxed) - baseline;

    assert_eq!(err.code, Code::ResourceExhausted, "{err}");
    // The output buffer's capacity is capped at the limit, but growing it
    // from half the limit to the limit briefly holds both (a realloc that
    // cannot extend in place): 1.5 × the limit, plus the decompressor's
    // state. Far from the 100 MiB the stream asks for.
    assert!(
        extra <= DEFAULT_MAX_MESSAGE_SIZE / 2 * 3 + MIB,
        "peak extra heap {extra} bytes"
    );
    assert!(elapsed.as_secs() < 2, "took {elapsed:?}");
    eprintln!(
        "bomb: {compressed_len} compressed bytes, refused in {elapsed:?}, peak extra heap {extra} bytes"
    );
}
