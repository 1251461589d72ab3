/**
 * The two auxiliary tasks of EIMF's multi-task training (docs/METHOD.md, section 5): modality alignment (InfoNCE between
 * behavioural interests and projected semantic interests) and semantic prediction (an MLP head predicting the
 * semantic vector from the behavioural interest), with the projection g that also names interests at serving
 * time ({@link dev.eimf.internal.mtl.InterestNamer}). Entry point: {@link dev.eimf.internal.mtl.AuxiliaryTasks}, configured by
 * {@link dev.eimf.internal.mtl.AuxTasksConfig}, fed a {@link dev.eimf.internal.mtl.SemanticBatch} per training batch. Every
 * backward pass is written by hand and checked against central finite differences in double precision.
 */
package dev.eimf.internal.mtl;
