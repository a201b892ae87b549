package io.rayforce.cluster.node.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.node.engine.EngineUnavailableException;
import io.rayforce.cluster.node.shard.SchemaMismatchException;
import io.rayforce.cluster.node.shard.ShardCopyException;
import io.rayforce.cluster.node.shard.ShardNotFoundException;

/** Turns the node agent's failures into gRPC statuses with the failure's message. */
final class NodeErrors {
    private NodeErrors() {
    }

    static StatusRuntimeException toStatus(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        Status status;
        if (e instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof EngineUnavailableException) {
            status = Status.UNAVAILABLE;
        } else if (e instanceof ShardNotFoundException) {
            status = Status.NOT_FOUND;
        } else if (e instanceof SchemaMismatchException) {
            status = Status.FAILED_PRECONDITION;
        } else if (e instanceof ShardCopyException c) {
            status = c.sourceUnreachable() ? Status.UNAVAILABLE : Status.ABORTED;
        } else if (e instanceof RayforceEvaluationError ev) {
            return Status.INTERNAL.withDescription("the engine answered error '" + ev.code() + "': " + e.getMessage())
                    .withCause(e).asRuntimeException();
        } else if (e instanceof RayforceTCPError) {
            status = Status.UNAVAILABLE;
        } else {
            status = Status.INTERNAL;
        }
        return status.withDescription(String.valueOf(e.getMessage())).withCause(e).asRuntimeException();
    }
}
