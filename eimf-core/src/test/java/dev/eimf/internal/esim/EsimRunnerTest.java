package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;
import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.esim.LlmClient;
import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.esim.PromptBuilder;
import dev.eimf.esim.PromptTest;
import dev.eimf.esim.TextEncoder;
import dev.eimf.esim.UserHistory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.eimf.data.ItemInfo;

class EsimRunnerTest {
    @TempDir
    Path dir;

    /** Five users; u4 has the same history as u0, so they share a prompt and one extraction. */
    static List<UserHistory> users() {
        List<UserHistory> out = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
            List<ItemInfo> items = new ArrayList<>();
            for (int i = 0; i < 6; i++) items.add(PromptTest.item("i" + u + i, "Film " + u + "-" + i, "", i % 2 == 0 ? "Comedy" : "Drama"));
            out.add(new UserHistory("u" + u, items));
        }
        out.add(new UserHistory("u4", out.get(0).items()));
        return out;
    }

    /** A fake model: two valid interests, except for prompts containing {@code badMarker}; counts calls and concurrency. */
    static final class FakeLlm implements LlmClient {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final String badMarker;
        final boolean ioFailure;

        FakeLlm(String badMarker, boolean ioFailure) {
            this.badMarker = badMarker;
            this.ioFailure = ioFailure;
        }

        @Override
        public ChatResponse chat(ChatRequest request) throws IOException {
            calls.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                String user = request.messages().get(1).content();
                if (badMarker != null && user.contains(badMarker)) {
                    if (ioFailure) throw new IOException("connection refused");
                    return new ChatResponse("I cannot tell.", 50, 5);
                }
                String first = user.contains("Film 1-") ? "Dramas" : "Comedies";
                return new ChatResponse("{\"interests\":[{\"name\":\"" + first + "\",\"description\":\"funny\",\"evidence\":[1,3]},"
                        + "{\"name\":\"Films\",\"description\":\"any\",\"evidence\":[2]}]}", 100, 20);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public String modelName() {
            return "fake-1";
        }
    }

    private static LlmInterestExtractor extractor(LlmClient c) {
        return new LlmInterestExtractor(c, PromptBuilder.builder().interests(2).build(), false, 1);
    }

    private EsimResult run(LlmClient client, boolean retryFailed, TextEncoder enc) throws IOException {
        try (InterestStore store = InterestStore.open(dir)) {
            return EsimRunner.builder().extractor(extractor(client)).encoder(enc).store(store)
                    .concurrency(3).retryFailed(retryFailed).build().run(users());
        }
    }

    @Test
    void firstRunCallsOncePerPromptAndRerunReusesEverything() throws IOException {
        FakeLlm llm = new FakeLlm(null, false);
        HashingTextEncoder enc = new HashingTextEncoder(64, true);
        EsimResult first = run(llm, true, enc);
        EsimStats s = first.stats();
        assertEquals(5, s.typicalUsers());
        assertEquals(4, s.llmCalls(), "u4 shares u0's prompt");
        assertEquals(4, llm.calls.get());
        assertEquals(0, s.cached());
        assertEquals(0, s.failed());
        assertEquals(4 * 120, s.tokens());
        assertTrue(llm.maxInFlight.get() <= 3);
        List<String> ids = first.users().stream().map(UserInterests::userId).toList();
        assertEquals(List.of("u0", "u1", "u2", "u3", "u4"), ids);
        UserInterests u1 = first.users().get(1);
        assertEquals("Dramas", u1.interests().get(0).name());
        assertEquals(2, u1.vectors().size());
        assertArrayEquals(enc.encode("Dramas. funny"), u1.vectors().get(0));
        assertEquals(first.users().get(0).interests(), first.users().get(4).interests());

        // Rerun on the reopened store: not one model call, same interests and vectors.
        FakeLlm second = new FakeLlm(null, false);
        EsimResult again = run(second, true, enc);
        assertEquals(0, second.calls.get());
        assertEquals(0, again.stats().llmCalls());
        assertEquals(5, again.stats().cached());
        assertEquals(0, again.stats().tokens());
        for (int i = 0; i < 5; i++) {
            assertEquals(first.users().get(i).interests(), again.users().get(i).interests());
            assertArrayEquals(first.users().get(i).vectors().get(1), again.users().get(i).vectors().get(1));
        }
        // Header, 4 extraction lines + 4 vector lines, nothing appended by the rerun.
        assertEquals(9, Files.readAllLines(dir.resolve(InterestStore.FILE_NAME)).size());

        // Another encoder: still no model call, only vector lines are added.
        EsimResult other = run(new FakeLlm(null, false), true, new HashingTextEncoder(32, false));
        assertEquals(0, other.stats().llmCalls());
        assertEquals(32, other.users().get(0).vectors().get(0).length);
        assertEquals(13, Files.readAllLines(dir.resolve(InterestStore.FILE_NAME)).size());
    }

    @Test
    void failedEntriesAreStoredAndRetriedByDefault() throws IOException {
        FakeLlm bad = new FakeLlm("Film 2-", false);
        EsimResult r = run(bad, true, null);
        assertEquals(1, r.stats().failed());
        assertEquals(4 + 1, r.stats().llmCalls(), "one repair for the bad prompt");
        UserInterests u2 = r.users().get(2);
        assertFalse(u2.ok());
        assertTrue(u2.interests().isEmpty());
        assertTrue(u2.reason().contains("no JSON object"), u2.reason());
        try (InterestStore store = InterestStore.open(dir)) {
            StoreEntry e = store.get(u2.key()).orElseThrow();
            assertEquals(List.of("I cannot tell.", "I cannot tell."), e.extraction().responses());
        }

        // Without retries the failure is reused as is.
        FakeLlm none = new FakeLlm(null, false);
        EsimResult kept = run(none, false, null);
        assertEquals(0, none.calls.get());
        assertEquals(1, kept.stats().failed());
        assertEquals(5, kept.stats().cached());

        // With retries (default) only the failed prompt is asked again.
        FakeLlm good = new FakeLlm(null, false);
        EsimResult retried = run(good, true, null);
        assertEquals(1, good.calls.get());
        assertEquals(0, retried.stats().failed());
        assertEquals(4, retried.stats().cached());
        assertTrue(retried.users().get(2).ok());
    }

    @Test
    void transportErrorsAreReportedNotStored() throws IOException {
        EsimResult r = run(new FakeLlm("Film 3-", true), true, null);
        assertEquals(1, r.stats().failed());
        assertTrue(r.users().get(3).reason().contains("connection refused"));
        try (InterestStore store = InterestStore.open(dir)) {
            assertEquals(3, store.size());
        }
        FakeLlm good = new FakeLlm(null, false);
        run(good, false, null);
        assertEquals(1, good.calls.get(), "the unreachable prompt is asked again even without retryFailed");
    }

    @Test
    void metadataExtractorNeedsNoModel() throws IOException {
        try (InterestStore store = InterestStore.open(dir)) {
            EsimResult r = EsimRunner.builder().extractor(MetadataInterestExtractor.builder().interests(2).build())
                    .encoder(new HashingTextEncoder()).store(store).build().run(users());
            assertEquals(0, r.stats().llmCalls());
            assertEquals(0, r.stats().failed());
            // Drama (items 2, 4, 6) is more recent than Comedy; "film" is in every title: 0.5 x all six weights.
            assertEquals(List.of("Drama", "Keyword: film"), r.users().get(0).interests().stream().map(ExplicitInterest::name).toList());
            assertEquals("metadata", r.users().get(0).key().extractor());
        }
        assertTrue(Files.readString(dir.resolve(InterestStore.FILE_NAME)).contains("\"extractor\":\"metadata\""));
    }
}
