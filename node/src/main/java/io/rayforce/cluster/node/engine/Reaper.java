package io.rayforce.cluster.node.engine;

import io.rayforce.cluster.client.engine.NativeServer;

/** Stops an engine process and waits until it is reaped, also on an interrupted thread. */
public final class Reaper {
    private Reaper() {
    }

    /**
     * SIGTERM (then SIGKILL after 5 s, as {@link NativeServer#close()}), then waits for the exit.
     * The thread's interrupt flag is cleared for the wait and set again afterwards, so an
     * interrupted caller still leaves no process (and no bound port) behind.
     */
    public static void stop(NativeServer server) {
        boolean interrupted = Thread.interrupted();
        try {
            server.close();
            while (server.isAlive()) {
                try {
                    server.process().waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
