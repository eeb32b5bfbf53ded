package dev.unroll.backend.cuda;

import dev.unroll.api.config.BackendSettings;

import java.util.Set;

/**
 * The cuda backend's settings (each a system property, or its environment variable such as
 * {@code UNROLL_CUDA_GEMM}), read when a backend opens and before it touches the device, so that a malformed value
 * fails with its name and nothing is left open.
 *
 * @param gemm              {@value GemmVariant#FAMILY_KEY}: which SGEMM family {@link GemmVariant#choose} picks from
 * @param persistentSchemes {@value PersistentScheme#PROPERTY}: the persistent kernels a whole sequence may use
 * @param graphs            {@value GraphRecording#KEY}: whether repeated work is recorded as graphs
 */
record CudaSettings(GemmVariant.Family gemm, Set<PersistentScheme> persistentSchemes, GraphRecording graphs) {

    CudaSettings {
        persistentSchemes = Set.copyOf(persistentSchemes);
    }

    /** The settings of this JVM and its environment. */
    static CudaSettings fromEnvironment() {
        return from(BackendSettings.fromEnvironment());
    }

    /** The settings {@code settings} holds; the defaults where it holds none. */
    static CudaSettings from(BackendSettings settings) {
        return new CudaSettings(
                GemmVariant.Family.parse(settings.get(GemmVariant.FAMILY_KEY).orElse(null)),
                PersistentScheme.parse(settings.get(PersistentScheme.PROPERTY).orElse(null)),
                GraphRecording.parse(settings.get(GraphRecording.KEY).orElse(null)));
    }
}
