package io.rayforce.cluster.coordinator.store;

/**
 * A writer's intent is no longer its own: its owner znode (and with it the writer's ZooKeeper
 * session) is gone, or the intent was recovered by someone else.
 */
public class IntentLostException extends RuntimeException {
    public IntentLostException(String message) {
        super(message);
    }
}
