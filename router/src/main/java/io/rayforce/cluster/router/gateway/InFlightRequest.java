package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.RawFrame;

/**
 * One request of a connection, from arrival until its answer is written, and its cancellation.
 * Cancelling a request that is being evaluated interrupts the worker thread evaluating it (the
 * cluster client then cancels the query's shard work); the interrupt can only land between
 * {@link #begin()} and {@link #end()}, so it never leaks into the worker's next task.
 */
final class InFlightRequest {
    private final RawFrame frame;
    private Thread worker;
    private String cancelReason;
    private boolean uncancellable;

    InFlightRequest(RawFrame frame) {
        this.frame = frame;
    }

    RawFrame frame() {
        return frame;
    }

    /** Whether the client waits for an answer. */
    boolean sync() {
        return frame.header().type() == MessageType.SYNC;
    }

    boolean verbose() {
        return (frame.header().flags() & ResponseFrames.FLAG_VERBOSE) != 0;
    }

    int bytes() {
        return frame.payload().length;
    }

    /** Marks the calling thread as evaluating this request; false when it was cancelled before it started. */
    synchronized boolean begin() {
        if (cancelReason != null) {
            return false;
        }
        worker = Thread.currentThread();
        return true;
    }

    /** The evaluation is over: no interrupt can reach the worker after this returns. */
    synchronized void end() {
        worker = null;
        Thread.interrupted();
    }

    /**
     * From now on cancels are ignored (a write runs to completion); false when the request was
     * already cancelled, and must then not start.
     */
    synchronized boolean makeUncancellable() {
        if (cancelReason != null) {
            return false;
        }
        uncancellable = true;
        return true;
    }

    /** Cancels the request (the first reason wins) and interrupts its evaluation, unless it is a write under way. */
    synchronized void cancel(String reason) {
        if (uncancellable) {
            return;
        }
        if (cancelReason == null) {
            cancelReason = reason;
        }
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** Cancels the request as {@link #cancel} does; false when it is a write under way (which runs to completion). */
    synchronized boolean tryCancel(String reason) {
        cancel(reason);
        return cancelReason != null;
    }

    synchronized String cancelReason() {
        return cancelReason;
    }
}
