/**
 * Training: {@link dev.eimf.train.Trainer} turns a dataset and a split into an
 * {@link dev.eimf.model.InterestModel}, for the backbone alone or with the explicit-interest stages
 * ({@link dev.eimf.train.ExplicitInterestsConfig}). Hyperparameters live in {@link dev.eimf.train.TrainerConfig},
 * how the run executes in {@link dev.eimf.train.RunSettings}; one {@link dev.eimf.train.TrainingListener}
 * hears progress, validations, stages and extraction; a {@link dev.eimf.train.TrainingControl} stops a run;
 * the {@link dev.eimf.train.TrainingResult} holds the model and the {@link dev.eimf.train.TrainingReport}.
 *
 * <h2>Exceptions, throughout the API</h2>
 * <ul>
 *   <li>Every exception the API throws is unchecked; none is thrown for a condition the caller cannot act on.</li>
 *   <li>A bad argument or setting: {@link java.lang.IllegalArgumentException} naming the field and the value,
 *       thrown when a builder's {@code build()} or the method is called, never later (a null where a value is
 *       required: {@link java.lang.NullPointerException} naming it).</li>
 *   <li>Bad input data: {@link dev.eimf.data.DataFormatException} naming the file, line and field.</li>
 *   <li>A file that cannot be read or written: {@link java.io.UncheckedIOException} naming the path; a damaged
 *       or foreign model file or checkpoint has the engine's {@code ModelFormatException} (an
 *       {@code IOException} naming the file and what is wrong) as its cause.</li>
 *   <li>A call the object's state does not allow (explaining a model trained without explicit interests, a
 *       work directory holding another run): {@link java.lang.IllegalStateException} saying what to do.</li>
 *   <li>The interfaces you implement may throw {@link java.io.IOException} where they call remote services
 *       (see {@link dev.eimf.esim}).</li>
 * </ul>
 */
package dev.eimf.train;
