package dev.unroll.api;

/** Element type of a {@link Tensor}. FLOAT32 is the working type; FLOAT64 is the oracle for gradient checks. */
public enum DType {
    FLOAT32(4),
    FLOAT64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }
}
