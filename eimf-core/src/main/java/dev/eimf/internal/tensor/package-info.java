/**
 * The few numeric building blocks the rest of EIMF shares: {@link dev.eimf.internal.tensor.Buf} windows on ND4J
 * storage, direct BLAS calls ({@link dev.eimf.internal.tensor.Blas}), fused loops ({@link dev.eimf.internal.tensor.Kernels}),
 * capsule routing ({@link dev.eimf.internal.tensor.CapsuleRouting}), the optional Vector API forms of the short loops
 * ({@link dev.eimf.internal.tensor.Simd}) and seeded initialisers. Everything works for
 * FLOAT (production) and DOUBLE (gradient checks).
 */
package dev.eimf.internal.tensor;
