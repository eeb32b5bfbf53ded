package dev.unroll.backend.cpu;

import java.util.Locale;
import java.util.Optional;

/**
 * Which float32 tanh the fused kernels and the TANH activation use ({@code unroll.cpu.tanh}). The fast one is
 * Eigen's rational approximation (up to 6 ulps, 0.8 ns an element here); the exact one is correctly rounded but
 * for values within about 1e-12 of a halfway point (3.2 ns). With the exact one the backend's float32 results
 * are as close to the float64 truth as PyTorch's own float32 (backend-cpu/README.md, Accuracy).
 */
enum Float32Tanh {
    FAST {
        @Override
        void apply(float[] v, int length) {
            Float32Math.tanh(v, length);
        }
    },
    EXACT {
        @Override
        void apply(float[] v, int length) {
            Float32Math.exactTanh(v, length);
        }
    };

    /** {@code v[k] = tanh(v[k])} for {@code k < length}. */
    abstract void apply(float[] v, int length);

    /** The setting's value for this choice: {@code fast} or {@code exact}. */
    String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice a setting names ({@code fast} or {@code exact}, any case), if it names one. */
    static Optional<Float32Tanh> parse(String value) {
        for (Float32Tanh t : values()) {
            if (t.settingValue().equalsIgnoreCase(value.strip())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
