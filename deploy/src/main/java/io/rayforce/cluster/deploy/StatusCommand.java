package io.rayforce.cluster.deploy;

import com.google.protobuf.util.JsonFormat;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.DescribeClusterRequest;
import io.rayforce.cluster.coordinator.proto.OperationProgress;
import io.rayforce.cluster.coordinator.proto.ProgressReport;
import io.rayforce.cluster.coordinator.proto.ProgressRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rfc status}: the whole cluster at a glance (or as JSON). */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the cluster: placement epoch, leader, every node with its state, and every table with each "
                + "shard's replicas and their states (not-LIVE replicas are marked with !).")
public final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CoordinatorOptions coordinator;

    @Option(names = "--json", description = "Print the ClusterState message as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try {
            ClusterState s = ControlClient.call(coordinator, "status",
                    stub -> stub.describeCluster(DescribeClusterRequest.getDefaultInstance()));
            spec.commandLine().getOut().print(json ? JsonFormat.printer().print(s) + "\n" : StatusPrinter.cluster(s));
            if (!json) {
                for (OperationProgress p : running()) {
                    spec.commandLine().getOut().println("in progress: " + OperationWatch.summary(p));
                }
            }
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ControlClient.Failure f) {
            return ControlClient.report(spec, f);
        }
    }

    /** The leader's drains, rebalances and repairs still running (none when it cannot say). */
    private List<OperationProgress> running() {
        try {
            ProgressReport r = ControlClient.call(coordinator, "progress", stub -> stub.getProgress(ProgressRequest.getDefaultInstance()));
            return r.getOperationsList().stream().filter(o -> !o.getFinished()).toList();
        } catch (ControlClient.Failure f) {
            return List.of();
        }
    }
}
