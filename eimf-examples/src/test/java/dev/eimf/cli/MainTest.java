package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.data.DataPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        // The commands print results to System.out and progress to System.err.
        System.setOut(o);
        System.setErr(e);
        try {
            int code = Main.run(args, o, e);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (Command c : Main.commands()) {
            Result r = run(c.name(), "--help");
            assertEquals(0, r.code(), c.name());
            assertTrue(r.out().contains("Usage: eimf " + c.name()), r.out());
            for (Command.Option o : c.options()) assertTrue(r.out().contains("--" + o.name()), c.name() + " --" + o.name());
        }
    }

    @Test
    void usageErrorsAreNamed() {
        Result r = run("stats");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing required option --data"), r.err());
        r = run("baseline", "--data", ".", "--baseline", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--baseline must be one of pop|itemknn"), r.err());
        r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
    }

    @Test
    void malformedFileReportsFileLineAndField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("interactions.csv"), "user,item,timestamp\nu1,i1,10\nu1,i2,abc\n");
        Result r = run("stats", "--data", dir.toString(), "--kcore", "0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("interactions.csv") && r.err().contains("line 3") && r.err().contains("timestamp"), r.err());
        r = run("stats", "--data", dir.toString(), "--kcore", "0", "--lenient");
        assertEquals(1, r.code(), "one line of three is more than the default share");
        assertTrue(r.err().contains("more than the 1.00% allowed"), r.err());
        r = run("stats", "--data", dir.toString(), "--kcore", "0", "--lenient", "--max-skipped-share", "0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("skipped 1 malformed record(s) (--lenient): 1 of 3 lines"), r.out());
    }

    @Test
    void statsAndBaselineOnMovieLens(@TempDir Path tmp) throws Exception {
        Path ml = DataPaths.dataset("ml-100k").orElse(null);
        Assumptions.assumeTrue(ml != null, "ml-100k not available");
        Path json = tmp.resolve("stats.json");
        Result r = run("stats", "--data", ml.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject s = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(943, s.getAsJsonObject("raw").get("users").getAsInt());
        assertEquals(1682, s.getAsJsonObject("raw").get("items").getAsInt());
        assertEquals(100000, s.getAsJsonObject("raw").get("interactions").getAsInt());
        assertEquals(1349, s.getAsJsonObject("filtered").get("items").getAsInt());

        Path res = tmp.resolve("r.json");
        r = run("baseline", "--data", ml.toString(), "--baseline", "pop", "--protocol", "comirec", "--seed", "1",
                "--json", res.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject b = JsonParser.parseString(Files.readString(res)).getAsJsonObject();
        for (String part : new String[] {"valid", "test"}) {
            for (String k : new String[] {"recall@20", "ndcg@20", "hitrate@20", "recall@50", "ndcg@50", "hitrate@50"}) {
                double v = b.getAsJsonObject(part).get(k).getAsDouble();
                assertTrue(v > 0 && v <= 1, part + " " + k + " = " + v);
            }
        }
    }
}
