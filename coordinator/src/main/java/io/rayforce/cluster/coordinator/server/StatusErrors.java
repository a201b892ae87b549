package io.rayforce.cluster.coordinator.server;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.store.FencedException;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.NodeCommands.NodeCommandException;
import io.rayforce.cluster.coordinator.store.PlacementConflictException;
import io.rayforce.cluster.coordinator.store.TableExistsException;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import java.util.concurrent.TimeoutException;

/** Maps what went wrong to the gRPC status a client sees, keeping the message. */
final class StatusErrors {
    private StatusErrors() {
    }

    static StatusException toStatus(Throwable e) {
        if (e instanceof StatusException se) {
            return se;
        }
        if (e instanceof StatusRuntimeException sre) {
            return sre.getStatus().withDescription(sre.getStatus().getDescription()).asException(sre.getTrailers());
        }
        Status status;
        if (e instanceof InvalidSpecException || e instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof NoSuchTableException || e instanceof NotFoundException) {
            status = Status.NOT_FOUND;
        } else if (e instanceof TableExistsException) {
            status = Status.ALREADY_EXISTS;
        } else if (e instanceof PlacementException) {
            status = Status.FAILED_PRECONDITION;
        } else if (e instanceof FencedException || e instanceof ZooKeeperUnavailableException || e instanceof NodeCommandException) {
            status = Status.UNAVAILABLE;
        } else if (e instanceof PlacementConflictException) {
            status = Status.ABORTED;
        } else if (e instanceof TimeoutException) {
            status = Status.DEADLINE_EXCEEDED;
        } else if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            status = Status.CANCELLED;
        } else {
            status = Status.INTERNAL;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return status.withDescription(message).withCause(e).asException();
    }
}
