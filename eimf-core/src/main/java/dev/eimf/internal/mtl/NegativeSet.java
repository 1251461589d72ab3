package dev.eimf.internal.mtl;

/** Which projected semantic interests of the other users in the batch serve as InfoNCE negatives. */
public enum NegativeSet {
    /** All J interests of every other eligible user (the default). */
    ALL,
    /** Only the interests that the other user's own behavioural interests were matched to. */
    MATCHED
}
