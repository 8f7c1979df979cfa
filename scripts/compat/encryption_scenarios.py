"""boto3 server-side encryption scenarios against a running standalone s3d with a key file holding
the keys 'default' and 'backups'.

Usage: python3 encryption_scenarios.py ENDPOINT BUCKET STORE
Prints PASS/FAIL per scenario; exits 1 if any failed. Credentials come from AWS_* variables.
"""
import hashlib
import os
import sys

from scenario_kit import bucket, error_of, finish, s3, scenario

store = sys.argv[3]
marker = b"boto3-plaintext-marker "
big = (marker * (9 * 1024 * 1024 // len(marker) + 1))[:9 * 1024 * 1024]
key = os.urandom(32)
ssec = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}
s3.create_bucket(Bucket=bucket)


def on_disk(needle):
    for root, _, files in os.walk(os.path.join(store, bucket)):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                if needle in f.read():
                    return True
    return False


@scenario("put_object SSE-S3: answered, read back, ETag is the MD5")
def sse_s3():
    put = s3.put_object(Bucket=bucket, Key="s3", Body=big, ServerSideEncryption="AES256")
    assert put["ServerSideEncryption"] == "AES256", put
    assert put["ETag"] == '"%s"' % hashlib.md5(big).hexdigest(), put["ETag"]
    got = s3.get_object(Bucket=bucket, Key="s3")
    assert got["ServerSideEncryption"] == "AES256" and got["Body"].read() == big


@scenario("range GETs of an SSE-S3 object")
def ranges():
    for first, last in [(0, 0), (65535, 65536), (1_000_000, 3_000_000), (len(big) - 1, len(big) - 1)]:
        got = s3.get_object(Bucket=bucket, Key="s3", Range="bytes=%d-%d" % (first, last))["Body"].read()
        assert got == big[first:last + 1], (first, last)


@scenario("multipart SSE-KMS with a named key, GET by partNumber")
def multipart_kms():
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp", ServerSideEncryption="aws:kms",
                                    SSEKMSKeyId="alias/backups")
    assert up["ServerSideEncryption"] == "aws:kms", up
    half = 5 * 1024 * 1024
    parts = []
    for number, body in [(1, big[:half]), (2, big[half:])]:
        etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=up["UploadId"], PartNumber=number, Body=body)["ETag"]
        parts.append({"PartNumber": number, "ETag": etag})
    done = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=up["UploadId"],
                                        MultipartUpload={"Parts": parts})
    assert done["ServerSideEncryption"] == "aws:kms" and done["SSEKMSKeyId"].endswith("key/backups"), done
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == big
    assert s3.get_object(Bucket=bucket, Key="mp", PartNumber=2)["Body"].read() == big[half:]


@scenario("SSE-C: put, get and head with the key; errors without it or with another")
def sse_c():
    put = s3.put_object(Bucket=bucket, Key="c", Body=big[:100_000], **ssec)
    assert put["SSECustomerAlgorithm"] == "AES256", put
    assert put["ETag"] != '"%s"' % hashlib.md5(big[:100_000]).hexdigest()
    assert s3.get_object(Bucket=bucket, Key="c", **ssec)["Body"].read() == big[:100_000]
    assert s3.head_object(Bucket=bucket, Key="c", **ssec)["ContentLength"] == 100_000
    missing = error_of(lambda: s3.get_object(Bucket=bucket, Key="c"))
    assert missing["Error"]["Code"] == "InvalidRequest", missing
    wrong = error_of(lambda: s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256",
                                           SSECustomerKey=os.urandom(32)))
    assert wrong["ResponseMetadata"]["HTTPStatusCode"] == 403, wrong
    short = error_of(lambda: s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256",
                                           SSECustomerKey=key[:16]))
    assert short["Error"]["Code"] == "InvalidArgument", short


@scenario("copy between modes: SSE-C -> SSE-KMS -> plain")
def copies():
    s3.copy_object(Bucket=bucket, Key="c2kms", CopySource={"Bucket": bucket, "Key": "c"},
                   CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=key,
                   ServerSideEncryption="aws:kms")
    assert s3.head_object(Bucket=bucket, Key="c2kms")["ServerSideEncryption"] == "aws:kms"
    copied = s3.copy_object(Bucket=bucket, Key="plain", CopySource={"Bucket": bucket, "Key": "c2kms"})
    assert "ServerSideEncryption" not in copied, copied
    assert s3.get_object(Bucket=bucket, Key="plain")["Body"].read() == big[:100_000]
    s3.delete_object(Bucket=bucket, Key="plain")


@scenario("bucket default encryption SSE-S3 applies to a put without headers")
def bucket_default():
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", rule
    assert s3.put_object(Bucket=bucket, Key="d", Body=marker)["ServerSideEncryption"] == "AES256"
    s3.delete_bucket_encryption(Bucket=bucket)
    gone = error_of(lambda: s3.get_bucket_encryption(Bucket=bucket))
    assert gone["Error"]["Code"] == "ServerSideEncryptionConfigurationNotFoundError", gone


@scenario("the bytes on disk hold neither the plaintext nor the SSE-C key")
def disk():
    assert not on_disk(marker.strip()), "plaintext found on disk"
    assert not on_disk(key), "the SSE-C key found on disk"


for listed in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
    s3.delete_object(Bucket=bucket, Key=listed["Key"])
s3.delete_bucket(Bucket=bucket)
finish("encryption")
