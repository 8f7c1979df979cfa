"""boto3 scenarios against a running s3d: checksum trailers, multipart copy, virtual-hosted style.

Usage: python3 boto3_scenarios.py ENDPOINT BUCKET
Prints PASS/FAIL per scenario; exits 1 if any failed. Credentials come from AWS_* variables.
"""
import hashlib
import os
import socket
import urllib.parse

import boto3
import botocore
from botocore.config import Config

from scenario_kit import bucket, endpoint, finish, s3, scenario

base_domain = os.environ.get("S3D_BASE_DOMAIN")


@scenario("put with checksum (CRC32, SHA256) and read back with checksum mode")
def checksums():
    body = os.urandom(300_000)
    for algorithm in ("CRC32", "SHA256"):
        put = s3.put_object(Bucket=bucket, Key=f"boto3/sum-{algorithm}", Body=body, ChecksumAlgorithm=algorithm)
        head = s3.head_object(Bucket=bucket, Key=f"boto3/sum-{algorithm}", ChecksumMode="ENABLED")
        field = f"Checksum{algorithm}"
        assert head.get(field) == put.get(field) and head.get(field), (head.get(field), put.get(field))
        got = s3.get_object(Bucket=bucket, Key=f"boto3/sum-{algorithm}", ChecksumMode="ENABLED")["Body"].read()
        assert got == body


@scenario("bad Content-MD5 is refused with BadDigest")
def bad_md5():
    try:
        s3.put_object(Bucket=bucket, Key="boto3/bad", Body=b"data", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")
    except s3.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "BadDigest", e.response["Error"]
        return
    raise AssertionError("accepted a wrong Content-MD5")


@scenario("multipart copy (UploadPartCopy with ranges)")
def multipart_copy():
    source = os.urandom(11 * 1024 * 1024)
    s3.put_object(Bucket=bucket, Key="boto3/src", Body=source)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="boto3/dst")
    parts = []
    ranges = [(0, 5 * 1024 * 1024 - 1), (5 * 1024 * 1024, 10 * 1024 * 1024 - 1),
              (10 * 1024 * 1024, len(source) - 1)]
    for number, (first, last) in enumerate(ranges, start=1):
        part = s3.upload_part_copy(Bucket=bucket, Key="boto3/dst", UploadId=upload["UploadId"], PartNumber=number,
                                   CopySource={"Bucket": bucket, "Key": "boto3/src"},
                                   CopySourceRange=f"bytes={first}-{last}")
        parts.append({"PartNumber": number, "ETag": part["CopyPartResult"]["ETag"]})
    done = s3.complete_multipart_upload(Bucket=bucket, Key="boto3/dst", UploadId=upload["UploadId"],
                                        MultipartUpload={"Parts": parts})
    assert done["ETag"].endswith('-3"'), done["ETag"]
    copied = s3.get_object(Bucket=bucket, Key="boto3/dst")["Body"].read()
    assert hashlib.sha256(copied).digest() == hashlib.sha256(source).digest()


@scenario("managed transfer upload_file/download_file (multipart, threads)")
def managed_transfer():
    path = "/tmp/s3d-boto3-transfer.bin"
    with open(path, "wb") as f:
        f.write(os.urandom(25 * 1024 * 1024))
    s3.upload_file(path, bucket, "boto3/transfer.bin")
    s3.download_file(bucket, "boto3/transfer.bin", path + ".down")
    with open(path, "rb") as a, open(path + ".down", "rb") as b:
        assert hashlib.sha256(a.read()).digest() == hashlib.sha256(b.read()).digest()
    os.remove(path)
    os.remove(path + ".down")


