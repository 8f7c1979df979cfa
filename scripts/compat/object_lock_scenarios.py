"""boto3 Object Lock scenarios against a running standalone s3d.

Usage: python3 object_lock_scenarios.py ENDPOINT BUCKET
Prints PASS/FAIL per scenario; exits 1 if any failed. Credentials come from AWS_* variables.
"""
import datetime
import time

from scenario_kit import bucket, error_of, finish, s3, scenario


def now():
    return datetime.datetime.now(datetime.timezone.utc)


s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)


@scenario("a lock bucket is versioned and has no default retention")
def created():
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    config = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    assert config == {"ObjectLockEnabled": "Enabled"}, config


@scenario("COMPLIANCE: no delete, no shortening, no change to GOVERNANCE; extension allowed")
def compliance():
    until = (now() + datetime.timedelta(days=10)).replace(microsecond=0)
    vid = s3.put_object(Bucket=bucket, Key="c", Body=b"c", ObjectLockMode="COMPLIANCE",
                        ObjectLockRetainUntilDate=until)["VersionId"]
    head = s3.head_object(Bucket=bucket, Key="c", VersionId=vid)
    assert head["ObjectLockMode"] == "COMPLIANCE" and head["ObjectLockRetainUntilDate"] == until, head
    for bypass in (False, True):
        err = error_of(lambda: s3.delete_object(Bucket=bucket, Key="c", VersionId=vid, BypassGovernanceRetention=bypass))
        assert err["Error"]["Code"] == "AccessDenied", err["Error"]
        for retention in ({"Mode": "COMPLIANCE", "RetainUntilDate": until - datetime.timedelta(days=1)},
                          {"Mode": "GOVERNANCE", "RetainUntilDate": until + datetime.timedelta(days=1)}):
            err = error_of(lambda: s3.put_object_retention(Bucket=bucket, Key="c", VersionId=vid, Retention=retention,
                                                           BypassGovernanceRetention=bypass))
            assert err["Error"]["Code"] == "AccessDenied", err["Error"]
    assert s3.get_object_retention(Bucket=bucket, Key="c", VersionId=vid)["Retention"]["RetainUntilDate"] == until
    later = until + datetime.timedelta(days=1)
    s3.put_object_retention(Bucket=bucket, Key="c", VersionId=vid,
                            Retention={"Mode": "COMPLIANCE", "RetainUntilDate": later})
    assert s3.get_object_retention(Bucket=bucket, Key="c", VersionId=vid)["Retention"]["RetainUntilDate"] == later


@scenario("GOVERNANCE: refused without the bypass, lifted with it")
def governance():
    until = now() + datetime.timedelta(days=1)
    vid = s3.put_object(Bucket=bucket, Key="g", Body=b"g", ObjectLockMode="GOVERNANCE",
                        ObjectLockRetainUntilDate=until)["VersionId"]
    err = error_of(lambda: s3.delete_object(Bucket=bucket, Key="g", VersionId=vid))
    assert err["Error"]["Code"] == "AccessDenied" and err["ResponseMetadata"]["HTTPStatusCode"] == 403, err
    s3.delete_object(Bucket=bucket, Key="g", VersionId=vid, BypassGovernanceRetention=True)


@scenario("legal hold: set, read, blocks deletion even with a bypass, removed")
def legal_hold():
    vid = s3.put_object(Bucket=bucket, Key="h", Body=b"h", ObjectLockLegalHoldStatus="ON")["VersionId"]
    assert s3.get_object_legal_hold(Bucket=bucket, Key="h")["LegalHold"]["Status"] == "ON"
    assert s3.get_object(Bucket=bucket, Key="h")["ObjectLockLegalHoldStatus"] == "ON"
    err = error_of(lambda: s3.delete_object(Bucket=bucket, Key="h", VersionId=vid, BypassGovernanceRetention=True))
    assert err["Error"]["Code"] == "AccessDenied", err["Error"]
    s3.put_object_legal_hold(Bucket=bucket, Key="h", VersionId=vid, LegalHold={"Status": "OFF"})
    s3.delete_object(Bucket=bucket, Key="h", VersionId=vid)


@scenario("a delete without version id adds a marker; DeleteObjects reports locked versions one by one")
def deletes():
    until = now() + datetime.timedelta(days=1)
    locked = s3.put_object(Bucket=bucket, Key="d1", Body=b"1", ObjectLockMode="COMPLIANCE",
                           ObjectLockRetainUntilDate=until)["VersionId"]
    free = s3.put_object(Bucket=bucket, Key="d2", Body=b"2")["VersionId"]
    assert s3.delete_object(Bucket=bucket, Key="d1")["DeleteMarker"] is True
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "d1", "VersionId": locked},
                                                              {"Key": "d2", "VersionId": free}]})
    assert [d["Key"] for d in out.get("Deleted", [])] == ["d2"], out
    assert [(e["Key"], e["Code"]) for e in out.get("Errors", [])] == [("d1", "AccessDenied")], out


@scenario("a short retention ends at its date")
def expiry():
    until = now() + datetime.timedelta(seconds=3)
    vid = s3.put_object(Bucket=bucket, Key="e", Body=b"e", ObjectLockMode="COMPLIANCE",
                        ObjectLockRetainUntilDate=until)["VersionId"]
    assert error_of(lambda: s3.delete_object(Bucket=bucket, Key="e", VersionId=vid))["Error"]["Code"] == "AccessDenied"
    time.sleep(max(0.0, (until - now()).total_seconds()) + 1.5)
    s3.delete_object(Bucket=bucket, Key="e", VersionId=vid)


@scenario("configuration errors are S3's")
def config_errors():
    other = bucket + "-plain"
    s3.create_bucket(Bucket=other)
    err = error_of(lambda: s3.get_object_lock_configuration(Bucket=other))
    assert err["Error"]["Code"] == "ObjectLockConfigurationNotFoundError", err["Error"]
    err = error_of(lambda: s3.put_object_lock_configuration(
        Bucket=other, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"}))
    assert err["Error"]["Code"] == "InvalidBucketState", err["Error"]
    err = error_of(lambda: s3.put_object(Bucket=other, Key="k", Body=b"k", ObjectLockLegalHoldStatus="ON"))
    assert err["Error"]["Code"] == "InvalidRequest", err["Error"]
    err = error_of(lambda: s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}}))
    assert err["Error"]["Code"] == "MalformedXML", err["Error"]
    err = error_of(lambda: s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Years": 101}}}))
    assert err["Error"]["Code"] == "InvalidArgument", err["Error"]


finish("boto3")
