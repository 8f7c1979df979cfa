"""boto3 scenarios of bucket policies being enforced by a standalone s3d with two identities
(S3D_CREDENTIALS_FILE with two key pairs), over plain HTTP:

- a policy allowing s3:GetObject to "*" on BUCKET/public/* makes an unsigned GET of public/x succeed,
  while an unsigned GET of private/x is 403 AccessDenied;
- a Deny of s3:DeleteObject for the second identity wins over the FULL_CONTROL (WRITE: deleting any
  object) its bucket ACL grant gives;
- a Deny of s3:GetObject on BUCKET/secure/* when aws:SecureTransport is false refuses even the owner
  over HTTP.

Usage: AWS_ACCESS_KEY_ID=<owner> AWS_SECRET_ACCESS_KEY=<owner secret> \
       SECOND_ACCESS_KEY_ID=<second> SECOND_SECRET_ACCESS_KEY=<second secret> \
       python3 policy_enforcement_scenarios.py http://127.0.0.1:PORT BUCKET
Prints PASS/FAIL per scenario; exits 1 if any failed.
"""
import hashlib
import json
import os

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from scenario_kit import bucket, endpoint, error_of, finish, s3, scenario

second_key = os.environ["SECOND_ACCESS_KEY_ID"]
path_style = {"addressing_style": "path"}
second = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=second_key,
                      aws_secret_access_key=os.environ["SECOND_SECRET_ACCESS_KEY"],
                      config=Config(s3=path_style, retries={"max_attempts": 1}))
anonymous = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                         config=Config(signature_version=UNSIGNED, s3=path_style, retries={"max_attempts": 1}))
# s3d's canonical id of a key pair (io.s3d.access.Identity.canonicalIdOf).
second_id = hashlib.sha256(("s3d:" + second_key).encode()).hexdigest()
arn = f"arn:aws:s3:::{bucket}"

s3.create_bucket(Bucket=bucket)
# As on AWS, a new bucket may enforce bucket ownership (no ACLs) and block public policies: this
# scenario needs both off.
s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
s3.delete_public_access_block(Bucket=bucket)
for key in ("public/x", "private/x", "secure/x", "shared/x"):
    s3.put_object(Bucket=bucket, Key=key, Body=b"contents of " + key.encode())
owner_id = s3.list_buckets()["Owner"]["ID"]
s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy={
        "Owner": {"ID": owner_id},
        "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": owner_id}, "Permission": "FULL_CONTROL"},
                   {"Grantee": {"Type": "CanonicalUser", "ID": second_id}, "Permission": "FULL_CONTROL"}]})
s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
     "Resource": f"{arn}/public/*"},
    {"Sid": "SecondNeverDeletes", "Effect": "Deny", "Principal": {"CanonicalUser": second_id},
     "Action": "s3:DeleteObject", "Resource": f"{arn}/*"},
    {"Sid": "SecureOnlyOverTls", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
     "Resource": f"{arn}/secure/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))


def denied(call):
    answer = error_of(call)
    assert answer["Error"]["Code"] == "AccessDenied", answer["Error"]
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 403, answer["ResponseMetadata"]


@scenario("an unsigned GET of public/x is allowed by the policy")
def public_read():
    assert anonymous.get_object(Bucket=bucket, Key="public/x")["Body"].read() == b"contents of public/x"


@scenario("an unsigned GET of private/x is 403 AccessDenied")
def private_read():
    denied(lambda: anonymous.get_object(Bucket=bucket, Key="private/x"))


@scenario("the second identity's bucket ACL grant lets it write (and read what it wrote)")
def second_acl():
    second.put_object(Bucket=bucket, Key="shared/y", Body=b"y")
    assert second.get_object(Bucket=bucket, Key="shared/y")["Body"].read() == b"y"


@scenario("a policy Deny of s3:DeleteObject wins over the second identity's FULL_CONTROL")
def deny_wins():
    denied(lambda: second.delete_object(Bucket=bucket, Key="shared/x"))
    assert s3.head_object(Bucket=bucket, Key="shared/x")["ContentLength"] > 0


@scenario("the owner, not named by the Deny, still deletes")
def owner_deletes():
    s3.delete_object(Bucket=bucket, Key="shared/y")


@scenario("aws:SecureTransport false: a GET of secure/x over HTTP is refused, even to the owner")
def secure_transport():
    denied(lambda: s3.get_object(Bucket=bucket, Key="secure/x"))
    assert s3.get_object(Bucket=bucket, Key="private/x")["Body"].read() == b"contents of private/x"


s3.delete_bucket_policy(Bucket=bucket)
for key in ("public/x", "private/x", "secure/x", "shared/x"):
    s3.delete_object(Bucket=bucket, Key=key)
s3.delete_bucket(Bucket=bucket)
finish("policy enforcement (boto3)")
