//! Table tests: every state against every event of RFC 9113 §5.1.

use super::*;
use crate::error::Reaction;
use crate::frame::Reason;

#[derive(Debug, Clone, Copy)]
enum Ev {
    RecvH(bool),
    RecvD(bool),
    RecvRst,
    RecvWu,
    RecvPp,
    SendH(bool),
    SendD(bool),
    SendRst,
    SendPp,
}

/// Expected outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Exp {
    /// Accepted; new state.
    To(StreamState),
    /// Received and ignored; state unchanged.
    Ign,
    /// Connection error PROTOCOL_ERROR.
    ConnProto,
    /// Connection error STREAM_CLOSED.
    ConnClosed,
    /// Stream error STREAM_CLOSED.
    StrClosed,
    /// Local send refused.
    SendErr,
}

const EVENTS: [Ev; 13] = [
    Ev::RecvH(false),
    Ev::RecvH(true),
    Ev::RecvD(false),
    Ev::RecvD(true),
    Ev::RecvRst,
    Ev::RecvWu,
    Ev::RecvPp,
    Ev::SendH(false),
    Ev::SendH(true),
    Ev::SendD(false),
    Ev::SendD(true),
    Ev::SendRst,
    Ev::SendPp,
];

fn run(state: &mut StreamState, ev: Ev) -> Exp {
    let id = StreamId::new(1);
    let before = *state;
    let recv = |r: Result<Received, FrameError>, after: StreamState| match r {
        Ok(Received::Process) => Exp::To(after),
        Ok(Received::Ignore) => {
            assert_eq!(after, before, "ignored frame changed state");
            Exp::Ign
        }
        Err(e) => {
            assert_eq!(after, before, "error changed state");
            match e.reaction() {
                Reaction::Connection(Reason::PROTOCOL_ERROR) => Exp::ConnProto,
                Reaction::Connection(Reason::STREAM_CLOSED) => Exp::ConnClosed,
                Reaction::Stream(s, Reason::STREAM_CLOSED) if s == id => Exp::StrClosed,
                other => panic!("unexpected reaction {other:?}"),
            }
        }
    };
    let send = |r: Result<(), SendStateError>, after: StreamState| match r {
        Ok(()) => Exp::To(after),
        Err(e) => {
            assert_eq!(after, before, "refused send changed state");
            assert_eq!(e.state, before);
            Exp::SendErr
        }
    };
    match ev {
        Ev::RecvH(es) => {
            let r = state.recv_headers(id, es);
            recv(r, *state)
        }
        Ev::RecvD(es) => {
            let r = state.recv_data(id, es);
            recv(r, *state)
        }
        Ev::RecvRst => {
            let r = state.recv_rst(id);
            recv(r, *state)
        }
        Ev::RecvWu => {
            let r = state.recv_window_update(id);
            recv(r, *state)
        }
        Ev::RecvPp => {
            let r = state.recv_push_promise(id);
            recv(r, *state)
        }
        Ev::SendH(es) => {
            let r = state.send_headers(id, es);
            send(r, *state)
        }
        Ev::SendD(es) => {
            let r = state.send_data(id, es);
            send(r, *state)
        }
        Ev::SendRst => {
            let r = state.send_rst(id);
            send(r, *state)
        }
        Ev::SendPp => {
            let r = state.send_push_promise(id);
            send(r, *state)
        }
    }
}

#[test]
fn every_transition() {
    use Exp::*;
    const RL: StreamState = ReservedLocal;
    const RR: StreamState = ReservedRemote;
    const HCL: StreamState = HalfClosedLocal;
    const HCR: StreamState = HalfClosedRemote;
    const CES: StreamState = Closed(EndStream);
    const CRR: StreamState = Closed(RecvReset);
    const CSR: StreamState = Closed(SentReset);
    #[rustfmt::skip]
    let table: [(StreamState, [Exp; 13]); 9] = [
        //       recvH      recvH+ES   recvD      recvD+ES   recvRst    recvWU     recvPP     sendH      sendH+ES   sendD      sendD+ES   sendRst    sendPP
        (Idle, [To(Open),  To(HCR),   ConnProto, ConnProto, ConnProto, ConnProto, To(RR),    To(Open),  To(HCL),   SendErr,   SendErr,   SendErr,   To(RL)]),
        (RL,   [ConnProto, ConnProto, ConnProto, ConnProto, To(CRR),   To(RL),    ConnProto, To(HCR),   To(CES),   SendErr,   SendErr,   To(CSR),   SendErr]),
        (RR,   [To(HCL),   To(CES),   ConnProto, ConnProto, To(CRR),   ConnProto, ConnProto, SendErr,   SendErr,   SendErr,   SendErr,   To(CSR),   SendErr]),
        (Open, [To(Open),  To(HCR),   To(Open),  To(HCR),   To(CRR),   To(Open),  ConnProto, To(Open),  To(HCL),   To(Open),  To(HCL),   To(CSR),   SendErr]),
        (HCL,  [To(HCL),   To(CES),   To(HCL),   To(CES),   To(CRR),   To(HCL),   ConnProto, SendErr,   SendErr,   SendErr,   SendErr,   To(CSR),   SendErr]),
        (HCR,  [StrClosed, StrClosed, StrClosed, StrClosed, To(CRR),   To(HCR),   ConnProto, To(HCR),   To(CES),   To(HCR),   To(CES),   To(CSR),   SendErr]),
        (CES,  [ConnClosed,ConnClosed,ConnClosed,ConnClosed,Ign,       Ign,       ConnProto, SendErr,   SendErr,   SendErr,   SendErr,   To(CSR),   SendErr]),
        (CRR,  [StrClosed, StrClosed, StrClosed, StrClosed, Ign,       StrClosed, ConnProto, SendErr,   SendErr,   SendErr,   SendErr,   To(CSR),   SendErr]),
        (CSR,  [Ign,       Ign,       Ign,       Ign,       Ign,       Ign,       ConnProto, SendErr,   SendErr,   SendErr,   SendErr,   To(CSR),   SendErr]),
    ];
    for (start, row) in table {
        for (ev, expected) in EVENTS.into_iter().zip(row) {
            let mut state = start;
            assert_eq!(run(&mut state, ev), expected, "{start:?} + {ev:?}");
        }
    }
}

#[test]
fn request_response_lifecycle() {
    let id = StreamId::new(1);
    let mut s = StreamState::default();
    assert_eq!(s.recv_headers(id, false), Ok(Received::Process));
    assert!(s.can_recv() && s.can_send());
    assert_eq!(s.recv_data(id, true), Ok(Received::Process));
    assert_eq!(s, HalfClosedRemote);
    s.send_headers(id, false).unwrap();
    s.send_data(id, false).unwrap();
    s.send_headers(id, true).unwrap(); // trailers
    assert!(s.is_closed());
    // a late WINDOW_UPDATE is fine, a late DATA kills the connection
    assert_eq!(s.recv_window_update(id), Ok(Received::Ignore));
    assert!(s.recv_data(id, false).unwrap_err().is_connection_error());
}

#[test]
fn send_error_display() {
    let mut s = StreamState::Idle;
    let e = s.send_data(StreamId::new(3), false).unwrap_err();
    assert_eq!(e.to_string(), "cannot send Data on stream 3 in state Idle");
}
