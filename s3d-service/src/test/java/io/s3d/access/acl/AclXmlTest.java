package io.s3d.access.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.access.Identity;
import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AclXmlTest {
    private static final Identity ALICE = Identity.of("AKIAALICE", "alice");
    private static final Identity BOB = Identity.of("AKIABOB", "bob");
    private static final Function<String, Optional<Identity>> KNOWN = id -> List.of(ALICE, BOB).stream()
            .filter(i -> i.canonicalId().equals(id)).findFirst();

    private static String code(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            return e.code();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void rendersTheAwsDocumentWithXsiTypes() {
        Acl acl = CannedAclHeaders.canned("public-read", ALICE, ALICE);
        String xml = new String(AclXml.render(acl), StandardCharsets.UTF_8);
        assertThat(xml).contains("<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .contains("<Owner><ID>" + ALICE.canonicalId() + "</ID><DisplayName>alice</DisplayName></Owner>")
                .contains("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>"
                        + ALICE.canonicalId() + "</ID><DisplayName>alice</DisplayName></Grantee><Permission>FULL_CONTROL</Permission>")
                .contains("xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>"
                        + "<Permission>READ</Permission>");
    }

    @Test
    void parsesWhatItRendersAndWhatClientsSend() {
        Acl acl = new Acl(ALICE.canonicalId(), "alice", List.of(
                new Grant(Grantee.user(BOB.canonicalId(), "bob"), Permission.WRITE_ACP),
                new Grant(Grantee.group(Grantee.AUTHENTICATED_USERS), Permission.READ)));
        assertThat(AclXml.parse(AclXml.render(acl), KNOWN)).isEqualTo(acl);
        String sent = """
                <AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>%s</ID></Owner>
                <AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xsi:type="CanonicalUser"><ID>%s</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList>
                </AccessControlPolicy>""".formatted(ALICE.canonicalId(), BOB.canonicalId());
        Acl parsed = AclXml.parse(sent.getBytes(StandardCharsets.UTF_8), KNOWN);
        assertThat(parsed.grants()).containsExactly(new Grant(Grantee.user(BOB.canonicalId(), "bob"), Permission.READ));
    }

    @Test
    void refusesWhatAwsRefuses() {
        String grant = "<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList><Grant>"
                + "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"%s\">%s</Grantee>"
                + "<Permission>%s</Permission></Grant></AccessControlList></AccessControlPolicy>";
        assertThat(code(() -> AclXml.parse("<nope/>".getBytes(StandardCharsets.UTF_8), KNOWN)))
                .isEqualTo("MalformedACLError");
        assertThat(code(() -> AclXml.parse(grant.formatted("CanonicalUser", "<ID>" + "0".repeat(64) + "</ID>", "READ")
                .getBytes(StandardCharsets.UTF_8), KNOWN))).isEqualTo("InvalidArgument");
        assertThat(code(() -> AclXml.parse(grant.formatted("CanonicalUser", "<ID>" + BOB.canonicalId() + "</ID>", "ALL")
                .getBytes(StandardCharsets.UTF_8), KNOWN))).isEqualTo("MalformedACLError");
        assertThat(code(() -> AclXml.parse(grant.formatted("AmazonCustomerByEmail",
                "<EmailAddress>a@example.com</EmailAddress>", "READ").getBytes(StandardCharsets.UTF_8), KNOWN)))
                .isEqualTo("UnresolvableGrantByEmailAddress");
        assertThat(code(() -> AclXml.parse(grant.formatted("Group", "<URI>http://example.com/friends</URI>", "READ")
                .getBytes(StandardCharsets.UTF_8), KNOWN))).isEqualTo("InvalidArgument");
    }

    @Test
    void grantHeadersTakeQuotedAndBareValues() {
        Map<String, String> headers = Map.of("x-amz-grant-read", "id=\"" + BOB.canonicalId()
                + "\", uri=http://acs.amazonaws.com/groups/global/AllUsers", "x-amz-grant-full-control",
                "id=" + ALICE.canonicalId());
        Acl acl = CannedAclHeaders.parse(headers::get, ALICE, ALICE, KNOWN).orElseThrow();
        assertThat(acl.grants()).containsExactly(
                new Grant(Grantee.user(ALICE.canonicalId(), "alice"), Permission.FULL_CONTROL),
                new Grant(Grantee.user(BOB.canonicalId(), "bob"), Permission.READ),
                new Grant(Grantee.group(Grantee.ALL_USERS), Permission.READ));
        assertThat(acl.isPublic()).isTrue();
        assertThat(code(() -> CannedAclHeaders.parse(Map.of("x-amz-acl", "private", "x-amz-grant-read",
                "id=" + BOB.canonicalId())::get, ALICE, ALICE, KNOWN))).isEqualTo("InvalidRequest");
        assertThat(code(() -> CannedAclHeaders.parse(Map.of("x-amz-acl", "world-writable")::get, ALICE, ALICE, KNOWN)))
                .isEqualTo("InvalidArgument");
        assertThat(code(() -> CannedAclHeaders.parse(Map.of("x-amz-grant-read", "emailAddress=\"a@b.c\"")::get,
                ALICE, ALICE, KNOWN))).isEqualTo("UnresolvableGrantByEmailAddress");
        assertThat(code(() -> CannedAclHeaders.parse(Map.of("x-amz-grant-read", "nonsense")::get, ALICE, ALICE,
                KNOWN))).isEqualTo("InvalidArgument");
        assertThat(CannedAclHeaders.parse(Map.<String, String>of()::get, ALICE, ALICE, KNOWN)).isEmpty();
    }

    @Test
    void cannedAclsGrantWhatAwsDefines() {
        assertThat(CannedAclHeaders.canned("private", BOB, ALICE).grants()).hasSize(1);
        Acl full = CannedAclHeaders.canned("bucket-owner-full-control", BOB, ALICE);
        assertThat(full.allows(ALICE, Permission.WRITE_ACP, false)).isTrue();
        Acl read = CannedAclHeaders.canned("bucket-owner-read", BOB, ALICE);
        assertThat(read.allows(ALICE, Permission.READ, false)).isTrue();
        assertThat(read.allows(ALICE, Permission.READ_ACP, false)).isFalse();
        Acl authenticated = CannedAclHeaders.canned("authenticated-read", ALICE, ALICE);
        assertThat(authenticated.allows(BOB, Permission.READ, false)).isTrue();
        assertThat(authenticated.allows(Identity.ANONYMOUS, Permission.READ, false)).isFalse();
        Acl publicWrite = CannedAclHeaders.canned("public-read-write", ALICE, ALICE);
        assertThat(publicWrite.allows(Identity.ANONYMOUS, Permission.WRITE, false)).isTrue();
        assertThat(publicWrite.allows(Identity.ANONYMOUS, Permission.WRITE, true)).as("IgnorePublicAcls").isFalse();
        assertThat(publicWrite.allows(Identity.ANONYMOUS, Permission.READ_ACP, false)).isFalse();
        assertThat(CannedAclHeaders.canned("log-delivery-write", ALICE, ALICE).isPublic()).isFalse();
        assertThat(Acl.ownerOnly(ALICE).ownerOnlyGrants()).isTrue();
        assertThat(publicWrite.ownerOnlyGrants()).isFalse();
    }
}
