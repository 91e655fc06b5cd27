//! `arrivals[].transfer`: the share of a stream's items handed on to
//! another queue, and the refusal of transfers that could never end.

use super::{Ctx, Item, Names, Result};
use crate::omni::QueueId;
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::raw::RawTransfer;
use crate::scenario::{ArrivalStream, Transfer};
use std::ops::Range;
use toml::Spanned;

/// `arrivals[].transfer` of the stream of `own` queue.
pub(super) fn transfer(
    cx: &Ctx<'_>,
    it: &Item,
    own: QueueId,
    raw: &Spanned<RawTransfer>,
    queues: &Names,
) -> Result<Transfer> {
    let t = raw.get_ref();
    let example = "e.g. transfer = { probability = 0.1, to_queue = \"Loans\", after = \"2m\" }";
    let missing = |key: &str, what: &str| {
        cx.err(
            Kind::MissingKey,
            Some(raw.span()),
            it.path(&format!("transfer.{key}")),
            format!("{}: `transfer` has no `{key}` ({what})", it.label),
        )
        .with_hint(example)
    };
    if t.probability.is_none() {
        return Err(missing("probability", "the share of items transferred"));
    }
    let probability = cx.probability(it, "transfer.probability", &t.probability, 0.0)?;
    let Some(to) = &t.to_queue else {
        return Err(missing("to_queue", "the queue items are transferred to"));
    };
    let to_queue = QueueId(cx.resolve(it, "transfer.to_queue", to, queues, "queue", "queues")?);
    if to_queue == own {
        return Err(cx
            .at(
                Kind::Inconsistent,
                it,
                "transfer.to_queue",
                to,
                format!(
                    "`transfer.to_queue` is \"{}\", the stream's own queue; expected another queue",
                    to.get_ref()
                ),
            )
            .with_hint("a transfer hands the item on to a different queue"));
    }
    let Some(after) = &t.after else {
        return Err(missing(
            "after",
            "how much handling comes before the transfer",
        ));
    };
    let after = cx.distribution(it, "transfer.after", after)?;
    Ok(Transfer {
        probability,
        to_queue,
        after,
    })
}

/// Refuses transfers that can never end: a cycle of queues each of which
/// transfers every item (probability 1) to the next. Each queue has at
/// most one such certain transfer, so the queues on a cycle are found in
/// one pass over them; the error names the first stream, in file order,
/// that lies on one.
pub(super) fn transfer_cycle(
    cx: &Ctx<'_>,
    streams: &[ArrivalStream],
    at: &[(Item, Range<usize>)],
    queues: &Names,
) -> Result<()> {
    let n = queues.names.len();
    let mut certain: Vec<Option<QueueId>> = vec![None; n];
    for s in streams {
        if let Some(t) = s.transfer.as_ref().filter(|t| t.probability >= 1.0) {
            certain[s.queue.index()] = Some(t.to_queue);
        }
    }
    // 0: not visited, 1: on the walk being followed, 2: done.
    let mut state = vec![0u8; n];
    let mut on_cycle = vec![false; n];
    for start in 0..n {
        let mut walk = Vec::new();
        let mut q = start;
        while state[q] == 0 {
            state[q] = 1;
            walk.push(q);
            match certain[q] {
                Some(next) => q = next.index(),
                None => break,
            }
        }
        if state[q] == 1 {
            // The walk came back to itself: from `q` on, it is a cycle.
            let from = walk.iter().position(|&w| w == q).unwrap_or(0);
            for &w in &walk[from..] {
                on_cycle[w] = true;
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    let with_transfer = streams.iter().filter(|s| s.transfer.is_some());
    for (s, (it, span)) in with_transfer.zip(at) {
        if !on_cycle[s.queue.index()] || certain[s.queue.index()].is_none() {
            continue;
        }
        let mut path = vec![s.queue];
        let mut q = certain[s.queue.index()];
        while let Some(next) = q.filter(|&next| next != s.queue) {
            path.push(next);
            q = certain[next.index()];
        }
        let names: Vec<String> = path
            .iter()
            .chain(std::iter::once(&s.queue))
            .map(|q| format!("\"{}\"", queues.names[q.index()]))
            .collect();
        return Err(cx
            .err(
                Kind::Inconsistent,
                Some(span.clone()),
                it.path("transfer"),
                format!(
                    "{}: every item is transferred round the cycle {} with probability 1, \
                     so it can never end; expected a probability below 1 somewhere on it",
                    it.label,
                    names.join(" → ")
                ),
            )
            .with_hint("lower one `transfer.probability` of the cycle below 1"));
    }
    Ok(())
}
