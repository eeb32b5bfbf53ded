package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GemmVariantTest {
    private static final int H100_SMS = 132;

    @Test
    void aFewRowsGoToTheSkinnyKernel() {
        assertEquals(GemmVariant.SKINNY, GemmVariant.choose(1, 1024, H100_SMS));
        assertEquals(GemmVariant.SKINNY, GemmVariant.choose(8, 8192, H100_SMS));
        assertEquals(GemmVariant.TILE_64, GemmVariant.choose(9, 5, H100_SMS));
    }

    @Test
    void largeTilesOnlyWhenThereAreEnoughToFillEveryMultiprocessor() {
        // The input projection of (T,B,I,H) = (25,128,2048,2048): 25 x 64 tiles of 128.
        assertEquals(GemmVariant.TILE_128, GemmVariant.choose(3200, 8192, H100_SMS));
        // One step's recurrent product at batch 128: 64 large tiles would leave half the GPU idle.
        assertEquals(GemmVariant.TILE_64, GemmVariant.choose(128, 8192, H100_SMS));
        assertEquals(GemmVariant.TILE_64, GemmVariant.choose(1024, 2048, H100_SMS));
        assertEquals(GemmVariant.TILE_128, GemmVariant.choose(2048, 2048, H100_SMS));
        assertEquals(GemmVariant.TILE_128, GemmVariant.choose(1024, 2048, 128));
    }

    @Test
    void everyVariantAndTransposeCaseHasItsOwnKernel() {
        Set<Kernel> kernels = new HashSet<>();
        for (GemmVariant v : GemmVariant.values()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Kernel k = v.kernel(ta, tb);
                    kernels.add(k);
                    String suffix = (ta ? "t" : "n") + (tb ? "t" : "n");
                    assertEquals(suffix, k.entry().substring(k.entry().length() - 2), v + " " + k);
                }
            }
        }
        assertEquals(12, kernels.size());
        assertEquals(EnumSet.of(Kernel.SGEMM_NN), EnumSet.of(GemmVariant.TILE_64.kernel(false, false)));
    }

    @Test
    void eachVariantLaunchesItsOwnTiling() {
        LaunchConfig large = GemmVariant.TILE_128.launch(257, 129, false);
        assertEquals(2, large.gridX());
        assertEquals(3, large.gridY());
        assertEquals(256, large.threadsPerBlock());
        LaunchConfig medium = GemmVariant.TILE_64.launch(257, 129, false);
        assertEquals(3, medium.gridX());
        assertEquals(5, medium.gridY());
        assertEquals(128, GemmVariant.SKINNY.launch(1, 1024, true).gridX());
    }
}
