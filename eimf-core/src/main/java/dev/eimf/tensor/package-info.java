/**
 * The few numeric building blocks the rest of EIMF shares: {@link dev.eimf.tensor.Buf} windows on ND4J
 * storage, direct BLAS calls ({@link dev.eimf.tensor.Blas}), fused loops ({@link dev.eimf.tensor.Kernels}),
 * capsule routing ({@link dev.eimf.tensor.CapsuleRouting}), the optional Vector API forms of the short loops
 * ({@link dev.eimf.tensor.Simd}) and seeded initialisers. Everything works for
 * FLOAT (production) and DOUBLE (gradient checks).
 */
package dev.eimf.tensor;
