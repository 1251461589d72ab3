package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.ItemInfo;
import dev.eimf.internal.esim.EsimResult;
import dev.eimf.internal.esim.EsimRunner;
import dev.eimf.esim.Extraction;
import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.internal.esim.InterestParser;
import dev.eimf.internal.esim.InterestStore;
import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.esim.PromptBuilder;
import dev.eimf.internal.esim.StoreEntry;
import dev.eimf.esim.UserHistory;
import dev.eimf.internal.esim.UserInterests;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ESIM end to end (typical users, prompts, the OpenAI chat client, parser, store, hashing encoder) against a
 * server that fails 30% of requests at random: rate limits with and without {@code Retry-After}, 5xx, dropped
 * connections, read timeouts, truncated bodies, JSON of the wrong shape and answers that break the interest
 * schema.
 *
 * <p>Checked after every run: each user ends with the server's interests for its prompt or a failure with a
 * reason; nothing is invented; no prompt is requested again once it got a valid answer; every request the
 * server saw is an attempt the client counted. A second run over the same store at the same fault rate asks
 * only for what is missing, and a last run without faults completes every prompt, after which the server has
 * sent exactly one valid answer per distinct prompt.
 *
 * <p>Users: {@value #DEFAULT_USERS} by default; {@code -Pfault-long} (system property {@code eimf.fault.users})
 * runs 1,000.
 */
class FaultInjectedEsimTest {

    private static final int DEFAULT_USERS = 100;
    private static final double FAULT_RATE = 0.30;
    private static final int J = 3;
    /** Fault seed; its 100-user run injects every fault kind and fails some users in run 1. */
    private static final long SEED = 1L;
    /**
     * The client's read timeout; READ_TIMEOUT faults hold the response well beyond it. Generous, because a
     * valid answer that a busy machine delivers late would be asked for again and counted as a duplicate.
     */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    @StartStop
    final MockWebServer server = NoDelayServerSockets.server();

    @TempDir
    Path storeDir;

    /** Records instead of sleeping, so backoffs and {@code Retry-After} cost no time. */
    static final class CountingSleeper implements Sleeper {
        final AtomicLong sleeps = new AtomicLong();
        /** Waits of exactly 0 or 1 s: what the server's {@code Retry-After} asked for (jittered backoff never is). */
        final AtomicLong retryAfterWaits = new AtomicLong();

        @Override
        public void sleep(Duration d) {
            sleeps.incrementAndGet();
            if (d.isZero() || d.equals(Duration.ofSeconds(1))) {
                retryAfterWaits.incrementAndGet();
            }
        }
    }

    /** Typical users: histories of 3..70 items over a 400-item catalogue; about 1 in 25 copies another's history. */
    static List<UserHistory> users(int n, long seed) {
        String[] genres = {"Comedy", "Drama", "Thriller", "Sci-Fi", "Romance", "Documentary", "Animation", "Horror"};
        List<ItemInfo> catalogue = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            catalogue.add(new ItemInfo("i" + i, "Film " + i + (i % 7 == 0 ? " \u00e0 la \"carte\"" : ""),
                    List.of(genres[i % genres.length], genres[(i * 3 + 1) % genres.length]), "", ""));
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<UserHistory> out = new ArrayList<>(n);
        for (int u = 0; u < n; u++) {
            if (u > 0 && rnd.nextInt(25) == 0) {
                out.add(new UserHistory("u" + u, out.get(rnd.nextInt(u)).items()));
                continue;
            }
            int len = rnd.nextInt(3, 71);
            List<ItemInfo> items = new ArrayList<>(len);
            int favourite = rnd.nextInt(genres.length);
            for (int k = 0; k < len; k++) {
                int id = rnd.nextInt(catalogue.size());
                if (rnd.nextBoolean()) {
                    id = (id / genres.length) * genres.length + favourite;
                }
                items.add(catalogue.get(id));
            }
            out.add(new UserHistory("u" + u, items));
        }
        return out;
    }

    private static long property(String name, long fallback) {
        String p = System.getProperty(name, "");
        return p.isBlank() ? fallback : Long.parseLong(p.trim());
    }

    @Test
    void esimSurvivesThirtyPercentFaults() throws Exception {
        int n = (int) property("eimf.fault.users", DEFAULT_USERS);
        long seed = property("eimf.fault.seed", SEED);
        FaultyLlmDispatcher llm = new FaultyLlmDispatcher(seed, FAULT_RATE, J, READ_TIMEOUT.multipliedBy(3));
        server.setDispatcher(llm);
        CountingSleeper sleeper = new CountingSleeper();
        OpenAiConfig config = OpenAiConfig.builder().baseUrl(server.url("/").toString()).model("fault-model")
                .apiKey("sk-test-fault-0123456789").readTimeout(READ_TIMEOUT).maxRetries(2).maxConcurrency(4)
                .jitterSeed(seed).build();
        List<UserHistory> users = users(n, seed);
        PromptBuilder prompts = PromptBuilder.builder().interests(J).domain("movies").build();
        HashingTextEncoder encoder = new HashingTextEncoder(64, true);

        Map<String, String> promptOf = new HashMap<>();  // user id -> user message
        Set<String> distinctPrompts = new LinkedHashSet<>();
        for (UserHistory h : users) {
            String user = prompts.build(h).messages().get(1).content();
            promptOf.put(h.userId(), user);
            distinctPrompts.add(user);
        }

        long t0 = System.nanoTime();
        try (OpenAiChatClient client = new OpenAiChatClient(config, sleeper)) {
            LlmInterestExtractor extractor = new LlmInterestExtractor(client, prompts, false, 1);
            RunFigures first = run("run 1 (30% faults)", extractor, client, encoder, users, llm, sleeper, promptOf);
            Set<String> okAfterFirst = okPrompts();
            long validAfterFirst = llm.validAnswers();
            assertEquals(okAfterFirst.size(), validAfterFirst, "one valid answer per prompt that is OK");

            // Second run over the same store, same fault rate: only what is missing is asked for.
            RunFigures second = run("run 2 (30% faults, reused store)", extractor, client, encoder, users, llm, sleeper,
                    promptOf);
            for (UserInterests u : second.result.users()) {
                if (okAfterFirst.contains(promptOf.get(u.userId()))) {
                    assertTrue(u.cached() && u.ok(), u.userId() + ": a prompt answered in run 1 is reused");
                }
            }
            assertTrue(second.requests <= (long) (distinctPrompts.size() - okAfterFirst.size()) * 2 * 3,
                    "run 2 asks only for missing prompts (2 calls of at most 3 attempts each)");

            // Last run without faults: everything completes, and nothing was ever asked twice after success.
            llm.faultRate(0);
            RunFigures last = run("run 3 (no faults)", extractor, client, encoder, users, llm, sleeper, promptOf);
            assertEquals(0, last.failed, "without faults every user completes");
            assertEquals(distinctPrompts.size(), llm.promptsAnswered());
            assertEquals(distinctPrompts.size(), llm.validAnswers(),
                    "successful calls == distinct prompts over all runs");
            assertEquals(distinctPrompts.size(), okPrompts().size());

            if (seed == SEED && n >= DEFAULT_USERS) {
                // Guards the choice of seed: the default run must exercise every fault and the failure path.
                llm.faults().forEach((kind, count) -> assertTrue(count > 0, kind + " never injected"));
                assertTrue(first.failed > 0, "no user failed in run 1");
            }
            long failedFirst = first.failed;
            System.out.printf("fault run (seed %d): %d users, %d distinct prompts; run 1 parsed %d, failed %d; "
                            + "run 2 parsed %d, failed %d; total requests %d, faults %d %s, retries %d, "
                            + "valid answers %d, duplicates %d, %.1f s%n",
                    seed, n, distinctPrompts.size(), first.parsed, failedFirst, second.parsed, second.failed,
                    llm.requests(), llm.faultsTotal(), llm.faults(), client.usage().retries(), llm.validAnswers(),
                    llm.duplicateAnswers() + llm.requestsAfterSuccess(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private record RunFigures(EsimResult result, long requests, long faults, long retries, int parsed, int failed,
                              int cached) { }

    private RunFigures run(String label, LlmInterestExtractor extractor, OpenAiChatClient client,
                           HashingTextEncoder encoder, List<UserHistory> users, FaultyLlmDispatcher llm,
                           CountingSleeper sleeper, Map<String, String> promptOf) throws IOException {
        long requests0 = llm.requests();
        long faults0 = llm.faultsTotal();
        long transport0 = llm.transportFaults();
        Usage usage0 = client.usage();
        long sleeps0 = sleeper.sleeps.get();
        long waits0 = sleeper.retryAfterWaits.get();
        long retryAfter0 = llm.retryAfterHeaders();
        long t0 = System.nanoTime();
        EsimResult result;
        try (InterestStore store = InterestStore.open(storeDir)) {
            result = EsimRunner.builder().extractor(extractor).encoder(encoder).store(store).concurrency(4).build()
                    .run(users);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Usage usage = client.usage();
        long requests = llm.requests() - requests0;
        long retries = usage.retries() - usage0.retries();
        long calls = usage.calls() - usage0.calls();
        long failedCalls = usage.failures() - usage0.failures();

        // Every user: the server's interests for its prompt, or a failure with its reason.
        int parsed = 0;
        int failed = 0;
        int cached = 0;
        assertEquals(users.size(), result.users().size());
        for (int i = 0; i < users.size(); i++) {
            UserInterests u = result.users().get(i);
            assertEquals(users.get(i).userId(), u.userId());
            if (u.cached()) {
                cached++;
            }
            if (u.ok()) {
                parsed++;
                assertEquals(FaultyLlmDispatcher.expectedInterests(promptOf.get(u.userId()), J), u.interests(),
                        "interests of " + u.userId() + " are the server's answer to its prompt");
                assertEquals(J, u.vectors().size());
                for (int k = 0; k < J; k++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(
                            encoder.encode(u.interests().get(k).encoderText()), u.vectors().get(k));
                }
            } else {
                failed++;
                assertTrue(u.interests().isEmpty() && u.vectors().isEmpty(), u.userId() + " failed but has interests");
                assertFalse(u.reason().isBlank(), u.userId() + " failed without a reason");
            }
        }
        assertEquals(failed, result.stats().failed());
        assertEquals(cached, result.stats().cached());

        // The store holds only what the server answered; failures keep their raw answers and reason.
        try (InterestStore store = InterestStore.open(storeDir)) {
            assertTrue(store.recovery().isEmpty(), "a clean run leaves no torn line");
            for (StoreEntry e : store.entries()) {
                String user = e.messages().get(1).content();
                if (e.ok()) {
                    assertEquals(FaultyLlmDispatcher.expectedInterests(user, J), e.extraction().interests(),
                            "stored interests of " + e.userId());
                    assertTrue(store.vectors(e.key(), encoder.name()).isPresent());
                } else {
                    assertEquals(Extraction.Status.FAILED, e.extraction().status());
                    assertFalse(e.extraction().reason().isBlank());
                    assertEquals(2, e.extraction().responses().size(), "original answer and repair kept");
                }
            }
        }

        // Nothing requested after its valid answer, no prompt answered twice, every request an attempt counted.
        assertEquals(0, llm.requestsAfterSuccess(), "requests for prompts already answered");
        assertEquals(0, llm.duplicateAnswers(), "prompts answered twice");
        assertEquals(0, llm.badRequests());
        assertEquals(requests, calls + retries, "server requests == client attempts");
        long transport = llm.transportFaults() - transport0;
        assertEquals(transport - failedCalls, retries, "every transport fault is retried unless it ended its call");
        assertEquals(retries, sleeper.sleeps.get() - sleeps0, "one wait per retry");
        long retryAfter = llm.retryAfterHeaders() - retryAfter0;
        long waits = sleeper.retryAfterWaits.get() - waits0;
        assertTrue(waits <= retryAfter && waits >= retryAfter - failedCalls,
                "Retry-After honoured: " + waits + " waits of 0 or 1 s for " + retryAfter + " such faults");

        RunFigures f = new RunFigures(result, requests, llm.faultsTotal() - faults0, retries, parsed, failed, cached);
        System.out.printf("%s: %d users, requests %d, faults %d, retries %d, failed calls %d, parsed %d, failed %d,"
                        + " cached %d, %.1f s%n", label, users.size(), requests, f.faults, retries, failedCalls, parsed,
                failed, cached, seconds);
        return f;
    }

    private Set<String> okPrompts() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        try (InterestStore store = InterestStore.open(storeDir)) {
            for (StoreEntry e : store.entries()) {
                if (e.ok()) {
                    out.add(e.messages().get(1).content());
                }
            }
        }
        return out;
    }
}
