package dev.unroll.backend.cuda;

import dev.unroll.api.Backend;
import dev.unroll.api.config.BackendSettings;
import dev.unroll.api.spi.Availability;
import dev.unroll.api.spi.BackendProvider;

/**
 * The {@code cuda} backend: JCuda's driver API with the project's own PTX kernels, FLOAT32 only. Ranked above
 * the CPU backends, so it is chosen by default wherever a suitable GPU is available. Settings:
 * {@code unroll.cuda.device} (environment {@code UNROLL_CUDA_DEVICE}), the device ordinal, default 0.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** The provider name. */
    public static final String NAME = "cuda";
    /** Above the CPU backends (ND4J, EJML): a GPU, when there is one, is the better default. */
    public static final int RANK = 300;
    /** The setting that picks the device. */
    public static final String DEVICE_KEY = "unroll.cuda.device";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public Availability availability() {
        int device;
        try {
            device = BackendSettings.fromEnvironment().getInt(DEVICE_KEY, 0);
        } catch (IllegalArgumentException e) {
            return Availability.no(e.getMessage());
        }
        return CudaProbe.check(device);
    }

    @Override
    public Backend create(BackendSettings settings) {
        return CudaBackend.open(settings.getInt(DEVICE_KEY, 0));
    }
}
