package io.rayforce.cluster.node.engine;

/**
 * A supervised engine as of one moment.
 *
 * @param state        up, down (restarting) or stopped
 * @param pid          the engine process id while it runs, else -1
 * @param version      the engine's version from {@code (.sys.build)}, empty until first known
 * @param restarts     how many times the engine was restarted after dying or hanging
 * @param lastProblem  why it last went down, empty when it never did
 */
public record EngineStatus(EngineState state, long pid, String version, int restarts, String lastProblem) {
    public boolean up() {
        return state == EngineState.UP;
    }
}
