package dev.unroll.conformance.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalogue of planted faults. A test wraps a working backend in each and asserts that the kit fails at
 * least one check: a kit that passes a broken backend proves nothing.
 */
public final class PlantedFaults {
    private PlantedFaults() {
    }

    /** Faults in single primitives. */
    public static List<PlantedFault> primitives() {
        return List.of(
                GemmIgnoresTransposeOfSquareB.FAULT,
                GemmIgnoresBeta.FAULT,
                GemmReadsOutputWhenBetaIsZero.FAULT,
                GemmSkipsPartialRowBlock.FAULT,
                GemmDropsLastFullBlockOfK.FAULT,
                ColumnSumsSkipsLastRow.FAULT,
                SigmoidDerivativeWrongSign.FAULT,
                TanhDerivativeMissesSquare.FAULT,
                ReluDerivativeOneAtZero.FAULT,
                GatherSkipsLastIndex.FAULT,
                ScatterAddLosesRepeats.FAULT,
                SoftmaxBackwardKeepsIgnoredRows.FAULT,
                MaxAbsSkipsNaN.FAULT,
                ClampTurnsNaNIntoLow.FAULT,
                CopyColumnsIgnoresSourceOffset.FAULT,
                ViewOfViewLosesOffset.FAULT,
                UploadIntoViewWritesBaseStart.FAULT,
                MulOverwritesAliasedInput.FAULT,
                MulDropsLastFullBlock.FAULT,
                SoftmaxWithoutMaxSubtraction.FAULT,
                Float64StoredAsFloat32.FAULT,
                ShapeCheckComparesSizesOnly.FAULT);
    }

    /** Faults in the fused step and optimizer operations. */
    public static List<PlantedFault> fusedSteps() {
        return List.of(
                LstmBackwardDropsCellGradient.FAULT,
                GruUpdateGateSwapped.FAULT,
                AdamStepOffByOne.FAULT);
    }

    /** Faults that only whole recurrent stacks reveal: state carried across steps, fused backward paths. */
    public static List<PlantedFault> cells() {
        return List.of(
                CopyRowsWithinTensorSkipped.FAULT,
                LstmBackwardReadsWrongCellStep.FAULT,
                GruBackwardDropsDirectPath.FAULT,
                LstmSequenceBackwardDropsOutputGradient.FAULT,
                GruSequenceForwardIgnoresDirection.FAULT,
                LstmSequenceBackwardIgnoresActiveRows.FAULT);
    }

    /** The wrapper without a bug, which must pass every check. */
    public static PlantedFault control() {
        return NoFault.CONTROL;
    }

    /** Every planted fault. */
    public static List<PlantedFault> all() {
        List<PlantedFault> all = new ArrayList<>(primitives());
        all.addAll(fusedSteps());
        all.addAll(cells());
        return List.copyOf(all);
    }
}
