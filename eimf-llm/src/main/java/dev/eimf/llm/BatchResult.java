package dev.eimf.llm;

import java.io.IOException;
import java.util.Objects;

/**
 * The outcome of one item of a batch: either a value or the exception that item ended with, so that one
 * failure does not lose the rest of the batch.
 *
 * @param index position of the item in the input list
 * @param value the result, or null when the item failed
 * @param error the failure, or null when the item succeeded
 * @param <T>   result type
 */
public record BatchResult<T>(int index, T value, IOException error) {
    public BatchResult {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of value and error must be set (item " + index + ")");
        }
    }

    /** A successful item. */
    public static <T> BatchResult<T> success(int index, T value) {
        return new BatchResult<>(index, Objects.requireNonNull(value, "value"), null);
    }

    /** A failed item. */
    public static <T> BatchResult<T> failure(int index, IOException error) {
        return new BatchResult<>(index, null, Objects.requireNonNull(error, "error"));
    }

    /** Whether the item succeeded. */
    public boolean isSuccess() {
        return error == null;
    }

    /** The value, or the item's exception thrown again. */
    public T getOrThrow() throws IOException {
        if (error != null) {
            throw error;
        }
        return value;
    }
}
