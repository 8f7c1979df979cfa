package io.s3d.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dev UI's JSON-RPC as its pages call it: one websocket at {@code /q/dev-ui/json-rpc-ws}, a
 * request {@code {"jsonrpc":"2.0","id":n,"method":"namespace.method","params":{}}} per call, the
 * answer matched by id and returned as its raw JSON text.
 */
final class DevUiJsonRpc implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Duration ANSWER = Duration.ofSeconds(60);

    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<String>> answers;
    private int nextId = 1;

    private DevUiJsonRpc(WebSocket socket, Map<Integer, CompletableFuture<String>> answers) {
        this.socket = socket;
        this.answers = answers;
    }

    static DevUiJsonRpc connect(HttpClient http, int port) throws Exception {
        Map<Integer, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/q/dev-ui/json-rpc-ws"), new WebSocket.Listener() {
                    private final StringBuilder message = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        message.append(data);
                        if (last) {
                            String text = message.toString();
                            message.setLength(0);
                            Matcher id = ID.matcher(text);
                            if (id.find()) {
                                answers.computeIfAbsent(Integer.parseInt(id.group(1)), k -> new CompletableFuture<>())
                                        .complete(text);
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(60, TimeUnit.SECONDS);
        return new DevUiJsonRpc(socket, answers);
    }

    /** Calls {@code method} without parameters; the whole answer, which holds the result or the error. */
    String call(String method) throws Exception {
        int id = nextId++;
        CompletableFuture<String> answer = answers.computeIfAbsent(id, k -> new CompletableFuture<>());
        socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{}}", true)
                .get(30, TimeUnit.SECONDS);
        return answer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
    }
}
