package dev.unroll.conformance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The element-wise checks include sizes that are exact multiples of a vector width. Their shapes held 1, 17, 60 and
 * 1073 elements, no multiple of 8, so a vectorised kernel whose tail loop starts one block too late (leaving the last
 * 8 elements unwritten when the size is a multiple of 8) passed them and failed only inside whole recurrent stacks.
 */
class ElementwiseChecksCatchFullBlockTailTest {

    @Test
    void aMulCheckFailsAndItsMessageNamesMulAndTheShape() {
        CheckResult caught = FaultyOracle.firstCaughtBy(FaultyOracle.fault("mul-drops-last-full-block"), "elementwise")
                .orElseThrow(() -> new AssertionError("no element-wise check noticed a mul that leaves the last 8"
                        + " elements unwritten when the size is a multiple of 8"));
        String message = caught.failure().getMessage();
        assertTrue(message.startsWith("oracle+mul-drops-last-full-block mul [") && message.contains("differs at"),
                () -> "the failure should name mul, its shape and the first wrong element: " + message);
    }
}
