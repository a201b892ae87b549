package io.rayforce.cluster.router.write;

import io.micrometer.core.instrument.Metrics;
import io.rayforce.cluster.router.services.ControlPlane;
import io.rayforce.cluster.router.services.ControlPlaneError;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a write may be acknowledged (docs/architecture.md, Writes): every replica
 * applied it or was marked STALE by the leader, and at least one replica of each shard applied
 * it. Failed replicas of shards that did apply are reported to the coordinator before the
 * answer; the leader answers once every router has stopped reading them. The outcomes are counted
 * ({@code rfc.write.replicas}, {@code rfc.write.acks}, {@code rfc.write.replicas.stale}).
 */
final class Acknowledgement {
    private static final Logger log = LoggerFactory.getLogger(Acknowledgement.class);

    private final ControlPlane control;

    Acknowledgement(ControlPlane control) {
        this.control = control;
    }

    /** The verdict on a write's shards. */
    record Verdict(List<ShardOutcome> applied, List<ShardOutcome> notApplied, List<String> unreported) {

        boolean acknowledged() {
            return notApplied.isEmpty() && unreported.isEmpty();
        }

        /** Why the write is not acknowledged, for the error message. */
        String reasons() {
            List<String> parts = new ArrayList<>();
            for (ShardOutcome s : notApplied) {
                parts.add(s.replicas().isEmpty()
                        ? s.name() + " has no writable replica" + (s.unwritable().isEmpty() ? "" : " (" + s.unwritable() + ")")
                        : "no replica of " + s.name() + " applied it (" + s.replicas().stream().map(ReplicaOutcome::toString)
                                .collect(Collectors.joining("; ")) + ")");
            }
            parts.addAll(unreported);
            return String.join("; ", parts);
        }

        /**
         * A caveat when a replica of a shard that did not apply the write lost its connection
         * after the request was sent: that replica may have journaled it, so it may still appear.
         */
        String uncertainty() {
            List<String> nodes = new ArrayList<>();
            for (ShardOutcome s : notApplied) {
                for (ReplicaOutcome r : s.replicas()) {
                    if (r.uncertain()) {
                        nodes.add(r.nodeId() + " (" + s.name() + ")");
                    }
                }
            }
            return nodes.isEmpty() ? "" : "; the connection to " + String.join(", ", nodes) + " broke after the request "
                    + "was sent, so that replica may have applied it and its rows may still appear";
        }

        List<Integer> appliedShards() {
            return applied.stream().map(ShardOutcome::shard).toList();
        }
    }

    /** Reports the failed replicas of shards that applied the write, and gives the verdict. */
    Verdict settle(long epoch, List<ShardOutcome> outcomes) {
        List<ShardOutcome> applied = new ArrayList<>();
        List<ShardOutcome> notApplied = new ArrayList<>();
        List<String> unreported = new ArrayList<>();
        for (ShardOutcome s : outcomes) {
            if (!s.anyApplied()) {
                notApplied.add(s);
                continue;
            }
            applied.add(s);
            for (ReplicaOutcome r : s.failed()) {
                String problem = report(s, r, epoch);
                if (problem != null) {
                    unreported.add(problem);
                }
            }
        }
        Verdict verdict = new Verdict(applied, notApplied, unreported);
        count(outcomes, verdict);
        return verdict;
    }

    /**
     * {@code rfc.write.replicas{outcome}}: each replica's part in a write ({@code applied},
     * {@code failed}); {@code rfc.write.acks{outcome}}: each write's verdict ({@code acknowledged},
     * {@code refused}).
     */
    private static void count(List<ShardOutcome> outcomes, Verdict verdict) {
        long ok = 0;
        long failed = 0;
        for (ShardOutcome s : outcomes) {
            for (ReplicaOutcome r : s.replicas()) {
                if (r.ok()) {
                    ok++;
                } else {
                    failed++;
                }
            }
        }
        Metrics.counter("rfc.write.replicas", "outcome", "applied").increment(ok);
        Metrics.counter("rfc.write.replicas", "outcome", "failed").increment(failed);
        countVerdict(verdict.acknowledged());
    }

    /** {@code rfc.write.acks{outcome}}: one write's verdict. */
    static void countVerdict(boolean acknowledged) {
        Metrics.counter("rfc.write.acks", "outcome", acknowledged ? "acknowledged" : "refused").increment();
    }

    /** Marks a replica that missed a write STALE; returns why that failed, or null. */
    String report(ShardOutcome s, ReplicaOutcome r, long epoch) {
        try {
            List<String> applied = s.replicas().stream().filter(ReplicaOutcome::ok).map(ReplicaOutcome::nodeId).toList();
            long at = control.reportReplicaFailure(s.table(), s.shard(), r.nodeId(), epoch, r.failure(), applied);
            log.info("replica of {} on {} failed a write ({}); marked not LIVE at epoch {}", s.name(), r.nodeId(), r.failure(), at);
            Metrics.counter("rfc.write.replicas.stale").increment();
            return null;
        } catch (ControlPlaneError e) {
            if (e.status().equals("NOT_FOUND") || (e.status().equals("INVALID_ARGUMENT")
                    && e.getMessage() != null && e.getMessage().contains("has no replica on node"))) {
                // the replica (or its table) is no longer in the placement: nothing can read it
                return null;
            }
            return "the replica of " + s.name() + " on " + r.nodeId() + " missed it (" + r.failure()
                    + ") and could not be marked STALE: " + e.getMessage();
        } catch (RuntimeException e) {
            return "the replica of " + s.name() + " on " + r.nodeId() + " missed it (" + r.failure()
                    + ") and could not be marked STALE: " + e;
        }
    }
}
