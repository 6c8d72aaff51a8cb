package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian network programs under lxrun talking to host programs over loopback: netcat both ways,
 * curl over IPv4 and IPv6, python servers, redis, and iproute2 reading the host's interfaces
 * through NETLINK_ROUTE. Every server is started here on a free port and killed at the end.
 */
class NetworkProgramsTest {
    @TempDir
    Path dir;

    private RunResult guest(String... command) {
        return Runner.runLxrun(List.of(command), dir, Runner.baseEnvironment(), new byte[0]);
    }

    @Test
    void guestNetcatListensForTheHost() throws Exception {
        int port = GuestServer.freePort();
        Path got = dir.resolve("got");
        try (GuestServer nc = GuestServer.underLxrun(List.of("/bin/sh", "-c", "exec /bin/nc -l 127.0.0.1 " + port + " > " + got), dir)) {
            RunResult host = null; // refused until the guest listens: nc -l takes one connection, so no probing
            for (int i = 0; i < 120 && (host == null || host.exitStatus() != 0); i++) {
                if (host != null) Thread.sleep(250);
                host = Runner.runNative(List.of("nc", "-N", "127.0.0.1", String.valueOf(port)), dir, Runner.baseEnvironment(),
                        "from the host\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(0, host.exitStatus(), host.toString());
            assertTrue(nc.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "guest nc did not finish");
            assertEquals("from the host\n", Files.readString(got));
        }
    }

    @Test
    void guestNetcatConnectsToTheHost() throws Exception {
        int port = GuestServer.freePort();
        Path got = dir.resolve("got");
        try (GuestServer host = GuestServer.host(List.of("/bin/sh", "-c", "exec nc -l 127.0.0.1 " + port + " > " + got), dir)) {
            Thread.sleep(300);
            RunResult r = Runner.runLxrun(List.of("/bin/nc", "-N", "127.0.0.1", String.valueOf(port)), dir,
                    Runner.baseEnvironment(), "from the guest\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, r.exitStatus(), r.toString());
            assertTrue(host.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "host nc did not finish");
            assertEquals("from the guest\n", Files.readString(got));
        }
    }

    @Test
    void guestCurlFetchesOverIpv4AndIpv6() throws Exception {
        for (String address : List.of("127.0.0.1", "::1")) {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
            byte[] body = ("curl over " + address + "\n").repeat(5000).getBytes(StandardCharsets.UTF_8);
            server.createContext("/data", ex -> {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
            try {
                String host = address.contains(":") ? "[" + address + "]" : address;
                RunResult r = guest("/usr/bin/curl", "-sS", "--max-time", "60", "http://" + host + ":" + server.getAddress().getPort() + "/data");
                assertEquals(0, r.exitStatus(), r.err());
                assertEquals(new String(body, StandardCharsets.UTF_8), r.out());
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void pythonHttpServerAnswersTheHost() throws Exception {
        Files.writeString(dir.resolve("page.txt"), "python served this\n");
        int port = GuestServer.freePort();
        try (GuestServer py = GuestServer.underLxrun(List.of("/usr/bin/python3", "-m", "http.server", "-b", "127.0.0.1",
                String.valueOf(port), "-d", dir.toString()), dir).awaitPort("127.0.0.1", port)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("python served this\n", r.body());
        }
    }

    @Test
    void pythonSocketserverEchoes() throws Exception {
        Path script = dir.resolve("echo_server.py");
        try (var in = getClass().getResourceAsStream("/net/echo_server.py")) {
            Files.copy(in, script);
        }
        int port = GuestServer.freePort();
        try (GuestServer py = GuestServer.underLxrun(List.of("/usr/bin/python3", script.toString(), String.valueOf(port)), dir)
                .awaitPort("127.0.0.1", port);
                Socket s = new Socket("127.0.0.1", port)) {
            var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (String line : List.of("one", "two words", "x".repeat(10000))) {
                out.println(line);
                assertEquals(line, in.readLine());
            }
        }
    }

    @Test
    void redisServerAnswersRedisBenchmark() throws Exception {
        int port = GuestServer.freePort();
        try (GuestServer redis = GuestServer.underLxrun(List.of("/usr/bin/redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()), dir).awaitPort("127.0.0.1", port)) {
            String p = String.valueOf(port);
            RunResult set = Runner.runNative(List.of("redis-cli", "-p", p, "SET", "lxrun", "value over loopback"), dir,
                    Runner.baseEnvironment(), new byte[0]);
            assertEquals("OK\n", set.out(), set.toString());
            RunResult get = Runner.runNative(List.of("redis-cli", "-p", p, "GET", "lxrun"), dir, Runner.baseEnvironment(), new byte[0]);
            assertEquals("value over loopback\n", get.out(), get.toString());
            RunResult bench = Runner.runNative(List.of("redis-benchmark", "-p", p, "-q", "-n", "2000", "-t", "set,get"), dir,
                    Runner.baseEnvironment(), new byte[0]);
            assertEquals(0, bench.exitStatus(), bench.toString());
            assertTrue(bench.out().matches("(?s).*SET: [0-9.]+ requests per second.*GET: [0-9.]+ requests per second.*"), bench.out());
        }
    }

    @Test
    void ipListsTheHostInterfacesAsNatively() {
        for (String object : List.of("addr", "link")) {
            List<String> cmd = List.of("/usr/sbin/ip", object);
            Differential.assertSame(cmd, dir, Runner.baseEnvironment());
        }
    }
}
