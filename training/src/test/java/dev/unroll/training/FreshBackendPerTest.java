package dev.unroll.training;

import dev.unroll.api.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test class whose every test gets a fresh {@link TestSupport#backend()}, closed after it. */
public abstract class FreshBackendPerTest {
    protected Backend backend;

    @BeforeEach
    void openBackend() {
        backend = TestSupport.backend();
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }
}