@scenario("browser upload with generate_presigned_post")
def presigned_post():
    import urllib.request
    import uuid
    # s3d speaks SigV4 only; older boto3 presigns POST policies with SigV2 unless asked for s3v4.
    signer = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    post = signer.generate_presigned_post(bucket, "boto3/form/${filename}",
                                      Conditions=[["starts-with", "$key", "boto3/form/"],
                                                  ["content-length-range", 1, 1024]],
                                      ExpiresIn=300)
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in post["fields"].items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hello.txt\"\r\n"
             f"Content-Type: text/plain\r\n\r\n").encode() + b"posted by a browser" + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(post["url"], data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 204, response.status
    got = s3.get_object(Bucket=bucket, Key="boto3/form/hello.txt")["Body"].read()
    assert got == b"posted by a browser", got


def has_checksum_type():
    """botocore learnt x-amz-checksum-type in 1.36 (Debian 12's python3-boto3 is older)."""
    shape = s3.meta.service_model.operation_model("CreateMultipartUpload").input_shape
    return "ChecksumType" in shape.members


CHECKSUM_TYPE = has_checksum_type()
if not CHECKSUM_TYPE:
    print(f"SKIP boto3 ChecksumType checks and the FULL_OBJECT scenarios: botocore {botocore.__version__} "
          "predates x-amz-checksum-type (1.36)")


def same_type(answer, expected):
    assert not CHECKSUM_TYPE or answer.get("ChecksumType") == expected, (answer.get("ChecksumType"), expected)


@scenario("multipart SHA256 COMPOSITE: part checksums, -N value, ChecksumType on every answer")
def multipart_sha256_composite():
    import base64
    key = "boto3/mp-sha256"
    parts_data = [os.urandom(5 * 1024 * 1024), os.urandom(1000)]
    created = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="SHA256")
    same_type(created, "COMPOSITE")
    upload_id = created["UploadId"]
    parts = []
    for number, data in enumerate(parts_data, start=1):
        part = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data,
                              ChecksumAlgorithm="SHA256")
        assert part["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
        parts.append({"PartNumber": number, "ETag": part["ETag"], "ChecksumSHA256": part["ChecksumSHA256"]})
    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload_id)
    assert listed.get("ChecksumAlgorithm") == "SHA256", listed
    same_type(listed, "COMPOSITE")
    try:
        s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={
            "Parts": [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]})
        raise AssertionError("completed without the part checksums")
    except s3.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidRequest", e.response["Error"]
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts})
    raw = b"".join(hashlib.sha256(d).digest() for d in parts_data)
    expected = base64.b64encode(hashlib.sha256(raw).digest()).decode() + "-2"
    assert done.get("ChecksumSHA256") == expected, done
    same_type(done, "COMPOSITE")
    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert head.get("ChecksumSHA256") == expected, head
    same_type(head, "COMPOSITE")
    attributes = s3.get_object_attributes(Bucket=bucket, Key=key, ObjectAttributes=["Checksum"])
    assert attributes["Checksum"]["ChecksumSHA256"] == expected, attributes
    same_type(attributes["Checksum"], "COMPOSITE")


def full_object_scenarios():
    @scenario("multipart CRC32 FULL_OBJECT: the CRC of the whole object, checked at completion")
    def multipart_crc32_full_object():
        import base64
        import zlib
        key = "boto3/mp-crc32"
        parts_data = [os.urandom(5 * 1024 * 1024), os.urandom(777)]
        created = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="CRC32",
                                             ChecksumType="FULL_OBJECT")
        assert created.get("ChecksumType") == "FULL_OBJECT", created
        upload_id = created["UploadId"]
        parts = []
        for number, data in enumerate(parts_data, start=1):
            part = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data,
                                  ChecksumAlgorithm="CRC32")
            parts.append({"PartNumber": number, "ETag": part["ETag"], "ChecksumCRC32": part["ChecksumCRC32"]})
        whole = base64.b64encode(zlib.crc32(b"".join(parts_data)).to_bytes(4, "big")).decode()
        done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id, ChecksumType="FULL_OBJECT",
                                            ChecksumCRC32=whole, MultipartUpload={"Parts": parts})
        assert (done.get("ChecksumCRC32"), done.get("ChecksumType")) == (whole, "FULL_OBJECT"), done
        got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        assert got.get("ChecksumType") == "FULL_OBJECT" and got["Body"].read() == b"".join(parts_data)


    @scenario("checksum rules S3 refuses: CRC64NVME COMPOSITE, SHA256 FULL_OBJECT")
    def checksum_type_rules():
        for algorithm, kind in (("CRC64NVME", "COMPOSITE"), ("SHA256", "FULL_OBJECT")):
            try:
                s3.create_multipart_upload(Bucket=bucket, Key="boto3/refused", ChecksumAlgorithm=algorithm,
                                           ChecksumType=kind)
                raise AssertionError(f"{algorithm} {kind} accepted")
            except s3.exceptions.ClientError as e:
                assert e.response["Error"]["Code"] == "InvalidRequest", e.response["Error"]


