package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

/**
 * An 8-wide element-wise kernel whose main loop runs while {@code i + 8 < n} and whose tail loop starts at
 * {@code n - n % 8}: when the element count is an exact multiple of 8 the last 8 elements of {@code out} are never
 * written (they keep what they held). Every other size is right.
 */
final class MulDropsLastFullBlock extends FaultyBackend {
    static final int BLOCK = 8;

    static final PlantedFault FAULT = new PlantedFault("mul-drops-last-full-block",
            "mul leaves the last 8 elements of out unwritten when its size is a multiple of 8 (an unrolled loop's"
                    + " main-loop bound off by one block, its tail starting past it)",
            MulDropsLastFullBlock::new);

    MulDropsLastFullBlock(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        long size = out.size();
        if (size % BLOCK != 0 || a.size() != size || b.size() != size) {
            delegate.mul(a, b, out); // right, or the delegate's shape error
            return;
        }
        double[] before = out.toDoubleArray(); // read first: out may be a or b
        try (Tensor product = scratchLike(out)) {
            delegate.mul(a, b, product);
            double[] values = product.toDoubleArray();
            System.arraycopy(before, before.length - BLOCK, values, values.length - BLOCK, BLOCK);
            delegate.upload(values, out);
        }
    }
}
