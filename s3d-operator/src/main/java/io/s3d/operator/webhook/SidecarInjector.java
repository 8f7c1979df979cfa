package io.s3d.operator.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.s3d.operator.api.v1alpha1.S3dGateway;

/**
 * The mutating admission webhook (AdmissionReview v1 in and out). Thin: the decision and the patch
 * are pure classes; this endpoint only looks the gateway up and encodes the answer.
 */
@Path("/mutate-pods")
public class SidecarInjector {
    private static final Logger LOG = Logger.getLogger(SidecarInjector.class);

    @Inject
    KubernetesClient client;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public String mutate(String body) {
        AdmissionReview review = Serialization.unmarshal(body, AdmissionReview.class);
        return Serialization.asJson(answer(review, name -> Optional.ofNullable(
                client.resources(S3dGateway.class).inNamespace(review.getRequest().getNamespace()).withName(name).get())));
    }

    /** The AdmissionReview answering {@code review}; {@code lookup} finds a gateway in the request's namespace. */
    public static AdmissionReview answer(AdmissionReview review, java.util.function.Function<String, Optional<S3dGateway>> lookup) {
        AdmissionRequest request = review.getRequest();
        AdmissionResponse response = new AdmissionResponse();
        response.setUid(request.getUid());
        Object object = request.getObject();
        Pod pod = object instanceof Pod p ? p : Serialization.unmarshal(Serialization.asJson(object), Pod.class);
        InjectionDecision decision = InjectionDecision.evaluate(pod, request.getNamespace(), lookup);
        response.setAllowed(decision.allowed());
        switch (decision.outcome()) {
            case INJECT -> {
                List<PodPatch.Op> ops = PodPatch.create(pod, decision.model());
                response.setPatchType("JSONPatch");
                response.setPatch(Base64.getEncoder().encodeToString(Serialization.asJson(ops).getBytes(StandardCharsets.UTF_8)));
                LOG.infof("injecting s3d from gateway %s/%s into pod %s", request.getNamespace(), decision.gateway(), podName(pod));
            }
            case GATEWAY_NOT_FOUND, GATEWAY_INVALID -> {
                response.setStatus(new StatusBuilder().withCode(400).withReason("BadRequest").withMessage(decision.message()).build());
                LOG.infof("denied pod %s: %s", podName(pod), decision.message());
            }
            default -> {
            }
        }
        AdmissionReview out = new AdmissionReview();
        out.setApiVersion("admission.k8s.io/v1");
        out.setKind("AdmissionReview");
        out.setResponse(response);
        return out;
    }

    private static String podName(Pod pod) {
        if (pod.getMetadata() == null) {
            return "?";
        }
        return pod.getMetadata().getName() != null ? pod.getMetadata().getName() : pod.getMetadata().getGenerateName() + "*";
    }
}
