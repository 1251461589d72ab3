package dev.eimf.internal.tensor;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Row-major GEMM straight into OpenBLAS on {@link Buf} windows with element offsets and leading
 * dimensions, so that blocks of larger buffers (one position of a batch, one user) need no copies.
 * Calling CBLAS directly costs well under a microsecond, against tens of microseconds for an ND4J op;
 * that matters for the per-position products of the capsule encoders.
 */
public final class Blas {

    private Blas() {
    }

    static {
        configureBlasThreads();
    }

    /**
     * EIMF splits large products across its own threads ({@link #pgemm}) and runs each BLAS call on one
     * thread: two thread pools on few cores would fight, and OpenMP workers that spin after each call
     * steal the cores from the Java loops between calls. The system property {@code eimf.blas.threads}
     * (default 1; 0 leaves the library's setting alone) sets the BLAS thread count, once, when this
     * class loads. This is process-wide and also applies to ND4J's own products.
     */
    private static void configureBlasThreads() {
        String p = System.getProperty("eimf.blas.threads", "1").trim();
        int n;
        try {
            n = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property eimf.blas.threads must be an integer, got '" + p + "'", e);
        }
        if (n > 0) {
            org.nd4j.linalg.factory.Nd4j.getEnvironment(); // load ND4J's BLAS first, so both use one library
            openblas.blas_set_num_threads(n);
        }
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} with row-major storage; {@code op(A)} is m x k and
     * {@code op(B)} is k x n. All three windows must have the same data type. Does nothing when
     * {@code m}, {@code n} or {@code k} is zero, except scaling C by beta when {@code k} is zero.
     *
     * @param lda row stride of A as stored (A stored m x k, or k x m when transposed)
     * @param ldb row stride of B as stored (k x n, or n x k when transposed)
     * @param ldc row stride of C (m x n)
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            Buf a, int aOff, int lda, Buf b, int bOff, int ldb,
                            double beta, Buf c, int cOff, int ldc) {
        if (a.dataType() != b.dataType() || a.dataType() != c.dataType()) {
            throw new IllegalArgumentException("gemm operands differ in type: " + a.dataType() + ", "
                    + b.dataType() + ", " + c.dataType());
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkRange("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        checkRange("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        checkRange("C", c, cOff, m, n, ldc);
        if (k == 0) {
            if (beta != 1.0) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        int idx = cOff + i * ldc + j;
                        c.set(idx, beta == 0.0 ? 0.0 : beta * c.get(idx));
                    }
                }
            }
            return;
        }
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (c instanceof Buf.F) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, m, n, k, (float) alpha,
                    (FloatPointer) a.pointer(aOff), lda, (FloatPointer) b.pointer(bOff), ldb,
                    (float) beta, (FloatPointer) c.pointer(cOff), ldc);
        } else {
            openblas.cblas_dgemm(openblas.CblasRowMajor, ta, tb, m, n, k, alpha,
                    (DoublePointer) a.pointer(aOff), lda, (DoublePointer) b.pointer(bOff), ldb,
                    beta, (DoublePointer) c.pointer(cOff), ldc);
        }
        // The pointers do not keep the arrays alive; the windows do, until here.
        java.lang.ref.Reference.reachabilityFence(a);
        java.lang.ref.Reference.reachabilityFence(b);
        java.lang.ref.Reference.reachabilityFence(c);
    }

    /** Smallest share of a product, in multiply-adds, worth handing to another thread. */
    private static final long MIN_PARALLEL_WORK = 1L << 18;

    /**
     * As {@link #gemm}, split across {@link Parallel#threads()} threads by blocks of rows of C (or of
     * columns when C has few rows), each block one single-threaded BLAS call. Every element of C is
     * computed by one call over the whole inner dimension, so the split changes no sum; the result
     * depends only on the thread count. Small products run as one call.
     */
    public static void pgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             Buf a, int aOff, int lda, Buf b, int bOff, int ldb,
                             double beta, Buf c, int cOff, int ldc) {
        long work = (long) m * n * k;
        int t = Parallel.threads();
        if (t <= 1 || work < 2 * MIN_PARALLEL_WORK || k == 0) {
            gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int minChunk = (int) Math.max(1, MIN_PARALLEL_WORK / Math.max(1, (long) n * k));
        if (m >= n || m >= 4 * t) {
            Parallel.forRange(m, Math.max(minChunk, 4), (from, to) -> gemm(transA, transB, to - from, n, k, alpha,
                    a, aOff + (transA ? from : from * lda), lda, b, bOff, ldb, beta, c, cOff + from * ldc, ldc));
        } else {
            int minCols = (int) Math.max(4, MIN_PARALLEL_WORK / Math.max(1, (long) m * k));
            Parallel.forRange(n, minCols, (from, to) -> gemm(transA, transB, m, to - from, k, alpha,
                    a, aOff, lda, b, bOff + (transB ? from * ldb : from), ldb, beta, c, cOff + from, ldc));
        }
    }

    /**
     * {@code y = alpha * op(A) x + beta * y} with row-major A stored {@code m x n} (row stride {@code lda});
     * {@code op(A)} is A or its transpose; x and y have unit stride.
     */
    public static void gemv(boolean transA, int m, int n, double alpha, Buf a, int aOff, int lda,
                            Buf x, int xOff, double beta, Buf y, int yOff) {
        if (a.dataType() != x.dataType() || a.dataType() != y.dataType()) {
            throw new IllegalArgumentException("gemv operands differ in type: " + a.dataType() + ", "
                    + x.dataType() + ", " + y.dataType());
        }
        int xLen = transA ? m : n;
        int yLen = transA ? n : m;
        if (yLen == 0) {
            return;
        }
        checkRange("x", x, xOff, 1, xLen, Math.max(1, xLen));
        checkRange("y", y, yOff, 1, yLen, yLen);
        if (xLen == 0) {
            for (int i = 0; i < yLen; i++) {
                y.set(yOff + i, beta == 0.0 ? 0.0 : beta * y.get(yOff + i));
            }
            return;
        }
        checkRange("A", a, aOff, m, n, lda);
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (y instanceof Buf.F) {
            openblas.cblas_sgemv(openblas.CblasRowMajor, ta, m, n, (float) alpha, (FloatPointer) a.pointer(aOff), lda,
                    (FloatPointer) x.pointer(xOff), 1, (float) beta, (FloatPointer) y.pointer(yOff), 1);
        } else {
            openblas.cblas_dgemv(openblas.CblasRowMajor, ta, m, n, alpha, (DoublePointer) a.pointer(aOff), lda,
                    (DoublePointer) x.pointer(xOff), 1, beta, (DoublePointer) y.pointer(yOff), 1);
        }
        java.lang.ref.Reference.reachabilityFence(a);
        java.lang.ref.Reference.reachabilityFence(x);
        java.lang.ref.Reference.reachabilityFence(y);
    }

    /** Native code would read or write out of bounds silently, so every block is checked first. */
    private static void checkRange(String name, Buf buf, int off, int rows, int cols, int ld) {
        if (off < 0 || ld < cols || rows < 0 || cols < 0) {
            throw new IllegalArgumentException("gemm " + name + ": bad offset/stride " + off + "/" + ld
                    + " for " + rows + " x " + cols);
        }
        long last = rows == 0 || cols == 0 ? off : (long) off + (long) (rows - 1) * ld + cols;
        if (last > buf.length()) {
            throw new IndexOutOfBoundsException("gemm " + name + ": block " + rows + " x " + cols + " at "
                    + off + " (stride " + ld + ") exceeds length " + buf.length());
        }
    }
}
