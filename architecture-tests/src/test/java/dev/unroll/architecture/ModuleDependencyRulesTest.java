package dev.unroll.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module map of the root README as executable rules over the main classes of every module:
 * api depends on the JDK alone; cells and training are backend-neutral; backends do not know each other;
 * Guice stays in the guice module; no package cycles.
 */
class ModuleDependencyRulesTest {
    private static final String[] BACKEND_LIBRARIES = {"org.nd4j..", "org.bytedeco..", "org.ejml..", "jcuda.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.unroll");
    }

    /** Guards against vacuous passes: every module's classes must actually be on the classpath. */
    @ParameterizedTest
    @ValueSource(strings = {"dev.unroll.api", "dev.unroll.api.spi", "dev.unroll.api.config", "dev.unroll.guice",
            "dev.unroll.backend.ejml", "dev.unroll.backend.cpu", "dev.unroll.backend.cuda", "dev.unroll.cells",
            "dev.unroll.training", "dev.unroll.conformance", "dev.unroll.benchmarks", "dev.unroll.cli"})
    void everyModuleIsImported(String pkg) {
        assertTrue(classes.stream().anyMatch(c -> c.getPackageName().equals(pkg) || c.getPackageName().startsWith(pkg + ".")),
                "no classes imported from " + pkg);
    }

    @Test
    void apiDependsOnTheJdkAlone() {
        classes().that().resideInAPackage("dev.unroll.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.unroll.api..", "java..")
                .because("the SPI depends on the JDK alone (root README, module map)")
                .check(classes);
    }

    @Test
    void cellsAndTrainingAreBackendNeutral() {
        noClasses().that().resideInAnyPackage("dev.unroll.cells..", "dev.unroll.training..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.unroll.backend..")
                .orShould().dependOnClassesThat().resideInAnyPackage(BACKEND_LIBRARIES)
                .orShould().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
                .because("cells and training call the SPI only")
                .check(classes);
    }

    @Test
    void backendsDoNotDependOnEachOther() {
        for (String backend : new String[] {"ejml", "cpu", "cuda"}) {
            noClasses().that().resideInAPackage("dev.unroll.backend." + backend + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(otherBackends(backend))
                    .because("backends never depend on each other")
                    .check(classes);
        }
    }

    @Test
    void backendsDependOnTheApiOnlyAmongProjectModules() {
        noClasses().that().resideInAPackage("dev.unroll.backend..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.unroll.cells..", "dev.unroll.training..",
                        "dev.unroll.guice..", "dev.unroll.conformance..")
                .check(classes);
    }

    @Test
    void onlyTheCommandLineAndTheBenchmarksSeeBackendClasses() {
        noClasses().that().resideOutsideOfPackages("dev.unroll.backend..", "dev.unroll.cli..", "dev.unroll.benchmarks..")
                .should().dependOnClassesThat().resideInAPackage("dev.unroll.backend..")
                .because("everything else reaches a backend through the SPI and ServiceLoader")
                .check(classes);
    }

    @Test
    void guiceLivesInTheGuiceModuleOnly() {
        noClasses().that().resideOutsideOfPackages("dev.unroll.guice..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
                .because("users who do not use Guice never need it on their classpath")
                .check(classes);
    }

    @Test
    void noCyclesBetweenModules() {
        slices().matching("dev.unroll.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noCyclesBetweenBackends() {
        slices().matching("dev.unroll.backend.(*)..").should().beFreeOfCycles().check(classes);
    }

    private static String[] otherBackends(String backend) {
        return java.util.stream.Stream.of("ejml", "cpu", "cuda")
                .filter(b -> !b.equals(backend))
                .map(b -> "dev.unroll.backend." + b + "..")
                .toArray(String[]::new);
    }
}
