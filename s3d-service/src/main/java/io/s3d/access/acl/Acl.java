package io.s3d.access.acl;

import io.s3d.access.Identity;
import java.util.List;

/**
 * An access control list as S3 keeps it on a bucket or an object version: the owner and the
 * grants. The owner's rights come from its grants like anyone's (the default ACL grants it
 * FULL_CONTROL); that an owner may always read and change the ACL is checked by access control.
 */
public record Acl(String ownerId, String ownerName, List<Grant> grants) {
    public Acl {
        grants = List.copyOf(grants);
    }

    /** The default ACL: the owner has FULL_CONTROL, nobody else anything. */
    public static Acl ownerOnly(Identity owner) {
        return new Acl(owner.canonicalId(), owner.displayName(),
                List.of(new Grant(Grantee.user(owner.canonicalId(), owner.displayName()), Permission.FULL_CONTROL)));
    }

    /**
     * True when a grant gives {@code who} the {@code needed} permission. With {@code ignorePublic}
     * (a public access block's IgnorePublicAcls) grants to AllUsers and AuthenticatedUsers do not count.
     */
    public boolean allows(Identity who, Permission needed, boolean ignorePublic) {
        for (Grant grant : grants) {
            if (ignorePublic && grant.grantee().isPublic()) {
                continue;
            }
            if (grant.permission().covers(needed) && grant.grantee().names(who)) {
                return true;
            }
        }
        return false;
    }

    /** True when a grant goes to AllUsers or AuthenticatedUsers. */
    public boolean isPublic() {
        return grants.stream().anyMatch(g -> g.grantee().isPublic());
    }

    /** True when the ACL gives nobody but the owner anything (what BucketOwnerEnforced still accepts). */
    public boolean ownerOnlyGrants() {
        return grants.stream().allMatch(g -> !g.grantee().isGroup() && g.grantee().canonicalId().equals(ownerId));
    }

    public Acl withOwner(Identity owner) {
        return new Acl(owner.canonicalId(), owner.displayName(), grants);
    }
}
