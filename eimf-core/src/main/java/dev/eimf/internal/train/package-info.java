/**
 * Training: hard readout, sampled softmax with candidate samplers, Adam (dense and lazy for the item
 * table), gradient clipping and the trainer. Every backward pass is written by hand and proven by a
 * finite-difference test; tensors may be float or double (the tests run in double).
 */
package dev.eimf.internal.train;
