package io.rayforce.cluster.chaos.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.rayforce.cluster.chaos.docker.RootShell;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * A whole cluster in Docker containers on a private network: the ZooKeeper ensemble, the
 * coordinators, the nodes and the gateway, each a container of the cluster image running one
 * role as the unprivileged user, with NET_ADMIN so faults can use iptables and tc inside it.
 * Members are named by their network alias ({@code zk1}, {@code coord1}, {@code node1},
 * {@code gateway1}, {@code lb}); each gateway's IPC port, and HAProxy's in front of them, is
 * published on 127.0.0.1 at a fixed port that survives restarts. Every container and the network carry the label {@code rfc.chaos}, and
 * {@link #close()} removes them all (with their volumes); {@link #sweepLeftovers()} removes what
 * a killed test JVM left behind, since Ryuk (Testcontainers' reaper) is not used.
 */
public final class DockerCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerCluster.class);
    /** The label on every container and network this suite makes. */
    public static final String LABEL = "rfc.chaos";
    /** The label naming the process (pid) of the test JVM that made it: leftovers are what dead JVMs made. */
    public static final String OWNER = "rfc.chaos.pid";
    /** This JVM's labels for what it makes. */
    public static Map<String, String> labels(String runId) {
        return Map.of(LABEL, runId, OWNER, String.valueOf(ProcessHandle.current().pid()));
    }

    private final ClusterSpec spec;
    private final RoleCommands commands;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final Network network;
    private final Map<String, GenericContainer<?>> members = new LinkedHashMap<>();
    private final Map<String, Role> roles = new LinkedHashMap<>();
    /** The host port of each published member (the gateways and HAProxy). */
    private final Map<String, Integer> hostPorts = new LinkedHashMap<>();
    /** Aliases of members removed for good: never used again (a node's id is its alias). */
    private final java.util.Set<String> removed = new java.util.HashSet<>();
    private final Thread shutdownHook = new Thread(this::close, "chaos-cluster-cleanup");
    private boolean closed;

    private DockerCluster(ClusterSpec spec) {
        this.spec = spec;
        this.commands = new RoleCommands(spec);
        for (int i = 1; i <= spec.gateways(); i++) {
            hostPorts.put(RoleCommands.alias(Role.GATEWAY, i), freePort());
        }
        hostPorts.put(RoleCommands.alias(Role.LOAD_BALANCER, 1), freePort());
        this.network = Network.builder()
                .createNetworkCmdModifier(cmd -> cmd.withName("rfc-chaos-" + runId).withLabels(labels(runId)))
                .build();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts every member and waits until each one's health check passes; on failure removes what it made. */
    public static DockerCluster start(ClusterSpec spec, Duration timeout) {
        sweepLeftovers();
        DockerCluster cluster = new DockerCluster(spec);
        try {
            cluster.startRole(Role.ZOOKEEPER, spec.zooKeepers(), timeout);
            cluster.startRole(Role.COORDINATOR, spec.coordinators(), timeout);
            cluster.startRole(Role.NODE, spec.nodes(), timeout);
            cluster.startRole(Role.GATEWAY, spec.gateways(), timeout);
            cluster.startRole(Role.LOAD_BALANCER, 1, timeout);
            return cluster;
        } catch (RuntimeException e) {
            cluster.saveLogs(Path.of(System.getProperty("chaos.reportDir", "target/chaos"), "logs-failed-start"));
            cluster.close();
            throw new IllegalStateException("the cluster did not start: " + e.getMessage(), e);
        }
    }

    private void startRole(Role role, int count, Duration timeout) {
        List<GenericContainer<?>> started = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String alias = RoleCommands.alias(role, i);
            GenericContainer<?> c = container(role, i, alias, timeout);
            members.put(alias, c);
            roles.put(alias, role);
            started.add(c);
        }
        log.info("starting {}", started.stream().map(c -> c.getNetworkAliases().get(c.getNetworkAliases().size() - 1))
                .collect(Collectors.joining(", ")));
        Startables.deepStart(started).join();
    }

    @SuppressWarnings("resource")
    private GenericContainer<?> container(Role role, int i, String alias, Duration timeout) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(spec.image()))
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withLabels(labels(runId))
                .withEnv(commands.environment(role, i))
                .withCommand(commands.command(role, i).toArray(String[]::new))
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(timeout));
        Integer hostPort = hostPorts.get(alias);
        c.withCreateContainerCmdModifier(cmd -> {
            cmd.withName("rfc-chaos-" + runId + "-" + alias).withHostName(alias);
            cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN);
            if (hostPort != null) {
                cmd.withExposedPorts(ExposedPort.tcp(RoleCommands.GATEWAY_PORT));
                cmd.getHostConfig().withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
                        ExposedPort.tcp(RoleCommands.GATEWAY_PORT)));
            }
        });
        return c;
    }

    public ClusterSpec spec() {
        return spec;
    }

    /** The addresses on 127.0.0.1 ({@code host:port}) where the gateways speak Rayforce IPC, in order. */
    public List<String> gatewayAddresses() {
        return members(Role.GATEWAY).stream().map(g -> "127.0.0.1:" + hostPorts.get(g)).toList();
    }

    /** The port on 127.0.0.1 where HAProxy, in front of the gateways, speaks Rayforce IPC (for clients without failover). */
    public int loadBalancerPort() {
        return hostPorts.get(RoleCommands.alias(Role.LOAD_BALANCER, 1));
    }

    /**
     * Starts one more node (a node joining the cluster) under the next free alias, and waits for
     * its health check; it is a member like the others until {@link #remove}d.
     */
    public synchronized String addNode(Duration timeout) {
        int i = (int) roles.keySet().stream().filter(m -> m.startsWith("node")).count() + 1;
        while (members.containsKey(RoleCommands.alias(Role.NODE, i)) || removed.contains(RoleCommands.alias(Role.NODE, i))) {
            i++;
        }
        String alias = RoleCommands.alias(Role.NODE, i);
        GenericContainer<?> c = container(Role.NODE, i, alias, timeout);
        members.put(alias, c);
        roles.put(alias, Role.NODE);
        log.info("starting {}", alias);
        c.start();
        return alias;
    }

    /** Stops and removes a member's container and volume for good (a node that left the cluster). */
    public synchronized void remove(String member) {
        GenericContainer<?> c = members.remove(member);
        roles.remove(member);
        removed.add(member);
        if (c != null) {
            c.stop();
        }
    }

    /** Every member, in start order. */
    public List<String> members() {
        return List.copyOf(members.keySet());
    }

    /** The members of one role. */
    public List<String> members(Role role) {
        return roles.entrySet().stream().filter(e -> e.getValue() == role).map(Map.Entry::getKey).toList();
    }

    public String containerId(String member) {
        GenericContainer<?> c = members.get(member);
        if (c == null) {
            throw new IllegalArgumentException("no member " + member + " (members: " + members.keySet() + ")");
        }
        return c.getContainerId();
    }

    /** The member's address on the private network. */
    public String ipAddress(String member) {
        InspectContainerResponse r = docker().inspectContainerCmd(containerId(member)).exec();
        return r.getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /** {@code docker kill -s KILL}: the member's processes die at once, its container and volume stay. */
    public void kill(String member) {
        docker().killContainerCmd(containerId(member)).withSignal("KILL").exec();
    }

    /** {@code docker start} after a kill; the member keeps its data volume and its network alias. */
    public void startAgain(String member) {
        docker().startContainerCmd(containerId(member)).exec();
    }

    /** {@code docker restart}: SIGTERM (a clean stop), then start. */
    public void restart(String member) {
        docker().restartContainerCmd(containerId(member)).withTimeout(20).exec();
    }

    /** {@code docker pause}: every process of the member is frozen (SIGSTOP-like, through the cgroup freezer). */
    public void pause(String member) {
        docker().pauseContainerCmd(containerId(member)).exec();
    }

    public void unpause(String member) {
        docker().unpauseContainerCmd(containerId(member)).exec();
    }

    public boolean running(String member) {
        InspectContainerResponse.ContainerState s = docker().inspectContainerCmd(containerId(member)).exec().getState();
        return Boolean.TRUE.equals(s.getRunning()) && !Boolean.TRUE.equals(s.getPaused());
    }

    public boolean paused(String member) {
        return Boolean.TRUE.equals(docker().inspectContainerCmd(containerId(member)).exec().getState().getPaused());
    }

    /** When the member's container last started (docker's StartedAt). */
    public String startedAt(String member) {
        return docker().inspectContainerCmd(containerId(member)).exec().getState().getStartedAt();
    }

    /** The health status docker reports: healthy, unhealthy, starting, or "stopped". */
    public String health(String member) {
        InspectContainerResponse.ContainerState s = docker().inspectContainerCmd(containerId(member)).exec().getState();
        if (!Boolean.TRUE.equals(s.getRunning())) {
            return "stopped";
        }
        return s.getHealth() == null ? "none" : s.getHealth().getStatus();
    }

    /** Runs a shell script as root inside the member (iptables, tc). */
    public String asRoot(String member, String script) {
        return RootShell.run(containerId(member), script);
    }

    /** The ZooKeeper member that leads the ensemble now (asked with the "srvr" command), or null. */
    public String zooKeeperLeader() {
        for (String zk : members(Role.ZOOKEEPER)) {
            if (!running(zk)) {
                continue;
            }
            RootShell.Result r = RootShell.tryRun(containerId(zk),
                    "exec 3<>/dev/tcp/127.0.0.1/" + RoleCommands.ZK_CLIENT_PORT + "; printf srvr >&3; cat <&3");
            if (r.output().contains("Mode: leader") || r.output().contains("Mode: standalone")) {
                return zk;
            }
        }
        return null;
    }

    /** Brings every member back to running and healthy (after faults), within {@code timeout}. */
    public void awaitAllHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String m : members()) {
            if (paused(m)) {
                unpause(m);
            }
            if (health(m).equals("stopped")) {
                startAgain(m);
            }
        }
        for (String m : members()) {
            while (!health(m).equals("healthy")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(m + " is not healthy after " + timeout + " (health: " + health(m) + ")");
                }
                sleep(250);
            }
        }
    }

    /**
     * How many times the node agents' logs say an engine went down and was restarted (their
     * supervisors log "restarting in"), over every node, since the containers started. A node
     * whose container is killed with its agent says nothing: only an engine that died alone counts.
     */
    public int engineRestartsLogged() {
        int n = 0;
        for (Map.Entry<String, GenericContainer<?>> e : members.entrySet()) {
            if (!e.getKey().startsWith("node") || e.getValue().getContainerId() == null) {
                continue;
            }
            try {
                n += (int) e.getValue().getLogs().lines().filter(l -> l.contains("; restarting in ")).count();
            } catch (RuntimeException ex) {
                log.warn("cannot read the log of {}: {}", e.getKey(), ex.toString());
            }
        }
        return n;
    }

    /**
     * The last {@code max} lines of the logs of the members whose names start with {@code prefix}
     * that contain {@code text}, in time order, each prefixed with its member's name (a failure's evidence, for
     * its message: a CI run keeps nothing else).
     */
    public List<String> logLines(String prefix, String text, int max) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, GenericContainer<?>> e : members.entrySet()) {
            if (!e.getKey().startsWith(prefix) || e.getValue().getContainerId() == null) {
                continue;
            }
            try {
                e.getValue().getLogs().lines().filter(l -> l.contains(text)).forEach(l -> out.add(e.getKey() + ": " + l));
            } catch (RuntimeException ex) {
                out.add(e.getKey() + ": cannot read its log: " + ex);
            }
        }
        // lines start with their time of day: in time order over the members
        out.sort(java.util.Comparator.comparing(l -> l.substring(l.indexOf(": ") + 2)));
        return out.subList(Math.max(0, out.size() - max), out.size());
    }

    /** Writes each member's container log to {@code dir/<member>.log}. */
    public void saveLogs(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, GenericContainer<?>> e : members.entrySet()) {
                if (e.getValue().getContainerId() != null) {
                    try {
                        Files.writeString(dir.resolve(e.getKey() + ".log"), e.getValue().getLogs());
                    } catch (RuntimeException ex) {
                        log.warn("cannot read the log of {}: {}", e.getKey(), ex.toString());
                    }
                }
            }
        } catch (IOException e) {
            log.warn("cannot save container logs to {}: {}", dir, e.toString());
        }
    }

    /** Removes every container (with its volumes) and the network. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down: this is the hook
        }
        for (String m : members.keySet()) {
            GenericContainer<?> c = members.get(m);
            try {
                if (c.getContainerId() != null && paused(m)) {
                    unpause(m);
                }
            } catch (RuntimeException ignored) {
                // gone already
            }
            try {
                c.stop();
            } catch (RuntimeException e) {
                log.warn("cannot remove {}: {}", m, e.toString());
            }
        }
        try {
            network.close();
        } catch (RuntimeException e) {
            log.warn("cannot remove network rfc-chaos-{}: {}", runId, e.toString());
        }
    }

    /**
     * Removes the containers and networks labelled {@value #LABEL} that a test JVM which no longer
     * runs left behind (killed before it could clean up). What a live JVM made (another suite
     * running at the same time on this Docker engine) is left alone.
     */
    public static void sweepLeftovers() {
        DockerClient docker = docker();
        docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(LABEL)).exec().forEach(c -> {
            if (!abandoned(c.getLabels())) {
                return;
            }
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                log.info("removed leftover container {}", String.join(",", c.getNames()));
            } catch (RuntimeException e) {
                log.warn("cannot remove leftover container {}: {}", c.getId(), e.toString());
            }
        });
        docker.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && n.getLabels().containsKey(LABEL) && abandoned(n.getLabels()))
                .forEach(n -> {
                    try {
                        docker.removeNetworkCmd(n.getId()).exec();
                    } catch (RuntimeException e) {
                        log.warn("cannot remove leftover network {}: {}", n.getName(), e.toString());
                    }
                });
    }

    /** Whether the JVM named by the labels is gone (labels without an owner are left alone). */
    static boolean abandoned(Map<String, String> labels) {
        String pid = labels == null ? null : labels.get(OWNER);
        if (pid == null) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
