package dev.unroll.backend.cuda;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The ways a whole-sequence forward may run in one launch, tried in this order: on one thread block cluster
 * ({@link ClusterPlan}), or on a cooperative grid ({@link PersistentPlan}). Where neither is allowed or fits, the
 * per-step loop runs as a replayed graph. All are allowed by default; {@code -Dunroll.cuda.persistent=grid} (or
 * {@code cluster}, {@code cluster,grid}, {@code none}; or environment {@code UNROLL_CUDA_PERSISTENT}) narrows the
 * choice, to compare them on one machine.
 */
enum PersistentScheme {
    CLUSTER, GRID;

    static final String PROPERTY = "unroll.cuda.persistent";

    /** The schemes a property value allows; {@code null} or blank allows all. */
    static Set<PersistentScheme> parse(String value) {
        if (value == null || value.isBlank()) {
            return EnumSet.allOf(PersistentScheme.class);
        }
        Set<PersistentScheme> allowed = EnumSet.noneOf(PersistentScheme.class);
        for (String word : value.split(",")) {
            String name = word.strip().toUpperCase(Locale.ROOT);
            if (name.equals("NONE")) {
                continue;
            }
            try {
                allowed.add(valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PROPERTY + ": unknown scheme '" + word.strip()
                        + "'; expected cluster, grid or none, comma-separated", e);
            }
        }
        return allowed;
    }
}
