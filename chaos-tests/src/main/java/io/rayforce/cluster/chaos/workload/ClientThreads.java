package io.rayforce.cluster.chaos.workload;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A workload's client threads (daemons): started one by one, stopped together. Guarded by its owner. */
final class ClientThreads {
    private static final Logger log = LoggerFactory.getLogger(ClientThreads.class);
    private final List<Thread> threads = new ArrayList<>();

    /** Starts a thread named {@code name} running {@code body}. */
    void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /**
     * Waits for every thread to end (they have been told to stop), at most 60 s each; one still
     * running then is interrupted.
     */
    void join() {
        for (Thread t : threads) {
            try {
                t.join(60_000);
                if (t.isAlive()) {
                    log.warn("{} did not stop within 60 s", t.getName());
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }
}
