package dev.unroll.backend.cuda;

import jcuda.driver.CUgraphExec;

/**
 * A recorded sequence of device work (a whole forward or BPTT over a sequence, say) that replays with one
 * {@code cuGraphLaunch} instead of one {@code cuLaunchKernel} per kernel: about 1 microsecond per captured
 * launch instead of 7 to 10 from Java.
 *
 * <p>Made by {@link CudaBackend#capture}. The graph holds the device addresses its work touched, so:
 * <ul>
 *   <li>every tensor the captured work used must stay open (not closed, not reallocated) while the graph
 *       lives: capture per shape, with the workspaces of that shape;</li>
 *   <li>a replay computes on whatever those tensors hold when it runs: upload new inputs into the same
 *       tensors, then replay;</li>
 *   <li>work that talks to the host (uploads, downloads, scalar reductions such as {@code sumOfSquares},
 *       index-taking operations) or allocates tensors cannot be captured and fails during the capture.</li>
 * </ul>
 * Replays are ordered with everything else on the backend's stream, and return without waiting.
 */
public final class StepGraph implements AutoCloseable {
    private final CudaDevice device;
    private CUgraphExec exec;

    StepGraph(CudaDevice device, CUgraphExec exec) {
        this.device = device;
        this.exec = exec;
    }

    /** Enqueues the recorded work once more. */
    public void replay() {
        if (exec == null) {
            throw new IllegalStateException("this StepGraph is closed");
        }
        device.replay(exec);
    }

    /** True once closed. */
    public boolean isClosed() {
        return exec == null;
    }

    /** Frees the executable graph. Closing twice is allowed. */
    @Override
    public void close() {
        if (exec != null) {
            CUgraphExec e = exec;
            exec = null;
            device.destroy(e);
        }
    }
}
