package io.rayforce.cluster.node.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A coordinator in a child JVM ({@link CoordinatorProcessMain}), killable with SIGKILL. */
public final class CoordinatorProcess implements AutoCloseable {
    private final ChildJvm jvm;
    private final String address;

    private CoordinatorProcess(ChildJvm jvm, String address) {
        this.jvm = jvm;
        this.address = address;
    }

    /** Starts a coordinator and waits until it serves. */
    public static CoordinatorProcess start(String zookeeper, String cluster, Duration repairGrace, Duration sessionTimeout) {
        ChildJvm.LineWatch serving = new ChildJvm.LineWatch("SERVING ");
        ChildJvm jvm = ChildJvm.start("coordinator", CoordinatorProcessMain.class,
                List.of(zookeeper, cluster, Long.toString(repairGrace.toMillis()), Long.toString(sessionTimeout.toMillis())), serving);
        try {
            String line = serving.line.get(60, TimeUnit.SECONDS);
            return new CoordinatorProcess(jvm, line.substring("SERVING ".length()).trim());
        } catch (Exception e) {
            jvm.kill9();
            throw new IllegalStateException("coordinator did not start: " + e + "\n" + jvm.output(), e);
        }
    }

    /** Its gRPC address, host:port (also its id in the leader election). */
    public String address() {
        return address;
    }

    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    public boolean isAlive() {
        return jvm.process().isAlive();
    }

    /** SIGKILL: its ZooKeeper session lingers until it expires, as with a crashed machine. */
    public void kill9() {
        jvm.kill9();
    }

    public String output() {
        return jvm.output();
    }

    @Override
    public void close() {
        jvm.close();
    }

    @Override
    public String toString() {
        return "CoordinatorProcess(" + address + ")";
    }
}
