package dev.eimf.eval;

/**
 * One user to evaluate: what the model sees and what it should find.
 *
 * @param user    internal user id in the dataset
 * @param history internal item ids given to the model, oldest first
 * @param targets internal item ids to be retrieved (order kept as in time)
 */
public record EvalCase(int user, int[] history, int[] targets) {
}
