package dev.eimf.internal.tensor;

/**
 * Whether the encoders' short loops run on the Java Vector API ({@code jdk.incubator.vector}).
 *
 * <p>C2 does not vectorise floating-point sums, and a BLAS call costs more than a product of a few
 * thousand multiply-adds. So the routing of the capsule encoders (logit dot products, the softmax over
 * four interests, capsule sums, squash norms) and parts of ComiRec-SA (scores fused into the tanh pass,
 * the per-user attention products, the tanh, the hidden-layer backward) are written twice: a scalar form
 * that always works, and a Vector API form used when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} on hardware with 256-bit vectors. The system property
 * {@code eimf.vector=false} forces the scalar forms.
 *
 * <p>The tanh and SA's hidden backward give the scalar forms' bits; the other kernels sum in another
 * order, so a model trained with the Vector API differs from one trained without it in the last bits;
 * each is deterministic for a fixed seed and thread count. Until C2 compiles them, Vector API methods run
 * as slow object code (about a second of a training run). The choice is made once, when this class is
 * loaded.
 */
public final class Simd {

    /** The system property that, set to {@code false}, keeps the scalar loops. */
    public static final String PROPERTY = "eimf.vector";

    static final VectorKernels KERNELS;
    private static final String DESCRIPTION;

    static {
        VectorKernels k = null;
        String why;
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            why = "scalar loops (" + PROPERTY + "=false)";
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            why = "scalar loops (start the JVM with --add-modules jdk.incubator.vector for the Vector API)";
        } else {
            try {
                k = (VectorKernels) Class.forName("dev.eimf.internal.tensor.VectorApiKernels")
                        .getDeclaredConstructor().newInstance();
                why = "Java Vector API, 256-bit";
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                why = "scalar loops (Vector API unusable: " + cause.getMessage() + ")";
            }
        }
        KERNELS = k;
        DESCRIPTION = why;
    }

    private Simd() {
    }

    /** Whether the Vector API loops are in use. */
    public static boolean vectorised() {
        return KERNELS != null;
    }

    /** One line saying which loops are in use and, for the scalar ones, why. */
    public static String description() {
        return DESCRIPTION;
    }
}
