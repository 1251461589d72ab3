package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.data.DataPaths;
import dev.eimf.data.DatasetFormat;
import dev.eimf.internal.model.ModelStore;
import dev.eimf.internal.model.SavedModel;
import dev.eimf.internal.serve.Recommendation;
import dev.eimf.internal.synth.SyntheticConfig;
import dev.eimf.internal.synth.SyntheticGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}, {@code recommend} and {@code esim} end to end on a small synthetic CSV dataset (titles and
 * categories included), plus a short training run on ml-100k when it is available.
 */
class ModelCommandsTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;
    static JsonObject trainJson;

    @StartStop
    final MockWebServer server = new MockWebServer();

    @BeforeAll
    static void trainTinyModel() throws Exception {
        data = tmp.resolve("synth");
        new SyntheticGenerator(SyntheticConfig.builder().name("synth").users(200).items(80).meanSequenceLength(15).maxSequenceLength(40)
                .topics(5).seed(3).build()).write(data, DatasetFormat.CSV);
        model = tmp.resolve("model");
        Path json = tmp.resolve("train.json");
        MainTest.Result r = MainTest.run("train", "--data", data.toString(), "--model", "comirec-sa", "--steps", "40",
                "--dim", "16", "--interests", "2", "--max-len", "10", "--batch", "32", "--eval-every", "20",
                "--log-every", "20", "--seed", "2", "--out", model.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pop test"), r.out());
        assertTrue(r.out().contains("model saved to " + model), r.out());
        trainJson = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    }

    @Test
    void trainWritesTheJsonAndTheModel() throws Exception {
        assertEquals("comirec-sa", trainJson.get("model").getAsString());
        assertEquals("comirec", trainJson.get("protocol").getAsString());
        assertEquals(2, trainJson.get("seed").getAsLong());
        assertEquals(40, trainJson.get("steps").getAsLong());
        long best = trainJson.get("best_step").getAsLong();
        assertTrue(best == 20 || best == 40, "best_step " + best);
        assertTrue(trainJson.get("train_seconds").getAsDouble() > 0);
        assertEquals(trainJson.get("train_seconds").getAsDouble() * 1000 / 40,
                trainJson.get("seconds_per_1000_steps").getAsDouble(), 1e-9);
        for (String part : new String[] {"valid", "test"}) {
            JsonObject m = trainJson.getAsJsonObject(part);
            JsonObject pop = trainJson.getAsJsonObject("most_popular").getAsJsonObject(part);
            for (String k : new String[] {"recall@20", "ndcg@20", "hitrate@20", "recall@50", "ndcg@50", "hitrate@50",
                    "diversity@20", "diversity@50"}) {
                double v = m.get(k).getAsDouble();
                assertTrue(v >= 0 && v <= 1, part + " " + k + " = " + v);
                assertTrue(pop.has(k), "most_popular " + part + " " + k);
            }
        }
        SavedModel m = ModelStore.load(model);
        assertEquals("synth", m.metadata().dataset());
        assertEquals(40, m.metadata().steps());
        assertEquals(best, m.metadata().bestStep());
        assertEquals(2, m.training().seed());
        assertEquals(16, m.dim());
        assertEquals(2, m.numInterests());
        assertFalse(m.catalog().info(1).title().isEmpty(), "titles are saved with the model");
    }

    @Test
    void recommendPrintsRankedTitledItems() throws Exception {
        SavedModel m = ModelStore.load(model);
        List<String> history = List.of(m.catalog().externalId(3), m.catalog().externalId(10), m.catalog().externalId(7));
        Path json = tmp.resolve("rec.json");
        MainTest.Result r = MainTest.run("recommend", "--model", model.toString(), "--history", String.join(",", history),
                "--n", "5", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        List<Recommendation> want = m.recommender().recommend(history, 5);
        JsonArray recs = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("recommendations");
        assertEquals(5, recs.size());
        for (int i = 0; i < 5; i++) {
            JsonObject o = recs.get(i).getAsJsonObject();
            Recommendation w = want.get(i);
            assertEquals(i + 1, o.get("rank").getAsInt());
            assertEquals(w.externalId(), o.get("item_id").getAsString());
            assertEquals(w.title(), o.get("title").getAsString());
            assertEquals(w.score(), o.get("score").getAsFloat());
            assertEquals(w.interest(), o.get("interest").getAsInt());
            assertFalse(history.contains(w.externalId()), "history items are excluded");
            assertTrue(r.out().contains(w.title()), r.out());
        }
        assertTrue(r.out().contains("rank") && r.out().contains("interest") && r.out().contains("title"), r.out());
    }

    private static JsonObject evaluate(String name, String... extra) throws Exception {
        Path json = tmp.resolve(name);
        List<String> a = new java.util.ArrayList<>(List.of("evaluate", "--data", data.toString(), "--model", model.toString(),
                "--json", json.toString()));
        a.addAll(List.of(extra));
        MainTest.Result r = MainTest.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("diversity@50"), r.out());
        return JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    }

    @Test
    void evaluateReproducesTrainsMetricsAndDiversityTradesRecallForCategories() throws Exception {
        JsonObject plain = evaluate("eval0.json");
        assertEquals(0.0, plain.get("diversity").getAsDouble());
        assertEquals(2, plain.get("seed").getAsLong(), "the split seed comes from the model");
        for (String part : new String[] {"valid", "test"}) {
            for (var e : trainJson.getAsJsonObject(part).entrySet()) {
                assertEquals(e.getValue().getAsDouble(), plain.getAsJsonObject(part).get(e.getKey()).getAsDouble(), 1e-12,
                        part + " " + e.getKey());
            }
        }
        JsonObject diverse = evaluate("eval1.json", "--diversity", "1");
        assertEquals(1.0, diverse.get("diversity").getAsDouble());
        JsonObject t0 = plain.getAsJsonObject("test");
        JsonObject t1 = diverse.getAsJsonObject("test");
        assertTrue(t1.get("diversity@20").getAsDouble() > t0.get("diversity@20").getAsDouble(), t0 + " / " + t1);
        MainTest.Result bad = MainTest.run("evaluate", "--data", data.toString(), "--model", model.toString(),
                "--diversity", "-1");
        assertEquals(2, bad.code(), bad.err());
    }

    @Test
    void recommendWithDiversityAndBaselineJsonKeys() throws Exception {
        SavedModel m = ModelStore.load(model);
        List<String> history = List.of(m.catalog().externalId(3), m.catalog().externalId(10), m.catalog().externalId(7));
        Path json = tmp.resolve("rec-div.json");
        MainTest.Result r = MainTest.run("recommend", "--model", model.toString(), "--history", String.join(",", history),
                "--n", "10", "--diversity", "5", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(5.0, o.get("diversity").getAsDouble());
        double d10 = o.get("diversity@10").getAsDouble();
        assertTrue(d10 >= 0 && d10 <= 1, o.toString());
        assertFalse(o.has("diversity@50"), "a list of 10 has no diversity@50");
        JsonArray recs = o.getAsJsonArray("recommendations");
        assertEquals(10, recs.size());
        Path json50 = tmp.resolve("rec-div50.json");
        MainTest.Result r50 = MainTest.run("recommend", "--model", model.toString(), "--history", String.join(",", history),
                "--n", "50", "--json", json50.toString());
        assertEquals(0, r50.code(), r50.err());
        JsonObject o50 = JsonParser.parseString(Files.readString(json50)).getAsJsonObject();
        assertTrue(o50.has("diversity@20") && o50.has("diversity@50"), o50.toString());
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            String id = recs.get(i).getAsJsonObject().get("item_id").getAsString();
            assertFalse(history.contains(id));
            assertTrue(ids.add(id), "no item twice");
        }
        Path bj = tmp.resolve("base.json");
        MainTest.Result b = MainTest.run("baseline", "--data", data.toString(), "--baseline", "pop", "--diversity", "0.5",
                "--json", bj.toString());
        assertEquals(0, b.code(), b.err());
        JsonObject bo = JsonParser.parseString(Files.readString(bj)).getAsJsonObject();
        assertEquals(0.5, bo.get("diversity").getAsDouble());
        assertTrue(bo.getAsJsonObject("test").has("diversity@20") && bo.getAsJsonObject("test").has("diversity@50"), bo.toString());
    }

    @Test
    void recommendListsUnknownIds() throws Exception {
        String known = ModelStore.load(model).catalog().externalId(1);
        MainTest.Result r = MainTest.run("recommend", "--model", model.toString(), "--history",
                "no-such-item," + known + ",also-missing");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("2 unknown item id(s)") && r.err().contains("no-such-item")
                && r.err().contains("also-missing"), r.err());
        r = MainTest.run("recommend", "--model", tmp.resolve("nothing").toString(), "--history", "x");
        assertEquals(1, r.code());
        assertTrue(r.err().contains(ModelStore.MODEL_FILE), r.err());
        r = MainTest.run("recommend", "--model", model.toString(), "--history", "a,,b");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("empty id at position 2"), r.err());
    }

    private static JsonObject esim(Path store, Path json, String... extra) throws Exception {
        String[] base = {"esim", "--data", data.toString(), "--model", model.toString(), "--clusters", "3",
            "--per-cluster", "2", "--store", store.toString(), "--json", json.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        MainTest.Result r = MainTest.run(all);
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("typical users:"), r.out());
        return JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    }

    @Test
    void esimWithTheMetadataExtractorThenEverythingCached() throws Exception {
        Path store = tmp.resolve("store-metadata");
        JsonObject first = esim(store, tmp.resolve("e1.json"), "--extractor", "metadata", "--encoder", "hash");
        int users = first.get("typical_users").getAsInt();
        assertTrue(users >= 3 && users <= 6, "typical users " + users);
        assertEquals(users, first.get("llm_calls").getAsInt(), "fresh extractions");
        assertEquals(0, first.get("cached").getAsInt());
        assertEquals(0, first.get("failed").getAsInt());
        assertEquals(0, first.get("tokens").getAsLong());
        assertTrue(first.get("seconds").getAsDouble() >= 0);
        for (JsonElement u : first.getAsJsonArray("users")) {
            assertEquals(2, u.getAsJsonObject().getAsJsonArray("interests").size(), "J defaults to the model's K");
        }

        JsonObject again = esim(store, tmp.resolve("e2.json"), "--extractor", "metadata", "--encoder", "hash");
        assertEquals(users, again.get("typical_users").getAsInt());
        assertEquals(0, again.get("llm_calls").getAsInt());
        assertEquals(users, again.get("cached").getAsInt());
        assertEquals(0, again.get("failed").getAsInt());
        assertEquals(first.getAsJsonArray("users"), markCached(again.getAsJsonArray("users"), false));
    }

    private static JsonArray markCached(JsonArray users, boolean cached) {
        JsonArray out = users.deepCopy();
        for (JsonElement u : out) u.getAsJsonObject().addProperty("cached", cached);
        return out;
    }

    /** An OpenAI-compatible "LLM": J interests per prompt, evidence item 1; and 4-d embeddings. */
    private void serveOpenAi(AtomicInteger chats, AtomicInteger embeddings) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                JsonObject body = JsonParser.parseString(request.getBody().utf8()).getAsJsonObject();
                String path = request.getUrl().encodedPath();
                if (path.equals("/v1/chat/completions")) {
                    chats.incrementAndGet();
                    String prompt = body.getAsJsonArray("messages").get(1).getAsJsonObject().get("content").getAsString();
                    JsonArray interests = new JsonArray();
                    for (int i = 0; i < 2; i++) {
                        JsonObject o = new JsonObject();
                        o.addProperty("name", "Interest " + (char) ('A' + i) + " " + Integer.toHexString(prompt.hashCode()));
                        o.addProperty("description", "Things like item " + (i + 1));
                        JsonArray ev = new JsonArray();
                        ev.add(1);
                        o.add("evidence", ev);
                        interests.add(o);
                    }
                    JsonObject content = new JsonObject();
                    content.add("interests", interests);
                    return json("{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                            + "\"message\":{\"role\":\"assistant\",\"content\":" + new com.google.gson.JsonPrimitive(
                                    "```json\n" + content + "\n```") + "},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120}}");
                }
                if (path.equals("/v1/embeddings")) {
                    embeddings.incrementAndGet();
                    JsonArray data = new JsonArray();
                    JsonArray input = body.getAsJsonArray("input");
                    for (int i = 0; i < input.size(); i++) {
                        JsonObject item = new JsonObject();
                        item.addProperty("object", "embedding");
                        item.addProperty("index", i);
                        JsonArray e = new JsonArray();
                        int h = input.get(i).getAsString().hashCode();
                        for (int k = 0; k < 4; k++) e.add(((h >> (8 * k)) & 0xFF) / 255.0 + 0.01);
                        item.add("embedding", e);
                        data.add(item);
                    }
                    return json("{\"object\":\"list\",\"data\":" + data + ",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}");
                }
                return new MockResponse.Builder().code(404).body("{\"error\":{\"message\":\"no route\"}}").build();
            }
        });
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void esimWithAnOpenAiCompatibleServerThenEverythingCached() throws Exception {
        AtomicInteger chats = new AtomicInteger();
        AtomicInteger embeddings = new AtomicInteger();
        serveOpenAi(chats, embeddings);
        Path store = tmp.resolve("store-llm");
        String[] opts = {"--extractor", "llm", "--base-url", server.url("/").toString(), "--llm-model", "mock-llm",
            "--encoder", "openai", "--embedding-model", "mock-embed", "--domain", "products"};
        JsonObject first = esim(store, tmp.resolve("l1.json"), opts);
        int users = first.get("typical_users").getAsInt();
        assertTrue(users >= 3, "typical users " + users);
        assertEquals(users, first.get("llm_calls").getAsInt());
        assertEquals(users, chats.get(), "one chat call per typical user");
        assertEquals(0, first.get("cached").getAsInt());
        assertEquals(0, first.get("failed").getAsInt());
        assertEquals(120L * users, first.get("tokens").getAsLong());
        assertEquals("openai:mock-embed", first.get("encoder").getAsString());
        int embeddingCalls = embeddings.get();
        assertTrue(embeddingCalls >= 1);

        JsonObject again = esim(store, tmp.resolve("l2.json"), opts);
        assertEquals(users, again.get("typical_users").getAsInt());
        assertEquals(0, again.get("llm_calls").getAsInt());
        assertEquals(users, again.get("cached").getAsInt());
        assertEquals(0, again.get("failed").getAsInt());
        assertEquals(0, again.get("tokens").getAsLong());
        assertEquals(users, chats.get(), "the rerun sends no chat request");
        assertEquals(embeddingCalls, embeddings.get(), "the rerun reuses the stored vectors");
    }

    private static String[] esimArgs(Path store, Path json, String... extra) {
        String[] base = {"esim", "--data", data.toString(), "--model", model.toString(), "--clusters", "2",
            "--per-cluster", "1", "--store", store.toString(), "--json", json.toString(), "--extractor", "llm",
            "--llm-model", "mock-llm", "--encoder", "hash"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void esimFailuresExitNonZeroAndCredentialsInTheBaseUrlAreNeverShown() throws Exception {
        String secret = "pw-9Zq1secret";
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(404).body("{\"error\":{\"message\":\"no model \u001b[2J here\"}}").build();
            }
        });
        String url = "http://bob:" + secret + "@" + server.getHostName() + ":" + server.getPort() + "/v1";
        Path json = tmp.resolve("fail.json");
        MainTest.Result r = MainTest.run(esimArgs(tmp.resolve("store-fail"), json, "--base-url", url));
        assertEquals(1, r.code(), r.err() + r.out());
        int users = JsonParser.parseString(Files.readString(json)).getAsJsonObject().get("typical_users").getAsInt();
        assertTrue(r.err().contains(users + " of " + users + " typical users failed"), r.err());
        String all = r.out() + r.err() + Files.readString(json);
        assertFalse(all.contains(secret), all);
        assertTrue(Files.readString(json).contains("POST http://" + server.getHostName() + ":" + server.getPort()
                + "/v1/chat/completions failed"), Files.readString(json));
        assertFalse(r.out().contains("\u001b"), "the server's words are printed escaped: " + r.out());
    }

    @Test
    void aDeadServerCostsOneDeadlinePerUser() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("{}").headersDelay(4, java.util.concurrent.TimeUnit.SECONDS)
                        .build();
            }
        });
        Path json = tmp.resolve("deadline.json");
        long t0 = System.nanoTime();
        MainTest.Result r = MainTest.run(esimArgs(tmp.resolve("store-deadline"), json, "--base-url",
                server.url("/").toString(), "--llm-deadline", "1500ms", "--concurrency", "2"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.code(), r.err() + r.out());
        assertTrue(seconds < 30, "took " + seconds + " s");
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        for (JsonElement u : o.getAsJsonArray("users")) {
            assertTrue(u.getAsJsonObject().get("reason").getAsString()
                    .contains("no answer within the deadline per user (--llm-deadline 1500ms)"), u.toString());
        }
        MainTest.Result usage = MainTest.run(esimArgs(tmp.resolve("store-deadline"), json, "--base-url",
                server.url("/").toString(), "--llm-deadline", "soon"));
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("--llm-deadline expects a duration"), usage.err());
    }

    @Test
    void trainResumesFromItsCheckpointToTheSameResult() throws Exception {
        Path ckpt = tmp.resolve("resume/run.ckpt");
        String[] base = {"train", "--data", data.toString(), "--model", "comirec-sa", "--steps", "40", "--dim", "16",
            "--interests", "2", "--max-len", "10", "--batch", "32", "--eval-every", "20", "--log-every", "20",
            "--seed", "2", "--checkpoint", ckpt.toString(), "--checkpoint-every", "10"};
        MainTest.Result half = MainTest.run(concat(base, "--json", tmp.resolve("r1.json").toString()));
        assertEquals(0, half.code(), half.err());
        assertTrue(Files.exists(ckpt));
        MainTest.Result resumed = MainTest.run(concat(base, "--resume", "--json", tmp.resolve("r2.json").toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming from"), resumed.out());
        JsonObject a = JsonParser.parseString(Files.readString(tmp.resolve("r1.json"))).getAsJsonObject();
        JsonObject b = JsonParser.parseString(Files.readString(tmp.resolve("r2.json"))).getAsJsonObject();
        assertEquals(a.get("test"), b.get("test"));
        assertEquals(a.get("valid"), b.get("valid"));
        assertEquals(trainJson.get("test"), a.get("test"), "checkpointing does not change the result");
        MainTest.Result bad = MainTest.run("train", "--data", data.toString(), "--model", "comirec-sa", "--resume");
        assertEquals(2, bad.code());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void esimUsageErrors() {
        MainTest.Result r = MainTest.run("esim", "--data", data.toString(), "--model", model.toString(), "--store",
                tmp.resolve("s").toString(), "--extractor", "llm", "--encoder", "hash");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--extractor llm needs --base-url"), r.err());
        r = MainTest.run("esim", "--data", data.toString(), "--model", model.toString(), "--store",
                tmp.resolve("s").toString(), "--encoder", "word2vec");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--encoder must be one of minilm|openai|hash"), r.err());
        r = MainTest.run("esim", "--data", data.toString(), "--model", model.toString(), "--store",
                tmp.resolve("s").toString(), "--kcore", "10", "--encoder", "hash");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("pass the --data"), r.err());
    }

    @Test
    void trainUsageErrors() {
        MainTest.Result r = MainTest.run("train", "--data", data.toString(), "--model", "transformer");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--model must be one of comirec-sa|comirec-dr|mind"), r.err());
        r = MainTest.run("train", "--data", data.toString(), "--model", "mind", "--time-budget", "soon");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--time-budget expects a duration"), r.err());
        r = MainTest.run("train", "--data", data.toString(), "--model", "mind", "--steps", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--steps must be >= 1"), r.err());
    }

    @Test
    void trainOnMovieLens() throws Exception {
        Path ml = DataPaths.dataset("ml-100k").orElse(null);
        Assumptions.assumeTrue(ml != null, "ml-100k not available");
        Path json = tmp.resolve("ml.json");
        MainTest.Result r = MainTest.run("train", "--data", ml.toString(), "--model", "comirec-dr", "--steps", "50",
                "--dim", "32", "--batch", "64", "--eval-every", "50", "--seed", "1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals("comirec-dr", j.get("model").getAsString());
        assertEquals(50, j.get("steps").getAsLong());
        assertEquals(5e-3, j.getAsJsonObject("settings").get("lr").getAsDouble(), 0, "DR's recommended rate");
        for (String part : new String[] {"valid", "test"}) {
            double v = j.getAsJsonObject(part).get("recall@50").getAsDouble();
            assertTrue(v > 0 && v <= 1, part + " recall@50 = " + v);
        }
    }
}
