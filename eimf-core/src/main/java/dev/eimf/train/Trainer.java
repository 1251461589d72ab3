package dev.eimf.train;

import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.Split;
import dev.eimf.ibim.InterestEncoder;
import dev.eimf.ibim.Param;
import dev.eimf.tensor.Buf;
import dev.eimf.tensor.Parallel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a multi-interest model on a {@link Split} as the ComiRec code does: ComiRec batches, hard
 * readout, sampled softmax over the tied item table, Adam; validation every {@code evalEvery} steps
 * through the shared {@link Evaluator}, best weights kept, early stopping with patience, and the best
 * weights restored at the end.
 *
 * <p>Every random choice derives from {@link TrainerConfig#seed()} through separate generators per
 * purpose (table init, encoder init, batches, negatives, forward randomness), so the same seed gives
 * the same model and metrics (unless a time budget cuts training short).
 */
public final class Trainer {
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

    /**
     * Trains a model.
     *
     * @param split    training sequences and validation cases (validation needs at least one case
     *                 unless {@code evalEvery} is 0)
     * @param listener receives progress reports
     * @return the model with the best validated weights, and the training record
     */
    public TrainingResult train(Split split, TrainingListener listener) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(listener, "listener");
        boolean validate = config.evalEvery() > 0;
        if (validate && split.valid().isEmpty()) {
            throw new IllegalArgumentException("split has no validation cases; set evalEvery(0) to train without");
        }
        if (config.threads() > 0) {
            Parallel.setThreads(config.threads());
        }
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom tableRng = root.split();
        SplittableRandom encoderRng = root.split();
        SplittableRandom batchRng = root.split();
        SplittableRandom negativeRng = root.split();
        SplittableRandom forwardRng = root.split();

        InterestEncoder encoder = config.encoder().create(encoderRng);
        List<Param> params = encoder.parameters();
        DataType type = params.isEmpty() ? DataType.FLOAT : params.get(0).value().dataType();
        int n = split.numItems();
        int d = encoder.dim();
        int t = encoder.maxLen();
        int b = config.batchSize();
        INDArray table = initTable(n, d, type, tableRng);
        TrainedModel model = new TrainedModel(table, encoder, config);

        BatchSampler batches = new BatchSampler(split.train(), t);
        CandidateSampler sampler = CandidateSampler.of(config.sampler(), n);
        SampledSoftmax softmax = new SampledSoftmax();
        TableGradient tableGrad = new TableGradient(n + 1, d);
        DenseAdam paramAdam = new DenseAdam(config.adam(), params);
        TableAdam tableAdam = new TableAdam(config.adam(), config.tableAdamMode(), table);
        Evaluator evaluator = new Evaluator(config.evalConfig());

        int[] ids = new int[b * t];
        float[] mask = new float[b * t];
        int[] targets = new int[b];
        INDArray xBuf = Nd4j.create(type, (long) b * t, d);
        Buf maskBuf = Buf.zeros(type, b, t);
        HardReadout readout = new HardReadout();
        List<Buf> grads = new ArrayList<>();
        for (Param p : params) {
            grads.add(Buf.of(p.grad()));
        }

        long start = System.nanoTime();
        long deadline = config.timeBudget().map(x -> start + x.toNanos()).orElse(Long.MAX_VALUE);
        long trainNanos = 0;
        long evalNanos = 0;
        double lossSum = 0;
        int lossCount = 0;
        double lastLoss = Double.NaN;
        long intervalTrainNanos = 0;
        long intervalSteps = 0;

        List<ValidationPoint> validations = new ArrayList<>();
        MetricsResult latest = null;
        MetricsResult best = null;
        double bestValue = Double.NaN;
        long bestStep = 0;
        INDArray bestTable = null;
        List<INDArray> bestParams = null;
        int sinceImprovement = 0;

        StopReason reason = StopReason.MAX_STEPS;
        long step = 0;
        boolean evaluatedAtStep = false;
        while (step < config.maxSteps()) {
            long s0 = System.nanoTime();
            batches.next(batchRng, ids, mask, targets);
            HistoryBatch hb = new HistoryBatch(ids, mask, b, t);
            INDArray x = hb.gather(table, xBuf);
            hb.maskInto(maskBuf);
            for (Buf g : grads) {
                g.zero();
            }
            InterestEncoder.Pass pass = encoder.forward(x, maskBuf.array(), true, forwardRng);
            HardReadout.Result chosen = readout.apply(pass.interests(), table, targets);
            Candidates negatives = sampler.sample(config.numNegatives(), negativeRng);
            tableGrad.clear();
            SampledSoftmax.Result res = softmax.forwardBackward(chosen.user(), targets, table, negatives, tableGrad);
            INDArray dX = pass.backward(readout.route(chosen, res.dUser()));
            tableGrad.scatterHistories(ids, dX);
            pass.release();
            if (config.clipNorm() > 0) {
                GradientClipping.clipByGlobalNorm(params, tableGrad, config.clipNorm());
            }
            step++;
            paramAdam.step(step);
            tableAdam.step(step, tableGrad);
            if (!Double.isFinite(res.loss())) {
                throw new IllegalStateException("training loss is " + res.loss() + " at step " + step);
            }
            long dt = System.nanoTime() - s0;
            trainNanos += dt;
            intervalTrainNanos += dt;
            intervalSteps++;
            lossSum += res.loss();
            lossCount++;
            evaluatedAtStep = false;

            boolean outOfTime = System.nanoTime() >= deadline;
            boolean last = step == config.maxSteps() || outOfTime;
            boolean evalNow = validate && (step % config.evalEvery() == 0 || last);
            if (evalNow) {
                long e0 = System.nanoTime();
                latest = evaluator.evaluateValid(model, split);
                evalNanos += System.nanoTime() - e0;
                evaluatedAtStep = true;
                validations.add(new ValidationPoint(step, latest));
                double value = latest.get(config.selectionMetric());
                if (best == null || value > bestValue) {
                    best = latest;
                    bestValue = value;
                    bestStep = step;
                    bestTable = copyInto(bestTable, table);
                    bestParams = copyParams(bestParams, params);
                    sinceImprovement = 0;
                } else {
                    sinceImprovement++;
                }
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
            if (evalNow && sinceImprovement >= config.patience()) {
                reason = StopReason.EARLY_STOP;
                break;
            }
            if (outOfTime && step < config.maxSteps()) {
                reason = StopReason.TIME_BUDGET;
                break;
            }
        }
        if (lossCount > 0) {
            lastLoss = lossSum / lossCount;
        }
        if (validate && bestTable != null) {
            table.assign(bestTable);
            for (int i = 0; i < params.size(); i++) {
                params.get(i).value().assign(bestParams.get(i));
            }
        } else {
            bestStep = step;
        }
        double trainSeconds = trainNanos / 1e9;
        return new TrainingResult(model, reason, step, bestStep, Optional.ofNullable(best), validations,
                trainSeconds, evalNanos / 1e9, step > 0 ? trainSeconds * 1000.0 / step : 0, lastLoss);
    }

    /**
     * The item table, initialised as TensorFlow's default for {@code get_variable} (Glorot uniform over
     * the [n+1, d] shape, as ComiRec's embedding variable), with the padding row 0 set to zero.
     */
    static INDArray initTable(int numItems, int dim, DataType type, SplittableRandom rng) {
        int rows = numItems + 1;
        double limit = Math.sqrt(6.0 / (rows + dim));
        double[] w = new double[rows * dim];
        for (int i = dim; i < w.length; i++) {
            w[i] = rng.nextDouble(-limit, limit);
        }
        return Nd4j.createFromArray(w).reshape(rows, dim).castTo(type).dup('c');
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
