package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.data.DataPaths;
import dev.eimf.internal.esim.InterestStore;
import dev.eimf.internal.esim.StoreEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ESIM on MovieLens-100K against an OpenAI-compatible mock LLM: a first run makes exactly C*M chat calls,
 * a rerun none, and a process killed (SIGKILL) half-way and restarted completes with every entry stored
 * once: nothing lost, nothing duplicated.
 */
class EsimCrashTest {
    private static final int C = 10;
    private static final int M = 4;

    @TempDir
    Path tmp;

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final AtomicInteger chats = new AtomicInteger();

    private void serve() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                chats.incrementAndGet();
                String prompt = JsonParser.parseString(request.getBody().utf8()).getAsJsonObject()
                        .getAsJsonArray("messages").get(1).getAsJsonObject().get("content").getAsString();
                JsonArray interests = new JsonArray();
                for (int i = 0; i < 4; i++) {
                    JsonObject o = new JsonObject();
                    o.addProperty("name", "Taste " + i + " " + Integer.toHexString(prompt.hashCode()));
                    o.addProperty("description", "films like number " + (i + 1));
                    JsonArray ev = new JsonArray();
                    ev.add(i + 1);
                    o.add("evidence", ev);
                    interests.add(o);
                }
                JsonObject content = new JsonObject();
                content.add("interests", interests);
                JsonObject msg = new JsonObject();
                msg.addProperty("role", "assistant");
                msg.addProperty("content", content.toString());
                JsonObject choice = new JsonObject();
                choice.addProperty("index", 0);
                choice.add("message", msg);
                choice.addProperty("finish_reason", "stop");
                JsonArray choices = new JsonArray();
                choices.add(choice);
                JsonObject body = new JsonObject();
                body.add("choices", choices);
                JsonObject usage = new JsonObject();
                usage.addProperty("prompt_tokens", 50);
                usage.addProperty("completion_tokens", 10);
                body.add("usage", usage);
                // Slow enough that the kill lands half-way through the run.
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .body(body.toString()).headersDelay(150, TimeUnit.MILLISECONDS).build();
            }
        });
    }

    private List<String> esimArgs(Path data, Path model, Path store, Path json) {
        return List.of("esim", "--data", data.toString(), "--model", model.toString(), "--clusters", "" + C,
                "--per-cluster", "" + M, "--extractor", "llm", "--base-url", server.url("/").toString(),
                "--llm-model", "mock", "--encoder", "hash", "--concurrency", "2", "--store", store.toString(),
                "--json", json.toString());
    }

    @Test
    void firstRunMakesCTimesMCallsAKilledRunResumesWithoutLossOrDuplicates() throws Exception {
        Optional<Path> found = DataPaths.dataset("ml-100k");
        Assumptions.assumeTrue(found.isPresent(), "ml-100k not available");
        Path data = found.get();
        Path model = tmp.resolve("model");
        MainTest.Result t = MainTest.run("train", "--data", data.toString(), "--model", "comirec-sa", "--steps", "30",
                "--eval-every", "30", "--log-every", "30", "--seed", "1", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        serve();

        // A clean run: exactly C*M chat calls; a rerun: none.
        Path clean = tmp.resolve("clean-store");
        MainTest.Result r = MainTest.run(esimArgs(data, model, clean, tmp.resolve("clean.json")).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(Files.readString(tmp.resolve("clean.json"))).getAsJsonObject();
        assertEquals(C * M, j.get("typical_users").getAsInt());
        assertEquals(C * M, j.get("llm_calls").getAsInt());
        assertEquals(C * M, chats.get(), "one chat call per typical user");
        r = MainTest.run(esimArgs(data, model, clean, tmp.resolve("again.json")).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(C * M, chats.get(), "the rerun makes no call");

        // A run killed with SIGKILL half-way, then restarted.
        chats.set(0);
        Path store = tmp.resolve("store");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(esimArgs(data, model, store, tmp.resolve("killed.json")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (chats.get() < C * M / 2 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the child should still be running: " + Files.readString(tmp.resolve("child.log")));
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        int callsBeforeKill = chats.get();
        int storedBeforeRestart;
        try (InterestStore s = InterestStore.open(store)) {
            storedBeforeRestart = s.size();
        }
        assertTrue(storedBeforeRestart > 0 && storedBeforeRestart < C * M, "stored before restart: " + storedBeforeRestart);

        r = MainTest.run(esimArgs(data, model, store, tmp.resolve("resumed.json")).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        JsonObject resumed = JsonParser.parseString(Files.readString(tmp.resolve("resumed.json"))).getAsJsonObject();
        assertEquals(C * M, resumed.get("typical_users").getAsInt());
        assertEquals(storedBeforeRestart, resumed.get("cached").getAsInt());
        assertEquals(C * M - storedBeforeRestart, resumed.get("llm_calls").getAsInt());
        assertEquals(0, resumed.get("failed").getAsInt());
        try (InterestStore s = InterestStore.open(store)) {
            List<StoreEntry> entries = s.entries();
            Set<Object> keys = new HashSet<>();
            for (StoreEntry e : entries) {
                keys.add(e.key());
            }
            assertEquals(C * M, keys.size(), "every typical user's entry is stored");
            assertEquals(C * M, entries.size(), "and stored once");
        }
        // Calls made: those before the kill (answers in flight at the kill are lost, at most the concurrency)
        // plus one per entry missing at the restart.
        int lostInFlight = callsBeforeKill - storedBeforeRestart;
        assertTrue(lostInFlight >= 0 && lostInFlight <= 2, "in flight at the kill: " + lostInFlight);
        assertEquals(callsBeforeKill + (C * M - storedBeforeRestart), chats.get());
        System.out.println("EsimCrashTest: C*M = " + (C * M) + ", killed after " + callsBeforeKill + " calls with "
                + storedBeforeRestart + " stored; restart made " + (C * M - storedBeforeRestart) + " calls; "
                + lostInFlight + " answers lost in flight; store holds " + (C * M) + " entries, no duplicate");
    }
}
