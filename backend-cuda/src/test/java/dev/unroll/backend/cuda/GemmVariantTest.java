package dev.unroll.backend.cuda;

import dev.unroll.backend.cuda.GemmVariant.Family;
import dev.unroll.backend.cuda.GemmVariant.SplitK;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmVariantTest {
    private static final int H100_SMS = 132;

    @Test
    void aFewRowsGoToTheSkinnyKernel() {
        for (Family f : Family.values()) {
            assertEquals(GemmVariant.SKINNY, GemmVariant.choose(f, 1, 1024, 256, H100_SMS));
            assertEquals(GemmVariant.SKINNY, GemmVariant.choose(f, 8, 8192, GemmVariant.SKINNY_MAX_DEPTH, H100_SMS));
        }
        assertEquals(GemmVariant.SKINNY, GemmVariant.choose(Family.V1, 8, 8192, 2048, H100_SMS));
        assertEquals(GemmVariant.TILE_64, GemmVariant.choose(Family.V1, 9, 5, 3, H100_SMS));
    }

    @Test
    void v2SplitsKInsteadOfRunningADeepSkinnyProduct() {
        // The backward step of (50,1,256,256): dh [1, 256] = dGates [1, 1024] W_hh [1024, 256].
        assertEquals(GemmVariant.SPLIT_K_64X64, GemmVariant.choose(Family.V2, 1, 256, 1024, H100_SMS));
        assertEquals(GemmVariant.SPLIT_K_64X64,
                GemmVariant.choose(Family.V2, 8, 1024, GemmVariant.SKINNY_MAX_DEPTH + 1, H100_SMS));
    }

    @Test
    void largeTilesOnlyWhenThereAreEnoughToFillEveryMultiprocessor() {
        // The input projection of (T,B,I,H) = (25,128,2048,2048): 25 x 64 tiles of 128.
        assertEquals(GemmVariant.TILE_128, GemmVariant.choose(Family.V1, 3200, 8192, 2048, H100_SMS));
        // One step's recurrent product at batch 128: 64 large tiles would leave half the GPU idle.
        assertEquals(GemmVariant.TILE_64, GemmVariant.choose(Family.V1, 128, 8192, 2048, H100_SMS));
        assertEquals(GemmVariant.TILE_64, GemmVariant.choose(Family.V1, 1024, 2048, 512, H100_SMS));
        assertEquals(GemmVariant.TILE_128, GemmVariant.choose(Family.V1, 2048, 2048, 512, H100_SMS));
        assertEquals(GemmVariant.TILE_128, GemmVariant.choose(Family.V1, 1024, 2048, 512, 128));
    }

    @Test
    void v2TakesTheLargestTileThatFillsTheGpuElseSplitsK() {
        // Each case was timed on an H200 by GemmMicroBenchmark; the rule picks the fastest variant measured.
        // Enough 128 x 128 tiles: the input projection and dW_ih at (25,128,2048,2048).
        assertEquals(GemmVariant.V2_128X128, GemmVariant.choose(Family.V2, 3200, 8192, 2048, H100_SMS));
        assertEquals(GemmVariant.V2_128X128, GemmVariant.choose(Family.V2, 8192, 2048, 3200, H100_SMS));
        // Half enough large tiles and a deep k: split it. The recurrent step at batch 128, H 2048 (0.13 ms,
        // against 0.20 for 64 x 64 tiles); dx at (50,64,512,512); dW_ih at (50,64,512,512); dx at (25,32,1024,1024).
        assertEquals(GemmVariant.SPLIT_K_128X64, GemmVariant.choose(Family.V2, 128, 8192, 2048, H100_SMS));
        assertEquals(GemmVariant.SPLIT_K_128X128, GemmVariant.choose(Family.V2, 3200, 512, 2048, H100_SMS));
        assertEquals(GemmVariant.SPLIT_K_128X64, GemmVariant.choose(Family.V2, 2048, 512, 3200, H100_SMS));
        assertEquals(GemmVariant.SPLIT_K_128X64, GemmVariant.choose(Family.V2, 800, 1024, 4096, H100_SMS));
        // Too shallow to split: enough 64 x 64 tiles (dW_hh at (50,64,512,512), the input projection at batch 16).
        assertEquals(GemmVariant.V2_64X64, GemmVariant.choose(Family.V2, 2048, 512, 64, H100_SMS));
        assertEquals(GemmVariant.V2_64X64, GemmVariant.choose(Family.V2, 1600, 512, 128, H100_SMS));
        // Few tiles of any size: 64 x 64 split in k (the recurrent step and dh at batch 32 to 64).
        assertEquals(GemmVariant.SPLIT_K_64X64, GemmVariant.choose(Family.V2, 32, 4096, 1024, H100_SMS));
        assertEquals(GemmVariant.SPLIT_K_64X64, GemmVariant.choose(Family.V2, 64, 512, 2048, H100_SMS));
    }

    /**
     * The conformance kit's shapes that are exact multiples of every block, 8x8 with k = 8 and 64x32 with k = 256:
     * the plans kernel_emulation_test.cpp's port of choose and splitK (planGemm) derives for them, and runs, on 1 to
     * 300 multiprocessors. If this fails, the emulation no longer launches these shapes the way the host does.
     */
    @Test
    void theKitsExactMultipleShapesGetThePlansTheKernelEmulationRuns() {
        for (int sms = 1; sms <= 300; sms++) {
            for (Family f : Family.values()) {
                assertEquals(GemmVariant.SKINNY, GemmVariant.choose(f, 8, 8, 8, sms));
            }
            GemmVariant v2 = GemmVariant.choose(Family.V2, 64, 32, 256, sms);
            GemmVariant expected = sms == 1 ? GemmVariant.V2_128X128
                    : sms == 2 ? GemmVariant.SPLIT_K_128X128 : GemmVariant.SPLIT_K_64X64;
            assertEquals(expected, v2, sms + " SMs");
            assertEquals(sms == 1 ? new SplitK(1, 256) : new SplitK(2, 128), v2.splitK(64, 32, 256, sms), sms + " SMs");
            assertEquals(sms == 1 ? GemmVariant.TILE_128 : GemmVariant.TILE_64,
                    GemmVariant.choose(Family.V1, 64, 32, 256, sms), sms + " SMs");
        }
        // On an H100 or H200: both 64 x 64 slices of the one column tile side by side along x.
        LaunchConfig split = GemmVariant.SPLIT_K_64X64.launch(64, 32, false, 2);
        assertEquals(2, split.gridX());
        assertEquals(1, split.gridY());
    }

    @Test
    void theFamilySettingDefaultsToV2AndRejectsOtherValues() {
        assertEquals(Family.V2, Family.parse(null));
        assertEquals(Family.V2, Family.parse(" "));
        assertEquals(Family.V1, Family.parse("v1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Family.parse("v3"));
        assertTrue(e.getMessage().contains(GemmVariant.FAMILY_KEY), e.getMessage());
    }

    @Test
    void splitKGivesEveryMultiprocessorTwoBlocksWithSlicesOfWholeKTiles() {
        // [32, 4096] in 64 x 64 tiles: 64 tiles; 264 blocks wanted, so 5 slices of 1024 / 5 rounded up to 208.
        assertEquals(new SplitK(5, 208), GemmVariant.SPLIT_K_64X64.splitK(32, 4096, 1024, H100_SMS));
        // A ragged last slice: k = 1000 in slices of 200.
        assertEquals(new SplitK(5, 200), GemmVariant.SPLIT_K_64X64.splitK(32, 4096, 1000, H100_SMS));
        // Never shallower than MIN_SLICE_K: k = 256 allows 2 slices.
        assertEquals(new SplitK(2, 128), GemmVariant.SPLIT_K_64X64.splitK(16, 512, 256, H100_SMS));
        // Enough tiles already, a shallow k, k = 0, or a variant without split-K: one slice over all of k.
        assertEquals(new SplitK(1, 2048), GemmVariant.SPLIT_K_64X64.splitK(3200, 8192, 2048, H100_SMS));
        assertEquals(new SplitK(1, 128), GemmVariant.SPLIT_K_64X64.splitK(16, 512, 128, H100_SMS));
        assertEquals(new SplitK(1, 0), GemmVariant.SPLIT_K_64X64.splitK(16, 512, 0, H100_SMS));
        assertEquals(new SplitK(1, 1024), GemmVariant.V2_64X64.splitK(32, 4096, 1024, H100_SMS));
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
        // Split-K variants launch the v2 kernels of their tile.
        assertEquals(24, kernels.size());
        assertEquals(EnumSet.of(Kernel.SGEMM_NN), EnumSet.of(GemmVariant.TILE_64.kernel(false, false)));
        assertEquals(GemmVariant.V2_64X64.kernel(true, false), GemmVariant.SPLIT_K_64X64.kernel(true, false));
    }

    @Test
    void onlyTheSkinnyVariantIsLimitedInRowsAndOnlyV2TakesKChunks() {
        assertFalse(GemmVariant.SKINNY.canRun(9));
        assertTrue(GemmVariant.SKINNY.canRun(8));
        assertTrue(GemmVariant.TILE_64.canRun(100_000));
        assertFalse(GemmVariant.TILE_128.isV2());
        assertTrue(GemmVariant.SPLIT_K_128X64.isV2());
    }

    @Test
    void eachVariantLaunchesItsOwnTiling() {
        LaunchConfig large = GemmVariant.TILE_128.launch(257, 129, false, 1);
        assertEquals(2, large.gridX());
        assertEquals(3, large.gridY());
        assertEquals(256, large.threadsPerBlock());
        LaunchConfig medium = GemmVariant.TILE_64.launch(257, 129, false, 1);
        assertEquals(3, medium.gridX());
        assertEquals(5, medium.gridY());
        assertEquals(128, GemmVariant.SKINNY.launch(1, 1024, true, 1).gridX());
        LaunchConfig wide = GemmVariant.V2_128X64.launch(257, 129, false, 1);
        assertEquals(3, wide.gridX());
        assertEquals(3, wide.gridY());
        assertEquals(15, GemmVariant.SPLIT_K_64X64.launch(257, 129, true, 5).gridX());
    }
}
