package io.rayforce.cluster.node.engine;

/** Where a supervised engine is in its life. */
public enum EngineState {
    /** Not started yet. */
    NEW,
    /** Running and answering. */
    UP,
    /** Died, hung or failed to start; a restart is scheduled. */
    DOWN,
    /** Stopped on purpose; never restarted. */
    STOPPED
}
