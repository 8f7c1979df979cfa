package io.s3d.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import picocli.CommandLine;

/** Runs the s3d command in this JVM with captured streams, a chosen environment and terminal. */
public class Cli {
    private final Map<String, String> env = new HashMap<>();
    private InputStream stdin = new ByteArrayInputStream(new byte[0]);
    private Terminal terminal = new Terminal(false, false, 80);
    private Path home = Path.of("target", "no-home");

    /** Against the test S3Proxy, with its credentials in S3D_*. */
    public static Cli s3proxy() {
        return new Cli().env("S3D_ENDPOINT", S3ProxyServer.endpoint())
                .env("S3D_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY)
                .env("S3D_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    }

    public Cli env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public Cli stdin(byte[] data) {
        this.stdin = new ByteArrayInputStream(data);
        return this;
    }

    public Cli stdin(InputStream in) {
        this.stdin = in;
        return this;
    }

    public Cli terminal(boolean stdoutTty, boolean stderrTty) {
        this.terminal = new Terminal(stdoutTty, stderrTty, 100);
        return this;
    }

    public Cli terminal(boolean stdinTty, boolean stdoutTty, boolean stderrTty) {
        this.terminal = new Terminal(stdinTty, stdoutTty, stderrTty, 100);
        return this;
    }

    public Cli home(Path home) {
        this.home = home;
        return this;
    }

    public record Result(int exit, byte[] stdout, String err) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + (stdout.length > 4096 ? "(" + stdout.length + " bytes)" : out())
                    + "\n--- stderr:\n" + err;
        }
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        S3dCommand root = new S3dCommand();
        root.stdin = stdin;
        root.stdout = out;
        root.env = env;
        root.home = home;
        root.terminal(terminal);
        CommandLine cl = S3dCommand.configure(new CommandLine(root));
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        cl.getOut().flush();
        return new Result(exit, out.toByteArray(), err.toString());
    }
}
