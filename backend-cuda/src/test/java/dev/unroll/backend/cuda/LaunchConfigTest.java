package dev.unroll.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchConfigTest {

    @Test
    void oneElementGetsOneBlock() {
        LaunchConfig c = LaunchConfig.elementwise(1);
        assertEquals(1, c.gridX());
        assertEquals(1, c.gridY());
        assertEquals(LaunchConfig.THREADS, c.threadsPerBlock());
    }

    @Test
    void elementwiseCoversEveryElementUpToTheCap() {
        assertEquals(1, LaunchConfig.elementwise(256).gridX());
        assertEquals(2, LaunchConfig.elementwise(257).gridX());
        // 257 x 129 = 33153 elements need 130 blocks of 256 threads.
        assertEquals(130, LaunchConfig.elementwise(257 * 129).gridX());
        // Beyond the cap the kernels loop (grid stride), so the grid stops growing.
        assertEquals(LaunchConfig.MAX_GRID_STRIDE_BLOCKS, LaunchConfig.elementwise(Integer.MAX_VALUE).gridX());
    }

    @Test
    void elementwiseRejectsAnEmptyLaunch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaunchConfig.elementwise(0));
        assertTrue(e.getMessage().contains("at least one element"), e.getMessage());
    }

    @Test
    void gemmTilesTheOutputWithRowTilesOnY() {
        LaunchConfig oneByOne = LaunchConfig.gemm(1, 1);
        assertEquals(1, oneByOne.gridX());
        assertEquals(1, oneByOne.gridY());
        // [257, 129]: 129 columns need 3 tiles of 64 along x, 257 rows need 5 along y.
        LaunchConfig odd = LaunchConfig.gemm(257, 129);
        assertEquals(3, odd.gridX());
        assertEquals(5, odd.gridY());
        assertEquals(256, odd.threadsPerBlock());
        LaunchConfig exact = LaunchConfig.gemm(128, 64);
        assertEquals(1, exact.gridX());
        assertEquals(2, exact.gridY());
    }

    @Test
    void gemmRefusesMoreRowTilesThanTheGridAllows() {
        int rows = (LaunchConfig.MAX_GRID_Y + 1) * LaunchConfig.GEMM_TILE;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaunchConfig.gemm(rows, 1));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        // The largest allowed still works.
        assertEquals(LaunchConfig.MAX_GRID_Y, LaunchConfig.gemm(LaunchConfig.MAX_GRID_Y * LaunchConfig.GEMM_TILE, 1).gridY());
    }

    @Test
    void tiledGemmPutsTheKSlicesOfEachColumnTileOnX() {
        // [257, 129] in 128 x 64 tiles: 3 column tiles, 3 row tiles; 4 k slices make 12 blocks along x.
        LaunchConfig one = LaunchConfig.tiledGemm(257, 129, 128, 64, 1);
        assertEquals(3, one.gridX());
        assertEquals(3, one.gridY());
        assertEquals(256, one.threadsPerBlock());
        assertEquals(12, LaunchConfig.tiledGemm(257, 129, 128, 64, 4).gridX());
        assertEquals(1, LaunchConfig.tiledGemm(1, 1, 64, 64, 1).gridX());
        int rows = (LaunchConfig.MAX_GRID_Y + 1) * 64;
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.tiledGemm(rows, 1, 64, 64, 1));
    }

    @Test
    void skinnyGemmGivesEachWarpOrThreadColumnsOfItsOwn() {
        // B transposed: one warp per output column, 8 per block of 256 threads.
        LaunchConfig bt = LaunchConfig.skinnyGemm(1024, true);
        assertEquals(128, bt.gridX());
        assertEquals(256, bt.threadsPerBlock());
        assertEquals(1, LaunchConfig.skinnyGemm(1, true).gridX());
        assertEquals(17, LaunchConfig.skinnyGemm(129, true).gridX());
        // B as is: 32 columns by 8 slices of k per block.
        LaunchConfig bn = LaunchConfig.skinnyGemm(129, false);
        assertEquals(5, bn.gridX());
        assertEquals(32, bn.blockX());
        assertEquals(8, bn.blockY());
        assertEquals(1, LaunchConfig.skinnyGemm(1, false).gridX());
    }

    @Test
    void columnSumsUsesThirtyTwoColumnsAndEightLanesPerBlock() {
        LaunchConfig one = LaunchConfig.columnSums(1);
        assertEquals(1, one.gridX());
        assertEquals(32, one.blockX());
        assertEquals(8, one.blockY());
        assertEquals(5, LaunchConfig.columnSums(129).gridX());
        assertEquals(4, LaunchConfig.columnSums(128).gridX());
    }

    @Test
    void reductionPartialsAreCappedForTheOneBlockSecondPass() {
        assertEquals(1, LaunchConfig.reductionPartials(1).gridX());
        assertEquals(130, LaunchConfig.reductionPartials(257 * 129).gridX());
        assertEquals(LaunchConfig.MAX_REDUCTION_BLOCKS, LaunchConfig.reductionPartials(1L << 30).gridX());
        assertEquals(1, LaunchConfig.singleBlock().gridX());
    }

    @Test
    void softmaxGetsOneBlockPerRow() {
        assertEquals(1, LaunchConfig.blockPerRow(1).gridX());
        assertEquals(257, LaunchConfig.blockPerRow(257).gridX());
    }

    @Test
    void ceilDivDoesNotOverflowNearTheIntLimit() {
        assertEquals(1, LaunchConfig.ceilDiv(1, 64));
        assertEquals(1, LaunchConfig.ceilDiv(64, 64));
        assertEquals(2, LaunchConfig.ceilDiv(65, 64));
        assertEquals(33554432, LaunchConfig.ceilDiv(Integer.MAX_VALUE, 64));
    }

    @Test
    void invalidDimensionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(0, 1, 256, 1));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, LaunchConfig.MAX_GRID_Y + 1, 256, 1));
    }
}
