package io.s3d.admin;

import jakarta.enterprise.inject.Typed;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * {@code GET /_s3d/status}'s body, as a bean named {@value #NAME}: the s3d card of the Quarkus Dev
 * UI (module s3d-devui, in dev mode with the {@code dev-ui} profile) finds it by that name, since
 * neither module compiles against the other. Named beans are kept even when nothing injects them.
 */
@Singleton
@Named(StatusJson.NAME)
@Typed(StatusJson.class)
public class StatusJson implements Supplier<String> {
    static final String NAME = "s3dStatusJson";

    private final StatusReport report;

    StatusJson(StatusReport report) {
        this.report = report;
    }

    @Override
    public String get() {
        return Json.write(report.status());
    }
}