if CHECKSUM_TYPE:
    full_object_scenarios()


def crc64nvme_available():
    import botocore.httpchecksum
    try:
        import awscrt  # noqa: F401  botocore computes CRC64NVME only with the AWS CRT
    except ImportError:
        print("SKIP boto3 CRC64NVME scenario: botocore needs awscrt for CRC64NVME, not installed here")
        return False
    if not CHECKSUM_TYPE or "crc64nvme" not in getattr(botocore.httpchecksum, "_CHECKSUM_CLS", {}):
        print(f"SKIP boto3 CRC64NVME scenario: botocore {botocore.__version__} does not know CRC64NVME")
        return False
    return True


if crc64nvme_available():
    @scenario("put and multipart with CRC64NVME (FULL_OBJECT)")
    def crc64nvme():
        body = os.urandom(300_000)
        put = s3.put_object(Bucket=bucket, Key="boto3/crc64", Body=body, ChecksumAlgorithm="CRC64NVME")
        head = s3.head_object(Bucket=bucket, Key="boto3/crc64", ChecksumMode="ENABLED")
        assert head.get("ChecksumCRC64NVME") == put.get("ChecksumCRC64NVME") and head.get("ChecksumCRC64NVME")
        assert head.get("ChecksumType") == "FULL_OBJECT", head
        created = s3.create_multipart_upload(Bucket=bucket, Key="boto3/crc64-mp", ChecksumAlgorithm="CRC64NVME")
        assert created.get("ChecksumType") == "FULL_OBJECT", created
        part = s3.upload_part(Bucket=bucket, Key="boto3/crc64-mp", UploadId=created["UploadId"], PartNumber=1,
                              Body=body, ChecksumAlgorithm="CRC64NVME")
        done = s3.complete_multipart_upload(Bucket=bucket, Key="boto3/crc64-mp", UploadId=created["UploadId"],
                                            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        assert done.get("ChecksumCRC64NVME") == put.get("ChecksumCRC64NVME"), done


@scenario("virtual-hosted-style addressing")
def virtual_hosted():
    if not base_domain:
        raise AssertionError("S3D_BASE_DOMAIN not set for the scenario")
    port = urllib.parse.urlparse(endpoint).port
    real_getaddrinfo = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        # Test-only name resolution: every <bucket>.<base-domain> is this machine.
        if isinstance(host, str) and (host == base_domain or host.endswith("." + base_domain)):
            host = "127.0.0.1"
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = resolve
    try:
        vhost = boto3.client("s3", endpoint_url=f"http://{base_domain}:{port}", region_name="us-east-1",
                             config=Config(s3={"addressing_style": "virtual"}, retries={"max_attempts": 1}))
        vhost.put_object(Bucket=bucket, Key="boto3/vhost.txt", Body=b"virtual host")
        assert vhost.get_object(Bucket=bucket, Key="boto3/vhost.txt")["Body"].read() == b"virtual host"
        listed = vhost.list_objects_v2(Bucket=bucket, Prefix="boto3/vhost")
        assert [o["Key"] for o in listed["Contents"]] == ["boto3/vhost.txt"]
    finally:
        socket.getaddrinfo = real_getaddrinfo
    assert s3.get_object(Bucket=bucket, Key="boto3/vhost.txt")["Body"].read() == b"virtual host"


finish("boto3")
