package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest HTTP server (busybox httpd) under wrk from the host with 64 connections: no socket
 * errors, every response body byte-identical to the file (checked by a wrk Lua script), and the
 * file's SHA-256 fetched afterwards unchanged. Duration: -Dlxrun.loadSeconds (default 10; the
 * issue's full run is -Dlxrun.loadSeconds=60).
 */
class HttpLoadTest {
    @TempDir
    Path dir;

    @Test
    void guestHttpdUnderWrk() throws Exception {
        int seconds = Integer.getInteger("lxrun.loadSeconds", 10);
        byte[] blob = new byte[16384];
        new Random(7).nextBytes(blob);
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.write(www.resolve("blob.bin"), blob);
        Path script = dir.resolve("check_body.lua");
        try (var in = getClass().getResourceAsStream("/net/check_body.lua")) {
            Files.copy(in, script);
        }
        int port = GuestServer.freePort();
        String url = "http://127.0.0.1:" + port + "/blob.bin";
        try (GuestServer httpd = GuestServer.underLxrun(List.of("/bin/busybox", "httpd", "-f", "-p", "127.0.0.1:" + port,
                "-h", www.toString()), dir).awaitPort("127.0.0.1", port)) {
            RunResult wrk = Runner.runNative(List.of("wrk", "-t2", "-c64", "-d" + seconds + "s", "--timeout", "10s",
                    "-s", script.toString(), url, "--", www.resolve("blob.bin").toString()), dir, Runner.baseEnvironment(), new byte[0]);
            System.out.println("wrk against guest busybox httpd, " + seconds + " s:\n" + wrk.out());
            assertEquals(0, wrk.exitStatus(), wrk.toString());
            assertFalse(wrk.out().contains("Socket errors"), wrk.out());
            assertFalse(wrk.out().contains("Non-2xx"), wrk.out());
            assertTrue(wrk.out().contains("BAD 0\n"), wrk.out());
            Matcher m = Pattern.compile("(\\d+) requests in").matcher(wrk.out());
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, wrk.out());
            byte[] after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertEquals(sha256(blob), sha256(after));
            assertTrue(httpd.process.isAlive(), "httpd died under load:\n" + httpd.logText());
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
