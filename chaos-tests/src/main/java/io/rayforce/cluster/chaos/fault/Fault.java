package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;

/**
 * One fault injected into a running cluster and later healed. A fault picks its target when it
 * is injected (for example the ZooKeeper leader of that moment) and remembers it for healing.
 * Faults combine with {@link Faults#combined}.
 */
public interface Fault {
    /** A short name for reports and file names, e.g. {@code kill-node}. */
    String name();

    /** What it does, in words, with its target once injected. */
    String description();

    void inject(DockerCluster cluster);

    /**
     * Checks that the fault is in force right after {@link #inject}: empty when it is, else what is
     * wrong (a fault that silently did nothing would make a run prove nothing).
     */
    java.util.Optional<String> notInForce(DockerCluster cluster);

    /** Ends the fault: restarts, resumes or reconnects what it broke. */
    void heal(DockerCluster cluster);

    /**
     * Whether the fault ends by itself once injected (a restart) or is a change carried out while
     * it is injected (a topology change): the run then does not hold it for the fault window.
     */
    default boolean instantaneous() {
        return false;
    }
}
