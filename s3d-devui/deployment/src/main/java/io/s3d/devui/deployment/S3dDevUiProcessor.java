package io.s3d.devui.deployment;

import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.s3d.devui.S3dDevUiJsonRpcService;

/**
 * The s3d card of the Dev UI: a one-line live label (mode, queue, cache), a page with the daemon's
 * status (dev-ui/qwc-s3d-devui-status.js, refreshed every two seconds) and a link to the status page.
 */
public class S3dDevUiProcessor {
    static final String FEATURE = "s3d-devui";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card() {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.webComponentPageBuilder()
                .title("Daemon")
                .icon("font-awesome-solid:hard-drive")
                .componentLink("qwc-s3d-devui-status.js")
                .dynamicLabelJsonRPCMethodName("getSummary"));
        card.addPage(Page.externalPageBuilder("Status page")
                .icon("font-awesome-solid:gauge")
                .url("/_s3d/ui", "/_s3d/ui")
                .doNotEmbed());
        return card;
    }

    /** Not limited to dev mode, as in Quarkus's own extensions: only the Dev UI, in dev mode, consumes it. */
    @BuildStep
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(S3dDevUiJsonRpcService.class);
    }
}
