package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An upload that copies to the storage's base address and forgets the view's offset (a host-to-device copy
 * given the allocation's pointer): uploading into a step of a sequence overwrites step 0.
 */
final class UploadIntoViewWritesBaseStart extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("upload-into-view-writes-base-start",
            "upload into a row view writes the first rows of the viewed tensor instead", UploadIntoViewWritesBaseStart::new);

    /** Each row view this backend made, and the tensor it views. */
    private final Map<Tensor, Tensor> baseOf = new IdentityHashMap<>();

    UploadIntoViewWritesBaseStart(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public Tensor viewRows(Tensor base, int firstRow, int rowCount) {
        Tensor view = delegate.viewRows(base, firstRow, rowCount);
        baseOf.put(view, base);
        return view;
    }

    @Override
    public void upload(double[] src, Tensor dst) {
        Tensor base = baseOf.get(dst);
        if (base == null) {
            delegate.upload(src, dst);
            return;
        }
        try (Tensor start = delegate.viewRows(base, 0, dst.rows())) {
            delegate.upload(src, start);
        }
    }
}
