package dev.eimf.tensor;

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
