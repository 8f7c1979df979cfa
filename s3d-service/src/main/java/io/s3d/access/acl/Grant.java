package io.s3d.access.acl;

/** One entry of an ACL. */
public record Grant(Grantee grantee, Permission permission) {
}
