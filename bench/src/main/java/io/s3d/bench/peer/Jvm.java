package io.s3d.bench.peer;

import java.nio.file.Path;

/** The java executable the suite itself runs on, used for the Java peers too. */
final class Jvm {
    private Jvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
