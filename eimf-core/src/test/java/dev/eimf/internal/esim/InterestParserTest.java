package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

public class InterestParserTest {
    private final InterestParser parser = new InterestParser();

    public static String json(int n) {
        StringBuilder sb = new StringBuilder("{\"interests\":[");
        for (int i = 1; i <= n; i++) {
            if (i > 1) sb.append(',');
            sb.append("{\"name\":\"Interest ").append(i).append("\",\"description\":\"d").append(i)
              .append("\",\"evidence\":[").append(i).append("]}");
        }
        return sb.append("]}").toString();
    }

    private List<ExplicitInterest> ok(ParseResult r) {
        ParseResult.Parsed p = assertInstanceOf(ParseResult.Parsed.class, r, () -> r.toString());
        return p.interests();
    }

    private String error(ParseResult r) {
        return assertInstanceOf(ParseResult.Invalid.class, r, () -> r.toString()).error();
    }

    @Test
    void plainJson() {
        List<ExplicitInterest> got = ok(parser.parse(json(2), 2, 5));
        assertEquals(List.of(new ExplicitInterest("Interest 1", "d1", List.of(1)), new ExplicitInterest("Interest 2", "d2", List.of(2))), got);
    }

    @Test
    void fencedJson() {
        String text = "Sure! Here you go:\n```json\n" + json(2) + "\n```\nHope this helps {really}.";
        assertEquals(2, ok(parser.parse(text, 2, 5)).size());
        // An unlabelled fence too, and a fence holding something else first.
        String two = "```\nnot json {x}\n```\nthen\n```\n" + json(2) + "\n```";
        assertEquals(2, ok(parser.parse(two, 2, 5)).size());
    }

    @Test
    void proseWrappedJson() {
        String text = "I looked at {the history} carefully. " + json(3) + " Let me know if {you} want more.";
        assertEquals(3, ok(parser.parse(text, 3, 5)).size());
    }

    @Test
    void bracesAndQuotesInsideStrings() {
        String text = "Answer: {\"interests\":[{\"name\":\"Sci-fi {space}\",\"description\":\"likes \\\"}\\\" and {braces\","
                + "\"evidence\":[1,3,3]}]} trailing }";
        List<ExplicitInterest> got = ok(parser.parse(text, 1, 3));
        assertEquals("Sci-fi {space}", got.get(0).name());
        assertEquals("likes \"}\" and {braces", got.get(0).description());
        assertEquals(List.of(1, 3), got.get(0).evidence(), "sorted and distinct");
    }

    @Test
    void missingFields() {
        assertTrue(error(parser.parse("{\"items\":[]}", 1, 3)).contains("no \"interests\""));
        assertTrue(error(parser.parse("{\"interests\":[{\"description\":\"d\",\"evidence\":[1]}]}", 1, 3)).contains("interests[0].name"));
        assertTrue(error(parser.parse("{\"interests\":[{\"name\":\"  \",\"description\":\"d\",\"evidence\":[1]}]}", 1, 3)).contains("name is empty"));
        assertTrue(error(parser.parse("{\"interests\":[{\"name\":\"a\",\"evidence\":[1]}]}", 1, 3)).contains("interests[0].description"));
        assertTrue(error(parser.parse("{\"interests\":[{\"name\":\"a\",\"description\":\"d\"}]}", 1, 3)).contains("interests[0].evidence"));
        assertTrue(error(parser.parse("{\"interests\":[{\"name\":\"a\",\"description\":\"d\",\"evidence\":[]}]}", 1, 3)).contains("evidence is empty"));
        assertTrue(error(parser.parse("{\"interests\":[{\"name\":\"a\",\"description\":\"d\",\"evidence\":[\"2\"]}]}", 1, 3)).contains("not an integer"));
        assertTrue(error(parser.parse("no json here", 1, 3)).contains("no JSON object"));
        assertTrue(error(parser.parse("", 1, 3)).contains("empty"));
        assertTrue(error(parser.parse("{\"interests\":[{\"name\":\"A\",\"description\":\"\",\"evidence\":[1]},"
                + "{\"name\":\"a\",\"description\":\"\",\"evidence\":[2]}]}", 2, 3)).contains("repeats"));
    }

    @Test
    void wrongCount() {
        assertEquals("expected exactly 4 interests but got 3", error(parser.parse(json(3), 4, 5)));
        assertEquals("expected exactly 2 interests but got 3", error(parser.parse(json(3), 2, 5)));
        InterestParser lenient = new InterestParser(true);
        ParseResult.Parsed p = assertInstanceOf(ParseResult.Parsed.class, lenient.parse(json(3), 2, 5));
        assertEquals(2, p.interests().size());
        assertEquals(1, p.extraDropped());
        assertTrue(lenient.parse(json(1), 2, 5) instanceof ParseResult.Invalid, "fewer is never accepted");
    }

    @Test
    void evidenceOutOfRange() {
        assertEquals("interests[2].evidence[0] = 3 is outside 1..2", error(parser.parse(json(3), 3, 2)));
        String zero = "{\"interests\":[{\"name\":\"a\",\"description\":\"d\",\"evidence\":[0]}]}";
        assertTrue(error(parser.parse(zero, 1, 5)).contains("outside 1..5"));
        String frac = "{\"interests\":[{\"name\":\"a\",\"description\":\"d\",\"evidence\":[1.5]}]}";
        assertTrue(error(parser.parse(frac, 1, 5)).contains("not an integer"));
    }
}
