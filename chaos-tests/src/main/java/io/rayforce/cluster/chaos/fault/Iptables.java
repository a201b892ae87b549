package io.rayforce.cluster.chaos.fault;

import io.rayforce.cluster.chaos.cluster.DockerCluster;
import java.util.List;

/**
 * iptables rules inside one container, tagged with a comment per fault so that faults combine and
 * each heal removes only its own rules.
 */
final class Iptables {
    private Iptables() {
    }

    /** Drops every packet between {@code member} and each of {@code peerIps}, both ways. */
    static void dropPeers(DockerCluster cluster, String member, List<String> peerIps, String tag) {
        StringBuilder script = new StringBuilder("set -e; ");
        for (String ip : peerIps) {
            script.append("iptables -I INPUT -s ").append(ip).append(" -m comment --comment ").append(tag).append(" -j DROP; ")
                    .append("iptables -I OUTPUT -d ").append(ip).append(" -m comment --comment ").append(tag).append(" -j DROP; ");
        }
        cluster.asRoot(member, script.toString());
    }

    /** Drops every packet on the container's network interface (loopback keeps working). */
    static void dropAll(DockerCluster cluster, String member, String tag) {
        cluster.asRoot(member, "set -e; iptables -I INPUT -i eth0 -m comment --comment " + tag + " -j DROP; "
                + "iptables -I OUTPUT -o eth0 -m comment --comment " + tag + " -j DROP");
    }

    /** Drops a random share of the packets on the container's network interface, both ways. */
    static void dropRandom(DockerCluster cluster, String member, double probability, String tag) {
        String p = String.valueOf(probability);
        cluster.asRoot(member, "set -e; iptables -I INPUT -i eth0 -m statistic --mode random --probability " + p
                + " -m comment --comment " + tag + " -j DROP; iptables -I OUTPUT -o eth0 -m statistic --mode random --probability "
                + p + " -m comment --comment " + tag + " -j DROP");
    }

    /** Whether {@code member} can open a TCP connection to {@code ipSlashPort} (e.g. {@code 172.18.0.2/2181}) within 3 s. */
    static boolean reaches(DockerCluster cluster, String member, String ipSlashPort) {
        return io.rayforce.cluster.chaos.docker.RootShell.tryRun(cluster.containerId(member),
                "timeout 3 bash -c 'exec 3<>/dev/tcp/" + ipSlashPort + "'").exitCode() == 0;
    }

    /** Removes the rules tagged {@code tag}. */
    static void remove(DockerCluster cluster, String member, String tag) {
        cluster.asRoot(member, "iptables-save | grep -v -- '--comment " + tag + "' | iptables-restore");
    }
}
