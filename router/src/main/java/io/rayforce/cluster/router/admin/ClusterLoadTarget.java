package io.rayforce.cluster.router.admin;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.PlacementSource;
import io.rayforce.cluster.router.load.FileColumn;
import io.rayforce.cluster.router.load.FileSchema;
import io.rayforce.cluster.router.load.LoadTarget;
import io.rayforce.cluster.router.load.TableLayout;
import io.rayforce.cluster.router.write.TableLoad;
import io.rayforce.cluster.router.write.WritePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The cluster this router serves, as the target of a file load ({@code .cluster.loadFile}). */
final class ClusterLoadTarget implements LoadTarget {
    private final PlacementSource placement;
    private final WritePath writes;
    private final QueryOptions options;

    ClusterLoadTarget(PlacementSource placement, WritePath writes, QueryOptions options) {
        this.placement = placement;
        this.writes = writes;
        this.options = options;
    }

    @Override
    public Optional<List<FileColumn>> columns(String table) {
        return placement.snapshot().table(table).map(ClusterLoadTarget::columnsOf);
    }

    static List<FileColumn> columnsOf(TablePlacement t) {
        List<FileColumn> out = new ArrayList<>();
        for (ColumnSpec c : t.getSpec().getColumnsList()) {
            try {
                out.add(new FileColumn(c.getName(), FileSchema.typeNamed(c.getType())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("table " + t.getSpec().getName() + " has column " + c.getName() + " of type "
                        + c.getType() + ", which a file cannot fill");
            }
        }
        return out;
    }

    @Override
    public void create(String table, RayTable shape, TableLayout layout) {
        String what = ".cluster.loadFile " + table;
        TableSpec spec = layout.replicated() ? AdminFunctions.replicatedSpec(table, shape, what)
                : AdminFunctions.shardedSpec(table, shape, layout.shardKey(), layout.shards(), layout.replication(),
                        placement.snapshot().nodes().size(), what);
        writes.createTable(spec, what);
    }

    @Override
    public void drop(String table) {
        writes.dropTable(table, ".cluster.loadFile " + table + " (dropping the table it created)");
    }

    @Override
    public Load begin(String table) {
        TableLoad load = writes.beginLoad(table, options);
        return new Load() {
            @Override
            public void append(RayTable rows) {
                load.append(rows);
            }

            @Override
            public long commit() {
                return load.commit();
            }

            @Override
            public void abort(String why) {
                load.abort(why);
            }
        };
    }
}
