package dev.edgeinfer.edge.consumer;

/**
 * How a delivery mode makes what was written count: {@link TransactionalCommitter} for exactly-once,
 * {@link AcknowledgedCommitter} for at-least-once.
 */
interface Committer {

    /** Before the first write (exactly-once: the producer's transactions are initialised, fencing older instances). */
    void start();

    /** Before the first write after a commit (exactly-once: a transaction begins). */
    void begin();

    /** Makes everything in {@code written} count, its frames' offsets included. */
    void commit(OffsetLedger written);

    /** Gives up what was written since {@link #begin()}; never throws (exactly-once: the transaction is aborted). */
    void abort(String why);
}
