package dev.eimf.internal.pipeline;

import dev.eimf.internal.train.Progress;

/** Receives progress from {@link EimfPipeline}: stage changes and the trainer's reports. */
public interface PipelineListener {
    /** A listener that ignores everything. */
    PipelineListener NONE = new PipelineListener() { };

    /**
     * A stage starts or reports.
     *
     * @param stage  {@code warmup}, {@code esim} or {@code train}
     * @param detail a human-readable line
     */
    default void stage(String stage, String detail) {
    }

    /** Extraction advanced: {@code done} of {@code total} distinct requests settled. */
    default void extraction(int done, int total) {
    }

    /** A training report of stage {@code stage}. */
    default void training(String stage, Progress progress) {
    }
}
