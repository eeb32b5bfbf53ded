package dev.unroll.conformance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code -Dunroll.conformance.filter=TEXT} narrows the kit's dynamic tests to the checks whose group or name contains
 * TEXT. Surefire's {@code -Dtest=Class#method} stops at the {@code @TestFactory}, so without it an author fixing one
 * GEMM case reran all the primitives. The checks it leaves out show as one skipped test, so a filtered run never
 * reads as a full pass.
 */
class ConformanceKitFilterTest {
    private static final Check.CheckBody PASS = () -> { };
    private static final List<Check> CHECKS = List.of(
            new Check("gemm", "gemm(transA=true, transB=false) m=5 n=5 k=5 FLOAT32", PASS),
            new Check("gemm", "gemm(transA=false, transB=false) m=5 n=5 k=5 FLOAT32", PASS),
            new Check("elementwise", "mul [8, 16], separate output FLOAT32", PASS));

    @AfterEach
    void clearFilter() {
        System.clearProperty(CheckFilter.PROPERTY);
    }

    @Test
    void onlyMatchingChecksRunAndTheOthersAreReportedAsOneSkippedTest() {
        System.setProperty(CheckFilter.PROPERTY, "GEMM(transA=true");
        List<DynamicTest> tests = leaves(ConformanceKit.nodes(CHECKS));
        // the case-insensitive match keeps one check; the other two are counted in one skipped test
        assertEquals(List.of("gemm(transA=true, transB=false) m=5 n=5 k=5 FLOAT32",
                "2 of 3 checks left out by -Dunroll.conformance.filter=GEMM(transA=true"),
                tests.stream().map(DynamicTest::getDisplayName).toList());
        assertThrows(TestAbortedException.class, () -> tests.get(1).getExecutable().execute());
    }

    @Test
    void aGroupNameMatchesEveryCheckOfTheGroup() {
        System.setProperty(CheckFilter.PROPERTY, "elementwise");
        assertEquals(2, leaves(ConformanceKit.nodes(CHECKS)).size()); // the mul check and the skipped one
    }

    @Test
    void withoutTheFilterEveryCheckRunsAndNothingIsSkipped() {
        assertEquals(3, leaves(ConformanceKit.nodes(CHECKS)).size());
    }

    /** The dynamic tests inside the containers, in order. */
    private static List<DynamicTest> leaves(Stream<DynamicNode> nodes) {
        List<DynamicTest> tests = new ArrayList<>();
        nodes.forEach(node -> {
            if (node instanceof DynamicContainer container) {
                tests.addAll(leaves(container.getChildren().map(DynamicNode.class::cast)));
            } else {
                tests.add((DynamicTest) node);
            }
        });
        return tests;
    }
}
