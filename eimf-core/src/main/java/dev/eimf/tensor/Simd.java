package dev.eimf.tensor;

/**
 * Whether EIMF's dot-product loops run on the Java Vector API ({@code jdk.incubator.vector}).
 *
 * <p>C2 does not vectorise floating-point sums, so a few hot dot products (the MIND/DR routing logits,
 * ComiRec-SA's attention scores) are written twice: a scalar loop that always works, and a Vector API
 * loop about four times faster, used when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} on hardware with 256-bit vectors. The system property
 * {@code eimf.vector=false} forces the scalar loops.
 *
 * <p>The two sum in different orders, so a model trained with the Vector API differs from one trained
 * without it in the last bits of every float; each is deterministic for a fixed seed and thread count.
 * The choice is made once, when this class is loaded.
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
                k = (VectorKernels) Class.forName("dev.eimf.tensor.VectorApiKernels")
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
