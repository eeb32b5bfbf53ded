package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PersistentSchemeTest {
    @Test
    void unsetAllowsEverySchemeAndAListNarrowsIt() {
        assertEquals(EnumSet.allOf(PersistentScheme.class), PersistentScheme.parse(null));
        assertEquals(EnumSet.allOf(PersistentScheme.class), PersistentScheme.parse(" "));
        assertEquals(EnumSet.of(PersistentScheme.GRID), PersistentScheme.parse("grid"));
        assertEquals(EnumSet.allOf(PersistentScheme.class), PersistentScheme.parse("Cluster, grid"));
        assertEquals(EnumSet.noneOf(PersistentScheme.class), PersistentScheme.parse("none"));
    }

    @Test
    void anUnknownSchemeIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PersistentScheme.parse("cluster,warp"));
        assertEquals("unroll.cuda.persistent: unknown scheme 'warp'; expected cluster, grid or none, comma-separated",
                e.getMessage());
    }
}
