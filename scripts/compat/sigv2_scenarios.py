"""boto3 with Signature V2 (signature_version='s3', botocore's HmacV1 signers): header-signed calls
including a multipart upload, presigned GET and PUT URLs (AWSAccessKeyId/Expires/Signature), their
expiry and tampering, and a V2-signed browser POST form (generate_presigned_post).

Usage: sigv2_scenarios.py ENDPOINT BUCKET (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
"""
import hashlib
import os
import tempfile
import time
import urllib.error
import urllib.request

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from scenario_kit import bucket, endpoint, error_of, finish, scenario

v2 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(signature_version="s3", s3={"addressing_style": "path"},
                                retries={"max_attempts": 1}))
wrong = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="not-the-secret",
                     config=Config(signature_version="s3", s3={"addressing_style": "path"},
                               retries={"max_attempts": 1}))


def http(method, url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def multipart_form(fields, filename, content):
    boundary = "----sigv2boundary"
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
             f'Content-Type: text/plain\r\n\r\n').encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@scenario("v2 header: create bucket, put, get, list")
def header_basics():
    v2.create_bucket(Bucket=bucket)
    v2.put_object(Bucket=bucket, Key="dir/a b+c.txt", Body=b"v2 body", ContentType="text/plain",
                  Metadata={"who": "boto3-v2"})
    got = v2.get_object(Bucket=bucket, Key="dir/a b+c.txt")
    assert got["Body"].read() == b"v2 body"
    assert got["Metadata"] == {"who": "boto3-v2"}, got["Metadata"]
    keys = [o["Key"] for o in v2.list_objects_v2(Bucket=bucket, Prefix="dir/")["Contents"]]
    assert keys == ["dir/a b+c.txt"], keys


@scenario("v2 header: sub-resources (tagging, response overrides) are signed")
def sub_resources():
    v2.put_object_tagging(Bucket=bucket, Key="dir/a b+c.txt", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    tags = v2.get_object_tagging(Bucket=bucket, Key="dir/a b+c.txt")["TagSet"]
    assert tags == [{"Key": "k", "Value": "v"}], tags
    got = v2.get_object(Bucket=bucket, Key="dir/a b+c.txt", ResponseContentType="application/x-test",
                        ResponseContentDisposition='attachment; filename="x y.txt"')
    assert got["ContentType"] == "application/x-test", got["ContentType"]
    assert got["ContentDisposition"] == 'attachment; filename="x y.txt"', got["ContentDisposition"]


@scenario("v2 header: multipart upload of 12 MiB in 5 MiB parts")
def multipart():
    data = os.urandom(12 * 1024 * 1024)
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        v2.upload_file(f.name, bucket, "mpu.bin", Config=TransferConfig(multipart_threshold=5 * 1024 * 1024,
                                                                        multipart_chunksize=5 * 1024 * 1024))
    head = v2.head_object(Bucket=bucket, Key="mpu.bin")
    assert head["ETag"].endswith('-3"'), head["ETag"]
    back = v2.get_object(Bucket=bucket, Key="mpu.bin")["Body"].read()
    assert hashlib.sha256(back).digest() == hashlib.sha256(data).digest()


@scenario("v2 header: a wrong secret is SignatureDoesNotMatch with the StringToSign")
def wrong_secret():
    answer = error_of(lambda: wrong.head_bucket(Bucket=bucket))
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 403, answer
    answer = error_of(lambda: wrong.get_object(Bucket=bucket, Key="dir/a b+c.txt"))
    assert answer["Error"]["Code"] == "SignatureDoesNotMatch", answer["Error"]
    assert answer["Error"]["StringToSign"].endswith("/" + bucket + "/dir/a%20b%2Bc.txt"), answer["Error"]
    assert answer["Error"]["StringToSignBytes"].startswith("47 45 54 0a"), answer["Error"]


@scenario("v2 presigned: GET works, tampered or expired does not")
def presigned_get():
    url = v2.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/a b+c.txt"}, ExpiresIn=300)
    assert "AWSAccessKeyId=" in url and "Signature=" in url and "Expires=" in url, url
    status, body, _ = http("GET", url)
    assert status == 200 and body == b"v2 body", (status, body)
    status, body, _ = http("GET", url.replace("a%20b", "a%20c"))
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body, (status, body)
    short = v2.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "dir/a b+c.txt"}, ExpiresIn=1)
    time.sleep(2.5)
    status, body, _ = http("GET", short)
    assert status == 403, (status, body)
    assert b"<Message>Request has expired</Message>" in body and b"<Expires>" in body and b"<ServerTime>" in body, body


@scenario("v2 presigned: PUT stores the body")
def presigned_put():
    url = v2.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "presigned.txt",
                                                          "ContentType": "text/plain"}, ExpiresIn=300)
    status, body, _ = http("PUT", url, data=b"put through a V2 URL", headers={"Content-Type": "text/plain"})
    assert status == 200, (status, body)
    assert v2.get_object(Bucket=bucket, Key="presigned.txt")["Body"].read() == b"put through a V2 URL"


@scenario("v2 POST form (generate_presigned_post): stored; a forged signature is refused")
def post_form():
    post = v2.generate_presigned_post(bucket, "forms/${filename}", ExpiresIn=300,
                                      Conditions=[["starts-with", "$key", "forms/"]])
    assert "AWSAccessKeyId" in post["fields"] and "signature" in post["fields"], post["fields"]
    body, headers = multipart_form(post["fields"], "hello.txt", b"posted with a V2 policy")
    status, answer, _ = http("POST", post["url"], data=body, headers=headers)
    assert status == 204, (status, answer)
    assert v2.get_object(Bucket=bucket, Key="forms/hello.txt")["Body"].read() == b"posted with a V2 policy"
    forged = dict(post["fields"], signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    body, headers = multipart_form(forged, "forged.txt", b"x")
    status, answer, _ = http("POST", post["url"], data=body, headers=headers)
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in answer, (status, answer)


@scenario("v2 header: clean up")
def clean_up():
    for o in v2.list_objects_v2(Bucket=bucket).get("Contents", []):
        v2.delete_object(Bucket=bucket, Key=o["Key"])
    v2.delete_bucket(Bucket=bucket)


finish("boto3 sigv2")
