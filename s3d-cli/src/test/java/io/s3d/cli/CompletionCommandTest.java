package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {

    /** Sources the script in bash and asks it to complete {@code words}. */
    static List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String program = "source " + script + "\n"
                + "COMP_WORDS=(" + line + ")\nCOMP_CWORD=" + (words.length - 1) + "\nCOMP_LINE='" + line + "'\n"
                + "COMP_POINT=${#COMP_LINE}\n_complete_s3d\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().map(String::strip).toList();
    }

    @Test
    void bashCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
        Cli.Result r = new Cli().run("completion", "bash");
        assertEquals(0, r.exit(), r.toString());
        Path script = Files.writeString(dir.resolve("s3d.bash"), r.out());
        assertTrue(complete(script, "s3d", "").containsAll(List.of("run", "status", "ls", "get", "put", "set", "flush", "queue", "prefetch", "unpin", "cache",
                "completion")));
        assertEquals(List.of("ls", "retry"), complete(script, "s3d", "queue", "").stream().filter(w -> !w.startsWith("-")).sorted().toList());
        assertTrue(complete(script, "s3d", "flush", "--").containsAll(List.of("--timeout", "--json", "--endpoint")));
        assertTrue(complete(script, "s3d", "queue", "ls", "--").containsAll(List.of("--parked", "--max")));
        assertEquals(List.of("status"), complete(script, "s3d", "cache", "").stream().filter(w -> !w.startsWith("-")).toList());
        assertTrue(complete(script, "s3d", "cache", "status", "--").containsAll(List.of("--json", "--endpoint")));
        assertTrue(complete(script, "s3d", "prefetch", "--").containsAll(List.of("--pin", "--timeout", "--json", "--endpoint")));
        assertTrue(complete(script, "s3d", "unpin", "--").containsAll(List.of("--json", "--endpoint")));
        assertEquals(List.of("prefetch", "put"), complete(script, "s3d", "p").stream().sorted().toList());
        assertEquals(List.of("ls"), complete(script, "s3d", "l"));
        assertTrue(complete(script, "s3d", "get", "--").containsAll(List.of("--range", "--endpoint", "--json", "--no-resume")));
        assertTrue(complete(script, "s3d", "run", "--write-q").contains("--write-queue-max-age"));
    }

    @Test
    void zshLoadsBashcompinit() {
        Cli.Result r = new Cli().run("completion", "zsh");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("autoload -U +X bashcompinit && bashcompinit"), r.out());
        assertTrue(r.out().contains("complete -F _complete_s3d"), r.out());
        assertEquals(ExitCodes.USAGE, new Cli().run("completion", "fish").exit());
    }
}
