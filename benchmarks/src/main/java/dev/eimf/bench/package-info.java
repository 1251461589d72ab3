/** JMH benchmarks of the training and retrieval kernels. */
package dev.eimf.bench;
