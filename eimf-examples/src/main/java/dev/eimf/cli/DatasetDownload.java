package dev.eimf.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Fetches a dataset's zip, checks it against digests fixed in the code and unpacks it into a cache
 * directory, so that the dataset's folder there is either complete or absent.
 *
 * <p>Everything happens in a hidden staging directory beside the target ({@code .NAME.partial-*}); the
 * unpacked folder is renamed into place only after the digests match and every entry was written, and
 * the staging directory is removed whatever happens. A zip entry whose path would leave the staging
 * directory (absolute, {@code ..}, a drive letter or a backslash) fails the whole install, as do more
 * entries or more unpacked bytes than the limits allow.
 */
final class DatasetDownload {
    /** GroupLens's official MovieLens-100K archive. */
    static final URI ML100K_URI = URI.create(QuickstartCommand.ZIP_URL);

    /**
     * SHA-256 of the official ml-100k.zip (4,924,029 bytes). GroupLens publishes only an MD5 (below); this
     * value is the one that several independent projects pin for the same URL next to that MD5 and size.
     * It could not be recomputed where this was written (no access to files.grouplens.org), which is why
     * the MD5 is checked too: both must match.
     */
    static final Digest ML100K_SHA256 = new Digest("SHA-256",
            "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229");

    /** MD5 of the official ml-100k.zip, as GroupLens publishes it in {@code ml-100k.zip.md5}. */
    static final Digest ML100K_MD5 = new Digest("MD5", "0e33842e24a9c977be4e0107933c0723");

    /**
     * Bounds on one install. The official MovieLens-100K zip is 4.9 MB and unpacks to 24 entries and
     * about 16 MB, so the defaults leave room without letting a hostile or broken zip fill the disk.
     */
    record Limits(long maxDownloadBytes, long maxUnpackedBytes, int maxEntries, Duration connectTimeout,
                  Duration responseTimeout, Duration totalTimeout) {
        static Limits defaults() {
            return new Limits(64L << 20, 256L << 20, 1000, Duration.ofSeconds(10), Duration.ofSeconds(30),
                    Duration.ofMinutes(10));
        }
    }

    /** An expected digest: a {@link MessageDigest} algorithm name and lower-case hex. */
    record Digest(String algorithm, String hex) {
        Digest {
            hex = hex.toLowerCase(Locale.ROOT);
        }
    }

    /** Why an install did not happen; the message is meant for the user. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private final URI uri;
    private final String name;
    private final List<Digest> digests;
    private final Predicate<Path> complete;
    private final Limits limits;

    /** The official MovieLens-100K zip, checked against both pinned digests. */
    static DatasetDownload movieLens100k() {
        return new DatasetDownload(ML100K_URI, QuickstartCommand.DATASET, List.of(ML100K_SHA256, ML100K_MD5),
                FirstUseData::isMovieLens100k, Limits.defaults());
    }

    /**
     * Package-private so that only tests point a download at another server or digest: users always get
     * the official URL and the pinned digests.
     *
     * @param name     the folder the zip holds (and the one created in the cache), e.g. {@code ml-100k}
     * @param complete whether an unpacked folder holds the dataset's files
     */
    DatasetDownload(URI uri, String name, List<Digest> digests, Predicate<Path> complete, Limits limits) {
        if (digests.isEmpty()) throw new IllegalArgumentException("a download needs at least one digest to check");
        this.uri = uri;
        this.name = name;
        this.digests = List.copyOf(digests);
        this.complete = complete;
        this.limits = limits;
    }

    URI uri() {
        return uri;
    }

