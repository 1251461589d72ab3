package dev.eimf.internal.train;

import dev.eimf.internal.ibim.Param;
import java.util.List;

/** {@code tf.clip_by_global_norm} over the encoder's gradients and the sparse table gradient. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** Global L2 norm of all gradients. */
    public static double globalNorm(List<Param> params, TableGradient table) {
        double s = table == null ? 0 : table.sumOfSquares();
        for (Param p : params) {
            double n = p.grad().norm2Number().doubleValue();
            s += n * n;
        }
        return Math.sqrt(s);
    }

    /**
     * Scales every gradient by {@code clipNorm / max(globalNorm, clipNorm)}.
     *
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(List<Param> params, TableGradient table, double clipNorm) {
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clipNorm must be positive: " + clipNorm);
        }
        double norm = globalNorm(params, table);
        if (norm > clipNorm) {
            double f = clipNorm / norm;
            for (Param p : params) {
                p.grad().muli(f);
            }
            if (table != null) {
                table.scale(f);
            }
        }
        return norm;
    }
}
