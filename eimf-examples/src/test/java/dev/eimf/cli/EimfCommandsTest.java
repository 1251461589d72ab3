package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.eimf.data.DataPaths;
import dev.eimf.internal.model.ModelStore;
import dev.eimf.internal.model.SavedModel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
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
 * {@code train --eimf}, {@code recommend --explain}, {@code quickstart} and {@code ablation} end to end on
 * MovieLens-100K with small step counts (skipped when the data is absent).
 */
class EimfCommandsTest {
    private static final String[] KEYS = {"recall@20", "ndcg@20", "hitrate@20", "recall@50", "ndcg@50", "hitrate@50"};

    @TempDir
    static Path tmp;
    static Path ml;
    static Path model;
    static JsonObject trainJson;
    static String[] trainArgs;

    @StartStop
    final MockWebServer server = new MockWebServer();

    /** Small, fast settings shared by the runs below: d=16, batch 64, 100 steps, few typical users. */
    private static String[] small(String... more) {
        List<String> a = new ArrayList<>(List.of("--model", "comirec-sa", "--dim", "16", "--batch", "64", "--steps", "100",
                "--eval-every", "50", "--log-every", "50", "--clusters", "6", "--per-cluster", "2"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @BeforeAll
    static void trainEimfWithTheMetadataExtractor() throws Exception {
        ml = DataPaths.dataset("ml-100k").orElse(null);
        Assumptions.assumeTrue(ml != null, "ml-100k not available");
        model = tmp.resolve("eimf-model");
        trainArgs = concat(new String[] {"train", "--data", ml.toString()}, small("--eimf", "--extractor", "metadata",
                "--encoder", "hash", "--work", tmp.resolve("work").toString(), "--out", model.toString(),
                "--json", tmp.resolve("train.json").toString()));
        MainTest.Result r = MainTest.run(trainArgs);
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("train comirec-sa with EIMF on ml-100k"), r.out());
        assertTrue(r.out().contains("pop test"), r.out());
        assertTrue(r.err().contains("warmup: backbone alone for 50 steps") && r.err().contains("esim: "), r.err());
        trainJson = JsonParser.parseString(Files.readString(tmp.resolve("train.json"))).getAsJsonObject();
    }

    @Test
    void trainEimfReportsEsimAndSavesTheSemantics() throws Exception {
        assertEquals(100, trainJson.get("steps").getAsLong());
        for (String part : new String[] {"valid", "test"}) {
            for (String k : KEYS) {
                double v = trainJson.getAsJsonObject(part).get(k).getAsDouble();
                assertTrue(v > 0 && v <= 1, part + " " + k + " = " + v);
            }
        }
        JsonObject esim = trainJson.getAsJsonObject("esim");
        int typical = esim.get("typical_users").getAsInt();
        assertTrue(typical >= 6 && typical <= 12, "typical users " + typical);
        assertEquals(typical, esim.get("llm_calls").getAsInt(), "one fresh extraction per typical user");
        assertEquals(0, esim.get("cached").getAsInt());
        assertEquals(0, esim.get("failed").getAsInt());
        assertEquals(0, esim.get("tokens").getAsLong(), "the metadata extractor spends no tokens");
        assertTrue(esim.get("seconds").getAsDouble() >= 0);
        assertEquals(typical, esim.get("own_targets").getAsInt());
        assertTrue(esim.get("propagated_targets").getAsInt() > 0, "propagation is on by default");
        JsonObject e = trainJson.getAsJsonObject("eimf");
        assertEquals(0.1, e.get("lambda_align").getAsDouble(), 0);
        assertEquals("metadata", e.get("extractor").getAsString());
        assertTrue(Files.isRegularFile(model.resolve(ModelFiles.SEMANTICS_FILE)));
        SavedModel m = ModelStore.load(model);
        assertEquals("true", m.metadata().extra().get("eimf"));
        assertEquals(100, m.metadata().steps());
        assertTrue(ModelFiles.semantics(model, m).isPresent());
    }

    @Test
    void trainEimfResumesFromItsWorkDirectoryAndRefusesOtherSettings() throws Exception {
        Path json = tmp.resolve("again.json");
        String[] again = trainArgs.clone();
        for (int i = 0; i < again.length; i++) {
            if (again[i].equals("--json")) again[i + 1] = json.toString();
            if (again[i].equals("--out")) again[i + 1] = tmp.resolve("again-model").toString();
        }
        MainTest.Result r = MainTest.run(again);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resuming from"), r.err());
        JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(trainJson.get("test"), j.get("test"), "the finished checkpoints give the same model");
        assertEquals(0, j.getAsJsonObject("esim").get("llm_calls").getAsInt(), "every extraction comes from the store");

        r = MainTest.run(concat(again, "--lambda-align", "0.5"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("holds a run with other settings") && r.err().contains("lambda_align was 0.1, now 0.5"),
                r.err());
        r = MainTest.run("train", "--data", ml.toString(), "--model", "comirec-sa", "--tau", "0.2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--tau needs --eimf"), r.err());
    }

    @Test
    void recommendExplainNamesEveryInterest() throws Exception {
        SavedModel m = ModelStore.load(model);
        List<String> history = new ArrayList<>();
        for (int i = 1; i <= 8; i++) history.add(m.catalog().externalId(i * 3));
        Path json = tmp.resolve("explain.json");
        MainTest.Result r = MainTest.run("recommend", "--model", model.toString(), "--history", String.join(",", history),
                "--n", "6", "--explain", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        JsonArray interests = j.getAsJsonArray("interests");
        assertEquals(m.numInterests(), interests.size());
        List<String> names = new ArrayList<>();
        for (JsonElement e : interests) {
            JsonObject o = e.getAsJsonObject();
            String name = o.get("name").getAsString();
            assertFalse(name.isBlank());
            double cos = o.get("cosine").getAsDouble();
            assertTrue(cos >= -1 && cos <= 1, "cosine " + cos);
            for (JsonElement it : o.getAsJsonArray("driven_by")) {
                assertTrue(history.contains(it.getAsJsonObject().get("item_id").getAsString()), "driving items come from the history");
            }
            names.add(name);
            assertTrue(r.out().contains(name), r.out());
        }
        JsonArray recs = j.getAsJsonArray("recommendations");
        assertEquals(6, recs.size());
        for (JsonElement e : recs) {
            JsonObject o = e.getAsJsonObject();
            assertEquals(names.get(o.get("interest").getAsInt()), o.get("interest_name").getAsString());
            assertTrue(r.out().contains(o.get("title").getAsString()), r.out());
        }
        assertTrue(r.out().contains("driven by"), r.out());

        // Without the semantics file: a clear message, and the plain recommendations.
        Path plain = tmp.resolve("no-semantics");
        Files.createDirectories(plain);
        for (String f : new String[] {ModelStore.MODEL_FILE, "items.jsonl"}) {
            if (Files.exists(model.resolve(f))) Files.copy(model.resolve(f), plain.resolve(f));
        }
        assertNotNull(ModelStore.load(plain));
        r = MainTest.run("recommend", "--model", plain.toString(), "--history", String.join(",", history), "--explain");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("has no " + ModelFiles.SEMANTICS_FILE), r.err());
        assertTrue(r.out().contains("rank"), r.out());

        // A semantics file that was not written with this model is refused.
        Files.copy(model.resolve(ModelFiles.SEMANTICS_FILE), plain.resolve(ModelFiles.SEMANTICS_FILE));
        Files.write(plain.resolve(ModelFiles.SEMANTICS_FILE), new byte[] {0}, StandardOpenOption.APPEND);
        r = MainTest.run("recommend", "--model", plain.toString(), "--history", String.join(",", history), "--explain");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("was not written with this model"), r.err());
    }

    /**
     * An OpenAI-compatible chat server whose answers are derived from the prompt: J interests (J read from
     * the prompt), each named after one numbered history item, with that item's number as evidence.
     */
    private void serveChat(AtomicInteger chats, List<String> names) {
        Pattern j = Pattern.compile("List exactly (\\d+) explicit interests");
        Pattern line = Pattern.compile("(?m)^(\\d+)\\. ([^(\\n]+)");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!request.getUrl().encodedPath().equals("/v1/chat/completions")) {
                    return new MockResponse.Builder().code(404).body("{\"error\":{\"message\":\"no route\"}}").build();
                }
                chats.incrementAndGet();
                JsonObject body = JsonParser.parseString(request.getBody().utf8()).getAsJsonObject();
                JsonArray messages = body.getAsJsonArray("messages");
                String prompt = messages.get(messages.size() - 1).getAsJsonObject().get("content").getAsString();
                Matcher jm = j.matcher(prompt);
                int want = jm.find() ? Integer.parseInt(jm.group(1)) : 1;
                List<String> titles = new ArrayList<>();
                Matcher lm = line.matcher(prompt);
                while (lm.find()) titles.add(lm.group(2).trim());
                JsonArray interests = new JsonArray();
                for (int i = 0; i < want && !titles.isEmpty(); i++) {
                    int n = titles.size() - 1 - i * Math.max(1, titles.size() / want);
                    n = Math.max(0, n);
                    JsonObject o = new JsonObject();
                    String name = "Films like " + titles.get(n);
                    synchronized (names) {
                        names.add(name);
                    }
                    o.addProperty("name", name);
                    o.addProperty("description", "The user keeps choosing films such as " + titles.get(n) + ".");
                    JsonArray ev = new JsonArray();
                    ev.add(n + 1);
                    o.add("evidence", ev);
                    interests.add(o);
                }
                JsonObject content = new JsonObject();
                content.add("interests", interests);
                String reply = "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":" + new JsonPrimitive(content.toString())
                        + "},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120}}";
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(reply).build();
            }
        });
    }

    @Test
    void trainEimfWithAnLlmEndpointEndToEnd() throws Exception {
        AtomicInteger chats = new AtomicInteger();
        List<String> names = new ArrayList<>();
        serveChat(chats, names);
        Path out = tmp.resolve("llm-model");
        Path json = tmp.resolve("llm.json");
        MainTest.Result r = MainTest.run(concat(new String[] {"train", "--data", ml.toString()}, small("--eimf",
                "--extractor", "llm", "--base-url", server.url("/").toString(), "--llm-model", "mock-llm",
                "--domain", "movies", "--encoder", "hash", "--store", tmp.resolve("llm-store").toString(),
                "--out", out.toString(), "--json", json.toString())));
        assertEquals(0, r.code(), r.err() + r.out());
        JsonObject esim = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("esim");
        int typical = esim.get("typical_users").getAsInt();
        assertTrue(typical >= 6, "typical users " + typical);
        assertEquals(typical, chats.get(), "one chat request per typical user");
        assertEquals(typical, esim.get("llm_calls").getAsInt());
        assertEquals(120L * typical, esim.get("tokens").getAsLong());
        assertEquals(0, esim.get("failed").getAsInt());
        assertEquals(typical, esim.get("own_targets").getAsInt(), "every answer parsed into semantic targets");

        // The model's interests are now named with the phrases the "LLM" gave.
        SavedModel m = ModelStore.load(out);
        Path rec = tmp.resolve("llm-explain.json");
        r = MainTest.run("recommend", "--model", out.toString(), "--history",
                m.catalog().externalId(1) + "," + m.catalog().externalId(2) + "," + m.catalog().externalId(5),
                "--explain", "--json", rec.toString());
        assertEquals(0, r.code(), r.err());
        for (JsonElement e : JsonParser.parseString(Files.readString(rec)).getAsJsonObject().getAsJsonArray("interests")) {
            String name = e.getAsJsonObject().get("name").getAsString();
            assertTrue(names.contains(name), name + " is one of the LLM's phrases");
        }
    }

    @Test
    void quickstartWritesTablesJsonAndAPlot() throws Exception {
        Path out = tmp.resolve("quickstart");
        MainTest.Result r = MainTest.run("quickstart", "--data", ml.toString(), "--out", out.toString(), "--steps", "60",
                "--eval-every", "20", "--dim", "16", "--batch", "64", "--clusters", "4", "--per-cluster", "2");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("backbone") && r.out().contains("EIMF") && r.out().contains("change"), r.out());
        assertTrue(r.err().contains("[backbone]") && r.err().contains("[eimf]"), "progress of both runs on stderr");
        assertTrue(r.out().contains("stopped at step: backbone 60 (step budget), EIMF 60 (step budget)")
                && r.out().contains("converged: no"), r.out());
        for (String k : KEYS) assertTrue(r.out().contains(k), k);

        BufferedImage png = ImageIO.read(out.resolve(QuickstartCommand.PLOT).toFile());
        assertNotNull(png, "validation.png reads back as an image");
        assertEquals(ValidationPlot.WIDTH, png.getWidth());
        assertEquals(ValidationPlot.HEIGHT, png.getHeight());

        JsonObject j = JsonParser.parseString(Files.readString(out.resolve(QuickstartCommand.JSON))).getAsJsonObject();
        for (String run : new String[] {"backbone", "eimf"}) {
            JsonObject o = j.getAsJsonObject(run);
            for (String part : new String[] {"valid", "test"}) {
                for (String k : KEYS) {
                    double v = o.getAsJsonObject(part).get(k).getAsDouble();
                    assertTrue(v > 0 && v <= 1, run + " " + part + " " + k + " = " + v);
                }
            }
            assertEquals(60, o.get("stopping_step").getAsLong());
            assertFalse(o.get("converged").getAsBoolean());
            JsonArray curve = o.getAsJsonArray("validation_curve");
            assertEquals(3, curve.size(), run + ": validations at 20, 40, 60");
            assertEquals(60, curve.get(2).getAsJsonObject().get("step").getAsLong());
        }
        assertEquals(j.getAsJsonObject("backbone").getAsJsonArray("validation_curve").get(0),
                j.getAsJsonObject("eimf").getAsJsonArray("validation_curve").get(0), "one shared warm-up");
        assertEquals("all-minilm-l6-v2-q", j.getAsJsonObject("esim").get("encoder").getAsString());
        JsonArray users = j.getAsJsonArray("users");
        assertEquals(3, users.size());
        for (JsonElement u : users) {
            assertEquals(10, u.getAsJsonObject().getAsJsonArray("recommendations").size());
            assertEquals(4, u.getAsJsonObject().getAsJsonArray("interests").size());
        }
        assertTrue(Files.isRegularFile(out.resolve("model").resolve(ModelFiles.SEMANTICS_FILE)));
    }

    @Test
    void quickstartWithoutDataSaysHowToGetIt() {
        MainTest.Result r = MainTest.run("quickstart", "--data", tmp.resolve("nowhere").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(QuickstartCommand.ZIP_URL) && r.err().contains("unzip ml-100k.zip")
                && r.err().contains("--data ml-100k"), r.err());
    }

    @Test
    void ablationRunsEveryVariantOverSeedsAndResumes() throws Exception {
        Path work = tmp.resolve("ablation");
        Path json = tmp.resolve("ablation.json");
        String[] args = concat(new String[] {"ablation", "--data", ml.toString()}, "--model", "comirec-sa", "--seeds", "2",
                "--steps", "30", "--eval-every", "15", "--dim", "16", "--batch", "64", "--encoder", "hash",
                "--clusters", "4", "--per-cluster", "2", "--work", work.toString(), "--json", json.toString());
        MainTest.Result r = MainTest.run(args);
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("EIMF vs backbone, test Recall@50"), r.out());
        assertTrue(r.out().contains("stopping step") && r.out().contains("did not stop on validation"), r.out());
        JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(5, j.getAsJsonObject("settings").get("patience").getAsInt());
        JsonArray variants = j.getAsJsonArray("variants");
        assertEquals(AblationCommand.VARIANTS.size(), variants.size());
        for (int i = 0; i < variants.size(); i++) {
            JsonObject v = variants.get(i).getAsJsonObject();
            assertEquals(AblationCommand.VARIANTS.get(i), v.get("variant").getAsString());
            for (String part : new String[] {"test", "valid"}) {
                for (String k : KEYS) {
                    JsonObject s = v.getAsJsonObject(part).getAsJsonObject(k);
                    double mean = s.get("mean").getAsDouble();
                    assertTrue(mean > 0 && mean <= 1, v.get("variant") + " " + part + " " + k + " = " + mean);
                    assertTrue(s.get("std").getAsDouble() >= 0);
                }
            }
            assertEquals(2, v.getAsJsonArray("runs").size());
            for (JsonElement run : v.getAsJsonArray("runs")) {
                JsonObject o = run.getAsJsonObject();
                assertEquals(30, o.get("stopping_step").getAsLong(), "no patience left to stop 30 steps early");
                assertEquals("max_steps", o.get("stop_reason").getAsString());
                assertFalse(o.get("converged").getAsBoolean());
            }
            assertEquals(!v.get("variant").getAsString().equals("backbone"),
                    v.getAsJsonArray("runs").get(0).getAsJsonObject().has("esim"), "ESIM runs for every variant but the backbone");
        }
        assertEquals(2, j.getAsJsonObject("settings").get("seeds").getAsInt());
        assertTrue(Files.isRegularFile(work.resolve("seed-1").resolve("warmup.ckpt")), "one warm-up per seed");

        Path json2 = tmp.resolve("ablation2.json");
        args[args.length - 1] = json2.toString();
        r = MainTest.run(args);
        assertEquals(0, r.code(), r.err());
        assertEquals(2 * AblationCommand.VARIANTS.size(), r.err().split("finished in an earlier run", -1).length - 1, r.err());
        assertEquals(variants, JsonParser.parseString(Files.readString(json2)).getAsJsonObject().getAsJsonArray("variants"));
    }
}
