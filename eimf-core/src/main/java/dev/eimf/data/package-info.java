/**
 * Interaction data: fill it in memory with {@link dev.eimf.data.InteractionsBuilder} or read files with
 * {@link dev.eimf.data.DatasetLoaders} (MovieLens, RecBole atomic files, plain CSV), then filter and re-index
 * it with the {@link dev.eimf.data.Preprocessor} into the {@link dev.eimf.data.Dataset} that training takes.
 * Bad input raises {@link dev.eimf.data.DataFormatException} naming the file, line and field; other
 * exceptions follow the policy of {@link dev.eimf.train}.
 */
package dev.eimf.data;
