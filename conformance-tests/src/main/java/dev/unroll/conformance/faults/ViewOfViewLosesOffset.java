package dev.unroll.conformance.faults;

import dev.unroll.api.Backend;
import dev.unroll.api.Tensor;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Row views that compute their offset from the storage's start rather than from the tensor they view: a
 * view of a view (a step of a layer's slice of a sequence) lands on the wrong rows. Plain views still work.
 */
final class ViewOfViewLosesOffset extends FaultyBackend {
    static final PlantedFault FAULT = new PlantedFault("view-of-view-loses-offset",
            "viewRows of a row view ignores the outer view's first row", ViewOfViewLosesOffset::new);

    /** Each view this backend made, and the tensor that owns its storage. */
    private final Map<Tensor, Tensor> storageOf = new IdentityHashMap<>();

    ViewOfViewLosesOffset(Backend working) {
        super(working, FAULT.name());
    }

    @Override
    public Tensor viewRows(Tensor base, int firstRow, int rowCount) {
        Tensor storage = storageOf.getOrDefault(base, base);
        Tensor view = delegate.viewRows(storage, firstRow, rowCount);
        storageOf.put(view, storage);
        return view;
    }
}
