package io.s3d.access.acl;

import io.s3d.access.Identity;

/**
 * Who an ACL grant names: one identity by canonical id (with its display name, shown but never
 * compared), or one of AWS's predefined groups by URI.
 */
public record Grantee(String canonicalId, String displayName, String groupUri) {
    public static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    public static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";

    public static Grantee user(String canonicalId, String displayName) {
        return new Grantee(canonicalId, displayName, null);
    }

    public static Grantee group(String uri) {
        return new Grantee(null, null, uri);
    }

    public boolean isGroup() {
        return groupUri != null;
    }

    /** AllUsers and AuthenticatedUsers: a grant to either makes a resource public (AWS's definition). */
    public boolean isPublic() {
        return ALL_USERS.equals(groupUri) || AUTHENTICATED_USERS.equals(groupUri);
    }

    /** True when this grantee names {@code who}. */
    public boolean names(Identity who) {
        if (groupUri != null) {
            return ALL_USERS.equals(groupUri) || (AUTHENTICATED_USERS.equals(groupUri) && !who.anonymous());
        }
        return !who.anonymous() && canonicalId.equals(who.canonicalId());
    }
}
