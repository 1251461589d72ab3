/**
 * IBIM: the implicit multi-interest backbones (docs/METHOD.md, section 3). {@link dev.eimf.internal.ibim.Encoders} builds a
 * {@link dev.eimf.internal.ibim.InterestEncoder} from an {@link dev.eimf.internal.ibim.EncoderConfig}: ComiRec-SA
 * ({@link dev.eimf.internal.ibim.SelfAttentiveEncoder}), ComiRec-DR and MIND ({@link dev.eimf.internal.ibim.CapsuleEncoder}).
 * Backward passes are written by hand and checked against finite differences.
 */
package dev.eimf.internal.ibim;
