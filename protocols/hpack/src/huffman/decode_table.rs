//! Nibble-driven Huffman decoding automaton, computed at compile time from
//! [`CODES`](super::codes::CODES).
//!
//! A state is an internal node of the code tree (the 257 leaves of a
//! complete prefix code leave exactly 256 internal nodes, so a state fits in
//! a `u8`). `DECODE[state][nibble]` tells where four more input bits lead,
//! which symbol (at most one, since the shortest code has 5 bits) they
//! completed, whether they hit EOS, and whether the new state is a legal
//! place to stop: RFC 7541 §5.2 allows ending only inside a run of at most
//! 7 one-bits from the root (a prefix of EOS), or exactly on a boundary.

use super::codes::CODES;

/// The transition emitted `symbol`.
pub(super) const EMIT: u8 = 1;
/// The transition decoded EOS, which must not appear in a string (§5.2).
pub(super) const FAIL: u8 = 2;
/// Input may end after this transition: the pending bits are valid padding.
pub(super) const ACCEPT: u8 = 4;

/// One automaton step.
#[derive(Clone, Copy)]
pub(super) struct Transition {
    /// State after the four bits.
    pub(super) next: u8,
    /// Symbol completed on the way, if `flags & EMIT`.
    pub(super) symbol: u8,
    /// `EMIT | FAIL | ACCEPT` bits.
    pub(super) flags: u8,
}

/// Marks a child slot that holds a symbol rather than a node index.
const LEAF: u16 = 0x8000;
const NODES: usize = 256;
const EOS: u16 = 256;

struct Tree {
    /// `children[node][bit]`: a node index, or `LEAF | symbol`; 0 = unset
    /// (the root, node 0, is never anyone's child).
    children: [[u16; 2]; NODES],
    /// Whether the node may end a string: its path from the root is all
    /// ones and at most 7 bits long.
    accepting: [bool; NODES],
}

const fn build_tree() -> Tree {
    let mut children = [[0u16; 2]; NODES];
    let mut accepting = [false; NODES];
    // Whether each node's path from the root is all ones, and its depth.
    let mut all_ones = [false; NODES];
    let mut depth = [0u8; NODES];
    all_ones[0] = true;
    accepting[0] = true;
    let mut allocated = 1usize;
    let mut sym = 0usize;
    while sym < CODES.len() {
        let (code, len) = CODES[sym];
        let mut node = 0usize;
        let mut i = len;
        while i > 0 {
            i -= 1;
            let bit = ((code >> i) & 1) as usize;
            if i == 0 {
                children[node][bit] = LEAF | sym as u16;
            } else {
                if children[node][bit] == 0 {
                    // A malformed code table fails the build here (index
                    // out of bounds in const evaluation).
                    children[node][bit] = allocated as u16;
                    all_ones[allocated] = all_ones[node] && bit == 1;
                    depth[allocated] = depth[node] + 1;
                    accepting[allocated] = all_ones[allocated] && depth[allocated] <= 7;
                    allocated += 1;
                }
                node = children[node][bit] as usize;
            }
        }
        sym += 1;
    }
    Tree {
        children,
        accepting,
    }
}

const fn build_decode() -> [[Transition; 16]; NODES] {
    let tree = build_tree();
    let empty = Transition {
        next: 0,
        symbol: 0,
        flags: 0,
    };
    let mut table = [[empty; 16]; NODES];
    let mut state = 0usize;
    while state < NODES {
        let mut nibble = 0usize;
        while nibble < 16 {
            let mut node = state;
            let mut flags = 0u8;
            let mut symbol = 0u8;
            let mut i = 4;
            while i > 0 {
                i -= 1;
                let child = tree.children[node][(nibble >> i) & 1];
                if child & LEAF != 0 {
                    let s = child & !LEAF;
                    if s == EOS {
                        flags |= FAIL;
                    } else {
                        if flags & EMIT != 0 {
                            panic!("two symbols in one nibble: codes shorter than 5 bits");
                        }
                        flags |= EMIT;
                        symbol = s as u8;
                    }
                    node = 0;
                } else {
                    node = child as usize;
                }
            }
            if tree.accepting[node] {
                flags |= ACCEPT;
            }
            table[state][nibble] = Transition {
                next: node as u8,
                symbol,
                flags,
            };
            nibble += 1;
        }
        state += 1;
    }
    table
}

/// `DECODE[state][nibble]`; decoding starts in state 0 (the root).
pub(super) static DECODE: [[Transition; 16]; NODES] = build_decode();
