package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MovieLens-100K on first use against a loopback server: a good zip is installed and found, and every
 * broken download (truncated, wrong checksum, paths that climb out, limits, timeouts, no server) leaves
 * neither a dataset nor a stray file and ends, through the command, in the instructions with status 2.
 */
class DatasetDownloadTest {
    private static final DatasetDownload.Limits FAST = new DatasetDownload.Limits(8L << 20, 8L << 20, 100,
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5));

    @TempDir
    Path tmp;
    Path cache;
    HttpServer server;
    ExecutorService handlers;
    final AtomicInteger requests = new AtomicInteger();
    final Map<String, byte[]> bodies = new LinkedHashMap<>();
    static byte[] good;

    @BeforeEach
    void serve() throws IOException {
        if (good == null) good = fakeMovieLens();
        cache = tmp.resolve("home").resolve(".cache").resolve("eimf");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.equals("/cut-off.zip")) {
                // Announces the whole zip but the connection ends halfway through.
                ex.sendResponseHeaders(200, good.length);
                ex.getResponseBody().write(good, 0, good.length / 2);
                ex.getResponseBody().flush();
                return;
            }
            if (path.equals("/stall-headers.zip") || path.equals("/stall-body.zip")) {
                if (path.equals("/stall-body.zip")) {
                    ex.sendResponseHeaders(200, good.length);
                    ex.getResponseBody().write(good, 0, 1000);
                    ex.getResponseBody().flush();
                }
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] body = bodies.get(path);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } catch (IOException e) {
            // the client gave up first
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private DatasetDownload download(String path, byte[] checksummed) {
        return download(url(path), checksummed, FAST);
    }

    private static DatasetDownload download(URI uri, byte[] checksummed, DatasetDownload.Limits limits) {
        return new DatasetDownload(uri, "ml-100k", List.of(new DatasetDownload.Digest("SHA-256", sha256(checksummed))),
                FirstUseData::isMovieLens100k, limits);
    }

    private FirstUseData firstUse(DatasetDownload d, Optional<Boolean> answer) {
        return new FirstUseData(cache, List.of(), d, q -> answer);
    }

    // ---- a good zip

    @Test
    void installsAGoodZipThatTheLoaderReadsAndFindsItAfterwards() throws Exception {
        bodies.put("/ml-100k.zip", good);
        Path p = download("/ml-100k.zip", good).install(cache);
        assertEquals(cache.toAbsolutePath().normalize().resolve("ml-100k"), p);
        RawData raw = DatasetLoaders.load(p, new LoadOptions(false));
        assertEquals(30 * 20, raw.interactions().size());
        assertEquals(40, raw.items().size());
        assertTrue(raw.items().get("4").categories().contains("Comedy"), raw.items().get("4").toString());
        assertEquals(List.of("ml-100k"), names(cache), "only the dataset, no staging left");

        // Found without the server from now on.
        int before = requests.get();
        FirstUseData data = firstUse(download("/ml-100k.zip", good), Optional.empty());
        assertEquals(Optional.of(cache.resolve("ml-100k")), data.locate(parse()));
        Capture c = new Capture();
        assertEquals(Optional.of(cache.resolve("ml-100k")), data.find(parse(), c.stream));
        assertEquals(before, requests.get());
        assertEquals(p, download("/ml-100k.zip", good).install(cache), "a second install is a no-op");
        assertEquals(before, requests.get());
    }

    @Test
    void downloadFlagOrAYesAtTheTerminalFetchesIntoTheCache() throws Exception {
        bodies.put("/ml-100k.zip", good);
        Capture c = new Capture();
        Optional<Path> p = firstUse(download("/ml-100k.zip", good), Optional.empty()).find(parse("--download"), c.stream);
        assertTrue(p.isPresent(), c.text());
        assertTrue(c.text().contains("checksum verified"), c.text());
        DatasetDownload.deleteTree(cache);

        String[] asked = new String[1];
        FirstUseData yes = new FirstUseData(cache, List.of(), download("/ml-100k.zip", good), q -> {
            asked[0] = q;
            return Optional.of(true);
        });
        assertTrue(yes.find(parse(), new Capture().stream).isPresent());
        assertTrue(asked[0].contains(url("/ml-100k.zip").toString()) && asked[0].contains(cache.toString()), asked[0]);
        assertEquals(2, requests.get());
    }

    @Test
    void withoutATerminalOrWhenDeclinedNothingIsFetched() throws Exception {
        bodies.put("/ml-100k.zip", good);
        for (Optional<Boolean> answer : List.of(Optional.<Boolean>empty(), Optional.of(false))) {
            Result r = runQuickstart(firstUse(download("/ml-100k.zip", good), answer));
            assertEquals(2, r.code());
            assertInstructions(r.err());
            assertTrue(r.err().contains(answer.isEmpty() ? "no terminal" : "declined"), r.err());
        }
        // --data that is not MovieLens-100K is never a download target.
        Result r = runQuickstart(firstUse(download("/ml-100k.zip", good), Optional.of(true)), "--download", "--data",
                tmp.resolve("nowhere").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not a MovieLens-100K folder"), r.err());
        assertEquals(0, requests.get());
        assertFalse(Files.exists(cache));
    }

    // ---- broken downloads: no dataset, no stray file, the instructions and status 2

    @Test
    void truncatedZipWithTheGoodChecksumFailsTheChecksum() throws Exception {
        bodies.put("/ml-100k.zip", Arrays.copyOf(good, good.length / 2));
        assertFailsCleanly(download("/ml-100k.zip", good), "SHA-256 of the download is");
    }

    @Test
    void truncatedZipWithItsOwnChecksumIsNotUnpacked() throws Exception {
        byte[] cut = Arrays.copyOf(good, good.length - 30);
        bodies.put("/ml-100k.zip", cut);
        assertFailsCleanly(download("/ml-100k.zip", cut), "not a readable zip");
    }

    @Test
    void connectionClosedHalfwayFails() throws Exception {
        assertFailsCleanly(download("/cut-off.zip", good), "The download failed");
    }

    @Test
    void wrongChecksumFails() throws Exception {
        bodies.put("/ml-100k.zip", good);
        assertFailsCleanly(download("/ml-100k.zip", "something else".getBytes(StandardCharsets.UTF_8)),
                "expected " + sha256("something else".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void entriesThatClimbOutAreRejectedBeforeAnythingIsWritten() throws Exception {
        Path outside = tmp.resolve("abs-evil");
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("/dotdot.zip", zipWith("../evil"));
        cases.put("/nested.zip", zipWith("ml-100k/../../evil"));
        cases.put("/deep.zip", zipWith("ml-100k/../../../../evil"));
        cases.put("/absolute.zip", zipWith(outside.toString()));
        cases.put("/backslash.zip", zipWith("ml-100k\\..\\..\\evil"));
        cases.put("/drive.zip", zipWith("C:/evil"));
        for (Map.Entry<String, byte[]> e : cases.entrySet()) {
            bodies.put(e.getKey(), e.getValue());
            assertFailsCleanly(download(e.getKey(), e.getValue()), "outside its folder");
            assertFalse(Files.exists(outside), e.getKey());
            try (Stream<Path> s = Files.walk(tmp)) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("evil")).toList(), e.getKey());
            }
        }
    }

    @Test
    void tooManyEntriesOrTooManyBytesAreRefused() throws Exception {
        bodies.put("/ml-100k.zip", good);
        DatasetDownload.Limits fewEntries = new DatasetDownload.Limits(8L << 20, 8L << 20, 3, Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        assertFailsCleanly(download(url("/ml-100k.zip"), good, fewEntries), "more than the 3 allowed");

        // A small zip that inflates far beyond the limit (counted while inflating, not from the header).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("ml-100k/u.data"));
            z.write(new byte[4 << 20]);
            z.closeEntry();
        }
        byte[] bomb = bytes.toByteArray();
        assertTrue(bomb.length < 64 << 10, "compressed " + bomb.length);
        bodies.put("/bomb.zip", bomb);
        DatasetDownload.Limits smallUnpack = new DatasetDownload.Limits(8L << 20, 1L << 20, 100, Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        assertFailsCleanly(download(url("/bomb.zip"), bomb, smallUnpack), "unpacks to more than");

        DatasetDownload.Limits smallDownload = new DatasetDownload.Limits(1000, 8L << 20, 100, Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        assertFailsCleanly(download(url("/ml-100k.zip"), good, smallDownload), "allowed");
    }

    @Test
    void aZipWithoutTheDatasetFilesIsNotInstalled() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            put(z, "ml-100k/README", "no data here\n".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] other = bytes.toByteArray();
        bodies.put("/ml-100k.zip", other);
        assertFailsCleanly(download("/ml-100k.zip", other), "does not hold the ml-100k files");
    }

    @Test
    void notFoundFails() throws Exception {
        assertFailsCleanly(download("/missing.zip", good), "HTTP status 404");
    }

    @Test
    void unreachableServerFails() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertFailsCleanly(download(URI.create("http://127.0.0.1:" + closedPort + "/ml-100k.zip"), good, FAST),
                "cannot connect to 127.0.0.1");
    }

    @Test
    void serverThatNeverAnswersTimesOut() throws Exception {
        DatasetDownload.Limits quick = new DatasetDownload.Limits(8L << 20, 8L << 20, 100, Duration.ofSeconds(2),
                Duration.ofMillis(500), Duration.ofSeconds(5));
        assertFailsCleanly(download(url("/stall-headers.zip"), good, quick), "no answer from 127.0.0.1 within 500 ms");
    }

    @Test
    void transferThatStallsIsGivenUpAtTheDeadline() throws Exception {
        DatasetDownload.Limits quick = new DatasetDownload.Limits(8L << 20, 8L << 20, 100, Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofMillis(800));
        long t0 = System.nanoTime();
        assertFailsCleanly(download(url("/stall-body.zip"), good, quick), "did not finish within 800 ms");
        assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "gave up in time");
    }

    @Test
    void aFolderInTheWayIsLeftAlone() throws Exception {
        bodies.put("/ml-100k.zip", good);
        Files.createDirectories(cache.resolve("ml-100k"));
        Files.writeString(cache.resolve("ml-100k").resolve("notes.txt"), "mine");
        DatasetDownload.Failure f = assertThrows(DatasetDownload.Failure.class,
                () -> download("/ml-100k.zip", good).install(cache));
        assertTrue(f.getMessage().contains("exists but does not hold the dataset"), f.getMessage());
        assertEquals("mine", Files.readString(cache.resolve("ml-100k").resolve("notes.txt")));
        assertEquals(List.of("ml-100k"), names(cache));
        assertEquals(0, requests.get());
    }

    @Test
    void aFailureLeavesAnExistingCacheAsItWas() throws Exception {
        bodies.put("/ml-100k.zip", good);
        Files.createDirectories(cache.resolve("amazon-beauty"));
        Files.writeString(cache.resolve("amazon-beauty").resolve("Amazon_Beauty.inter"), "kept");
        assertThrows(DatasetDownload.Failure.class,
                () -> download("/ml-100k.zip", "other".getBytes(StandardCharsets.UTF_8)).install(cache));
        assertEquals(List.of("amazon-beauty"), names(cache));
        assertEquals("kept", Files.readString(cache.resolve("amazon-beauty").resolve("Amazon_Beauty.inter")));
    }

    // ---- pieces

    @Test
    void entryNamesAreCheckedAgainstTheFolder() throws Exception {
        Path root = tmp.resolve("root").toAbsolutePath();
        assertEquals(root.resolve("ml-100k/u.data"), DatasetDownload.inside(root, "ml-100k/u.data"));
        assertEquals(root.resolve("ml-100k"), DatasetDownload.inside(root, "ml-100k/"));
        assertEquals(root.resolve("a/b"), DatasetDownload.inside(root, "./a/b"));
        for (String bad : List.of("./a/../b", "../x", "a/../../x", "..", "/etc/passwd", "a\\..\\..\\x", "C:/x", "c:x", "", ".", "a/..")) {
            assertThrows(IOException.class, () -> DatasetDownload.inside(root, bad), bad);
        }
    }

    @Test
    void cacheDirectoryFollowsEimfDataThenXdgThenTheHome() {
        Map<String, String> env = new LinkedHashMap<>();
        assertEquals(Path.of("/home/u/.cache/eimf"), FirstUseData.cacheDir(env::get, "Linux", "/home/u"));
        env.put("XDG_CACHE_HOME", "relative/cache");
        assertEquals(Path.of("/home/u/.cache/eimf"), FirstUseData.cacheDir(env::get, "Linux", "/home/u"));
        env.put("XDG_CACHE_HOME", "/var/cache/u");
        assertEquals(Path.of("/var/cache/u/eimf"), FirstUseData.cacheDir(env::get, "Linux", "/home/u"));
        assertEquals(Path.of("/home/u/Library/Caches/eimf"), FirstUseData.cacheDir(env::get, "Mac OS X", "/home/u"));
        env.put("EIMF_DATA", "/data/eimf");
        assertEquals(Path.of("/data/eimf"), FirstUseData.cacheDir(env::get, "Linux", "/home/u"));
    }

    @Test
    void theOfficialDownloadIsHttpsAndPinsBothDigests() {
        DatasetDownload d = DatasetDownload.movieLens100k();
        assertEquals("https", d.uri().getScheme());
        assertEquals("files.grouplens.org", d.uri().getHost());
        assertEquals(64, DatasetDownload.ML100K_SHA256.hex().length());
        assertEquals(32, DatasetDownload.ML100K_MD5.hex().length());
        assertEquals(Duration.ofSeconds(10), DatasetDownload.Limits.defaults().connectTimeout());
    }

    // ---- helpers

    /** Fails with {@code expected} in the message, leaves nothing under the cache, and through the command: status 2. */
    private void assertFailsCleanly(DatasetDownload d, String expected) throws Exception {
        DatasetDownload.Failure f = assertThrows(DatasetDownload.Failure.class, () -> d.install(cache));
        String reason = "The download failed: " + f.getMessage();
        assertTrue(reason.contains(expected) || expected.equals("The download failed"), reason);
        assertFalse(Files.exists(cache), "the cache directory this install created is gone again");

        Result r = runQuickstart(firstUse(d, Optional.empty()), "--download");
        assertEquals(2, r.code(), r.err());
        assertInstructions(r.err());
        assertTrue(r.err().contains("The download failed: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(Files.exists(cache), "the cache directory this install created is gone again");
        try (Stream<Path> s = Files.walk(tmp)) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList(), "no file written anywhere");
        }
    }

    private static void assertInstructions(String err) {
        assertTrue(err.contains(QuickstartCommand.ZIP_URL) && err.contains("unzip ml-100k.zip")
                && err.contains("--data ml-100k") && err.contains("--download"), err);
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    record Result(int code, String err) {}

    /** Runs quickstart through its own option parsing; every path used here returns before training. */
    private static Result runQuickstart(FirstUseData data, String... argv) throws Exception {
        QuickstartCommand cmd = new QuickstartCommand(data);
        Capture c = new Capture();
        PrintStream old = System.err;
        System.setErr(c.stream);
        try {
            int code = cmd.run(Args.parse(argv, 0, cmd.options()));
            return new Result(code, c.text());
        } finally {
            System.setErr(old);
        }
    }

    private static Args parse(String... argv) {
        return Args.parse(argv, 0, new QuickstartCommand(null).options());
    }

    static final class Capture {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** A zip laid out as GroupLens's: ml-100k/ with u.data (30 users x 20 items), u.item (40 movies), u.genre. */
    static byte[] fakeMovieLens() throws IOException {
        String[] genres = {"unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
                "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"};
        StringBuilder genre = new StringBuilder();
        for (int i = 0; i < genres.length; i++) genre.append(genres[i]).append('|').append(i).append('\n');
        genre.append('\n');
        StringBuilder item = new StringBuilder();
        for (int m = 1; m <= 40; m++) {
            item.append(m).append("|Movie ").append(m).append(" (1995)|01-Jan-1995||http://example.invalid/").append(m);
            for (int g = 0; g < genres.length; g++) item.append('|').append(g == 1 + m % 18 ? 1 : 0);
            item.append('\n');
        }
        StringBuilder data = new StringBuilder();
        for (int u = 1; u <= 30; u++) {
            for (int k = 0; k < 20; k++) {
                int m = 1 + (u * 7 + k * 3) % 40;
                data.append(u).append('\t').append(m).append('\t').append(1 + (u + k) % 5).append('\t')
                        .append(874_965_758L + u * 1000L + k).append('\n');
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("ml-100k/"));
            z.closeEntry();
            put(z, "ml-100k/u.data", data.toString().getBytes(StandardCharsets.US_ASCII));
            put(z, "ml-100k/u.item", item.toString().getBytes(StandardCharsets.ISO_8859_1));
            put(z, "ml-100k/u.genre", genre.toString().getBytes(StandardCharsets.US_ASCII));
            put(z, "ml-100k/README", "fake MovieLens-100K for tests\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** The fake dataset plus one entry named {@code evil}, placed after the good entries. */
    private static byte[] zipWith(String evil) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(good))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    put(z, e.getName(), in.readAllBytes());
                }
            }
            put(z, evil, "pwned\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream z, String name, byte[] body) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(body);
        z.closeEntry();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
