package dev.eimf.internal.train;

import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.InterestEncoder;
import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.Parallel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a multi-interest model on a {@link Split} as the ComiRec code does: ComiRec batches, hard
 * readout, sampled softmax over the tied item table, Adam; validation every {@code evalEvery} steps
 * through the shared {@link Evaluator}, best weights kept, early stopping with patience, and the best
 * weights restored at the end.
 *
 * <p>Every random choice derives from {@link TrainerConfig#seed()} through separate {@link SeededRandom}
 * streams per purpose (table init, encoder init, batches, negatives, forward randomness), so the same
 * seed (and thread count) gives the same model and metrics, unless a time budget cuts training short.
 * With {@link RunOptions} a run writes checkpoints that hold everything the loop needs (weights, Adam
 * moments, random states, step, best weights and validations so far); a run resumed from one continues
 * exactly as the uninterrupted run would have.
 */
public final class Trainer {
    private static final int STREAM_TABLE = 0;
    private static final int STREAM_ENCODER = 1;
    private static final int STREAM_BATCH = 2;
    private static final int STREAM_NEGATIVE = 3;
    private static final int STREAM_FORWARD = 4;

    private final TrainerConfig config;

    /** @param config the training configuration */
    public Trainer(TrainerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration. */
    public TrainerConfig config() {
        return config;
    }

    /** Trains without progress reports. */
    public TrainingResult train(Split split) {
        return train(split, TrainingListener.NONE);
    }

    /** Trains from scratch with default {@link RunOptions}. */
    public TrainingResult train(Split split, TrainingListener listener) {
        return train(split, listener, RunOptions.defaults());
    }

    /**
     * Trains a model.
     *
     * @param split    training sequences and validation cases (validation needs at least one case
     *                 unless {@code evalEvery} is 0)
     * @param listener receives progress reports
     * @param options  checkpoints, resume and auxiliary objective
     * @return the model with the best validated weights (unless {@link RunOptions#restoreBest()} is
     *         off), and the training record
     * @throws UncheckedIOException when a checkpoint cannot be read or written
     * @throws MemoryLimitException  when the run's estimated memory ({@link MemoryEstimate}) exceeds what the
     *                               process may use; nothing has been allocated then
     */
    public TrainingResult train(Split split, TrainingListener listener, RunOptions options) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(options, "options");
        if (config.evalEvery() > 0 && split.valid().isEmpty()) {
            throw new IllegalArgumentException("split has no validation cases; set evalEvery(0) to train without");
        }
        if (config.threads() > 0) {
            Parallel.setThreads(config.threads());
        }
        // Before the encoder and table exist: ND4J's memory is outside the heap, so an oversized run would
        // otherwise grow until the kernel kills it instead of failing here.
        config.encoder().encoderConfig().ifPresent(e ->
                MemoryEstimate.check(config, e, split, options.checkpoint().isPresent()));
        try {
            return new Run(split, listener, options).execute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The item table, initialised as TensorFlow's default for {@code get_variable} (Glorot uniform over
     * the [n+1, d] shape, as ComiRec's embedding variable), with the padding row 0 set to zero.
     */
    static INDArray initTable(int numItems, int dim, DataType type, java.util.random.RandomGenerator rng) {
        int rows = numItems + 1;
        double limit = Math.sqrt(6.0 / (rows + dim));
        double[] w = new double[rows * dim];
        for (int i = dim; i < w.length; i++) {
            w[i] = rng.nextDouble(-limit, limit);
        }
        return Nd4j.createFromArray(w).reshape(rows, dim).castTo(type).dup('c');
    }

    /** One training run: its state is exactly what a checkpoint holds. */
    final class Run {
        final Split split;
        final TrainingListener listener;
        final RunOptions options;
        final InterestEncoder encoder;
        final List<Param> params;
        final DataType type;
        final INDArray table;
        final TrainedModel model;
        final BatchSampler batches;
        final CandidateSampler sampler;
        final SampledSoftmax softmax = new SampledSoftmax();
        final TableGradient tableGrad;
        final DenseAdam paramAdam;
        final TableAdam tableAdam;
        final Optional<AuxiliaryObjective> aux;
        final List<Param> auxParams;
        /** The encoder's parameters, then the auxiliary objective's: zeroed, clipped and kept with the best weights. */
        final List<Param> allParams;
        final DenseAdam auxAdam;
        final Evaluator evaluator;
        SeededRandom batchRng;
        SeededRandom negativeRng;
        SeededRandom forwardRng;

        long step;
        long trainNanos;
        long evalNanos;
        double lossSum;
        int lossCount;
        List<ValidationPoint> validations = new ArrayList<>();
        MetricsResult latest;
        MetricsResult best;
        double bestValue = Double.NaN;
        long bestStep;
        INDArray bestTable;
        List<INDArray> bestParams;
        int sinceImprovement;

        Run(Split split, TrainingListener listener, RunOptions options) throws IOException {
            this.split = split;
            this.listener = listener;
            this.options = options;
            long seed = config.seed();
            encoder = config.encoder().create(SeededRandom.stream(seed, STREAM_ENCODER));
            params = encoder.parameters();
            if (config.encoder().encoderConfig().isEmpty()) {
                // A custom encoder's weights exist now; the table and the loop's buffers do not yet.
                MemoryEstimate.of(config, encoder, split, options.checkpoint().isPresent())
                        .check(MemoryEstimate.Limits.current());
            }
            type = params.isEmpty() ? DataType.FLOAT : params.get(0).value().dataType();
            int n = split.numItems();
            table = initTable(n, encoder.dim(), type, SeededRandom.stream(seed, STREAM_TABLE));
            model = new TrainedModel(table, encoder, config);
            batches = new BatchSampler(split.train(), encoder.maxLen());
            sampler = CandidateSampler.of(config.sampler(), n);
            tableGrad = new TableGradient(n + 1, encoder.dim());
            paramAdam = new DenseAdam(config.adam(), params);
            tableAdam = new TableAdam(config.adam(), config.tableAdamMode(), table);
            aux = options.auxiliary();
            auxParams = aux.map(AuxiliaryObjective::parameters).orElse(List.of());
            List<Param> all = new ArrayList<>(params);
            all.addAll(auxParams);
            allParams = List.copyOf(all);
            auxAdam = new DenseAdam(config.adam(), auxParams);
            evaluator = new Evaluator(config.evalConfig());
            batchRng = SeededRandom.stream(seed, STREAM_BATCH);
            negativeRng = SeededRandom.stream(seed, STREAM_NEGATIVE);
            forwardRng = SeededRandom.stream(seed, STREAM_FORWARD);
            if (options.resumeFrom().isPresent()) {
                Checkpoint.restore(options.resumeFrom().get(), this);
            }
        }

        TrainerConfig config() {
            return config;
        }

        TrainingResult execute() throws IOException {
            boolean validate = config.evalEvery() > 0;
            int b = config.batchSize();
            int t = encoder.maxLen();
            int d = encoder.dim();
            int[] ids = new int[b * t];
            float[] mask = new float[b * t];
            int[] targets = new int[b];
            int[] users = new int[b];
            INDArray xBuf = Nd4j.create(type, b, t, d); // the batch's inputs, filled by HistoryBatch.gather
            Buf maskBuf = Buf.zeros(type, b, t);
            HardReadout readout = new HardReadout();
            Candidates[] drawn = new Candidates[1];
            List<Buf> grads = new ArrayList<>();
            for (Param p : allParams) {
                grads.add(Buf.of(p.grad()));
            }

            long start = System.nanoTime();
            long deadline = config.timeBudget().map(x -> start + x.toNanos()).orElse(Long.MAX_VALUE);
            long intervalTrainNanos = 0;
            long intervalSteps = 0;
            double lastLoss = Double.NaN;
            StopReason reason = StopReason.MAX_STEPS;
            if (validate && sinceImprovement >= config.patience() && !validations.isEmpty()) {
                reason = StopReason.EARLY_STOP;
            }
            while (reason == StopReason.MAX_STEPS && step < config.maxSteps()) {
                long s0 = System.nanoTime();
                // The batch and the negatives come from separate random streams and neither needs the
                // other, so the negatives are drawn on the second thread while this one builds the batch.
                Parallel.both(() -> {
                    batches.next(batchRng, ids, mask, targets, users);
                    HistoryBatch hb = new HistoryBatch(ids, mask, b, t);
                    hb.gather(table, xBuf);
                    hb.maskInto(maskBuf);
                }, () -> drawn[0] = sampler.sample(config.numNegatives(), negativeRng));
                Candidates negatives = drawn[0];
                for (int gi = 0; gi < grads.size(); gi++) { // indexed: no iterator per step
                    grads.get(gi).zero();
                }
                InterestEncoder.Pass pass = encoder.forward(xBuf, maskBuf.array(), ids, true, forwardRng);
                HardReadout.Result chosen = readout.apply(pass.interests(), table, targets);
                tableGrad.clear();
                SampledSoftmax.Result res = softmax.forwardBackward(chosen.user(), targets, table, negatives, tableGrad);
                INDArray dInterests = readout.route(chosen, res.dUser());
                double loss = res.loss();
                if (aux.isPresent()) {
                    loss += aux.get().forwardBackward(pass.interests(), users, dInterests);
                    loss += aux.get().itemForwardBackward(table, targets, tableGrad);
                }
                INDArray dX = pass.backward(dInterests);
                tableGrad.scatterHistories(ids, dX);
                pass.release();
                if (config.clipNorm() > 0) {
                    GradientClipping.clipByGlobalNorm(allParams, tableGrad, config.clipNorm());
                }
                step++;
                paramAdam.step(step);
                tableAdam.step(step, tableGrad);
                auxAdam.step(step);
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("training loss is " + loss + " at step " + step);
                }
                long dt = System.nanoTime() - s0;
                trainNanos += dt;
                intervalTrainNanos += dt;
                intervalSteps++;
                lossSum += loss;
                lossCount++;

                boolean outOfTime = System.nanoTime() >= deadline;
                boolean last = step == config.maxSteps() || outOfTime;
                boolean evalNow = validate && (step % config.evalEvery() == 0 || last);
                if (evalNow) {
                    validateNow();
                }
                if (evalNow || step % config.logEvery() == 0 || last) {
                    lastLoss = lossSum / lossCount;
                    double rate = intervalTrainNanos > 0 ? intervalSteps / (intervalTrainNanos / 1e9) : 0;
                    Optional<Duration> left = config.timeBudget()
                            .map(x2 -> Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    listener.onProgress(new Progress(step, config.maxSteps(), lastLoss, rate, evalNow,
                            Optional.ofNullable(latest), bestValue, left));
                    lossSum = 0;
                    lossCount = 0;
                    intervalTrainNanos = 0;
                    intervalSteps = 0;
                }
                // Polled after every step, whatever else ends the run: the poll also takes up a pending interrupt,
                // which would otherwise fail the checkpoint's file channel below.
                boolean stopRequested = options.stopRequested().getAsBoolean();
                if (evalNow && sinceImprovement >= config.patience()) {
                    reason = StopReason.EARLY_STOP;
                } else if (outOfTime && step < config.maxSteps()) {
                    reason = StopReason.TIME_BUDGET;
                } else if (stopRequested && step < config.maxSteps()) {
                    reason = StopReason.CANCELLED;
                }
                boolean periodic = options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0;
                if (options.checkpoint().isPresent() && (periodic || reason != StopReason.MAX_STEPS
                        || step == config.maxSteps())) {
                    Checkpoint.write(options.checkpoint().get(), this);
                }
            }
            if (lossCount > 0) {
                lastLoss = lossSum / lossCount;
            }
            long resultBestStep = bestStep;
            if (validate && bestTable != null && (options.restoreBest() || reason == StopReason.CANCELLED)) {
                table.assign(bestTable);
                // The auxiliary parameters go back too, so that g (which names interests) matches the model.
                for (int i = 0; i < allParams.size(); i++) {
                    allParams.get(i).value().assign(bestParams.get(i));
                }
            } else {
                resultBestStep = step;
            }
            double trainSeconds = trainNanos / 1e9;
            return new TrainingResult(model, reason, step, resultBestStep, Optional.ofNullable(best), validations,
                    trainSeconds, evalNanos / 1e9, step > 0 ? trainSeconds * 1000.0 / step : 0, lastLoss);
        }

        private void validateNow() {
            long e0 = System.nanoTime();
            latest = evaluator.evaluateValid(model, split);
            evalNanos += System.nanoTime() - e0;
            validations.add(new ValidationPoint(step, latest));
            double value = latest.get(config.selectionMetric());
            if (best == null || value > bestValue) {
                best = latest;
                bestValue = value;
                bestStep = step;
                bestTable = copyInto(bestTable, table);
                bestParams = copyParams(bestParams, allParams);
                sinceImprovement = 0;
            } else {
                sinceImprovement++;
            }
        }
    }

    private static INDArray copyInto(INDArray dest, INDArray src) {
        if (dest == null) {
            return src.dup();
        }
        dest.assign(src);
        return dest;
    }

    private static List<INDArray> copyParams(List<INDArray> dest, List<Param> params) {
        if (dest == null) {
            List<INDArray> out = new ArrayList<>();
            for (Param p : params) {
                out.add(p.value().dup());
            }
            return out;
        }
        for (int i = 0; i < params.size(); i++) {
            dest.get(i).assign(params.get(i).value());
        }
        return dest;
    }
}
