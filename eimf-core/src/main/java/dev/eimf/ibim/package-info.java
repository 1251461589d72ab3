/**
 * IBIM: the implicit multi-interest backbones (method spec §2). {@link dev.eimf.ibim.Encoders} builds a
 * {@link dev.eimf.ibim.InterestEncoder} from an {@link dev.eimf.ibim.EncoderConfig}: ComiRec-SA
 * ({@link dev.eimf.ibim.SelfAttentiveEncoder}), ComiRec-DR and MIND ({@link dev.eimf.ibim.CapsuleEncoder}).
 * Backward passes are written by hand and checked against finite differences.
 */
package dev.eimf.ibim;
