package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutation fuzzing of every loader: small valid datasets are mutated at random (seeded, so every case can be
 * replayed from its number) and loaded in strict and lenient mode. The only outcomes allowed are a parse or a
 * {@link DataFormatException} naming the file; any other exception, error, hang or silently replaced byte fails
 * the test with the case's mutations. Strict and lenient mode must agree whenever nothing was skipped.
 */
class LoaderFuzzTest {
    private static final long SEED = 0x5EED_F022L;
    private static final int CASES = 500;
    /** One case in this many also gets a 5 MB field; kept rare so the whole run stays within seconds. */
    private static final int HUGE_EVERY = 125;

    @TempDir
    Path root;

    /** A loader with small valid files; the delimiter is the one line-level mutations split fields on. */
    enum Target {
        ML_100K(new MovieLensLoader(), files(
                "u.data", "\t", "1\t10\t4\t881250949\n2\t10\t3\t881250950\n1\t20\t5\t881250951\n3\t30\t2\t881250952\n",
                "u.item", "|", "10|Toy Story (1995)|01-Jan-1995||http://x|0|1|1\n20|GoldenEye (1995)|01-Jan-1995||"
                        + "http://y|0|0|1\n30|Les Mis\u00e9rables (1995)|||http://z|1|0|0\n",
                "u.genre", "|", "unknown|0\nAction|1\nComedy|2\n\n")),
        ML_DAT(new MovieLensLoader(), files(
                "ratings.dat", "::", "1::10::5::978300760\n1::20::3::978302109\n2::10::4::978301968\n",
                "movies.dat", "::", "10::Toy Story (1995)::Animation|Children's|Comedy\n20::Jumanji (1995)::"
                        + "Adventure|Fantasy\n30::Caf\u00e9 (1995)::(no genres listed)\n")),
        ML_CSV(new MovieLensLoader(), files(
                "ratings.csv", ",", "userId,movieId,rating,timestamp\n1,10,4.0,964982703\n1,20,4.5,964981247\n"
                        + "2,10,3.5,964982224\n",
                "movies.csv", ",", "movieId,title,genres\n10,Toy Story (1995),Adventure|Animation\n20,\"American "
                        + "President, The (1995)\",Comedy|Drama\n30,\"Quote \"\"Test\"\" (1999)\",(no genres listed)\n")),
        RECBOLE(new RecBoleLoader(), files(
                "fz.inter", "\t", "user_id:token\titem_id:token\trating:float\ttimestamp:float\nA1\tB1\t5.0\t1400000000\n"
                        + "A2\tB1\t4.0\t1400000001.5\nA1\tB2\t\t1400000002\n",
                "fz.item", "\t", "item_id:token\ttitle:token\tcategories:token_seq\tbrand:token\n"
                        + "B1\tLip &amp; Cheek\t'Beauty', 'Make, up'\tAcme\nB2\t\"Quoted\ttitle\"\tBeauty Skin\t\n")),
        CSV(new CsvLoader(), files(
                "interactions.csv", ",", "user,item,timestamp,rating\nu1,i1,100,5\nu2,i1,101.25,\nu1,i2,-5,3.5\n",
                "items.csv", ",", "item,title,categories,brand,description\ni1,\"Hello, world\",A|B,Br,\"multi\nline\"\n"
                        + "i2,Plain,,,\n"));

        final DatasetLoader loader;
        final Map<String, String[]> files;

        Target(DatasetLoader loader, Map<String, String[]> files) {
            this.loader = loader;
            this.files = files;
        }

        private static Map<String, String[]> files(String... nameDelimiterText) {
            Map<String, String[]> m = new LinkedHashMap<>();
            for (int i = 0; i < nameDelimiterText.length; i += 3) {
                m.put(nameDelimiterText[i], new String[] {nameDelimiterText[i + 1], nameDelimiterText[i + 2]});
            }
            return m;
        }
    }

    private volatile String current = "none yet";

