package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;
import io.rayforce.cluster.chaos.cluster.Role;
import io.rayforce.cluster.chaos.workload.JavaGatewayClient;
import io.rayforce.cluster.chaos.workload.Reply;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Finds the leader coordinator by asking the cluster: {@code (.cluster.status)} through the
 * gateway answers a dict whose {@code leader} is the leader's advertised {@code host:port}, and
 * the host is the member's name on the private network. Retries for a while, since right after
 * an election the answer may name no leader yet.
 */
public final class CoordinatorLeader {
    private CoordinatorLeader() {
    }

    public static String find(DockerCluster c) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try (JavaGatewayClient client = new JavaGatewayClient(c.gatewayAddresses(), Duration.ofSeconds(10))) {
                Reply r = client.execute("(.cluster.status)");
                if (r.ok() && r.value() instanceof RayDict status) {
                    RayValue leader = status.get("leader");
                    String name = leader instanceof Symbol s ? s.name() : String.valueOf(leader);
                    for (String coord : c.members(Role.COORDINATOR)) {
                        if (Pattern.compile("\\b" + Pattern.quote(coord) + "\\b").matcher(name).find()) {
                            return coord;
                        }
                    }
                    last = "(.cluster.status) names leader '" + name + "'";
                } else {
                    last = r.ok() ? "(.cluster.status) answered " + r.value() : r.error();
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("cannot tell which coordinator leads: " + last);
    }
}
