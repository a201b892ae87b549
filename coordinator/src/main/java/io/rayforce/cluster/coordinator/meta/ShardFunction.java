package io.rayforce.cluster.coordinator.meta;

import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidAtom;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.IntBackedVector;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Which shard a row belongs to: {@code floorMod(hash64(key), shardCount)}. The hash is fixed per
 * value (integer and temporal keys by their integer value, so an i64 literal finds the shard of
 * an i32 column's value; floats by their bits with -0.0 as 0.0; symbols and strings by their
 * UTF-8 bytes; guids by both halves), so every router agrees and a where clause that fixes the
 * key can be pruned to one shard.
 */
public final class ShardFunction {
    /** How many distinct symbols one call remembers the shard of. */
    private static final int MEMO_LIMIT = 1 << 16;

    private ShardFunction() {
    }

    /** The shard of one key value. */
    public static int shardOf(RayValue key, int shardCount) {
        return Math.floorMod(hash(key), shardCount);
    }

    /** The shard of every value of a key column. */
    public static int[] shardsOf(Vector keys, int shardCount) {
        int n = keys.length();
        int[] out = new int[n];
        if (keys instanceof LongBackedVector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(mix(v.get(i)), shardCount);
            }
        } else if (keys instanceof IntBackedVector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(mix(v.get(i)), shardCount);
            }
        } else if (keys instanceof SymbolVector v) {
            // symbols repeat (a decoded vector shares one String per distinct name): each is hashed once
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String name = v.get(i);
                Integer shard = seen.get(name);
                if (shard == null) {
                    shard = Math.floorMod(text(name), shardCount);
                    if (seen.size() < MEMO_LIMIT) {
                        seen.put(name, shard);
                    }
                }
                out[i] = shard;
            }
        } else if (keys instanceof StringVector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(text(v.get(i)), shardCount);
            }
        } else if (keys instanceof I16Vector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(mix(v.get(i)), shardCount);
            }
        } else if (keys instanceof U8Vector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(mix(v.unsigned(i)), shardCount);
            }
        } else if (keys instanceof BoolVector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(mix(v.get(i) ? 1 : 0), shardCount);
            }
        } else if (keys instanceof F64Vector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(real(v.get(i)), shardCount);
            }
        } else if (keys instanceof F32Vector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(real(v.get(i)), shardCount);
            }
        } else if (keys instanceof GuidVector v) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.floorMod(guid(v.mostSignificantBits(i), v.leastSignificantBits(i)), shardCount);
            }
        } else {
            throw new IllegalArgumentException("a " + keys.type().rayfallName() + " column cannot be a shard key");
        }
        return out;
    }

    /** The 64-bit hash of a key atom. */
    public static long hash(RayValue key) {
        if (key instanceof I64Atom a) {
            return mix(a.value());
        } else if (key instanceof TimestampAtom a) {
            return mix(a.nanos());
        } else if (key instanceof I32Atom a) {
            return mix(a.value());
        } else if (key instanceof DateAtom a) {
            return mix(a.days());
        } else if (key instanceof TimeAtom a) {
            return mix(a.millis());
        } else if (key instanceof I16Atom a) {
            return mix(a.value());
        } else if (key instanceof U8Atom a) {
            return mix(a.unsigned());
        } else if (key instanceof BoolAtom a) {
            return mix(a.value() ? 1 : 0);
        } else if (key instanceof Symbol a) {
            return text(a.name());
        } else if (key instanceof Str a) {
            return text(a.value());
        } else if (key instanceof F64Atom a) {
            return real(a.value());
        } else if (key instanceof F32Atom a) {
            return real(a.value());
        } else if (key instanceof GuidAtom a) {
            return guid(a.value().getMostSignificantBits(), a.value().getLeastSignificantBits());
        }
        throw new IllegalArgumentException("a " + key.type().rayfallName() + " value cannot be a shard key");
    }

    /** MurmurHash3's 64-bit finalizer: a fixed, well-mixed permutation of the integers. */
    static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** FNV-1a over the UTF-8 bytes, then mixed. */
    static long text(String s) {
        long h = 0xcbf29ce484222325L;
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) { // an ASCII char is its own UTF-8 byte
            h ^= s.charAt(i++);
            h *= 0x100000001b3L;
        }
        if (i == n) {
            return mix(h);
        }
        h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    static long real(double d) {
        return mix(Double.doubleToLongBits(d == 0.0 ? 0.0 : d));
    }

    static long guid(long msb, long lsb) {
        return mix(msb ^ mix(lsb));
    }
}
