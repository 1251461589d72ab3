package dev.eimf.internal.train;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.eimf.eval.MetricsResult;
import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.io.ModelArchive;
import dev.eimf.internal.io.ModelFormatException;
import dev.eimf.internal.io.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training checkpoints: everything {@link Trainer}'s loop needs to continue exactly where it stopped,
 * stored as an EIMF model archive ({@code docs/MODEL-FORMAT.md}: format version, CRC-32 checksums,
 * atomic write by temporary file, fsync and rename). Keys: {@code kind = eimf-checkpoint}, step,
 * random states, best-so-far bookkeeping, validations as JSON; tensors {@code table}, {@code table.m},
 * {@code table.v}, {@code param.NAME[.m|.v]}, {@code aux.NAME[.m|.v]}, {@code best.table},
 * {@code best.param.NAME}, {@code batch.order}.
 */
public final class Checkpoint {
    /** The value of the {@code kind} configuration key. */
    static final String KIND = "eimf-checkpoint";
    private static final Gson GSON = new Gson();

    private Checkpoint() {
    }

    /** A fingerprint of what must not change between a checkpoint and the run resuming it. */
    static String fingerprint(Trainer.Run run) {
        TrainerConfig c = run.config();
        StringBuilder sb = new StringBuilder();
        sb.append("items=").append(run.split.numItems()).append(";train=").append(run.split.train().length)
                .append(";batch=").append(c.batchSize()).append(";seed=").append(c.seed())
                .append(";neg=").append(c.negativeMultiplier()).append(";sampler=").append(c.sampler())
                .append(";adam=").append(c.adam()).append(";tableAdam=").append(c.tableAdamMode())
                .append(";type=").append(run.type);
        for (Param p : run.params) {
            sb.append(";").append(p.name()).append(Arrays.toString(p.value().shape()));
        }
        return sb.toString();
    }

