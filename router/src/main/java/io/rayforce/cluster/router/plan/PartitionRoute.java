package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Work over the partitions of a shuffle, where they are: runs its {@link Repartition}s one after
 * the other (all partitioned alike: the same partition count and nodes), then sends one request
 * per partition, built from that partition's temporaries (one per input, in input order), to the
 * partition's node. Its value is the list of the answers in partition order, as a {@link Route}'s
 * (so the merges over routes take it). Marked {@code answering} when its answers are the query's
 * rows: each counts against the result limits as it arrives.
 */
public final class PartitionRoute implements Plan {
    /** The request of one partition from its temporaries' names (one per input, in input order). */
    @FunctionalInterface
    public interface PartitionRequest {
        RayValue of(List<String> temporaries);
    }

    private final List<Repartition> inputs;
    private final PartitionRequest request;
    private final String description;
    private final boolean answering;

    public PartitionRoute(List<Repartition> inputs, PartitionRequest request, String description, boolean answering) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a partition route needs a repartition");
        }
        for (Repartition r : inputs) {
            if (!r.nodes().equals(inputs.get(0).nodes())) {
                throw new IllegalArgumentException("the repartitions of a partition route must be partitioned alike");
            }
        }
        this.inputs = List.copyOf(inputs);
        this.request = request;
        this.description = description;
        this.answering = answering;
    }

    /** The repartitions whose partitions it works over. */
    public List<Repartition> repartitions() {
        return inputs;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        List<List<String>> names = new ArrayList<>();
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (Repartition r : inputs) {
            all = all.thenCompose(x -> r.run(ctx, env)).thenAccept(v -> names.add(Repartition.temporaries(v)));
        }
        String step = describe();
        return all.thenCompose(x -> {
            List<NodeInfo> nodes = inputs.get(0).nodes();
            List<CompletableFuture<RayValue>> answers = new ArrayList<>();
            for (int p = 0; p < nodes.size(); p++) {
                List<String> temps = new ArrayList<>();
                for (List<String> n : names) {
                    temps.add(n.get(p));
                }
                answers.add(env.executor().onNode(ctx, nodes.get(p), request.of(temps), step).thenApply(v -> {
                    ctx.admitToRouter(this, step, v);
                    if (answering) {
                        ctx.admitShardAnswer(v);
                    }
                    return v;
                }));
            }
            return Repartition.settleAll(answers).thenApply(y -> {
                List<RayValue> out = new ArrayList<>();
                answers.forEach(a -> out.add(a.join()));
                return (RayValue) RayList.of(out);
            });
        });
    }

    @Override
    public String describe() {
        List<String> on = new ArrayList<>();
        inputs.get(0).nodes().forEach(n -> on.add(n.getId()));
        return "PartitionRoute " + inputs.get(0).partitions() + " partitions on " + String.join(",", on) + ": " + description;
    }

    @Override
    public List<Plan> inputs() {
        return new ArrayList<>(inputs);
    }
}
