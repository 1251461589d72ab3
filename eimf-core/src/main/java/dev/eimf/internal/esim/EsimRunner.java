package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;
import dev.eimf.esim.Extraction;
import dev.eimf.esim.ExtractionRequest;
import dev.eimf.esim.InterestExtractor;
import dev.eimf.esim.TextEncoder;
import dev.eimf.esim.UserHistory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ESIM pipeline step after typical-sample selection: for every typical user, explicit interests and their
 * vectors, reusing the {@link InterestStore} so that a rerun asks the extractor only for what is missing.
 *
 * <p>Per distinct store key (users whose prompts are identical share one extraction): look the key up; use an
 * OK entry as is; otherwise (missing, or failed and {@code retryFailed}) run the extractor and append the
 * result, failed or not, before anything else happens. Then, with a text encoder, reuse the stored vectors
 * or encode the interests ({@link ExplicitInterest#encoderText()}) and append them. Up to
 * {@code concurrency} keys are processed at once.
 *
 * <p>A fresh extraction with an interest that {@link InterestParser#problem(ExplicitInterest)} finds unfit (a
 * control character, an over-long name) is stored and reported as failed.
 *
 * <p>An {@link IOException} from the extractor (the service is unreachable after its retries) is reported for
 * that user as a failure that is not stored, so a rerun tries again; an encoder failure likewise leaves the
 * stored extraction in place and reports the user as failed. Other exceptions abort the run.
 */
public final class EsimRunner {
    private final InterestExtractor extractor;
    private final TextEncoder encoder;
    private final InterestStore store;
    private final int concurrency;
    private final boolean retryFailed;
    private final java.util.function.BiConsumer<Integer, Integer> progress;
    private final java.util.function.BooleanSupplier stop;

    private EsimRunner(Builder b) {
        this.extractor = b.extractor;
        this.encoder = b.encoder;
        this.store = b.store;
        this.concurrency = b.concurrency;
        this.retryFailed = b.retryFailed;
        this.progress = b.progress;
        this.stop = b.stop;
    }

    /** A builder; extractor and store are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Produces every user's interests (and vectors).
     *
     * @param users the typical users' histories; ids must be distinct
     * @throws IOException when the store cannot be written
     */
    public EsimResult run(List<UserHistory> users) throws IOException {
        long t0 = System.nanoTime();
        Map<StoreKey, ExtractionRequest> byKey = new LinkedHashMap<>();
        List<StoreKey> keys = new ArrayList<>(users.size());
        Set<String> ids = new HashSet<>();
        for (UserHistory h : users) {
            if (!ids.add(h.userId())) throw new IllegalArgumentException("duplicate user id '" + h.userId() + "'");
            ExtractionRequest r = extractor.prepare(h);
            StoreKey k = new StoreKey(extractor.name(), extractor.modelName(), r.promptHash());
            keys.add(k);
            byKey.putIfAbsent(k, r);
        }
        int llmCalls = 0;
        long promptTokens = 0;
        long completionTokens = 0;
        Map<StoreKey, Outcome> outcomes = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, byKey.size())), r -> {
            Thread t = new Thread(r, "esim-runner");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<StoreKey, Future<Outcome>> futures = new LinkedHashMap<>();
            for (Map.Entry<StoreKey, ExtractionRequest> e : byKey.entrySet()) {
                futures.put(e.getKey(), pool.submit(() -> process(e.getKey(), e.getValue())));
            }
            int done = 0;
            for (Map.Entry<StoreKey, Future<Outcome>> f : futures.entrySet()) {
                Outcome o = await(f.getValue(), stop);
                progress.accept(++done, futures.size());
                outcomes.put(f.getKey(), o);
                llmCalls += o.llmCalls;
                promptTokens += o.promptTokens;
                completionTokens += o.completionTokens;
            }
        } finally {
            pool.shutdownNow();
        }
        List<UserInterests> out = new ArrayList<>(users.size());
        int cached = 0;
        int failed = 0;
        for (int i = 0; i < users.size(); i++) {
            Outcome o = outcomes.get(keys.get(i));
            UserInterests u = new UserInterests(users.get(i).userId(), keys.get(i), o.status, o.reason, o.interests,
                    o.vectors, o.cached);
            if (u.cached()) cached++;
            if (!u.ok()) failed++;
            out.add(u);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EsimResult(out, new EsimStats(users.size(), llmCalls, cached, failed, promptTokens, completionTokens, seconds));
    }

    private record Outcome(Extraction.Status status, String reason, List<ExplicitInterest> interests,
                           List<float[]> vectors, boolean cached, int llmCalls, long promptTokens, long completionTokens) {}

    private Outcome process(StoreKey key, ExtractionRequest request) throws IOException {
        StoreEntry entry = store.get(key).orElse(null);
        boolean cached = entry != null && (entry.ok() || !retryFailed);
        int calls = 0;
        long pt = 0;
        long ct = 0;
        if (!cached) {
            Extraction x;
            try {
                x = extractor.extract(request);
            } catch (IOException e) {
                return new Outcome(Extraction.Status.FAILED, "extractor call failed: " + e, List.of(), List.of(),
                        false, 0, 0, 0);
            }
            calls = x.llmCalls();
            pt = x.promptTokens();
            ct = x.completionTokens();
            x = screened(x);
            entry = new StoreEntry(key, request.userId(), request.messages(), x);
            store.append(entry);
        }
        Extraction x = entry.extraction();
        if (!x.ok() || encoder == null) {
            return new Outcome(x.status(), x.reason(), x.interests(), List.of(), cached, calls, pt, ct);
        }
        List<float[]> vectors = store.vectors(key, encoder.name()).orElse(null);
        if (vectors == null) {
            try {
                vectors = encoder.encode(x.interests().stream().map(ExplicitInterest::encoderText).toList());
            } catch (IOException e) {
                return new Outcome(Extraction.Status.FAILED, "text encoder failed: " + e, x.interests(), List.of(),
                        cached, calls, pt, ct);
            }
            for (float[] v : vectors) {
                if (v.length != encoder.dimension()) {
                    throw new IllegalStateException("text encoder " + encoder.name() + " returned a vector of length "
                            + v.length + ", expected " + encoder.dimension());
                }
            }
            store.appendVectors(key, encoder.name(), vectors);
        }
        return new Outcome(Extraction.Status.OK, x.reason(), x.interests(), vectors, cached, calls, pt, ct);
    }

    /**
     * The extraction, or a failed one when an interest is unfit to store and print (see
     * {@link InterestParser#problem(ExplicitInterest)}); whatever the extractor, such interests never enter the
     * store. The raw answers are kept for the audit.
     */
    private static Extraction screened(Extraction x) {
        if (!x.ok()) return x;
        for (int k = 0; k < x.interests().size(); k++) {
            String problem = InterestParser.problem(x.interests().get(k));
            if (problem != null) {
                return new Extraction(Extraction.Status.FAILED, "interests[" + k + "]." + problem, List.of(),
                        x.followUps(), x.responses(), x.promptTokens(), x.completionTokens(), x.llmCalls());
            }
        }
        return x;
    }

    /**
     * Waits for one extraction, polling {@code stop}: a stop (or an interrupt, which the poll sees) ends the
     * run with a {@link java.util.concurrent.CancellationException}; what finished is already in the store.
     */
    private static Outcome await(Future<Outcome> f, java.util.function.BooleanSupplier stop) throws IOException {
        try {
            while (true) {
                if (stop.getAsBoolean()) {
                    throw new java.util.concurrent.CancellationException("extraction stopped on request");
                }
                try {
                    return f.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // poll again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (stop.getAsBoolean()) {
                        throw new java.util.concurrent.CancellationException("extraction interrupted");
                    }
                    throw new IOException("interrupted while waiting for extractions", e);
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private InterestExtractor extractor;
        private TextEncoder encoder;
        private InterestStore store;
        private int concurrency = 4;
        private java.util.function.BiConsumer<Integer, Integer> progress = (done, total) -> { };
        private java.util.function.BooleanSupplier stop = () -> false;
        private boolean retryFailed = true;

        private Builder() {}

        /** The extractor (required). */
        public Builder extractor(InterestExtractor v) { extractor = v; return this; }
        /** The text encoder; {@code null} (default) skips vectors. */
        public Builder encoder(TextEncoder v) { encoder = v; return this; }
        /** The store (required). */
        public Builder store(InterestStore v) { store = v; return this; }
        /** Extractions in flight at once (default 4). */
        public Builder concurrency(int v) { concurrency = v; return this; }
        /** Told (done, total) on the calling thread as each distinct request settles (default: nobody). */
        public Builder progress(java.util.function.BiConsumer<Integer, Integer> v) { progress = java.util.Objects.requireNonNull(v); return this; }
        /** Polled while waiting: true stops the run with a CancellationException (default: never). */
        public Builder stop(java.util.function.BooleanSupplier v) { stop = java.util.Objects.requireNonNull(v); return this; }
        /** Run the extractor again for keys whose stored entry failed (default true). */
        public Builder retryFailed(boolean v) { retryFailed = v; return this; }

        /** Validates and builds. */
        public EsimRunner build() {
            Objects.requireNonNull(extractor, "extractor");
            Objects.requireNonNull(store, "store");
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
            return new EsimRunner(this);
        }
    }
}
