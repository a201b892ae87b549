package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.value.Encodable;
import io.rayforce.cluster.client.value.RayValue;

/**
 * A query object: it compiles ({@link #ipc()}) to the Rayfall expression tree the engine
 * evaluates, and its {@code toString()} is that tree's Rayfall text. {@link Queries#parse}
 * turns such a tree back into the query object.
 */
public sealed interface Query extends Encodable
        permits SelectQuery, UpdateQuery, InsertQuery, UpsertQuery, DeleteQuery, Join, WindowJoin, IpcSave {

    @Override
    RayValue ipc();

    /**
     * {@code (set name <this>)}: stores the result under the global {@code name} on the server
     * and returns it. See {@link IpcSave#countOnly()} to get only its row count back.
     */
    default IpcSave ipcsave(String name) {
        return new IpcSave(name, this, false);
    }
}
