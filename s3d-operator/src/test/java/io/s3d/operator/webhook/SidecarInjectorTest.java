package io.s3d.operator.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.s3d.operator.support.LeaseAccess;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.support.Fixtures;
import io.s3d.operator.support.RbacCoverage;

/** POST /mutate-pods over HTTP, the gateway looked up in the (mock) API server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = LeaseAccess.class)
class SidecarInjectorTest {
    @Inject
    KubernetesClient operatorClient;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void annotatedPodIsPatchedAndOthersAreNot() throws InterruptedException {
        KubernetesClient client = RbacCoverage.testClient(operatorClient);
        client.resource(Fixtures.load("SidecarInjectorTest/annotated/in-S3dGateway.yaml", S3dGateway.class)).create();

        String body = given().contentType("application/json")
                .body(Fixtures.resource("SidecarInjectorTest/annotated/in-AdmissionReview.json"))
                .post("/mutate-pods")
                .then().statusCode(200)
                .body("apiVersion", equalTo("admission.k8s.io/v1"))
                .body("kind", equalTo("AdmissionReview"))
                .body("response.uid", equalTo("705ab4f5-6393-11e8-b7cc-42010a800002"))
                .body("response.allowed", equalTo(true))
                .body("response.patchType", equalTo("JSONPatch"))
                .extract().asString();
        AdmissionReview out = Serialization.unmarshal(body, AdmissionReview.class);
        String patch = new String(Base64.getDecoder().decode(out.getResponse().getPatch()), StandardCharsets.UTF_8);
        AdmissionReview in = Serialization.unmarshal(Fixtures.resource("SidecarInjectorTest/annotated/in-AdmissionReview.json"),
                AdmissionReview.class);
        Pod pod = PodPatchTest.applyPatch((Pod) in.getRequest().getObject(), out);
        assertEquals("s3d", pod.getSpec().getInitContainers().get(0).getName(), patch);

        given().contentType("application/json")
                .body(Fixtures.resource("SidecarInjectorTest/not-annotated/in-AdmissionReview.json"))
                .post("/mutate-pods")
                .then().statusCode(200)
                .body("response.allowed", equalTo(true))
                .body("response.patch", nullValue());

        given().contentType("application/json")
                .body(Fixtures.resource("SidecarInjectorTest/fuse-shared/in-AdmissionReview.json"))
                .post("/mutate-pods")
                .then().statusCode(200)
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(400))
                .body("response.status.message", containsString("S3dGateway apps/files not found"));

        RbacCoverage.assertCovered(server);
    }
}
