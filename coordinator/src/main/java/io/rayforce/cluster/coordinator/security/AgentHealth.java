package io.rayforce.cluster.coordinator.security;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The standard gRPC health check of a member (a node agent), as the code of its outcome: OK when
 * it answered (SERVING or not, or UNIMPLEMENTED: an answer all the same), DEADLINE_EXCEEDED when
 * nothing came back in time, UNAVAILABLE when no connection could be made. Callers decide what
 * each means to them (a copy's target must answer; a router's probe ignores an unreachable port).
 */
public final class AgentHealth {
    private AgentHealth() {
    }

    public static Status.Code check(ManagedChannel channel, Duration within) {
        try {
            HealthGrpc.newBlockingStub(channel).withDeadlineAfter(within.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            Status.Code c = e.getStatus().getCode();
            return c == Status.Code.DEADLINE_EXCEEDED || c == Status.Code.UNAVAILABLE ? c : Status.Code.OK;
        }
    }
}
