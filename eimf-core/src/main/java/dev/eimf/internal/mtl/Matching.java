package dev.eimf.internal.mtl;

/** How each behavioural interest v_k is matched to one of the user's semantic interests. */
public enum Matching {
    /** {@code pi(k) = argmax_j cos(v_k, g(s_j))}, independently for each k (the default); ties take the lowest j. */
    ARGMAX,
    /**
     * One-to-one assignment maximising {@code sum_k cos(v_k, g(s_pi(k)))} (Hungarian algorithm). Needs J >= K;
     * a user with fewer semantic interests than behavioural ones falls back to {@link #ARGMAX}, and
     * {@link AuxiliaryTasks.Result#matchingFallbacks()} counts such users.
     */
    HUNGARIAN
}
