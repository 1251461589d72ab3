package dev.eimf.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * Compares the training speed of two builds of {@code eimf-core} in one JVM, in alternating chunks of
 * steps, so that both see the same state of a shared machine.
 *
 * <p>On a virtual machine whose speed drifts by 10-25% from minute to minute, two cold runs one after
 * the other do not show a 5% difference. Here each build is loaded by its own class loader (its
 * {@code dev.eimf} classes first, everything else shared) and trains on its own thread; the threads pass a
 * baton every {@code chunk} steps, so chunk i of build A and chunk i of build B run next to each other in
 * time. The trainer's own timing (training steps only, as the CLI reports it) gives each chunk's
 * milliseconds per step; the report compares chunks after the first 1000 steps (JIT warm-up) pairwise.
 * Each build keeps its own JIT-compiled code for its own classes, but shares the JVM's compiler threads and
 * ND4J's, so the first thousand steps are not a fair measure of a cold start: use the CLI for that.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.eimf.bench.PairedTraining MODEL DATASET STEPS CLASSES_A CLASSES_B
 * </pre>
 * MODEL is {@code SA}, {@code DR} or {@code MIND}; DATASET a directory name under the data root
 * ({@code ../shared/data} or {@code EIMF_DATA}); CLASSES_* are the {@code target/classes} directories (or
 * jars) of the two {@code eimf-core} builds. {@code benchmarks/paired.sh} builds two git revisions and runs
 * this. Seed 1, ComiRec protocol, d 64, K 4, T 20, batch 128, no validation.
 */
public final class PairedTraining {
    private static final int CHUNK = 100;
    private static final int WARM_STEPS = 1000;

    private PairedTraining() {
    }

    /**
     * Entry point; see the class comment for the arguments.
     *
     * @param args MODEL DATASET STEPS CLASSES_A CLASSES_B
     * @throws Exception if a build cannot be loaded or training fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: PairedTraining MODEL DATASET STEPS CLASSES_A CLASSES_B");
            System.exit(2);
        }
        String model = args[0];
        String data = args[1];
        long steps = Long.parseLong(args[2]);
        if (steps < WARM_STEPS + CHUNK) {
            throw new IllegalArgumentException("STEPS must be at least " + (WARM_STEPS + CHUNK));
        }
        Path[] builds = {Path.of(args[3]), Path.of(args[4])};
        Semaphore[] baton = {new Semaphore(1), new Semaphore(0)};
        double[][] result = new double[2][];
        Throwable[] failure = new Throwable[2];
        Thread[] threads = new Thread[2];
        URL self = PairedTraining.class.getProtectionDomain().getCodeSource().getLocation();
        for (int i = 0; i < 2; i++) {
            if (!Files.exists(builds[i])) {
                throw new IllegalArgumentException("no such build: " + builds[i]);
            }
            final int me = i;
            ClassLoader loader = new BuildLoader(new URL[] {builds[i].toUri().toURL(), self},
                    PairedTraining.class.getClassLoader());
            Method run = loader.loadClass(PairedTraining.class.getName() + "$Driver")
                    .getMethod("run", String.class, String.class, long.class, int.class, Runnable.class);
            Runnable pass = () -> {
                baton[1 - me].release();
                baton[me].acquireUninterruptibly();
            };
            threads[i] = new Thread(() -> {
                baton[me].acquireUninterruptibly();
                try {
                    result[me] = (double[]) run.invoke(null, model, data, steps, CHUNK, pass);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    failure[me] = e;
                } finally {
                    baton[1 - me].release();
                }
            }, "train-" + (char) ('A' + i));
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < 2; i++) {
            if (failure[i] != null) {
                throw new IllegalStateException("build " + builds[i] + " failed", failure[i]);
            }
        }
        report(builds, result);
    }

    private static void report(Path[] builds, double[][] chunkMs) {
        int chunks = Math.min(chunkMs[0].length, chunkMs[1].length);
        int warm = WARM_STEPS / CHUNK;
        System.out.printf(Locale.ROOT, "machine: %s, %d cores, %s%n", cpuName(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        for (int b = 0; b < 2; b++) {
            double first = 0;
            double later = 0;
            for (int q = 0; q < chunks; q++) {
                if (q < warm) {
                    first += chunkMs[b][q] * CHUNK / 1000.0;
                } else {
                    later += chunkMs[b][q];
                }
            }
            System.out.printf(Locale.ROOT, "%s %s: steps 1-%d %.2f s; after: %.3f ms/step%n", b == 0 ? "A" : "B", builds[b],
                    WARM_STEPS, first, later / (chunks - warm));
        }
        int faster = 0;
        double logRatio = 0;
        for (int q = warm; q < chunks; q++) {
            if (chunkMs[1][q] < chunkMs[0][q]) {
                faster++;
            }
            logRatio += Math.log(chunkMs[1][q] / chunkMs[0][q]);
        }
        System.out.printf(Locale.ROOT, "after step %d: B faster in %d of %d chunks of %d steps; B/A time ratio (geometric mean) %.3f%n",
                WARM_STEPS, faster, chunks - warm, CHUNK, Math.exp(logRatio / (chunks - warm)));
    }

    private static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** Loads {@code dev.eimf} classes from its own URLs first (one build each), the rest from the parent. */
    private static final class BuildLoader extends URLClassLoader {
        BuildLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.eimf.") || name.equals(PairedTraining.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** Runs inside a build's class loader, against that build's public API. */
    public static final class Driver {
        private Driver() {
        }

        /**
         * Trains and returns the milliseconds per step of each chunk.
         *
         * @param model  SA, DR or MIND
         * @param data   dataset directory name
         * @param steps  steps to train
         * @param chunk  steps between baton passes
         * @param onChunk called after every chunk (passes the baton)
         * @return ms per step, one entry per chunk
         * @throws IOException if the data cannot be read
         */
        public static double[] run(String model, String data, long steps, int chunk, Runnable onChunk) throws IOException {
            var dir = dev.eimf.data.DataPaths.dataset(data)
                    .orElseThrow(() -> new IllegalArgumentException("dataset not found: " + data));
            var dataset = new dev.eimf.data.Preprocessor().process(
                    dev.eimf.data.DatasetLoaders.load(dir, dev.eimf.data.LoadOptions.strict()));
            var split = dev.eimf.eval.ComiRecProtocol.defaults().split(dataset, 1);
            var ec = dev.eimf.internal.ibim.EncoderConfig.builder(dev.eimf.internal.ibim.EncoderType.valueOf(model))
                    .dim(64).numInterests(4).maxLen(20).build();
            var cfg = dev.eimf.internal.train.TrainerConfig.builder(rng -> dev.eimf.internal.ibim.Encoders.create(ec, rng)).seed(1)
                    .maxSteps(steps).evalEvery(0).logEvery(chunk).build();
            List<Double> ms = new ArrayList<>();
            new dev.eimf.internal.train.Trainer(cfg).train(split, p -> {
                ms.add(1000.0 / p.stepsPerSecond());
                onChunk.run();
            });
            return ms.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
