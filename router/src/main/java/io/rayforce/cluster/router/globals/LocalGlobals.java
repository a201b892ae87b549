package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The globals of a router without ZooKeeper (a fixed placement): kept in this process, seen by
 * its own clients only.
 */
public final class LocalGlobals implements Globals {
    private final Map<String, byte[]> values = new LinkedHashMap<>();
    private final int maxValueBytes;

    public LocalGlobals(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    public LocalGlobals() {
        this(DEFAULT_MAX_VALUE_BYTES);
    }

    @Override
    public synchronized Map<String, RayValue> current(Collection<String> names) {
        Map<String, RayValue> out = new LinkedHashMap<>();
        for (String n : names) {
            byte[] v = values.get(n);
            if (v != null) {
                out.put(n, ValueReader.read(v));
            }
        }
        return out;
    }

    @Override
    public void put(String name, RayValue value) {
        byte[] bytes = Globals.encode(name, value, maxValueBytes);
        synchronized (this) {
            values.put(name, bytes); // a replaced global keeps its place, as on one server
        }
    }

    @Override
    public synchronized boolean remove(String name) {
        return values.remove(name) != null;
    }

    @Override
    public synchronized List<String> names(Collection<String> tables) {
        List<String> out = new ArrayList<>(values.keySet());
        out.addAll(tables);
        return out;
    }

    @Override
    public int maxValueBytes() {
        return maxValueBytes;
    }

    @Override
    public void close() {
    }
}
