package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.proto.DrainNodeRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeResponse;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rfc node drain ID}: asks the coordinator to move every replica off a node. */
@Command(name = "drain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Drain a node: the coordinator stops placing shards on it and moves its replicas to other nodes "
                + "(each new replica is copied and live before the old one is removed). A node run with "
                + "--exit-when-drained (the default) leaves the cluster and exits once it holds no replica.")
public final class NodeDrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The node to drain.")
    String nodeId;

    @Option(names = "--coordinator", required = true, paramLabel = "HOST:PORT", description = "Any coordinator's gRPC address.")
    String coordinator;

    @Mixin
    AdminAuthOptions auth;

    @Option(names = "--wait", description = "Return only when every replica has left the node, showing the progress.")
    boolean await;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "With --wait: a progress bar on a terminal (auto), always, or plain lines (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--undrain", description = "Clear the draining flag instead: the node takes new shards again.")
    boolean undrain;

    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "How long to wait for the coordinator (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        if (coordinator.lastIndexOf(':') <= 0) {
            System.err.println("invalid --coordinator '" + coordinator + "': use HOST:PORT");
            return 2;
        }
        try {
            String id = OperationWatch.newId("drain");
            DrainNodeRequest req = DrainNodeRequest.newBuilder().setNodeId(nodeId).setWait(await).setUndrain(undrain).setOperationId(id)
                    .build();
            OperationWatch.Call<DrainNodeResponse> call = () -> ControlClient.call(coordinator, timeout, auth, "drain of node " + nodeId,
                    stub -> stub.drainNode(req));
            DrainNodeResponse r = await && !undrain ? OperationWatch.run(coordinator, auth, id, "draining " + nodeId, System.out,
                    ProgressBar.Mode.valueOf(progress.toUpperCase(java.util.Locale.ROOT)), call) : call.call();
            if (undrain) {
                System.out.println("node " + nodeId + " takes new shards again (epoch " + r.getEpoch() + ")");
                return 0;
            }
            System.out.println("node " + nodeId + " is draining: " + r.getReplicasToMove() + " replica(s) to move (epoch "
                    + r.getEpoch() + ")" + (await ? "; done" : ""));
            for (ShardMove m : r.getMovesList()) {
                System.out.println("  " + m.getTable() + "/" + m.getShard() + ": " + m.getFromNode() + " -> " + m.getToNode());
            }
            return 0;
        } catch (ControlClient.Failure f) {
            System.err.println(f.getMessage());
            return ControlClient.FAILED;
        }
    }
}
