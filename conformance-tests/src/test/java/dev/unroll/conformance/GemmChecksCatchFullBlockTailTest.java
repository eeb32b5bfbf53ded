package dev.unroll.conformance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GEMM checks include a {@code k} that is an exact multiple of a block width. Their shapes were all chosen to be
 * no multiple of any block (k = 1, 4, 5, 65, 257), which catches partial-tail bugs but lets through an unrolled loop
 * that drops its last full block: a backend with that bug passed every GEMM check and failed only through whole
 * recurrent stacks, whose messages name a gradient, not the GEMM.
 */
class GemmChecksCatchFullBlockTailTest {

    @Test
    void aGemmCheckFailsAndItsMessageNamesTheGemmAndItsK() {
        CheckResult caught = FaultyOracle.firstCaughtBy(FaultyOracle.fault("gemm-drops-last-full-block-of-k"), "gemm")
                .orElseThrow(() -> new AssertionError("no GEMM check noticed a GEMM that drops the last full block"
                        + " of 8 products when k is a multiple of 8"));
        String message = caught.failure().getMessage();
        assertTrue(message.contains("gemm(") && message.contains(" k=") && message.contains("tensor 'c'"),
                () -> "the failure should name the operation, its k and the tensor: " + message);
    }
}
