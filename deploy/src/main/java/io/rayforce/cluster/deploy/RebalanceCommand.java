package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceResponse;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rfc rebalance}: even out replicas across the nodes (for example after nodes joined). */
@Command(name = "rebalance", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Move replicas so every table, and every node's total, is spread evenly over the nodes that take "
                + "shards. Each move copies the new replica and makes it LIVE before the old one is dropped.")
public final class RebalanceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CoordinatorOptions coordinator;

    @Option(names = "--dry-run", description = "Only show the moves.")
    boolean dryRun;

    @Option(names = "--wait", description = "Return only when every move is done, showing its progress.")
    boolean await;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "With --wait: a progress bar on a terminal (auto), always, or plain lines (default: ${DEFAULT-VALUE}).")
    String progress;

    @Override
    public Integer call() throws Exception {
        try {
            String id = OperationWatch.newId("rebalance");
            RebalanceRequest req = RebalanceRequest.newBuilder().setDryRun(dryRun).setWait(await).setOperationId(id).build();
            OperationWatch.Call<RebalanceResponse> call = () -> ControlClient.call(coordinator, "rebalance", stub -> stub.rebalance(req));
            RebalanceResponse r = await && !dryRun ? OperationWatch.run(coordinator.address, coordinator.auth, id, "rebalancing", System.out,
                    ProgressBar.Mode.valueOf(progress.toUpperCase(java.util.Locale.ROOT)), call) : call.call();
            PrintWriter out = spec.commandLine().getOut();
            if (r.getMovesCount() == 0) {
                out.println("balanced: nothing to move (epoch " + r.getEpoch() + ")");
            } else {
                out.println((dryRun ? "would move " : await ? "moved " : "moving ") + r.getMovesCount() + " replica(s) (epoch "
                        + r.getEpoch() + "):");
                out.print(StatusPrinter.moves(r.getMovesList()));
            }
            out.flush();
            return 0;
        } catch (ControlClient.Failure f) {
            return ControlClient.report(spec, f);
        }
    }
}
