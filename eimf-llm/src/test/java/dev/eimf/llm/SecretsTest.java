package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.data.ItemInfo;
import dev.eimf.internal.esim.EsimResult;
import dev.eimf.internal.esim.EsimRunner;
import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.internal.esim.InterestParser;
import dev.eimf.internal.esim.InterestStore;
import dev.eimf.esim.LlmClient.ChatRequest;
import dev.eimf.esim.LlmClient.Message;
import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.esim.PromptBuilder;
import dev.eimf.internal.esim.StoreEntry;
import dev.eimf.esim.UserHistory;
import dev.eimf.internal.esim.UserInterests;
import dev.eimf.internal.io.ModelArchive;
import dev.eimf.internal.io.TensorData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API key (and a credential header) never reach log output, standard output, exception messages or
 * causes, {@code toString()}, the interest store or a model archive, even from a server that echoes them back
 * in every place it can: error messages, bodies cut where our messages cut them, status lines, fields that
 * should be numbers, and the model's answer itself. Part of a key counts as a leak (any 10 characters of it).
 */
class SecretsTest {
    static final String KEY = "sk-test-SECRET123";
    static final String HEADER_SECRET = "hdr-SECRET-4567890";
    private static final Pattern MODE = Pattern.compile("mode:([a-z0-9-]+)");

    @StartStop
    final MockWebServer server = NoDelayServerSockets.server();

    @TempDir
    Path dir;

    /** Fails when any 10 characters of a secret appear in the text. */
    static void assertNoSecret(String where, String text) {
        if (text == null) {
            return;
        }
        for (String secret : List.of(KEY, HEADER_SECRET)) {
            for (int i = 0; i + 10 <= secret.length(); i++) {
                int at = text.indexOf(secret.substring(i, i + 10));
                if (at >= 0) {
                    fail(where + " leaks part of a secret: ..." + text.substring(Math.max(0, at - 60),
                            Math.min(text.length(), at + 40)) + "...");
                }
            }
        }
    }

