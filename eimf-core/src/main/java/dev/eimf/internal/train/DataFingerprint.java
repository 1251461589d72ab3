package dev.eimf.internal.train;

import dev.eimf.eval.EvalCase;
import dev.eimf.eval.Split;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over a split's item count, training sequences and validation and test cases. */
public final class DataFingerprint {
    private DataFingerprint() {
    }

    /** The fingerprint, in hex. */
    public static String of(Split split) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(8);
            add(md, b, split.numItems());
            add(md, b, split.train().length);
            for (int[] seq : split.train()) ints(md, b, seq);
            cases(md, b, split.valid());
            cases(md, b, split.test());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void cases(MessageDigest md, ByteBuffer b, List<EvalCase> cases) {
        add(md, b, cases.size());
        for (EvalCase c : cases) {
            ints(md, b, c.history());
            ints(md, b, c.targets());
        }
    }

    private static void ints(MessageDigest md, ByteBuffer b, int[] v) {
        add(md, b, v.length);
        for (int x : v) add(md, b, x);
    }

    private static void add(MessageDigest md, ByteBuffer b, int v) {
        b.clear();
        b.putInt(v);
        md.update(b.array(), 0, 4);
    }
}