    static void write(Path file, Trainer.Run run) throws IOException {
        ModelArchive.Builder b = ModelArchive.builder()
                .config("kind", KIND)
                .config("fingerprint", fingerprint(run))
                .config("step", run.step)
                .config("rng.batch", run.batchRng.state())
                .config("rng.negative", run.negativeRng.state())
                .config("rng.forward", run.forwardRng.state())
                .config("train_nanos", run.trainNanos)
                .config("eval_nanos", run.evalNanos)
                .config("loss_sum", Double.toString(run.lossSum))
                .config("loss_count", run.lossCount)
                .config("best_value", Double.toString(run.bestValue))
                .config("best_step", run.bestStep)
                .config("since_improvement", run.sinceImprovement)
                .config("validations", GSON.toJson(validationsJson(run.validations)))
                .config("aux", run.auxParams.size());
        b.tensor("table", run.table);
        b.tensor("table.m", run.tableAdam.firstMoment());
        b.tensor("table.v", run.tableAdam.secondMoment());
        for (int i = 0; i < run.params.size(); i++) {
            String name = "param." + run.params.get(i).name();
            b.tensor(name, run.params.get(i).value());
            b.tensor(name + ".m", run.paramAdam.firstMoment(i));
            b.tensor(name + ".v", run.paramAdam.secondMoment(i));
        }
        for (int i = 0; i < run.auxParams.size(); i++) {
            String name = "aux." + run.auxParams.get(i).name();
            b.tensor(name, run.auxParams.get(i).value());
            b.tensor(name + ".m", run.auxAdam.firstMoment(i));
            b.tensor(name + ".v", run.auxAdam.secondMoment(i));
        }
        if (run.bestTable != null) {
            b.tensor("best.table", run.bestTable);
            for (int i = 0; i < run.params.size(); i++) {
                b.tensor("best.param." + run.params.get(i).name(), run.bestParams.get(i));
            }
            // Best auxiliary weights exist only when the best validation came after the objective was added.
            for (int i = run.params.size(); i < run.bestParams.size(); i++) {
                b.tensor("best.aux." + run.auxParams.get(i - run.params.size()).name(), run.bestParams.get(i));
            }
        }
        int[] order = run.batches.order();
        double[] od = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            od[i] = order[i];
        }
        b.tensor("batch.order", TensorData.ofDoubles(od, order.length));
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            b.build().write(file);
        } catch (IOException e) {
            // A full disk's bare "No space left on device" would not say which file or why it was written.
            String m = String.valueOf(e.getMessage());
            throw new IOException(file + ": cannot write the training checkpoint: "
                    + (m.startsWith(file.toString()) ? m.substring(file.toString().length()).replaceFirst("^: ", "") : m), e);
        }
    }

    /** The step a checkpoint was written at. */
    public static long step(Path file) throws IOException {
        ModelArchive a = ModelArchive.read(file);
        if (!KIND.equals(a.config().get("kind"))) {
            throw new ModelFormatException(file, "not a training checkpoint (kind = " + a.config().get("kind") + ")");
        }
        try {
            return Long.parseLong(a.configString("step"));
        } catch (RuntimeException e) {
            throw new ModelFormatException(file, "checkpoint has no valid step: " + e.getMessage());
        }
    }

    static void restore(Path file, Trainer.Run run) throws IOException {
        ModelArchive a = ModelArchive.read(file);
        if (!KIND.equals(a.config().get("kind"))) {
            throw new ModelFormatException(file, "not a training checkpoint (kind = " + a.config().get("kind") + ")");
        }
        String expected = fingerprint(run);
        if (!expected.equals(a.configString("fingerprint"))) {
            throw new ModelFormatException(file, "checkpoint was written for another configuration or data:\n  "
                    + a.configString("fingerprint") + "\nthis run:\n  " + expected);
        }
        int auxCount = a.configInt("aux");
        if (auxCount != 0 && auxCount != run.auxParams.size()) {
            throw new ModelFormatException(file, "checkpoint has " + auxCount + " auxiliary parameters, this run "
                    + run.auxParams.size());
        }
        run.step = Long.parseLong(a.configString("step"));
        run.batchRng = new SeededRandom(Long.parseLong(a.configString("rng.batch")));
        run.negativeRng = new SeededRandom(Long.parseLong(a.configString("rng.negative")));
        run.forwardRng = new SeededRandom(Long.parseLong(a.configString("rng.forward")));
        run.trainNanos = Long.parseLong(a.configString("train_nanos"));
        run.evalNanos = Long.parseLong(a.configString("eval_nanos"));
        run.lossSum = a.configDouble("loss_sum");
        run.lossCount = a.configInt("loss_count");
        run.bestValue = a.configDouble("best_value");
        run.bestStep = Long.parseLong(a.configString("best_step"));
        run.sinceImprovement = a.configInt("since_improvement");
        run.validations = validationsFrom(a.configString("validations"));
        if (!run.validations.isEmpty()) {
            run.latest = run.validations.get(run.validations.size() - 1).metrics();
            for (ValidationPoint v : run.validations) {
                if (v.step() == run.bestStep) {
                    run.best = v.metrics();
                }
            }
        }
        load(file, a, "table", run.table);
        load(file, a, "table.m", run.tableAdam.firstMoment());
        load(file, a, "table.v", run.tableAdam.secondMoment());
        for (int i = 0; i < run.params.size(); i++) {
            String name = "param." + run.params.get(i).name();
            load(file, a, name, run.params.get(i).value());
            load(file, a, name + ".m", run.paramAdam.firstMoment(i));
            load(file, a, name + ".v", run.paramAdam.secondMoment(i));
        }
        if (auxCount > 0) {
            for (int i = 0; i < run.auxParams.size(); i++) {
                String name = "aux." + run.auxParams.get(i).name();
                load(file, a, name, run.auxParams.get(i).value());
                load(file, a, name + ".m", run.auxAdam.firstMoment(i));
                load(file, a, name + ".v", run.auxAdam.secondMoment(i));
            }
        }
        if (a.tensors().containsKey("best.table")) {
            run.bestTable = run.table.dup();
            load(file, a, "best.table", run.bestTable);
            run.bestParams = new ArrayList<>();
            for (Param p : run.params) {
                INDArray copy = p.value().dup();
                load(file, a, "best.param." + p.name(), copy);
                run.bestParams.add(copy);
            }
            if (!run.auxParams.isEmpty()) {
                // Without saved best auxiliary weights (a warm-up checkpoint), the current ones stand in;
                // the next validation that improves replaces them all.
                for (Param p : run.auxParams) {
                    INDArray copy = p.value().dup();
                    if (a.tensors().containsKey("best.aux." + p.name())) {
                        load(file, a, "best.aux." + p.name(), copy);
                    }
                    run.bestParams.add(copy);
                }
            }
        }
        double[] od = a.tensor("batch.order").doubles();
        int[] order = new int[od.length];
        for (int i = 0; i < od.length; i++) {
            order[i] = (int) od[i];
        }
        run.batches.restoreOrder(order);
    }

    private static void load(Path file, ModelArchive a, String name, INDArray dest) throws ModelFormatException {
        if (!a.tensors().containsKey(name)) {
            throw new ModelFormatException(file, "checkpoint lacks tensor '" + name + "'");
        }
        INDArray src = a.tensor(name).toINDArray();
        if (!Arrays.equals(src.shape(), dest.shape())) {
            throw new ModelFormatException(file, "tensor '" + name + "' has shape " + Arrays.toString(src.shape())
                    + ", expected " + Arrays.toString(dest.shape()));
        }
        dest.assign(src.castTo(dest.dataType()));
    }

    private static List<Map<String, Object>> validationsJson(List<ValidationPoint> vs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ValidationPoint v : vs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", v.step());
            m.put("users", v.metrics().users());
            m.put("values", v.metrics().values());
            out.add(m);
        }
        return out;
    }

    private static List<ValidationPoint> validationsFrom(String json) {
        List<Map<String, Object>> raw = GSON.fromJson(json, new TypeToken<List<Map<String, Object>>>() { }.getType());
        List<ValidationPoint> out = new ArrayList<>();
        for (Map<String, Object> m : raw) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) m.get("values");
            Map<String, Double> vals = new LinkedHashMap<>();
            values.forEach((k, v) -> vals.put(k, ((Number) v).doubleValue()));
            out.add(new ValidationPoint(((Number) m.get("step")).longValue(),
                    new MetricsResult(((Number) m.get("users")).intValue(), vals)));
        }
        return out;
    }
}