    /**
     * Downloads, checks and unpacks the dataset into {@code cacheDir/NAME}, unless it is already there.
     *
     * @return the dataset's folder
     * @throws Failure with a message for the user; nothing is left in {@code cacheDir} but what was there
     */
    Path install(Path cacheDir) throws Failure {
        Path cache = cacheDir.toAbsolutePath().normalize();
        Path target = cache.resolve(name);
        if (complete.test(target)) return target;
        if (Files.exists(target)) {
            throw new Failure(target + " exists but does not hold the dataset; move it away and try again", null);
        }
        Path staging;
        boolean created = !Files.isDirectory(cache);
        try {
            Files.createDirectories(cache);
            staging = Files.createTempDirectory(cache, "." + name + ".partial-");
        } catch (IOException e) {
            throw new Failure("cannot write to " + cache + ": " + describe(e), e);
        }
        // Ctrl-C during the download: the staging directory goes too (the target was never touched).
        Thread cleanup = new Thread(() -> deleteTree(staging));
        boolean hooked = addShutdownHook(cleanup);
        try {
            Path zip = staging.resolve("download.zip");
            Map<String, String> actual = fetch(zip);
            for (Digest d : digests) {
                String got = actual.get(d.algorithm());
                if (!d.hex().equals(got)) {
                    throw new Failure(d.algorithm() + " of the download is " + got + ", expected " + d.hex()
                            + " (a damaged download, or the file changed upstream)", null);
                }
            }
            Path unpacked = staging.resolve("unpacked");
            Files.createDirectory(unpacked);
            try {
                unpack(zip, unpacked, limits);
            } catch (ZipException e) {
                throw new Failure("the download is not a readable zip: " + describe(e), e);
            }
            Path root = complete.test(unpacked.resolve(name)) ? unpacked.resolve(name)
                    : complete.test(unpacked) ? unpacked : null;
            if (root == null) throw new Failure("the zip does not hold the " + name + " files", null);
            try {
                Files.move(root, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another run installed it meanwhile; theirs is as good as ours if it is complete.
                if (!complete.test(target)) throw e;
            } catch (AtomicMoveNotSupportedException e) {
                throw new Failure("cannot rename a directory inside " + cache + " atomically: " + describe(e), e);
            }
            return target;
        } catch (IOException e) {
            throw new Failure(describe(e), e);
        } finally {
            if (hooked) removeShutdownHook(cleanup);
            deleteTree(staging);
            if (created && !complete.test(target)) deleteIfEmpty(cache);
        }
    }

    /** Streams the response into {@code zip} under the limits; returns each algorithm's hex digest. */
    private Map<String, String> fetch(Path zip) throws Failure {
        HttpClient client = HttpClient.newBuilder().connectTimeout(limits.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(limits.responseTimeout())
                .header("User-Agent", "eimf-java").GET().build();
        // Guards the body subscriber's creation against the clean-up below: once given up, no file is opened.
        Object lock = new Object();
        AtomicReference<ToFile> body = new AtomicReference<>();
        AtomicBoolean over = new AtomicBoolean();
        CompletableFuture<HttpResponse<Map<String, String>>> job = client.sendAsync(request, info -> {
            synchronized (lock) {
                ToFile f = new ToFile(zip, info, !over.get());
                body.set(f);
                return f;
            }
        });
        try {
            return job.get(limits.totalTimeout().toMillis(), TimeUnit.MILLISECONDS).body();
        } catch (TimeoutException e) {
            throw new Failure("the download did not finish within " + seconds(limits.totalTimeout()), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Failure(describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("the download was interrupted", e);
        } finally {
            job.cancel(true);
            // The body arrives on the client's threads: stop it and close the file before the
            // staging directory is deleted.
            ToFile f;
            synchronized (lock) {
                over.set(true);
                f = body.get();
            }
            if (f != null) f.abort();
        }
    }

    /**
     * Writes the body to a file while computing the digests, under the size limit. A push subscriber
     * rather than a blocking stream, so that a stalled transfer can be abandoned at the deadline without
     * a thread stuck in a read.
     */
    private final class ToFile implements HttpResponse.BodySubscriber<Map<String, String>> {
        private final CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
        private final List<MessageDigest> mds = new ArrayList<>();
        private final long declared;
        private String refusal;
        private FileChannel out;
        private Flow.Subscription subscription;
        private long total;
        private boolean done;

        ToFile(Path zip, HttpResponse.ResponseInfo info, boolean wanted) {
            declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (!wanted) {
                refusal = "aborted";
            } else if (info.statusCode() != 200) {
                refusal = "HTTP status " + info.statusCode() + " from " + uri;
            } else if (declared > limits.maxDownloadBytes()) {
                refusal = "the server announces " + declared + " bytes, more than the " + limits.maxDownloadBytes() + " allowed";
            } else {
                for (Digest d : digests) mds.add(messageDigest(d.algorithm()));
                try {
                    out = FileChannel.open(zip, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    refusal = "cannot write " + zip + ": " + e;
                }
            }
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (refusal != null) {
                fail(new IOException(refusal));
            } else if (done) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (done) return;
            try {
                for (ByteBuffer b : buffers) {
                    total += b.remaining();
                    if (total > limits.maxDownloadBytes()) {
                        throw new IOException("the download exceeds " + limits.maxDownloadBytes() + " bytes");
                    }
                    for (MessageDigest md : mds) md.update(b.duplicate());
                    while (b.hasRemaining()) out.write(b);
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            subscription.request(1);
        }

        @Override
        public synchronized void onError(Throwable t) {
            fail(t);
        }

        @Override
        public synchronized void onComplete() {
            if (done) return;
            if (declared >= 0 && total != declared) {
                fail(new IOException("the download ended after " + total + " of " + declared + " bytes"));
                return;
            }
            try {
                out.close();
            } catch (IOException e) {
                fail(e);
                return;
            }
            done = true;
            Map<String, String> hex = new LinkedHashMap<>();
            for (int i = 0; i < mds.size(); i++) hex.put(digests.get(i).algorithm(), HexFormat.of().formatHex(mds.get(i).digest()));
            result.complete(hex);
        }

        @Override
        public CompletionStage<Map<String, String>> getBody() {
            return result;
        }

        /** Stops the transfer if it is still running; no write happens after this returns. */
        synchronized void abort() {
            fail(new IOException("aborted"));
        }

        private void fail(Throwable t) {
            if (!done) {
                done = true;
                if (subscription != null) subscription.cancel();
                result.completeExceptionally(t);
            }
            try {
                if (out != null) out.close();
            } catch (IOException e) {
                // nothing more to write; the staging directory goes anyway
            }
        }
    }

    /**
     * Unpacks {@code zip} into the empty directory {@code dest}. Reads the central directory (so a
     * truncated zip fails instead of yielding fewer files), rejects any entry whose path would leave
     * {@code dest}, and counts the bytes actually inflated rather than trusting the sizes the zip declares.
     */
    static void unpack(Path zip, Path dest, Limits limits) throws IOException {
        Path root = dest.toAbsolutePath().normalize();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            if (zf.size() > limits.maxEntries()) {
                throw new IOException("the zip has " + zf.size() + " entries, more than the " + limits.maxEntries() + " allowed");
            }
            if (zf.size() == 0) throw new ZipException("the zip is empty");
            // Every name is checked before anything is written.
            List<ZipEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                inside(root, e.getName());
                entries.add(e);
            }
            long total = 0;
            byte[] buf = new byte[1 << 16];
            for (ZipEntry e : entries) {
                Path out = inside(root, e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zf.getInputStream(e);
                     OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        total += n;
                        if (total > limits.maxUnpackedBytes()) {
                            throw new IOException("the zip unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
                        }
                        o.write(buf, 0, n);
                    }
                }
            }
        }
    }

    /** Where entry {@code name} goes under {@code root}, or an exception if that is not strictly inside it. */
    static Path inside(Path root, String name) throws IOException {
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || DRIVE.matcher(name).matches()) {
            throw new IOException("the zip holds an entry outside its folder: '" + name + "'");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) throw new IOException("the zip holds an entry outside its folder: '" + name + "'");
        }
        Path p;
        try {
            p = root.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IOException("the zip holds an entry with an invalid name: '" + name + "'", e);
        }
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IOException("the zip holds an entry outside its folder: '" + name + "'");
        }
        return p;
    }

    /** A one-line reason for a failed download, naming timeouts, unknown hosts and refused connections. */
    String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpConnectTimeoutException) return "no connection to " + uri.getHost() + " within " + seconds(limits.connectTimeout());
            if (c instanceof HttpTimeoutException) return "no answer from " + uri.getHost() + " within " + seconds(limits.responseTimeout());
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) return "host " + uri.getHost() + " not found (offline?)";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) return "cannot connect to " + uri.getHost() + " (offline?)";
        }
        Throwable root = t;
        while ((root instanceof CompletionException || root instanceof ExecutionException) && root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean addShutdownHook(Thread t) {
        try {
            Runtime.getRuntime().addShutdownHook(t);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void removeShutdownHook(Thread t) {
        try {
            Runtime.getRuntime().removeShutdownHook(t);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and will run it
        }
    }

    /** A failed first install leaves no empty cache directory behind. */
    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (someone else's files) or not ours to remove: keep it
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover hidden staging directory is never mistaken for the dataset
        }
    }
}