    @ParameterizedTest
    @EnumSource(Target.class)
    void mutatedFilesParseOrFailWithDataFormatException(Target target) throws IOException {
        Path dir = Files.createDirectory(root.resolve(target.name()));
        checkSeedFilesLoad(target, dir);
        int[] outcomes = new int[4]; // strict ok, strict error, lenient ok, lenient error
        // Generous: a hang guard only, the cases take a few seconds in all.
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int c = 0; c < CASES; c++) runCase(target, dir, c, outcomes);
        }, () -> "hang in " + current);
        System.out.printf("LoaderFuzzTest %s: %d cases, each loaded strict and lenient; strict %d parsed / %d "
                + "DataFormatException, lenient %d parsed / %d DataFormatException%n", target, CASES,
                outcomes[0], outcomes[1], outcomes[2], outcomes[3]);
    }

    /**
     * Every nasty value in every field of every line of every file, and a long value of each kind in every field:
     * systematic where the random cases are broad.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void nastyValueInEveryFieldParsesOrFailsWithDataFormatException(Target target) throws IOException {
        Path dir = Files.createDirectory(root.resolve("sweep-" + target.name()));
        List<String> values = new ArrayList<>(List.of(Mutator.NASTY));
        // 64 KB here to keep the sweep quick; the random cases and LoaderRegressionTest use 5 MB fields.
        for (String huge : List.of("7".repeat(1 << 16), "&".repeat(1 << 16), "t".repeat(1 << 16))) values.add(huge);
        int[] outcomes = new int[4];
        int[] cases = new int[1];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (Map.Entry<String, String[]> file : target.files.entrySet()) {
                String delimiter = file.getValue()[0];
                String[] lines = file.getValue()[1].split("\n", -1);
                for (int li = 0; li < lines.length; li++) {
                    String[] fields = lines[li].split(java.util.regex.Pattern.quote(delimiter), -1);
                    for (int fi = 0; fi < fields.length; fi++) {
                        for (String v : values) {
                            String[] f = fields.clone();
                            f[fi] = v;
                            String[] l = lines.clone();
                            l[li] = String.join(delimiter, f);
                            String text = String.join("\n", l);
                            current = target + " sweep " + file.getKey() + " line " + (li + 1) + " field " + (fi + 1)
                                    + " = " + LoadSupport.quote(v);
                            runLoads(target, dir, Map.of(file.getKey(), encode(file.getKey(), text)), outcomes);
                            cases[0]++;
                        }
                    }
                }
            }
        }, () -> "hang in " + current);
        System.out.printf("LoaderFuzzTest %s sweep: %d cases (%d values x every field), each loaded strict and "
                + "lenient; strict %d parsed / %d DataFormatException, lenient %d parsed / %d DataFormatException%n",
                target, cases[0], values.size(), outcomes[0], outcomes[1], outcomes[2], outcomes[3]);
    }

    private void checkSeedFilesLoad(Target target, Path dir) throws IOException {
        write(dir, target, Map.of());
        RawData raw = target.loader.load(dir, LoadOptions.strict());
        assertFalse(raw.interactions().isEmpty());
        assertFalse(raw.items().isEmpty());
    }

    private void runCase(Target target, Path dir, int c, int[] outcomes) throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED ^ (target.ordinal() * 1_000_003L + c) * 0x9E3779B97F4A7C15L);
        Mutator m = new Mutator(rng, c % HUGE_EVERY == HUGE_EVERY - 1);
        List<String> names = new ArrayList<>(target.files.keySet());
        Map<String, byte[]> mutated = new LinkedHashMap<>();
        int files = rng.nextInt(5) == 0 ? 2 : 1;
        for (int f = 0; f < files; f++) {
            String name = names.get(rng.nextInt(names.size()));
            String[] spec = target.files.get(name);
            byte[] bytes = mutated.getOrDefault(name, encode(name, spec[1]));
            m.log().add(name + ":");
            int n = 1 + rng.nextInt(3);
            for (int k = 0; k < n; k++) bytes = m.mutate(bytes, spec[0]);
            mutated.put(name, bytes);
        }
        current = target + " case " + c + " " + m.log();
        runLoads(target, dir, mutated, outcomes);
    }

    /** Writes the files (mutated ones replacing seeds), loads in both modes and checks the outcomes agree. */
    private void runLoads(Target target, Path dir, Map<String, byte[]> mutated, int[] outcomes) throws IOException {
        write(dir, target, mutated);
        boolean hasReplacementChar = false;
        for (byte[] b : mutated.values()) hasReplacementChar |= containsUtf8ReplacementChar(b);

        Object strict = load(target, dir, LoadOptions.strict());
        Object lenient = load(target, dir, LoadOptions.lenientMode());
        outcomes[strict instanceof RawData ? 0 : 1]++;
        outcomes[lenient instanceof RawData ? 2 : 3]++;
        if (strict instanceof RawData s) {
            check(s, hasReplacementChar);
            assertEquals(0, s.report().skippedCount(), current);
            assertTrue(lenient instanceof RawData, () -> "strict parsed but lenient threw " + lenient + " in " + current);
            RawData l = (RawData) lenient;
            assertEquals(0, l.report().skippedCount(), current);
            assertEquals(s.interactions(), l.interactions(), current);
            assertEquals(s.items(), l.items(), current);
        }
        if (lenient instanceof RawData l) {
            check(l, hasReplacementChar);
            if (l.report().skippedCount() == 0) {
                assertTrue(strict instanceof RawData, () -> "lenient skipped nothing but strict threw " + strict
                        + " in " + current);
            }
        }
    }

    /** The parse result, or the DataFormatException; any other throwable fails the test with the case. */
    private Object load(Target target, Path dir, LoadOptions options) {
        try {
            return target.loader.load(dir, options);
        } catch (DataFormatException e) {
            assertNotNull(e.getMessage());
            assertNotNull(e.file(), () -> "error names no file: " + e.getMessage() + " in " + current);
            assertTrue(e.line() >= 0);
            return e;
        } catch (Throwable t) {
            throw new AssertionError(options + ": " + t + " in " + current, t);
        }
    }

    private void check(RawData raw, boolean inputHadReplacementChar) {
        assertFalse(raw.interactions().isEmpty(), current);
        for (Interaction i : raw.interactions()) {
            assertFalse(i.user().isEmpty(), current);
            assertFalse(i.item().isEmpty(), current);
            if (!inputHadReplacementChar) {
                assertFalse(i.user().contains("\uFFFD") || i.item().contains("\uFFFD"),
                        () -> "undecodable bytes silently replaced in ids " + i + " in " + current);
            }
        }
        for (ItemInfo info : raw.items().values()) {
            assertFalse(info.externalId().isEmpty(), current);
            if (!inputHadReplacementChar) {
                assertFalse((info.externalId() + info.title() + info.categories() + info.brand() + info.description())
                        .contains("\uFFFD"), () -> "undecodable bytes silently replaced in " + info + " in " + current);
            }
        }
    }

    private static boolean containsUtf8ReplacementChar(byte[] b) {
        for (int i = 0; i + 2 < b.length; i++) {
            if (b[i] == (byte) 0xEF && b[i + 1] == (byte) 0xBF && b[i + 2] == (byte) 0xBD) return true;
        }
        return false;
    }

    /** MovieLens 100K and 1M item files are Latin-1, as GroupLens ships them; everything else UTF-8. */
    private static byte[] encode(String name, String text) {
        boolean latin1 = name.equals("u.item") || name.equals("movies.dat");
        return text.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static void write(Path dir, Target target, Map<String, byte[]> mutated) throws IOException {
        for (Map.Entry<String, String[]> e : target.files.entrySet()) {
            byte[] b = mutated.getOrDefault(e.getKey(), encode(e.getKey(), e.getValue()[1]));
            Files.write(dir.resolve(e.getKey()), b);
        }
    }
}
