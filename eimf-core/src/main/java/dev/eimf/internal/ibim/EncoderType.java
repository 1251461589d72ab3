package dev.eimf.internal.ibim;

/** The built-in multi-interest backbones (docs/METHOD.md, sections 3.1 to 3.3), after the public ComiRec code. */
public enum EncoderType {
    /** ComiRec-SA: multi-head self-attentive pooling. */
    SA,
    /** ComiRec-DR: capsules with per-position bilinear maps and dynamic routing. */
    DR,
    /** MIND as in the ComiRec code: one shared map, random routing logits, ReLU projection. */
    MIND
}
