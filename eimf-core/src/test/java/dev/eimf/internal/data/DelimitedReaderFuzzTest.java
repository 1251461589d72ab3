package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random-input tests of {@link DelimitedReader}: random text from an alphabet rich in delimiters, quotes
 * and line breaks must read to the end with records or {@link DataFormatException}s only; unquoted reading must
 * give back exactly the fields of the text; RFC 4180 text written from random records must read back equal.
 */
class DelimitedReaderFuzzTest {
    private static final long SEED = 0xD311_F022L;
    private static final int CASES = 1500;
    private static final char[] DELIMITERS = {',', '\t', '|', ';'};
    private static final String ALPHABET = ",\t|;\"\"\r\n\n abc19\uFEFF\u00e9\u20ac\uD83D\uDE00";

    private static String randomText(SplittableRandom rng, int maxLen) {
        int n = rng.nextInt(maxLen + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(ALPHABET.charAt(rng.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    @Test
    void randomTextReadsToTheEndWithRecordsOrDataFormatExceptions() {
        int[] errors = new int[1];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int c = 0; c < CASES; c++) {
                SplittableRandom rng = new SplittableRandom(SEED + c);
                String text = randomText(rng, 200);
                char d = DELIMITERS[rng.nextInt(DELIMITERS.length)];
                boolean quoting = rng.nextBoolean();
                DelimitedReader r = new DelimitedReader(new StringReader(text), d, quoting, null);
                long lastLine = 0;
                // Each call consumes at least one character or ends, so this bound only catches a stuck reader.
                for (int calls = 0; ; calls++) {
                    assertTrue(calls <= text.length() + 2, "reader made no progress on case " + c);
                    List<String> rec;
                    try {
                        rec = r.next();
                    } catch (DataFormatException e) {
                        errors[0]++;
                        assertTrue(e.line() >= 1, e.getMessage());
                        continue;
                    }
                    if (rec == null) break;
                    assertTrue(r.recordLine() >= Math.max(1, lastLine), "record lines never go back, case " + c);
                    lastLine = r.recordLine();
                }
            }
        });
        System.out.printf("DelimitedReaderFuzzTest: %d random texts read, %d DataFormatExceptions%n", CASES, errors[0]);
    }

    @Test
    void unquotedReadingGivesBackTheFieldsOfTheText() throws IOException {
        for (int c = 0; c < CASES; c++) {
            SplittableRandom rng = new SplittableRandom(SEED * 31 + c);
            String text = randomText(rng, 120);
            char d = DELIMITERS[rng.nextInt(DELIMITERS.length)];
            List<List<String>> got = new ArrayList<>();
            try (DelimitedReader r = new DelimitedReader(new StringReader(text), d, false, null)) {
                for (List<String> rec = r.next(); rec != null; rec = r.next()) got.add(rec);
            }
            String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
            t = t.replace("\r\n", "\n").replace('\r', '\n');
            List<List<String>> expected = new ArrayList<>();
            if (!t.isEmpty()) {
                if (t.endsWith("\n")) t = t.substring(0, t.length() - 1);
                for (String line : t.split("\n", -1)) {
                    expected.add(Arrays.asList(line.split(java.util.regex.Pattern.quote(String.valueOf(d)), -1)));
                }
            }
            assertEquals(expected, got, "case " + c + ": " + text.replace("\r", "\\r").replace("\n", "\\n"));
        }
        System.out.printf("DelimitedReaderFuzzTest: %d unquoted texts compared field by field%n", CASES);
    }

    @Test
    void quotedRecordsReadBackEqual() throws IOException {
        for (int c = 0; c < CASES; c++) {
            SplittableRandom rng = new SplittableRandom(SEED * 17 + c);
            char d = DELIMITERS[rng.nextInt(DELIMITERS.length)];
            List<List<String>> records = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int n = 1 + rng.nextInt(5);
            for (int i = 0; i < n; i++) {
                List<String> rec = new ArrayList<>();
                int fields = 1 + rng.nextInt(4);
                for (int f = 0; f < fields; f++) rec.add(randomText(rng, 12).replace("\uFEFF", ""));
                // One empty field is a blank line, which this writer cannot tell from an empty record.
                if (rec.size() == 1 && rec.get(0).isEmpty()) rec.set(0, "x");
                records.add(rec);
                for (int f = 0; f < rec.size(); f++) {
                    if (f > 0) text.append(d);
                    text.append('"').append(rec.get(f).replace("\"", "\"\"")).append('"');
                }
                text.append(rng.nextBoolean() ? "\r\n" : "\n");
            }
            List<List<String>> got = new ArrayList<>();
            try (DelimitedReader r = new DelimitedReader(new StringReader(text.toString()), d, true, null)) {
                for (List<String> rec = r.next(); rec != null; rec = r.next()) got.add(rec);
            }
            assertEquals(records, got, "case " + c);
        }
        System.out.printf("DelimitedReaderFuzzTest: %d quoted files read back%n", CASES);
    }
}
