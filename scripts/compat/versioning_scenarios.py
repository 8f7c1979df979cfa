"""boto3 versioning scenarios against a running standalone s3d.

Usage: python3 versioning_scenarios.py ENDPOINT BUCKET
Prints PASS/FAIL per scenario; exits 1 if any failed. Credentials come from AWS_* variables.
"""

from scenario_kit import bucket, error_of, finish, s3, scenario


def body(key, version_id=None):
    args = {"Bucket": bucket, "Key": key}
    if version_id:
        args["VersionId"] = version_id
    return s3.get_object(**args)["Body"].read()


s3.create_bucket(Bucket=bucket)


@scenario("a new bucket has no versioning status; Enabled is kept; MFA delete is refused")
def status():
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    err = error_of(lambda: s3.put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"}))
    assert err["Error"]["Code"] == "NotImplemented" and "MFA" in err["Error"]["Message"], err["Error"]


@scenario("every PUT makes a version, each readable (GET and HEAD) by its id")
def versions():
    v1 = s3.put_object(Bucket=bucket, Key="doc", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="doc", Body=b"two")["VersionId"]
    assert v1 and v2 and v1 != v2
    assert body("doc") == b"two" and body("doc", v1) == b"one" and body("doc", v2) == b"two"
    assert s3.head_object(Bucket=bucket, Key="doc", VersionId=v1)["ContentLength"] == 3
    assert s3.head_object(Bucket=bucket, Key="doc")["VersionId"] == v2
    err = error_of(lambda: s3.get_object(Bucket=bucket, Key="doc", VersionId="0" * 32))
    assert err["Error"]["Code"] == "NoSuchVersion", err["Error"]


@scenario("DELETE adds a delete marker: 404 with x-amz-delete-marker, 405 for the marker by id, undelete")
def markers():
    v1 = s3.put_object(Bucket=bucket, Key="gone", Body=b"data")["VersionId"]
    deleted = s3.delete_object(Bucket=bucket, Key="gone")
    assert deleted["DeleteMarker"] is True and deleted["VersionId"] not in (None, v1), deleted
    err = error_of(lambda: s3.get_object(Bucket=bucket, Key="gone"))
    headers = err["ResponseMetadata"]["HTTPHeaders"]
    assert err["Error"]["Code"] == "NoSuchKey" and headers.get("x-amz-delete-marker") == "true", err
    err = error_of(lambda: s3.get_object(Bucket=bucket, Key="gone", VersionId=deleted["VersionId"]))
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 405 and err["Error"]["Code"] == "MethodNotAllowed", err
    err = error_of(lambda: s3.head_object(Bucket=bucket, Key="gone", VersionId=deleted["VersionId"]))
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 405, err
    assert "gone" not in [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    removed = s3.delete_object(Bucket=bucket, Key="gone", VersionId=deleted["VersionId"])
    assert removed["DeleteMarker"] is True and removed["VersionId"] == deleted["VersionId"], removed
    assert body("gone") == b"data"


@scenario("ListObjectVersions pages with key and version-id markers, prefix and delimiter")
def listing():
    for key in ("list/a", "list/b/x", "list/b/y", "list/c"):
        for n in range(3):
            s3.put_object(Bucket=bucket, Key=key, Body=str(n).encode())
    s3.delete_object(Bucket=bucket, Key="list/c")
    seen = []
    pages = s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix="list/",
                                                                PaginationConfig={"PageSize": 4})
    for page in pages:
        for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
            seen.append((v["Key"], v["VersionId"], v["IsLatest"]))
    assert len(seen) == 13 and len(set(seen)) == 13, seen
    assert sum(1 for s in seen if s[2]) == 4, seen
    rolled = s3.list_object_versions(Bucket=bucket, Prefix="list/", Delimiter="/")
    assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["list/b/"], rolled
    assert {v["Key"] for v in rolled["Versions"]} == {"list/a", "list/c"}
    assert [m["Key"] for m in rolled["DeleteMarkers"]] == ["list/c"] and rolled["DeleteMarkers"][0]["IsLatest"]


@scenario("copy from a version, tagging by version, multipart upload makes a version")
def copy_tags_multipart():
    v1 = s3.put_object(Bucket=bucket, Key="src", Body=b"first")["VersionId"]
    s3.put_object(Bucket=bucket, Key="src", Body=b"second")
    copied = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src", "VersionId": v1})
    assert copied["CopySourceVersionId"] == v1 and copied["VersionId"], copied
    assert body("dst") == b"first"
    s3.put_object_tagging(Bucket=bucket, Key="src", VersionId=v1, Tagging={"TagSet": [{"Key": "v", "Value": "1"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="src", VersionId=v1)["TagSet"] == [{"Key": "v", "Value": "1"}]
    assert s3.get_object_tagging(Bucket=bucket, Key="src")["TagSet"] == []
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"x" * 100)["ETag"]
    done = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert done["VersionId"] and s3.head_object(Bucket=bucket, Key="mp")["VersionId"] == done["VersionId"]


@scenario("DeleteObjects with version ids removes those versions; without, adds markers")
def multi_delete():
    v1 = s3.put_object(Bucket=bucket, Key="md", Body=b"1")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="md", Body=b"2")["VersionId"]
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "md", "VersionId": v2},
                                                                  {"Key": "doc"}]})
    by_key = {d["Key"]: d for d in result["Deleted"]}
    assert by_key["md"]["VersionId"] == v2 and "DeleteMarker" not in by_key["md"], result
    assert by_key["doc"]["DeleteMarker"] is True and by_key["doc"]["DeleteMarkerVersionId"], result
    assert body("md") == b"1" and s3.head_object(Bucket=bucket, Key="md")["VersionId"] == v1


@scenario("Suspended: writes and deletes replace the null version, older versions stay")
def suspended():
    kept = s3.put_object(Bucket=bucket, Key="sus", Body=b"kept")["VersionId"]
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"
    assert s3.put_object(Bucket=bucket, Key="sus", Body=b"n1")["VersionId"] == "null"
    s3.put_object(Bucket=bucket, Key="sus", Body=b"n2")
    ids = [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket, Prefix="sus")["Versions"]]
    assert ids == ["null", kept], ids
    assert body("sus", "null") == b"n2"
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


@scenario("a bucket with versions left is not empty; deleting every version empties it")
def empty_bucket():
    err = error_of(lambda: s3.delete_bucket(Bucket=bucket))
    assert err["Error"]["Code"] == "BucketNotEmpty", err["Error"]
    listing = s3.list_object_versions(Bucket=bucket)
    while True:
        items = listing.get("Versions", []) + listing.get("DeleteMarkers", [])
        for v in items:
            s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
        if not listing["IsTruncated"]:
            break
        listing = s3.list_object_versions(Bucket=bucket)
    assert not s3.list_object_versions(Bucket=bucket).get("Versions")
    s3.delete_bucket(Bucket=bucket)


finish("versioning boto3")
