package dev.eimf.llm;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** The OpenAI {@code /v1/embeddings} answer of a mock server: a fixed vector per text, in input order. */
final class OpenAiEmbeddingsMock {

    private OpenAiEmbeddingsMock() { }

    /** The vector the mock gives a text: a function of the text's SHA-256, so distinct texts differ. */
    static float[] vectorOf(String text, int dim) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            // Exact in binary (k/256), so that JSON's decimal round trip gives back the same float.
            v[j] = ((h[j % h.length] & 0xff) - 128) / 256f + (j / h.length);
        }
        return v;
    }

    /** The request's {@code input} texts. */
    static List<String> inputs(RecordedRequest r) {
        var body = JsonParser.parseString(r.getBody().utf8()).getAsJsonObject();
        List<String> out = new ArrayList<>();
        var input = body.get("input");
        if (input.isJsonArray()) {
            input.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        } else {
            out.add(input.getAsString());
        }
        return out;
    }

    /** An HTTP 200 embeddings response with {@link #vectorOf} of every input. */
    static MockResponse answer(List<String> inputs, int dim, String model) {
        JsonArray data = new JsonArray();
        for (int i = 0; i < inputs.size(); i++) {
            JsonObject item = new JsonObject();
            item.addProperty("object", "embedding");
            item.addProperty("index", i);
            JsonArray emb = new JsonArray();
            for (float x : vectorOf(inputs.get(i), dim)) {
                emb.add(x);
            }
            item.add("embedding", emb);
            data.add(item);
        }
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", inputs.size() * 3);
        usage.addProperty("total_tokens", inputs.size() * 3);
        JsonObject root = new JsonObject();
        root.addProperty("object", "list");
        root.add("data", data);
        root.addProperty("model", model);
        root.add("usage", usage);
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(root.toString()).build();
    }
}
