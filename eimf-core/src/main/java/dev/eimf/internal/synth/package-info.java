/**
 * Synthetic datasets with planted multi-interest structure, for tests, benchmarks and scale runs: a
 * {@link dev.eimf.internal.synth.SyntheticConfig} describes users, items, topics and popularity;
 * {@link dev.eimf.internal.synth.SyntheticGenerator} generates the data in memory with its
 * {@link dev.eimf.internal.synth.GroundTruth}, or streams it to disk in any format the loaders read.
 *
 * <p>Typical use:
 * <pre>{@code
 * SyntheticConfig c = SyntheticConfig.builder().users(1_000_000).items(1_000_000).interactions(10_000_000)
 *         .topics(200).seed(7).build();
 * new SyntheticGenerator(c).write(dir, DatasetFormat.RECBOLE);
 * RawData raw = DatasetLoaders.load(dir, LoadOptions.strict());
 * }</pre>
 */
package dev.eimf.internal.synth;
