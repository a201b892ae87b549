package io.rayforce.cluster.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium} package; scripts/test installs it), driven
 * over the Chrome DevTools Protocol on a WebSocket: open a page, evaluate JavaScript in it, take a
 * screenshot. The browser and its profile directory go away on {@link #close()}.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^/]+)/devtools/browser/\\S+");

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final List<String> output = new ArrayList<>();

    HeadlessChromium(int width, int height) throws Exception {
        profile = Files.createTempDirectory("rfc-chromium");
        process = new ProcessBuilder(HostTools.find("CHROMIUM", "chromium", "chromium", "chromium-browser").toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--window-size=" + width + "," + height,
                "about:blank").redirectErrorStream(true).start();
        String devtools = awaitDevTools();
        HttpClient http = HttpClient.newHttpClient();
        String base = devtools.replace("ws://", "http://");
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String pageSocket = null;
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) {
                pageSocket = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageSocket == null) {
            throw new AssertionError("chromium has no page target: " + targets);
        }
        page = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Replies()).get(30, TimeUnit.SECONDS);
        call("Page.enable", JSON.createObjectNode());
        call("Runtime.enable", JSON.createObjectNode());
    }

    /** Reads the browser's output until it says where its DevTools listen. */
    private String awaitDevTools() throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "chromium-output");
                        drain.setDaemon(true);
                        drain.start();
                        return m.group(1);
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String url = found.get(60, TimeUnit.SECONDS);
        if (url == null) {
            synchronized (output) {
                throw new AssertionError("chromium did not start its DevTools; it printed:\n" + String.join("\n", output));
            }
        }
        return url;
    }

    /** Opens {@code url} in the page and waits until it has loaded. */
    void open(String url) throws Exception {
        ObjectNode p = JSON.createObjectNode().put("url", url);
        call("Page.navigate", p);
        for (int i = 0; i < 300 && !"complete".equals(evaluate("document.readyState")); i++) {
            Thread.sleep(100);
        }
    }

    /** The value of the JavaScript expression {@code js} in the page (strings, numbers, booleans; objects via JSON). */
    String evaluate(String js) throws Exception {
        ObjectNode p = JSON.createObjectNode().put("expression", js).put("returnByValue", true).put("awaitPromise", true);
        JsonNode r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new AssertionError("the page threw evaluating " + js + ": " + r.path("exceptionDetails"));
        }
        JsonNode v = r.path("result").path("value");
        return v.isMissingNode() || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }

    /** A PNG of the whole page, {@code width} wide. */
    byte[] screenshot(int width) throws Exception {
        int height = Integer.parseInt(evaluate("String(Math.ceil(document.documentElement.scrollHeight))"));
        call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        page.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        JsonNode r = reply.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + " failed: " + r.path("error"));
        }
        return r.path("result");
    }

    /** Hands each reply (a message with an id) to its caller; events are dropped. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = replies.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                } catch (IOException e) {
                    replies.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            page.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
