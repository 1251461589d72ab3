package dev.eimf.backbone;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trainable tensor of a {@link Backbone}: its values and the gradient buffer of the same size, both
 * row-major float arrays of the given shape. The trainer writes {@link #value()} between steps (the
 * optimiser's update) and zeroes {@link #grad()} before each forward pass; the backbone's backward pass
 * adds into {@code grad}.
 */
public final class Parameter {
    private final String name;
    private final int[] shape;
    private final float[] value;
    private final float[] grad;

    private Parameter(String name, int[] shape, float[] value) {
        this.name = Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_.]+")) {
            throw new IllegalArgumentException("parameter name must be letters, digits, '_' or '.', got '" + name + "'");
        }
        this.shape = shape.clone();
        long n = 1;
        for (int s : shape) {
            if (s < 1) throw new IllegalArgumentException("parameter '" + name + "' has shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, s);
        }
        if (value.length != n) {
            throw new IllegalArgumentException("parameter '" + name + "' of shape " + Arrays.toString(shape) + " needs "
                    + n + " values, got " + value.length);
        }
        this.value = value;
        this.grad = new float[value.length];
    }

    /**
     * A parameter holding {@code value} (not copied: the backbone reads it in its passes).
     *
     * @param name  stable name, used in model files
     * @param value row-major values
     * @param shape the tensor's shape
     */
    public static Parameter of(String name, float[] value, int... shape) {
        return new Parameter(name, shape, Objects.requireNonNull(value, "value"));
    }

    /** A zero-initialised parameter of the given shape. */
    public static Parameter zeros(String name, int... shape) {
        long n = 1;
        for (int s : shape) n = Math.multiplyExact(n, Math.max(s, 1));
        return new Parameter(name, shape, new float[Math.toIntExact(n)]);
    }

    /** The stable name. */
    public String name() { return name; }

    /** A copy of the shape. */
    public int[] shape() { return shape.clone(); }

    /** The live values, row-major. */
    public float[] value() { return value; }

    /** The live gradient buffer, row-major; backward passes add into it. */
    public float[] grad() { return grad; }

    /** Number of values. */
    public int size() { return value.length; }
}
