package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;
import io.rayforce.cluster.chaos.cluster.Role;
import io.rayforce.cluster.chaos.docker.RootShell;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the leader coordinator: the participant of the coordinators' Curator LeaderLatch
 * ({@code /rayforce-cluster/<cluster>/leader}) with the lowest sequence number, read with
 * ZooKeeper's own command-line client (in rfc.jar) inside a ZooKeeper container. Each participant
 * takes part under its advertised {@code host:port}, and the host is the member's name.
 */
public final class CoordinatorLeader {
    private static final Pattern LATCH = Pattern.compile("[A-Za-z0-9_\\-]*latch-(\\d{10})");

    private CoordinatorLeader() {
    }

    public static String find(DockerCluster c) {
        String path = "/rayforce-cluster/" + c.spec().clusterName() + "/leader";
        String zk = c.members(Role.ZOOKEEPER).stream().filter(c::running).findFirst()
                .orElseThrow(() -> new IllegalStateException("no ZooKeeper member runs"));
        String children = zkCli(c, zk, "ls " + path);
        Matcher m = LATCH.matcher(children);
        List<String[]> latches = new java.util.ArrayList<>();
        while (m.find()) {
            latches.add(new String[] {m.group(), m.group(1)});
        }
        String first = latches.stream().min(Comparator.comparing(a -> a[1]))
                .orElseThrow(() -> new IllegalStateException("no coordinator takes part in the leader latch at " + path + ": " + children))[0];
        String data = zkCli(c, zk, "get " + path + "/" + first);
        for (String coord : c.members(Role.COORDINATOR)) {
            if (Pattern.compile("\\b" + Pattern.quote(coord) + "\\b").matcher(data).find()) {
                return coord;
            }
        }
        throw new IllegalStateException("the leader latch names no known coordinator: " + data);
    }

    private static String zkCli(DockerCluster c, String zk, String command) {
        return RootShell.run(c.containerId(zk), "java -Xmx64m -cp /opt/rfc/rfc.jar org.apache.zookeeper.ZooKeeperMain "
                + "-server 127.0.0.1:2181 " + command + " 2>&1");
    }
}
