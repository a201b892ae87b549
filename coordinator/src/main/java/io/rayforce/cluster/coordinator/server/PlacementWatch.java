package io.rayforce.cluster.coordinator.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One {@code WatchPlacement} stream: the current state, then the state after every change
 * (new epochs and membership changes), once the epoch exceeds the client's {@code after_epoch}.
 * A slow client gets the latest state, not every intermediate one (flow control).
 */
final class PlacementWatch {
    private final Coordinator coordinator;
    private final long afterEpoch;
    private final ServerCallStreamObserver<ClusterState> out;
    private final AtomicReference<ClusterSnapshot> pending = new AtomicReference<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Consumer<ClusterSnapshot> listener = this::offer;
    private volatile ClusterSnapshot lastSent;
    private volatile boolean done;

    PlacementWatch(Coordinator coordinator, long afterEpoch, ServerCallStreamObserver<ClusterState> out) {
        this.coordinator = coordinator;
        this.afterEpoch = afterEpoch;
        this.out = out;
    }

    void start() {
        out.setOnCancelHandler(this::stop);
        out.setOnReadyHandler(this::drain);
        coordinator.view().addListener(listener);
        offer(coordinator.view().snapshot());
    }

    private void stop() {
        done = true;
        coordinator.view().removeListener(listener);
    }

    private void offer(ClusterSnapshot snap) {
        if (done || snap.epoch() <= afterEpoch) {
            return;
        }
        pending.set(snap);
        drain();
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            while (!done && out.isReady()) {
                ClusterSnapshot next = pending.getAndSet(null);
                if (next == null) {
                    break;
                }
                if (next == lastSent) {
                    continue;
                }
                lastSent = next;
                out.onNext(next.state().toBuilder().setLeader(coordinator.recentLeaderAddress()).build());
            }
        } catch (RuntimeException e) {
            stop();
        } finally {
            draining.set(false);
        }
        if (!done && pending.get() != null && out.isReady()) {
            drain();
        }
    }
}
