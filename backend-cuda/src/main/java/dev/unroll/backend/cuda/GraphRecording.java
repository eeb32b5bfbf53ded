package dev.unroll.backend.cuda;

/**
 * Whether {@link CudaBackend#runRepeatable} records work as graphs (the default) or runs it directly, launch by
 * launch: {@code -Dunroll.cuda.graphs=off} (or environment {@code UNROLL_CUDA_GRAPHS}). A switch for measuring
 * what the graphs gain and for ruling them out when something on a new device goes wrong.
 */
enum GraphRecording {
    ON, OFF;

    static final String KEY = "unroll.cuda.graphs";

    /** The setting's value, {@code on} or {@code off}; ON when unset. */
    static GraphRecording parse(String value) {
        return SettingChoice.parse(GraphRecording.class, KEY, value, ON);
    }
}
