"""ACL scenarios with boto3: two identities (ALICE_KEY/ALICE_SECRET, BOB_KEY/BOB_SECRET) and
unsigned requests against a standalone s3d. Usage: acl_scenarios.py ENDPOINT BUCKET (run by acl.sh)."""
import os

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from scenario_kit import bucket, endpoint, error_of, finish, scenario


def client(key=None, secret=None, unsigned=False):
    extra = {"signature_version": UNSIGNED} if unsigned else {}
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key or "x",
                        aws_secret_access_key=secret or "x",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **extra))


alice = client(os.environ["ALICE_KEY"], os.environ["ALICE_SECRET"])
bob = client(os.environ["BOB_KEY"], os.environ["BOB_SECRET"])
anonymous = client(unsigned=True)
bob_id = bob.list_buckets()["Owner"]["ID"]
alice_owner = alice.list_buckets()["Owner"]


def code(response):
    return response["Error"]["Code"]


@scenario("alice creates an ObjectWriter bucket; bob and anonymous are refused")
def refused():
    alice.create_bucket(Bucket=bucket, ObjectOwnership="ObjectWriter")
    assert code(error_of(lambda: bob.put_object(Bucket=bucket, Key="k", Body=b"x"))) == "AccessDenied"
    assert code(error_of(lambda: anonymous.list_objects_v2(Bucket=bucket))) == "AccessDenied"


@scenario("get_bucket_acl: the owner with FULL_CONTROL, named as in ListBuckets")
def default_acl():
    acl = alice.get_bucket_acl(Bucket=bucket)
    assert acl["Owner"]["ID"] == alice_owner["ID"], acl
    assert acl["Owner"]["DisplayName"] == "alice", acl
    assert acl["Grants"] == [{"Grantee": {"ID": alice_owner["ID"], "DisplayName": "alice", "Type": "CanonicalUser"},
                              "Permission": "FULL_CONTROL"}], acl


@scenario("put_bucket_acl with an AccessControlPolicy grants bob WRITE; bob's object is his")
def grant_write():
    alice.put_bucket_acl(Bucket=bucket, AccessControlPolicy={
        "Owner": {"ID": alice_owner["ID"]},
        "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": alice_owner["ID"]}, "Permission": "FULL_CONTROL"},
                   {"Grantee": {"Type": "CanonicalUser", "ID": bob_id}, "Permission": "WRITE"}]})
    bob.put_object(Bucket=bucket, Key="from-bob", Body=b"bob wrote this")
    owner = bob.get_object_acl(Bucket=bucket, Key="from-bob")["Owner"]
    assert owner["ID"] == bob_id and owner["DisplayName"] == "bob", owner


@scenario("public-read object: anonymous GET works, a private one is 403 AccessDenied")
def public_read():
    alice.put_object(Bucket=bucket, Key="open", Body=b"hello", ACL="public-read")
    alice.put_object(Bucket=bucket, Key="closed", Body=b"secret")
    assert anonymous.get_object(Bucket=bucket, Key="open")["Body"].read() == b"hello"
    assert code(error_of(lambda: anonymous.get_object(Bucket=bucket, Key="closed"))) == "AccessDenied"
    assert code(error_of(lambda: bob.get_object(Bucket=bucket, Key="closed"))) == "AccessDenied"


@scenario("put_object_acl makes a private object readable by bob, not by anonymous")
def object_grant():
    alice.put_object_acl(Bucket=bucket, Key="closed", GrantRead=f'id="{bob_id}"')
    assert bob.get_object(Bucket=bucket, Key="closed")["Body"].read() == b"secret"
    assert code(error_of(lambda: anonymous.get_object(Bucket=bucket, Key="closed"))) == "AccessDenied"


@scenario("multipart upload with public-read: the completed object is public")
def multipart_acl():
    upload = alice.create_multipart_upload(Bucket=bucket, Key="big", ACL="public-read")["UploadId"]
    etag = alice.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=1, Body=b"part")["ETag"]
    alice.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload,
                                    MultipartUpload={"Parts": [{"ETag": etag, "PartNumber": 1}]})
    assert anonymous.get_object(Bucket=bucket, Key="big")["Body"].read() == b"part"


@scenario("grants naming nobody: InvalidArgument, UnresolvableGrantByEmailAddress, MalformedACLError")
def bad_grants():
    assert code(error_of(lambda: alice.put_bucket_acl(Bucket=bucket, GrantRead='id="' + "0" * 64 + '"'))) \
        == "InvalidArgument"
    assert code(error_of(lambda: alice.put_bucket_acl(Bucket=bucket, GrantRead='emailAddress="a@example.com"'))) \
        == "UnresolvableGrantByEmailAddress"
    assert code(error_of(lambda: alice.put_bucket_acl(Bucket=bucket, AccessControlPolicy={
        "Owner": {"ID": alice_owner["ID"]},
        "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": bob_id}, "Permission": "EVERYTHING"}]}))) \
        in ("MalformedACLError", "InvalidArgument")


@scenario("ownership controls: put, get, delete, then OwnershipControlsNotFoundError")
def ownership():
    alice.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={
        "Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
    rules = alice.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerPreferred"}], rules
    alice.delete_bucket_ownership_controls(Bucket=bucket)
    assert code(error_of(lambda: alice.get_bucket_ownership_controls(Bucket=bucket))) \
        == "OwnershipControlsNotFoundError"


@scenario("bob may not create a bucket alice owns: BucketAlreadyExists")
def taken():
    assert code(error_of(lambda: bob.create_bucket(Bucket=bucket))) == "BucketAlreadyExists"


finish("boto3 acl")
