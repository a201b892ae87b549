package io.rayforce.cluster.chaos.workload;

/** A client of the cluster's gateway that sends Rayfall text and never throws: every request gets a {@link Reply}. */
public interface GatewayClient extends AutoCloseable {
    Reply execute(String rayfall);

    @Override
    void close();
}
