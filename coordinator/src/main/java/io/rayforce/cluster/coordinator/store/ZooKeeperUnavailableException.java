package io.rayforce.cluster.coordinator.store;

/** ZooKeeper could not be reached, or an operation on it did not finish in time. */
public class ZooKeeperUnavailableException extends RuntimeException {
    public ZooKeeperUnavailableException(String message) {
        super(message);
    }

    public ZooKeeperUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