    /** Message, toString and printed stack trace with every cause. */
    static void assertNoSecret(String where, Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        assertNoSecret(where + " (stack trace)", w.toString());
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertNoSecret(where + " (message of " + c.getClass().getName() + ")", c.getMessage());
            assertNoSecret(where + " (toString)", c.toString());
        }
        if (t instanceof LlmException e) {
            assertNoSecret(where + " (server message)", e.serverMessage());
        }
    }

    /**
     * An OpenAI-compatible server that puts the credentials it received wherever the prompt's mode says; the
     * "long", "cut" and "no-choices" modes put the key across the points where our messages cut server text.
     */
    static final class EchoServer extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String echo = request.getHeaders().get("Authorization") + " / X-Api-Key: " + request.getHeaders().get("X-Api-Key");
            JsonObject body = JsonParser.parseString(request.getBody().utf8()).getAsJsonObject();
            if (request.getUrl().encodedPath().endsWith("/embeddings")) {
                return json(200, "{\"data\":[{\"index\":\"" + echo + "\",\"embedding\":[1,2]}]}");
            }
            String user = body.getAsJsonArray("messages").get(1).getAsJsonObject().get("content").getAsString();
            Matcher m = MODE.matcher(user);
            String mode = m.find() ? m.group(1) : "ok";
            String error = "{\"error\":{\"message\":\"Incorrect API key provided: " + echo + "\"}}";
            return switch (mode) {
                case "401" -> json(401, error);
                case "403" -> json(403, error);
                case "404" -> json(404, error);
                case "400" -> json(400, error);
                case "422" -> json(422, "{\"detail\":[{\"msg\":\"bad header " + echo + "\"}]}");
                case "429" -> json(429, error);
                case "500" -> json(500, "<html>upstream said: " + echo + "</html>");
                case "long-401" -> json(401, "{\"error\":{\"message\":\"" + "m".repeat(480) + echo + "\"}}");
                case "malformed" -> json(200, "<html>proxy page for " + echo + "</html>");
                case "snippet-cut" -> json(200, "x".repeat(100) + echo);
                case "no-choices" -> json(200, "{\"error\":{\"message\":\"" + "e".repeat(470) + echo + "\"}}");
                case "status-line" -> new MockResponse.Builder().status("HTTP/1.1 2x0 " + echo).build();
                case "timeout" -> json(200, "{}").newBuilder().headersDelay(2, TimeUnit.SECONDS).build();
                case "schema-echo" -> json(200, OpenAiChatClientTest.reply("I cannot. Your headers were " + echo, 1, 1));
                case "echo-content" -> json(200, OpenAiChatClientTest.reply("{\"interests\":[{\"name\":\"Echo\","
                        + "\"description\":\"" + echo + "\",\"evidence\":[1]},{\"name\":\"Films\",\"description\":\"\","
                        + "\"evidence\":[1]}]}", 1, 1));
                default -> json(200, OpenAiChatClientTest.reply("{\"interests\":[{\"name\":\"Comedy\",\"description\":\"d\","
                        + "\"evidence\":[1]},{\"name\":\"Films\",\"description\":\"\",\"evidence\":[1]}]}", 1, 1));
            };
        }

        private static MockResponse json(int code, String body) {
            return OpenAiChatClientTest.status(code, body);
        }
    }

    private OpenAiConfig.Builder config() {
        return OpenAiConfig.builder().baseUrl(server.url("/").toString()).model("m").apiKey(KEY)
                .header("X-Api-Key", HEADER_SECRET).maxRetries(1).readTimeout(Duration.ofSeconds(20));
    }

    private static ChatRequest request(String mode) {
        return new ChatRequest(List.of(Message.system("s"), Message.user("mode:" + mode)), 0, 0, false);
    }

    @Test
    void secretsNeverLeave() throws Exception {
        server.setDispatcher(new EchoServer());
        String logProperty = System.getProperty("org.slf4j.simpleLogger.logFile");
        assertNotNull(logProperty, "run through Maven: the test log file is configured in eimf-llm's pom");
        Path log = Path.of(logProperty);
        org.slf4j.LoggerFactory.getLogger(SecretsTest.class);  // the logger opens (and empties) its file once, first
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        List<String> checked = new ArrayList<>();
        try {
            checkClientsAndErrors(checked);
            checkInterestStore(checked);
            checkModelArchive(checked);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertNoSecret("standard output and error", captured.toString(StandardCharsets.UTF_8));
        byte[] logBytes = Files.readAllBytes(log);
        String logged = new String(logBytes, (int) logStart, logBytes.length - (int) logStart, StandardCharsets.UTF_8);
        assertTrue(logged.contains("retrying"), "the retries were logged (else this check could not fail)");
        assertNoSecret("log output", logged);
        System.out.println("secrets: checked " + checked.size() + " outputs, " + logged.lines().count() + " log lines, "
                + captured.size() + " bytes of standard output; requests " + server.getRequestCount());
    }

    private void checkClientsAndErrors(List<String> checked) throws Exception {
        OpenAiConfig config = config().build();
        assertTrue(config.apiKey().isPresent() && config.apiKey().get().equals(KEY));
        OpenAiConfig fromEnv = OpenAiConfig.builder().baseUrl(server.url("/").toString()).model("m")
                .environment(name -> OpenAiConfig.API_KEY_ENV.equals(name) ? KEY : null).build();
        assertEquals(KEY, fromEnv.apiKey().orElseThrow());
        try (OpenAiChatClient chat = new OpenAiChatClient(config, d -> { });
             OpenAiEmbeddingClient embeddings = OpenAiEmbeddingClient.builder(config).sleeper(d -> { }).build()) {
            for (Object o : List.of(config, fromEnv, config.toBuilder().build(), chat, embeddings, chat.usage(),
                    request("x"), chat.request(List.of(Message.user("u"))))) {
                assertNoSecret("toString of " + o.getClass().getSimpleName(), o.toString());
                checked.add(o.getClass().getSimpleName());
            }
            for (String mode : List.of("401", "403", "404", "400", "422", "429", "500", "long-401", "malformed",
                    "snippet-cut", "no-choices", "status-line")) {
                LlmException e = assertThrows(LlmException.class, () -> chat.chat(request(mode)), mode);
                assertNoSecret("error for " + mode + " (" + e.reason() + ")", e);
                checked.add(mode);
            }
            try (OpenAiChatClient impatient = new OpenAiChatClient(config().readTimeout(Duration.ofMillis(300)).build(),
                    d -> { })) {
                LlmException e = assertThrows(LlmException.class, () -> impatient.chat(request("timeout")));
                assertEquals(LlmException.Reason.IO, e.reason());
                assertNoSecret("error for a read timeout", e);
                checked.add("timeout");
            }
            // A secret the server echoes into an answer is redacted there too.
            String content = chat.chat(request("schema-echo")).content();
            assertTrue(content.contains("***"), content);
            assertNoSecret("reply content", content);
            LlmException e = assertThrows(LlmException.class, () -> embeddings.encode(List.of("a")));
            assertNoSecret("embeddings error", e);
            assertNoSecret("usage after errors", chat.usage().toString());
            checked.add("embeddings");
        }
    }

    private void checkInterestStore(List<String> checked) throws IOException {
        List<UserHistory> users = new ArrayList<>();
        for (String mode : List.of("ok", "echo-content", "schema-echo", "401", "500", "malformed", "status-line")) {
            users.add(new UserHistory("u-" + mode, List.of(new ItemInfo("i1", "mode:" + mode, List.of("Drama"), "", ""))));
        }
        Path storeDir = dir.resolve("store");
        EsimResult result;
        try (OpenAiChatClient chat = new OpenAiChatClient(config().build(), d -> { });
             InterestStore store = InterestStore.open(storeDir)) {
            LlmInterestExtractor extractor = new LlmInterestExtractor(chat, PromptBuilder.builder().interests(2).build(),
                    false, 1);
            result = EsimRunner.builder().extractor(extractor).encoder(new HashingTextEncoder(16, false)).store(store)
                    .build().run(users);
            for (StoreEntry entry : store.entries()) {
                assertNoSecret("store entry toString", entry.toString());
            }
        }
        assertEquals(5, result.stats().failed(), "all but ok and echo-content fail");
        for (UserInterests u : result.users()) {
            assertNoSecret("ESIM result for " + u.userId(), u.toString());
        }
        assertNoSecret("ESIM result", result.toString());
        UserInterests echoed = result.users().get(1);
        assertTrue(echoed.ok() && echoed.interests().get(0).description().contains("***"), echoed.toString());
        assertFalse(result.users().get(3).ok());
        try (Stream<Path> files = Files.list(storeDir)) {
            for (Path f : files.toList()) {
                assertNoSecret("store file " + f.getFileName(), Files.readString(f, StandardCharsets.ISO_8859_1));
                checked.add(f.getFileName().toString());
            }
        }
        assertTrue(Files.readString(storeDir.resolve(InterestStore.FILE_NAME)).contains("***"),
                "the echoed answers are stored, redacted");
    }

    private void checkModelArchive(List<String> checked) throws IOException {
        OpenAiConfig config = config().build();
        LlmException error;
        try (OpenAiChatClient chat = new OpenAiChatClient(config, d -> { })) {
            error = assertThrows(LlmException.class, () -> chat.chat(request("401")));
            ModelArchive archive = ModelArchive.builder()
                    .config("llm.config", config.toString())
                    .config("llm.client", chat.toString())
                    .metadata("esim.last_error", error.getMessage())
                    .metadata("esim.server_message", error.serverMessage())
                    .itemIds(List.of("i1", "i2"))
                    .tensor("w", TensorData.ofFloats(new float[] {1, 2}, 2))
                    .build();
            Path file = dir.resolve("model.eimf");
            archive.write(file);
            assertNoSecret("model archive", new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            assertNoSecret("model archive toString", ModelArchive.read(file).toString());
            checked.add("model archive");
        }
    }
}
