package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Globals kept in memory that record every lookup: the names of each {@link #current} call. */
final class CountingGlobals implements Globals {
    private final LocalGlobals globals = new LocalGlobals();
    final List<List<String>> lookups = new ArrayList<>();

    @Override
    public Map<String, RayValue> current(Collection<String> names) {
        lookups.add(List.copyOf(names));
        return globals.current(names);
    }

    @Override
    public void put(String name, RayValue value) {
        globals.put(name, value);
    }

    @Override
    public boolean remove(String name) {
        return globals.remove(name);
    }

    @Override
    public List<String> names(Collection<String> tables) {
        return globals.names(tables);
    }

    @Override
    public int maxValueBytes() {
        return globals.maxValueBytes();
    }

    @Override
    public void close() {
    }
}
