package dev.eimf.train;

/** The stages of a training run, in order. Without explicit interests only {@link #TRAINING} runs. */
public enum Stage {
    /** The backbone trains alone until its interests are worth clustering. */
    WARMUP,
    /** Typical users are chosen, their explicit interests extracted (LLM or offline) and embedded. */
    INTERESTS,
    /** Training on behaviour, with the explicit-interest tasks when configured. */
    TRAINING
}
