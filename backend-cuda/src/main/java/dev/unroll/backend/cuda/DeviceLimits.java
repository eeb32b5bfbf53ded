package dev.unroll.backend.cuda;

/**
 * What kernel planning needs to know about the device, asked once per backend.
 *
 * @param multiprocessors     {@code CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT}
 * @param maxSharedBytesOptIn {@code CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN}
 * @param cooperativeLaunch   {@code CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH}: all blocks of a grid can be made
 *                            resident at once, which grid-wide barriers need
 * @param clusterKernels      whether the cluster kernels (persistent_cluster.cu, compute capability 9.0+) are
 *                            loaded on this device
 */
record DeviceLimits(int multiprocessors, int maxSharedBytesOptIn, boolean cooperativeLaunch, boolean clusterKernels) {
}
