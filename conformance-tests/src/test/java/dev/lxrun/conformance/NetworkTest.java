package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guests and the host talk over loopback: a guest server answers the host, a guest client fetches from it. */
class NetworkTest {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void guestHttpdServesTheHost() throws Exception {
        Files.writeString(dir.resolve("index.html"), "served by a guest\n");
        int port = freePort();
        List<String> cmd = Runner.lxrunCommand(List.of("/bin/busybox", "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", dir.toString()));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = null;
            for (int i = 0; i < 60 && r == null; i++) {
                try {
                    r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException notYet) {
                    Thread.sleep(250);
                }
            }
            assertEquals(200, r == null ? -1 : r.statusCode());
            assertEquals("served by a guest\n", r.body());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void guestWgetFetchesFromTheHost() throws Exception {
        HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/data", ex -> {
            byte[] body = "from the host\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        host.start();
        try {
            String url = "http://127.0.0.1:" + host.getAddress().getPort() + "/data";
            RunResult r = Runner.runLxrun(List.of("/bin/busybox", "wget", "-q", "-O", "-", url), dir,
                    Runner.baseEnvironment(), new byte[0]);
            assertEquals("from the host\n", r.out(), r.toString());
            assertEquals(0, r.exitStatus());
        } finally {
            host.stop(0);
        }
    }
}
