package dev.unroll.backend.cuda;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster launches the driver refused on one device, shared by the backend instances on it (through
 * {@link KernelLibrary}). JCuda 12.0 has no {@code cuOccupancyMaxActiveClusters}, so whether a cluster of
 * {@link ClusterPlan#BLOCKS} blocks with a plan's threads and shared memory can be scheduled at all is learnt from
 * the launch: on a partitioned GPU (a MIG slice, or fewer free multiprocessors per GPC than blocks) the driver
 * refuses it. Such a refusal is reported by {@code cuLaunchKernel} itself, before anything is enqueued, and does not
 * poison the context, so the backend records the launch here and runs the same work another way (the grid kernel
 * or the step loop) from then on.
 */
final class ClusterRefusals {
    /** CUDA_ERROR_INVALID_CLUSTER_SIZE: "a kernel launch error due to cluster misconfiguration". */
    static final int INVALID_CLUSTER_SIZE = 912;
    /** CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES: too many registers or too much shared memory for the block. */
    static final int LAUNCH_OUT_OF_RESOURCES = 701;

    private final Set<Launch> refused = ConcurrentHashMap.newKeySet();

    /** One cluster kernel at one block size and shared-memory size. */
    private record Launch(Kernel kernel, int threads, int sharedBytes) {
    }

    /** Whether a launch that failed with {@code driverResult} was refused for its shape, not failed on the device. */
    static boolean isRefusal(int driverResult) {
        return driverResult == INVALID_CLUSTER_SIZE || driverResult == LAUNCH_OUT_OF_RESOURCES;
    }

    /** Records that the driver refused {@code kernel} under {@code plan}. */
    void refuse(Kernel kernel, ClusterPlan plan) {
        refused.add(new Launch(kernel, plan.threads(), plan.sharedBytes()));
    }

    /** Whether {@code kernel} may be launched under {@code plan}: the driver has not refused it before. */
    boolean allows(Kernel kernel, ClusterPlan plan) {
        return !refused.contains(new Launch(kernel, plan.threads(), plan.sharedBytes()));
    }
}
