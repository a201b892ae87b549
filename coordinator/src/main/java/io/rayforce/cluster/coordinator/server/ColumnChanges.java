package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.proto.AddColumnsRequest;
import io.rayforce.cluster.coordinator.proto.AddColumnsResponse;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.DdlLocks;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.PlacementCommit;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import java.time.Duration;

/**
 * Columns added at the end of a table's spec, at one epoch, by a router whose update assigned new
 * columns and whose shards all hold them already (docs/router.md, Adding columns). The new spec is
 * checked as a created one is ({@link TableSpecValidator}); a column the spec has with the same
 * type is left alone, so a router's recovery may repeat the request; one it has with another type
 * is refused. Answered once every router has applied the epoch, so a read that starts after the
 * update is acknowledged plans with the new columns on every router.
 */
final class ColumnChanges {
    private final PlacementStore store;
    private final RouterBarrier routers;
    private final Duration routerWait;

    ColumnChanges(PlacementStore store, RouterBarrier routers, Duration routerWait) {
        this.store = store;
        this.routers = routers;
        this.routerWait = routerWait;
    }

    /**
     * @throws NoSuchTableException when there is no such table, or it was created again since
     * @throws PlacementException when the spec has one of the columns with another type
     * @throws InvalidSpecException when a column's name or type is not one a table may have
     */
    @SuppressWarnings("try") // the table name's lock is held for the block
    AddColumnsResponse add(AddColumnsRequest req) throws Exception {
        String name = req.getTable();
        PlacementCommit c;
        try (DdlLocks.Held held = store.lockTable(name)) {
            TablePlacement t = store.currentSnapshot().table(name)
                    .filter(p -> p.getSpec().getCreatedEpoch() == req.getCreatedEpoch())
                    .orElseThrow(() -> new NoSuchTableException("no table " + name + " created at epoch " + req.getCreatedEpoch()));
            TableSpec spec = withColumns(t.getSpec(), req);
            c = store.replaceTable(name, p -> p.getSpec().equals(spec) ? p : p.toBuilder().setSpec(spec).build());
        }
        if (c.changed()) {
            routers.awaitRoutersOrFail(c.epoch(), routerWait);
        }
        return AddColumnsResponse.newBuilder().setEpoch(c.epoch()).build();
    }

    /** {@code spec} with the request's columns it lacks appended, checked as a new table's spec. */
    static TableSpec withColumns(TableSpec spec, AddColumnsRequest req) {
        TableSpec.Builder b = spec.toBuilder();
        for (ColumnSpec add : req.getColumnsList()) {
            ColumnSpec has = spec.getColumnsList().stream().filter(c -> c.getName().equals(add.getName())).findFirst().orElse(null);
            if (has == null) {
                b.addColumns(add);
            } else if (!has.getType().equals(add.getType())) {
                throw new PlacementException("table " + spec.getName() + " has column " + add.getName() + " of type "
                        + has.getType() + ", not " + add.getType());
            }
        }
        TableSpec checked = TableSpecValidator.validate(b.build());
        return checked.toBuilder().setCreatedEpoch(spec.getCreatedEpoch()).build();
    }
}
