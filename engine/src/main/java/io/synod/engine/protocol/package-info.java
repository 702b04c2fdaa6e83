/**
 * The protocol core: Multi-Paxos as pure state machines (leader, acceptor, learner), with no clock,
 * thread, I/O or randomness of their own.
 *
 * <h2>Client sessions, per-client FIFO and true acknowledgements</h2>
 *
 * <b>Sessions are log entries.</b> Opening, closing and expiring a client's session are entries of
 * the batch format ({@link io.synod.engine.protocol.BatchDescriptor#SESSION_OPEN},
 * {@code SESSION_CLOSE}, {@code SESSION_EXPIRE}), proposed by the leader like commands: an open when
 * a client asks the leader for a session, a close when the client says goodbye, an expiry when the
 * leader's clock says the client went quiet for the session timeout. The leader's clock decides,
 * the log records the decision, and learners never read a clock. Every learner applies the same
 * entries at the same slots, so {@link io.synod.engine.protocol.SessionTable}, which holds the open
 * sessions and the last sequence applied for each, is a function of the log prefix alone: every
 * replica has the same table after slot s, and a replica that replays its log after a restart
 * rebuilds it exactly. A close or expiry frees the session's entry at that slot everywhere; an open
 * that finds the table full is refused at that slot everywhere, and the client hears
 * {@code TOO_MANY_SESSIONS}: nobody is admitted untracked. An open of a session that is already open
 * changes nothing and answers its last applied sequence, which is how a client restarted with a
 * known id resumes after what the cluster applied instead of being acknowledged and skipped.
 *
 * <p><b>Per-client FIFO is decided by every learner.</b> A command {@code (K, s)} in a delivered slot
 * is applied iff session K is open and {@code s == lastApplied(K) + 1}. A lower {@code s} is a
 * duplicate (applied before, skipped now); a higher one is a gap (an earlier sequence is missing:
 * skipped, and the client sends again from its oldest unacknowledged command); a command of a
 * session that is not open is skipped as {@code UNKNOWN_SESSION}. The decision reads only the table
 * and the command, both functions of the log, so every replica decides the same for every copy.
 * Sequences applied are therefore strictly increasing without gaps per client, whatever order
 * leader changes, resends and deposed leaders put copies into the log in. This is what makes issue
 * 10's scenario 3 safe: a deposed leader that slots K/1025 below K/1 only adds a gap copy; K/1 is
 * applied where it lies, and 1025 later, after 2..1024.
 *
 * <p>The leader adds an admission check ({@code Leader.isAdmissible}, one call per command, also
 * for a batch ingress path): once this leadership knows where a client stands (its own learner
 * applied the client's commands while it leads), it refuses {@code n} before {@code n - 1} and
 * answers {@code GAP}, so that a client's commands do not pile up unapplied behind a lost one.
 * Correctness does not rest on it: it keeps junk out of the log, the learners keep the order.
 * A session-open request sets no mark (it may be a late copy, and a mark below the client's real
 * position would refuse its next command for good).
 *
 * <p><b>Acknowledgements come from the outcome, not from "chosen".</b> A chosen slot says only that
 * the slot's value is fixed, not whether a command in it will be applied (it may be a duplicate or
 * sit behind a gap). So learners answer, after deciding: {@code OK} with the slot where the run of
 * the client's consecutive sequences was applied, {@code DUPLICATE} for copies skipped because they
 * were applied before (the slot named is the skipped copy's; the command was applied once, earlier
 * in the log or earlier in that slot), {@code GAP} and {@code UNKNOWN_SESSION} for copies not
 * applied. Every learner computes the same answer, so any one may send it; the runtime forwards its
 * own learner's answers from the member that currently leads (the one the client talks to), through
 * the leader ring, as range acks (one ClientAck per run of consecutive sequences of one client with
 * one outcome in one slot). An {@code OK} therefore means: applied exactly once, in this client's
 * order, at this slot, on every replica that delivers the slot.
 *
 * <p>What this does not promise: after a session closes or expires its table entry is gone, so a
 * command of the old session still in flight then is not known to have been applied; the client
 * learns {@code UNKNOWN_SESSION}, opens a new session at its oldest unacknowledged sequence, and may
 * see such a command applied twice across the two sessions (as with any session-based exactly-once).
 * A client restarted with a known id after its session expired starts a new session at sequence 1.
 */
package io.synod.engine.protocol;
