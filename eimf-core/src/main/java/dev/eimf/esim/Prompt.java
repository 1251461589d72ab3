package dev.eimf.esim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A rendered prompt.
 *
 * @param messages      the chat messages, system first
 * @param historyLength how many history items the prompt lists (evidence numbers run 1..historyLength)
 * @param interests     J, the number of interests asked for
 * @param hash          {@link #hashOf(List)} of the messages
 */
public record Prompt(List<LlmClient.Message> messages, int historyLength, int interests, String hash) {
    public Prompt {
        messages = List.copyOf(messages);
    }

    /** A prompt whose hash is computed from its messages. */
    public static Prompt of(List<LlmClient.Message> messages, int historyLength, int interests) {
        return new Prompt(messages, historyLength, interests, hashOf(messages));
    }

    /**
     * Lower-case hex SHA-256 of the exact messages. Each role and content is length-prefixed (4-byte
     * big-endian UTF-8 byte count), so no two different message lists share an encoding.
     */
    public static String hashOf(List<LlmClient.Message> messages) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        for (LlmClient.Message m : messages) {
            update(md, m.role());
            update(md, m.content());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        md.update(b);
    }
}
